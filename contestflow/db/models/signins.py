"""Sign-ins to the office kept on the server, and the single-use links that start one.

A signed cookie alone cannot be ended before it expires; a row can. The cookie carries a random
key, the row only the key's sha256, so reading the database does not give anyone a session.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from contestflow.db.base import Base, created_at


class SignIn(Base):
    __tablename__ = "sign_ins"

    id: Mapped[str] = mapped_column(String(64), primary_key=True,
                                    comment="sha256 of the key in the cookie, never the key")
    login: Mapped[str] = mapped_column(String(64), index=True,
                                       comment="The account's login; 'coordinator' by link")
    role: Mapped[str] = mapped_column(String(16))
    by_link: Mapped[bool] = mapped_column(default=False,
                                          comment="Came in by the coordinator's link")
    created_at: Mapped[created_at]
    expires_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(200))


class LoginLink(Base):
    __tablename__ = "login_links"

    id: Mapped[str] = mapped_column(String(64), primary_key=True,
                                    comment="Random id inside the signed link")
    purpose: Mapped[str] = mapped_column(String(32), comment="coordinator (more may follow)")
    created_by: Mapped[str] = mapped_column(String(200), comment="Who asked for the link")
    created_at: Mapped[created_at]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
