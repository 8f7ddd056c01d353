"""The office's side of a third-party nomination: the nominating party on the opening form,
the city itself refused as a Russian page, their confirmation recorded as the sending."""

from __future__ import annotations

from contextlib import closing

from sqlalchemy import func, select

from contestflow.db import session_scope
from contestflow.db.models import Submission
from tests.integration.test_nominations import SCROLL, THIRD_PARTY, approve_nomination
from tests.web.office import Office

EDITION = "2027"


def _form(csrf: str, organisation: str, email: str) -> dict[str, str]:
    return {"csrf_token": csrf, "contest": SCROLL, "edition": EDITION,
            "nominator": organisation, "nominator_contact": THIRD_PARTY.contact,
            "nominator_email": email}


def test_the_opening_form_asks_the_nominating_party_and_refuses_the_city(office: Office) -> None:
    client, csrf = office.signed_in("ivanova")
    with closing(client):
        page = client.get("/coordinator/contests")
        assert 'name="nominator_contact"' in page.text and 'name="nominator_email"' in page.text
        refused = client.post("/coordinator/submissions", data=_form(
            csrf, "Комитет экономического развития и торговли администрации города Ставрополя",
            "economy@mail.example"))
        assert refused.status_code == 409
        assert "это сам город или один из его органов" in refused.text
        assert "попросите третью сторону" in refused.text
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_the_nominators_confirmation_is_the_sending(office: Office) -> None:
    client, csrf = office.signed_in("ivanova")
    with closing(client):
        opened = client.post("/coordinator/submissions", data=_form(
            csrf, THIRD_PARTY.organisation, THIRD_PARTY.email))
        assert opened.status_code == 200, opened.text
        assert f"Выдвигает: <strong>{THIRD_PARTY.organisation}</strong>" in opened.text
        submission_id = int(opened.url.path.rsplit("/", 1)[1])
        approve_nomination(submission_id)
        page = client.get(f"/coordinator/submissions/{submission_id}")
        assert "Подтверждение номинирующей стороны" in page.text
        assert "Отправить пакет" not in page.text  # the city does not send it itself
        sent = client.post(f"/coordinator/submissions/{submission_id}/nominated", data={
            "csrf_token": csrf, "on": "2026-11-30", "reference": "письмо от 30.11.2026"})
        assert sent.status_code == 200
        assert "Подтверждение номинирующей стороны записано как отправка" in sent.text
        assert "подано ими 30.11.2026" in sent.text
    with session_scope() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None and submission.state == "sent"
