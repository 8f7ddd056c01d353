"""Accepting one file for a material request: check it, store it, record the new version.

The order matters: nothing is recorded before the file is checked and durably stored, so a
refusal or a crash leaves no row pointing at a missing or partial file.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from sqlalchemy.orm import Session

from contestflow.db.models import Material, MaterialRequest
from contestflow.store import LocalFileStore, get_store
from contestflow.submission.materials import MaterialError, record_material
from contestflow.submission.service import definition_of, get_submission


def accept_file(
    session: Session,
    request_id: int,
    path: Path,
    *,
    filename: str,
    language: str,
    actor: str,
    store: LocalFileStore | None = None,
) -> Material:
    """Check ``path`` against the request's item, store it, and record it as the next version."""
    store = store or get_store()
    request = session.get(MaterialRequest, request_id)
    if request is None:
        raise MaterialError(f"there is no material request {request_id}")
    definition, _ = definition_of(session, get_submission(session, request.submission_id))
    item = definition.item(request.item_id)
    extension = Path(filename).suffix.lower().lstrip(".")
    extension = "jpeg" if extension == "jpg" else extension
    if extension not in item.formats:
        raise MaterialError(
            f"{item.title.en} is accepted as {', '.join(item.formats)}, not .{extension or '?'}"
        )
    stored = store.put_file(path, max_size=item.max_size_mb * 1024 * 1024)
    media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return record_material(session, request_id, stored, filename=filename,
                           media_type=media_type, language=language, actor=actor)
