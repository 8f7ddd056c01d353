"""Refusals that every layer raises and every front door turns into one line for a person."""

from __future__ import annotations


class SubmissionError(ValueError):
    """A request about submissions that cannot be done; the message is for a person."""
