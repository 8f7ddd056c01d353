"""The translation review pages: what a reviewer sees, what a save changes, and what a bad save
leaves untouched (nothing at all)."""

from __future__ import annotations

import io
import re
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from docx import Document as open_docx
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Document, Segment, TranslationUnit
from contestflow.lifecycle import transition
from contestflow.materials import record_material
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.review import withdraw
from contestflow.submission.translating import TranslationJob, translate_job
from contestflow.translation import import_memory
from contestflow.translation.state import document_for
from contestflow.web.sessions import coordinator_login_url
from demo.samples import build_samples, build_translation_memory, reviewer_translations
from tests.browser import screenshot_path
from tests.web.conftest import Intake


@pytest.fixture
def waiting(intake: Intake, tmp_path: Path) -> TranslationJob:
    """The project description translated from last year's memory: two sentences wait."""
    samples = build_samples(tmp_path / "samples")
    tmx = tmp_path / "memory.tmx"
    build_translation_memory(tmx)
    with session_scope() as session:
        import_memory(session, tmx.read_bytes(), "ru", "en")
        stored = get_store().put_file(samples["project"])
        record_material(session, intake.request_id("project"), stored, filename="project.docx",
                        media_type="application/octet-stream", actor="culture")
        (job,) = steps.translation_jobs(session, steps.load(session, intake.submission_id))
    assert not translate_job(get_store(), job, None, tmp_path / "review")
    return job


def coordinator(intake: Intake) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=intake.base_url, follow_redirects=False, timeout=60)
    link = coordinator_login_url(asked_by="test")
    login = client.get("/coordinator/login" + link.split("/login", 1)[1])
    assert login.status_code == 303
    page = client.get(f"/coordinator/submissions/{intake.submission_id}")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return client, match.group(1)


def stored_state(job: TranslationJob) -> tuple[str | None, list[tuple[str, str, str, str]]]:
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None
        rows = session.scalars(select(Segment).where(Segment.document_id == document.id)
                               .order_by(Segment.position))
        return document.output_sha256, [(r.target_text, r.origin, r.review_state, r.comment)
                                        for r in rows]


def form_of(page: str) -> dict[str, str]:
    """The page's form as a browser would send it (ticked boxes only)."""
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    for name, text in re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        fields[name] = _unescape(text)
    for name, value in re.findall(r'<input name="(comment-\d+)" value="([^"]*)"', page):
        fields[name] = _unescape(value)
    for name in re.findall(r'<input type="checkbox" name="([^"]+)" value="1"[^>]* checked', page):
        fields[name] = "1"
    return fields


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def document_id_of(job: TranslationJob) -> int:
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None
        return document.id


def pending_positions(job: TranslationJob) -> list[int]:
    return [i for i, row in enumerate(stored_state(job)[1]) if row[1] == "source"]


def source_of(job: TranslationJob, position: int) -> str:
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None
        return document.segments[position].source_text


def test_the_submission_lists_its_translations(intake: Intake, waiting: TranslationJob) -> None:
    client, _ = coordinator(intake)
    with closing(client):
        page = client.get(f"/coordinator/submissions/{intake.submission_id}/translations")
        assert page.status_code == 200
        assert "project.docx (v1)" in page.text and "русский → английский" in page.text
        assert "Проект: цели, реализация, результаты" in page.text  # the item by its title
        with session_scope() as session:
            document = document_for(session, waiting.material_id, waiting.target_lang)
            assert document is not None
            link = f"/coordinator/translations/{document.id}"
        assert link in page.text
        assert client.get("/coordinator/submissions/999/translations").status_code == 404


def test_the_page_shows_origins_flags_and_what_waits(intake: Intake,
                                                     waiting: TranslationJob) -> None:
    client, _ = coordinator(intake)
    document_id = document_id_of(waiting)
    with closing(client):
        page = client.get(f"/coordinator/translations/{document_id}")
        assert page.status_code == 200
        assert page.text.count('class="untranslated') == 2
        assert re.search(r'id="untranslated">2<', page.text)
        assert "память переводов" in page.text and "не переведено" in page.text
        attention = client.get(f"/coordinator/translations/{document_id}",
                               params={"attention": "true"})
        assert attention.text.count("<textarea") < page.text.count("<textarea")
        assert attention.text.count('class="untranslated') == 2
        assert client.get("/coordinator/translations/99999").status_code == 404
    anonymous = httpx.get(f"{intake.base_url}/coordinator/translations/{document_id}")
    assert anonymous.status_code == 401


def test_saving_fills_approves_and_moves_the_submission_on(intake: Intake,
                                                           waiting: TranslationJob) -> None:
    client, _ = coordinator(intake)
    document_id = document_id_of(waiting)
    first, second = pending_positions(waiting)
    answers = reviewer_translations()
    with closing(client):
        page = client.get(f"/coordinator/translations/{document_id}")
        form = form_of(page.text)
        form[f"target-{first}"] = answers[source_of(waiting, first)]
        form[f"target-{second}"] = answers[source_of(waiting, second)]
        form[f"approve-{first}"] = "1"
        form[f"comment-{second}"] = "проверить у комитета"
        saved = client.post(f"/coordinator/translations/{document_id}", data=form)
        assert saved.status_code == 303, saved.text
        assert "done=saved" in saved.headers["location"]
        assert "Перевод сохранён." in client.get(saved.headers["location"]).text

    version, rows = stored_state(waiting)
    approved, reviewed = answers[source_of(waiting, first)], answers[source_of(waiting, second)]
    assert rows[first] == (approved, "human", "approved", "")
    assert rows[second] == (reviewed, "human", "reviewed", "проверить у комитета")
    assert not pending_positions(waiting)
    with session_scope() as session:
        memory = session.scalars(select(TranslationUnit.target_text)).all()
        assert approved in memory
        assert reviewed not in memory  # reviewed, not approved
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "translation.reviewed")).one()
        assert event.details["approved"] >= 1 and event.subject_id == str(document_id)
    output = open_docx(io.BytesIO(get_store().read_bytes(version)))
    text = "\n".join(p.text for p in output.paragraphs)
    assert approved.split("{")[0][:20] in text
    # Everything is translated: the waiting flow is started without anyone running a command.
    assert intake.advanced_times(1)


def test_unticking_an_approval_withdraws_it(intake: Intake, waiting: TranslationJob) -> None:
    client, _ = coordinator(intake)
    document_id = document_id_of(waiting)
    translated = next(i for i, row in enumerate(stored_state(waiting)[1]) if row[1] != "source")
    with closing(client):
        form = form_of(client.get(f"/coordinator/translations/{document_id}").text)
        form[f"approve-{translated}"] = "1"
        assert client.post(f"/coordinator/translations/{document_id}",
                           data=form).status_code == 303
        assert stored_state(waiting)[1][translated][2] == "approved"
        form = form_of(client.get(f"/coordinator/translations/{document_id}").text)
        assert form.pop(f"approve-{translated}") == "1"  # shown ticked
        assert client.post(f"/coordinator/translations/{document_id}",
                           data=form).status_code == 303
    assert stored_state(waiting)[1][translated][2] == "reviewed"


def test_broken_markers_save_nothing_and_keep_the_typing(intake: Intake,
                                                        waiting: TranslationJob) -> None:
    client, _ = coordinator(intake)
    with session_scope() as session:
        document = document_for(session, waiting.material_id, waiting.target_lang)
        document_id = document.id
        tagged = next(s.position for s in document.segments if "{1}" in s.source_text)
    before = stored_state(waiting)
    first = pending_positions(waiting)[0]
    with closing(client):
        form = form_of(client.get(f"/coordinator/translations/{document_id}").text)
        form[f"target-{first}"] = "A sentence typed with care."
        form[f"target-{tagged}"] = "The markers are gone {1}here"
        refused = client.post(f"/coordinator/translations/{document_id}", data=form)
    assert refused.status_code == 422
    assert "Не сохранено." in refused.text and "Метки нарушены" in refused.text
    assert "A sentence typed with care." in refused.text  # nothing typed is lost
    assert stored_state(waiting) == before


def test_a_stale_page_saves_nothing(intake: Intake, waiting: TranslationJob) -> None:
    client, _ = coordinator(intake)
    document_id = document_id_of(waiting)
    first, second = pending_positions(waiting)
    with closing(client):
        opened_first = form_of(client.get(f"/coordinator/translations/{document_id}").text)
        opened_second = dict(opened_first)
        opened_first[f"target-{first}"] = "Saved by the first reviewer."
        assert client.post(f"/coordinator/translations/{document_id}",
                           data=opened_first).status_code == 303
        after_first = stored_state(waiting)
        opened_second[f"target-{second}"] = "Typed by the second reviewer."
        stale = client.post(f"/coordinator/translations/{document_id}", data=opened_second)
    assert stale.status_code == 409 and "someone saved this translation" in stale.text
    assert "Saved by the first reviewer." in stale.text  # the page shows the current text
    assert stored_state(waiting) == after_first


def test_forged_and_late_saves_are_refused(intake: Intake, waiting: TranslationJob) -> None:
    client, _ = coordinator(intake)
    document_id = document_id_of(waiting)
    before = stored_state(waiting)
    with closing(client):
        form = form_of(client.get(f"/coordinator/translations/{document_id}").text)
        form[f"target-{pending_positions(waiting)[0]}"] = "Forged."
        forged = client.post(f"/coordinator/translations/{document_id}",
                             data={**form, "csrf_token": "wrong"})
        assert forged.status_code == 403
        unknown = client.post(f"/coordinator/translations/{document_id}",
                              data={**form, "target-9999": "No such row."})
        assert unknown.status_code == 422 and "no segments 10000" in unknown.text
        assert stored_state(waiting) == before
        with session_scope() as session:
            withdraw(session, intake.submission_id, actor="coordinator", reason="test")
        final = client.post(f"/coordinator/translations/{document_id}", data=form)
        assert final.status_code == 422 and "translations are final" in final.text
        page = client.get(f"/coordinator/translations/{document_id}")
        assert "readonly" in page.text and "Сохранить перевод" not in page.text
    assert stored_state(waiting) == before


def test_a_replaced_version_is_not_reviewable(intake: Intake, waiting: TranslationJob,
                                              tmp_path: Path) -> None:
    with session_scope() as session:
        old_id = document_for(session, waiting.material_id, waiting.target_lang).id
        samples = build_samples(tmp_path / "v2")
        stored = get_store().put_file(samples["brief-description"])
        record_material(session, intake.request_id("project"), stored, filename="v2.docx",
                        media_type="application/octet-stream", actor="culture")
    client, _ = coordinator(intake)
    with closing(client):
        page = client.get(f"/coordinator/translations/{old_id}")
    assert page.status_code == 404 and "сделан для прежней версии файла" in page.text
    with session_scope() as session:
        assert session.get(Document, old_id) is not None  # history is kept, just not editable


@pytest.mark.browser
def test_a_reviewer_translates_and_approves_in_the_browser(  # type: ignore[no-untyped-def]
        chromium, intake: Intake, waiting: TranslationJob, tmp_path: Path) -> None:
    document_id = document_id_of(waiting)
    first, second = pending_positions(waiting)
    answers = reviewer_translations()
    texts = {first: answers[source_of(waiting, first)], second: answers[source_of(waiting, second)]}
    context = chromium.new_context(locale="ru-RU", viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    try:
        link = coordinator_login_url(asked_by="test")
        page.goto(link.replace("http://127.0.0.1:8000", intake.base_url))
        page.goto(f"{intake.base_url}/coordinator/submissions/{intake.submission_id}")
        page.get_by_role("link", name="Переводы").click()
        page.locator(f'a[href="/coordinator/translations/{document_id}"]').click()
        page.get_by_text("Показать только строки, требующие внимания").click()
        assert page.locator("textarea").count() < len(stored_state(waiting)[1])
        for position, text in texts.items():
            page.get_by_label(f"Перевод {position + 1}", exact=True).fill(text)
            page.get_by_label(f"Утвердить {position + 1}", exact=True).check()
        page.get_by_role("button", name="Сохранить перевод").click()
        page.get_by_text("Перевод сохранён.").wait_for(timeout=15000)
        assert page.locator("#untranslated").inner_text() == "0"
        shot = screenshot_path("translation-review.png", tmp_path)
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()
    rows = stored_state(waiting)[1]
    assert [rows[p][:3] for p in texts] == [(t, "human", "approved") for t in texts.values()]


def test_the_pages_show_how_far_each_document_is(intake: Intake, waiting: TranslationJob,
                                                 tmp_path: Path) -> None:
    _version, rows = stored_state(waiting)
    total, left = len(rows), len(pending_positions(waiting))
    memory = sum(1 for r in rows if r[1] in ("glossary", "memory"))
    assert left == 2 and memory == total - left  # the fixture: no MT, two sentences wait
    client, _ = coordinator(intake)
    with closing(client):
        page = client.get(f"/coordinator/submissions/{intake.submission_id}/translations").text
        percent = 100 * (total - left) // total
        assert f'<progress class="document" max="{total}" value="{total - left}"' in page
        assert (f"сегменты: переведено {total - left} из {total} ({percent}%); из памяти "
                f"{memory}, машинный перевод 0, ждут человека 2") in page
        submission = client.get(f"/coordinator/submissions/{intake.submission_id}").text
        assert '<progress class="document"' not in submission  # a draft: nothing to show
        with session_scope() as session:
            for before, after in (("draft", "collecting"), ("collecting", "translating")):
                transition(session, intake.submission_id, before, after, actor="test")
        submission = client.get(f"/coordinator/submissions/{intake.submission_id}").text
        assert ('project.docx</span> (английский): <progress class="document" '
                f'max="{total}" value="{total - left}"') in submission
        assert "ждут человека 2" in submission
