"""SHACL validation of the graph against shapes/*.ttl.

A release is validated on its own, together with the vocabulary and the ontology it refers to, so that a
report points at the release (its nzo:sourceFile) that a user has to look at. Results come back as plain,
sortable Violation records rather than a SHACL report graph, so that the CLI and tests can compare them.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

import rdflib
from pyshacl import validate
from rdflib import BNode, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SH, Namespace
from rdflib.term import Node

from nzkg.paths import SHAPES_DIR

NZO = Namespace("https://w3id.org/nzkg/ontology#")
GRAPH_BASE = "https://w3id.org/nzkg/id/graph/"
VOCAB_GRAPH = URIRef(GRAPH_BASE + "vocab")
ONTOLOGY_GRAPH = URIRef(GRAPH_BASE + "ontology")
INFERRED_GRAPH = URIRef(GRAPH_BASE + "inferred")
NOT_RELEASE_GRAPHS = frozenset({VOCAB_GRAPH, ONTOLOGY_GRAPH, INFERRED_GRAPH, DATASET_DEFAULT_GRAPH_ID})

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


def _source_file(graph: rdflib.Graph) -> str:
    files = sorted(str(o) for o in graph.objects(None, NZO.sourceFile))
    return files[0] if files else str(graph.identifier)


def validate_dataset(dataset: rdflib.Dataset, shapes: rdflib.Graph) -> dict[str, list[Violation]]:
    """Validate every release graph (every named graph except .../graph/vocab, .../graph/ontology,
    .../graph/inferred and the default graph) together with the vocab and ontology graphs; key = the release's
    nzo:sourceFile (fallback: the graph IRI); only releases with at least one result appear.

    Releases are validated one at a time so that a result is charged to the release that caused it. The
    vocab + ontology union is built once; each release's triples are added to it and taken out again."""
    graphs = {g.identifier: g for g in dataset.graphs()}
    work = rdflib.Graph()
    for name in (VOCAB_GRAPH, ONTOLOGY_GRAPH):
        if name in graphs:
            for triple in graphs[name]:
                work.add(triple)

    report: dict[str, list[Violation]] = {}
    for name in sorted(set(graphs) - NOT_RELEASE_GRAPHS, key=str):
        release = graphs[name]
        if len(release) == 0:
            continue
        added = [t for t in release if t not in work]
        for triple in added:
            work.add(triple)
        try:
            violations = validate_graph(work, shapes)
        finally:
            for triple in added:
                work.remove(triple)
        if violations:
            key = _source_file(release)
            report[key] = sorted({*report.get(key, []), *violations}, key=Violation.sort_key)
    return report
