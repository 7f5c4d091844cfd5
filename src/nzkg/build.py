"""Runs the stages over a corpus: read → extract → graph → validate → reason for each release on its own
(in parallel worker processes), then assembles the dataset and brings the store up to date. It holds no
rules of its own.

What a release gives is kept in a cache, keyed by the file's name and bytes and by everything that shapes
the result (the code, vocabulary, ontology, shapes, base and options): a build after a change redoes only
the releases that changed, and the store is updated graph by graph. Results are kept as N-Quads text, not
as graphs, so a corpus of any size is written out and loaded without ever being held in memory.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, replace
from functools import cached_property, lru_cache
from multiprocessing import get_context
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import FOAF, RDF, RDFS, SKOS
from rdflib.term import Node
from tqdm import tqdm

from nzkg.extract import extract
from nzkg.graph import NZO, GraphBuilder
from nzkg.paths import ONTOLOGY_FILE, SHAPES_DIR, VOCAB_DIR
from nzkg.reason import Entailment, Schema, Triple, vocabulary_entailed
from nzkg.release import UnreadableRelease, read_head, read_release
from nzkg.store import StoreChange, rdf_format, stored_state, update_store, written_whole
from nzkg.terms import DEFAULT_BASE, graph_name, normal_base, prefixes, segment
from nzkg.validate import Violation, load_shapes, validate_release, validate_vocabulary
from nzkg.vocab import Vocabulary, load_vocabulary

RELEASE_SUFFIXES = {".txt", ".md", ".markdown"}
PARALLEL_FROM = 64  # below this many files, starting worker processes costs more than it saves
OWNED_TYPES = (NZO.Release, NZO.Contribution)  # resources minted for one release alone
FULL_RELOAD_SHARE = 0.25  # past this share of changed releases, loading the store afresh is faster


# ---- one release ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one file gave, as the cache keeps it: its graph and entailments as N-Quads lines, what it
    refers to in the vocabulary, and what was found wrong; or why it gave nothing."""

    name: str
    stem: str = ""
    quads: tuple[str, ...] = ()  # its named graph
    inferred: tuple[str, ...] = ()  # what it entails about the release and its contributions (graph/inferred)
    shared_inferred: tuple[str, ...] = ()  # what it entails about things other releases may name too
    shared_asserted: tuple[str, ...] = ()  # what it asserts about them (graph/minted, not its own graph)
    referenced: tuple[str, ...] = ()  # vocabulary IRIs
    problems: tuple[str, ...] = ()
    violations: tuple[Violation, ...] = ()
    skipped: str | None = None

    def summary(self) -> Outcome:
        """The outcome without its graph: what a build needs of every release, whatever the corpus size."""
        return replace(self, quads=(), inferred=())

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        data = json.loads(text)
        data["violations"] = [Violation(**v) for v in data["violations"]]
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


@dataclass
class Converter:
    """Everything a worker needs to turn a file into an `Outcome`; built once, before the workers fork."""

    vocab: Vocabulary
    base: str
    validate: bool

    @cached_property
    def builder(self) -> GraphBuilder:
        return GraphBuilder(self.vocab, self.base)

    @cached_property
    def shapes(self) -> Graph:
        return load_shapes()

    @cached_property
    def ontology(self) -> Graph:
        return self.builder.ontology_graph()

    @cached_property
    def schema(self) -> Schema:
        return Schema.of(self.ontology)

    @cached_property
    def class_tree(self) -> list[Triple]:
        """What a release's checks need of the ontology: its class tree and its individuals' types."""
        return [t for t in self.ontology if t[1] in (RDFS.subClassOf, RDF.type)]

    @cached_property
    def entailment(self) -> Entailment:
        return entailment_for(self.vocab, self.base)

    def prepare(self) -> None:
        """Build what every release needs, so that forked workers inherit it instead of each building it."""
        _ = self.vocab.matcher, self.class_tree, self.entailment, self.validate and self.shapes

    def __call__(self, path: Path) -> Outcome:
        """Nothing a file holds may stop the run: every failure becomes one line in the outcome."""
        try:
            return self.convert(path)
        except UnreadableRelease as error:
            return Outcome(path.name, skipped=str(error))
        except OSError as error:
            return Outcome(path.name, skipped=f"cannot read: {error.strerror or error}")
        except Exception as error:  # a converter bug must cost one file, not the corpus
            why = " ".join(str(error).split())  # one line, whatever the exception says
            return Outcome(path.name, skipped=f"could not be converted ({type(error).__name__}: {why})")

    def convert(self, path: Path) -> Outcome:
        facts = extract(read_release(path), self.vocab)
        graph = self.builder.release_graph(facts)
        referenced = self.builder.referenced([graph])
        owned = {s for t in OWNED_TYPES for s in graph.subjects(RDF.type, t)}
        entailed = self.entailment.entailed(graph)
        return Outcome(
            name=path.name,
            stem=facts.stem,
            quads=tuple(nquads((t for t in graph if t[0] in owned), graph.identifier)),
            inferred=tuple(nquads((t for t in entailed if t[0] in owned), self.builder.graph_name("inferred"))),
            shared_inferred=tuple(ntriples(t for t in entailed if t[0] not in owned)),
            shared_asserted=tuple(ntriples(t for t in graph if t[0] not in owned)),
            referenced=tuple(sorted(referenced)),
            problems=tuple(facts.problems),
            violations=tuple(self.check(graph, referenced) if self.validate else ()),
        )

    def check(self, graph: Graph, referenced: set[str]) -> list[Violation]:
        """The shapes look one step from a release's resources, at their values' classes (tests/test_shapes.py
        keeps it so): that, with the class tree, is all the context they need."""
        types = [t for iri in referenced for t in self.builder.description(iri) if t[1] == RDF.type]
        return validate_release(graph, [*self.class_tree, *types], self.shapes)


@lru_cache(maxsize=4)  # built once per vocabulary and base, however many builds a process runs
def entailment_for(vocab: Vocabulary, base: str) -> Entailment:
    builder = GraphBuilder(vocab, base)
    return Entailment(Schema.of(builder.ontology_graph()), builder.vocab_triples)


def ntriples(triples: Iterable[Triple]) -> list[str]:
    """N-Triples lines, sorted, as rdflib's serializer writes them (escapes and all)."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return sorted(split_lines(graph.serialize(format="nt")))


def split_lines(text: str) -> list[str]:
    """N-Triples or N-Quads text as lines. Not `str.splitlines()`: that also splits at the separators rdflib
    leaves unescaped inside literals (form feed, \\x1e, NEL, U+2028…), cutting a quad in two."""
    return [line + "\n" for line in text.split("\n") if line]


def nquads(triples: Iterable[Triple], graph: Node) -> list[str]:
    return in_graph(ntriples(triples), graph)


def in_graph(lines: Iterable[str], graph: Node) -> list[str]:
    """N-Triples lines made N-Quads lines of a named graph."""
    return [f"{line[:-3]} {graph.n3()} .\n" for line in lines]


_worker: Converter | None = None


def _convert_in_worker(path: Path) -> Outcome:
    assert _worker is not None
    return _worker(path)


def convert_all(paths: list[Path], converter: Converter, jobs: int) -> Iterator[Outcome]:
    """Outcomes in input order; in forked workers that share the parent's vocabulary and tables."""
    if jobs <= 1 or len(paths) < PARALLEL_FROM:
        yield from map(converter, paths)
        return
    global _worker
    _worker = converter
    converter.prepare()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        yield from pool.map(_convert_in_worker, paths, chunksize=16)


SharedGraphs = tuple[list[str], list[Violation]]  # N-Quads of the graphs no release owns; the vocabulary's violations


# ---- the cache --------------------------------------------------------------------------------------------


class Cache:
    """Outcomes by key, in SQLite (a file for `nzkg build`, memory otherwise), a release's summary apart from
    its lines; and the graphs shared by all releases, by a digest of what they were made from. A build killed
    midway loses at most what it had not yet committed."""

    LAYOUT = 2  # bumped whenever the tables change: a cache of another layout is dropped, not read

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path) if path else ":memory:")
        try:
            layout = self.db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:  # not a cache at all: it is only a cache, so start again
            self.db.close()
            assert path is not None
            path.unlink()
            self.db, layout = sqlite3.connect(str(path)), None
        if layout != self.LAYOUT:
            self.db.executescript(f"""
                DROP TABLE IF EXISTS outcome; DROP TABLE IF EXISTS shared;
                CREATE TABLE outcome (key TEXT PRIMARY KEY, summary TEXT NOT NULL, quads TEXT NOT NULL,
                                      inferred TEXT NOT NULL);
                CREATE TABLE shared (key TEXT PRIMARY KEY, data TEXT NOT NULL);
                PRAGMA user_version = {self.LAYOUT};""")

    def __contains__(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM outcome WHERE key = ?", (key,)).fetchone() is not None

    def put(self, key: str, outcome: Outcome) -> None:
        self.db.execute("INSERT OR REPLACE INTO outcome VALUES (?, ?, ?, ?)",
                        (key, outcome.summary().to_json(), "".join(outcome.quads), "".join(outcome.inferred)))

    def summary(self, key: str) -> Outcome:
        return Outcome.from_json(self.db.execute("SELECT summary FROM outcome WHERE key = ?", (key,)).fetchone()[0])

    def lines(self, key: str, inferred: bool = False) -> list[str]:
        """A release's N-Quads: its graph's, or (`inferred`) its entailments'."""
        row = self.db.execute(f"SELECT {'inferred' if inferred else 'quads'} FROM outcome WHERE key = ?",
                              (key,)).fetchone()
        return split_lines(row[0])

    def shared(self, key: str, make: Callable[[], SharedGraphs]) -> SharedGraphs:
        """The shared graphs and their violations made from inputs with this digest: made once, then kept."""
        row = self.db.execute("SELECT data FROM shared WHERE key = ?", (key,)).fetchone()
        if row:
            quads, violations = json.loads(row[0])
            return quads, [Violation(**v) for v in violations]
        quads, violations = make()
        self.db.execute("INSERT OR REPLACE INTO shared VALUES (?, ?)",
                        (key, json.dumps([quads, [asdict(v) for v in violations]], ensure_ascii=False)))
        self.db.commit()
        return quads, violations

    def commit(self) -> None:
        self.db.commit()

    def keep_only(self, keys: set[str]) -> None:
        """Forget outcomes of files that are gone or changed, so the cache does not grow without end."""
        stale = [k for (k,) in self.db.execute("SELECT key FROM outcome") if k not in keys]
        self.db.executemany("DELETE FROM outcome WHERE key = ?", [(k,) for k in stale])
        self.db.commit()


def settings_digest(base: str, validate: bool) -> str:
    """Everything besides a file that decides its outcome: a change to any of it redoes every release."""
    digest = hashlib.sha256(f"{base}\n{validate}\n".encode())
    code = sorted(Path(__file__).parent.rglob("*.py"))
    for path in [*code, ONTOLOGY_FILE, *sorted(VOCAB_DIR.glob("*.ttl")), *sorted(SHAPES_DIR.glob("*.ttl"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# ---- the corpus -------------------------------------------------------------------------------------------


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


# ---- publishing -------------------------------------------------------------------------------------------


def write_output(report: BuildReport, path: Path) -> int:
    """Write the dataset by file extension, atomically (a temporary file renamed into place), so a failed or
    killed build never leaves a half-written graph; return the number of quads. Turtle and N-Triples hold
    the union of the graphs."""
    fmt = rdf_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def remove_temporary() -> None:
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):
            leftover.unlink(missing_ok=True)

    remove_temporary()  # from a build killed while writing
    count = 0
    with written_whole("the graph", path, remove_temporary):
        with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", suffix=".nq.tmp",
                                         delete=False, encoding="utf-8") as out:
            for line in report.nquads():
                out.write(line)
                count += 1
        written = Path(out.name)
        if fmt != ox.RdfFormat.N_QUADS:
            quads = ox.parse(path=written, format=ox.RdfFormat.N_QUADS)
            data = (ox.Triple(q.subject, q.predicate, q.object) for q in quads) if not fmt.supports_datasets else quads
            converted = written.with_suffix(path.suffix + ".tmp")
            ox.serialize(data, converted, format=fmt, prefixes=prefixes(report.base))
            written.unlink()
            written = converted
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(written, 0o666 & ~umask)  # a temporary file is private; the graph is not
        os.replace(written, path)
    return count


@contextmanager
def exclusive(paths: list[Path], waiting: Callable[[Path], None]) -> Iterator[None]:
    """One build at a time of a graph file (and its cache) and of a store: two at once delete each other's
    half-written files and leave the graph of one beside the store of the other. Each is held by a lock on a
    file beside it, `.NAME.lock`, which the kernel releases when the build ends, however it ends. The files
    stay: one deleted while a build waits on it would let a third build lock a new one and run at once.
    `waiting` is told of a path another build holds before this one waits for it."""
    with ExitStack() as held:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = held.enter_context(path.with_name(f".{path.name}.lock").open("a"))
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting(path)
                fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def publish(report: BuildReport, output: Path, store: Path | None) -> tuple[int, StoreChange | None]:
    """Write the graph file, then bring the store beside it in line: changed releases' graphs replaced,
    deleted ones dropped, or the whole file loaded afresh when that is quicker or the store is not the
    previous build's. Returns the number of quads written and the change made to the store (None: none, or
    loaded afresh)."""
    previous = stored_state(store, output) if store is not None else None
    count = write_output(report, output)
    change = store_change(report, previous) if previous is not None else None
    if store is not None:
        update_store(output, store, change, {"releases": report.releases, "reason": report.reason},
                     "".join(report.shared_quads))
    report.cache.keep_only(set(report.releases.values()))
    return count, change


def store_change(report: BuildReport, previous: dict) -> StoreChange | None:
    """What turns the store of the previous build into this one's, or None if loading afresh is better."""
    if previous["state"].get("reason") != report.reason:
        return None
    before, now = previous["state"].get("releases", {}), report.releases
    dropped = [g for g, key in before.items() if now.get(g) != key]
    added = [g for g, key in now.items() if before.get(g) != key]
    if len(set(dropped) | set(added)) > FULL_RELOAD_SHARE * max(len(now), 1):
        return None
    if any(before[graph] not in report.cache for graph in dropped):
        return None  # the cache no longer has what the store holds
    remove = [line for graph in dropped for line in report.cache.lines(before[graph], inferred=True)]
    shared_before, shared_now = set(split_lines(previous["shared"])), set(report.shared_quads)
    return StoreChange(
        drop_graphs=dropped,
        add_graphs=added,
        remove=[*remove, *sorted(shared_before - shared_now)],
        add=lambda: iter_changed(report, [now[g] for g in added], sorted(shared_now - shared_before)),
    )


def iter_changed(report: BuildReport, keys: list[str], shared: list[str]) -> Iterator[str]:
    yield from shared
    for key in keys:
        yield from report.release_quads(key)
