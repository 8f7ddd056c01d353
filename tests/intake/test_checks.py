"""The checks every upload passes, on files alone (no database, no web)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from contestflow.intake.checks import UploadPolicy, inspect_file
from contestflow.intake.errors import MESSAGES, UploadRefused
from contestflow.intake.filenames import check_filename, visible, with_extension
from tests.intake import samples

DOCS = UploadPolicy(("docx", "pdf"), 20 * 1024 * 1024, "Проект", "Project")
IMAGES = UploadPolicy(("jpeg", "png"), 20 * 1024 * 1024, "Фотографии", "Photographs")
MEDIA = UploadPolicy(("mp3", "mp4"), 500 * 1024 * 1024, "Видео", "Video")
SHEETS = UploadPolicy(("docx", "xlsx"), 20 * 1024 * 1024, "Таблица", "Table")


def check(tmp_path: Path, data: bytes, policy: UploadPolicy) -> str:
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    return inspect_file(path, policy).format


GOOD: dict[str, tuple[Callable[[], bytes], UploadPolicy, str]] = {
    "docx": (samples.docx_bytes, DOCS, "docx"),
    "pdf": (samples.pdf_bytes, DOCS, "pdf"),
    "jpeg": (samples.jpeg_bytes, IMAGES, "jpeg"),
    "png": (samples.png_bytes, IMAGES, "png"),
    "mp4": (samples.mp4_bytes, MEDIA, "mp4"),
}


@pytest.mark.parametrize("case", list(GOOD))
def test_good_files_are_recognised_by_content(tmp_path: Path, case: str) -> None:
    content, policy, expected = GOOD[case]
    assert check(tmp_path, content(), policy) == expected


BAD: dict[str, tuple[Callable[[], bytes], UploadPolicy, str]] = {
    "xxe": (samples.xxe_docx, DOCS, "dtd"),
    "billion laughs": (samples.billion_laughs_docx, DOCS, "dtd"),
    "zip bomb": (samples.zip_bomb, DOCS, "zip_bomb"),
    "small docx, huge part": (samples.docx_with_huge_part, DOCS, "zip_bomb"),
    "directory claims 3 GB": (samples.claimed_gigabytes_docx, DOCS, "zip_bomb"),
    "traversal in the zip": (samples.traversal_zip_docx, DOCS, "zip_names"),
    "absolute name in the zip": (samples.absolute_name_docx, DOCS, "zip_names"),
    "duplicate names": (samples.duplicate_name_docx, DOCS, "zip_names"),
    "macro document as .docx": (samples.docm_renamed, DOCS, "macros"),
    "ActiveX": (samples.activex_docx, DOCS, "macros"),
    "remote template": (samples.external_template_docx, DOCS, "external"),
    "truncated docx": (lambda: samples.truncated(samples.docx_bytes()), DOCS, "damaged"),
    "corrupt docx": (samples.corrupted_docx, DOCS, "damaged"),
    "empty": (lambda: b"", DOCS, "empty"),
    "executable": (samples.executable, DOCS, "program"),
    "plain text": (samples.plain_text, DOCS, "wrong_type"),
    "HTML as an image": (samples.html_page, IMAGES, "wrong_type"),
    "a docx where photos are asked": (samples.docx_bytes, IMAGES, "wrong_type"),
    "truncated jpeg": (lambda: samples.truncated(samples.jpeg_bytes()), IMAGES, "damaged"),
    "truncated png": (lambda: samples.truncated(samples.png_bytes()), IMAGES, "damaged"),
    "60 megapixels": (lambda: samples.png_claiming(10_000, 6_000), IMAGES, "image_too_big"),
    "10 gigapixels": (lambda: samples.png_claiming(100_000, 100_000), IMAGES, "image_huge"),
    "truncated pdf": (lambda: samples.truncated(samples.pdf_bytes(4000)), DOCS, "damaged"),
    "truncated mp4": (lambda: samples.mp4_bytes()[:-10], MEDIA, "damaged"),
    "traversal where Word or Excel is asked": (samples.traversal_zip_docx, SHEETS, "zip_names"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, case: str) -> None:
    content, policy, code = BAD[case]
    with pytest.raises(UploadRefused) as refused:
        check(tmp_path, content(), policy)
    assert refused.value.code == code


def test_the_size_cap_counts_bytes_exactly(tmp_path: Path) -> None:
    policy = UploadPolicy(("pdf",), 2000, "Письмо", "Letter")
    pdf = samples.pdf_bytes()
    exact = pdf[:-6] + b"%" * (2000 - len(pdf)) + pdf[-6:]
    assert check(tmp_path, exact, policy) == "pdf"
    with pytest.raises(UploadRefused) as refused:
        check(tmp_path, exact + b"\n", policy)
    assert refused.value.code == "too_large" and refused.value.status == 413


def test_a_docx_refused_where_pictures_are_asked_is_named_as_a_word_document(
        tmp_path: Path) -> None:
    with pytest.raises(UploadRefused) as refused:
        check(tmp_path, samples.docx_bytes(), IMAGES)
    assert "Word" in refused.value.message("en") and "Word" in refused.value.message("ru")


@pytest.mark.parametrize("code", list(MESSAGES))
def test_every_refusal_is_one_sentence_in_each_language(code: str) -> None:
    params = {"item_ru": "Проект", "item_en": "Project", "limit_mb": 20, "what_ru": "файл",
              "what_en": "a file", "formats": "PDF", "width": 1, "height": 1, "max_mp": 50,
              "max_files": 10, "number": 3, "reason_ru": "поле «Телефон» не заполнено",
              "reason_en": "Phone is required"}
    refusal = UploadRefused(code, **params)
    for language in ("ru", "en"):
        text = refusal.message(language)
        assert "{" not in text and "\n" not in text
        assert text.endswith(".") and text.count(". ") == 0, text
    assert re.search("[а-яё]", refusal.message("ru"))
    assert 400 <= refusal.status < 600


@pytest.mark.parametrize("name", [
    "Заявка «Культура 21» — итог.docx", "Пресс-служба информирует....pdf", "фото 1 (2).jpg",
])
def test_cyrillic_names_survive_intact(name: str) -> None:
    assert check_filename(name) == name


def test_a_decomposed_name_is_normalised_not_refused() -> None:
    decomposed = "Отчёт.docx".replace("ё", "е\u0308")
    assert check_filename(decomposed) == "Отчёт.docx"


@pytest.mark.parametrize(("name", "code"), [
    ("a\x00b.docx", "bad_name"), ("отчёт\u202excod.exe", "bad_name"),
    ("отчёт\u2066.docx", "bad_name"), ("line\nbreak.docx", "name_line_break"),
    ("../../etc/passwd", "name_path"), ("..\\..\\boot.ini", "name_path"),
    ("folder/file.docx", "name_path"), ("..", "name_path"), ("", "no_file"), ("   ", "no_file"),
])
def test_disguised_names_are_refused(name: str, code: str) -> None:
    with pytest.raises(UploadRefused) as refused:
        check_filename(name)
    assert refused.value.code == code


def test_hidden_characters_are_spelled_out_for_the_audit_log() -> None:
    assert visible("a\u202eb\x00") == "a\\u202eb\\u0000"


@pytest.mark.parametrize(("name", "extension", "expected"), [
    ("письмо.docx", "pdf", "письмо.pdf"), ("письмо.pdf", "pdf", "письмо.pdf"),
    ("письмо", "pdf", "письмо.pdf"), ("версия 1.2 финал", "docx", "версия 1.2 финал.docx"),
])
def test_the_kept_name_carries_the_real_extension(name: str, extension: str,
                                                  expected: str) -> None:
    assert with_extension(name, extension) == expected
