"""The `nzkg` command as a user runs it: a real process, its exit codes, its one-line messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset

FIXTURES = Path(__file__).parent / "fixtures"
RELEASES = len(list((FIXTURES / "corpus").glob("*.md")))  # the annotated corpus, one release a file
GOOD = """---
title: "NZ extends UNMISS deployment"
date: 2019-05-01
ministers:
  - Hon Ron Mark
---

Defence Minister Ron Mark announced today that New Zealand's three personnel with the United Nations Mission
in South Sudan (UNMISS) will stay until March 2021.
"""


def nzkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nzkg.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "kg.trig"
    result = nzkg("build", str(FIXTURES / "corpus"), "--output", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_build_writes_the_graph_and_a_summary(built: Path) -> None:
    dataset = Dataset()
    dataset.parse(built, format="trig")
    assert len(list(dataset.graphs())) >= 12
    assert built.stat().st_size > 10_000


def test_build_reads_only_release_files_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "a.gold.json").write_text("{}")
    (tmp_path / "notes.csv").write_text("x,y")
    result = nzkg("build", str(tmp_path), "-o", str(tmp_path / "out.nq"))
    assert result.returncode == 0, result.stderr
    assert "converted 1 of 1 files" in result.stderr
    assert "a.gold.json" not in result.stderr


def test_with_no_arguments_build_reads_seeds_into_build_folder(tmp_path: Path) -> None:
    result = nzkg("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "converted 5 of 5 files" in result.stderr
    assert (tmp_path / "build" / "nzkg.trig").exists()


def test_bad_files_cost_only_themselves(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "broken.md").write_text("---\ntitle: a: b\ndate: 2020-01-01\n---\nNew Zealand sent 4 personnel.\n")
    result = nzkg("build", str(tmp_path), "-o", str(tmp_path / "out.trig"))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert any(line.startswith(str(tmp_path / "empty.md")) and "empty file" in line for line in lines)
    assert any(line.startswith(str(tmp_path / "binary.txt")) and "binary" in line for line in lines)
    assert any("broken.md: line 2: front matter is not valid YAML" in line for line in lines)
    assert "Traceback" not in result.stderr
    assert "converted 2 of 4 files (2 skipped" in result.stderr


def test_strict_fails_when_a_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "empty.md").write_text("")
    assert nzkg("build", str(tmp_path), "-o", str(tmp_path / "o.trig")).returncode == 0
    assert nzkg("build", str(tmp_path), "-o", str(tmp_path / "o.trig"), "--strict").returncode == 1


def test_missing_source_and_unknown_format_are_one_line_errors(tmp_path: Path) -> None:
    missing = nzkg("build", str(tmp_path / "nope"))
    assert missing.returncode == 2 and missing.stderr.strip().endswith("no such file or folder")
    wrong = nzkg("build", str(FIXTURES / "corpus"), "-o", str(tmp_path / "kg.xml"))
    assert wrong.returncode == 2 and "unknown RDF format" in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1


def test_validate_passes_a_built_graph_and_fails_a_broken_one(built: Path, tmp_path: Path) -> None:
    assert nzkg("validate", str(built)).returncode == 0
    broken = tmp_path / "broken.trig"
    text = built.read_text().replace('nzo:sourceFile "', 'nzo:sourceFileX "', 1)
    broken.write_text(text)
    result = nzkg("validate", str(broken))
    assert result.returncode == 1
    assert "SHACL violation" in result.stdout and "sourceFile" in result.stdout


def test_validate_finds_the_shared_graphs_under_any_base(tmp_path: Path) -> None:
    """The vocabulary and ontology graphs are named under the base of the build; taken for releases, they
    would be validated as releases and give false violations."""
    out = tmp_path / "kg.trig"
    build = nzkg("build", str(FIXTURES / "corpus"), "--base", "https://example.org/kg/", "--output", str(out))
    assert build.returncode == 0, build.stderr
    assert "0 SHACL violations" in build.stderr
    dataset = Dataset()
    dataset.parse(out, format="trig")
    assert "https://example.org/kg/graph/vocab" in {str(g.identifier) for g in dataset.graphs()}
    result = nzkg("validate", str(out))
    assert result.returncode == 0, result.stdout
    assert result.stdout == "" and "0 violations in 0 releases" in result.stderr
    broken = tmp_path / "broken.trig"
    broken.write_text(out.read_text().replace('nzo:sourceFile "', 'nzo:sourceFileX "', 1))
    assert nzkg("validate", str(broken)).returncode == 1


def test_query_prints_an_aligned_table_csv_and_json(built: Path) -> None:
    sparql = ("PREFIX nzo: <https://w3id.org/nzkg/ontology#> "
              "SELECT ?file WHERE { ?r nzo:sourceFile ?file } ORDER BY ?file")
    table = nzkg("query", sparql, "--graph", str(built))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0] == "file" and set(lines[1]) == {"-"} and lines[2] == "d01_un-command-commitment.md"
    assert lines[-1] == f"({RELEASES} rows)"
    csv_out = nzkg("query", sparql, "--graph", str(built), "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "file" and len(csv_out) == RELEASES + 1
    data = json.loads(nzkg("query", sparql, "--graph", str(built), "--format", "json").stdout)
    assert len(data["results"]["bindings"]) == RELEASES


def test_query_reads_a_file_and_reports_syntax_errors(built: Path, tmp_path: Path) -> None:
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?s ?p ?o }")
    assert nzkg("query", str(query_file), "--graph", str(built)).stdout.strip() == "True"
    bad = nzkg("query", "SELEC * WHERE {", "--graph", str(built))
    assert bad.returncode == 2 and bad.stderr.startswith("nzkg: query error:")
    assert len(bad.stderr.strip().splitlines()) == 1


def test_query_without_a_graph_says_how_to_build_one(tmp_path: Path) -> None:
    result = nzkg("query", "ASK {}", "--graph", str(tmp_path / "none.trig"))
    assert result.returncode == 2 and "nzkg build" in result.stderr


def test_stats_counts_releases_and_contributions(built: Path) -> None:
    result = nzkg("stats", "--graph", str(built))
    rows = dict(line.split(None, 1) for line in result.stdout.splitlines()[2:-1] if not line.startswith("("))
    assert rows["releases"].strip() == str(RELEASES)
    assert int(rows["contributions"]) >= 20
