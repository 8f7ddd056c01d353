"""Pages counted on the PDF through LibreOffice; without it, an estimate that says so."""

from __future__ import annotations

import io
import os

import pytest
from docx import Document

from contestflow.assembly import pdf
from contestflow.assembly.package import count_pages

IN_CI = os.environ.get("CI", "").lower() == "true"


def _pages_of_text(pages: int) -> bytes:
    document = Document()
    for index in range(pages):
        document.add_paragraph(f"Page {index + 1}")
        if index < pages - 1:
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def soffice() -> str:
    program = pdf.soffice()
    if program is None:
        if IN_CI:
            pytest.fail("LibreOffice is required under CI (.ci/run installs it)")
        pytest.skip("LibreOffice is not installed here")
    return program


def test_pages_are_counted_on_the_pdf(soffice: str) -> None:
    assert count_pages([_pages_of_text(3), _pages_of_text(2)]) == (5, True)
    converted = pdf.to_pdf(_pages_of_text(4))
    assert converted is not None and converted.startswith(b"%PDF")
    assert pdf.pdf_pages(converted) == 4


def test_without_libreoffice_the_count_is_an_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda _name: None)
    words = " ".join(["word"] * 1200)
    document = Document()
    document.add_paragraph(words)
    buffer = io.BytesIO()
    document.save(buffer)
    assert count_pages([buffer.getvalue()]) == (3, False)  # 1,200 words at 500 a page
    assert pdf.to_pdf(buffer.getvalue()) is None


def test_a_package_gets_pdf_copies_beside_it(soffice: str, tmp_path, monkeypatch) -> None:
    from contestflow.assembly.package import PackageResult, _zip, export_package
    from contestflow.config import get_settings

    monkeypatch.setenv("CONTESTFLOW_PDF_COPIES", "true")
    get_settings.cache_clear()
    data = _zip([("form-en.docx", _pages_of_text(2)), ("letter.pdf", b"%PDF-1.4")], b"{}")
    record = b'{"items": [], "checklist": []}'
    export_package(tmp_path, PackageResult("p", data, record))
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == ["form-en.pdf"]
    assert pdf.pdf_pages((tmp_path / "pdf" / "form-en.pdf").read_bytes()) == 2
