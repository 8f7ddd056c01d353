"""The file store's contract, which every backend must pass (warehouse's conformance-test habit).

A backend's test class inherits ``FileStoreContract`` and says how to make one; the local
filesystem store is the first. A new backend (an object store, say) gets the whole suite by
writing the three lines of its subclass.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from contestflow.store import BlobNotFound, FileStore, FileTooLarge, LocalFileStore


class FileStoreContract:
    """What any ``FileStore`` does; subclasses override ``make_store`` and ``leftovers``."""

    def make_store(self, root: Path) -> FileStore:
        raise NotImplementedError

    def leftovers(self, store: FileStore) -> int:
        """How many objects the backend holds, complete or not (temporary files included)."""
        raise NotImplementedError

    @pytest.fixture
    def store(self, tmp_path: Path) -> FileStore:
        return self.make_store(tmp_path / "blobs")

    def test_put_and_read_back(self, store: FileStore) -> None:
        data = "Ставрополь".encode() * 1000
        stored = store.put_bytes(data)
        assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
        with store.open(stored.sha256) as handle:
            assert handle.read() == data
        assert store.read_bytes(stored.sha256) == data
        assert store.exists(stored.sha256)

    def test_same_content_is_stored_once(self, store: FileStore) -> None:
        first = store.put_stream([b"abc", b"def"])
        second = store.put_bytes(b"abcdef")
        assert first == second
        assert self.leftovers(store) == 1

    def test_over_the_cap_keeps_nothing(self, store: FileStore) -> None:
        with pytest.raises(FileTooLarge, match="10-byte limit"):
            store.put_stream([b"12345", b"678901"], max_size=10)
        assert self.leftovers(store) == 0
        assert store.put_stream([b"1234567890"], max_size=10).size == 10  # the cap itself is fine

    def test_a_failing_stream_keeps_nothing(self, store: FileStore) -> None:
        def broken():
            yield b"partial data"
            raise ConnectionError("client went away")

        with pytest.raises(ConnectionError):
            store.put_stream(broken())
        assert self.leftovers(store) == 0

    def test_missing_and_malformed_digests(self, store: FileStore) -> None:
        assert not store.exists("0" * 64)
        with pytest.raises(BlobNotFound):
            store.open("0" * 64)
        with pytest.raises(BlobNotFound):
            store.read_bytes("0" * 64)
        with pytest.raises(ValueError, match="not a sha256"):
            store.exists("../../etc/passwd")


class TestLocalFileStore(FileStoreContract):
    def make_store(self, root: Path) -> FileStore:
        return LocalFileStore(root)

    def leftovers(self, store: FileStore) -> int:
        assert isinstance(store, LocalFileStore)
        return sum(1 for p in store.root.rglob("*") if p.is_file())

    def test_paths_come_from_the_digest(self, store: FileStore) -> None:
        assert isinstance(store, LocalFileStore)
        stored = store.put_bytes(b"a package")
        path = store.path(stored.sha256)
        assert path.parts[-3:] == (stored.sha256[:2], stored.sha256[2:4], stored.sha256[4:])
