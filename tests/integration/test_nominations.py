"""Who may enter: a third party nominating the city (the Scroll of Honour) through to their
confirmation, one application per government (UCLG), several practices per nomination (IAC);
on each backend, each refusal leaving nothing behind."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from sqlalchemy import func, select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, MaterialRequest, Submission
from contestflow.errors import SubmissionError
from contestflow.intake.fields import record_fields
from contestflow.materials import record_material
from contestflow.sending import how_sent, mark_sent
from contestflow.store import get_store
from contestflow.submission.nomination import Nominator, confirm_nominated
from contestflow.submission.opening import open_submission
from contestflow.submission.review import decide, withdraw
from tests.cli.test_cli import assert_one_line_error, run, run_json
from tests.flow_steps import package_record, run_steps

SCROLL, SCROLL_EDITION = "unhabitat-scroll", "2027"
THIRD_PARTY = Nominator("Union of Russian Cities", "Olga Smirnova", "o.smirnova@urc.example")
FORM_DETAILS = {"nomination_type": "programme", "submitter_position": "Executive director",
                "submitter_phone": "+7 495 000-00-00", "submitter_country": "Russia"}


def _counts() -> tuple[int, int, int]:
    with session_scope() as session:
        return tuple(session.scalar(select(func.count()).select_from(m))  # type: ignore[return-value]
                     for m in (Submission, MaterialRequest, AuditEvent))


@pytest.mark.parametrize(("party", "message"), [
    (Nominator(), "takes no self-nomination: give the third party"),
    (Nominator("Union of Russian Cities", "", "o@urc.example"), "contact person and e-mail"),
    (Nominator("Stavropol City Administration", "Maria Ivanova", "mi@mail.example"),
     "is the city itself or one of its bodies"),
    (Nominator("Администрация города Ставрополя", "М. Иванова", "mi@mail.example"),
     "is the city itself or one of its bodies"),
    (Nominator("Комитет культуры и молодежной политики администрации города Ставрополя",
               "М. Иванова", "mi@mail.example"), "is the city itself or one of its bodies"),
    (Nominator("Friends of the Park", "Maria Ivanova", "international@stavropol.example"),
     "is the city itself or one of its bodies"),
    (Nominator("Union of Russian Cities", "Olga Smirnova", "not an address"),
     "is not an e-mail address"),
    (Nominator("Union of Russian Cities", "Olga Smirnova", "o@urc.example", "de"),
     r"Russian \(ru\) or English \(en\)"),
])
def test_the_city_nominating_itself_is_refused_and_nothing_opened(
        database_url: str, party: Nominator, message: str) -> None:
    with session_scope() as session:
        # the catalogue in the database
        open_submission(session, "iac-city-media", "2019", late=True)
    before = _counts()
    with pytest.raises(SubmissionError, match=message), session_scope() as session:
        open_submission(session, SCROLL, SCROLL_EDITION, nominator=party)
    assert _counts() == before


def _approved_nomination() -> int:
    """A Scroll nomination opened with a third party, every item in, package approved."""
    with session_scope() as session:
        sid = open_submission(session, SCROLL, SCROLL_EDITION, nominator=THIRD_PARTY).id
    approve_nomination(sid)
    return sid


def approve_nomination(sid: int) -> None:
    """Every item of an open Scroll nomination in (in English), the package built, approved."""
    with session_scope() as session:
        submission = session.get(Submission, sid)
        assert submission is not None
        for request in submission.requests:
            if request.item_id == "online-form":
                record_fields(session, get_store(), request.id, FORM_DETAILS, actor="international")
                continue
            name = "photo.png" if request.item_id == "photographs" else f"{request.item_id}.docx"
            record_material(session, request.id, get_store().put_bytes(f"m{request.id}".encode()),
                            filename=name, media_type="application/octet-stream",
                            language="en", actor=request.department_id)
    assert run_steps(sid) == "in_review", package_record(sid)["findings"]
    with session_scope() as session:
        decide(session, sid, reviewer="reviewer", approve=True)


def test_a_third_party_nomination_through_to_the_nominators_confirmation(
        database_url: str) -> None:
    sid = _approved_nomination()
    record = package_record(sid)
    assert not [f for f in record["findings"] if f["rule"] == "self-nomination"]
    with session_scope() as session:
        submission = session.get(Submission, sid)
        assert submission is not None and submission.state == "approved"
        assert (submission.nominator, submission.nominator_contact, submission.nominator_email,
                submission.nominator_language) == (*[THIRD_PARTY.organisation,
                                                     THIRD_PARTY.contact, THIRD_PARTY.email],
                                                   "en")
        package = get_store().read_bytes(submission.package_sha256 or "")
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        letter = archive.read("draft-letter-for-the-nominating-party.en.docx")
        assert "draft-letter-for-the-nominating-party.en.docx" in archive.read(
            "manifest.json").decode()
    text = "\n".join(p.text for p in Document(io.BytesIO(letter)).paragraphs)
    assert "Union of Russian Cities nominates Stavropol City Administration for UN-Habitat " \
           "Scroll of Honour, 2027." in text
    assert "Olga Smirnova, o.smirnova@urc.example" in text
    assert "2027-04-30" in text  # the deadline, as English writes dates

    # The city does not send a nomination itself: only the nominator's word is the sending.
    with pytest.raises(SubmissionError, match="submitted by the nominating party"), \
            session_scope() as session:
        mark_sent(session, sid, actor="coordinator", how="online form")
    with pytest.raises(SubmissionError, match="is still ahead"), session_scope() as session:
        confirm_nominated(session, sid, on=dt.date.today() + dt.timedelta(days=3))
    with session_scope() as session:
        assert session.get(Submission, sid).state == "approved"  # type: ignore[union-attr]
        confirm_nominated(session, sid, on=dt.date(2026, 11, 28), reference="their mail of 28 Apr")
    with session_scope() as session:
        submission = session.get(Submission, sid)
        assert submission is not None and submission.state == "sent"
        assert submission.nominator_confirmed_on == dt.date(2026, 11, 28)
        sent = how_sent(session, submission)
        assert sent is not None and sent.how == "Union of Russian Cities: their mail of 28 Apr"
    with pytest.raises(SubmissionError, match="only an approved package is sent"), \
            session_scope() as session:
        confirm_nominated(session, sid, on=dt.date(2026, 11, 28))


def test_a_contest_the_city_enters_itself_takes_no_nominator_confirmation(
        database_url: str) -> None:
    with session_scope() as session:
        sid = open_submission(session, "iac-city-to-live", "2027").id
    with pytest.raises(SubmissionError, match="has no nominating party"), \
            session_scope() as session:
        confirm_nominated(session, sid, on=dt.date(2026, 11, 28))


def test_one_application_per_government_unless_the_first_is_withdrawn(database_url: str) -> None:
    with session_scope() as session:
        first = open_submission(session, "uclg-culture21", "2028", nomination="Культура").id
    before = _counts()
    with pytest.raises(SubmissionError, match="one application per government"), \
            session_scope() as session:
        open_submission(session, "uclg-culture21", "2028", nomination="Другая практика")
    assert _counts() == before
    with session_scope() as session:
        withdraw(session, first, actor="coordinator", reason="another bid is stronger")
    with session_scope() as session:
        assert open_submission(session, "uclg-culture21", "2028",
                               nomination="Другая практика").id == first + 1


def test_several_practices_in_one_nomination_only_where_the_contest_allows(
        database_url: str) -> None:
    with session_scope() as session:
        ids = [open_submission(session, "iac-city-to-live", "2027", title=title).id
               for title in ("Межнациональный мир", "Общественные пространства")]
    assert ids == [1, 2]
    with session_scope() as session:
        open_submission(session, "iac-city-media", "2019", late=True, nomination="Что может МАГ?")
    with pytest.raises(SubmissionError, match="already has submission 3"), \
            session_scope() as session:
        open_submission(session, "iac-city-media", "2019", late=True, nomination="Что может МАГ?")
    with session_scope() as session:  # the 2019 nomination the catalogue had missed
        open_submission(session, "iac-city-media", "2019", late=True, nomination=(
            "Содружество независимых государств (СНГ): интеграция цифровой экономики и "
            "духовное родство"))


def test_the_command_line_opens_a_nomination_and_refuses_the_city_itself(
        database_url: str) -> None:
    refused = run("submission", "open", SCROLL, "--edition", SCROLL_EDITION, "--nominator",
                  "Stavropol City Administration", "--nominator-contact", "M. Ivanova",
                  "--nominator-email", "mi@mail.example", ok=False)
    assert_one_line_error(refused, "is the city itself")
    opened = run_json("submission", "open", SCROLL, "--edition", SCROLL_EDITION, "--nominator",
                      THIRD_PARTY.organisation, "--nominator-contact", THIRD_PARTY.contact,
                      "--nominator-email", THIRD_PARTY.email, "--nominator-language", "ru")
    assert opened["nominator"] == {"organisation": THIRD_PARTY.organisation,
                                   "contact": THIRD_PARTY.contact, "email": THIRD_PARTY.email,
                                   "language": "ru", "confirmed_on": None}
    early = run("submission", "nominated", str(opened["id"]), "--on", "2026-11-28", ok=False)
    assert_one_line_error(early, "only an approved package is sent")


def test_the_status_names_the_nominating_party(database_url: str) -> None:
    with session_scope() as session:
        sid = open_submission(session, SCROLL, SCROLL_EDITION, nominator=THIRD_PARTY).id
    status = run_json("submission", "status", str(sid))
    assert status["nominator"]["organisation"] == THIRD_PARTY.organisation
    assert status["nominator"]["confirmed_on"] is None
    said = run("submission", "status", str(sid)).stdout
    assert f"Nominated by {THIRD_PARTY.organisation} ({THIRD_PARTY.contact}, " \
           f"{THIRD_PARTY.email})" in said
