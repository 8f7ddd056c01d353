"""Documents being translated, their segments, the translation memory, the glossary, and
the machine-translation answers already paid for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contestflow.db.base import Base, created_at, intpk, sha256, utcnow

SEGMENT_ORIGINS = ("glossary", "memory", "mt", "human", "source")
REVIEW_STATES = ("draft", "translated", "reviewed", "approved")


class Document(Base):
    """One material version translated into one target language."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("material_id", "target_lang"),)

    id: Mapped[intpk]
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"), index=True)
    source_sha256: Mapped[sha256]
    source_lang: Mapped[str] = mapped_column(String(8))
    target_lang: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default="draft")
    output_sha256: Mapped[sha256 | None]
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[created_at]

    segments: Mapped[list[Segment]] = relationship(
        back_populates="document", order_by="Segment.position"
    )


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    position: Mapped[int]
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(16), default="source")
    origin_detail: Mapped[str] = mapped_column(String(120), default="", comment="provider, score")
    score: Mapped[int | None] = mapped_column(comment="Memory match score, 0-100")
    review_state: Mapped[str] = mapped_column(String(16), default="draft")
    qa_flags: Mapped[list[str]] = mapped_column(default=list)
    comment: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship(back_populates="segments")


class TranslationUnit(Base):
    """An approved source/target pair: the translation memory."""

    __tablename__ = "translation_units"
    __table_args__ = (
        UniqueConstraint("source_lang", "target_lang", "source_key"),
        Index("ix_translation_units_pair", "source_lang", "target_lang"),
    )

    id: Mapped[intpk]
    source_lang: Mapped[str] = mapped_column(String(8))
    target_lang: Mapped[str] = mapped_column(String(8))
    source_key: Mapped[sha256] = mapped_column(comment="sha256 of the normalised source")
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(32), default="human")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[created_at]


class GlossaryTerm(Base):
    __tablename__ = "glossary_terms"
    __table_args__ = (UniqueConstraint("source_lang", "target_lang", "source_term"),)

    id: Mapped[intpk]
    source_lang: Mapped[str] = mapped_column(String(8))
    target_lang: Mapped[str] = mapped_column(String(8))
    source_term: Mapped[str] = mapped_column(String(500))
    target_term: Mapped[str] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]


class MTAnswer(Base):
    """What an MT provider answered for one text, kept so that it is never asked (and paid)
    twice. Not the memory: nobody approved it; it only spares a rerun the same request."""

    __tablename__ = "mt_answers"
    __table_args__ = (
        UniqueConstraint("provider", "source_lang", "target_lang", "source_key"),
    )

    id: Mapped[intpk]
    provider: Mapped[str] = mapped_column(String(32), comment="libre, deepl, ...")
    source_lang: Mapped[str] = mapped_column(String(8))
    target_lang: Mapped[str] = mapped_column(String(8))
    source_key: Mapped[sha256] = mapped_column(comment="sha256 of the text exactly as sent")
    source_text: Mapped[str] = mapped_column(Text, comment="as sent, tags in wire form")
    target_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]


class TranslationRun(Base):
    """A material's translation while it runs, so the office can show how far it is before
    the result is stored (the run keeps its figures here; the row goes when it ends). The
    figures count this run's distinct segments, as ``TranslationProgress`` does."""

    __tablename__ = "translation_runs"
    __table_args__ = (UniqueConstraint("material_id", "target_lang"),)

    id: Mapped[intpk]
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"))
    source_lang: Mapped[str] = mapped_column(String(8))
    target_lang: Mapped[str] = mapped_column(String(8))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    memory: Mapped[int] = mapped_column(default=0, comment="from the glossary or the memory")
    mt: Mapped[int] = mapped_column(default=0)
    waiting: Mapped[int] = mapped_column(default=0, comment="left for a person")
    started_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
