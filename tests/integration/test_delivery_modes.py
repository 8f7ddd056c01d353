"""Delivery as each edition states it: the online form's sending recorded with its proof (and
refused without one), the post's with what was posted, the e-mail's subject marker per edition.
On each database backend; nothing changes when a sending is refused."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

import contestflow.catalog
from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import AuditEvent
from contestflow.errors import SubmissionError
from contestflow.lifecycle import get_submission, transition
from contestflow.sending import Proof, how_sent, mark_sent
from contestflow.sending.letter import compose
from contestflow.store import get_store
from contestflow.submission.opening import open_submission
from schemas import CONTESTS_DIR

PATH_TO_APPROVED = ("draft", "collecting", "translating", "assembling", "in_review", "approved")


def approved(contest: str, edition: str, nomination: str = "") -> int:
    """A submission put straight into "approved": the sending record is what is tested here."""
    with session_scope() as session:
        sid = open_submission(session, contest, edition, nomination=nomination, late=True).id
        for old, new in itertools.pairwise(PATH_TO_APPROVED):
            transition(session, sid, old, new, actor="test")
    return sid


def sendings(sid: int) -> int:
    with session_scope() as session:
        return session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "submission.sent", AuditEvent.subject_id == str(sid))) or 0


def state(sid: int) -> str:
    with session_scope() as session:
        return get_submission(session, sid).state


def test_the_online_form_is_recorded_with_its_proof(database_url: str) -> None:
    sid = approved("uclg-culture21", "2028")  # the contest's usual way: its online form
    with session_scope() as session, pytest.raises(SubmissionError, match="attach the proof"):
        mark_sent(session, sid, actor="coordinator", how="the organiser's online form")
    assert state(sid) == "approved" and sendings(sid) == 0
    stored = get_store().put_bytes(b"\x89PNG\r\n\x1a\n confirmation page")
    with session_scope() as session:
        mark_sent(session, sid, actor="coordinator", how="the organiser's online form",
                  proof=Proof("confirmation.png", stored.sha256, stored.size))
    with session_scope() as session:
        sent = how_sent(session, get_submission(session, sid))
    assert state(sid) == "sent" and sendings(sid) == 1
    assert sent is not None and sent.proof is not None
    assert (sent.proof.filename, sent.proof.sha256) == ("confirmation.png", stored.sha256)


def test_the_post_notes_what_was_posted(database_url: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # An edition whose call asks for the post (the contest's usual way stays e-mail).
    catalog = tmp_path / "contests"
    shutil.copytree(CONTESTS_DIR, catalog)
    path = catalog / "iac-city-to-live.yaml"
    definition = yaml.safe_load(path.read_text(encoding="utf-8"))
    edition = definition["editions"][0]
    edition["package"] = {"delivery": "post"}
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(contestflow.catalog, "CONTESTS_DIR", catalog)
    nomination = (edition.get("nominations") or [""])[0]
    sid = approved("iac-city-to-live", str(edition["key"]), nomination)
    with session_scope() as session, pytest.raises(SubmissionError,
                                                   match="note what was posted"):
        mark_sent(session, sid, actor="coordinator", how="by post", note="  ")
    assert state(sid) == "approved" and sendings(sid) == 0
    with session_scope() as session:
        mark_sent(session, sid, actor="coordinator", how="by post",
                  note="originals, registered letter RA123456789RU")
    with session_scope() as session:
        sent = how_sent(session, get_submission(session, sid))
    assert sent is not None and sent.note == "originals, registered letter RA123456789RU"
    assert sent.how == "by post" and sent.proof is None


def test_an_e_mail_edition_needs_no_proof(database_url: str) -> None:
    sid = approved("uclg-culture21", "2024")  # that edition's call: by e-mail
    with session_scope() as session:
        mark_sent(session, sid, actor="coordinator", how="e-mailed from the city's mailbox")
    assert state(sid) == "sent"


def test_each_edition_has_its_own_subject_marker(database_url: str) -> None:
    with session_scope() as session:
        definition = catalog_for(session).get("iac-city-media")
        in_2019 = compose(session, definition, "2019", "", [], "ru")
        in_2026 = compose(session, definition, "2026", "", [], "ru")
    assert in_2019.subject.startswith("На конкурс «Город в зеркале СМИ» — ")
    assert in_2026.subject.startswith("Город в зеркале СМИ — ")


def test_an_e_mail_without_any_address_is_refused(database_url: str) -> None:
    from contestflow.sending.by_email import send_and_deliver

    sid = approved("iac-city-to-live", "2027")  # its call gives no address
    with pytest.raises(SubmissionError, match="give the organiser's address with --to"):
        send_and_deliver(sid)
    assert state(sid) == "approved" and sendings(sid) == 0
