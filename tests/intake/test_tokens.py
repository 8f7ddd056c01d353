"""Upload links: signed, expiring, bound to a request and its department, revocable."""

from __future__ import annotations

import datetime as dt

import pytest

from contestflow.db import session_scope
from contestflow.db.models import MaterialRequest
from contestflow.intake.errors import AccessRefused
from contestflow.intake.tokens import current_token, mint_token, revoke_tokens, verify_token
from contestflow.submission.opening import open_submission


def _requests(session) -> dict[str, MaterialRequest]:  # type: ignore[no-untyped-def]
    submission = open_submission(session, "uclg-culture21", "2028")
    return {r.item_id: r for r in submission.requests}


def test_a_link_gives_its_request_and_department(database_url: str) -> None:
    with session_scope() as session:
        project = _requests(session)["project"]
        grant = verify_token(session, mint_token(session, project, actor="test"), project.id)
        assert (grant.request_id, grant.department_id) == (project.id, "culture")
        assert grant.expires_at > dt.datetime.now(dt.UTC) + dt.timedelta(days=13)


@pytest.mark.parametrize("case", ["tampered", "expired", "revoked", "other request",
                                  "garbage"])
def test_bad_links_are_refused(database_url: str, case: str) -> None:
    with session_scope() as session:
        requests = _requests(session)
        project, letter = requests["project"], requests["presentation-letter"]
        token = mint_token(session, project, actor="test")
        target, expected = project.id, "token_invalid"
        if case == "tampered":
            token = token.replace(token[5], "A" if token[5] != "A" else "B", 1)
        elif case == "expired":
            past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
            token, expected = mint_token(session, project, actor="t", expires_at=past), \
                "token_expired"
        elif case == "revoked":
            revoke_tokens(session, project.id, actor="coordinator")
            expected = "token_revoked"
        elif case == "other request":
            target, expected = letter.id, "wrong_request"
        else:
            token = "not even a token"
        with pytest.raises(AccessRefused) as refused:
            verify_token(session, token, target)
        assert refused.value.code == expected
        assert refused.value.status == 403


def test_a_link_reused_by_reminders_is_the_same_until_revoked(database_url: str) -> None:
    with session_scope() as session:
        project = _requests(session)["project"]
        first = current_token(session, project)
        assert current_token(session, project) == first
        assert revoke_tokens(session, project.id, actor="coordinator") == 1
        second = current_token(session, project)
        assert second != first
        verify_token(session, second, project.id)


def test_a_link_dies_with_the_secret_key(database_url: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from contestflow.config import get_settings

    with session_scope() as session:
        project = _requests(session)["project"]
        token = mint_token(session, project, actor="test")
        monkeypatch.setenv("CONTESTFLOW_SECRET_KEY", "another-secret")
        get_settings.cache_clear()
        with pytest.raises(AccessRefused):
            verify_token(session, token, project.id)
