"""Pictures of the graph: a timeline of New Zealand's deployments, personnel over time, and a map of the
places named. Each takes the DataFrame of a named query (see queries/) and returns a matplotlib Figure,
so the CLI, notebooks and the operation pages draw the same pictures.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

# Figures are drawn without pyplot: no global state, no screen, nothing to close. Text in SVG stays text.
STYLE = {"svg.fonttype": "none"}


def as_date(text: object, end: bool = False) -> dt.date | None:
    """'2009' → 2009-01-01 (or 2009-12-31 for an end); '2009-06' → the month's first (or last) day."""
    if text is None or text == "" or (isinstance(text, float) and pd.isna(text)):
        return None
    if isinstance(text, dt.date):
        return text
    parts = [int(p) for p in str(text)[:10].split("-") if p.isdigit()]
    if not parts:
        return None
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    day = parts[2] if len(parts) > 2 else (calendar.monthrange(year, month)[1] if end else 1)
    return dt.date(year, month, day)


def spans(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per operation: its first start, last end, the largest strength stated for it (how many
    served at one time), the largest total (how many served over a period) and whether a release says it is
    over."""
    rows = []
    for label, group in frame.groupby("label", sort=False):
        starts = [d for d in (as_date(v) for v in group["start"]) if d]
        ends = [d for d in (as_date(v, end=True) for v in group["end"]) if d]
        if starts or ends:
            rows.append({"label": label, "start": min(starts + ends), "end": max(ends + starts),
                         "personnel": largest(group, "personnel"), "total": largest(group, "total"),
                         "ended": any(str(v).lower() == "true" for v in group.get("ended", ()))})
    columns = ["label", "start", "end", "personnel", "total", "ended"]
    return pd.DataFrame(rows, columns=columns, dtype=object).sort_values("start")


def largest(group: pd.DataFrame, column: str) -> int | None:
    values = [int(v) for v in group.get(column, ()) if v is not None and not pd.isna(v)]
    return max(values) if values else None


def timeline(frame: pd.DataFrame, title: str = "New Zealand's contributions to peace support operations") -> Figure:
    """A bar per operation from its first stated start to its last stated end (or to the release that says
    it is over, drawn hatched); on the bar, the largest strength stated for it and, apart, the largest total
    of personnel who served over the period: the two are never added."""
    data = spans(frame)
    figure = Figure(figsize=(11, max(2.0, 0.42 * len(data) + 1.2)))
    axes = figure.subplots()
    for row, (_, span) in enumerate(data.iterrows()):
        start = mdates.date2num(span["start"])
        width = max(mdates.date2num(span["end"]) - start, 60)  # a single day still shows as a mark
        axes.barh(row, width, left=start, height=0.6, color="#00548b", hatch="//" if span["ended"] else None,
                  edgecolor="white")
        notes = [f"{span['personnel']} personnel" if span["personnel"] is not None else "",
                 f"{span['total']} over the period" if span["total"] is not None else "",
                 "ended" if span["ended"] else ""]
        axes.text(start + width, row, " " + ", ".join(n for n in notes if n), va="center", fontsize=8)
    axes.set_yticks(range(len(data)), [shorten(label) for label in data["label"]], fontsize=8)
    axes.invert_yaxis()
    axes.xaxis_date()
    axes.set_title(title)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    return figure


def personnel_over_time(frame: pd.DataFrame) -> Figure:
    """Stated personnel per operation against the dates of the releases that state them."""
    figure = Figure(figsize=(11, 5))
    axes = figure.subplots()
    for label, group in frame.groupby("operation"):
        points = sorted((as_date(d), int(n)) for d, n in zip(group["date"], group["personnel"], strict=True)
                        if as_date(d) is not None and n is not None)
        if points:
            axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=shorten(label))
    axes.set_ylabel("personnel")
    axes.set_title("New Zealand personnel per operation, as stated by releases")
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def place_map(frame: pd.DataFrame) -> Figure:
    """The places with coordinates, by longitude and latitude, sized by how many releases name them. No
    basemap: none ships in a package this project can install offline."""
    figure = Figure(figsize=(11, 6))
    axes = figure.subplots()
    sizes = [20 + 20 * int(n) for n in frame["releases"]]
    axes.scatter(frame["long"].astype(float), frame["lat"].astype(float), s=sizes, alpha=0.6, color="#00548b")
    for _, place in frame.iterrows():
        axes.annotate(place["label"], (float(place["long"]), float(place["lat"])), fontsize=7,
                      xytext=(3, 3), textcoords="offset points")
    axes.set_xlim(-180, 180)
    axes.set_ylim(-90, 90)
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    axes.set_title("Places the releases name")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure


def svg(figure: Figure) -> str:
    """The figure as an SVG document, for embedding in a page."""
    out = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(out, format="svg")
    return out.getvalue()


def save(figure: Figure, path: Path) -> None:
    """The figure as a file; its format from the extension (.svg, .png, .pdf)."""
    with matplotlib.rc_context(STYLE):
        figure.savefig(path, dpi=150)


def shorten(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
