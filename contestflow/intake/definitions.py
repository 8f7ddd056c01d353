"""Contest definitions for the intake, loaded once and reloaded only when a YAML file changes.

``catalog_for`` parses and validates every definition on each call (about 0.1 s for six
contests); an upload needs its item's limits several times, and a busy intake many times a
second. The cache key is what the catalog depends on: each file's name, size and modification
time, and the set of known departments.
"""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from contestflow.catalog import Catalog, load_catalog
from contestflow.db.models import Edition, Submission
from contestflow.submission.service import department_ids
from schemas import CONTESTS_DIR, ContestDefinition

_lock = threading.Lock()
_cached: dict[str, object] = {}


def cached_catalog(session: Session) -> Catalog:
    known = tuple(sorted(department_ids(session)))
    files = tuple((path.name, path.stat().st_mtime_ns, path.stat().st_size)
                  for path in sorted(CONTESTS_DIR.glob("*.yaml")))
    key = (known, files)
    with _lock:
        if _cached.get("key") == key:
            return _cached["catalog"]  # type: ignore[return-value]
    catalog = load_catalog(CONTESTS_DIR, known_departments=known)
    with _lock:
        _cached.update(key=key, catalog=catalog)
    return catalog


def definition_for(session: Session, submission: Submission
                   ) -> tuple[ContestDefinition, Edition]:
    """Like ``submission.service.definition_of``, from the cached catalog."""
    edition = session.get(Edition, submission.edition_id)
    assert edition is not None  # a foreign key guarantees it
    return cached_catalog(session).get(edition.contest_id), edition
