"""Structured items (the mayor's details, the person responsible): fields a department fills
in on its upload page, checked, and kept as a new version of the request's material (JSON), in
the language the contest is submitted in. They fill the form's table and never go to MT."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.db.models import Material, MaterialRequest, Submission
from contestflow.intake.errors import UploadRefused
from contestflow.materials import (
    MaterialError,
    NoSuchFile,
    current_files,
    get_request,
    latest_material,
    record_material,
)
from contestflow.states import OPEN_FOR_MATERIAL
from contestflow.store import FileStore
from contestflow.wording import date_text
from schemas.contest import ContestItem, Edition, FieldSpec

if TYPE_CHECKING:
    from contestflow.intake.accept import Accepted

MAX_VALUE = 300
MEDIA_TYPE = "application/json"


def fields_item(session: Session, request_id: int) -> tuple[MaterialRequest, ContestItem, str]:
    """The request, its structured item and the language its fields are written in."""
    request = get_request(session, request_id)
    submission = session.get(Submission, request.submission_id)
    assert submission is not None
    definition, _ = definition_of(session, submission)
    item = definition.item(request.item_id)
    if not item.structured:
        raise MaterialError(f"{item.title.en} is sent as a file, not as fields")
    return request, item, definition.submission_language


def clean_values(item: ContestItem, values: Mapping[str, str],
                 specs: list[FieldSpec] | None = None) -> dict[str, str]:
    """The values in the fields' order, or a refusal that names the field. Dates are kept as
    YYYY-MM-DD (typed as that or as дд.мм.гггг), a choice as its English name."""
    specs = item.fields if specs is None else specs
    unknown = sorted(set(values) - {spec.id for spec in specs})
    if unknown:
        names = ", ".join(unknown)
        raise UploadRefused("bad_fields", reason_ru=f"у «{item.title.ru}» нет полей {names}",
                            reason_en=f"{item.title.en} has no field {names}")
    cleaned = {}
    for spec in specs:
        value = " ".join(str(values.get(spec.id, "")).split())
        if len(value) > MAX_VALUE:
            raise UploadRefused("bad_fields",
                                reason_ru=f"«{spec.title.ru}» — не больше {MAX_VALUE} знаков",
                                reason_en=f"{spec.title.en}: at most {MAX_VALUE} characters")
        if spec.required and not value:
            raise UploadRefused("bad_fields", reason_ru=f"поле «{spec.title.ru}» не заполнено",
                                reason_en=f"{spec.title.en} is required")
        cleaned[spec.id] = _typed(spec, value) if value else ""
    return cleaned


def _typed(spec: FieldSpec, value: str) -> str:
    if spec.type == "date":
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(value, pattern).date().isoformat()
            except ValueError:
                continue
        raise UploadRefused("bad_fields",
                            reason_ru=f"«{spec.title.ru}»: дата в виде дд.мм.гггг",
                            reason_en=f"{spec.title.en}: a date as YYYY-MM-DD")
    if spec.type == "choice":
        for choice in spec.choices:
            if value.casefold() in (choice.ru.casefold(), choice.en.casefold()):
                return choice.en
        options_ru = ", ".join(c.ru for c in spec.choices)
        options_en = ", ".join(c.en for c in spec.choices)
        raise UploadRefused("bad_fields",
                            reason_ru=f"«{spec.title.ru}»: одно из: {options_ru}",
                            reason_en=f"{spec.title.en}: one of {options_en}")
    return value


def _piece_item(session: Session, request: MaterialRequest) -> tuple[ContestItem, Edition]:
    """The request's item and edition, refused unless the item records details per file."""
    submission = session.get(Submission, request.submission_id)
    assert submission is not None
    definition, edition = definition_of(session, submission)
    item = definition.item(request.item_id)
    if not item.file_fields:
        raise UploadRefused("bad_fields", reason_ru=f"у «{item.title.ru}» нет сведений о файлах",
                            reason_en=f"{item.title.en} records nothing about its files")
    return item, definition.edition(edition.key)


def check_piece(session: Session, request_id: int, values: Mapping[str, str]) -> dict[str, str]:
    """What the item records of one of its files (a press piece's outlet, author, date and
    kind), cleaned, or a refusal: a field missing or malformed, or a piece published outside
    the edition's publication window."""
    item, window = _piece_item(session, get_request(session, request_id))
    cleaned = clean_values(item, values, item.file_fields)
    published = cleaned.get("published_on", "")
    if published and not window.published_within(dt.date.fromisoformat(published)):
        assert window.publication_window is not None
        start, end = window.publication_window
        day = dt.date.fromisoformat(published)
        raise UploadRefused("outside_window", published_ru=date_text(day, "ru"),
                            published_en=date_text(day, "en"), start_ru=date_text(start, "ru"),
                            start_en=date_text(start, "en"), end_ru=date_text(end, "ru"),
                            end_en=date_text(end, "en"))
    return cleaned


def describe_file(session: Session, request_id: int, slot: int, values: Mapping[str, str],
                  *, actor: str) -> Material:
    """Record what the item asks of each of its files (a press piece's outlet, author, date
    and kind) on file number ``slot``, in place: details are not a new version of the file.
    A piece dated outside the edition's publication window is refused (``check_piece``)."""
    request = get_request(session, request_id)
    submission = session.get(Submission, request.submission_id)
    assert submission is not None
    if submission.state not in OPEN_FOR_MATERIAL:
        raise UploadRefused("closed")
    _piece_item(session, request)
    material = next((m for m in current_files(request) if m.slot == slot), None)
    if material is None:
        raise NoSuchFile(f"request {request_id} has no file {slot}")
    material.details = check_piece(session, request_id, values)
    record_event(session, actor=actor, action="material.described", subject_type="material",
                 subject_id=material.id, **material.details)
    session.flush()
    return material


def record_fields(session: Session, store: FileStore, request_id: int,
                  values: Mapping[str, str], *, actor: str) -> Material:
    """Keep the values as the request's next version; unchanged values add nothing."""
    request, item, language = fields_item(session, request_id)
    cleaned = clean_values(item, values)
    data = json.dumps(cleaned, ensure_ascii=False, indent=2).encode("utf-8")
    latest = latest_material(request)
    if latest is not None and latest.media_type == MEDIA_TYPE and store.exists(latest.sha256) \
            and store.read_bytes(latest.sha256) == data:
        return latest
    stored = store.put_bytes(data)
    return record_material(session, request_id, stored, filename=f"{item.id}.json",
                           media_type=MEDIA_TYPE, language=language, actor=actor)


def current_values(session: Session, store: FileStore, request: MaterialRequest) -> dict[str, str]:
    """What the department last entered (empty when nothing yet)."""
    latest = latest_material(request)
    if latest is None or latest.media_type != MEDIA_TYPE:
        return {}
    values = json.loads(store.read_bytes(latest.sha256))
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


def receive_fields(request_id: int, values: Mapping[str, str], *, actor: str) -> Accepted:
    """The web's entry point for fields: checked, kept, and whether the flow can move on."""
    from contestflow.intake.accept import (
        Accepted,
        owe_advance_if_ready,
        retrying,
        upload_target,
    )
    from contestflow.store import get_store

    target = retrying(lambda session: upload_target(session, request_id))
    if not target.open:
        raise UploadRefused("closed")

    def record(session: Session) -> Accepted:
        material = record_fields(session, get_store(), request_id, values, actor=actor)
        return Accepted(material.id, material.version, material.sha256, material.size,
                        material.filename, material.media_type, target.submission_id,
                        owe_advance_if_ready(session, target.submission_id))

    return retrying(record)
