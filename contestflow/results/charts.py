"""Charts as PNG bytes, drawn with matplotlib's Agg canvas.

No pyplot: a ``Figure`` on its own canvas touches no global backend state, so charts draw the
same in a CLI, a web worker thread or a Prefect task. DejaVu Sans (shipped with matplotlib)
renders Cyrillic.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter, defaultdict
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from contestflow.results.i18n import labels
from contestflow.results.summary import LedgerRow

FONT = "DejaVu Sans"
DPI = 110
PALETTE = ("#1f5f8b", "#e07b39", "#4c9a5b", "#b5403a", "#7d5ba6", "#8c6d46", "#d16ba5",
           "#6f6f6f", "#a8a13a", "#2aa3b5", "#35476e", "#c49a2c")


def _new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _style(axes, title: str) -> None:  # type: ignore[no-untyped-def]
    axes.set_title(title, fontsize=12, fontfamily=FONT, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=9)
    for label in (*axes.get_xticklabels(), *axes.get_yticklabels()):
        label.set_fontfamily(FONT)


def _no_data(figure: Figure, title: str, lang: str) -> bytes:
    axes = figure.add_subplot()
    axes.text(0.5, 0.5, labels(lang)["no_data"], ha="center", va="center", fontsize=14,
              fontfamily=FONT, color="#666666")
    axes.set_axis_off()
    axes.set_title(title, fontsize=12, fontfamily=FONT, loc="left")
    return _png(figure)


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrapped(names: Sequence[str], width: int = 36) -> list[str]:
    """Axis labels in at most two lines; full names when shortening would make two alike."""
    short = []
    for name in names:
        lines = textwrap.wrap(name, width) or [""]
        short.append("\n".join(lines[:2]) + ("…" if len(lines) > 2 else ""))
    return short if len(set(short)) == len(short) else list(names)


def awards_per_year(rows: Sequence[LedgerRow], lang: str) -> bytes:
    """Stacked bars: awarded entries per year, one colour per contest."""
    words = labels(lang)
    title = words["awards_per_year_chart"]
    awarded = [row for row in rows if row.awarded]
    figure = _new_figure(9, 4.0)
    if not awarded:
        return _no_data(figure, title, lang)
    year_of = {row.result_id: str(row.year) if row.year else words["year_not_stated"]
               for row in awarded}
    years = sorted(set(year_of.values()), key=lambda y: (not y.isdigit(), y))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in awarded:
        counts[row.contest_name][year_of[row.result_id]] += 1
    axes = figure.add_subplot()
    bottom = [0] * len(years)
    for index, (contest, by_year) in enumerate(sorted(counts.items())):
        heights = [by_year.get(year, 0) for year in years]
        axes.bar(years, heights, bottom=bottom, label=_short(contest, 90),
                 color=PALETTE[index % len(PALETTE)], width=0.65)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_ylabel(words["awarded"], fontfamily=FONT)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                ncol=2 if len(counts) > 3 else 1, prop={"family": FONT, "size": 8})
    _style(axes, title)
    return _png(figure)


def outcomes_by_department(rows: Sequence[LedgerRow], lang: str) -> bytes:
    """Horizontal stacked bars: each department's entries, split by outcome."""
    words = labels(lang)
    title = words["outcomes_by_department_chart"]
    figure = _new_figure(8, 1.6 + 0.6 * max(1, len({r.department_name for r in rows})))
    if not rows:
        return _no_data(figure, title, lang)
    per_department: dict[str, Counter[str]] = defaultdict(Counter)
    awarded_names = {row.outcome_name for row in rows if row.awarded}
    for row in rows:
        per_department[row.department_name][row.outcome_name] += 1
    departments = sorted(per_department, key=lambda d: sum(per_department[d].values()))
    outcomes = sorted({row.outcome_name for row in rows},
                      key=lambda name: (name not in awarded_names, name))
    axes = figure.add_subplot()
    left = [0] * len(departments)
    labels_short = _wrapped(departments)
    for index, outcome in enumerate(outcomes):
        widths = [per_department[d].get(outcome, 0) for d in departments]
        axes.barh(labels_short, widths, left=left, label=outcome, height=0.6,
                  color=PALETTE[index % len(PALETTE)])
        left = [a + w for a, w in zip(left, widths, strict=True)]
    axes.set_xlabel(words["count"], fontfamily=FONT)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                prop={"family": FONT, "size": 8})
    _style(axes, title)
    return _png(figure)
