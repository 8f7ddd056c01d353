"""PDF copies of Word files through LibreOffice headless (``soffice``), when it is installed.

Used to count pages exactly (the Scroll of Honour's 10-page limit) and to give people a PDF of
each document beside the package. Without LibreOffice nothing fails: pages are estimated and
the copies are skipped, and both say so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_TIMEOUT = 120  # seconds for one document on a loaded 2-core machine
_PAGE = re.compile(rb"/Type\s*/Page(?!s)\b")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes | None:
    """The document as PDF, or None when LibreOffice is not installed or cannot convert it."""
    return to_pdfs({"document.docx": docx}).get("document.docx")


def to_pdfs(documents: dict[str, bytes]) -> dict[str, bytes]:
    """Each Word file (by name) as PDF, in one LibreOffice run (starting it costs seconds);
    empty when LibreOffice is not installed, without the files it could not convert."""
    program = soffice()
    if program is None or not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="contestflow-pdf-") as folder:
        sources = []
        for index, data in enumerate(documents.values()):
            source = Path(folder) / f"{index:04d}.docx"  # our names: theirs may be anything
            source.write_bytes(data)
            sources.append(str(source))
        # A profile of its own: a second conversion running at once must not share a lock.
        profile = Path(folder, "profile").as_uri()
        try:
            subprocess.run(
                [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", folder, *sources],
                capture_output=True, timeout=CONVERT_TIMEOUT * len(sources), check=True)
        except (subprocess.SubprocessError, OSError):
            return {}
        converted = {}
        for name, source in zip(documents, sources, strict=True):
            result = Path(source).with_suffix(".pdf")
            if result.is_file():
                converted[name] = result.read_bytes()
        return converted


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF, counted on its page objects."""
    return len(_PAGE.findall(pdf))
