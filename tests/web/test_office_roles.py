"""The office's doors: accounts and roles, CSRF on every change, refusals as Russian pages."""

from __future__ import annotations

from contextlib import closing

import httpx
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Submission
from contestflow.submission.opening import open_submission
from tests.web.office import PASSWORD, Office

CONTEST, EDITION = "iac-city-to-live", "2027"


def _opened() -> int:
    with session_scope() as session:
        return open_submission(session, CONTEST, EDITION).id


def test_a_wrong_password_is_refused_in_russian_and_leaves_no_session(office: Office) -> None:
    with closing(httpx.Client(base_url=office.base_url)) as client:
        form = client.get("/login")
        token = form.text.split('name="form_token" value="', 1)[1].split('"', 1)[0]
        answer = client.post("/login", data={"login": "ivanova", "password": "wrong password",
                                             "form_token": token})
        assert answer.status_code == 401
        assert "Неверный логин или пароль" in answer.text
        assert client.get("/coordinator").status_code == 401


def test_a_sign_in_form_from_another_site_is_refused(office: Office) -> None:
    with closing(httpx.Client(base_url=office.base_url)) as client:
        answer = client.post("/login", data={"login": "ivanova", "password": PASSWORD,
                                             "form_token": "forged"})
        assert answer.status_code == 403 and "Форма входа устарела" in answer.text


def test_the_coordinator_opens_and_withdraws_and_the_log_names_her(office: Office) -> None:
    client, csrf = office.signed_in("ivanova")
    with closing(client):
        opened = client.post("/coordinator/submissions", data={
            "csrf_token": csrf, "contest": CONTEST, "edition": EDITION, "title": "Двор"})
        assert opened.status_code == 200 and "Заявка открыта" in opened.text
        submission_id = int(opened.url.path.rsplit("/", 1)[1])
        withdrawn = client.post(f"/coordinator/submissions/{submission_id}/withdraw",
                                data={"csrf_token": csrf, "reason": "Передумали"})
        assert "Заявка отозвана" in withdrawn.text
        assert "Отозвать заявку" not in withdrawn.text  # no action a finished entry cannot take
    with session_scope() as session:
        actors = set(session.scalars(select(AuditEvent.actor).where(
            AuditEvent.subject_type == "submission",
            AuditEvent.subject_id == str(submission_id))))
    assert actors == {"Иванова Мария Петровна (ivanova)"}


def test_a_reviewer_can_neither_open_nor_withdraw(office: Office) -> None:
    submission_id = _opened()
    client, csrf = office.signed_in("petrov")
    with closing(client):
        page = client.get(f"/coordinator/submissions/{submission_id}")
        assert page.status_code == 200 and "Отозвать заявку" not in page.text
        opened = client.post("/coordinator/submissions", data={
            "csrf_token": csrf, "contest": CONTEST, "edition": EDITION, "nomination": "x"})
        withdrawn = client.post(f"/coordinator/submissions/{submission_id}/withdraw",
                                data={"csrf_token": csrf, "reason": "x"})
        for answer in (opened, withdrawn):
            assert answer.status_code == 403 and "Ваша роль не позволяет" in answer.text
    with session_scope() as session:
        assert session.get(Submission, submission_id).state == "draft"
        assert session.scalar(select(Submission).where(Submission.nomination == "x")) is None


def test_read_only_sees_but_cannot_move_anything(office: Office) -> None:
    submission_id = _opened()
    client, csrf = office.signed_in("lead")
    with closing(client):
        page = client.get(f"/coordinator/submissions/{submission_id}")
        assert page.status_code == 200
        assert "Отправить запросы подразделениям" not in page.text
        answer = client.post(f"/coordinator/submissions/{submission_id}/advance",
                             data={"csrf_token": csrf})
        assert answer.status_code == 403


def test_a_form_without_its_csrf_token_changes_nothing(office: Office) -> None:
    submission_id = _opened()
    client, _csrf = office.signed_in("ivanova")
    with closing(client):
        for token in ("", "forged"):
            answer = client.post(f"/coordinator/submissions/{submission_id}/withdraw",
                                 data={"csrf_token": token, "reason": "x"})
            assert answer.status_code == 403
    with session_scope() as session:
        assert session.get(Submission, submission_id).state == "draft"


def test_refusals_are_pages_in_russian_and_json_for_scripts(office: Office) -> None:
    with closing(httpx.Client(base_url=office.base_url)) as client:
        home = client.get("/")
        assert home.status_code == 303 and home.headers["location"] == "/coordinator"
        expired = client.get("/coordinator", headers={"cookie": "cf_office=expired"})
        assert expired.status_code == 401 and "text/html" in expired.headers["content-type"]
        assert "Войдите, чтобы продолжить" in expired.text
        assert 'href="/login?next=/coordinator"' in expired.text
        script = client.get("/coordinator", headers={"accept": "application/json"})
        assert script.status_code == 401 and script.json() == {"detail": "sign in first"}
        missing = client.get("/no/such/page")
        assert missing.status_code == 404 and "Страница не найдена" in missing.text
        assert '"detail"' not in missing.text
    client, _ = office.signed_in("ivanova")
    with closing(client):
        gone = client.get("/coordinator/submissions/999")
        assert gone.status_code == 404 and "text/html" in gone.headers["content-type"]


def test_a_deactivated_account_is_out_at_its_next_request(office: Office) -> None:
    from contestflow.accounts import deactivate

    client, _ = office.signed_in("petrov")
    with closing(client):
        with session_scope() as session:
            deactivate(session, "petrov", actor="test")
        assert client.get("/coordinator").status_code == 401


def test_signing_out_ends_the_session(office: Office) -> None:
    client, csrf = office.signed_in("ivanova")
    with closing(client):
        out = client.post("/logout", data={"csrf_token": csrf})
        assert out.url.path == "/login"
        assert client.get("/coordinator").status_code == 401


def _approved() -> int:
    from contestflow.lifecycle import transition

    submission_id = _opened()
    with session_scope() as session:
        state = "draft"
        for new in ("collecting", "translating", "assembling", "in_review", "approved"):
            transition(session, submission_id, state, new, actor="test")
            state = new
    return submission_id


def test_a_sending_is_recorded_with_its_proof_file(office: Office) -> None:
    from contestflow.lifecycle import get_submission
    from contestflow.sending import how_sent
    from contestflow.store import get_store

    submission_id = _approved()
    proof = b"%PDF-1.4\n% the organiser's confirmation\n%%EOF\n"
    client, csrf = office.signed_in("ivanova")
    with closing(client):
        url = f"/coordinator/submissions/{submission_id}/sent"
        forged = client.post(url, data={"csrf_token": "forged", "how": "форма на сайте"},
                             files={"proof": ("confirmation.pdf", proof)})
        assert forged.status_code == 403
        empty = client.post(url, data={"csrf_token": csrf, "how": " "},
                            files={"proof": ("", b"")})  # as a browser sends no file chosen
        assert empty.status_code == 409 and "Укажите, как отправлен пакет" in empty.text
        plain = client.post(url, data={"csrf_token": csrf, "how": "почтой"})  # not multipart
        assert plain.status_code == 400 and "Отправка записана" not in plain.text
        sent = client.post(url, data={"csrf_token": csrf, "how": "форма на сайте МАГ"},
                           files={"proof": ("подтверждение.pdf", proof)})
        assert sent.status_code == 200 and "Отправка записана" in sent.text
        assert "Подтверждение отправки: подтверждение.pdf" in sent.text
    with session_scope() as session:
        info = how_sent(session, get_submission(session, submission_id))
    assert info is not None and info.how == "форма на сайте МАГ"
    assert info.proof is not None and get_store().read_bytes(info.proof.sha256) == proof


def test_downloads_before_a_package_exists_are_pages_not_errors(office: Office) -> None:
    submission_id = _opened()
    client, _ = office.signed_in("lead")  # read-only may download
    with closing(client):
        base = f"/coordinator/submissions/{submission_id}"
        for path in (f"{base}/package", f"{base}/checklist", f"{base}/review/x.review.docx",
                     f"{base}/review/..%2F..%2Fcontestflow.db",
                     "/coordinator/submissions/999/package"):
            answer = client.get(path)
            assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]
