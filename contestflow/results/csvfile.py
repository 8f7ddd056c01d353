"""Reading a CSV the way people actually save it: a BOM, ``;`` from a Russian-locale Excel,
Windows-1251. Each of these is recognised and said aloud, never silently guessed wrong.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

COLUMNS = ("year", "contest", "edition", "nomination", "department", "outcome", "notes")
# Read when present: where the row is stated (the city's account, an organiser's page).
OPTIONAL_COLUMNS = ("reference",)
ALIASES = {
    "год": "year",
    "конкурс": "contest",
    "выпуск": "edition",
    "номинация": "nomination",
    "подразделение": "department",
    "результат": "outcome",
    "примечание": "notes",
    "примечания": "notes",
    "источник": "reference",
}
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_BYTES = 5 * 1024 * 1024
# A cell starting with one of these is a formula to Excel and LibreOffice (OWASP, "CSV
# Injection"): "=HYPERLINK(…)" in a result's notes would run when finance opens the file.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def protect(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: a leading apostrophe before a formula start.

    ``unprotect`` takes it off again, so our own CSV re-imports to the same text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unprotect(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


class CsvFileError(ValueError):
    """The file as a whole cannot be read; no row is looked at."""


@dataclass
class CsvTable:
    encoding: str
    delimiter: str
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    width: int = 0


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without a BOM), else
    Windows-1251, which Excel writes in Russian locales."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as error:
            raise CsvFileError(f"cannot read the file as {encoding}: {error}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8 with BOM"
        except UnicodeDecodeError as error:
            raise CsvFileError(
                f"the file starts with a UTF-8 BOM but is not UTF-8: {error}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1251"), "windows-1251"


def _refuse_binary(data: bytes) -> None:
    if not data.strip():
        raise CsvFileError("the file is empty")
    if data.startswith(b"PK\x03\x04"):
        raise CsvFileError("this is an Excel workbook, not a CSV: save it as CSV (UTF-8) first")
    if len(data) > MAX_BYTES:
        raise CsvFileError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")


def _header_key(cell: str) -> str:
    key = cell.strip().strip('"').strip().lower()
    return ALIASES.get(key, key)


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most of our column names."""
    best, best_hits = ",", -1
    for delimiter in DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        hits = sum(_header_key(cell) in COLUMNS + OPTIONAL_COLUMNS for cell in cells)
        if hits > best_hits:
            best, best_hits = delimiter, hits
    return best


def _header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    extra: list[str] = []
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        if key in COLUMNS + OPTIONAL_COLUMNS and key not in columns:
            columns[key] = index
        elif key in COLUMNS + OPTIONAL_COLUMNS:
            raise CsvFileError(f"the header names the column {key!r} twice")
        elif key:
            extra.append(cell.strip())
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        raise CsvFileError(
            f"the header lacks {', '.join(missing)} (expected: {','.join(COLUMNS)}; "
            f"found: {','.join(c.strip() for c in cells)})"
        )
    return columns, extra


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) for every record; a quoted field may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise CsvFileError(f"line {reader.line_num}: not valid CSV ({error})") from None


def read_table(data: bytes, encoding: str | None = None) -> CsvTable:
    """Decode, find the delimiter and the header; the rows stay as text for checking."""
    _refuse_binary(data)
    text, used = decode(data, encoding)
    if "\x00" in text:
        raise CsvFileError("the file holds binary data, not text")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _sniff_delimiter(first_line)
    records = _records(text, delimiter)
    table: CsvTable | None = None
    for line, cells in records:
        if table is None:
            if not any(cell.strip() for cell in cells):
                continue
            columns, extra = _header(cells)
            table = CsvTable(encoding=used, delimiter=delimiter, columns=columns, width=len(cells))
            if extra:
                table.notices.append(f"columns ignored: {', '.join(extra)}")
            continue
        if any(cell.strip() for cell in cells):
            table.rows.append((line, cells))
    assert table is not None  # the file is not blank, so it has a first row
    if used != "utf-8":
        table.notices.append(f"read as {used}")
    if delimiter != ",":
        table.notices.append(f"fields separated by {DELIMITER_NAMES[delimiter]}s")
    return table
