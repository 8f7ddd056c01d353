from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from schemas.contest import Slug


class DepartmentDefinition(BaseModel):
    """A body of the city administration that owns some contest materials."""

    model_config = ConfigDict(extra="forbid")

    id: Slug
    name_ru: str = Field(min_length=3)
    name_en: str = Field(min_length=3)
    email: EmailStr | None = None
