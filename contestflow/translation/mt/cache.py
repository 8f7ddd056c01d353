"""MT answers kept in the application database, so no text is sent (and paid for) twice.

Answers are written as they arrive, each batch in its own short transaction on its own
connection: never inside the caller's session, which may be read-only or may roll back when
the document fails, and never holding SQLite's write lock across a network call.
Workers never wait for a commit either: a writer thread takes whatever has gathered since
its last commit (a group commit), so a busy run costs one fsync per handful of answers, and
MT requests go on meanwhile.

A failure to store (a full disk, a lost database) never stops the translation: the answers
of this run are still used, only not kept, and ``flush()`` says so.

One exception: a caller that holds a SQLite write transaction across the translation (which
it should not: see db/README.md) holds the only write lock, so the answers go through its
session when the run ends, and are kept only if it commits.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from contestflow.db.models import MTAnswer
from contestflow.db.session import READ_ONLY_OPTION

log = logging.getLogger(__name__)
LOOKUP_CHUNK = 500
GATHER_SECONDS = 0.1
"""How long the writer lets answers gather before a commit: at most ten commits a second
however fast they come, and none of them later than this."""


def answer_key(text: str) -> str:
    """The index key of a text as sent: its sha256 (texts are too long to index whole)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoredAnswers:
    """:class:`~contestflow.translation.mt.dispatch.AnswerCache` on the ``mt_answers`` table."""

    def __init__(self, engine: Engine | Any, *, through: Session | None = None) -> None:
        # Reads must not take SQLite's write lock, writes must (see db/session.py); a
        # read-only session's engine is given back its writer's options here.
        self.engine = engine.execution_options(**{READ_ONLY_OPTION: False})
        self._reader = engine.execution_options(**{READ_ONLY_OPTION: True})
        self._through = through
        self._pending: list[dict[str, str]] = []
        self._writing = False
        self._failed = False
        self._done = threading.Condition()

    @classmethod
    def for_session(cls, session: Session) -> StoredAnswers:
        """Answers in ``session``'s database, written outside ``session``'s transaction."""
        bind = session.get_bind()
        if bind.dialect.name == "sqlite" and not session.info.get(READ_ONLY_OPTION):
            return cls(bind, through=session)  # it holds the write lock: see above
        return cls(bind)

    def known(self, provider: str, source: str, target: str, texts: list[str]
              ) -> dict[str, str]:
        keys = {answer_key(text): text for text in texts}
        found: dict[str, str] = {}
        try:
            with Session(self._reader) as session:
                for start in range(0, len(keys), LOOKUP_CHUNK):
                    chunk = list(keys)[start : start + LOOKUP_CHUNK]
                    rows = session.execute(select(
                        MTAnswer.source_key, MTAnswer.source_text, MTAnswer.target_text).where(
                            MTAnswer.provider == provider, MTAnswer.source_lang == source,
                            MTAnswer.target_lang == target, MTAnswer.source_key.in_(chunk)))
                    for key, text, answer in rows:
                        if keys[key] == text:  # a sha256 collision would be news; still
                            found[text] = answer
        except SQLAlchemyError as error:  # then they are asked again, as before
            log.warning("stored MT answers could not be read: %s", error)
        return found

    def keep(self, provider: str, source: str, target: str, answers: dict[str, str]) -> None:
        rows = [{"provider": provider, "source_lang": source, "target_lang": target,
                 "source_key": answer_key(text), "source_text": text, "target_text": answer}
                for text, answer in answers.items()]
        with self._done:
            self._pending.extend(rows)
            if self._writing or self._through is not None:
                return  # the writer at work takes these too
            self._writing = True
        threading.Thread(target=self._drain, args=(GATHER_SECONDS,), name="mt-answers",
                         daemon=True).start()

    def flush(self) -> bool:
        with self._done:
            while self._writing:
                self._done.wait()
            if not self._pending:
                return not self._failed
            self._writing = True
        self._drain()
        return not self._failed

    def _drain(self, gather: float = 0.0) -> None:
        while True:
            time.sleep(gather)
            with self._done:
                rows, self._pending = self._pending, []
                if not rows:
                    self._writing = False
                    self._done.notify_all()
                    return
            self._write(rows)

    def _write(self, rows: list[dict[str, str]]) -> None:
        try:
            if self._through is not None:
                with self._through.begin_nested():
                    self._through.execute(_insert_new(self.engine.dialect.name), rows)
                return
            with self.engine.begin() as connection:
                connection.execute(_insert_new(self.engine.dialect.name), rows)
        except Exception as error:  # whatever it is, the translation goes on
            with self._done:
                first, self._failed = not self._failed, True
            if first:
                log.warning("MT answers could not be stored: %s", error)


def _insert_new(dialect: str) -> Any:
    """INSERT that leaves an answer already stored (by a concurrent run) as it is."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(MTAnswer).on_conflict_do_nothing(
        index_elements=["provider", "source_lang", "target_lang", "source_key"])
