"""Certificates and letters that come with a result: checked by their real type, then stored.

Only scans and PDFs are accepted (the organiser's diploma, a letter of thanks): the first bytes
must say PDF, PNG or JPEG whatever the file is called. The file goes to the content-addressed
store before any row points at it; a refusal keeps nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from contestflow.errors import Refusal
from contestflow.i18n import N_
from contestflow.store import CHUNK_SIZE, FileTooLarge, LocalFileStore, StoredFile

MAX_CERTIFICATE_BYTES = 20 * 1024 * 1024
SIGNATURES: dict[bytes, tuple[str, str]] = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}
HEAD_BYTES = max(len(signature) for signature in SIGNATURES)


class CertificateRefused(Refusal, ValueError):
    """The file is not a PDF, PNG or JPEG, is empty, or is too large."""


def sniff(head: bytes) -> tuple[str, str] | None:
    """``(media type, extension)`` from a file's first bytes, or None for anything else."""
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def _checked(chunks: Iterable[bytes], filename: str) -> Iterator[bytes]:
    head = b""
    held: list[bytes] = []
    checked = False
    for chunk in chunks:
        if checked:
            yield chunk
            continue
        head += chunk
        held.append(chunk)
        if len(head) >= HEAD_BYTES:
            if sniff(head) is None:
                raise CertificateRefused(N_("%(file)s: a certificate must be a PDF, PNG or JPEG"),
                                         file=filename)
            checked = True
            yield from held
    if not checked:
        if not head:
            raise CertificateRefused(N_("%(file)s: the file is empty"), file=filename)
        if sniff(head) is None:
            raise CertificateRefused(N_("%(file)s: a certificate must be a PDF, PNG or JPEG"),
                                     file=filename)
        yield from held


def store_certificate(
    store: LocalFileStore, chunks: Iterable[bytes], filename: str
) -> StoredFile:
    """Check and store one certificate; raises ``CertificateRefused`` and keeps nothing."""
    try:
        return store.put_stream(_checked(chunks, filename), max_size=MAX_CERTIFICATE_BYTES)
    except FileTooLarge as error:
        raise CertificateRefused(f"{filename}: {error}") from None


def file_chunks(path: Path) -> Iterator[bytes]:
    """The bytes of ``path`` in chunks; a missing file is refused when the first is read."""
    if not path.is_file():
        raise CertificateRefused(N_("%(file)s: no such file"), file=path)
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(CHUNK_SIZE), b"")


def certificate_kind(store: LocalFileStore, digest: str) -> tuple[str, str]:
    """``(media type, extension)`` of a stored certificate, read from its first bytes."""
    with store.open(digest) as handle:
        kind = sniff(handle.read(HEAD_BYTES))
    return kind or ("application/octet-stream", "bin")
