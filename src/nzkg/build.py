"""Runs the stages over a corpus: read → extract → graph → validate → reason, one file at a time or in
parallel, with per-file problems collected rather than raised. It holds no rules of its own.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from rdflib import Dataset, Graph
from tqdm import tqdm

from nzkg.extract import extract
from nzkg.facts import ReleaseFacts
from nzkg.graph import DEFAULT_BASE, GraphBuilder
from nzkg.reason import inferred_graph
from nzkg.release import UnreadableRelease, read_release
from nzkg.validate import Violation, load_shapes, validate_dataset
from nzkg.vocab import Vocabulary, load_vocabulary

RELEASE_SUFFIXES = {".txt", ".md", ".markdown"}
PARALLEL_FROM = 64  # below this many files, starting worker processes costs more than it saves


@dataclass
class BuildReport:
    dataset: Dataset
    converted: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what)
    violations: dict[str, list[Violation]] = field(default_factory=dict)

    @property
    def violation_count(self) -> int:
        return sum(1 for found in self.violations.values() for v in found if v.severity == "Violation")


def find_sources(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders read (recursively) for *.txt, *.md and *.markdown, nothing else."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in RELEASE_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def convert(path: Path, vocab: Vocabulary) -> ReleaseFacts | str:
    """One file's facts, or one line saying why there are none. Nothing a file holds may stop the run."""
    try:
        return extract(read_release(path), vocab)
    except UnreadableRelease as error:
        return str(error)
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    except Exception as error:  # a converter bug must cost one file, not the corpus
        return f"could not be converted ({type(error).__name__}: {error})"


_worker_vocab: Vocabulary | None = None


def _convert_in_worker(path: Path) -> ReleaseFacts | str:
    assert _worker_vocab is not None
    return convert(path, _worker_vocab)


def convert_all(paths: list[Path], vocab: Vocabulary, jobs: int) -> Iterator[tuple[Path, ReleaseFacts | str]]:
    """Converted files in input order; in forked workers that share the parent's loaded vocabulary."""
    if jobs <= 1 or len(paths) < PARALLEL_FROM:
        for path in paths:
            yield path, convert(path, vocab)
        return
    global _worker_vocab
    _worker_vocab = vocab
    vocab.matcher  # noqa: B018 - build the matcher once, before forking, so workers inherit it
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        yield from zip(paths, pool.map(_convert_in_worker, paths, chunksize=16), strict=True)


def build(
    sources: list[Path],
    *,
    base: str = DEFAULT_BASE,
    reason: bool = False,
    validate: bool = True,
    jobs: int | None = None,
    vocab: Vocabulary | None = None,
    progress: bool | None = None,
    on_problem: Callable[[str, str], None] | None = None,
) -> BuildReport:
    vocab = vocab or load_vocabulary()
    builder = GraphBuilder(vocab, base)
    paths = find_sources(sources)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    report = BuildReport(dataset=Dataset())
    graphs = []
    stems: dict[str, Path] = {}
    bar = tqdm(convert_all(paths, vocab, jobs), total=len(paths), unit="file", disable=not progress if progress
               is not None else None, file=sys.stderr, leave=False)
    for path, result in bar:
        if isinstance(result, str):
            report.skipped.append((str(path), result))
            if on_problem:
                on_problem(str(path), result)
            continue
        if result.stem in stems:
            why = f"same name as {stems[result.stem]}; its graph would be overwritten, so it is skipped"
            report.skipped.append((str(path), why))
            if on_problem:
                on_problem(str(path), why)
            continue
        stems[result.stem] = path
        for problem in result.problems:
            report.warnings.append((str(path), problem))
            if on_problem:
                on_problem(str(path), problem)
        graphs.append(builder.release_graph(result))
        report.converted.append(str(path))
    report.dataset = builder.dataset(graphs)
    if validate:
        report.violations = validate_dataset(report.dataset, load_shapes())
    if reason:
        inferred = inferred_graph(report.dataset, builder.mint("graph", "inferred"))
        target = report.dataset.graph(inferred.identifier)
        for triple in inferred:
            target.add(triple)
    return report


SERIALIZERS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}


def write_dataset(dataset: Dataset, path: Path) -> None:
    """Write by file extension, atomically (a temporary file renamed into place), so a failed or killed
    build never leaves a half-written graph. N-Quads lines are sorted: the same input gives the same bytes.
    Turtle and N-Triples hold the union of the graphs."""
    suffix = path.suffix.lower()
    if suffix not in SERIALIZERS:
        raise ValueError(f"{path}: unknown output format (use {', '.join(sorted(SERIALIZERS))})")
    if suffix in (".ttl", ".nt"):
        union = dataset_union(dataset)
        data = union.serialize(format=SERIALIZERS[suffix])
    elif suffix == ".nq":
        lines = dataset.serialize(format="nquads").splitlines()
        data = "".join(sorted(f"{line}\n" for line in lines if line.strip()))
    else:
        data = dataset.serialize(format=SERIALIZERS[suffix])
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8") as out:
        out.write(data)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(out.name, 0o666 & ~umask)  # a temporary file is private; the graph is not
    os.replace(out.name, path)


def dataset_union(dataset: Dataset) -> Graph:
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace)
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    return union
