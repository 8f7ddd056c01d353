"""Known and expected dates: confirming a phase from the organiser's call, next cycle's edition
made from the last one, and opening an edition whose deadline has passed; on each backend."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from contestflow.catalog import catalog_for, sync_contest
from contestflow.cli.main import app
from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Edition, EditionOverlay, MaterialRequest, Submission
from contestflow.editions import confirm_dates, new_edition
from contestflow.errors import SubmissionError
from contestflow.submission.opening import open_submission
from contestflow.submission.review import withdraw

CALL = "https://www.agenda21culture.net/es/node/9999"
runner = CliRunner()


def _footprint(session) -> tuple:
    """Everything a confirmation or a new edition may write."""
    return (
        tuple(session.execute(select(EditionOverlay.key, EditionOverlay.edition)
                              .order_by(EditionOverlay.id)).all()),
        tuple(session.execute(select(Edition.key, Edition.opens_on, Edition.deadline)
                              .order_by(Edition.id)).all()),
        tuple(session.execute(select(MaterialRequest.id, MaterialRequest.due_on)
                              .order_by(MaterialRequest.id)).all()),
        session.scalar(select(func.count()).select_from(AuditEvent)),
    )


def test_a_confirmed_date_moves_the_due_dates_and_survives_a_resync(database_url: str) -> None:
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        assert {r.due_on for r in submission.requests} == {dt.date(2028, 2, 21)}
        assert catalog_for(session).get("uclg-culture21").edition("2028").phases[0].expected
    with session_scope() as session:
        done = confirm_dates(session, "uclg-culture21", "2028", deadline=dt.date(2028, 3, 20),
                             opens_on=dt.date(2027, 12, 6), source=CALL, actor="anna")
        assert done.moved_requests == 13 and done.before.expected
    with session_scope() as session:
        phase = catalog_for(session).get("uclg-culture21").edition("2028").phases[0]
        assert (phase.status, phase.source, phase.deadline, phase.opens_on) == (
            "confirmed", CALL, dt.date(2028, 3, 20), dt.date(2027, 12, 6))
        dues = set(session.scalars(select(MaterialRequest.due_on)))
        assert dues == {dt.date(2028, 2, 28)}  # 21 days' lead before the confirmed deadline
        row = session.scalars(select(Edition).where(Edition.key == "2028")).one()
        assert row.deadline == dt.date(2028, 3, 20)
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "edition.dates_confirmed")).one()
        assert event.actor == "anna" and event.details["source"] == CALL
        assert event.details["was"]["deadline"] == "2028-03-13"
        assert event.details["was"]["status"] == "expected"
    # The YAML synced again (as opening another submission does) keeps the office's dates.
    # UCLG takes one application per government: the first is withdrawn to open another.
    with session_scope() as session:
        withdraw(session, submission.id, actor="anna", reason="a better practice")
        sync_contest(session, catalog_for(session).get("uclg-culture21"))
        open_submission(session, "uclg-culture21", "2028", nomination="second")
    with session_scope() as session:
        row = session.scalars(select(Edition).where(Edition.key == "2028")).one()
        assert row.deadline == dt.date(2028, 3, 20)
        second = session.scalars(select(Submission).where(Submission.nomination == "second")
                                 ).one()
        assert {r.due_on for r in second.requests} == {dt.date(2028, 2, 28)}


def test_only_the_confirmed_phase_and_open_submissions_move(database_url: str) -> None:
    with session_scope() as session:
        open_submission(session, "uclg-culture21", "2024", late=True)
        confirm_dates(session, "uclg-culture21", "2024", phase_id="full-form",
                      deadline=dt.date(2024, 4, 5), source=CALL)
        edition = catalog_for(session).get("uclg-culture21").edition("2024")
        assert [p.deadline for p in edition.phases] == [dt.date(2024, 2, 16),
                                                        dt.date(2024, 4, 5)]
        assert edition.phases[0].source != CALL  # the other phase is left as it was


@pytest.mark.parametrize(("contest", "edition", "options", "message"), [
    ("nope", "2028", {}, "unknown contest 'nope'"),
    ("uclg-culture21", "1999", {}, "has no edition 1999"),
    ("uclg-culture21", "2028", {"phase_id": "jury"}, "has no phase jury"),
    ("uclg-culture21", "2024", {}, "several phases: say which one"),
    ("uclg-culture21", "2028", {"source": ""}, "address of the organiser's call"),
    ("uclg-culture21", "2028", {"source": "agenda21culture.net"}, "starting with https://"),
    ("uclg-culture21", "2028", {"deadline": dt.date(2027, 11, 30)},
     "before the opening date 2027-12-01"),
    ("uclg-culture21", "2028", {"deadline": dt.date(2028, 3, 1),
                                "opens_on": dt.date(2028, 3, 2)}, "before the opening date"),
    ("uclg-culture21", "2024", {"phase_id": "short-form", "deadline": dt.date(2024, 5, 1)},
     "out of order with the edition's other phases"),
])
def test_a_bad_confirmation_changes_nothing(database_url: str, contest: str, edition: str,
                                            options: dict, message: str) -> None:
    with session_scope() as session:
        open_submission(session, "uclg-culture21", "2028")
    with session_scope() as session:
        before = _footprint(session)
    values = {"deadline": dt.date(2028, 3, 20), "source": CALL, **options}
    with pytest.raises(SubmissionError, match=message), session_scope() as session:
        confirm_dates(session, contest, edition, **values)
    with session_scope() as session:
        assert _footprint(session) == before


def test_a_new_edition_is_made_from_the_last_one(database_url: str) -> None:
    with session_scope() as session:
        edition = new_edition(session, "uclg-culture21", "2030", made_from="2028")
    assert edition.year == 2030 and not edition.nominations
    phase = edition.phases[0]
    assert (phase.opens_on, phase.deadline) == (dt.date(2029, 12, 1), dt.date(2030, 3, 13))
    assert phase.expected and phase.source is None
    with session_scope() as session:
        assert catalog_for(session).get("uclg-culture21").edition("2030") == edition
        row = session.scalars(select(EditionOverlay)).one()
        assert row.made_from == "2028"
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "edition.created")
                                ).one()
        assert event.details == {"made_from": "2028", "years": 2, "deadline": "2030-03-13"}
        submission = open_submission(session, "uclg-culture21", "2030")
        assert {r.due_on for r in submission.requests} == {dt.date(2030, 2, 20)}
    # Stored the same way as a confirmation: a new edition's dates can be confirmed too.
    with session_scope() as session:
        done = confirm_dates(session, "uclg-culture21", "2030", deadline=dt.date(2030, 3, 15),
                             source=CALL)
        assert done.moved_requests == 13
        assert not catalog_for(session).get("uclg-culture21").edition("2030").phases[0].expected
    # A yearly contest moves one year; the publication window moves with it.
    with session_scope() as session:
        media = new_edition(session, "iac-city-media", "2027", made_from="2026")
    assert media.deadline == dt.date(2027, 12, 15)
    assert media.publication_window == (dt.date(2026, 12, 1), dt.date(2027, 12, 1))


@pytest.mark.parametrize(("contest", "key", "made_from", "message"), [
    ("ero-uclg-rating", "2021-22", "2019-20", "held irregularly"),
    ("uclg-culture21", "2028", "2026", "already has edition 2028"),
    ("uclg-culture21", "2030", "2029", "has no edition 2029"),
    ("uclg-culture21", "x" * 33, "2028", "1 to 32 letters, digits"),
    ("uclg-culture21", "2030/31", "2028", "1 to 32 letters, digits"),
    ("uclg-culture21", "", "2028", "1 to 32 letters, digits"),
])
def test_a_bad_new_edition_changes_nothing(database_url: str, contest: str, key: str,
                                           made_from: str, message: str) -> None:
    with session_scope() as session:
        before = _footprint(session)
    with pytest.raises(SubmissionError, match=message), session_scope() as session:
        new_edition(session, contest, key, made_from=made_from)
    with session_scope() as session:
        assert _footprint(session) == before


def test_a_past_edition_opens_only_as_a_late_entry(database_url: str) -> None:
    with session_scope() as session:
        before = _footprint(session)
    refusal = "passed on 2024-02-16.*late or historical"
    with pytest.raises(SubmissionError, match=refusal), session_scope() as session:
        open_submission(session, "uclg-culture21", "2024")
    with session_scope() as session:
        assert _footprint(session) == before
        assert not session.scalar(select(func.count()).select_from(Submission))
    with session_scope() as session:
        late = open_submission(session, "uclg-culture21", "2024", late=True, actor="anna")
        assert late.late_entry
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "submission.opened")).one()
        assert event.details["late_entry"] is True
    # An edition still ahead is not late, even when the coordinator says so.
    with session_scope() as session:
        assert not open_submission(session, "uclg-culture21", "2028", late=True).late_entry
        on_the_day = open_submission(session, "uclg-culture21", "2026",
                                     today=dt.date(2026, 3, 13))
        assert not on_the_day.late_entry


def _cli(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args))
    assert (result.exit_code == 0) == ok, (result.stdout, result.stderr)
    return result


def test_confirm_and_new_edition_on_the_command_line(database_url: str) -> None:
    done = json.loads(_cli("contests", "confirm", "uclg-culture21", "2028", "--deadline",
                           "2028-03-20", "--opens", "2027-12-06", "--source", CALL,
                           "--json").stdout)
    assert done == {"contest": "uclg-culture21", "edition": "2028", "phase": "application",
                    "opens_on": "2027-12-06", "deadline": "2028-03-20", "status": "confirmed",
                    "source": CALL, "was": "2028-03-13", "moved_requests": 0}
    shown = _cli("contests", "show", "uclg-culture21").stdout
    assert "2028-03-20" in shown and "2026-03-13" in shown
    made = _cli("contests", "new-edition", "uclg-culture21", "2030", "--from", "2028").stdout
    assert "2030-03-20 (expected, from the last cycle)" in " ".join(made.split())
    shown = json.loads(_cli("contests", "show", "uclg-culture21", "--json").stdout)
    phase = next(e for e in shown["editions"] if e["key"] == "2030")["phases"][0]
    assert (phase["status"], phase["source"]) == ("expected", None)

    for args, message in [
        (["--deadline", "20.03.2028", "--source", CALL], "--deadline is a date, YYYY-MM-DD"),
        (["--deadline", "2028-03-20", "--source", "later"], "starting with https://"),
        (["--deadline", "2028-03-20", "--source", CALL, "--phase", "jury"], "no phase jury"),
    ]:
        refused = _cli("contests", "confirm", "uclg-culture21", "2030", *args, ok=False)
        assert message in refused.stderr + refused.stdout
    assert "missing option" in _cli("contests", "confirm", "uclg-culture21", "2030",
                                    "--deadline", "2028-03-20", ok=False).output.lower()


def test_open_late_on_the_command_line(database_url: str) -> None:
    refused = _cli("submission", "open", "uclg-culture21", "--edition", "2024", ok=False)
    assert "--late on the command line" in refused.stderr + refused.stdout
    opened = json.loads(_cli("submission", "open", "uclg-culture21", "--edition", "2024",
                             "--late", "--json").stdout)
    assert opened["late_entry"] is True
    said = _cli("submission", "open", "iac-city-media", "--edition", "2019", "--nomination",
                "Что может МАГ?", "--late").stdout
    assert "Recorded as a late or historical entry" in said
    status = _cli("submission", "status", str(opened["id"])).stdout
    assert "A late or historical entry" in status
    assert json.loads(_cli("submission", "status", str(opened["id"]), "--json").stdout)[
        "late_entry"] is True
    coming = json.loads(_cli("submission", "open", "uclg-culture21", "--edition", "2028",
                             "--json").stdout)
    said = " ".join(_cli("submission", "status", str(coming["id"])).stdout.split())
    assert "deadline 2028-03-13 (expected, from the last cycle)" in said


def test_the_reminders_follow_a_confirmed_date(database_url: str) -> None:
    from contestflow.db.models import OutboxMessage
    from contestflow.intake.reminders import queue_reminders
    from contestflow.lifecycle import transition

    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        transition(session, submission.id, "draft", "collecting", actor="test")
        old_due, new_due = dt.date(2028, 2, 21), dt.date(2028, 2, 28)
        assert queue_reminders(session, today=old_due - dt.timedelta(days=7)) == 4
        reminder = session.scalars(select(OutboxMessage)).first()
        assert "рассчитаны по прошлому циклу" in reminder.body  # the date may still move
        confirm_dates(session, "uclg-culture21", "2028", deadline=dt.date(2028, 3, 20),
                      source=CALL)
        # Nothing is due on the old date any more; the reminders count from the new one.
        assert queue_reminders(session, today=old_due - dt.timedelta(days=3)) == 0
        assert queue_reminders(session, today=new_due - dt.timedelta(days=3)) == 4
        latest = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())
                                 ).first()
        assert "28.02.2028" in latest.body and "рассчитаны по прошлому циклу" not in latest.body


def test_only_the_phases_the_office_confirmed_override_a_later_yaml() -> None:
    from contestflow.catalog import load_catalog, overlay_edition
    from contestflow.identity import city

    shipped = load_catalog(known_departments=[d.id for d in city().departments]).get(
        "uclg-culture21").edition("2024")
    office = shipped.model_copy(update={"phases": [
        shipped.phases[0], shipped.phases[1].model_copy(update={
            "deadline": dt.date(2024, 4, 5), "source": CALL})]})
    # A later release corrects the first phase; the office confirmed only the second.
    corrected = shipped.model_copy(update={"phases": [
        shipped.phases[0].model_copy(update={"deadline": dt.date(2024, 2, 20)}),
        shipped.phases[1]]})
    merged = overlay_edition(corrected, office, ["full-form"])
    assert [p.deadline for p in merged.phases] == [dt.date(2024, 2, 20), dt.date(2024, 4, 5)]
    assert merged.phases[1].source == CALL
    assert overlay_edition(None, office) == office  # an edition only the office has
