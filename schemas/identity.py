"""The city that uses contestflow: its names, its coordinating department and its bodies.

One YAML file per city (``schemas/cities/``); a workspace may hold its own ``city.yaml``. Nothing
in the code names a city: letters, pages, reports and reminders read this.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from schemas.department import DepartmentDefinition


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CityNames(_Strict):
    """The city's name as it stands in each kind of sentence."""

    ru: str = Field(min_length=2, description="«Ставрополь»")
    ru_genitive: str = Field(min_length=2, description="«города Ставрополя»: материалы …")
    en: str = Field(min_length=2, description="Stavropol")


class Coordinator(_Strict):
    """The person whose name, e-mail and phone end the city's letters."""

    name_ru: str = Field(min_length=2)
    name_en: str = Field(min_length=2)
    position_ru: str = Field(min_length=2)
    position_en: str = Field(min_length=2)
    email: EmailStr
    phone: str = Field(min_length=5)


class Letterhead(_Strict):
    """The administration's name and address, as at the head of its letters."""

    administration_ru: str = Field(min_length=3)
    administration_en: str = Field(min_length=3)
    address_ru: str = Field(min_length=5)
    address_en: str = Field(min_length=5)
    website: str = ""


class CityIdentity(_Strict):
    names: CityNames
    utc_offset_hours: int = Field(ge=-12, le=14, description="local time, for reminders")
    coordinating_department: str = Field(description="id of the department that sends entries")
    coordinator: Coordinator
    letterhead: Letterhead
    departments: list[DepartmentDefinition] = Field(min_length=1)
    history: str | None = Field(
        None, description="CSV of past entries and results, beside this file (results import)"
    )

    @model_validator(mode="after")
    def _coordinating_department_is_listed(self) -> CityIdentity:
        ids = [d.id for d in self.departments]
        if len(set(ids)) != len(ids):
            raise ValueError("a department id is listed twice")
        if self.coordinating_department not in ids:
            raise ValueError(
                f"coordinating_department {self.coordinating_department!r} is not in departments"
            )
        return self

    def department(self, department_id: str) -> DepartmentDefinition:
        return next(d for d in self.departments if d.id == department_id)
