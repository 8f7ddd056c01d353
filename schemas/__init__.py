"""Data contracts: pydantic models and the contest definitions (one YAML per contest)."""

from pathlib import Path

from schemas.contest import ContestDefinition, ContestItem, Edition, Phase
from schemas.department import DepartmentDefinition

CONTESTS_DIR = Path(__file__).parent / "contests"
DEPARTMENTS_FILE = Path(__file__).parent / "departments.yaml"

__all__ = [
    "CONTESTS_DIR",
    "DEPARTMENTS_FILE",
    "ContestDefinition",
    "ContestItem",
    "DepartmentDefinition",
    "Edition",
    "Phase",
]
