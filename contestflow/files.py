"""Writing a named file so that a reader sees the old file or the new one, never half of one.

Write to a temporary file in the same folder, fsync it, rename it over the target, fsync the
folder. Several processes may write the same file at once (each has its own temporary name);
the last rename wins whole. The content-addressed store does the same for streams.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


# Files people open (packages, review documents, translated documents, mail) get the mode any
# other file saved here gets: 0666 less the umask (0644 by default, 0664 in a workspace shared
# by a group). mkstemp alone would make them 0600, unreadable to the colleagues.
def usual_mode() -> int:
    """0666 less this process's umask (read without changing it where Linux tells)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    current = os.umask(0o022)  # elsewhere: the classic read-and-restore
    os.umask(current)
    return 0o666 & ~current


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, mode: int | None = None) -> Path:
    """Replace ``path`` with ``data`` in one rename; returns ``path``. ``mode``: the usual
    one for a new file here unless given."""
    mode = usual_mode() if mode is None else mode
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
