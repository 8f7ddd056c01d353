"""The bilingual review document laid out for reading: the grid and the cells agree (Word reads
the cells, LibreOffice the grid), and source and target take most of a landscape page, as
LibreOffice renders it to PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from contestflow.translation.docx.package import W
from contestflow.translation.formats.base import ExchangeUnit
from contestflow.translation.formats.reviewdocx import (
    MARGIN_CM,
    PAGE_CM,
    TWIPS_PER_CM,
    WIDTHS_CM,
    ReviewDocx,
)

ROWS = 32
POINTS_PER_CM = 72 / 2.54


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


# The first row's cells hold words found nowhere else, so that the columns are measured by
# their contents, whatever language the headers are in.
PROBES = ("body:0.1", "Зонд", "Probe", "orgx", "qax",
          "cmtx")


def _review() -> bytes:
    probe = ExchangeUnit(id=PROBES[0], source=PROBES[1], target=PROBES[2], origin=PROBES[3],
                         flags=[PROBES[4]], comment=PROBES[5])
    units = [probe] + [ExchangeUnit(
        id=f"body:{i}.1",
        source=f"Город Ставрополь {{1}}реализует{{/1}} практику «Культура для всех» с 2019 года "
               f"вместе с жителями, строка {i}.",
        target=f"Stavropol {{1}}has carried out{{/1}} the practice with its residents since "
               f"2019, row {i}.",
        origin="memory", score=87, state="approved" if i % 2 else "draft",
        flags=["numbers differ"] if i % 3 == 0 else []) for i in range(2, ROWS + 1)]
    return ReviewDocx(units, "ru", "en", {"title": "Проверка перевода"}).serialize()


def test_the_grid_the_cells_and_the_table_say_the_same_widths() -> None:
    assert sum(WIDTHS_CM) == pytest.approx(PAGE_CM[0] - 2 * MARGIN_CM)
    with zipfile.ZipFile(io.BytesIO(_review())) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    [table] = body.iter(_w("tbl"))
    wanted = [round(width * TWIPS_PER_CM) for width in WIDTHS_CM]
    grid = [int(column.get(_w("w"))) for column in table.iter(_w("gridCol"))]
    assert grid == wanted
    rows = table.findall(_w("tr"))
    assert len(rows) == ROWS + 1  # the header and the rows
    for row in rows:
        cells = [int(cell.find(f"{_w('tcPr')}/{_w('tcW')}").get(_w("w")))
                 for cell in row.findall(_w("tc"))]
        assert cells == wanted
    props = table.find(_w("tblPr"))
    assert props.find(_w("tblLayout")).get(_w("type")) == "fixed"
    assert int(props.find(_w("tblW")).get(_w("w"))) == pytest.approx(sum(wanted), abs=2)
    order = [etree.QName(child).localname for child in props]
    assert order.index("tblStyle") < order.index("tblW") < order.index("tblLayout")
    # Nothing else changed: the file still reads back row by row.
    assert len(ReviewDocx.parse(_review()).units) == ROWS


def _positions(pdf: bytes) -> tuple[int, float, dict[str, float]]:
    """Pages, page width and the x of each text on the first page, in points."""
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0]
    found: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        title = text.strip()
        if title and title not in found:
            found[title] = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]

    first.extract_text(visitor_text=visit)
    return len(reader.pages), float(first.mediabox.width), found


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_gives_source_and_target_most_of_a_landscape_page(tmp_path: Path) -> None:
    review = tmp_path / "review.docx"
    review.write_bytes(_review())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(review)], check=True, capture_output=True, timeout=120)
    pages, page_width, x = _positions((tmp_path / "review.pdf").read_bytes())
    assert page_width == pytest.approx(PAGE_CM[0] * POINTS_PER_CM, abs=1)  # landscape A4
    assert all(probe in x for probe in PROBES), sorted(x)  # each on one line, none wrapped
    lefts = [x[probe] for probe in PROBES]
    widths = [(b - a) / POINTS_PER_CM for a, b in pairwise(lefts)]
    assert widths == pytest.approx(list(WIDTHS_CM[:5]), abs=0.1)
    source, target = widths[1], widths[2]
    usable = PAGE_CM[0] - 2 * MARGIN_CM
    assert source / usable > 0.3 and target / usable > 0.3 and (source + target) / usable > 0.6
    assert pages <= 4  # 32 rows took six pages when each text had a seventh of the width
