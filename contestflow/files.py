"""Writing a named file so that a reader sees the old file or the new one, never half of one.

Write to a temporary file in the same folder, fsync it, rename it over the target, fsync the
folder. Several processes may write the same file at once (each has its own temporary name);
the last rename wins whole. The content-addressed store does the same for streams.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Files people open (packages, review documents, mail): readable like any other file they
# save, whatever umask the service runs under.
FILE_MODE = 0o644


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, mode: int = FILE_MODE) -> Path:
    """Replace ``path`` with ``data`` in one rename; returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path
