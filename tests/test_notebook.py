"""The notebook runs from top to bottom and draws its charts; in git it carries no outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "tour.ipynb"


def test_the_committed_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


def test_the_notebook_runs_and_draws_its_charts(tmp_path: Path) -> None:
    client_module = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client_module.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                 resources={"metadata": {"path": str(tmp_path)}}).execute()
    for chart in ("timeline.png", "personnel.png", "places.png"):
        assert (tmp_path / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", chart
    tables = [o for cell in notebook.cells for o in cell.get("outputs", []) if "text/html" in o.get("data", {})]
    assert any("Multinational" in t["data"]["text/html"] or "Kosovo" in t["data"]["text/html"] for t in tables)
