"""The contest's rules, as named checks that every package is held to before approval.

Each is registered with ``rulebook.rule`` (a severity, and what it checks in Russian and
English). Rules read a ``PackageContext`` only, so each is tested on a hand-built package
that breaks exactly that rule. Importing this module registers them all; ``run_rules`` is
re-exported from here so that callers cannot run the registry before it is filled.
"""

from __future__ import annotations

import math
from collections import Counter

from contestflow.assembly.context import Message, PackageContext
from contestflow.assembly.docxfacts import (
    count,
    document_text,
    empty_hyperlinks,
    image_facts,
    language_share,
    metadata_languages,
)
from contestflow.assembly.form import structured_values
from contestflow.assembly.rulebook import (
    RULES,
    Finding,
    Hit,
    Rule,
    RuleResult,
    Severity,
    rule,
    run_rules,
)
from contestflow.states import RequestState

__all__ = ["RULES", "Finding", "Hit", "Rule", "RuleResult", "Severity", "estimate_pages",
           "run_rules"]

WORDS_PER_PAGE = 500  # a page of A4 in 11-point type, for the estimate without LibreOffice
MB = 1024 * 1024


@rule("required-items", "blocking", ru="Все обязательные материалы присланы",
      en="Every required item has arrived")
def required_items(context: PackageContext) -> list[Hit]:
    return [Hit(p.item.id, Message("обязательный материал не прислан",
                                   "required material is missing"))
            for p in context.items if p.item.required and p.material is None]


@rule("file-count", "blocking",
      ru="У каждого материала допустимое число файлов, в группе — поровну",
      en="Each item has as many files as it takes; grouped items match file for file")
def file_count(context: PackageContext) -> list[Hit] | None:
    counted = [i for i in context.definition.items
               if i.several_files or i.min_files > 1 or i.group]
    if not counted:
        return None
    counts = Counter(p.item.id for p in context.items if p.material is not None)
    hits = []
    for item in counted:
        n = counts[item.id]
        if n < item.min_files and (item.required or n):
            hits.append(Hit(item.id, Message(
                f"файлов: {n}, нужно не меньше {item.min_files}",
                f"{n} file(s), at least {item.min_files} are asked")))
        if n > item.max_files:
            hits.append(Hit(item.id, Message(f"файлов: {n}, допустимо не больше {item.max_files}",
                                             f"{n} files, at most {item.max_files} are taken")))
    groups: dict[str, list[str]] = {}
    for item in counted:
        if item.group:
            groups.setdefault(item.group, []).append(item.id)
    for members in groups.values():
        if len({counts[m] for m in members}) > 1:
            ru = ", ".join(f"«{context.definition.item(m).title.ru}»: {counts[m]}"
                           for m in members)
            en = ", ".join(f"{context.definition.item(m).title.en}: {counts[m]}" for m in members)
            hits.append(Hit(members[0], Message(
                f"файлы должны идти комплектами, а их число разное — {ru}",
                f"the files go in sets, but their numbers differ: {en}")))
    return hits


@rule("reopened", "blocking", ru="Возвращённые подразделениям материалы присланы заново",
      en="Items sent back to their departments have come back")
def reopened(context: PackageContext) -> list[Hit]:
    return [Hit(p.item.id, Message(
                f"возвращено подразделению, ждём новую версию: {p.request_comment or '—'}",
                f"re-opened, waiting for a new version: {p.request_comment or 'see the request'}"))
            for p in context.items if p.request_state == RequestState.REOPENED]


@rule("translated", "blocking", ru="Всё переведено на язык заявки",
      en="Everything is in the submission language")
def translated(context: PackageContext) -> list[Hit]:
    hits = [Hit(p.item.id, p.missing_file) for p in context.items if p.missing_file]
    for packed in context.items:
        if packed.translation is not None and packed.translation.pending:
            n = packed.translation.pending
            hits.append(Hit(packed.item.id, Message(
                f"сегментов ждут перевода человеком: {n}",
                f"{n} segment(s) still need a human translation")))
    return hits


@rule("limits", "blocking", ru="Объём каждого раздела в пределах ограничения, на языке подачи",
      en="Each section is within its limit, counted in the submitted language")
def limits(context: PackageContext) -> list[Hit] | None:
    limited = [p for p in context.packed() if p.item.limit is not None]
    if not any(p.item.limit for p in context.items):
        return None
    hits = []
    for packed in limited:
        limit = packed.item.limit
        assert limit is not None
        unit_ru = "слов" if limit.unit == "words" else "знаков"
        text = document_text(packed.data or b"", packed.name)
        if text is None:
            hits.append(Hit(packed.item.id, Message(
                f"объём не подсчитать ({packed.name} — не файл Word): проверьте вручную, не "
                f"больше {limit.max} {unit_ru}",
                f"cannot count {packed.name} (not a Word file): check by hand that it is at "
                f"most {limit.max} {limit.unit}"), "warning"))
            continue
        used = count(text, limit.unit)
        if used > limit.max:
            hits.append(Hit(packed.item.id, Message(
                f"{used} {unit_ru} на {packed.language.upper()} при ограничении {limit.max}",
                f"{used} {limit.unit} in {packed.language.upper()}, over the limit of "
                f"{limit.max}")))
    return hits


@rule("file-language", "blocking", ru="Каждый файл на языке своего места в заявке",
      en="Each file is in the language of its place in the package")
def file_language(context: PackageContext) -> list[Hit]:
    hits = []
    for packed in context.packed():
        text = document_text(packed.data or b"", packed.name)
        share = language_share(text or "")
        if share is None:
            continue  # not a Word file, or too little text to tell
        # Russian prose is mostly Cyrillic; an English one may quote a few Russian names.
        wrong = share < 0.5 if packed.language == "ru" else share > 0.2
        if wrong:
            hits.append(Hit(packed.item.id, Message(
                f"{packed.name}: текст не на языке {packed.language.upper()} (кириллицы "
                f"{share:.0%}): пришлите версию на нужном языке",
                f"{packed.name}: the text is not in {packed.language.upper()} ({share:.0%} "
                "Cyrillic): send the right language version")))
    return hits


@rule("images", "blocking", ru="Фотографии нужного типа и размера",
      en="Images are of the stated type and size")
def images(context: PackageContext) -> list[Hit] | None:
    stated = [p for p in context.items if p.item.images is not None]
    if not stated:
        return None
    hits = []
    for packed in stated:
        rules = packed.item.images
        assert rules is not None
        if packed.data is None:
            continue
        facts = image_facts(packed.data)
        if facts is None or facts[0] not in packed.item.formats:
            kinds = ", ".join(packed.item.formats).upper()
            hits.append(Hit(packed.item.id, Message(f"{packed.name}: не изображение {kinds}",
                                                    f"{packed.name}: not a {kinds} image")))
            continue
        _, width, height = facts
        if width < rules.min_width or height < rules.min_height:
            hits.append(Hit(packed.item.id, Message(
                f"{packed.name}: {width}×{height} пикселей, нужно не меньше "
                f"{rules.min_width}×{rules.min_height}",
                f"{packed.name}: {width}×{height} pixels, at least "
                f"{rules.min_width}×{rules.min_height} are asked")))
    return hits


@rule("package-size", "blocking", ru="Размер пакета не больше допустимого организатором",
      en="The package is within the organiser's size limit")
def package_size(context: PackageContext) -> list[Hit] | None:
    cap = context.definition.package.max_size_mb
    if cap is None:
        return None
    if context.package_size <= cap * MB:
        return []
    size = f"{context.package_size / MB:.1f}"
    return [Hit("", Message(f"пакет весит {size.replace('.', ',')} МБ, допустимо {cap} МБ",
                            f"the package weighs {size} MB, the limit is {cap} MB"))]


@rule("page-limit", "blocking", ru="Число страниц не больше допустимого",
      en="The page count is within the limit")
def page_limit(context: PackageContext) -> list[Hit] | None:
    limit = context.definition.package.max_pages
    if limit is None:
        return None
    if context.pages is None:
        return [Hit("", Message("страницы не подсчитать: в пакете нет файлов Word",
                                "cannot count pages: the package has no Word file"), "warning")]
    pages, exact = context.pages
    if exact and pages <= limit:
        return []
    if exact:
        return [Hit("", Message(f"{pages} стр. при ограничении {limit} (подсчитано по PDF)",
                                f"{pages} pages, over the limit of {limit} (counted on the "
                                "PDF)"))]
    # Without LibreOffice the count is an estimate, and an estimate never blocks.
    return [Hit("", Message(
        f"около {pages} стр. при ограничении {limit} — это оценка по числу слов "
        f"({WORDS_PER_PAGE} на страницу): проверьте в PDF",
        f"about {pages} pages against a limit of {limit}, estimated from the word count "
        f"({WORDS_PER_PAGE} a page): check the PDF"), "warning")]


def estimate_pages(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_PAGE))


@rule("eligibility", "blocking", ru="Условия участия подтверждены координатором",
      en="The coordinator has confirmed the eligibility statements")
def eligibility(context: PackageContext) -> list[Hit] | None:
    statements = context.definition.eligibility
    if not statements:
        return None
    russian = context.definition.eligibility_ru or statements
    return [Hit("", Message(f"не подтверждено: «{russian[index]}» — отметьте условие на "
                            "странице заявки",
                            f"not confirmed: \"{text}\" (tick it on the submission's page, or "
                            f"contestflow submission confirm {context.submission_id} "
                            f"--statement {index + 1})"))
            for index, text in enumerate(statements) if index not in context.confirmed]


@rule("self-nomination", "blocking", ru="Выдвигает третья сторона, а не сам город",
      en="A third party nominates, not the city itself")
def self_nomination(context: PackageContext) -> list[Hit] | None:
    if context.definition.self_nomination_allowed:
        return None
    nominator = context.nominator.strip()
    if not nominator:
        return [Hit("", Message(
            "не указан выдвигающий: организатор не принимает самовыдвижение",
            "no nominating party is recorded: the organiser does not accept self-nomination"))]
    if nominator.casefold() in {name.casefold() for name in context.nominee_names}:
        return [Hit("", Message(f"«{nominator}» — сам город: выдвинуть его может только "
                                "третья сторона",
                                f'"{nominator}" is the city itself: only a third party may '
                                "nominate it"))]
    return []


@rule("fields-match", "blocking", ru="Сведения в форме в точности совпадают с письмом",
      en="The details in the form are exactly those of the letter")
def fields_match(context: PackageContext) -> list[Hit] | None:
    structured = [p for p in context.items if p.item.must_match and p.item.structured]
    if not structured:
        return None
    by_item = {p.item.id: p for p in context.items}
    hits = []
    for packed in structured:
        letter = by_item.get(packed.item.must_match or "")
        if packed.data is None or letter is None or letter.data is None:
            continue  # missing items are the required-items and translated rules' business
        text = document_text(letter.data, letter.name)
        if text is None:
            hits.append(Hit(packed.item.id, Message(
                f"{letter.name} — не файл Word: сверьте сведения с письмом вручную",
                f"{letter.name} is not a Word file: compare the details with it by hand"),
                "warning"))
            continue
        words = " ".join(text.split())
        values = structured_values(packed.data)
        for spec in packed.item.fields:
            value = " ".join(values.get(spec.id, "").split())
            if value and value not in words:
                hits.append(Hit(packed.item.id, Message(
                    f"«{spec.title.ru}» ({value}) не совпадает с письмом «{letter.item.title.ru}»",
                    f"{spec.title.en} ({value}) is not in the letter \"{letter.item.title.en}\"")))
    return hits


@rule("publication-window", "blocking",
      ru="Каждая публикация вышла в сроки конкурса, и её дата указана",
      en="Each piece was published within the edition's window, its date recorded")
def publication_window(context: PackageContext) -> list[Hit] | None:
    window = context.edition.publication_window
    dated = [p for p in context.items if p.material is not None
             and any(f.id == "published_on" for f in p.item.file_fields)]
    if window is None or not dated:
        return None
    start, end = window
    hits = []
    for packed in dated:
        name = packed.material.filename if packed.material else packed.name
        published = packed.details.get("published_on", "")
        if not published:
            hits.append(Hit(packed.item.id, Message(
                f"{name}: не указана дата публикации",
                f"{name}: the date of publication is not recorded")))
        elif not start.isoformat() <= published <= end.isoformat():
            hits.append(Hit(packed.item.id, Message(
                f"{name}: опубликовано {_date_ru(published)}, вне сроков конкурса "
                f"({start:%d.%m.%Y} – {end:%d.%m.%Y})",
                f"{name}: published on {published}, outside the window {start} – {end}")))
    return hits


def _date_ru(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


@rule("formatting", "blocking", ru="Форматирование перенесено в перевод полностью",
      en="The translation keeps its formatting whole")
def formatting(context: PackageContext) -> list[Hit]:
    hits = []
    for packed in context.packed():
        info = packed.translation
        if info is not None and info.empty_pairs:
            hits.append(Hit(packed.item.id, Message(
                f"пустое форматирование в сегментах {_positions(info.empty_pairs)}: выделенные "
                "слова потеряны, поставьте их на странице перевода",
                f"empty formatting in segments {_positions(info.empty_pairs)}: the formatted "
                "words were lost; place them on the translation page")))
        if info is not None and info.unconfirmed_formatting:
            hits.append(Hit(packed.item.id, Message(
                f"форматирование из памяти поставлено автоматически в сегментах "
                f"{_positions(info.unconfirmed_formatting)}: проверьте и подтвердите",
                f"formatting from the memory was placed automatically in segments "
                f"{_positions(info.unconfirmed_formatting)}: check and approve them"),
                "warning"))
        if packed.name.endswith(".docx") and (links := empty_hyperlinks(packed.data or b"")):
            hits.append(Hit(packed.item.id, Message(
                f"{packed.name}: ссылок без текста: {links}", f"{packed.name}: {links} "
                "hyperlink(s) without text")))
    return hits


@rule("document-metadata", "warning", ru="Свойства документов на языке подачи",
      en="The documents' own properties are in the submitted language")
def document_metadata(context: PackageContext) -> list[Hit]:
    hits = []
    for packed in context.packed():
        if packed.origin != "translated" or not packed.name.endswith(".docx"):
            continue
        stale = [lang for lang in metadata_languages(packed.data or b"")
                 if not lang.lower().startswith(packed.language)]
        if stale:
            hits.append(Hit(packed.item.id, Message(
                f"{packed.name}: в свойствах документа и стилях указан язык "
                f"{', '.join(sorted(set(stale)))}",
                f"{packed.name}: the document's properties and styles say "
                f"{', '.join(sorted(set(stale)))}")))
    return hits


def _positions(positions: tuple[int, ...]) -> str:
    return ", ".join(str(p + 1) for p in positions[:10]) + ("…" if len(positions) > 10 else "")
