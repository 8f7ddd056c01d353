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
    program = soffice()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="contestflow-pdf-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        # A profile of its own: a second conversion running at once must not share a lock.
        profile = Path(folder, "profile").as_uri()
        try:
            subprocess.run(
                [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", folder, str(source)],
                capture_output=True, timeout=CONVERT_TIMEOUT, check=True)
        except (subprocess.SubprocessError, OSError):
            return None
        result = source.with_suffix(".pdf")
        return result.read_bytes() if result.is_file() else None


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF, counted on its page objects."""
    return len(_PAGE.findall(pdf))
