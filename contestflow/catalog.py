"""Contest definitions (schemas/contests/*.yaml), and which one applies to a submission.

A definition that is wrong is refused with one line that names the file, the line and the
exact field (``items[2].limit.max``), so a coordinator editing YAML by hand can fix it.
Reading the catalog never writes: departments are added when the database is created and by
``contestflow departments sync``.

The YAML is what shipped; the office learns more later (a date confirmed from the organiser's
call, a new edition made from the last one). That is kept in the database as edition overlays
and laid over the YAML by ``catalog_for``, so every reader sees the dates as the office knows
them and a re-sync of the YAML loses nothing: for an edition the YAML has, the office's
confirmed phases replace the YAML's; an edition only the office has is taken whole.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from docxtpl import DocxTemplate
from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.db.models import Contest, Department, Edition, EditionOverlay, Submission
from contestflow.yamlfile import DefinitionError, field_path, line_of, read_yaml, validate
from schemas import CONTESTS_DIR, FORMS_DIR, ContestDefinition
from schemas.contest import STANDARD_FORM_VARIABLES
from schemas.contest import Edition as EditionDefinition


class CatalogError(DefinitionError):
    """A contest definition that cannot be used; the message is one line for a person."""


def parse_definition(path: Path, known_departments: Iterable[str], *,
                     forms: bool = True) -> ContestDefinition:
    """Read one contest definition, checking it against the schema, the departments and
    (unless ``forms`` is False, as when the templates are being built) its form templates."""
    data, root = read_yaml(path, CatalogError)
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: a contest definition must be a mapping of fields")
    definition = validate(path, ContestDefinition, data, root, CatalogError)
    known = set(known_departments)
    for index, item in enumerate(definition.items):
        if item.department not in known:
            loc = ("items", index, "department")
            raise CatalogError(
                f"{path}:{line_of(root, loc)}: {field_path(loc)}: unknown department "
                f"{item.department!r} (known: {', '.join(sorted(known))})"
            )
    if forms:
        check_form_templates(path, definition)
    return definition


def check_form_templates(path: Path, definition: ContestDefinition) -> None:
    """Every variable a form template expects is one the definition provides."""
    if definition.form is None:
        return
    provided = STANDARD_FORM_VARIABLES | {
        definition.item(section.item).variable for section in definition.form.sections}
    for language, name in definition.form.templates.items():
        template = FORMS_DIR / name
        if not template.is_file():
            raise CatalogError(f"{path}: form.templates.{language}: the template {name} is "
                               f"missing from {FORMS_DIR} (run `make forms`)")
        try:
            expected = DocxTemplate(template).get_undeclared_template_variables()
        except Exception as error:  # docxtpl and Jinja2 fail in many ways on a broken file
            raise CatalogError(f"{template}: not a usable form template ({error})") from None
        unknown = sorted(expected - provided)
        if unknown:
            raise CatalogError(
                f"{template}: expects {', '.join(unknown)}, which {path.name} does not "
                f"provide (its form sections give: {', '.join(sorted(provided))})")


@dataclass
class Catalog:
    """Every contest definition in a folder, by id."""

    contests: dict[str, ContestDefinition] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)

    def get(self, contest_id: str) -> ContestDefinition:
        try:
            return self.contests[contest_id]
        except KeyError:
            known = ", ".join(sorted(self.contests)) or "none"
            raise CatalogError(f"unknown contest {contest_id!r} (known: {known})") from None

    def __iter__(self) -> Iterator[ContestDefinition]:
        return iter(self.contests.values())

    def __len__(self) -> int:
        return len(self.contests)


def load_catalog(
    directory: Path = CONTESTS_DIR, known_departments: Iterable[str] = (), *,
    forms: bool = True,
) -> Catalog:
    """Load every ``*.yaml`` in ``directory``; one bad file refuses the whole catalog."""
    known = list(known_departments)
    catalog = Catalog()
    for path in sorted(Path(directory).glob("*.yaml")):
        definition = parse_definition(path, known, forms=forms)
        if definition.id in catalog.contests:
            raise CatalogError(
                f"{path}: contest id {definition.id!r} is also used by "
                f"{catalog.sources[definition.id]}"
            )
        catalog.contests[definition.id] = definition
        catalog.sources[definition.id] = path
    return catalog


def department_ids(session: Session) -> list[str]:
    """The active departments of this database, which contest items may name."""
    return list(session.scalars(select(Department.id).where(Department.active)))


_catalog_lock = threading.Lock()
_catalog_cache: dict[tuple, Catalog] = {}


def overlay_edition(shipped: EditionDefinition | None, office: EditionDefinition,
                    confirmed_phases: Iterable[str] = ()) -> EditionDefinition:
    """An edition as the office knows it: the YAML's with the phases the office confirmed,
    or the office's own where the YAML has no such edition."""
    if shipped is None:
        return office
    wanted = set(confirmed_phases)
    confirmed = {phase.id: phase for phase in office.phases if phase.id in wanted}
    if not confirmed:
        return shipped
    phases = [confirmed.get(phase.id, phase).model_dump() for phase in shipped.phases]
    return EditionDefinition.model_validate({**shipped.model_dump(), "phases": phases})


def _overlaid(catalog: Catalog, overlays: list[EditionOverlay]) -> Catalog:
    by_contest: dict[str, list[EditionOverlay]] = {}
    for row in overlays:
        by_contest.setdefault(row.contest_id, []).append(row)
    result = Catalog(contests=dict(catalog.contests), sources=dict(catalog.sources))
    for contest_id, rows in by_contest.items():
        definition = catalog.contests.get(contest_id)
        if definition is None:  # a contest whose YAML was removed: nothing to lay it over
            continue
        editions = {edition.key: edition for edition in definition.editions}
        for row in rows:
            try:
                office = EditionDefinition.model_validate(row.edition)
                editions[row.key] = overlay_edition(editions.get(row.key), office,
                                                    row.confirmed_phases or ())
            except ValueError as error:
                raise CatalogError(f"{contest_id} {row.key}: the dates kept in the database "
                                   f"do not fit the definition ({error})") from None
        data = definition.model_dump()
        data["editions"] = [edition.model_dump() for edition in editions.values()]
        result.contests[contest_id] = ContestDefinition.model_validate(data)
    return result


def catalog_for(session: Session) -> Catalog:
    """The contest catalog, checked against the departments in this database, with the
    office's overlays (confirmed dates, new editions) laid over it.

    Parsing and validating every definition costs about 0.1 s, and an upload or a status page
    needs it several times; so it is cached under what it depends on (each file's name, size
    and modification time, and the known departments) and reloaded when any of that changes.
    """
    known = tuple(sorted(department_ids(session)))
    files = tuple(
        (path.name, path.stat().st_mtime_ns, path.stat().st_size)
        for path in [*sorted(CONTESTS_DIR.glob("*.yaml")), *sorted(FORMS_DIR.glob("*.docx"))]
    )
    key = (known, files)
    with _catalog_lock:
        cached = _catalog_cache.get(key)
    if cached is None:
        cached = load_catalog(CONTESTS_DIR, known_departments=known)
        with _catalog_lock:
            _catalog_cache.clear()
            _catalog_cache[key] = cached
    overlays = list(session.scalars(select(EditionOverlay).order_by(EditionOverlay.id)))
    if not overlays:
        return cached
    overlay_key = (key, tuple((row.contest_id, row.key, json.dumps(row.edition, sort_keys=True),
                               tuple(row.confirmed_phases or ())) for row in overlays))
    with _catalog_lock:
        overlaid = _catalog_cache.get(overlay_key)
    if overlaid is None:
        overlaid = _overlaid(cached, overlays)
        with _catalog_lock:
            for stale in [k for k in _catalog_cache if k != key]:  # only the latest overlay
                del _catalog_cache[stale]
            _catalog_cache[overlay_key] = overlaid
    return overlaid


def definition_of(session: Session, submission: Submission) -> tuple[ContestDefinition, Edition]:
    """The contest definition and the edition row a submission was opened for."""
    edition = session.get(Edition, submission.edition_id)
    assert edition is not None  # a foreign key guarantees it
    return catalog_for(session).get(edition.contest_id), edition


def _definition_digest(definition: ContestDefinition) -> str:
    payload = json.dumps(definition.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def sync_contest(session: Session, definition: ContestDefinition) -> Contest:
    """Make the database's contest and edition rows match one definition (idempotent)."""
    contest = session.get(Contest, definition.id)
    digest = _definition_digest(definition)
    if contest is None:
        contest = Contest(id=definition.id, name=definition.names.en, definition_sha256=digest)
        session.add(contest)
    elif contest.definition_sha256 != digest:
        contest.name, contest.definition_sha256 = definition.names.en, digest
    rows = {
        e.key: e for e in session.scalars(select(Edition).where(Edition.contest_id == contest.id))
    }
    for edition in definition.editions:
        row = rows.get(edition.key) or Edition(contest_id=definition.id, key=edition.key)
        row.year = edition.year
        row.opens_on = edition.opens_on
        row.deadline = edition.deadline
        row.results_expected_on = edition.results_expected_on
        session.add(row)
    session.flush()
    return contest
