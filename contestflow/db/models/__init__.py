"""Every table, importable from one place (Alembic and tests load this module)."""

from contestflow.db.models.accounts import Account
from contestflow.db.models.advances import PendingAdvance
from contestflow.db.models.audit import AuditEvent
from contestflow.db.models.catalog import Contest, Department, Edition, EditionOverlay
from contestflow.db.models.outbox import OutboxMessage
from contestflow.db.models.results import Result
from contestflow.db.models.signins import LoginLink, SignIn
from contestflow.db.models.submission import (
    Material,
    MaterialRequest,
    Review,
    Submission,
    SubmissionPhase,
)
from contestflow.db.models.tokens import IntakeToken
from contestflow.db.models.translation import (
    Document,
    GlossaryTerm,
    MTAnswer,
    Segment,
    TranslationRun,
    TranslationUnit,
)

__all__ = [
    "Account",
    "AuditEvent",
    "Contest",
    "Department",
    "Document",
    "Edition",
    "EditionOverlay",
    "GlossaryTerm",
    "IntakeToken",
    "LoginLink",
    "MTAnswer",
    "Material",
    "MaterialRequest",
    "OutboxMessage",
    "PendingAdvance",
    "Result",
    "Review",
    "Segment",
    "SignIn",
    "Submission",
    "SubmissionPhase",
    "TranslationRun",
    "TranslationUnit",
]
