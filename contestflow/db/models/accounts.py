"""The people who sign in to the office: a coordinator, reviewers, leadership (read-only).

Departments never get an account: they come in through the signed link of their request.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from contestflow.db.base import Base, created_at, intpk


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[intpk]
    login: Mapped[str] = mapped_column(String(64), unique=True, comment="What the person types")
    full_name: Mapped[str] = mapped_column(String(200), comment="As the audit log shows it")
    role: Mapped[str] = mapped_column(String(16), comment="coordinator, reviewer or readonly")
    password_hash: Mapped[str] = mapped_column(String(255), comment="argon2id, never the password")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]
