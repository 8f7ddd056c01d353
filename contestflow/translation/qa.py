"""Quality checks run on every target segment.

Each check is a small function registered with :func:`check`, with a severity, returning a
detail string when something is wrong (``None`` when all is well). The first line of its
docstring is the message a reviewer sees. Flags are stored on the segment as
``"name: message (detail)"`` and shown in the review document and the review page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from contestflow.i18n import N_, tr
from contestflow.translation.glossary import Glossary
from contestflow.translation.inline import order_changed, parse_display, plain, structure_problems
from contestflow.translation.morph import CYRILLIC_RE
from contestflow.translation.numbers import values

Severity = Literal["error", "warning"]
URL_RE = re.compile(r"https?://[^\s<>\"«»]+[^\s<>\"«».,;:!?)]|www\.[^\s<>\"«»]+[^\s.,;:!?)]")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ENDINGS = {"...": "…", "?": "?", "!": "!", ".": ".", ":": ":", ";": ";", "…": "…"}
LENGTH_BAND = (0.5, 2.2)


@dataclass
class QAContext:
    source: str
    target: str
    source_lang: str
    target_lang: str
    kinds: dict[int, str] = field(default_factory=dict)
    glossary: Glossary | None = None

    @property
    def source_text(self) -> str:
        return plain(parse_display(self.source))

    @property
    def target_text(self) -> str:
        return plain(parse_display(self.target))


@dataclass(frozen=True)
class Check:
    name: str
    severity: Severity
    function: Callable[[QAContext], str | None]

    @property
    def message(self) -> str:
        return (self.function.__doc__ or self.name).strip().splitlines()[0]


CHECKS: list[Check] = []


def check(name: str, severity: Severity) -> Callable[[Callable[[QAContext], str | None]],
                                                      Callable[[QAContext], str | None]]:
    def register(function: Callable[[QAContext], str | None]) -> Callable[[QAContext],
                                                                          str | None]:
        CHECKS.append(Check(name, severity, function))
        return function

    return register


@check("untranslated", "error")
def untranslated(ctx: QAContext) -> str | None:
    """The target is empty or still in the source language."""
    source, target = ctx.source_text.strip(), ctx.target_text.strip()
    if not target:
        return "empty"
    if target == source and any(c.isalpha() for c in source):
        return "same as the source"
    if ctx.target_lang.startswith("en"):
        letters = sum(1 for c in target if c.isalpha())
        cyrillic = len(CYRILLIC_RE.findall(target))
        if letters and cyrillic / letters > 0.3:
            return "Cyrillic text left"
    return None


@check("numbers", "error")
def numbers(ctx: QAContext) -> str | None:
    """Numbers differ between source and target."""
    source = values(ctx.source_text, ctx.source_lang)
    target = values(ctx.target_text, ctx.target_lang)
    if source == target:
        return None
    missing, extra = source - target, target - source
    parts = []
    if missing:
        parts.append("missing " + ", ".join(sorted(missing)))
    if extra:
        parts.append("added " + ", ".join(sorted(extra)))
    return "; ".join(parts)


@check("tags", "error")
def tags(ctx: QAContext) -> str | None:
    """Formatting markers ({1}…{/1}, {2/}) differ from the source."""
    problems = structure_problems(parse_display(ctx.target), ctx.kinds or _kinds(ctx.source))
    return "; ".join(problems) or None


@check("tag-order", "warning")
def tag_order(ctx: QAContext) -> str | None:
    """Formatting markers are in a different order than in the source."""
    if order_changed(parse_display(ctx.source), parse_display(ctx.target)):
        return "check that the formatting sits on the right words"
    return None


@check("glossary", "error")
def glossary(ctx: QAContext) -> str | None:
    """A glossary term is not translated as the glossary says."""
    if ctx.glossary is None:
        return None
    target = ctx.target_text
    missed = [f"{m.term.source} → {m.term.target}" for m in ctx.glossary.find(ctx.source_text)
              if not ctx.glossary.followed(m.term, target)]
    return "; ".join(dict.fromkeys(missed)) or None


@check("urls", "error")
def urls(ctx: QAContext) -> str | None:
    """A web address or e-mail address was changed."""
    found = URL_RE.findall(ctx.source_text) + EMAIL_RE.findall(ctx.source_text)
    lost = [item for item in found if item not in ctx.target_text]
    return ", ".join(lost) or None


@check("length", "warning")
def length(ctx: QAContext) -> str | None:
    """The target is much shorter or longer than the source."""
    source, target = ctx.source_text.strip(), ctx.target_text.strip()
    if len(source) < 40 or not target:
        return None
    ratio = len(target) / len(source)
    if LENGTH_BAND[0] <= ratio <= LENGTH_BAND[1]:
        return None
    return f"{ratio:.0%} of the source length"


@check("double-space", "warning")
def double_space(ctx: QAContext) -> str | None:
    """The target has double spaces."""
    if "  " in ctx.target_text and "  " not in ctx.source_text:
        return "remove the extra space"
    return None


@check("ending", "warning")
def ending(ctx: QAContext) -> str | None:
    """The sentence ends with different punctuation."""
    source, target = _end(ctx.source_text), _end(ctx.target_text)
    if source == target:
        return None
    return f"source ends with {source or 'no punctuation'!r}, target with " \
           f"{target or 'no punctuation'!r}"


def _end(text: str) -> str:
    text = text.rstrip().rstrip("\"'»”’)]")
    for mark in ("...", "…", "?", "!", ".", ":", ";"):
        if text.endswith(mark):
            return ENDINGS[mark]
    return ""


def _kinds(display: str) -> dict[int, str]:
    from contestflow.translation.inline import tag_kinds

    return tag_kinds(parse_display(display))


def run_checks(ctx: QAContext) -> list[str]:
    """Every flag for one segment, as stored: ``"name: message (detail)"``."""
    flags = []
    for item in CHECKS:
        detail = item.function(ctx)
        if detail:
            flags.append(f"{item.name}: {item.message} ({detail})")
    return flags


def severity_of(flag: str) -> Severity:
    name = flag.split(":", 1)[0]
    return next((c.severity for c in CHECKS if c.name == name), "warning")


# What a reviewer reads for a stored flag, by its check's name. The stored flag keeps its
# English detail for the CLI and exchange files; a page in Russian shows the sentence alone.
FLAG_SENTENCES: dict[str, str] = {
    "untranslated": N_("Needs a human translation"),
    "numbers": N_("Numbers differ between the source and the translation"),
    "tags": N_("Check the formatting: its markers differ from the source or were placed "
               "automatically"),
    "tag-order": N_("Formatting markers are in a different order than in the source"),
    "glossary": N_("A glossary term is not translated as the glossary says"),
    "urls": N_("A web or e-mail address was changed"),
    "length": N_("The translation is much shorter or longer than the source"),
    "double-space": N_("The translation has double spaces"),
    "ending": N_("The sentence ends with different punctuation"),
}


def flag_text(lang: str, flag: str) -> str:
    """A stored flag (``"name: message (detail)"``) as a reviewer reads it in ``lang``."""
    sentence = FLAG_SENTENCES.get(flag.split(":", 1)[0])
    if lang == "en" or sentence is None:
        return flag
    return tr(lang, sentence)
