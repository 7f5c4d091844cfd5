"""Every syntax nzkg reads, writes or serves, in one table, and the one rule for choosing among them.

A row says what the syntax is called (its `format=` names and file extension), its media types (the one we
send and the others clients send for it), its names in Oxigraph and rdflib, and what it carries: SPARQL
solutions (SELECT, ASK), RDF (CONSTRUCT, DESCRIBE, files, pages), or a page for people. Routes, the command line
and the push client pick formats here, so that a syntax is added in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox

if TYPE_CHECKING:
    from werkzeug.datastructures import MIMEAccept

SOLUTIONS, RDF, PAGE = "solutions", "rdf", "page"


@dataclass(frozen=True)
class Format:
    name: str  # what `format=` and the command line call it
    media_type: str
    carries: str  # SOLUTIONS, RDF or PAGE
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None = None
    rdflib: str | None = None  # the name rdflib's parsers know it by
    extension: str | None = None  # of files in it, with the dot
    aliases: tuple[str, ...] = ()  # other media types clients send for it
    names: tuple[str, ...] = ()  # other names `format=` may give
    w3c: str | None = None  # its IRI in http://www.w3.org/ns/formats/

    @property
    def label(self) -> str:
        """Its name for people: "Turtle", "JSON" (results), "HTML"."""
        return self.oxigraph.name.removeprefix("SPARQL Results in ") if self.oxigraph else self.name.upper()

    @property
    def content_type(self) -> str:
        """Every syntax here is UTF-8 text."""
        return f"{self.media_type}; charset=utf-8"

    @property
    def keeps_graphs(self) -> bool:
        """Whether it can hold named graphs; the others get the union of all graphs."""
        return isinstance(self.oxigraph, ox.RdfFormat) and self.oxigraph.supports_datasets

    @property
    def has_prefixes(self) -> bool:
        return self.oxigraph in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3, ox.RdfFormat.RDF_XML)

    def called(self, name: str) -> bool:
        return name.lower() in (self.name, *self.names) or name == self.media_type


W3C = "http://www.w3.org/ns/formats/"
FORMATS = (
    Format("json", "application/sparql-results+json", SOLUTIONS, ox.QueryResultsFormat.JSON, extension=".srj",
           aliases=("application/json",), w3c=W3C + "SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", SOLUTIONS, ox.QueryResultsFormat.XML, extension=".srx",
           aliases=("application/xml", "text/xml"), w3c=W3C + "SPARQL_Results_XML"),
    Format("csv", "text/csv", SOLUTIONS, ox.QueryResultsFormat.CSV, extension=".csv", w3c=W3C + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", SOLUTIONS, ox.QueryResultsFormat.TSV, extension=".tsv",
           w3c=W3C + "SPARQL_Results_TSV"),
    Format("turtle", "text/turtle", RDF, ox.RdfFormat.TURTLE, "turtle", ".ttl", aliases=("application/x-turtle",),
           names=("ttl",), w3c=W3C + "Turtle"),
    Format("ntriples", "application/n-triples", RDF, ox.RdfFormat.N_TRIPLES, "nt", ".nt", aliases=("text/plain",),
           names=("nt", "n-triples"), w3c=W3C + "N-Triples"),
    Format("jsonld", "application/ld+json", RDF, ox.RdfFormat.JSON_LD, "json-ld", ".jsonld",
           aliases=("application/json",), names=("json-ld", "json"), w3c=W3C + "JSON-LD"),
    Format("rdfxml", "application/rdf+xml", RDF, ox.RdfFormat.RDF_XML, "xml", ".rdf",
           aliases=("application/xml", "text/xml"), names=("rdf", "xml"), w3c=W3C + "RDF_XML"),
    Format("trig", "application/trig", RDF, ox.RdfFormat.TRIG, "trig", ".trig", w3c=W3C + "TriG"),
    Format("nquads", "application/n-quads", RDF, ox.RdfFormat.N_QUADS, "nquads", ".nq", names=("nq", "n-quads"),
           w3c=W3C + "N-Quads"),
    Format("html", "text/html", PAGE, extension=".html"),
)
SOLUTION_FORMATS = tuple(f for f in FORMATS if f.carries == SOLUTIONS)
RDF_FORMATS = tuple(f for f in FORMATS if f.carries == RDF)
HTML = next(f for f in FORMATS if f.carries == PAGE)


def by_name(name: str, among: Sequence[Format] = FORMATS) -> Format | None:
    """The format `format=NAME` (or a media type) means, among these."""
    return next((f for f in among if f.called(name)), None)


def by_media_type(media_type: str) -> Format:
    return next(f for f in FORMATS if f.media_type == media_type)


def rdf_file_format(path: Path) -> Format:
    """The RDF syntax of a file, by its extension."""
    found = next((f for f in RDF_FORMATS if f.extension == path.suffix.lower()), None)
    if found is None:
        known = ", ".join(f.extension or "" for f in RDF_FORMATS)
        raise ValueError(f"{path}: unknown RDF format (use {known})")
    return found


def negotiate(accept: MIMEAccept, among: Sequence[Format], default: Format | None = None) -> Format | None:
    """The format among these that the client's Accept header ranks highest (q-values, wildcards and the media
    types clients use for each, as werkzeug ranks them; ties go to the earlier format), `default` if the client
    sent no Accept header, None if it accepts none of them."""
    if not accept:
        return default
    offered = {f.media_type: f for f in among}  # each format's own type before those clients also use for it
    for f in among:
        for alias in f.aliases:
            offered.setdefault(alias, f)
    best = accept.best_match(list(offered))
    return offered[best] if best is not None else None


def write_rdf(triples: Iterable[ox.Triple], fmt: Format, output: BinaryIO | None = None,
              prefixes: dict[str, str] | None = None) -> bytes | None:
    """Triples in an RDF syntax, with a prefix line for each of `prefixes` they use where the syntax has
    prefixes (Oxigraph writes every prefix it is given, used or not); to `output`, or returned."""
    if not fmt.has_prefixes or not prefixes:
        return ox.serialize(triples, output, format=fmt.oxigraph)
    triples = list(triples)
    namespaces = {namespace: name for name, namespace in prefixes.items()}
    used: dict[str, str] = {}
    for triple in triples:
        for term in triple:
            if isinstance(term, ox.NamedNode):
                for end in (term.value.rfind("/"), term.value.rfind("#")):
                    name = namespaces.get(term.value[: end + 1])
                    if name is not None:
                        used[name] = term.value[: end + 1]
    return ox.serialize(triples, output, format=fmt.oxigraph, prefixes=used)
