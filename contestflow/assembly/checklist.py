"""The checklist: every rule's result for a package, as a reviewer reads it (Russian first).

The same table goes to the coordinator's page, to a file beside the package, and to the
Prefect run that assembled it (as a markdown artifact).
"""

from __future__ import annotations

STATUS = {
    "passed": ("выполнено", "passed"),
    "failed": ("не выполнено", "failed"),
    "warning": ("есть замечания", "warnings"),
    "not_applicable": ("не относится к конкурсу", "not applicable"),
}
HEADINGS = {
    "ru": ("Проверка пакета по правилам конкурса", "Правило", "Итог", "Что найдено",
           "Материал", "пакет в целом"),
    "en": ("The package against the contest's rules", "Rule", "Result", "Findings", "Item",
           "the package"),
}


def checklist_markdown(record: dict, lang: str = "ru") -> str:
    """A markdown table of ``record["checklist"]``, in ``lang`` (Russian unless "en")."""
    lang = "en" if lang == "en" else "ru"
    title, rule, result, found, _item, whole = HEADINGS[lang]
    titles = {item["item"]: item["title_ru" if lang == "ru" else "title"]
              for item in record.get("items", [])}
    lines = [f"# {title}", "", f"| {rule} | {result} | {found} |", "|---|---|---|"]
    for entry in record.get("checklist", []):
        status = STATUS[entry["status"]][0 if lang == "ru" else 1]
        findings = "<br>".join(
            f"{titles.get(f['item_id'], whole) if f['item_id'] else whole}: "
            f"{_cell(f['message_' + lang])}" for f in entry["findings"]) or "—"
        lines.append(f"| {_cell(entry['title_' + lang])} | {status} | {findings} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
