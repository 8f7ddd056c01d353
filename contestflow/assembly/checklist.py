"""The checklist: every rule's result for a package, as a reviewer reads it (Russian first).

The same table goes to the coordinator's page, to a file beside the package, and to the
Prefect run that assembled it (as a markdown artifact).
"""

from __future__ import annotations

from contestflow.i18n import N_, tr

STATUS_NAMES: dict[str, str] = {
    "passed": N_("passed"),
    "failed": N_("failed"),
    "warning": N_("warnings"),
    "not_applicable": N_("not applicable"),
}


def checklist_markdown(record: dict, lang: str = "ru") -> str:
    """A markdown table of ``record["checklist"]``, in ``lang`` (Russian unless "en")."""
    lang = "en" if lang == "en" else "ru"
    whole = tr(lang, "the package")
    titles = {item["item"]: item["title_ru" if lang == "ru" else "title"]
              for item in record.get("items", [])}
    heading = tr(lang, "The package against the contest's rules")
    lines = [f"# {heading}", "",
             f"| {tr(lang, 'Rule')} | {tr(lang, 'Result')} | {tr(lang, 'Findings')} |",
             "|---|---|---|"]
    for entry in record.get("checklist", []):
        status = tr(lang, STATUS_NAMES[entry["status"]])
        findings = "<br>".join(
            f"{titles.get(f['item_id'], whole) if f['item_id'] else whole}: "
            f"{_cell(f['message_' + lang])}" for f in entry["findings"]) or "—"
        lines.append(f"| {_cell(entry['title_' + lang])} | {status} | {findings} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
