"""Reading the YAML that people edit by hand, with errors that name the file, line and field.

Shared by the contest catalog and the city's identity file: a coordinator who mistypes a field
is told ``contests/x.yaml:14: items[2].limit.max: …`` and can fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class DefinitionError(ValueError):
    """A hand-edited file that cannot be used; the message is one line for a person."""


# A contest definition or a city file is a few kilobytes; anything near this is not one, and
# reading it whole would cost seconds and hundreds of megabytes before saying so.
MAX_DEFINITION_BYTES = 1024 * 1024


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, but an impossible date (2026-02-30) is a YAML error with its
    line, not a bare ValueError from deep inside the constructor."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as problem:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} is not a real date ({problem})",
                node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def field_at(node: yaml.Node | None, mark: yaml.Mark, path: tuple[Any, ...] = ()) -> str | None:
    """The field (``editions[0].deadline``) whose value starts at ``mark``."""
    if node is None:
        return None
    if node.start_mark.line == mark.line and node.start_mark.column == mark.column and path:
        return field_path(path)
    children: list[tuple[Any, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        children = [(key.value, value) for key, value in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = list(enumerate(node.value))
    for part, child in children:
        if child.start_mark.index <= mark.index <= child.end_mark.index:
            found = field_at(child, mark, (*path, part))
            if found:
                return found
    return None


def field_path(loc: Iterable[Any]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def line_of(node: yaml.Node | None, loc: Iterable[Any]) -> int | None:
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


def read_yaml(
    path: Path, error: type[DefinitionError] = DefinitionError
) -> tuple[Any, yaml.Node | None]:
    """The parsed data and its node tree (for line numbers), or ``error`` naming the line."""
    try:
        size = path.stat().st_size
        if size > MAX_DEFINITION_BYTES:
            raise error(f"{path}: {size:,} bytes is too large for a definition (at most "
                        f"{MAX_DEFINITION_BYTES:,}); is it the right file?")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise error(f"{path}: cannot read the file ({problem})") from problem
    root = None
    try:
        root = yaml.compose(text, Loader=_Loader)
        return yaml.load(text, Loader=_Loader), root
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        field = field_at(root, mark) if mark else None
        reason = getattr(problem, "problem", None) or str(problem)
        if field:
            raise error(f"{path}{where}: {field}: {reason}") from problem
        raise error(f"{path}{where}: not valid YAML ({reason})") from problem


def validate(
    path: Path,
    model: type[Model],
    data: Any,
    root: yaml.Node | None,
    error: type[DefinitionError] = DefinitionError,
    prefix: tuple[Any, ...] = (),
) -> Model:
    """``data`` as ``model``, or ``error`` naming the file, line and field of the first problem."""
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        first = problem.errors()[0]
        loc = (*prefix, *first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        line = line_of(root, loc)
        where = f":{line}" if line else ""
        raise error(f"{path}{where}: {field_path(loc)}: {message}") from problem
