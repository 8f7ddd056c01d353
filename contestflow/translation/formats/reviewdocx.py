"""The bilingual review document: one table row per segment, made for Word.

Columns: ID, source, target, origin (with match score), QA flags, comment, status, titled in
the reviewer's language (Russian unless asked otherwise). A reviewer edits the target, comment
and status in Word; re-import finds the table by its header, the columns by their titles in
either language and the rows by ID, so sorting, filtering, deleting rows, adding columns or
tracked changes do not confuse it. The source document's fingerprint and the
language pair are kept in the file's properties; the caller refuses a file whose source column
no longer matches the document.
"""

from __future__ import annotations

import io
import json
import zipfile

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from contestflow.i18n import LANGUAGES, N_, tr
from contestflow.translation.docx.package import W, parse_xml, w
from contestflow.translation.errors import FormatError
from contestflow.translation.formats.base import ExchangeUnit, TranslationStore
from contestflow.translation.inline import DISPLAY_RE
from contestflow.translation.qa import flag_text
from contestflow.translation.records import REVIEW_STATE_NAMES

COLUMNS: dict[str, str] = {
    "id": N_("ID"), "source": N_("Source"), "target": N_("Target"), "origin": N_("Origin"),
    "qa": N_("Checks"), "comment": N_("Comment"), "status": N_("Status"),
}
# A landscape A4 page less 1.5 cm margins is 26.7 cm: source and target take 64% of it.
PAGE_CM, MARGIN_CM = (29.7, 21.0), 1.5
WIDTHS_CM = (1.8, 8.6, 8.6, 1.7, 1.9, 2.1, 2.0)
WIDE = (1, 2)  # source and target
TWIPS_PER_CM = 567
SMALL_HALF_POINTS = 16  # the narrow columns' text, 8 pt, so that "approved" fits its cell
MARKER = "contestflow-review"
# What a reviewer may write in the Status column: the state names in either language, and
# the words people type anyway.
STATUS_WORDS = {
    **{tr(lang, name).lower(): state for state, name in REVIEW_STATE_NAMES.items()
       for lang in LANGUAGES},
    "approve": "approved", "ok": "approved", "одобрено": "approved", "": "",
}
INSTRUCTIONS = N_(
    "Edit the %(target)s, %(comment)s and %(status)s columns only. Keep the markers such as "
    "{1}…{/1} (formatting or a link) and {2/} (a tab, picture, footnote or field) around the "
    "same words. Write “%(approved)s” in %(status)s for every row you accept: approved rows go "
    "into the translation memory. Do not change the %(source)s column or the %(id)s."
)


def _cell(row: etree._Element, text: str, width_cm: float, grey_tags: bool = False,
          small: bool = False) -> None:
    cell = etree.SubElement(row, w("tc"))
    props = etree.SubElement(cell, w("tcPr"))
    etree.SubElement(props, w("tcW"), {w("w"): _twips(width_cm), w("type"): "dxa"})
    paragraph = etree.SubElement(cell, w("p"))
    position = 0
    matches = list(DISPLAY_RE.finditer(text)) if grey_tags else []
    for match in matches:
        _run(paragraph, text[position : match.start()])
        _run(paragraph, match.group(0), grey=True)
        position = match.end()
    _run(paragraph, text[position:], small=small)


def _run(paragraph: etree._Element, text: str, grey: bool = False, small: bool = False) -> None:
    if not text:
        return
    run = etree.SubElement(paragraph, w("r"))
    if grey or small:
        props = etree.SubElement(run, w("rPr"))
        if grey:
            etree.SubElement(props, w("color"), {w("val"): "808080"})
        if small:
            etree.SubElement(props, w("sz"), {w("val"): str(SMALL_HALF_POINTS)})
    node = etree.SubElement(run, w("t"))
    node.text = text
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _twips(width_cm: float) -> str:
    return str(round(width_cm * TWIPS_PER_CM))


def _lay_out(tbl: etree._Element) -> None:
    """The grid, the header's cells and the table's width all say WIDTHS_CM, at a fixed
    layout: Word reads the cells' widths, LibreOffice the grid, and both must see the same."""
    props = tbl.find(w("tblPr"))
    assert props is not None
    for name in ("tblW", "tblLayout"):
        for old in props.findall(w(name)):
            props.remove(old)
    etree.SubElement(props, w("tblW"), {w("w"): _twips(sum(WIDTHS_CM)), w("type"): "dxa"})
    etree.SubElement(props, w("tblLayout"), {w("type"): "fixed"})
    _order_table_properties(props)
    grid = tbl.find(w("tblGrid"))
    assert grid is not None
    for column in list(grid):
        grid.remove(column)
    for width in WIDTHS_CM:
        etree.SubElement(grid, w("gridCol"), {w("w"): _twips(width)})
    header = tbl.find(w("tr"))
    assert header is not None
    for index, (cell, width) in enumerate(zip(header.findall(w("tc")), WIDTHS_CM,
                                              strict=True)):
        if index not in WIDE:
            for run in cell.iter(w("r")):
                run_props = run.find(w("rPr"))
                if run_props is None:
                    run_props = etree.Element(w("rPr"))
                    run.insert(0, run_props)
                etree.SubElement(run_props, w("sz"), {w("val"): str(SMALL_HALF_POINTS)})
        cell_props = cell.find(w("tcPr"))
        if cell_props is None:
            cell_props = etree.Element(w("tcPr"))
            cell.insert(0, cell_props)
        for old in cell_props.findall(w("tcW")):
            cell_props.remove(old)
        cell_props.insert(0, etree.Element(w("tcW"), {w("w"): _twips(width), w("type"): "dxa"}))


# CT_TblPr's sequence: Word refuses a file whose table properties are out of this order.
_TBL_PR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                 "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                 "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def _order_table_properties(props: etree._Element) -> None:
    rank = {w(name): index for index, name in enumerate(_TBL_PR_ORDER)}
    children = sorted(props, key=lambda child: rank.get(child.tag, len(rank)))
    props[:] = children


class ReviewDocx(TranslationStore):
    Name = "bilingual review document"
    Extensions = ("docx",)
    Kind = "review"

    @property
    def language(self) -> str:
        """The language the reviewer reads the document in."""
        return str(self.meta.get("lang", "ru"))

    def serialize(self) -> bytes:
        document = docx.Document()
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        lang = self.language
        pair = f"{self.source_lang} → {self.target_lang}"
        title = (tr(lang, N_("Translation review: %(name)s (%(pair)s)"),
                    name=self.meta["title"], pair=pair) if self.meta.get("title") else
                 tr(lang, N_("Translation review (%(pair)s)"), pair=pair))
        document.add_heading(title, level=1)
        names = {key: tr(lang, title) for key, title in COLUMNS.items()}
        note = document.add_paragraph().add_run(tr(
            lang, INSTRUCTIONS, **names, approved=tr(lang, REVIEW_STATE_NAMES["approved"])))
        note.font.size, note.font.color.rgb = Pt(9), RGBColor(0x55, 0x55, 0x55)
        meta = {"marker": MARKER, "source_lang": self.source_lang,
                "target_lang": self.target_lang, **{k: v for k, v in self.meta.items()
                                                     if isinstance(v, str | int)}}
        document.core_properties.comments = json.dumps(meta, ensure_ascii=False)
        document.core_properties.title = str(title)
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Table Grid"
        headers = [f"{names[key]} ({self.source_lang})" if key == "source" else
                   f"{names[key]} ({self.target_lang})" if key == "target" else names[key]
                   for key in COLUMNS]
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
        self._rows(table._tbl)
        _lay_out(table._tbl)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def _rows(self, tbl: etree._Element) -> None:
        header = tbl.find(w("tr"))
        assert header is not None
        props = header.get_or_add_trPr() if hasattr(header, "get_or_add_trPr") else None
        if props is not None:
            etree.SubElement(props, w("tblHeader"))
        for unit in self.units:
            row = etree.SubElement(tbl, w("tr"))
            state = REVIEW_STATE_NAMES.get(unit.state)
            values = (unit.id, unit.source, unit.target, unit.origin,
                      "\n".join(flag_text(self.language, f) for f in unit.flags), unit.comment,
                      tr(self.language, state) if state else unit.state)
            for index, (value, width) in enumerate(zip(values, WIDTHS_CM, strict=True)):
                _cell(row, value, width, grey_tags=index in WIDE, small=index not in WIDE)

    @classmethod
    def parse(cls, data: bytes, source_lang: str = "ru", target_lang: str = "en"
              ) -> ReviewDocx:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            body = parse_xml(archive.read("word/document.xml"), "word/document.xml")
            core = archive.read("docProps/core.xml") if "docProps/core.xml" in \
                archive.namelist() else b""
        except (zipfile.BadZipFile, KeyError):
            raise FormatError(N_("the review file is not a Word document")) from None
        meta = _meta(core)
        if meta.get("marker") != MARKER:
            raise FormatError(N_("this is not a review document written by contestflow"))
        table, columns = _find_table(body)
        units = [u for u in (_unit(row, columns) for row in table.findall(w("tr"))[1:]) if u]
        return cls(units, meta.get("source_lang", source_lang),
                   meta.get("target_lang", target_lang), meta)


def _meta(core: bytes) -> dict[str, str]:
    if not core:
        return {}
    root = parse_xml(core, "docProps/core.xml")
    node = root.find("{http://purl.org/dc/elements/1.1/}description")
    try:
        loaded = json.loads(node.text or "{}") if node is not None else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def cell_text(cell: etree._Element) -> str:
    paragraphs = []
    for paragraph in cell.iter(w("p")):
        parts = []
        for node in paragraph.iter(w("t"), w("tab"), w("br")):
            if any(a.tag in (w("del"), w("moveFrom")) for a in node.iterancestors()):
                continue
            parts.append(node.text or "" if node.tag == w("t") else " ")
        paragraphs.append("".join(parts))
    return " ".join(p for p in paragraphs if p).strip()


def _find_table(body: etree._Element) -> tuple[etree._Element, dict[str, int]]:
    for table in body.iter(w("tbl")):
        first = table.find(w("tr"))
        if first is None:
            continue
        titles = [cell_text(c).lower() for c in first.findall(w("tc"))]
        columns = {}
        for key in ("id", "source", "target", "comment", "status"):
            names = tuple(tr(lang, COLUMNS[key]).lower() for lang in LANGUAGES)
            index = next((i for i, t in enumerate(titles) if t.startswith(names)), None)
            if index is not None:
                columns[key] = index
        if {"id", "source", "target"} <= set(columns):
            return table, columns
    raise FormatError(N_("the review document has no table with the ID, Source and Target "
                         "columns: send back the file contestflow wrote"))


def _unit(row: etree._Element, columns: dict[str, int]) -> ExchangeUnit | None:
    cells = row.findall(w("tc"))
    values = {key: cell_text(cells[i]) if i < len(cells) else "" for key, i in columns.items()}
    if not values["id"]:
        return None
    status = STATUS_WORDS.get(values.get("status", "").strip().lower())
    if status is None:
        raise FormatError(N_("row %(id)s: unknown status “%(status)s” (write approved, reviewed "
                             "or draft)"), id=values["id"], status=values["status"])
    return ExchangeUnit(id=values["id"], source=values["source"], target=values["target"],
                        comment=values.get("comment", ""), state=status)


__all__ = ["ReviewDocx", "W", "cell_text"]
