"""SHACL validation of the graph against shapes/*.ttl.

A release is validated on its own, together with the vocabulary and the ontology it refers to, so that a
report points at the release (its nzo:sourceFile) that a user has to look at. Results come back as plain,
sortable Violation records rather than a SHACL report graph, so that the CLI and tests can compare them.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from pyshacl import validate
from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from nzkg.paths import SHAPES_DIR
from nzkg.terms import DEFAULT_BASE, NZO, graph_name, shared_graph_names

Triple = tuple[Node, Node, Node]

_PYSHACL_LOGGER = "pyshacl-validate"


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, reduced to what a user needs to find and fix it."""

    focus: str  # the focus node IRI (or literal text)
    path: str | None  # the property path IRI, if any
    message: str  # one line
    severity: str  # "Violation", "Warning" or "Info"
    shape: str  # the source shape IRI (or "" for blank-node shapes)
    value: str | None  # the offending value, if any

    def sort_key(self) -> tuple[str, str, str, str, str, str]:
        """None-safe ordering (order=True alone fails when one path is None and the other is not)."""
        return (self.focus, self.path or "", self.message, self.severity, self.shape, self.value or "")


def _quiet_pyshacl() -> None:
    """pyshacl re-creates its logger's stderr handler on every call, but keeps filters: drop chatter there."""
    logger = logging.getLogger(_PYSHACL_LOGGER)
    if not any(isinstance(f, _BelowError) for f in logger.filters):
        logger.addFilter(_BelowError())


class _BelowError(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


def load_shapes(directory: Path = SHAPES_DIR) -> rdflib.Graph:
    """Read every *.ttl in the directory, so that a user adds rules by dropping in a file."""
    shapes = rdflib.Graph()
    for path in sorted(Path(directory).glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _message(report: rdflib.Graph, result: Node) -> str:
    messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    if not messages:
        return ""
    # Prefer English or untagged messages; sort so the choice never depends on parse order.
    preferred = [m for m in messages if m.language in (None, "en")] or messages
    return _one_line(sorted(str(m) for m in preferred)[0])


def _results(report: rdflib.Graph) -> list[Violation]:
    found: set[Violation] = set()
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        shape = report.value(result, SH.sourceShape)
        found.add(
            Violation(
                focus=_text(report.value(result, SH.focusNode)) or "",
                path=str(path) if isinstance(path, URIRef) else None,
                message=_message(report, result),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                shape=str(shape) if isinstance(shape, URIRef) else "",
                value=_text(report.value(result, SH.value)),
            )
        )
    return sorted(found, key=Violation.sort_key)


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph) -> list[Violation]:
    """Validate without inference: the converter asserts every type the shapes look for, and inference would
    hide a missing one. Identical results (one value failing two constraints of one shape) are merged."""
    _quiet_pyshacl()
    _conforms, report, _text_report = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        debug=False,
        allow_warnings=False,
        allow_infos=False,
    )
    if not isinstance(report, rdflib.Graph):  # a ValidationFailure instead of a report
        raise RuntimeError(f"SHACL validation failed to run: {report}")
    return _results(report)


def validate_release(release: rdflib.Graph, context: Iterable[Triple], shapes: rdflib.Graph) -> list[Violation]:
    """A release's own resources, checked against the ontology and vocabulary they refer to (`context`).
    The vocabulary is checked once, on its own (`validate_vocabulary`), not again with every release: only
    the shapes that target the release's resources run, and results about other resources are dropped.
    (pyshacl's `focus_nodes` and `use_shapes` options would do that, but in pyshacl 0.40 the first reports
    values under sh:not and sh:or in property shapes wrongly, and the second misses violations.)"""
    data = _union(context, release)
    own = {_text(s) for s in release.subjects()}
    return [v for v in validate_graph(data, shapes_targeting(release, data, shapes)) if v.focus in own]


def shapes_targeting(release: rdflib.Graph, data: rdflib.Graph, shapes: rdflib.Graph) -> rdflib.Graph:
    """The part of the shapes graph whose targets include some resource of the release."""
    nodes = frozenset(s for s in release.subjects() if (None, SH.targetNode, s) in shapes)
    classes = frozenset(c for t in set(release.objects(None, RDF.type))
                        for c in data.transitive_objects(t, RDFS.subClassOf))
    return shapes_for(shapes, classes, frozenset(release.predicates()), nodes)


@lru_cache(maxsize=256)  # releases share a few combinations of classes and properties
def shapes_for(shapes: rdflib.Graph, classes: frozenset[Node], predicates: frozenset[Node],
               nodes: frozenset[Node]) -> rdflib.Graph:
    """The shapes that target resources of these classes, subjects or objects of these properties, or these
    nodes; with everything they are made of: property shapes, lists, nested shapes."""
    wanted = {SH.targetClass: classes, SH.targetSubjectsOf: predicates, SH.targetObjectsOf: predicates,
              SH.targetNode: nodes}
    chosen = {shape for target, values in wanted.items() for shape, value in shapes.subject_objects(target)
              if value in values}
    part = rdflib.Graph()
    todo, seen = list(chosen), set(chosen)
    while todo:
        for triple in shapes.triples((todo.pop(), None, None)):
            part.add(triple)
            if (triple[2], None, None) in shapes and triple[2] not in seen:
                seen.add(triple[2])
                todo.append(triple[2])
    return part


def validate_vocabulary(vocabulary: rdflib.Graph, ontology: rdflib.Graph, shapes: rdflib.Graph) -> list[Violation]:
    return validate_graph(_union(ontology, vocabulary), shapes)


def _union(*parts: Iterable[Triple]) -> rdflib.Graph:
    data = rdflib.Graph()
    for part in parts:
        for triple in part:
            data.add(triple)
    return data


def _source_file(graph: rdflib.Graph) -> str:
    files = sorted(str(o) for o in graph.objects(None, URIRef(NZO + "sourceFile")))
    return files[0] if files else str(graph.identifier)


def base_of(dataset: rdflib.Dataset) -> str:
    """The base the dataset was built with: its ontology graph is `{base}graph/ontology` (see nzkg.terms)."""
    ontology, suffix = URIRef(NZO.rstrip("#")), graph_name("", "ontology")
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if name.endswith(suffix) and (ontology, RDF.type, OWL.Ontology) in graph:
            return name[: -len(suffix)]
    return DEFAULT_BASE


def validate_dataset(dataset: rdflib.Dataset, shapes: rdflib.Graph) -> dict[str, list[Violation]]:
    """Validate a whole dataset as `nzkg build` does: every release graph (every named graph except the shared
    ones, see nzkg.terms, and the default graph) on its own, with the vocab, minted and ontology graphs as
    context, keyed by the release's nzo:sourceFile (fallback: the graph IRI); and the vocab graph once, keyed by
    its IRI. Only what has results appears. The shared graphs are named under the base the dataset was built
    with, whatever it was."""
    graphs = {g.identifier: g for g in dataset.graphs()}
    shared = {name: URIRef(iri) for name, iri in shared_graph_names(base_of(dataset)).items()}
    empty = rdflib.Graph()
    vocabulary, ontology = graphs.get(shared["vocab"], empty), graphs.get(shared["ontology"], empty)
    context = rdflib.Graph()
    for graph in (vocabulary, graphs.get(shared["minted"], empty), ontology):
        for triple in graph:
            context.add(triple)
    report: dict[str, list[Violation]] = {}
    if found := validate_vocabulary(vocabulary, ontology, shapes):
        report[str(shared["vocab"])] = found
    for name in sorted(set(graphs) - {*shared.values(), DATASET_DEFAULT_GRAPH_ID}, key=str):
        release = graphs[name]
        if len(release) and (found := validate_release(release, context, shapes)):
            key = _source_file(release)
            report[key] = sorted({*report.get(key, []), *found}, key=Violation.sort_key)
    return report
