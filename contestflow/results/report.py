"""The yearly report: ``index.html`` (self-contained and printable), ``results.csv``,
``results.xlsx`` and the charts as PNG files, all in one folder.

The HTML carries its CSS inline and its charts as ``data:`` URIs, so it can be mailed, archived
or printed as one file. Russian by default; English with ``lang="en"``.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from contestflow.results import charts
from contestflow.results.exports import write_csv, write_xlsx
from contestflow.results.i18n import labels, percent
from contestflow.results.summary import Summary, build_summary
from contestflow.wording import date_text

TEMPLATES = Path(__file__).parent / "templates"
ADDRESS = re.compile(r"https?://[^\s;,()]+")
CHART_FILES = {"awards_per_year": "awards-per-year.png",
               "outcomes_by_department": "outcomes-by-department.png"}


@dataclass(frozen=True)
class ReportFiles:
    directory: Path
    index: Path
    csv: Path
    xlsx: Path
    charts: dict[str, Path]
    summary: Summary


def with_links(text: str) -> Markup:
    """``text`` escaped, each web address in it a link: a reference names the organiser's page."""
    parts, last = [], 0
    for found in ADDRESS.finditer(text):
        address = found.group().rstrip(".")
        parts += [escape(text[last:found.start()]),
                  Markup('<a href="{0}">{0}</a>').format(address)]
        last = found.start() + len(address)
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES),
                              autoescape=select_autoescape(["html"]))
    environment.filters["percent"] = percent
    environment.filters["with_links"] = with_links
    return environment


def draw_charts(summary: Summary) -> dict[str, bytes]:
    return {
        "awards_per_year": charts.awards_per_year(summary.rows, summary.lang),
        "outcomes_by_department": charts.outcomes_by_department(summary.rows, summary.lang),
    }


def render_html(summary: Summary, pngs: dict[str, bytes]) -> str:
    """The report page, with every chart embedded as a data: URI."""
    images = {name: "data:image/png;base64," + base64.b64encode(data).decode("ascii")
              for name, data in pngs.items()}
    total = summary.total
    words = labels(summary.lang)
    return _environment().get_template("report.html").render(
        s=summary, w=words, lang=summary.lang, images=images, total=total,
        date=lambda day: date_text(day, summary.lang),
        summary_line=words["summary_line"].format(
            entries=total.entries, awarded=total.awarded,
            rate=percent(total.success_rate, summary.lang)),
    )


def write_report(
    session: Session,
    out_dir: Path,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    lang: str = "ru",
    today: dt.date | None = None,
) -> ReportFiles:
    """Write the whole report into ``out_dir`` (created if needed); returns where each file is."""
    summary = build_summary(session, year_from=year_from, year_to=year_to, lang=lang, today=today)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pngs = draw_charts(summary)
    chart_paths = {}
    for name, data in pngs.items():
        chart_paths[name] = out_dir / CHART_FILES[name]
        chart_paths[name].write_bytes(data)
    index = out_dir / "index.html"
    index.write_text(render_html(summary, pngs), encoding="utf-8")
    return ReportFiles(
        directory=out_dir, index=index, csv=write_csv(summary, out_dir / "results.csv"),
        xlsx=write_xlsx(summary, out_dir / "results.xlsx"), charts=chart_paths, summary=summary,
    )
