"""Reminders before the internal due date, and the coordinator's summary of what is late.

Both are safe to run as often as a schedule likes: a reminder's dedupe key names its
submission, department, due date and offset, the summary's names the day. A tick that was
missed is caught up: on day 5 before the due date, the 7-day reminder (not yet sent) goes out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.catalog import definition_of
from contestflow.db.models import Department, MaterialRequest, Submission
from contestflow.identity import local_timezone, local_today
from contestflow.intake.messages import LateRow, SubmissionInfo, render
from contestflow.intake.requests import mail_department, submission_info
from contestflow.notify import coordinator_address, enqueue_message
from contestflow.states import COLLECTING, WAITING_FOR_DEPARTMENT, is_late
from schemas import ContestDefinition

DEFAULT_OFFSETS = (7, 3, 1)
WORKING_HOURS = (9, 18)


def in_working_hours(now: dt.datetime | None = None,
                     hours: tuple[int, int] = WORKING_HOURS) -> bool:
    """Whether it is a weekday between ``hours`` in the city: reminders wait for the morning."""
    local = (now or dt.datetime.now(dt.UTC)).astimezone(local_timezone())
    return local.weekday() < 5 and hours[0] <= local.hour < hours[1]


def reminder_offset(days_left: int, offsets: tuple[int, ...] | list[int]) -> int | None:
    """The reminder due ``days_left`` days before the date: the smallest offset not below it."""
    if days_left < 0:
        return None
    fitting = [offset for offset in offsets if offset >= days_left]
    return min(fitting) if fitting else None


def _waiting_requests(session: Session) -> list[MaterialRequest]:
    return list(session.scalars(
        select(MaterialRequest).join(Submission)
        .where(Submission.state.in_(COLLECTING),
               MaterialRequest.state.in_(WAITING_FOR_DEPARTMENT),
               MaterialRequest.due_on.is_not(None))
        .order_by(MaterialRequest.id)
    ))


class _Definitions:
    """Each submission's contest definition, loaded once per run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[int, tuple[ContestDefinition, SubmissionInfo]] = {}

    def __call__(self, submission_id: int) -> tuple[ContestDefinition, SubmissionInfo]:
        if submission_id not in self._cache:
            submission = self.session.get(Submission, submission_id)
            assert submission is not None
            definition, _ = definition_of(self.session, submission)
            self._cache[submission_id] = (
                definition, submission_info(self.session, submission, definition))
        return self._cache[submission_id]


def queue_reminders(session: Session, *, today: dt.date | None = None,
                    offsets: tuple[int, ...] | list[int] = DEFAULT_OFFSETS) -> int:
    """Queue the reminders due today for required items not yet received; returns how many."""
    today = today or local_today()
    definitions = _Definitions(session)
    groups: dict[tuple[int, str, dt.date, int], list[MaterialRequest]] = defaultdict(list)
    for request in _waiting_requests(session):
        definition, _ = definitions(request.submission_id)
        assert request.due_on is not None
        offset = reminder_offset((request.due_on - today).days, offsets)
        if offset is not None and definition.item(request.item_id).required:
            groups[(request.submission_id, request.department_id, request.due_on, offset)].append(
                request)
    queued = 0
    for (submission_id, department_id, due_on, offset), requests in sorted(groups.items()):
        definition, info = definitions(submission_id)
        key = f"reminder:{submission_id}:{department_id}:{due_on.isoformat()}:{offset}"
        queued += mail_department(session, department_id, "reminder", key, requests, definition,
                                  info, days_left=(due_on - today).days, due_on=due_on)
    return queued


def late_rows(session: Session, today: dt.date) -> list[LateRow]:
    """Required items past their due date that have not arrived, by submission and department."""
    definitions = _Definitions(session)
    groups: dict[tuple[int, str], list[MaterialRequest]] = defaultdict(list)
    for request in _waiting_requests(session):
        definition, _ = definitions(request.submission_id)
        assert request.due_on is not None
        if is_late(definition.item(request.item_id).required, request.state, request.due_on,
                   today):
            groups[(request.submission_id, request.department_id)].append(request)
    rows = []
    for (submission_id, department_id), requests in sorted(groups.items()):
        definition, info = definitions(submission_id)
        department = session.get(Department, department_id)
        due_on = min(r.due_on for r in requests if r.due_on)
        titles = [(definition.item(r.item_id).title.ru, definition.item(r.item_id).title.en)
                  for r in requests]
        rows.append(LateRow(info, department.name_ru if department else department_id,
                            department.name_en if department else department_id, titles,
                            due_on, (today - due_on).days))
    return rows


def queue_late_summary(session: Session, *, today: dt.date | None = None,
                       to: str | None = None) -> bool:
    """Queue today's summary of late materials for the coordinator; False if nothing is late
    (or it was queued already today, or there is nobody to send it to)."""
    today = today or local_today()
    rows = late_rows(session, today)
    to = to or coordinator_address(session)
    if not rows or not to:
        return False
    subject, body = render("late", "ru", rows=rows, today=today)
    return enqueue_message(session, to=to, subject=subject, body=body,
                           dedupe_key=f"late-summary:{today.isoformat()}")
