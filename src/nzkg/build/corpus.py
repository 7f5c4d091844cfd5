"""The corpus: which files a build reads, each one's cache key, the conversion of those the cache lacks, and
the dataset they make together with the graphs no single release owns (ontology, vocabulary, minted things,
shared entailments). A `BuildReport` is what a build found and made.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import FOAF, RDFS, SKOS
from tqdm import tqdm

from nzkg.build.cache import Cache, SharedGraphs, settings_digest
from nzkg.build.convert import Converter, Outcome, convert_all, in_graph, nquads, ntriples
from nzkg.reason import vocabulary_entailed
from nzkg.release import UnreadableRelease, read_head
from nzkg.terms import DEFAULT_BASE, graph_name, normal_base, prefixes, segment
from nzkg.validate import Violation, validate_vocabulary
from nzkg.vocab import Vocabulary, load_vocabulary

RELEASE_SUFFIXES = {".txt", ".md", ".markdown"}


@dataclass
class Entry:
    """One input file of a build and where its outcome is."""

    path: Path
    key: str | None  # None: the file could not even be read
    outcome: Outcome  # its summary: the graph stays in the cache, and what all releases share is merged


@dataclass
class BuildReport:
    entries: list[Entry]
    cache: Cache
    base: str
    reason: bool
    shared_quads: list[str]  # ontology, vocabulary and (with reason) the entailments no release owns
    vocab_violations: list[Violation]
    reused: int  # releases whose outcome came from the cache

    @property
    def converted(self) -> list[str]:
        return [str(e.path) for e in self.entries if e.outcome.skipped is None]

    @property
    def skipped(self) -> list[tuple[str, str]]:
        return [(str(e.path), e.outcome.skipped) for e in self.entries if e.outcome.skipped is not None]

    @property
    def warnings(self) -> list[tuple[str, str]]:
        return [(str(e.path), problem) for e in self.entries for problem in e.outcome.problems]

    @property
    def violations(self) -> dict[str, list[Violation]]:
        found = {e.outcome.name: list(e.outcome.violations) for e in self.entries if e.outcome.violations}
        if self.vocab_violations:
            found[f"{self.base}graph/vocab"] = self.vocab_violations
        return found

    @property
    def violation_count(self) -> int:
        return sum(1 for found in self.violations.values() for v in found if v.severity == "Violation")

    @property
    def releases(self) -> dict[str, str]:
        """Named graph → the cache key of the outcome it holds."""
        return {graph_name(self.base, e.outcome.stem): e.key for e in self.entries
                if e.key is not None and e.outcome.skipped is None}

    def release_quads(self, key: str) -> list[str]:
        return self.cache.lines(key) + (self.cache.lines(key, inferred=True) if self.reason else [])

    def nquads(self) -> Iterator[str]:
        """The whole dataset as N-Quads, in a fixed order (each graph's lines sorted), so that the same input
        gives the same bytes."""
        yield from self.shared_quads
        for key in self.releases.values():
            yield from self.release_quads(key)

    @cached_property
    def dataset(self) -> Dataset:
        """The dataset as rdflib objects, for small corpora and tests; a large one is read from its file."""
        dataset = Dataset()
        for prefix, namespace in prefixes(self.base).items():
            dataset.bind(prefix, namespace)
        dataset.parse(data="".join(self.nquads()), format="nquads")
        return dataset


def find_sources(paths: Iterable[Path]) -> dict[Path, str | None]:
    """Files as given; folders read (recursively) for *.txt, *.md and *.markdown, nothing else. Each with why
    it is skipped if it must be: whatever in a folder has such a name is a source, so that what is not a
    readable file (a directory, a FIFO, a link in a loop) is named and counted, not passed over in silence;
    but a link that leads out of the folder is not followed, since the folder is the corpus."""
    found: dict[Path, str | None] = {}
    for path in paths:
        if not path.is_dir():
            found.setdefault(path, None)
            continue
        folder = os.path.realpath(path)
        for source in sorted(p for p in path.rglob("*") if p.suffix.lower() in RELEASE_SUFFIXES):
            target = os.path.realpath(source)
            outside = os.path.commonpath([folder, target]) != folder
            found.setdefault(source, f"a link to {target}, outside {path}" if outside else None)
    return found


def file_key(path: Path, settings: str) -> str:
    """The bytes a build reads of the file (`read_head`), its size (which a file cut short is told by) and name."""
    head, size = read_head(path)
    return hashlib.sha256(f"{settings}\0{path.name}\0{size}\0".encode() + head).hexdigest()


def entries_for(sources: dict[Path, str | None], settings: str) -> Iterator[Entry]:
    """Each file with its cache key; none for a file that is skipped, cannot be read, or whose graph would have
    the name of another file's."""
    names: dict[str, Path] = {}  # what ends the IRIs of a file's release and graph → the file
    for path, skipped in sources.items():
        key, name = None, segment(path.stem)
        try:
            if skipped is None:
                key = file_key(path, settings)
        except UnreadableRelease as error:
            skipped = str(error)
        except OSError as error:
            skipped = f"cannot read: {error.strerror or error}"
        if key is not None and name in names:
            key, skipped = None, f"same name as {names[name]}, whose graph it would overwrite"
        if key is None:
            yield Entry(path, None, Outcome(path.name, skipped=skipped))
            continue
        names[name] = path
        yield Entry(path, key, Outcome(path.name))


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
    cache: Path | None = None,
) -> BuildReport:
    base = normal_base(base)
    converter = Converter(vocab or load_vocabulary(), base, validate)
    outcomes = Cache(cache)
    settings = settings_digest(base, validate)
    entries = list(entries_for(find_sources(sources), settings))
    todo = [e for e in entries if e.key is not None and e.key not in outcomes]
    reused = sum(1 for e in entries if e.key is not None) - len(todo)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    bar = tqdm(convert_all([e.path for e in todo], converter, jobs), total=len(todo), unit="file",
               disable=not progress if progress is not None else None, file=sys.stderr, leave=False)
    for done, (entry, outcome) in enumerate(zip(todo, bar, strict=True), start=1):
        outcomes.put(entry.key, outcome)
        if done % 1000 == 0:
            outcomes.commit()  # a build stopped midway resumes from here
    outcomes.commit()
    referenced: set[str] = set()
    shared_inferred: set[str] = set()
    shared_asserted: set[str] = set()
    for entry in entries:
        outcome = outcomes.summary(entry.key) if entry.key is not None else entry.outcome
        referenced.update(outcome.referenced)
        shared_inferred.update(outcome.shared_inferred)
        shared_asserted.update(outcome.shared_asserted)
        entry.outcome = replace(outcome, referenced=(), shared_inferred=(), shared_asserted=())  # kept above
        for problem in [f"{outcome.skipped}; skipped"] if outcome.skipped else outcome.problems:
            if on_problem:
                on_problem(str(entry.path), problem)
    inputs = [settings, str(reason), *sorted(referenced), *sorted(shared_inferred), *sorted(shared_asserted)]
    shared, vocab_violations = outcomes.shared(
        hashlib.sha256("\n".join(inputs).encode()).hexdigest(),
        lambda: shared_graphs(converter, referenced, shared_inferred, shared_asserted, reason))
    return BuildReport(entries, outcomes, base, reason, shared, vocab_violations, reused)


def shared_graphs(converter: Converter, referenced: set[str], shared_inferred: set[str],
                  shared_asserted: set[str], reason: bool) -> SharedGraphs:
    """The graphs no single release owns: the ontology, the vocabulary the releases refer to, what releases
    say about the things they name that the vocabulary lacks (operations, ministers… minted from their names),
    and (with reasoning) what is entailed about all these.

    Minted things are described once, in graph/minted, not in each release graph that names them: a triple
    in several graphs would be counted once per graph in the union default graph (Oxigraph 0.5, issue #1919),
    so rows joined through a minted operation's label would repeat."""
    builder = converter.builder
    ontology, vocabulary = converter.ontology, builder.vocab_graph(referenced)
    reference = set(ntriples(ontology)) | set(ntriples(vocabulary))
    quads = nquads(ontology, ontology.identifier) + nquads(vocabulary, vocabulary.identifier)
    quads += in_graph(one_label_each(shared_asserted - reference), builder.graph_name("minted"))
    if reason:
        asserted = shared_asserted | reference
        entailed = set(ntriples(vocabulary_entailed(converter.schema, ontology, vocabulary)))
        quads += in_graph(sorted((entailed | shared_inferred) - asserted), builder.graph_name("inferred"))
    violations = validate_vocabulary(vocabulary, ontology, converter.shapes) if converter.validate else []
    return quads, violations


NAMING = {f"<{RDFS.label}>", f"<{FOAF.name}>"}


def one_label_each(lines: Iterable[str]) -> list[str]:
    """Releases may spell a minted thing differently (`Jane Doe`, `JANE DOE`: one IRI). It keeps one rdfs:label
    and foaf:name, as the shapes ask (the first spelling in sorted order, one in capitals only if there is no
    other), and the other spellings become skos:altLabel, so each is still found."""
    kept, named = set(), set()
    for line in sorted(lines, key=lambda line: (line.split(" ", 2)[2].isupper(), line)):
        subject, predicate, value = line.split(" ", 2)
        if predicate in NAMING and (subject, predicate) in named:
            line = f"{subject} <{SKOS.altLabel}> {value}"
        named.add((subject, predicate))
        kept.add(line)
    return sorted(kept)
