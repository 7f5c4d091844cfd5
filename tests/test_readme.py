"""The README's top gives exactly two commands, and CI runs the second."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from nzkg.build import write_output

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text()
    top = readme.split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", top, re.S)]


def test_the_top_of_the_readme_has_a_run_and_a_test_command() -> None:
    run, test = commands()
    assert "pip install" in run and "nzkg serve" in run
    assert "pip install" in test and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    assert commands()[1] in (PROJECT_ROOT / ".ci" / "run").read_text()


def test_the_readme_example_prints_what_the_readme_shows(seeds_build, tmp_path) -> None:
    """The example query of "The graph", run on the seeds as the README says, prints the table it shows."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    example = readme.split("### Example\n", 1)[1]
    query, shown = re.findall(r"```(?:sparql)?\n(.*?)```", example, re.S)[:2]
    graph = tmp_path / "seeds.trig"
    write_output(seeds_build, graph)
    (tmp_path / "example.rq").write_text(query)
    printed = subprocess.run([sys.executable, "-m", "nzkg.cli", "query", str(tmp_path / "example.rq"), "--graph",
                              str(graph)], capture_output=True, text=True, timeout=120)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.strip() == shown.strip()
