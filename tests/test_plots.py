"""Pictures: the deployment timeline, an operation's periods, personnel over time and the map, from the CLI
and as functions. What a reader sees is checked on the drawn figure: where each text lands, what overlaps."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle
from matplotlib.text import Annotation, Text

from nzkg import plots

SVG = "{http://www.w3.org/2000/svg}"
LONG_NAME = "Global Coalition to Defeat the Islamic State of Iraq and Syria"

TIMELINE = pd.DataFrame([
    {"operation": "o:a", "label": "Mission A", "start": "2005", "end": "2007-09", "ended": False, "personnel": 120,
     "total": None},
    {"operation": "o:a", "label": "Mission A", "start": "2006-04-20", "end": "2006-04-20", "ended": False,
     "personnel": 3, "total": 900},
    {"operation": "o:b", "label": "Force B", "start": "2019-12", "end": "2022-06", "ended": True, "personnel": None,
     "total": None},
], dtype=object)


@pytest.mark.parametrize("text, end, expected", [
    ("2009", False, dt.date(2009, 1, 1)), ("2009", True, dt.date(2009, 12, 31)),
    ("2024-02", True, dt.date(2024, 2, 29)), ("2023-06-30", False, dt.date(2023, 6, 30)), (None, False, None),
])
def test_partial_dates_become_days(text, end, expected) -> None:
    assert plots.as_date(text, end=end) == expected


def test_one_span_per_operation_from_first_start_to_last_end() -> None:
    spans = plots.spans(TIMELINE).set_index("label")
    assert spans.loc["Mission A", "start"] == dt.date(2005, 1, 1)
    assert spans.loc["Mission A", "end"] == dt.date(2007, 9, 30)
    assert spans.loc["Mission A", "personnel"] == 120  # the largest strength, never added to a total
    assert spans.loc["Mission A", "total"] == 900
    assert spans.loc["Force B", "personnel"] is None
    assert (spans.loc["Mission A", "ended"], spans.loc["Force B", "ended"]) == (False, True)


def test_the_timeline_names_each_operation_and_its_personnel() -> None:
    drawing = plots.svg(plots.timeline(TIMELINE))
    assert drawing.lstrip().startswith("<?xml") and "<svg" in drawing
    assert "Mission A" in drawing and "Force B" in drawing and "120 personnel" in drawing
    assert "900 over the period" in drawing and "ended" in drawing


def test_nzkg_plot_writes_pictures(seeds_build, tmp_path: Path) -> None:
    from nzkg.build import write_output

    graph = tmp_path / "kg.trig"
    write_output(seeds_build, graph)
    for picture, name in (("timeline", "t.png"), ("map", "m.svg"), ("map", "m.png")):
        result = subprocess.run([sys.executable, "-m", "nzkg.cli", "plot", picture, "-o", str(tmp_path / name),
                                 "--graph", str(graph)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    drawing = (tmp_path / "m.svg").read_text()
    assert "Iraq" in drawing and "Pristina" in drawing
    assert coordinates(drawing, "coastlines") > 300 and coordinates(drawing, "borders") > 100
    assert_self_contained(drawing)


def test_nzkg_plot_refuses_what_it_cannot_draw(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "nzkg.cli", "plot", "timeline", "-o", str(tmp_path / "t.gif"),
                             "--graph", str(tmp_path / "none.trig")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no such graph file" in result.stderr


# --- What the pictures look like ------------------------------------------------------------------------------

PLACES = pd.DataFrame([  # as the places-on-map query gives them: numbers as text
    {"place": f"p:{label}", "label": label, "lat": lat, "long": long, "releases": releases}
    for label, lat, long, releases in [
        ("Iraq", "33", "44", "4"), ("Basrah", "30.50852", "47.7804", "1"), ("Kuwait", "29.5", "45.75", "2"),
        ("Baghdad", "33.34", "44.4", "3"), ("Camp Taji", "33.52", "44.26", "2"), ("Qatar", "25.5", "51.25", "1"),
        ("Bosnia and Herzegovina", "44", "18", "1"), ("Pristina", "42.67272", "21.16688", "1"),
        ("Afghanistan", "33", "65", "2"), ("South Korea", "37", "127.5", "2"), ("Timor-Leste", "-8.83", "125.9", "2"),
        ("Auckland", "-36.85", "174.76", "1"), ("Solomon Islands", "-8", "159", "1"), ("Sudan", "15", "30", "1"),
        ("South Sudan", "7", "30", "1"), ("Sinai", "29.5", "33.8", "2"), ("Golan Heights", "33", "35.8", "1"),
        ("Lebanon", "33.9", "35.8", "1"), ("Samoa", "-13.8", "-172.1", "1"), ("Mali", "17", "-4", "1"),
    ]], dtype=object)


def drawn(figure):
    """The figure drawn, as a page or a file would show it, and what drew it."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def coordinates(drawing: str, gid: str) -> int:
    """How many points the paths of the SVG group with this id run through."""
    group = next(g for g in ET.fromstring(drawing.encode()).iter(f"{SVG}g") if g.get("id") == gid)
    return sum(len(re.findall(r"[ML] ", path.get("d", ""))) for path in group.iter(f"{SVG}path"))


def assert_self_contained(drawing: str) -> None:
    """Nothing in the SVG points outside it: pages inline it under img-src 'self' data:."""
    references = re.findall(r'(?:href|src)="([^"]*)"', drawing) + re.findall(r"url\(([^)]*)\)", drawing)
    assert all(ref.startswith("#") for ref in references), references
    assert "<image" not in drawing and "@import" not in drawing and "@font-face" not in drawing
    mentioned = set(re.findall(r"https?://[^\s\"')]+", drawing))
    assert mentioned <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, mentioned  # namespaces


def assert_inside(figure, renderer) -> None:
    """Every text drawn lies whole inside the figure: nothing is cut off."""
    frame = figure.bbox.padded(0.5)
    hidden = {id(label) for axes in figure.axes for label in ticks_out_of_view(axes)}
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text() or id(text) in hidden:
            continue
        extent = Text.get_window_extent(text, renderer)
        assert frame.x0 <= extent.x0 and extent.x1 <= frame.x1 and frame.y0 <= extent.y0 and extent.y1 <= frame.y1, (
            text.get_text(), extent, figure.bbox)
    inches = figure.get_tightbbox(renderer)
    width, height = figure.get_size_inches()
    assert inches.x0 >= -0.01 and inches.y0 >= -0.01 and inches.x1 <= width + 0.01 and inches.y1 <= height + 0.01


def ticks_out_of_view(axes) -> list[Text]:
    """Tick labels matplotlib keeps but does not draw: those of ticks outside the axis' limits."""
    hidden = []
    for axis, (low, high) in ((axes.xaxis, sorted(axes.get_xlim())), (axes.yaxis, sorted(axes.get_ylim()))):
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                hidden += [tick.label1, tick.label2]
    return hidden


def notes(axes) -> list[Text]:
    return [t for t in axes.texts if t.get_text()]


def test_the_map_draws_coastlines_and_borders_offline() -> None:
    drawing = plots.svg(plots.place_map(PLACES, title="Where"))
    assert coordinates(drawing, "coastlines") > 300
    assert coordinates(drawing, "borders") > 100
    assert coordinates(drawing, "land") > 300
    assert drawing.lstrip().startswith("<?xml") and "Where" in drawing
    assert_self_contained(drawing)


def test_the_map_labels_every_place_as_text() -> None:
    drawing = plots.svg(plots.place_map(PLACES))
    texts = {"".join(t.itertext()) for t in ET.fromstring(drawing.encode()).iter(f"{SVG}text")}
    assert set(PLACES["label"]) <= texts


def test_map_labels_overlap_neither_each_other_nor_other_places() -> None:
    figure = plots.place_map(PLACES)
    renderer = drawn(figure)
    axes = figure.axes[0]
    labels = [t for t in axes.texts if isinstance(t, Annotation)]
    assert sorted(t.get_text() for t in labels) == sorted(PLACES["label"])
    boxes = {t.get_text(): Text.get_window_extent(t, renderer) for t in labels}  # the words, not their lines
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        assert not box_a.overlaps(box_b), (a, b)
    dots = axes.collections[-1]  # the places, drawn last
    centres = axes.transData.transform(dots.get_offsets())
    radii = np.sqrt(dots.get_sizes()) / 2 * figure.dpi / 72
    for text, (x, y), r in zip(labels, centres, radii, strict=True):  # offsets in the order of the frame
        for other in labels:
            box = boxes[other.get_text()]
            if other is not text:
                assert not (box.x0 < x + r and x - r < box.x1 and box.y0 < y + r and y - r < box.y1), (
                    other.get_text(), text.get_text())
    for box in boxes.values():  # and inside the map
        assert axes.bbox.x0 <= box.x0 and box.x1 <= axes.bbox.x1 and axes.bbox.y0 <= box.y0 and box.y1 <= axes.bbox.y1
    assert_inside(figure, renderer)


@pytest.mark.parametrize("places, widest, narrowest", [
    (["Iraq", "Basrah", "Kuwait"], 60, 24),  # a cluster: its region with a margin
    (["Pristina"], 40, 24),  # one place: its region, not its streets
    (["Solomon Islands", "Samoa", "Auckland"], 80, 24),  # across the date line: the Pacific, not the world
    (list(PLACES["label"]), 360, 360),  # all over: the world
])
def test_the_map_fits_the_places(places: list[str], widest: float, narrowest: float) -> None:
    frame = PLACES[PLACES["label"].isin(places)]
    axes = plots.place_map(frame).axes[0]
    west, east = axes.get_xlim()
    south, north = axes.get_ylim()
    assert narrowest - 0.01 <= east - west <= widest + 0.01
    assert north - south >= 16 - 0.01 and -90 <= south < north <= 90
    dots = axes.collections[-1].get_offsets()
    assert ((west <= dots[:, 0]) & (dots[:, 0] <= east) & (south <= dots[:, 1]) & (dots[:, 1] <= north)).all()


def test_places_are_sized_by_their_releases() -> None:
    axes = plots.place_map(PLACES).axes[0]
    sizes = dict(zip(PLACES["label"], axes.collections[-1].get_sizes(), strict=True))
    assert sizes["Iraq"] > sizes["Baghdad"] > sizes["Kuwait"] > sizes["Basrah"]


def test_the_timeline_keeps_long_names_whole_and_every_text_inside() -> None:
    frame = pd.concat([TIMELINE, pd.DataFrame([
        {"operation": "o:c", "label": LONG_NAME, "start": "2014", "end": "2023-06-30", "ended": False,
         "personnel": 25, "total": 4},  # ends at the right edge: its note must not pass it
        {"operation": "o:d", "label": "Truce Supervision", "start": "1954", "end": "2024-06", "ended": True,
         "personnel": 8, "total": 1200},
    ], dtype=object)], ignore_index=True)
    figure = plots.timeline(frame)
    renderer = drawn(figure)
    axes = figure.axes[0]
    names = [t.get_text().replace("\n", " ") for t in axes.get_yticklabels()]
    assert LONG_NAME in names and not any("…" in n for n in names)
    assert "…" not in plots.svg(figure)
    for note in notes(axes):  # "25 personnel, 4 over the period" and the like, inside the axes
        extent = note.get_window_extent(renderer)
        assert axes.bbox.x0 <= extent.x0 and extent.x1 <= axes.bbox.x1, note.get_text()
    assert {"25 personnel, 4 over the period", "8 personnel, 1200 over the period, ended"} <= {
        t.get_text() for t in notes(axes)}
    assert_inside(figure, renderer)


def test_the_timeline_grows_with_its_rows() -> None:
    few = plots.timeline(TIMELINE).get_size_inches()[1]
    many = plots.timeline(pd.DataFrame([{"operation": f"o:{i}", "label": f"Mission {i}", "start": str(1990 + i),
                                         "end": str(1995 + i), "ended": False, "personnel": i, "total": None}
                                        for i in range(20)], dtype=object)).get_size_inches()[1]
    assert many > few + 5


PERIODS = pd.DataFrame([  # as an operation's page gives them, in no particular order
    {"start": "2020-03-30", "end": None, "ended": False, "caption": "5 personnel · 4 in all",
     "release_date": "2022-06-30"},
    {"start": "2015", "end": "2020-03-30", "ended": False, "caption": "143 personnel · NZD 2,100,000 and $3 million",
     "release_date": "2016-02-24"},
    {"start": "2020-04", "end": "2020-04", "ended": True, "caption": "withdrawn", "release_date": "2020-03-30"},
    {"start": "2022-08-25", "end": "2023-06-30", "ended": False, "caption": "2 personnel",
     "release_date": "2022-08-25"},
], dtype=object)


def test_periods_draws_one_bar_per_period_in_date_order() -> None:
    figure = plots.periods(PERIODS, title="New Zealand's contributions, as releases state them")
    renderer = drawn(figure)
    axes = figure.axes[0]
    bars = [p for p in axes.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(PERIODS)
    by_row = sorted(bars, key=lambda b: b.get_y())  # the first row on top
    assert [b.get_x() for b in by_row] == sorted(b.get_x() for b in bars)
    ended = [b for b in bars if b.get_hatch()]
    assert len(ended) == 1 and plots.as_date("2020-04") == dt.date(2020, 4, 1)
    # the open period runs to its release's date, and an arrow says it goes on
    open_bar = max(bars, key=lambda b: b.get_x())
    assert open_bar.get_x() + open_bar.get_width() >= plots.mdates.date2num(dt.date(2023, 6, 30)) - 1
    arrows = [t for t in axes.texts if isinstance(t, Annotation) and not t.get_text() and t.arrow_patch]
    assert len(arrows) == 1
    captions = {t.get_text() for t in notes(axes)}
    assert {"5 personnel · 4 in all", "withdrawn · ended", "2 personnel"} <= captions
    assert "143 personnel · NZD 2,100,000 and $3 million" in captions  # text, not mathtext
    for note in notes(axes):
        extent = note.get_window_extent(renderer)
        assert axes.bbox.x0 <= extent.x0 and extent.x1 <= axes.bbox.x1, note.get_text()
    assert_inside(figure, renderer)
    drawing = plots.svg(figure)
    assert "$3 million" in drawing and "from 2020-03-30 (as of 2022-06-30)" in drawing
    assert_self_contained(drawing)


def test_periods_of_one_row_and_of_none() -> None:
    one = plots.periods(PERIODS.iloc[[0]])
    assert len([p for p in one.axes[0].patches if isinstance(p, Rectangle)]) == 1
    assert_inside(one, drawn(one))
    undated = pd.DataFrame([{"start": None, "end": None, "ended": True, "caption": "ended", "release_date": None}],
                           dtype=object)
    assert "No dates stated" in plots.svg(plots.periods(undated))
