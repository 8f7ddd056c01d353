"""A run asked for and not yet finished is said on the submission's page, in Russian, until the
run settles it: a coordinator who reloads sees that it waits, not that nothing happened."""

from __future__ import annotations

from contextlib import closing

from contestflow.advances import advance_now, owe_advance
from contestflow.db import session_scope
from contestflow.submission.opening import open_submission
from tests.flow_steps import run_steps
from tests.web.office import Office

WAITS = "Запуск по этой заявке запрошен и ещё не закончен"


def test_the_page_says_a_run_waits_until_it_is_done(office: Office) -> None:
    with session_scope() as session:
        submission_id = open_submission(session, "iac-city-to-live", "2027").id
    client, _ = office.signed_in("ivanova")
    with closing(client):
        page = f"/coordinator/submissions/{submission_id}"
        assert WAITS not in client.get(page).text
        with session_scope() as session:  # what an upload or a decision records
            owe_advance(session, submission_id, "material.accepted")
        waiting = client.get(page).text
        assert WAITS in waiting and "обновите страницу через минуту" in waiting
        advance_now(run_steps, submission_id)
        assert WAITS not in client.get(page).text
