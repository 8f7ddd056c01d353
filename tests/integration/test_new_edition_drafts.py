"""Issue 10's last test: a new edition made from the last one, and opening it offers each
department what the city sent last time for the items that rarely change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import OutboxMessage
from contestflow.editions import new_edition
from contestflow.intake.drafts import confirm_draft, draft_pending
from contestflow.intake.requests import notify_material_requests
from contestflow.submission.opening import open_submission
from tests.intake.test_drafts import CONTEST, REUSABLE, _request, earlier_entry


def test_a_new_edition_from_the_last_one_offers_last_times_material(
        database_url: str, tmp_path: Path) -> None:
    with session_scope() as session:
        last = earlier_entry(session, tmp_path, "2028", up_to="sent")
        made = new_edition(session, CONTEST, "2030", made_from="2028")
        assert all(phase.expected for phase in made.phases)
        assert made.phases[0].deadline == dt.date(2030, 3, 13)
        submission = open_submission(session, CONTEST, "2030")
        offered = {r.item_id: r.draft_from_id for r in submission.requests if r.draft_from_id}
        assert offered == {item: _request(last, item).id for item in REUSABLE}
        draft = draft_pending(session, _request(submission, "city-description"))
        assert draft is not None and draft.edition == "2028"
        notify_material_requests(session, submission)
        mails = {m.to_addr: m.body for m in session.scalars(select(OutboxMessage))
                 if m.to_addr == "economy@stavropol.example"}
        assert "Вот что вы отправили в прошлый раз (2028)" in mails["economy@stavropol.example"]
        # The department confirms: the same stored file becomes this entry's material.
        earlier = _request(last, "city-description").materials[-1]
        (material,) = confirm_draft(session, _request(submission, "city-description").id,
                                    actor="department:economy")
        assert material.sha256 == earlier.sha256
        assert draft_pending(session, _request(submission, "city-description")) is None
