"""The draft letter the city prepares for the party that nominates it (the Scroll of Honour).

Where a contest takes no self-nomination, the nominating party submits; the city writes the
nomination and, beside it in the package, a Word draft of the nominating letter for that party
to adapt and sign, in the party's language. Every sentence comes from the catalogue; the file
is built the same way each time (fixed properties and zip timestamps), so the same submission
gives the same package bytes.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document

from contestflow.assembly.context import PackageContext
from contestflow.assembly.formtemplates import normalise_zip
from contestflow.i18n import N_, tr
from contestflow.identity import city
from contestflow.translation.docx.document import LOCALES
from contestflow.translation.docx.package import DocxPackage
from contestflow.translation.docx.properties import declare_language
from contestflow.wording import date_text

LETTER_STEM = "draft-letter-for-the-nominating-party"


def nominator_letter(context: PackageContext) -> tuple[str, bytes, str] | None:
    """``(file name, Word file, language)`` of the draft letter, or None where the city may
    nominate itself or no nominating party is recorded (the self-nomination rule says so)."""
    if context.definition.self_nomination_allowed or not context.nominator.strip():
        return None
    language = context.nominator_language or (
        context.language if context.language in ("ru", "en") else "en")
    return f"{LETTER_STEM}.{language}.docx", letter_bytes(context, language), language


def letter_bytes(context: PackageContext, language: str) -> bytes:
    identity = city()
    definition, edition = context.definition, context.edition
    government = (identity.letterhead.administration_ru if language == "ru"
                  else identity.letterhead.administration_en)
    organiser = (definition.organiser_ru or definition.organiser) if language == "ru" else (
        definition.organiser)
    coordinator = identity.coordinator
    values = {
        "party": context.nominator, "contact": context.nominator_contact,
        "email": context.nominator_email, "contest": definition.names,
        "edition": edition.key, "government": government, "organiser": organiser,
        "nomination": context.nomination, "deadline": date_text(edition.deadline, language),
        "coordinator": coordinator.name_ru if language == "ru" else coordinator.name_en,
        "coordinator_email": coordinator.email, "coordinator_phone": coordinator.phone,
    }

    def say(message: str) -> str:
        return tr(language, message, **values)

    document = Document()
    properties = document.core_properties
    properties.title = say(N_("Draft letter for %(party)s"))
    properties.language = LOCALES[language]
    properties.author = properties.last_modified_by = "contestflow"
    properties.created = properties.modified = dt.datetime(2000, 1, 1)
    properties.revision = 1
    document.add_paragraph(say(N_(
        "DRAFT prepared by %(government)s for %(party)s: adapt it, put it on your letterhead, "
        "sign it and submit it with the nomination.")))
    document.add_paragraph(say(N_("To: %(organiser)s")))
    document.add_heading(say(N_("Nomination of %(government)s for %(contest)s, %(edition)s")),
                         level=1)
    document.add_paragraph(say(
        N_("%(party)s nominates %(government)s for %(contest)s, %(edition)s, in the nomination "
           "“%(nomination)s”.") if context.nomination else
        N_("%(party)s nominates %(government)s for %(contest)s, %(edition)s.")))
    document.add_paragraph(say(N_(
        "%(party)s is a party separate from the nominee: it is neither the city nor a body of "
        "its administration. The nomination and its annexes, prepared with the city, are "
        "enclosed, and are submitted through the organiser's form by %(deadline)s.")))
    document.add_paragraph(say(N_("Contact person: %(contact)s, %(email)s.")))
    document.add_paragraph(say(N_("Signature: ____________________ %(contact)s, %(party)s")))
    document.add_paragraph(say(N_(
        "Once it is submitted, please tell %(coordinator)s (%(coordinator_email)s, "
        "%(coordinator_phone)s): the city records your confirmation as its entry's sending.")))
    buffer = io.BytesIO()
    document.save(buffer)
    # python-docx's blank template declares en-US for every style: Word would spell-check a
    # Russian letter as English.
    package = DocxPackage.load(buffer.getvalue())
    declare_language(package, LOCALES[language])
    return normalise_zip(package.to_bytes())
