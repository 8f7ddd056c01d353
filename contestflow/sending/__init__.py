"""Sending an approved package to the organiser, and recording how it went out."""

from contestflow.sending.record import (
    MailDelivery,
    Proof,
    SentInfo,
    how_sent,
    mail_delivery,
    mark_sent,
    record_sent,
)

__all__ = ["MailDelivery", "Proof", "SentInfo", "how_sent", "mail_delivery", "mark_sent",
           "record_sent"]
