"""The contest's rules, as named checks that every package is held to before approval.

Each is registered with ``rulebook.rule`` (a severity, and what it checks in Russian and
English). Rules read a ``PackageContext`` only, so each is tested on a hand-built package
that breaks exactly that rule. Importing this module registers them all; ``run_rules`` is
re-exported from here so that callers cannot run the registry before it is filled.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from contestflow.assembly.context import PackageContext
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
from contestflow.i18n import N_, Message
from contestflow.identity import names_the_city
from contestflow.states import RequestState
from contestflow.wording import human_size
from schemas.contest import Names

__all__ = ["RULES", "Finding", "Hit", "Rule", "RuleResult", "Severity", "estimate_pages",
           "run_rules"]

# The units of a section's limit, as the findings name them.
UNIT_NAMES = {"words": Names(ru="слов", en="words"),
              "characters": Names(ru="знаков", en="characters")}
WORDS_PER_PAGE = 500  # a page of A4 in 11-point type, for the estimate without LibreOffice
MB = 1024 * 1024


@rule("required-items", "blocking", N_("Every required item has arrived"))
def required_items(context: PackageContext) -> list[Hit]:
    return [Hit(p.item.id, Message(N_('required material is missing')))
            for p in context.items if p.item.required and p.material is None]


@rule("file-count", "blocking", N_(
    "Each item has as many files as it takes; grouped items match file for file"))
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
            hits.append(Hit(item.id, Message(N_(
                "files: %(n)s, at least %(least)s are asked"), n=n, least=item.min_files)))
        if n > item.max_files:
            hits.append(Hit(item.id, Message(N_(
                "files: %(n)s, at most %(most)s are taken"), n=n, most=item.max_files)))
    groups: dict[str, list[str]] = {}
    for item in counted:
        if item.group:
            groups.setdefault(item.group, []).append(item.id)
    for members in groups.values():
        if len({counts[m] for m in members}) > 1:
            titles = [(context.definition.item(m).title, counts[m]) for m in members]
            numbers = Names(ru=", ".join(f"«{t.ru}»: {n}" for t, n in titles),
                            en=", ".join(f"{t.en}: {n}" for t, n in titles))
            hits.append(Hit(members[0], Message(N_(
                "the files go in sets, but their numbers differ: %(numbers)s"), numbers=numbers)))
    return hits


@rule("reopened", "blocking", N_("Items sent back to their departments have come back"))
def reopened(context: PackageContext) -> list[Hit]:
    return [Hit(p.item.id, Message(N_(
        "sent back to the department, waiting for a new version: %(comment)s"),
        comment=p.request_comment or "—"))
            for p in context.items if p.request_state == RequestState.REOPENED]


@rule("translated", "blocking", N_("Everything is in the submission language"))
def translated(context: PackageContext) -> list[Hit]:
    hits = [Hit(p.item.id, p.missing_file) for p in context.items if p.missing_file]
    for packed in context.items:
        if packed.translation is not None and packed.translation.pending:
            n = packed.translation.pending
            hits.append(Hit(packed.item.id, Message(N_(
                "segments waiting for a human translation: %(n)s"), n=n)))
    return hits


@rule("limits", "blocking", N_(
    "Each section is within its limit, counted in the submitted language"))
def limits(context: PackageContext) -> list[Hit] | None:
    limited = [p for p in context.packed() if p.item.limit is not None]
    if not any(p.item.limit for p in context.items):
        return None
    hits = []
    for packed in limited:
        limit = packed.item.limit
        assert limit is not None
        unit = UNIT_NAMES[limit.unit]
        text = document_text(packed.data or b"", packed.name)
        if text is None:
            hits.append(Hit(packed.item.id, Message(N_(
                "cannot count %(name)s (not a Word file): check by hand that it is at most %(max)s"
                " %(unit)s"), name=packed.name, max=limit.max,
                unit=unit), "warning"))
            continue
        used = count(text, limit.unit)
        if used > limit.max:
            hits.append(Hit(packed.item.id, Message(N_(
                "%(used)s %(unit)s in %(language)s, over the limit of %(max)s"),
                used=used, unit=unit,
                language=packed.language.upper(), max=limit.max)))
    return hits


@rule("file-language", "blocking", N_("Each file is in the language of its place in the package"))
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
            hits.append(Hit(packed.item.id, Message(N_(
                "%(name)s: the text is not in %(language)s (%(share)s%% Cyrillic): send the right "
                "language version"), name=packed.name,
                language=packed.language.upper(), share=round(share * 100))))
    return hits


@rule("images", "blocking", N_("Images are of the stated type and size"))
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
            hits.append(Hit(packed.item.id, Message(N_('%(name)s: not a %(kinds)s image'),
                                                    name=packed.name, kinds=kinds)))
            continue
        _, width, height = facts
        if width < rules.min_width or height < rules.min_height:
            hits.append(Hit(packed.item.id, Message(N_(
                "%(name)s: %(width)s×%(height)s pixels, at least %(min_width)s×%(min_height)s are "
                "asked"), name=packed.name, width=width, height=height,
                min_width=rules.min_width, min_height=rules.min_height)))
    return hits


@rule("package-size", "blocking", N_("The package is within the organiser's size limit"))
def package_size(context: PackageContext) -> list[Hit] | None:
    cap = context.definition.package.max_size_mb
    if cap is None:
        return None
    if context.package_size <= cap * MB:
        return []
    size = Names(ru=human_size(context.package_size, "ru"),
                 en=human_size(context.package_size, "en"))
    return [Hit("", Message(N_(
        "the package weighs %(size)s, the limit is %(cap)s MB"), size=size, cap=cap))]


@rule("page-limit", "blocking", N_("The page count is within the limit"))
def page_limit(context: PackageContext) -> list[Hit] | None:
    limit = context.definition.package.max_pages
    if limit is None:
        return None
    if context.pages is None:
        return [Hit("", Message(N_('cannot count pages: the package has no Word file')), "warning")]
    pages, exact = context.pages
    if exact and pages <= limit:
        return []
    if exact:
        return [Hit("", Message(N_(
            "%(pages)s pages, over the limit of %(limit)s (counted on the PDF)"),
            pages=pages, limit=limit))]
    # Without LibreOffice the count is an estimate, and an estimate never blocks.
    return [Hit("", Message(N_(
        "about %(pages)s pages against a limit of %(limit)s, estimated from the word count "
        "(%(per_page)s a page): check the PDF"), pages=pages, limit=limit,
        per_page=WORDS_PER_PAGE), "warning")]


def estimate_pages(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_PAGE))


@rule("eligibility", "blocking", N_("The coordinator has confirmed the eligibility statements"))
def eligibility(context: PackageContext) -> list[Hit] | None:
    statements = context.definition.eligibility
    if not statements:
        return None
    russian = context.definition.eligibility_ru or statements
    # Confirmed on the submission's page, or with `submission confirm ID --statement N`.
    return [Hit("", Message(N_("not confirmed: condition %(number)s, “%(statement)s”: confirm "
                               "it on the submission's page"),
                            statement=Names(ru=russian[index], en=text), number=index + 1))
            for index, text in enumerate(statements) if index not in context.confirmed]


@rule("self-nomination", "blocking", N_("A third party nominates, not the city itself"))
def self_nomination(context: PackageContext) -> list[Hit] | None:
    if context.definition.self_nomination_allowed:
        return None
    nominator = context.nominator.strip()
    if not nominator:
        return [Hit("", Message(N_(
            "no nominating party is recorded: the organiser does not accept self-nomination")))]
    if names_the_city(nominator, context.nominee_names):
        return [Hit("", Message(N_(
            "“%(nominator)s” is the city itself or one of its bodies: only a third party may "
            "nominate it"),
                                nominator=nominator))]
    return []


@rule("fields-match", "blocking", N_("The details in the form are exactly those of the letter"))
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
            hits.append(Hit(packed.item.id, Message(N_(
                "%(name)s is not a Word file: compare the details with it by hand"),
                name=letter.name),
                "warning"))
            continue
        words = " ".join(text.split())
        values = structured_values(packed.data)
        for spec in packed.item.fields:
            value = " ".join(values.get(spec.id, "").split())
            if value and value not in words:
                hits.append(Hit(packed.item.id, Message(N_(
                    "“%(field)s” (%(value)s) is not in the letter “%(letter)s”"),
                    field=spec.title, value=value, letter=letter.item.title)))
    return hits


@rule("publication-window", "blocking", N_(
    "Each piece was published within the edition's window, its date recorded"))
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
            hits.append(Hit(packed.item.id, Message(N_(
                "%(name)s: the date of publication is not recorded"), name=name)))
        elif not context.edition.published_within(dt.date.fromisoformat(published)):
            hits.append(Hit(packed.item.id, Message(N_(
                "%(name)s: published on %(published)s, outside the window %(start)s – %(end)s"),
                name=name,
                published=dt.date.fromisoformat(published), start=start, end=end)))
    return hits


@rule("dates-confirmed", "warning", N_(
    "The organiser's dates are confirmed from its call, not expected from the last cycle"))
def dates_confirmed(context: PackageContext) -> list[Hit]:
    return [Hit("", Message(N_(
        "%(phase)s: the deadline %(deadline)s is expected, from the last cycle: confirm it from "
        "the organiser's call before sending"),
        phase=Names(ru=phase.name_ru or phase.name, en=phase.name), deadline=phase.deadline))
        for phase in context.edition.phases if phase.expected]


@rule("formatting", "blocking", N_("The translation keeps its formatting whole"))
def formatting(context: PackageContext) -> list[Hit]:
    hits = []
    for packed in context.packed():
        info = packed.translation
        if info is not None and info.empty_pairs:
            hits.append(Hit(packed.item.id, Message(N_(
                "empty formatting in segments %(positions)s: the formatted words were lost; place "
                "them on the translation page"),
                positions=_positions(info.empty_pairs))))
        if info is not None and info.unconfirmed_formatting:
            hits.append(Hit(packed.item.id, Message(N_(
                "formatting from the memory was placed automatically in segments %(positions)s: "
                "check and approve them"),
                positions=_positions(info.unconfirmed_formatting)),
                "warning"))
        if packed.name.endswith(".docx") and (links := empty_hyperlinks(packed.data or b"")):
            hits.append(Hit(packed.item.id, Message(N_(
                "%(name)s: hyperlinks without text: %(links)s"), name=packed.name,
                links=links)))
    return hits


@rule("document-metadata", "warning", N_(
    "The documents' own properties are in the submitted language"))
def document_metadata(context: PackageContext) -> list[Hit]:
    hits = []
    for packed in context.packed():
        if packed.origin != "translated" or not packed.name.endswith(".docx"):
            continue
        stale = [lang for lang in metadata_languages(packed.data or b"")
                 if not lang.lower().startswith(packed.language)]
        if stale:
            hits.append(Hit(packed.item.id, Message(N_(
                "%(name)s: the document's properties and styles give the language %(languages)s"),
                name=packed.name,
                languages=", ".join(sorted(set(stale))))))
    return hits


def _positions(positions: tuple[int, ...]) -> str:
    return ", ".join(str(p + 1) for p in positions[:10]) + ("…" if len(positions) > 10 else "")
