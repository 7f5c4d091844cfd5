"""Builds that redo only what changed: the cache of release outcomes, and the store updated graph by graph.

Every incremental result is compared with what a build from nothing gives for the same files, so a shortcut
that loses or keeps a triple it should not shows up as a difference."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import FOAF, RDFS, SKOS

from nzkg.build import build, publish
from nzkg.graph import DEFAULT_BASE
from nzkg.validate import load_shapes, validate_dataset
from nzkg.vocab import Vocabulary

SYNTH = Path(__file__).resolve().parents[1] / "bench" / "synth.py"
GRAPH = DEFAULT_BASE + "graph/"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "releases"
    subprocess.run([sys.executable, str(SYNTH), "--releases", "40", "--seed", "3", "--out", str(out)],
                   check=True, capture_output=True, timeout=60)
    return out


@pytest.fixture
def corpus(releases: Path, tmp_path: Path) -> Path:
    """A copy each test may change."""
    return Path(shutil.copytree(releases, tmp_path / "corpus"))


def quads_of_store(directory: Path) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(directory)))


def quads_of_file(path: Path) -> set[ox.Quad]:
    """As a store holds them: Oxigraph keeps literals in canonical form, so compare through a store."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return set(store)


def change_one_and_delete_one(corpus: Path) -> tuple[Path, Path]:
    files = sorted(corpus.glob("*.md"))
    changed, deleted = files[3], files[7]
    changed.write_text(changed.read_text() + "\nNew Zealand will send 12 more personnel to Operation Gallant "
                                              "Phoenix until June 2027.\n")
    deleted.unlink()
    return changed, deleted


def test_a_second_build_converts_nothing_and_writes_the_same_bytes(corpus: Path, tmp_path: Path,
                                                                   vocab: Vocabulary) -> None:
    cache = tmp_path / "cache"
    first = build([corpus], vocab=vocab, cache=cache, progress=False)
    publish(first, tmp_path / "a.nq", None)
    second = build([corpus], vocab=vocab, cache=cache, progress=False)
    publish(second, tmp_path / "b.nq", None)
    assert (first.reused, second.reused) == (0, 40)
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()


@pytest.mark.parametrize("reason", [False, True])
def test_after_a_change_only_that_release_is_converted_and_only_its_graphs_change_in_the_store(
        corpus: Path, tmp_path: Path, vocab: Vocabulary, reason: bool) -> None:
    output, store, cache = tmp_path / "kg.nq", tmp_path / "store", tmp_path / "cache"
    publish(build([corpus], vocab=vocab, cache=cache, reason=reason, progress=False), output, store)
    changed, deleted = change_one_and_delete_one(corpus)

    report = build([corpus], vocab=vocab, cache=cache, reason=reason, progress=False)
    _, change = publish(report, output, store)

    assert report.reused == 38  # of 39 files: all but the changed one
    assert change is not None, "the store was loaded afresh, not updated"
    assert sorted(change.drop_graphs) == sorted([GRAPH + changed.stem, GRAPH + deleted.stem])
    assert change.add_graphs == [GRAPH + changed.stem]
    fresh = tmp_path / "fresh.nq"
    publish(build([corpus], vocab=vocab, reason=reason, progress=False), fresh, None)
    assert output.read_bytes() == fresh.read_bytes()
    assert quads_of_store(store) == quads_of_file(fresh)


def test_a_change_of_settings_converts_everything_again(corpus: Path, tmp_path: Path, vocab: Vocabulary) -> None:
    cache = tmp_path / "cache"
    build([corpus], vocab=vocab, cache=cache, progress=False)
    again = build([corpus], vocab=vocab, cache=cache, base="http://example.org/kg/", progress=False)
    assert again.reused == 0


def test_a_store_that_does_not_hold_the_previous_graph_is_loaded_afresh(corpus: Path, tmp_path: Path,
                                                                        vocab: Vocabulary) -> None:
    output, store, cache = tmp_path / "kg.nq", tmp_path / "store", tmp_path / "cache"
    publish(build([corpus], vocab=vocab, cache=cache, progress=False), output, store)
    output.write_text(output.read_text() + '<http://example.org/s> <http://example.org/p> "edited by hand" .\n')
    change_one_and_delete_one(corpus)
    _, change = publish(build([corpus], vocab=vocab, cache=cache, progress=False), output, store)
    assert change is None
    assert quads_of_store(store) == quads_of_file(output)


def test_the_cache_forgets_releases_that_are_gone(corpus: Path, tmp_path: Path, vocab: Vocabulary) -> None:
    cache = tmp_path / "cache"
    publish(build([corpus], vocab=vocab, cache=cache, progress=False), tmp_path / "kg.nq", None)
    change_one_and_delete_one(corpus)
    report = build([corpus], vocab=vocab, cache=cache, progress=False)
    publish(report, tmp_path / "kg.nq", None)
    assert report.cache.db.execute("SELECT COUNT(*) FROM outcome").fetchone()[0] == 39


def test_the_cli_says_what_it_did_to_the_store(corpus: Path, tmp_path: Path) -> None:
    def nzkg_build() -> str:
        result = subprocess.run([sys.executable, "-m", "nzkg.cli", "build", str(corpus), "-o", str(tmp_path / "kg.nq"),
                                 "-q", "-j", "1"], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stderr

    first, second = nzkg_build(), nzkg_build()
    assert "0 unchanged since the last build" in first and "loaded afresh" in first
    assert "40 unchanged since the last build" in second and "up to date" in second
    change_one_and_delete_one(corpus)
    said = nzkg_build()
    assert "38 unchanged since the last build" in said
    assert "1 release graphs replaced, 0 added, 1 removed" in said


# ---- a build killed midway ---------------------------------------------------------------------------------


def nzkg_build_command(corpus: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "nzkg.cli", "build", str(corpus), "-o", str(output), "-q", "-j", "1"]


def kill_when(command: list[str], seen: Callable[[], bool], limit: float = 120.0) -> bool:
    """Run the command and SIGKILL it as soon as `seen()` holds; False if it finished first."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + limit
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if seen():
                process.send_signal(signal.SIGKILL)
                process.wait(10)
                return True
            time.sleep(0.001)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_a_build_killed_at_any_stage_leaves_the_last_graph_and_store_whole(tmp_path: Path) -> None:
    """Killed while converting, while writing the graph file, or while loading the store: the graph file is
    the last build's or the new one, whole; the store path holds the last build's store; and the next build
    makes everything right."""
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(SYNTH), "--releases", "200", "--seed", "5", "--out", str(corpus)],
                   check=True, capture_output=True, timeout=60)
    output, store = tmp_path / "out" / "kg.nq", tmp_path / "out" / "store"
    subprocess.run(nzkg_build_command(corpus, output), check=True, capture_output=True, timeout=600)
    graph_before, store_before = output.read_bytes(), quads_of_store(store)

    def temporary_graph() -> bool:
        return any(p.name.endswith(".tmp") for p in output.parent.iterdir())

    def new_store_version() -> bool:
        current = store.resolve().name
        return any(p.name.startswith("store.") and p.name != current and p.is_dir() for p in output.parent.iterdir())

    stages = {"converting": lambda: True, "writing the graph": temporary_graph, "loading the store": new_store_version}
    for n, (stage, seen) in enumerate(stages.items()):
        edited = sorted(corpus.glob("*.md"))[n]
        edited.write_text(edited.read_text() + f"\nNew Zealand will send {n + 2} more personnel.\n")
        assert kill_when(nzkg_build_command(corpus, output), seen), f"the build ended before {stage}"
        if stage == "loading the store":
            assert quads_of_file(output), stage  # the new graph, whole: it parses
        else:
            assert output.read_bytes() == graph_before, stage
        assert quads_of_store(store) == store_before, stage

    subprocess.run(nzkg_build_command(corpus, output), check=True, capture_output=True, timeout=600)
    assert quads_of_store(store) == quads_of_file(output)
    assert not [p.name for p in output.parent.iterdir() if p.name.endswith(".tmp")]


def test_no_triple_is_in_two_graphs_so_the_union_counts_each_once(releases: Path, vocab: Vocabulary) -> None:
    """Oxigraph's union default graph counts a triple once per graph that holds it (its issue #1919): an
    operation minted from its name in several releases is described once, in graph/minted."""
    report = build([releases], vocab=vocab, reason=True, progress=False)
    graphs_of: dict[tuple, set] = {}
    for quad in ox.parse("".join(report.nquads()), format=ox.RdfFormat.N_QUADS):
        graphs_of.setdefault(quad.triple, set()).add(quad.graph_name.value)
    assert not {t: g for t, g in graphs_of.items() if len(g) > 1}
    minted = {t.subject for t, g in graphs_of.items() if g == {GRAPH + "minted"}}
    named_by = {s: {g for t, gs in graphs_of.items() if t.object == s for g in gs} for s in minted}
    assert any(len(graphs - {GRAPH + "minted"}) > 1 for graphs in named_by.values()), \
        "the corpus should name some minted thing in two releases, or this test proves nothing"


def test_a_minted_thing_spelled_differently_keeps_one_label_and_the_others_as_alternatives(
        tmp_path: Path, vocab: Vocabulary) -> None:
    """The shapes ask for one rdfs:label per minister; every spelling a release used stays searchable."""
    for day, spelling in enumerate(["PAT EXAMPLE", "Pat Exámple", "Pat Example"], start=1):
        (tmp_path / f"release-{day}.txt").write_text(
            f"---\ntitle: Release {day}\ndate: 2024-01-0{day}\nministers:\n  - {spelling}\nportfolios:\n  - Defence\n"
            f"---\n\nNew Zealand will deploy ten personnel to Operation Gallant Phoenix, {spelling} said.\n")
    dataset = Dataset(default_union=True)
    dataset.parse(data="".join(build([tmp_path], vocab=vocab, progress=False).nquads()), format="nquads")
    person = URIRef(DEFAULT_BASE + "person/pat-example")
    assert set(dataset.objects(person, RDFS.label)) == {Literal("Pat Example")}
    assert set(dataset.objects(person, FOAF.name)) == {Literal("Pat Example")}
    assert set(dataset.objects(person, SKOS.altLabel)) == {Literal("PAT EXAMPLE"), Literal("Pat Exámple")}
    assert validate_dataset(dataset, load_shapes()) == {}
