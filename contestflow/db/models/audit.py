"""An append-only log of who did what: every state change, upload, refusal and decision."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from contestflow.db.base import Base, created_at, intpk


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[intpk]
    at: Mapped[created_at]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_audit_rewrites(session: Session, _context: object, _instances: object) -> None:
    touched = [obj for obj in (*session.dirty, *session.deleted) if isinstance(obj, AuditEvent)]
    if touched:
        raise AuditLogIsAppendOnly("audit events are never changed or deleted")
