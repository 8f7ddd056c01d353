"""`make demo` end to end: the whole pipeline on the embedded default, through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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
