"""Data contracts: pydantic models and the contest definitions (one YAML per contest)."""

from pathlib import Path

from schemas.contest import ContestDefinition, ContestItem, Edition, Phase
from schemas.department import DepartmentDefinition

CONTESTS_DIR = Path(__file__).parent / "contests"
FORMS_DIR = Path(__file__).parent / "forms"
DEFAULT_CITY_FILE = Path(__file__).parent / "cities" / "stavropol.yaml"

__all__ = [
    "CONTESTS_DIR",
    "DEFAULT_CITY_FILE",
    "FORMS_DIR",
    "ContestDefinition",
    "ContestItem",
    "DepartmentDefinition",
    "Edition",
    "Phase",
]
