"""One release's conversion: read → extract → graph → validate → reason, for each release on its own, in
parallel worker processes when there are many. It holds no rules of its own: it runs the stages and keeps
what they give.

What a release gives is an `Outcome` of N-Quads text, not graphs, so that a corpus of any size is cached,
written out and loaded without ever being held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from functools import cached_property, lru_cache
from multiprocessing import get_context
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from nzkg.extract import extract
from nzkg.graph import NZO, GraphBuilder
from nzkg.reason import Entailment, Schema, Triple
from nzkg.release import UnreadableRelease, read_release
from nzkg.validate import Violation, load_shapes, validate_release
from nzkg.vocab import Vocabulary

PARALLEL_FROM = 64  # below this many files, starting worker processes costs more than it saves
OWNED_TYPES = (NZO.Release, NZO.Contribution)  # resources minted for one release alone


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
