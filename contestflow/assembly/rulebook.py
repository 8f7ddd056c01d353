"""The registry of the contest's rules: what a rule is, what it finds, and running them all.

A rule is a small function registered with :func:`rule`, with a severity ("blocking" stops
approval, "warning" is shown) and what it checks, an English msgid of the catalogue: the line
of the checklist a reviewer reads, in either language. It returns its findings, an empty list
when the package passes, or ``None`` when it does not apply to the contest. The rules
themselves are in ``rules.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from contestflow.assembly.context import PackageContext
from contestflow.i18n import Message

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True)
class Finding:
    rule: str
    item_id: str  # "" for the package as a whole
    severity: Severity
    message: Message

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "item_id": self.item_id, "severity": self.severity,
                "message_ru": self.message.ru, "message_en": self.message.en}


@dataclass(frozen=True)
class Hit:
    """What a rule found; ``severity`` only where it differs from the rule's own."""

    item_id: str
    message: Message
    severity: Severity | None = None


RuleFunction = Callable[[PackageContext], list[Hit] | None]


@dataclass(frozen=True)
class Rule:
    name: str
    severity: Severity
    title: Message
    function: RuleFunction

    def run(self, context: PackageContext) -> RuleResult:
        hits = self.function(context)
        if hits is None:
            return RuleResult(self, applies=False, findings=[])
        return RuleResult(self, applies=True, findings=[
            Finding(self.name, hit.item_id, hit.severity or self.severity, hit.message)
            for hit in hits])


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    applies: bool
    findings: list[Finding]

    @property
    def status(self) -> str:
        """passed, failed (a blocking finding), warning, or not_applicable."""
        if not self.applies:
            return "not_applicable"
        if any(f.severity == "blocking" for f in self.findings):
            return "failed"
        return "warning" if self.findings else "passed"

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule.name, "severity": self.rule.severity, "status": self.status,
                "title_ru": self.rule.title.ru, "title_en": self.rule.title.en,
                "findings": [f.as_dict() for f in self.findings]}


RULES: list[Rule] = []


def rule(name: str, severity: Severity, title: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule; ``title`` is its checklist line, an English msgid of the catalogue."""
    def register(function: RuleFunction) -> RuleFunction:
        RULES.append(Rule(name, severity, Message(title), function))
        return function

    return register


def run_rules(context: PackageContext) -> list[RuleResult]:
    return [each.run(context) for each in RULES]
