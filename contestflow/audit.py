"""Writing to the append-only audit log (the table is contestflow.db.models.AuditEvent)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from contestflow.db.models import AuditEvent


def record_event(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: object,
    **details: Any,
) -> AuditEvent:
    """Add an audit event to ``session``; it commits (or not) with the change it describes."""
    event = AuditEvent(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        details=details,
    )
    session.add(event)
    return event
