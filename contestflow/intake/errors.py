"""Why an upload or a link is refused, in one sentence a non-technical person understands.

Every refusal has a stable ``code`` (for tests, logs and the audit log), the HTTP status the
web app answers with, and a message in Russian (the default) and English. Messages may name
the item and its limits through ``{placeholders}`` filled from the refusal's ``params``.
"""

from __future__ import annotations

from typing import Any

from contestflow.materials import MaterialError

# code: (HTTP status, Russian, English)
MESSAGES: dict[str, tuple[int, str, str]] = {
    "no_file": (
        400,
        "Файл не получен: выберите файл и нажмите «Отправить».",
        "No file arrived: choose a file and press “Send”.",
    ),
    "malformed": (
        400,
        "Файл пришёл не полностью или в непонятном виде; попробуйте отправить его ещё раз.",
        "The upload arrived incomplete or malformed; please send it again.",
    ),
    "bad_name": (
        400,
        "Имя файла содержит скрытые служебные символы (например, символы смены направления "
        "текста); переименуйте файл и отправьте его снова.",
        "The file name contains hidden control characters (such as text-direction marks); "
        "rename the file and send it again.",
    ),
    "name_too_long": (
        400,
        "Имя файла слишком длинное (больше 255 байт); переименуйте файл покороче и "
        "отправьте его снова.",
        "The file name is too long (over 255 bytes); give the file a shorter name and send "
        "it again.",
    ),
    "name_line_break": (
        400,
        "Имя файла содержит перевод строки; переименуйте файл и отправьте его снова.",
        "The file name contains a line break; rename the file and send it again.",
    ),
    "name_path": (
        400,
        "Имя файла не должно содержать папок, знаков «/», «\\» или «..»; переименуйте файл и "
        "отправьте его снова.",
        "The file name must not contain folders, “/”, “\\” or “..”; rename the file and send "
        "it again.",
    ),
    "empty": (
        422,
        "Файл пустой; выберите нужный файл и отправьте его ещё раз.",
        "The file is empty; choose the right file and send it again.",
    ),
    "too_large": (
        413,
        "Файл слишком большой: для «{item_ru}» принимаются файлы не больше {limit_mb} МБ.",
        "The file is too large: “{item_en}” accepts files of at most {limit_mb} MB.",
    ),
    "wrong_type": (
        415,
        "Это {what_ru}, а для «{item_ru}» принимаются только {formats}.",
        "This file is {what_en}, but “{item_en}” accepts only {formats}.",
    ),
    "program": (
        415,
        "Это программа, а не документ; программы не принимаются.",
        "This file is a program, not a document; programs are never accepted.",
    ),
    "legacy_office": (
        415,
        "Это файл старого формата Office (97–2003) или файл с паролем; сохраните его как .docx "
        "без пароля и отправьте снова.",
        "This is an old-format (97–2003) or password-protected Office file; save it as .docx "
        "without a password and send it again.",
    ),
    "unsupported_format": (
        415,
        "Файлы формата {formats} пока нельзя проверить; сообщите об этом координатору.",
        "Files in the {formats} format cannot be checked yet; please tell the coordinator.",
    ),
    "damaged": (
        422,
        "Файл повреждён или сохранён не полностью; откройте его на своём компьютере, сохраните "
        "заново и отправьте ещё раз.",
        "The file is damaged or incomplete; open it on your computer, save it again and send "
        "it again.",
    ),
    "encrypted": (
        422,
        "Файл защищён паролем; снимите пароль и отправьте файл снова.",
        "The file is password-protected; remove the password and send it again.",
    ),
    "zip_bomb": (
        422,
        "После распаковки файл становится во много раз больше, чем обычный документ; сохраните "
        "документ заново и отправьте его ещё раз.",
        "The file unpacks to far more data than any ordinary document; save the document again "
        "and send it again.",
    ),
    "zip_names": (
        422,
        "Внутри документа есть части с недопустимыми или повторяющимися именами; такой файл "
        "не может быть принят.",
        "The document contains internal parts with unsafe or repeated names; it cannot be "
        "accepted.",
    ),
    "macros": (
        422,
        "Документ содержит макросы или элементы ActiveX; сохраните его как обычный документ "
        "без макросов и отправьте снова.",
        "The document contains macros or ActiveX controls; save it as an ordinary document "
        "without macros and send it again.",
    ),
    "dtd": (
        422,
        "Документ содержит служебные объявления (DTD), которых не бывает в обычных файлах "
        "Office; сохраните его заново в Word или LibreOffice и отправьте снова.",
        "The document contains declarations (DTD) that ordinary Office files never have; save "
        "it again in Word or LibreOffice and send it again.",
    ),
    "external": (
        422,
        "Документ подгружает шаблон или объект из интернета или с другого компьютера; "
        "сохраните его как обычный документ без внешних связей и отправьте снова.",
        "The document loads a template or object from the internet or another computer; save "
        "it as an ordinary document without external links and send it again.",
    ),
    "image_too_big": (
        422,
        "Изображение слишком большое ({width}×{height} точек); принимаются изображения до "
        "{max_mp} мегапикселей, уменьшите его и отправьте снова.",
        "The image is too large ({width}×{height} pixels); images of up to {max_mp} megapixels "
        "are accepted, so reduce it and send it again.",
    ),
    "image_huge": (
        422,
        "Изображение слишком большое; принимаются изображения до {max_mp} мегапикселей, "
        "уменьшите его и отправьте снова.",
        "The image is too large; images of up to {max_mp} megapixels are accepted, so reduce "
        "it and send it again.",
    ),
    "too_many_files": (
        409,
        "Для «{item_ru}» принимается не больше файлов, чем {max_files}: замените или удалите "
        "один из уже загруженных.",
        "“{item_en}” takes at most {max_files} files: replace or remove one of those already "
        "sent.",
    ),
    "no_such_file": (
        404,
        "У «{item_ru}» нет файла № {number}: обновите страницу и выберите файл из списка.",
        "“{item_en}” has no file number {number}: reload the page and choose one from the list.",
    ),
    "fields_only": (
        409,
        "«{item_ru}» заполняется полями на странице, а не файлом: заполните поля и нажмите "
        "«Сохранить».",
        "“{item_en}” is filled in as fields on the page, not sent as a file: fill in the "
        "fields and press “Save”.",
    ),
    "bad_fields": (
        422,
        "Поля не сохранены ({reason_ru}): исправьте и сохраните снова.",
        "The fields were not saved ({reason_en}): correct them and save again.",
    ),
    "closed": (
        409,
        "Эта заявка уже не принимает материалы; если нужно что-то исправить, свяжитесь с "
        "координатором.",
        "This submission no longer takes materials; contact the coordinator if something must "
        "change.",
    ),
    "csrf": (
        403,
        "Форма устарела или отправлена не со страницы загрузки; обновите страницу и попробуйте "
        "снова.",
        "The form has expired or was not sent from the upload page; reload the page and try "
        "again.",
    ),
    "no_session": (
        401,
        "Откройте эту страницу по ссылке из письма.",
        "Open this page with the link from your e-mail.",
    ),
    "token_invalid": (
        403,
        "Ссылка повреждена или неполная; откройте её заново из письма или попросите у "
        "координатора новую.",
        "This link is damaged or incomplete; open it again from the e-mail or ask the "
        "coordinator for a new one.",
    ),
    "token_expired": (
        403,
        "Срок действия ссылки истёк; попросите у координатора новую.",
        "This link has expired; ask the coordinator for a new one.",
    ),
    "token_revoked": (
        403,
        "Эта ссылка отозвана; попросите у координатора новую.",
        "This link has been withdrawn; ask the coordinator for a new one.",
    ),
    "wrong_request": (
        403,
        "Эта ссылка не даёт доступа к этому запросу; откройте ссылку, которая пришла именно "
        "для него.",
        "This link does not give access to this request; open the link that was sent for it.",
    ),
    "not_found": (
        404,
        "Такого запроса нет; проверьте ссылку.",
        "There is no such request; check the link.",
    ),
    "busy": (
        503,
        "Сервер сейчас занят; попробуйте отправить файл ещё раз через минуту.",
        "The server is busy; please send the file again in a minute.",
    ),
}


class IntakeError(Exception):
    """A refusal with a stable code, an HTTP status and a message in each language."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown refusal code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    @property
    def status(self) -> int:
        return MESSAGES[self.code][0]

    def message(self, language: str = "ru") -> str:
        _, ru, en = MESSAGES[self.code]
        template = en if language == "en" else ru
        return template.format_map(_Defaults(self.params))


class UploadRefused(IntakeError, MaterialError):
    """A file that is not accepted; nothing of it is kept. The CLI shows it as a MaterialError."""


class AccessRefused(IntakeError):
    """A link, session or form that does not give access to a request."""


class _Defaults(dict):
    """Leaves an unknown placeholder visible rather than failing to say why."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
