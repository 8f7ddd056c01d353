"""The covering letter of a package sent by e-mail, in the contest's first language.

The organiser sorts its mail by subject, so a contest's fixed marker comes first; the body lists
every attached file so a missing attachment is noticed on the other end.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass

from sqlalchemy.orm import Session

from contestflow.db.models import Department
from contestflow.identity import city
from contestflow.wording import human_size
from schemas.contest import ContestDefinition


@dataclass(frozen=True)
class Attachment:
    """One file of the mail, named as the package names it."""

    filename: str
    data: bytes
    title: str  # what the file is, in the letter's language

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def media_type(self) -> str:
        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def letter_language(definition: ContestDefinition) -> str:
    """The contest's first language where we write it (contest names exist in ru and en)."""
    return "ru" if definition.submission_language == "ru" else "en"


def compose(
    session: Session,
    definition: ContestDefinition,
    edition: str,
    nomination: str,
    attachments: list[Attachment],
    language: str,
) -> Letter:
    """Subject and covering text in the contest's first language."""
    contest = definition.names.ru if language == "ru" else definition.names.en
    # The organiser sorts its mail by the marker, so it comes first (IAC "City in the Mirror
    # of the Media" requires one).
    names = city().names
    marker = definition.package_for(edition).email_subject_marker  # an edition's call may set it
    parts = [marker, names.ru if language == "ru" else names.en, contest, edition, nomination]
    subject = " — ".join(part.strip() for part in parts if part and part.strip())
    files = "\n".join(
        f"- {a.filename} — {a.title} ({human_size(a.size, language)})" for a in attachments
    )
    render = _body_ru if language == "ru" else _body_en
    signature = _signature(session, language)
    return Letter(subject, render(contest, edition, nomination, files, signature))


def _body_ru(contest: str, edition: str, nomination: str, files: str, signature: str) -> str:
    named = f", номинация «{nomination}»" if nomination else ""
    # The contest on a line of its own: its name stays in the nominative, whatever it is.
    return (
        "Здравствуйте!\n\n"
        f"Направляем материалы {city().names.ru_genitive}:\n{contest}, {edition}{named}.\n\n"
        f"Во вложении:\n{files}\n\n"
        "Просим подтвердить получение ответным письмом.\n\n"
        f"С уважением,\n{signature}\n"
    )


def _body_en(contest: str, edition: str, nomination: str, files: str, signature: str) -> str:
    named = f', nomination "{nomination}"' if nomination else ""
    return (
        "Dear organisers,\n\n"
        f"Please find attached the entry of the City of {city().names.en}:\n"
        f"{contest}, {edition}{named}.\n\n"
        f"Attached:\n{files}\n\n"
        "We would be grateful if you could confirm receipt.\n\n"
        f"Kind regards,\n{signature}\n"
    )


def _signature(session: Session, language: str) -> str:
    """The coordinator and the coordinating department, which send the city's entries."""
    identity = city()
    person, head = identity.coordinator, identity.letterhead
    department = session.get(Department, identity.coordinating_department)
    if language == "ru":
        office = department.name_ru if department else head.administration_ru
        lines = [person.name_ru, person.position_ru, office, head.address_ru]
    else:
        office = department.name_en if department else ""
        lines = [person.name_en, person.position_en, office, head.administration_en,
                 head.address_en]
    lines += [f"{'тел.' if language == 'ru' else 'Phone'} {person.phone}", person.email]
    return "\n".join(line for line in lines if line)


def copy_of(letter: Letter, to: str, language: str) -> Letter:
    """A copy for a --cc address, saying where the original went."""
    note = (f"Копия письма, направленного по адресу {to}." if language == "ru"
            else f"A copy of the e-mail sent to {to}.")
    return Letter(letter.subject, f"{note}\n\n{letter.body}")
