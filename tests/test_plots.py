"""Pictures: the deployment timeline, personnel over time and the map, from the CLI and as functions."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from nzkg import plots

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
    for picture, name in (("timeline", "t.png"), ("map", "m.svg")):
        result = subprocess.run([sys.executable, "-m", "nzkg.cli", "plot", picture, "-o", str(tmp_path / name),
                                 "--graph", str(graph)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    drawing = (tmp_path / "m.svg").read_text()
    assert "Iraq" in drawing and "Pristina" in drawing


def test_nzkg_plot_refuses_what_it_cannot_draw(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "nzkg.cli", "plot", "timeline", "-o", str(tmp_path / "t.gif"),
                             "--graph", str(tmp_path / "none.trig")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "no such graph file" in result.stderr
