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
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise error(f"{path}: cannot read the file ({problem})") from problem
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        reason = getattr(problem, "problem", None) or str(problem)
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
