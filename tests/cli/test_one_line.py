"""Every failure is one line: impossible dates, unknown formats and oversized definitions name
the file, line and field; documents past the limits are refused; nothing echoes control
characters to the terminal; `submission review --json`."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from contestflow.cli.common import visible
from contestflow.intake.sniff import FORMAT_ALIASES, FORMAT_NAMES
from contestflow.translation.docx import document as docx_document
from contestflow.translation.docx.document import DocxDocument
from contestflow.translation.errors import DocumentError
from contestflow.yamlfile import MAX_DEFINITION_BYTES
from schemas import CONTESTS_DIR
from schemas.contest import FileFormat
from tests.cli.test_cli import assert_one_line_error, run

FORMATS_LINE = "    formats: [jpeg, png]\n"


def _definition_with(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    source = next(p for p in sorted(CONTESTS_DIR.glob("*.yaml")) if old in p.read_text("utf-8"))
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, start=1) if old in line)
    lines[number - 1] = lines[number - 1].replace(old, new)
    bad = tmp_path / "bad.yaml"
    bad.write_text("".join(lines), encoding="utf-8")
    return bad, number


def test_an_impossible_date_names_the_file_line_and_field(tmp_path: Path) -> None:
    bad, line = _definition_with(tmp_path, "deadline: 2020-09-30", "deadline: 2026-02-30")
    result = run("contests", "validate", str(bad), ok=False)
    assert_one_line_error(result, f"{bad}:{line}: editions[0].phases[0].deadline: 2026-02-30 "
                                  "is not a real date (day is out of range for month)")


def test_an_unknown_format_is_refused_where_it_is_written(tmp_path: Path) -> None:
    bad, line = _definition_with(tmp_path, "[jpeg, png]", "[jpeg, pngg]")
    result = run("contests", "validate", str(bad), ok=False)
    assert_one_line_error(result, f"{bad}:{line}: items[")
    assert "formats[1]: Input should be 'docx'" in result.stderr
    assert result.stderr.rstrip().endswith("'mpeg4'")  # the list is whole, quotes and all


def test_the_closed_list_of_formats_is_what_the_intake_checks() -> None:
    assert set(FileFormat.__args__) == set(FORMAT_NAMES) | set(FORMAT_ALIASES)


def test_an_oversized_definition_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text("id: x\nnotes: " + "a" * MAX_DEFINITION_BYTES + "\n", encoding="utf-8")
    result = run("contests", "validate", str(huge), ok=False)
    assert_one_line_error(result, f"{huge}: {huge.stat().st_size:,} bytes is too large for a "
                                  "definition (at most 1,048,576)")


def test_a_document_past_the_paragraph_limit_is_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    document = docx.Document()
    for number in range(30):
        document.add_paragraph(f"Абзац {number}.")
    path = tmp_path / "many.docx"
    document.save(path)
    monkeypatch.setattr(docx_document, "MAX_PARAGRAPHS", 20)
    with pytest.raises(DocumentError) as refused:
        DocxDocument.load(path.read_bytes(), "ru")
    assert refused.value.message_in("ru") == ("в документе 30 абзацев, больше допустимых 20: "
                                              "разделите его на части")
    monkeypatch.setattr(docx_document, "MAX_PARAGRAPHS", 100)
    monkeypatch.setattr(docx_document, "MAX_SEGMENTS", 25)
    with pytest.raises(DocumentError, match="more than 25 sentences"):
        DocxDocument.load(path.read_bytes(), "ru")
    monkeypatch.setattr(docx_document, "MAX_SEGMENTS", 30)
    assert len(DocxDocument.load(path.read_bytes(), "ru").segments) == 30


def test_control_characters_are_escaped_not_sent_to_the_terminal(tmp_path: Path) -> None:
    assert visible("a\x1b[2Jb\rc\td é") == "a\\x1b[2Jb\\rc\\td é"
    named = tmp_path / "\x1b[2J\x1b[31mred\r.yaml"  # clears the screen when echoed raw
    result = run("contests", "validate", str(named), ok=False)
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert_one_line_error(result, "\\x1b[2J\\x1b[31mred\\r.yaml: no such file")
