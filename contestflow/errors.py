"""Refusals that every layer raises and every front door turns into one line for a person."""

from __future__ import annotations

from contestflow.i18n import tr


class Refusal:
    """A refusal whose message is a catalogued sentence (``N_("…%(name)s…")``) and its values,
    so that each front door can say it in its person's language; ``str()`` is the English.

    A message built with an f-string still works: it is simply not translated (yet)."""

    def __init__(self, message: str, /, **params: object) -> None:
        self.template = message
        self.params = params
        super().__init__(tr("en", message, **params))  # type: ignore[call-arg]

    def message_in(self, lang: str) -> str:
        return tr(lang, self.template, **self.params)


class SubmissionError(Refusal, ValueError):
    """A request about submissions that cannot be done; the message is for a person."""


def said_in(lang: str, error: BaseException) -> str:
    """``error``'s message in ``lang`` where it is catalogued, else as it was raised."""
    if hasattr(error, "message_in"):  # a Refusal, or a refusal with a code of its own
        return str(error.message_in(lang))
    text = str(error)
    # A KeyError's message comes in quotes; a message that only ends in one keeps it.
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text
