"""Builds that redo only what changed: the cache of release outcomes, and the store updated graph by graph.

Every incremental result is compared with what a build from nothing gives for the same files, so a shortcut
that loses or keeps a triple it should not shows up as a difference."""

from __future__ import annotations

import ast
import errno
import hashlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import FOAF, RDFS, SKOS

import nzkg
import nzkg.store
from nzkg import synthetic
from nzkg.build import BuildReport, build, publish
from nzkg.build.cache import library_versions, settings_digest, shaping_files
from nzkg.cli import main
from nzkg.graph import DEFAULT_BASE
from nzkg.paths import ONTOLOGY_FILE, SEEDS_DIR, SHAPES_DIR, VOCAB_DIR
from nzkg.store import SOURCE_MARKER, StoreState, pin
from nzkg.validate import load_shapes, validate_dataset
from nzkg.vocab import Vocabulary

ROOT = Path(__file__).resolve().parents[1]
GRAPH = DEFAULT_BASE + "graph/"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "releases"
    synthetic.generate(40, 3, out)
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


def test_the_state_recorded_in_a_store_reads_as_earlier_builds_wrote_it() -> None:
    written = {"releases": {GRAPH + "a": "0f1e"}, "reason": True}  # the marker's "state", as builds write it
    assert StoreState.from_json(written) == StoreState({GRAPH + "a": "0f1e"}, True)
    assert StoreState.from_json(written).to_json() == written
    assert StoreState.from_json({}) is None  # a store loaded from a graph file alone (`nzkg serve`)


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
    synthetic.generate(200, 5, corpus)
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


# ---- a server across builds, a full disk, two builds at once ----------------------------------------------


def edit(corpus: Path, n: int) -> None:
    """Change the graph of one release (the n-th): its title."""
    release = sorted(corpus.glob("*.md"))[n]
    release.write_text(release.read_text().replace('title: "', f'title: "Edited ({n}): ', 1))


def test_a_store_version_a_server_holds_stays_however_many_builds_follow(corpus: Path, tmp_path: Path,
                                                                          vocab: Vocabulary) -> None:
    """A server reads the version the store's link led to when it started (`pin`), for as long as it runs.
    Builds kept only the newest two versions, so two builds later its dumps answered 500 and, on disk, its
    queries failed for good. Once let go, the version goes with a later build."""
    output, store, cache = tmp_path / "kg.nq", tmp_path / "store", tmp_path / "cache"

    def rebuild() -> None:
        publish(build([corpus], vocab=vocab, cache=cache, progress=False), output, store)

    rebuild()
    served = quads_of_file(output)
    with pin(store) as held:
        for n in range(3):
            edit(corpus, n)
            rebuild()
        assert held.path != store.resolve()
        assert quads_of_store(held.path) == served
    edit(corpus, 3)
    rebuild()
    assert not held.path.exists()
    assert len(list(tmp_path.glob("store.*"))) == 2  # the current version and the one before


ENOSPC = f"IO error: {os.strerror(errno.ENOSPC)}: While appending to file: 000042.sst: {os.strerror(errno.ENOSPC)}"


@pytest.mark.parametrize(("stage", "options"), [("graph", []), ("store", []), ("store", ["--no-cache"])])
def test_a_full_disk_leaves_nothing_behind_and_says_so_in_one_line(
        stage: str, options: list[str], corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The disk fills while the graph file is written, or once the new version of the store is on disk, updated
    or (with --no-cache, which loses what the store holds) loaded afresh; RocksDB's error comes without errno.
    What was half-written went on taking the room the next build needs, so every later build failed even after
    space was freed, and the message was "internal error"."""
    output = tmp_path / "out" / "kg.nq"
    command = ["build", str(corpus), "-o", str(output), "-q", "-j", "1"]
    assert main(command) == 0
    before, graph_before = {p.name for p in output.parent.iterdir()}, output.read_bytes()

    def nquads(report: BuildReport) -> Iterator[str]:
        yield from itertools.islice(all_nquads(report), 100)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def swap_in(*_: object) -> Path:
        raise OSError(ENOSPC)

    all_nquads = BuildReport.nquads
    if stage == "graph":
        monkeypatch.setattr(BuildReport, "nquads", nquads)
    else:
        monkeypatch.setattr(nzkg.store, "swap_in", swap_in)
    edit(corpus, 0)
    capsys.readouterr()
    assert main([*command, *options]) == 2
    said = capsys.readouterr().err.splitlines()
    assert len(said) == 1 and said[0].startswith("nzkg: no space left on "), said
    assert f" while writing the {stage} {output if stage == 'graph' else output.parent / 'store'};" in said[0]
    assert {p.name for p in output.parent.iterdir()} == before
    if stage == "graph":
        assert output.read_bytes() == graph_before

    monkeypatch.undo()
    assert main(command) == 0
    assert quads_of_store(output.parent / "store") == quads_of_file(output)


def test_two_builds_of_one_output_at_once_take_turns(releases: Path, tmp_path: Path) -> None:
    """Two builds of one output started a moment apart: one died in the other's clean-up, or the graph came
    from one build and the store from the other. Now the second waits for the first, and says so."""
    output, store = tmp_path / "out" / "kg.nq", tmp_path / "out" / "store"
    first = subprocess.Popen(nzkg_build_command(releases, output), stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    second = subprocess.Popen(nzkg_build_command(SEEDS_DIR, output), stderr=subprocess.PIPE, text=True)
    said = [process.communicate(timeout=600)[1] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], said
    waited = [text for text in said if f"nzkg: waiting for another build of {output} to finish" in text]
    assert len(waited) == 1, said
    assert json.loads((store / SOURCE_MARKER).read_text())["sha256"] == hashlib.sha256(output.read_bytes()).hexdigest()
    assert quads_of_store(store) == quads_of_file(output)


# ---- the cache key ------------------------------------------------------------------------------------------


def test_the_cache_key_covers_the_code_that_shapes_a_release_and_nothing_else() -> None:
    package = Path(nzkg.__file__).parent
    files = shaping_files()
    code = {path.relative_to(package).as_posix() for path in files if path.suffix == ".py"}
    assert {"extract/contributions.py", "extract/quantities.py", "release.py", "graph.py", "vocab.py",
            "validate.py", "reason.py", "build/convert.py", "build/corpus.py"} <= code
    assert not code & {"cli.py", "store.py", "formats.py", "push.py", "api.py", "build/publishing.py"}
    assert not [path for path in code if path.startswith("web/")]
    data = {path for path in files if path.suffix != ".py"}  # nor templates, queries or seeds
    assert data == {ONTOLOGY_FILE, *VOCAB_DIR.glob("*.ttl"), *SHAPES_DIR.glob("*.ttl")}


KEYS_AFTER_EDITS = """
import json, sys
from pathlib import Path
import nzkg
from nzkg.build.cache import settings_digest
root = Path(sys.argv[1])
assert Path(nzkg.__file__).is_relative_to(root), nzkg.__file__
keys = {"": settings_digest("https://example.org/", True)}
for name in sys.argv[2:]:
    path = root / name
    before = path.read_bytes()
    path.write_bytes(before + b"\\n# edited\\n")
    keys[name] = settings_digest("https://example.org/", True)
    path.write_bytes(before)
print(json.dumps(keys))
"""


def test_the_cache_key_changes_with_the_code_and_data_that_shape_a_release_and_with_nothing_else(
        tmp_path: Path) -> None:
    """On a copy of the project, whose package Python imports instead: editing what decides an outcome
    changes the key; editing the command line, the web app, its templates or the store keeps it."""
    for folder in ("src", "ontology", "shapes"):
        shutil.copytree(ROOT / folder, tmp_path / folder, symlinks=True,  # src/nzkg/data/* link to the copy's
                        ignore=shutil.ignore_patterns("__pycache__"))
    covered = ["src/nzkg/extract/contributions.py", "src/nzkg/graph.py", "src/nzkg/build/convert.py",
               "ontology/nzkg.ttl", "shapes/nzkg.shapes.ttl"]
    uncovered = ["src/nzkg/cli.py", "src/nzkg/store.py", "src/nzkg/web/__init__.py",
                 "src/nzkg/web/templates/base.html", "src/nzkg/build/publishing.py"]
    result = subprocess.run([sys.executable, "-c", KEYS_AFTER_EDITS, str(tmp_path), *covered, *uncovered],
                            env={**os.environ, "PYTHONPATH": str(tmp_path / "src")}, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    keys = json.loads(result.stdout)
    assert keys[""] == settings_digest("https://example.org/", True)  # the copy's bytes are the project's
    assert [name for name in covered if keys[name] == keys[""]] == []
    assert [name for name in uncovered if keys[name] != keys[""]] == []


def test_the_cache_key_has_the_version_of_every_library_the_stages_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library the stages start to use must join the key, or outcomes would outlive a new version of it."""
    imported: set[str] = set()
    for path in (p for p in shaping_files() if p.suffix == ".py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    distributions = metadata.packages_distributions()
    used = {name for module in imported - {"nzkg"} for name in distributions.get(module, [])} - {"tqdm"}  # a bar
    assert {"spacy", "rdflib", "pyshacl"} <= used <= set(library_versions())

    before = settings_digest(DEFAULT_BASE, True)
    version = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == "rdflib" else version(name))
    assert settings_digest(DEFAULT_BASE, True) != before
