"""Sending an approved package to the organiser, and recording how it went out."""

from contestflow.sending.record import (
    MailDelivery,
    SentInfo,
    how_sent,
    mail_delivery,
    mark_sent,
)

__all__ = ["MailDelivery", "SentInfo", "how_sent", "mail_delivery", "mark_sent"]
