"""Why an upload or a link is refused, in one sentence a non-technical person understands.

Every refusal has a stable ``code`` (for tests, logs and the audit log), the HTTP status the
web app answers with, and a sentence from the catalogue, said in Russian (the default) or
English. Sentences may name the item and its limits through ``%(placeholders)s`` filled from
the refusal's ``params``.
"""

from __future__ import annotations

from typing import Any

from contestflow.i18n import N_, tr
from contestflow.materials import MaterialError

# code: (HTTP status, the sentence: an English msgid of the catalogue)
MESSAGES: dict[str, tuple[int, str]] = {
    "no_file": (
        400,
        N_("No file arrived: choose a file and press “Send”."),
    ),
    "malformed": (
        400,
        N_("The upload arrived incomplete or malformed; please send it again."),
    ),
    "bad_name": (
        400,
        N_("The file name contains hidden control characters (such as text-direction marks); "
           "rename the file and send it again."),
    ),
    "name_too_long": (
        400,
        N_("The file name is too long (over 255 bytes); give the file a shorter name and send "
           "it again."),
    ),
    "name_line_break": (
        400,
        N_("The file name contains a line break; rename the file and send it again."),
    ),
    "name_path": (
        400,
        N_("The file name must not contain folders, “/”, “\\” or “..”; rename the file and send "
           "it again."),
    ),
    "empty": (
        422,
        N_("The file is empty; choose the right file and send it again."),
    ),
    "too_large": (
        413,
        N_("The file is too large: “%(item)s” accepts files of at most %(limit_mb)s MB."),
    ),
    "wrong_type": (
        415,
        N_("This file is %(what)s, but “%(item)s” accepts only %(formats)s."),
    ),
    "program": (
        415,
        N_("This file is a program, not a document; programs are never accepted."),
    ),
    "legacy_office": (
        415,
        N_("This is an old-format (97–2003) or password-protected Office file; save it as .docx "
           "without a password and send it again."),
    ),
    "unsupported_format": (
        415,
        N_("Files in the %(formats)s format cannot be checked yet; please tell the coordinator."),
    ),
    "damaged": (
        422,
        N_("The file is damaged or incomplete; open it on your computer, save it again and send "
           "it again."),
    ),
    "encrypted": (
        422,
        N_("The file is password-protected; remove the password and send it again."),
    ),
    "zip_bomb": (
        422,
        N_("The file unpacks to far more data than any ordinary document; save the document "
           "again and send it again."),
    ),
    "zip_names": (
        422,
        N_("The document contains internal parts with unsafe or repeated names; it cannot be "
           "accepted."),
    ),
    "macros": (
        422,
        N_("The document contains macros or ActiveX controls; save it as an ordinary document "
           "without macros and send it again."),
    ),
    "dtd": (
        422,
        N_("The document contains declarations (DTD) that ordinary Office files never have; save"
           " it again in Word or LibreOffice and send it again."),
    ),
    "external": (
        422,
        N_("The document loads a template or object from the internet or another computer; save "
           "it as an ordinary document without external links and send it again."),
    ),
    "image_too_big": (
        422,
        N_("The image is too large (%(width)s×%(height)s pixels); images of up to %(max_mp)s "
           "megapixels are accepted, so reduce it and send it again."),
    ),
    "image_huge": (
        422,
        N_("The image is too large; images of up to %(max_mp)s megapixels are accepted, so "
           "reduce it and send it again."),
    ),
    "too_many_files": (
        409,
        N_("“%(item)s” takes at most %(max_files)s files: replace or remove one of those "
           "already sent."),
    ),
    "no_such_file": (
        404,
        N_("“%(item)s” has no file number %(number)s: reload the page and choose one from the"
           " list."),
    ),
    "fields_only": (
        409,
        N_("“%(item)s” is filled in as fields on the page, not sent as a file: fill in the "
           "fields and press “Save”."),
    ),
    "bad_fields": (
        422,
        N_("The fields were not saved (%(reason)s): correct them and save again."),
    ),
    "bad_details": (
        422,
        N_("The file was not accepted (%(reason)s): correct the details and send it again."),
    ),
    "outside_window": (
        422,
        N_("The piece was published on %(published)s, outside the contest's window "
           "(%(start)s – %(end)s): only pieces published within it are accepted, and nothing "
           "was kept; check the date, or choose another piece."),
    ),
    "draft_answered": (
        409,
        N_("“%(item)s” already has its material for this entry (confirmed or uploaded): to "
           "change it, upload a new version."),
    ),
    "no_draft": (
        404,
        N_("Nothing sent last time is offered for “%(item)s”: upload the file instead."),
    ),
    "closed": (
        409,
        N_("This submission no longer takes materials; contact the coordinator if something must"
           " change."),
    ),
    "csrf": (
        403,
        N_("The form has expired or was not sent from the upload page; reload the page and try "
           "again."),
    ),
    "no_session": (
        401,
        N_("Open this page with the link from your e-mail."),
    ),
    "token_invalid": (
        403,
        N_("This link is damaged or incomplete; open it again from the e-mail or ask the "
           "coordinator for a new one."),
    ),
    "token_expired": (
        403,
        N_("This link has expired; ask the coordinator for a new one."),
    ),
    "token_revoked": (
        403,
        N_("This link has been withdrawn; ask the coordinator for a new one."),
    ),
    "wrong_request": (
        403,
        N_("This link does not give access to this request; open the link that was sent for it."),
    ),
    "not_found": (
        404,
        N_("There is no such request; check the link."),
    ),
    "busy": (
        503,
        N_("The server is busy; please send the file again in a minute."),
    ),
}


class IntakeError(Exception):
    """A refusal with a stable code, an HTTP status and a message in each language."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown refusal code {code!r}")
        self.code = code
        self.params = params
        english = self.message("en")
        super().__init__(english)
        self.params = params  # a Refusal base (MaterialError) keeps no params of its own

    @property
    def status(self) -> int:
        return MESSAGES[self.code][0]

    def message_in(self, language: str) -> str:
        return self.message(language)

    def message(self, language: str = "ru") -> str:
        _, template = MESSAGES[self.code]
        lang = "en" if language == "en" else "ru"
        # A value given in both languages (``item_ru``, ``item_en``) is named once, as ``item``.
        said = {key.removesuffix(f"_{lang}"): value for key, value in self.params.items()}
        return tr(lang, template) % _Defaults({**self.params, **said})


class UploadRefused(IntakeError, MaterialError):
    """A file that is not accepted; nothing of it is kept. The CLI shows it as a MaterialError."""


class AccessRefused(IntakeError):
    """A link, session or form that does not give access to a request."""


class _Defaults(dict):
    """Leaves an unknown placeholder visible rather than failing to say why."""

    def __missing__(self, key: str) -> str:
        return "%(" + key + ")s"
