"""The content-addressed store: atomic, deduplicated, and leaves nothing on refusal."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from contestflow.store import BlobNotFound, FileTooLarge, LocalFileStore


@pytest.fixture
def store(tmp_path: Path) -> LocalFileStore:
    return LocalFileStore(tmp_path / "blobs")


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_put_and_read_back(store: LocalFileStore) -> None:
    data = "Ставрополь".encode() * 1000
    stored = store.put_bytes(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    assert store.open(stored.sha256).read() == data
    assert store.read_bytes(stored.sha256) == data
    path = store.path(stored.sha256)
    assert path.parts[-3:] == (stored.sha256[:2], stored.sha256[2:4], stored.sha256[4:])


def test_same_content_is_stored_once(store: LocalFileStore) -> None:
    first = store.put_stream([b"abc", b"def"])
    second = store.put_bytes(b"abcdef")
    assert first == second
    assert len(_files(store.root)) == 1


def test_over_the_cap_keeps_nothing(store: LocalFileStore) -> None:
    with pytest.raises(FileTooLarge, match="10-byte limit"):
        store.put_stream([b"12345", b"678901"], max_size=10)
    assert _files(store.root) == []
    assert store.put_stream([b"1234567890"], max_size=10).size == 10  # exactly the cap is fine


def test_a_failing_stream_keeps_nothing(store: LocalFileStore) -> None:
    def broken():
        yield b"partial data"
        raise ConnectionError("client went away")

    with pytest.raises(ConnectionError):
        store.put_stream(broken())
    assert _files(store.root) == []


def test_missing_and_malformed_digests(store: LocalFileStore) -> None:
    with pytest.raises(BlobNotFound):
        store.open("0" * 64)
    with pytest.raises(ValueError, match="not a sha256"):
        store.path("../../etc/passwd")
