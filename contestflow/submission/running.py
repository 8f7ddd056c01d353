"""How far a material's translation is while it runs, kept where the office can read it.

The run hears its progress once per MT batch (``TranslateOptions.progress``); the recorder
writes it to ``translation_runs`` at most every ``INTERVAL`` seconds, plus the first and the
last report, so a 3,000-paragraph report costs a few dozen short writes, not one per batch.
The row goes when the run ends, stored or failed. A row nobody updated for ``STALE`` (a process
killed mid-run) is not shown: the page would otherwise say "translating" for ever.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from contestflow.db import session_scope
from contestflow.db.base import utcnow
from contestflow.db.models import TranslationRun

if TYPE_CHECKING:
    from contestflow.translation.records import TranslationProgress

INTERVAL = 0.5  # seconds between two writes of one run's figures
STALE = dt.timedelta(minutes=15)  # longer than a document's MT time budget (600 s)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunningFigures:
    """A run under way, as the office shows it: ``done`` of ``total`` distinct segments."""

    material_id: int
    source_lang: str
    target_lang: str
    total: int
    done: int
    memory: int
    mt: int
    waiting: int

    @property
    def percent(self) -> int:
        """Rounded down: a run is at 100 only when every segment is settled."""
        return 100 * self.done // self.total if self.total else 0


class RunRecorder:
    """The ``progress`` listener of one material's run: passes each report on to
    ``listener`` and keeps the figures in the database. A database that cannot take them
    costs the translation nothing: the figures are skipped, the run goes on."""

    def __init__(self, material_id: int, source_lang: str, target_lang: str,
                 database_url: str | None = None,
                 listener: Callable[[TranslationProgress], None] | None = None) -> None:
        self.material_id, self.source_lang, self.target_lang = (material_id, source_lang,
                                                                target_lang)
        self.database_url, self.listener = database_url, listener
        self.written_at: float | None = None
        self.writes = 0

    def __call__(self, report: TranslationProgress) -> None:
        if self.listener is not None:
            self.listener(report)
        now = time.monotonic()
        if (self.written_at is not None and now - self.written_at < INTERVAL
                and report.done < report.total):
            return
        self.written_at = now
        try:
            with session_scope(self.database_url) as session:
                self._write(session, report)
            self.writes += 1
        except SQLAlchemyError as error:
            log.warning("translation progress of material %s not stored: %s",
                        self.material_id, error)

    def _write(self, session: Session, report: TranslationProgress) -> None:
        row = session.scalars(select(TranslationRun).where(
            TranslationRun.material_id == self.material_id,
            TranslationRun.target_lang == self.target_lang)).first()
        if row is None:
            row = TranslationRun(material_id=self.material_id, source_lang=self.source_lang,
                                 target_lang=self.target_lang)
            session.add(row)
        row.total, row.done, row.memory = report.total, report.done, report.memory
        row.mt, row.waiting, row.updated_at = report.mt, report.waiting, utcnow()

    def finish(self) -> None:
        """The run is over (its result stored or not): it is no longer shown as running."""
        try:
            with session_scope(self.database_url) as session:
                session.execute(delete(TranslationRun).where(
                    TranslationRun.material_id == self.material_id,
                    TranslationRun.target_lang == self.target_lang))
        except SQLAlchemyError as error:
            log.warning("translation progress of material %s not cleared: %s",
                        self.material_id, error)


def running_translations(session: Session, material_ids: list[int],
                         now: dt.datetime | None = None) -> dict[tuple[int, str], RunningFigures]:
    """The runs under way for these materials, by (material, target language)."""
    if not material_ids:
        return {}
    since = (now or utcnow()) - STALE
    rows = session.scalars(select(TranslationRun).where(
        TranslationRun.material_id.in_(material_ids)))
    return {(row.material_id, row.target_lang): RunningFigures(
                row.material_id, row.source_lang, row.target_lang, row.total, row.done,
                row.memory, row.mt, row.waiting)
            for row in rows if _aware(row.updated_at) >= since}


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
