"""Realistic Russian .docx files for the tests: every story and every inline element.

Built with python-docx plus raw WordprocessingML where python-docx has no API (footnotes,
endnotes, text boxes, content controls, fields, revision ids and proofing marks), the way Word
itself writes them.
"""

from __future__ import annotations

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

NSDECLS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
)
RU = '<w:lang w:val="ru-RU"/>'


def run(text: str, rpr: str = "", rsid: str = "00A1B2C3") -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return (f'<w:r w:rsidR="{rsid}"><w:rPr>{rpr}{RU}</w:rPr>'
            f"<w:t{space}>{text}</w:t></w:r>")


def para(content: str, ppr: str = "") -> str:
    return f"<w:p {NSDECLS}><w:pPr>{ppr}</w:pPr>{content}</w:p>"


BOLD, ITALIC, UNDERLINE = "<w:b/>", "<w:i/>", '<w:u w:val="single"/>'

PARAGRAPHS = {
    "formatting": run("Город Ставрополь реализует ")
    + run("практику", BOLD)
    + run(" «Культура для всех» с ")
    + run("2019 г.", ITALIC)
    + " "[:0]
    + run(" Проект ")
    + run("поддержан", UNDERLINE)
    + run(" жителями."),
    "split_word": run("Делегация ")
    + run("Ставро", rsid="00111111")
    + '<w:proofErr w:type="spellStart"/>'
    + run("поль", rsid="00222222")
    + '<w:proofErr w:type="spellEnd"/>'
    + run("я посетила форум."),
    "hyperlink": run("Подробности на ")
    + '<w:hyperlink r:id="rIdLink1" w:history="1">'
    + run("сайте администрации", '<w:rStyle w:val="Hyperlink"/>')
    + "</w:hyperlink>"
    + run(" и в отчёте."),
    "breaks": run("Первая строка.")
    + '<w:r><w:br/></w:r>'
    + run("Вторая строка")
    + "<w:r><w:tab/></w:r>"
    + run("после табуляции.")
    + '<w:r><w:br w:type="page"/></w:r>'
    + run("Новая страница."),
    "footnote": run("Проект реализуется с 2019 г. на средства бюджета")
    + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
    '<w:footnoteReference w:id="1"/></w:r>'
    + run(" и при поддержке партнёров")
    + '<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr>'
    '<w:endnoteReference w:id="1"/></w:r>'
    + run("."),
    "fields": run("Дата составления: ")
    + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> DATE \\@ "dd.MM.yyyy" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    + run("01.03.2024")
    + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    + run(", страница ")
    + '<w:fldSimple w:instr=" PAGE ">' + run("1") + "</w:fldSimple>"
    + run(" отчёта о работе."),
    "bookmark": '<w:bookmarkStart w:id="7" w:name="_Toc1"/>'
    + run("Цели устойчивого развития в городе")
    + '<w:bookmarkEnd w:id="7"/>',
    "content_control": run("Ответственный: ")
    + '<w:sdt><w:sdtPr><w:alias w:val="Ответственный"/><w:tag w:val="responsible"/>'
    "</w:sdtPr><w:sdtContent>"
    + run("начальник отдела международных связей")
    + "</w:sdtContent></w:sdt>"
    + run(" администрации."),
    "glossary": run("Решение принято Ставропольской городской Думой, а глава города Ставрополя "
                    "поддержал инициативу."),
    "numbers": run("Контакты: irdept@stavropol.ru, сайт https://stavropol.ru/ , "
                   "тел. 8 (8652) 26-80-09. Бюджет 1 250 000 руб."),
    "abbreviations": run("Форум прошёл в г. Ставрополе на ул. Ленина, т.е. в центре. "
                         "Его открыл И.И. Ульянов."),
}

TEXTBOX = (
    f"<w:p {NSDECLS}>"
    + run("Врезка: ")
    + '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
    'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
    '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
    '</wp:posOffset></wp:positionV><wp:extent cx="1828800" cy="457200"/>'
    '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
    '<wp:docPr id="10" name="Text Box 10"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData '
    'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    "<wps:wsp><wps:cNvSpPr txBox=\"1\"/><wps:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
    '<a:ext cx="1828800" cy="457200"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
    "</a:prstGeom></wps:spPr><wps:txbx><w:txbxContent>"
    "<w:p>" + run("Текст во врезке о побратимах.") + "</w:p>"
    "</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
    "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
    '<v:shape id="tb10" style="width:144pt;height:36pt" type="#_x0000_t202"><v:textbox>'
    "<w:txbxContent><w:p>" + run("Текст во врезке о побратимах.") + "</w:p></w:txbxContent>"
    "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    + run(" конец абзаца.")
    + "</w:p>"
)

BLOCK_SDT = (
    f'<w:sdt {NSDECLS}><w:sdtPr><w:tag w:val="summary"/></w:sdtPr><w:sdtContent>'
    + "<w:p>" + run("Краткое описание практики в элементе управления.") + "</w:p>"
    + "</w:sdtContent></w:sdt>"
)

NOTES_XML = (
    '<w:{kind}s {ns}><w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
    '</w:p></w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
    '<w:continuationSeparator/></w:r></w:p></w:{kind}><w:{kind} w:id="1"><w:p><w:pPr>'
    '<w:pStyle w:val="{style}"/></w:pPr><w:r><w:rPr><w:rStyle w:val="{ref}"/></w:rPr>'
    "<w:{kind}Ref/></w:r>{text}</w:p></w:{kind}></w:{kind}s>"
)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _add_notes(document: docx.document.Document, kind: str, text: str) -> None:
    style = "FootnoteText" if kind == "footnote" else "EndnoteText"
    ref = "FootnoteReference" if kind == "footnote" else "EndnoteReference"
    xml = NOTES_XML.format(kind=kind, ns=NSDECLS, style=style, ref=ref, text=run(text))
    part = Part(
        PackURI(f"/word/{kind}s.xml"),
        f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml",
        xml.encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)


def _body(document: docx.document.Document, xml: str) -> None:
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def _table(document: docx.document.Document) -> None:
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Показатель"
    table.cell(0, 1).text = "Значение"
    table.cell(1, 0).text = "Число участников форума"
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Вложенная таблица"
    inner.cell(0, 1).text = "350 человек"


def build_full_document() -> bytes:
    """Every story and inline element the translator must keep."""
    document = docx.Document()
    document.add_heading("Заявка города Ставрополя на премию «Культура 21»", level=1)
    for key, content in PARAGRAPHS.items():
        ppr = '<w:pStyle w:val="Heading2"/>' if key == "bookmark" else ""
        _body(document, para(content, ppr))
    document.part.rels.get_or_add_ext_rel(RT.HYPERLINK, "https://stavropol.ru/")
    _fix_link_id(document)
    document.add_paragraph("Фотография победителей конкурса:")
    document.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
    _table(document)
    _body(document, TEXTBOX)
    _body(document, BLOCK_SDT)
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = "Администрация города Ставрополя"
    section.footer.paragraphs[0].text = "Отдел международных и межрегиональных связей"
    _add_notes(document, "footnote", "Решение Ставропольской городской Думы от 12 мая 2019 г.")
    _add_notes(document, "endnote", "По данным комитета экономического развития.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _fix_link_id(document: docx.document.Document) -> None:
    rel_id = next(r.rId for r in document.part.rels.values() if r.reltype == RT.HYPERLINK)
    for link in document.element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink"
    ):
        link.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
                 rel_id)


def build_simple_document(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_form_document() -> bytes:
    """An application form: label/value tables with merged cells, a bulleted list, a header
    with a PAGE field and a footer with an e-mail link, runs split by revision ids."""
    document = docx.Document()
    document.add_heading("Форма заявки на премию", level=1)
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    title = table.cell(0, 0).merge(table.cell(0, 2))
    title.text = "2.2 Сведения о главе города"
    for row, (label, value) in enumerate([("Должность", "Глава города Ставрополя"),
                                          ("Телефон", "+7 (8652) 00-00-00"),
                                          ("Город", "Ставрополь, 355006")], start=1):
        table.cell(row, 0).text = label
        merged = table.cell(row, 1).merge(table.cell(row, 2))
        merged.text = value
    for item in ("Сохранение казачьей культуры.", "Участие молодёжи в фестивалях."):
        document.add_paragraph(item, style="List Bullet")
    _body(document, para(run("Ответ подготовил ", rsid="00AA0001")
                         + run("отдел международных", rsid="00AA0002")
                         + run(" и межрегиональных связей.", rsid="00AA0003")))
    header = document.sections[0].header.paragraphs[0]
    header._p.append(parse_xml(
        f'<w:r {NSDECLS}><w:t xml:space="preserve">Страница </w:t></w:r>'))
    for xml in ('<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r {ns}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
                '<w:r {ns}><w:t>1</w:t></w:r>',
                '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>'):
        header._p.append(parse_xml(xml.format(ns=NSDECLS)))
    footer = document.sections[0].footer.paragraphs[0]
    rel = footer.part.relate_to("mailto:intl@stavropol.example", RT.HYPERLINK, is_external=True)
    footer.add_run("Пишите: ")
    footer._p.append(parse_xml(
        f'<w:hyperlink {NSDECLS} r:id="{rel}">' + run("intl@stavropol.example") +
        "</w:hyperlink>"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
