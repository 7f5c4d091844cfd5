"""The README's top gives exactly two commands, and CI runs the second."""

from __future__ import annotations

import re

from nzkg.paths import PROJECT_ROOT


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
