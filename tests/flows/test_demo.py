"""`make demo` end to end: the whole pipeline on the embedded default, through the real CLI."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from contestflow.config import REPOSITORY_ROOT


@pytest.mark.flow
def test_demo_runs_the_whole_pipeline(workspace: Path) -> None:
    """What `make demo` runs: `python -m demo` from the repository."""
    result = subprocess.run([sys.executable, "-m", "demo"], capture_output=True, text=True,
                            cwd=REPOSITORY_ROOT, timeout=600,
                            env={**os.environ, "CONTESTFLOW_HOME": str(workspace),
                                 "CONTESTFLOW_PDF_COPIES": "true"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output and "database is locked" not in output
    assert "state: result_recorded" in result.stdout
    home = workspace / "demo"
    package = next((home / "packages" / "submission-1").glob("*.zip"))
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    # The form (with the texts and the mayor's details inside), the annexes, the manifest.
    stem = "uclg-culture21-2028"
    assert names == [f"{stem}-application-form-en.docx", f"{stem}-membership-en.docx",
                     f"{stem}-presentation-letter-en.docx", f"{stem}-prize-use-en.docx",
                     "manifest.json"]
    assert [f["name"] for f in manifest["files"]] == names[:-1]
    with zipfile.ZipFile(package) as archive:
        form = Document(io.BytesIO(archive.read(names[0])))
    _check_form(form)
    assert all(f["language"] == "en" for f in manifest["files"])
    record = json.loads(package.with_name(package.stem + ".record.json").read_text())
    assert not [f for f in record["findings"] if f["severity"] == "blocking"]
    assert (package.parent / f"{package.stem}.checklist.md").read_text().startswith(
        "# Проверка пакета по правилам конкурса")
    if shutil.which("soffice"):  # PDF copies of each Word file of the package, for people
        pdfs = sorted(p.name for p in (package.parent / "pdf").glob("*.pdf"))
        assert pdfs == [name[:-5] + ".pdf" for name in names[:-1]]
    assert (home / "report" / "index.html").is_file()
    # one request mail per department: culture, economy, head office, international
    assert len(list((home / "outbox").glob("*.eml"))) == 4


def _check_form(form: DocumentObject) -> None:
    """The UCLG form section by section: the organiser's numbering and order, each section's
    own text with its formatting, the mayor's details in their table."""
    headings = [p.text for p in form.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["1.1 Title", "1.2 Brief description", "1.3 Duration", "2.2 Mayor",
                        "2.3 Person responsible for the bid", "3.1 City / territory",
                        "3.2 Background", "4 The project", "5 Planned local actions"]
    text = "\n".join(p.text for p in form.paragraphs)
    assert "Preservation and development of the Cossacks" in text  # 1.1
    assert "Start: January 2016." in text  # 1.3
    assert not re.search("[а-яё]", text, re.IGNORECASE)  # no Russian left anywhere
    bold = {r.text for p in form.paragraphs for r in p.runs if r.bold}
    italic = {r.text for p in form.paragraphs for r in p.runs if r.italic}
    assert "a unifying basis" in bold and "Agenda 21 for culture" in italic
    links = form.element.body.findall(".//" + qn("w:hyperlink"))
    assert any("website of the UCLG Committee on Culture" in "".join(
        t.text or "" for t in link.iter(qn("w:t"))) for link in links)
    mayor = {row.cells[0].text: row.cells[1].text for row in form.tables[0].rows}
    assert mayor["Name"] == "Ivan Ivanovich Ivanov" and mayor["Phone"] == "+7 (8652) 00-00-00"
