"""Loads and validates contest definitions (schemas/contests/*.yaml).

A definition that is wrong is refused with one line that names the file, the line and the
exact field (``items[2].limit.max``), so a coordinator editing YAML by hand can fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from schemas import CONTESTS_DIR, DEPARTMENTS_FILE, ContestDefinition, DepartmentDefinition


class CatalogError(ValueError):
    """A contest definition that cannot be used; the message is one line for a person."""


def _field_path(loc: Iterable[Any]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _line_of(node: yaml.Node | None, loc: Iterable[Any]) -> int | None:
    """The 1-based line of the YAML node at ``loc``, or of its nearest existing parent."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot read the file ({error})") from error
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise CatalogError(f"{path}{where}: not valid YAML ({problem})") from error


def parse_definition(path: Path, known_departments: Iterable[str]) -> ContestDefinition:
    """Read one contest definition, checking it against the schema and the departments."""
    data, root = _read_yaml(path)
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: a contest definition must be a mapping of fields")
    try:
        definition = ContestDefinition.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = first["loc"]
        message = first["msg"].removeprefix("Value error, ")
        line = _line_of(root, loc)
        where = f":{line}" if line else ""
        raise CatalogError(f"{path}{where}: {_field_path(loc)}: {message}") from error
    known = set(known_departments)
    for index, item in enumerate(definition.items):
        if item.department not in known:
            loc = ("items", index, "department")
            line = _line_of(root, loc)
            raise CatalogError(
                f"{path}:{line}: {_field_path(loc)}: unknown department {item.department!r} "
                f"(known: {', '.join(sorted(known))})"
            )
    return definition


def load_departments(path: Path = DEPARTMENTS_FILE) -> list[DepartmentDefinition]:
    data, root = _read_yaml(path)
    if not isinstance(data, list):
        raise CatalogError(f"{path}: the department list must be a YAML list")
    departments = []
    for index, entry in enumerate(data):
        try:
            departments.append(DepartmentDefinition.model_validate(entry))
        except ValidationError as error:
            loc = (index, *error.errors()[0]["loc"])
            raise CatalogError(
                f"{path}:{_line_of(root, loc)}: {_field_path(loc)}: {error.errors()[0]['msg']}"
            ) from error
    return departments


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

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.contests.values())

    def __len__(self) -> int:
        return len(self.contests)


def load_catalog(
    directory: Path = CONTESTS_DIR, known_departments: Iterable[str] | None = None
) -> Catalog:
    """Load every ``*.yaml`` in ``directory``; one bad file refuses the whole catalog."""
    if known_departments is None:
        known_departments = [d.id for d in load_departments()]
    known = list(known_departments)
    catalog = Catalog()
    for path in sorted(Path(directory).glob("*.yaml")):
        definition = parse_definition(path, known)
        if definition.id in catalog.contests:
            raise CatalogError(
                f"{path}: contest id {definition.id!r} is also used by "
                f"{catalog.sources[definition.id]}"
            )
        catalog.contests[definition.id] = definition
        catalog.sources[definition.id] = path
    return catalog
