"""`contestflow submission shortlist | mark-sent | online-form`, as a coordinator types them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import assert_one_line_error, run, run_json
from tests.integration.test_delivery_modes import approved


def test_shortlist_after_the_short_form(database_url: str) -> None:
    sid = approved("uclg-culture21", "2024")
    out = run("submission", "mark-sent", str(sid), "--how", "e-mail to cultureaward@uclg.org")
    assert f"contestflow submission shortlist {sid} --shortlisted" in out.stdout
    status = run_json("submission", "status", str(sid))
    assert status["awaiting_shortlist"] is True
    assert [p["state"] for p in status["phases"]] == ["current", "later"]
    plain = run("submission", "status", str(sid)).stdout
    assert "Phase “Full form (finalists)” (deadline 2024-04-03): after the shortlist" in plain
    # A prize is not the short form's result.
    assert_one_line_error(run("results", "record", str(sid), "--outcome", "winner", ok=False),
                          "record the organiser's shortlist first")
    decision = run_json("submission", "shortlist", str(sid), "--shortlisted")
    assert decision == {"id": sid, "phase": "short-form", "shortlisted": True,
                        "state": "collecting", "next_phase": "full-form",
                        "requests_added": 6}
    assert_one_line_error(run("submission", "shortlist", str(sid), "--shortlisted", ok=False),
                          "is in the last phase, “Full form (finalists)”")


def test_not_shortlisted_in_russian(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = approved("uclg-culture21", "2024")
    run("submission", "mark-sent", str(sid), "--how", "e-mail")
    monkeypatch.setenv("CONTESTFLOW_LANGUAGE", "ru")
    out = run("submission", "shortlist", str(sid), "--not-shortlisted").stdout
    assert f"Заявка {sid} не прошла в финал" in out
    refused = run("submission", "shortlist", str(sid), "--shortlisted", ok=False)
    assert_one_line_error(refused, "решение об отборе по этапу «Краткая анкета»")


def test_a_one_phase_edition_refuses_a_shortlist(database_url: str) -> None:
    sid = approved("uclg-culture21", "2028")
    assert_one_line_error(run("submission", "shortlist", str(sid), "--shortlisted", ok=False),
                          "has one phase and no shortlist")


def test_the_online_form_sending_from_the_command_line(database_url: str,
                                                       tmp_path: Path) -> None:
    sid = approved("uclg-culture21", "2028")
    fields = run_json("submission", "online-form", str(sid))
    assert [f["number"] for f in fields][:3] == ["1.1", "1.2", "1.3"]
    assert all(f["text"] == "" for f in fields)  # nothing has arrived in this test
    assert_one_line_error(run("submission", "mark-sent", str(sid), "--how", "online form",
                              ok=False), "attach the proof that the entry arrived")
    proof = tmp_path / "confirmation.pdf"
    proof.write_bytes(b"%PDF-1.4 thank you for your application")
    sent = run_json("submission", "mark-sent", str(sid), "--how", "online form",
                    "--proof", str(proof))
    assert sent["state"] == "sent" and len(sent["proof_sha256"]) == 64
    assert run_json("submission", "status", str(sid))["sent"]["proof"]["filename"] == (
        "confirmation.pdf")
