"""A content-addressed file store: every file is kept under its sha256, written atomically.

A write goes to a temporary file in the store's own ``tmp/`` folder (same filesystem), is
fsynced, then renamed into place and the folder fsynced; only then may a database row point at
it. So a crash leaves at worst an orphan temp file, never a row pointing at a partial file.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from contestflow.files import fsync_dir

CHUNK_SIZE = 1024 * 1024


class FileTooLarge(ValueError):
    """Raised when a stream passes its size cap; nothing is kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file is larger than the {limit:,}-byte limit")
        self.limit = limit


class BlobNotFound(KeyError):
    pass


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class FileStore(Protocol):
    """What every store backend does."""

    def put_stream(self, chunks: Iterable[bytes], max_size: int | None = None) -> StoredFile:
        """Store the bytes of ``chunks``; refuse (keeping nothing) once past ``max_size``."""

    def put_bytes(self, data: bytes) -> StoredFile:
        """Store ``data`` whole."""

    def open(self, digest: str) -> BinaryIO:
        """Open a stored file for reading; ``BlobNotFound`` if absent."""

    def exists(self, digest: str) -> bool:
        """Whether a file with this digest is stored, complete."""

    def read_bytes(self, digest: str) -> bytes:
        """A stored file whole (for documents and attachments, never for large uploads)."""

    def path(self, digest: str) -> Path:
        """Where the file lives on disk (local backends only)."""


class LocalFileStore:
    """The store on a local or shared filesystem: ``root/ab/cd/abcd…``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._tmp = self.root / "tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a sha256 digest: {digest!r}")
        return self.root / digest[:2] / digest[2:4] / digest[4:]

    def exists(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def open(self, digest: str) -> BinaryIO:
        try:
            return self.path(digest).open("rb")
        except FileNotFoundError as error:
            raise BlobNotFound(digest) from error

    def read_bytes(self, digest: str) -> bytes:
        with self.open(digest) as handle:
            return handle.read()

    def put_bytes(self, data: bytes) -> StoredFile:
        return self.put_stream([data])

    def put_stream(self, chunks: Iterable[bytes], max_size: int | None = None) -> StoredFile:
        hasher = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="upload-")
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise FileTooLarge(max_size)
                    hasher.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            digest = hasher.hexdigest()
            final = self.path(digest)
            if final.exists():
                tmp_path.unlink()
            else:
                self._make_shard_dirs(final.parent)
                os.replace(tmp_path, final)
                fsync_dir(final.parent)
            return StoredFile(sha256=digest, size=size)
        except BaseException:
            tmp_path.unlink(missing_ok=True)
            raise

    def _make_shard_dirs(self, directory: Path) -> None:
        """Create ``ab/cd/`` and fsync each new entry's parent, so the rename survives a crash."""
        for folder in (directory.parent, directory):
            if not folder.exists():
                folder.mkdir(exist_ok=True)
                fsync_dir(folder.parent)

    def put_file(self, source: Path, max_size: int | None = None) -> StoredFile:
        with Path(source).open("rb") as handle:
            return self.put_stream(iter(lambda: handle.read(CHUNK_SIZE), b""), max_size)


def get_store() -> LocalFileStore:
    from contestflow.config import get_settings

    return LocalFileStore(get_settings().store_dir)
