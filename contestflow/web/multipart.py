"""Receiving one uploaded file as it streams in: to a temp file in the workspace, never memory.

Starlette's own form parser spools files to the system temp folder and only learns their size
at the end. This receiver parses the multipart body chunk by chunk (python-multipart's
callback parser), refuses as early as it can (a bad name or a missing CSRF token before a single
byte of the file is written; one byte past the cap at that byte), and writes in 1 MiB batches
from a worker thread so the event loop stays free. Memory per upload stays around a megabyte
whatever the file size.

Two routes use it: the intake (one file, required, in the field ``file``; ``receive``) and the
results page (a form of small fields with an optional certificate; ``receive_form``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from contestflow.intake.errors import AccessRefused, IntakeError, UploadRefused
from contestflow.intake.filenames import MAX_NAME_BYTES, check_filename
from contestflow.sweep import hold_upload, release_upload
from contestflow.web.sessions import CSRF_FIELD, csrf_matches

FLUSH_AT = 1024 * 1024
FIELD_LIMIT = 4096
MAX_FIELDS = 8
MAX_HEADER_BYTES = 4 * MAX_NAME_BYTES + 200  # a name's header, %-escaped, with its field
FORM_OVERHEAD = 64 * 1024  # boundaries, part headers and the small fields around the file
DRAIN_LIMIT = 64 * 1024 * 1024


@dataclass
class ReceivedFile:
    path: Path
    filename: str
    size: int
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class ReceivedForm:
    """A form whose file is optional: its small fields, and the file if one was chosen."""

    fields: dict[str, str]
    file: ReceivedFile | None


class UploadReceiver:
    """Parses one ``multipart/form-data`` body with at most one file, in the field
    ``file_field`` (``file`` unless told otherwise), and up to ``max_fields`` small fields."""

    def __init__(self, content_type: str, tmp_dir: Path, max_bytes: int,
                 csrf_expected: str | None, refusal_params: dict[str, object], *,
                 file_field: str = "file", max_fields: int = MAX_FIELDS,
                 field_limit: int = FIELD_LIMIT) -> None:
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise UploadRefused("malformed")
        self.boundary = boundary
        self.tmp_dir = tmp_dir
        self.max_bytes = max_bytes
        self.csrf_expected = csrf_expected
        self.refusal_params = refusal_params
        self.file_field = file_field
        self.max_fields = max_fields
        self.field_limit = field_limit
        self._file_optional = False
        self.fields: dict[str, str] = {}
        self.filename = ""
        self.size = 0
        self.path: Path | None = None
        self._hold: int | None = None
        self._file: BinaryIO | None = None
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._reset_part()

    def _reset_part(self) -> None:
        self._header_name = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._field_name: str | None = None
        self._field_value = bytearray()
        self._in_file = False
        self._skipping = False

    @property
    def body_limit(self) -> int:
        """The most a whole body may hold: the file, the small fields, and room for the
        boundaries and part headers (the intake's 8 fields of 4 KiB fit in ``FORM_OVERHEAD``)."""
        return self.max_bytes + max(FORM_OVERHEAD,
                                    self.max_fields * self.field_limit + FORM_OVERHEAD // 2)

    def refuse_declared(self, content_length: str) -> None:
        """Refuse a body whose declared length is already over the limit, before reading it."""
        if content_length.isdigit() and int(content_length) > self.body_limit:
            raise UploadRefused("too_large", **self.refusal_params)

    # python-multipart callbacks: plain functions, called from ``parser.write``.
    def on_part_begin(self) -> None:
        self._reset_part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        if len(self._header_value) > MAX_HEADER_BYTES and self._names_a_file():
            raise UploadRefused("name_too_long")

    def _why_unparsable(self, error: FormParserError) -> UploadRefused:
        """A name too long for the parser's header limit, or a line break inside the name
        (which ends its header early), is said as such: sending the same file again, as
        "malformed" advises, cannot help."""
        disposition = self._header_name.strip().lower() == b"content-disposition"
        if disposition and "header size" in str(error).lower():
            return UploadRefused("name_too_long")
        read = self._header_value if disposition else self._headers.get(
            b"content-disposition", b"")
        _, quote, name = read.partition(b'filename="')
        if quote and b'"' not in name:  # the name's quotes never closed: cut by a line break
            return UploadRefused("name_line_break")
        return UploadRefused("malformed")

    def _names_a_file(self) -> bool:
        """Whether the header being read is the file's Content-Disposition, with its name."""
        return (self._header_name.strip().lower() == b"content-disposition"
                and b"filename" in self._header_value)

    def on_header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        disposition = self._headers.get(b"content-disposition")
        if disposition is None:
            raise UploadRefused("malformed")
        _, options = parse_options_header(disposition)
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.fields) >= self.max_fields:
                raise UploadRefused("malformed")
            self._field_name = name
            return
        if name != self.file_field or self.path is not None:
            raise UploadRefused("malformed")  # one file per upload, in its own field
        self._require_csrf()
        if self._file_optional and not options[b"filename"]:
            self._skipping = True  # a browser sends an empty, nameless part when none is chosen
            return
        try:
            self.filename = options[b"filename"].decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused("bad_name") from None
        check_filename(self.filename)  # refuse a disguised name before writing a byte
        fd, temp_name = tempfile.mkstemp(dir=self.tmp_dir, prefix="upload-", suffix=".part")
        self.path, self._file, self._in_file = Path(temp_name), os.fdopen(fd, "wb"), True
        self._hold = hold_upload(self.path)  # the start-up sweep leaves it alone till discard

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._skipping:
            return
        if self._in_file:
            self.size += end - start
            if self.size > self.max_bytes:
                raise UploadRefused("too_large", **self.refusal_params)
            self._pending.append(data[start:end])
            self._pending_size += end - start
        else:
            self._field_value += data[start:end]
            if len(self._field_value) > self.field_limit:
                raise UploadRefused("malformed")

    def on_part_end(self) -> None:
        if not self._in_file and self._field_name is not None:
            self.fields[self._field_name] = self._field_value.decode("utf-8", "replace")
        self._in_file = False

    def _require_csrf(self) -> None:
        if self.csrf_expected is not None and not csrf_matches(self.csrf_expected,
                                                               self.fields.get(CSRF_FIELD)):
            raise AccessRefused("csrf")

    def _flush(self) -> None:
        if self._file is not None and self._pending:
            self._file.write(b"".join(self._pending))
        self._pending.clear()
        self._pending_size = 0

    def _close(self) -> None:
        self._flush()
        if self._file is not None:
            self._file.flush()
            self._file.close()
            self._file = None

    def discard(self) -> None:
        """Remove whatever was written: a refused or broken upload leaves nothing behind."""
        self._pending.clear()
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None
        if self._hold is not None:
            release_upload(self._hold)
            self._hold = None

    async def receive(self, chunks: AsyncIterator[bytes]) -> ReceivedFile:
        """Consume the body; on a refusal, drain what is left (so the client reads our answer)
        and raise it with nothing kept. A body without a file is refused."""
        await self._consume(chunks)
        if self.path is None:
            self._require_csrf()
            raise UploadRefused("no_file")
        return ReceivedFile(self.path, self.filename, self.size, self.fields)

    async def receive_form(self, chunks: AsyncIterator[bytes]) -> ReceivedForm:
        """Like ``receive``, but the file may be missing (or sent empty and nameless, as a
        browser does when none is chosen): the form's fields alone are then the answer."""
        self._file_optional = True
        await self._consume(chunks)
        if self.path is None:
            self._require_csrf()
            return ReceivedForm(self.fields, None)
        return ReceivedForm(self.fields, ReceivedFile(self.path, self.filename, self.size,
                                                      self.fields))

    async def _consume(self, chunks: AsyncIterator[bytes]) -> None:
        parser = MultipartParser(self.boundary, {  # type: ignore[arg-type]
            "on_part_begin": self.on_part_begin, "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end, "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value, "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        })
        received = 0
        try:
            async for chunk in chunks:
                received += len(chunk)
                if received > self.body_limit:
                    raise UploadRefused("too_large", **self.refusal_params)
                parser.write(chunk)
                if self._pending_size >= FLUSH_AT:
                    await run_in_threadpool(self._flush)
            parser.finalize()
            await run_in_threadpool(self._close)
        except FormParserError as error:
            self.discard()
            await drain(chunks)
            raise self._why_unparsable(error) from None
        except IntakeError:
            self.discard()
            await drain(chunks)
            raise
        except BaseException:
            self.discard()
            raise


async def drain(chunks: AsyncIterator[bytes]) -> None:
    """Read and drop the rest of a refused body, up to a limit: a server that answers while
    the client is still sending resets the connection, and the client never sees why."""
    drained = 0
    try:
        async for chunk in chunks:
            drained += len(chunk)
            if drained > DRAIN_LIMIT:
                return
    except Exception:  # the client went away or the stream was already consumed
        return


async def drain_unless_huge(content_length: str, chunks: AsyncIterator[bytes]) -> None:
    """``drain``, unless the body declared more than we would ever read: then answer at once."""
    if content_length.isdigit() and int(content_length) > DRAIN_LIMIT:
        return
    await drain(chunks)
