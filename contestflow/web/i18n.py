"""Interface texts: Russian by default, English on request (``?lang=en``, a cookie, or the
browser's Accept-Language when it prefers English over Russian)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

from contestflow.intake.messages import LANGUAGE_NAMES
from contestflow.wording import city_words, date_text, human_size

__all__ = ["LANGUAGE_NAMES", "LANG_COOKIE", "date_text", "human_size", "pick_language",
           "translator"]

LANGUAGES = ("ru", "en")
LANG_COOKIE = "cf_lang"

TEXTS: dict[str, tuple[str, str]] = {
    "app_name": ("Конкурсные заявки {city_ru_genitive}", "{city_en} contest entries"),
    "switch_language": ("English", "Русский"),
    "materials_for": ("Материалы для заявки", "Materials for the entry"),
    "nomination": ("Номинация", "Nomination"),
    "department": ("Подразделение", "Department"),
    "what_is_needed": ("Что нужно прислать", "What is needed"),
    "language": ("Язык", "Language"),
    "format": ("Формат", "Format"),
    "max_size": ("Не больше", "At most"),
    "mb": ("МБ", "MB"),
    "length": ("Объём", "Length"),
    "due": ("Срок", "Due"),
    "late": ("срок прошёл", "overdue"),
    "optional": ("по желанию", "optional"),
    "guidance": ("Пояснение", "Guidance"),
    "coordinator_comment": ("Комментарий координатора", "Coordinator's comment"),
    "uploaded": ("Уже загружено", "Already uploaded"),
    "nothing_uploaded": ("Пока ничего не загружено.", "Nothing uploaded yet."),
    "version": ("Версия", "Version"),
    "file": ("Файл", "File"),
    "size": ("Размер", "Size"),
    "when": ("Когда", "When"),
    "checksum": ("Контрольная сумма", "Checksum"),
    "upload_title": ("Загрузить файл", "Upload a file"),
    "drop_here": ("Перетащите файл сюда или выберите его на компьютере",
                  "Drag a file here or choose it on your computer"),
    "choose_file": ("Выбрать файл", "Choose a file"),
    "send": ("Отправить", "Send"),
    "uploading": ("Файл отправляется…", "Uploading…"),
    "received_version": ("Файл получен: версия {version}.", "File received: version {version}."),
    "network_error": ("Не удалось отправить файл: проверьте подключение к интернету и "
                      "попробуйте ещё раз.",
                      "The file could not be sent: check the internet connection and try again."),
    "closed": ("Эта заявка уже не принимает материалы.", "This entry takes no more materials."),
    "other_requests": ("Другие материалы вашего подразделения",
                       "Your department's other materials"),
    "refused": ("Файл не принят", "File not accepted"),
    "no_access": ("Нет доступа", "No access"),
    "state_pending": ("ожидается", "awaited"),
    "state_received": ("получено", "received"),
    "state_accepted": ("принято", "accepted"),
    "state_reopened": ("нужно прислать заново", "to be sent again"),
    "submissions": ("Заявки", "Submissions"),
    "submission": ("Заявка", "Submission"),
    "contest": ("Конкурс", "Contest"),
    "state": ("Состояние", "State"),
    "deadline": ("Срок организатора", "Organiser's deadline"),
    "next_due": ("Ближайший внутренний срок", "Next internal due date"),
    "progress": ("Получено по подразделениям", "Received, by department"),
    "no_submissions": ("Заявок пока нет.", "No submissions yet."),
    "item": ("Материал", "Item"),
    "actions": ("Действия", "Actions"),
    "accept": ("Принять", "Accept"),
    "reopen": ("Вернуть с комментарием", "Reopen with a comment"),
    "comment": ("Комментарий для подразделения", "Comment for the department"),
    "new_link": ("Новая ссылка для загрузки", "New upload link"),
    "revoke": ("Отозвать ссылки", "Revoke links"),
    "download": ("скачать", "download"),
    "link_for": ("Ссылка для загрузки", "Upload link"),
    "link_note": ("Отправьте эту ссылку подразделению; она действует до {expires}.",
                  "Send this link to the department; it is valid until {expires}."),
    "back": ("Назад", "Back"),
    "done": ("Готово.", "Done."),
    "translations": ("Переводы", "Translations"),
    "checklist": ("Проверка пакета по правилам конкурса",
                  "The package against the contest's rules"),
    "checklist_none": ("Пакет ещё не собран: проверка появится, когда все материалы будут "
                       "присланы и переведены.",
                       "No package has been built yet: the check appears once every material "
                       "has arrived and is translated."),
    "rule": ("Правило", "Rule"),
    "rule_result": ("Итог", "Result"),
    "rule_findings": ("Что найдено", "Findings"),
    "rule_passed": ("выполнено", "passed"),
    "rule_failed": ("не выполнено", "failed"),
    "rule_warning": ("есть замечания", "warnings"),
    "rule_not_applicable": ("не относится к конкурсу", "not applicable"),
    "whole_package": ("пакет в целом", "the package"),
    "fields_title": ("Заполните сведения", "Fill in the details"),
    "fields_hint": ("Заполните на языке: {language} — так, как сведения войдут в заявку. "
                    "Поля со звёздочкой обязательны.",
                    "Fill them in {language}, as they will stand in the entry. Fields marked "
                    "with an asterisk are required."),
    "fields_saved": ("Сведения сохранены (версия {version}).", "Saved (version {version})."),
    "save": ("Сохранить", "Save"),
    "files_taken": ("Загружено файлов: {count} из {max}. Каждый новый файл добавляется к "
                    "списку; заменить или удалить файл можно кнопками рядом с ним.",
                    "Files sent: {count} of {max}. Each new file is added to the list; "
                    "replace or remove one with the buttons beside it."),
    "files_full": ("Загружено столько файлов, сколько принимается: чтобы прислать другой, "
                   "замените или удалите один из них.",
                   "As many files as the item takes have been sent: to send another, replace "
                   "or remove one of them."),
    "replace": ("Заменить", "Replace"),
    "remove": ("Удалить", "Remove"),
    "translation_review": ("Проверка перевода", "Translation review"),
    "no_translations": ("Переводов пока нет: они появятся, когда материалы будут переведены.",
                        "No translations yet: they appear once materials are translated."),
    "translation_failed": ("Файл не удалось перевести", "The file could not be translated"),
    "direction": ("Направление", "Direction"),
    "segments": ("Сегментов", "Segments"),
    "untranslated": ("Без перевода", "Untranslated"),
    "qa_flags": ("Замечания проверки", "QA flags"),
    "approved_count": ("Утверждено", "Approved"),
    "source_text": ("Оригинал", "Source"),
    "target_text": ("Перевод", "Translation"),
    "origin": ("Откуда", "Origin"),
    "approve": ("Утвердить", "Approve"),
    "reviewer_comment": ("Комментарий", "Comment"),
    "save_translation": ("Сохранить перевод", "Save the translation"),
    "saved": ("Перевод сохранён.", "Translation saved."),
    "not_saved": ("Не сохранено.", "Not saved."),
    "translation_final": ("Заявка утверждена или отправлена: перевод больше не меняется.",
                          "The entry is approved or sent: its translation no longer changes."),
    "markers_hint": ("Метки вида {1}…{/1} отмечают выделение и ссылки: оставьте их вокруг "
                     "тех же слов в переводе. Утверждённые строки попадают в память переводов.",
                     "Markers such as {1}…{/1} stand for formatting and links: keep them around "
                     "the same words in the translation. Approved rows go into the translation "
                     "memory."),
    "show_attention": ("Показать только строки, требующие внимания",
                       "Show only rows that need attention"),
    "show_all": ("Показать все строки", "Show all rows"),
    "origin_source": ("не переведено", "not translated"),
    "origin_glossary": ("глоссарий", "glossary"),
    "origin_memory": ("память переводов", "translation memory"),
    "origin_mt": ("машинный перевод", "machine translation"),
    "origin_human": ("человек", "a person"),
    "review_draft": ("черновик", "draft"),
    "review_translated": ("переведено", "translated"),
    "review_reviewed": ("проверено", "reviewed"),
    "review_approved": ("утверждено", "approved"),
    "sub_draft": ("черновик", "draft"),
    "sub_collecting": ("сбор материалов", "collecting materials"),
    "sub_translating": ("перевод", "translating"),
    "sub_assembling": ("сборка пакета", "assembling"),
    "sub_in_review": ("на проверке", "in review"),
    "sub_changes_requested": ("нужны исправления", "changes requested"),
    "sub_approved": ("утверждено", "approved"),
    "sub_sent": ("отправлено", "sent"),
    "sub_result_recorded": ("результат получен", "result recorded"),
    "sub_withdrawn": ("отозвано", "withdrawn"),
}

def pick_language(request: Request) -> str:
    """``?lang=``, then the cookie, then Accept-Language if it ranks English above Russian."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return _from_accept_language(request.headers.get("accept-language", ""))


def _from_accept_language(header: str) -> str:
    best, best_q = "ru", -1.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best


def translator(language: str) -> Callable[..., str]:
    index = 1 if language == "en" else 0

    def t(key: str, **params: object) -> str:
        text = TEXTS[key][index]
        return text.format(**(city_words() | params)) if params or "{city_" in text else text

    return t
