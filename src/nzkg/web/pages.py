"""Pages for people and linked-data clients: the query page, one page per IRI under the base (HTML for
browsers; Turtle, JSON-LD or N-Triples by Accept), the ontology, and VoID."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote, unquote

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from nzkg import terms
from nzkg.formats import HTML, RDF_FORMATS, SOLUTION_FORMATS, by_name
from nzkg.queries import named_queries
from nzkg.server import Busy, QueryStopped
from nzkg.store import QueryJob
from nzkg.terms import DCTERMS, LABEL_PROPERTIES, NZO, SCHEMA, SKOS, SPARQL_PREFIXES
from nzkg.web import chosen_format, rdf_response, served
from nzkg.web.description import INTERNAL_MAX_BYTES, rows, void_description
from nzkg.web.history import SCOPES, Row, contributions, label_of

blueprint = Blueprint("pages", __name__)
FIGURE_COLUMNS = [("personnel", "personnel at one time"), ("total", "personnel over the period"),
                  ("amount", "money given"), ("cost", "cost"), ("status", "status")]
RELEASE_SUMMARY = [("Issued", DCTERMS + "issued"), ("Announced by", NZO + "announcedBy"),
                   ("Portfolios", NZO + "portfolio"), ("Original", SCHEMA + "url")]
NTRIPLES = by_name("ntriples")


@dataclass
class Value:
    """A term as a page shows it: its label (or a shortened IRI, or a literal's text), and where it links to."""

    text: str
    href: str | None = None
    label: str | None = None
    iri: str | None = None

    @property
    def name(self) -> str:
        return self.label or self.text


@dataclass
class Resource:
    iri: str
    label: str | None = None
    type_iris: set[str] = field(default_factory=set)
    types: list[Value] = field(default_factory=list)
    properties: list[tuple[Value, Value, str]] = field(default_factory=list)  # predicate, object, graph
    alt_names: list[str] = field(default_factory=list)
    incoming: list[tuple[Value, Value]] = field(default_factory=list)  # subject, predicate
    evidence: list[str] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)

    def values(self, predicate: str) -> list[Value]:
        return [obj for p, obj, _ in self.properties if p.iri == predicate]

    @property
    def kind(self) -> str | None:
        """Which kind of page it gets (see history.SCOPES), from its types."""
        for kind, cls in (("operation", "Operation"), ("minister", "Minister"), ("release", "Release"),
                          ("place", "Place"), ("organisation", "Organisation"), ("contribution", "Contribution")):
            if NZO + cls in self.type_iris:
                return kind
        return None


@blueprint.get("/")
def home() -> str:
    examples = [{"name": q.name, "title": q.title, "description": q.description, "query": q.text}
                for q in named_queries(served().settings.queries)]
    return render_template("index.html", examples=json.dumps(examples).replace("</", "<\\/"),
                           example_list=examples, config_base=served().settings.base,
                           downloads=json.dumps({"solutions": [[f.name, f.label] for f in SOLUTION_FORMATS],
                                                 "graph": [[f.name, f.label] for f in RDF_FORMATS]}))


@blueprint.get("/.well-known/void")
def void() -> Response:
    return void_description()


@blueprint.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    """A resource, or (under graph/) a named graph: a page for people, its triples for linked-data clients."""
    iri = served().settings.base + quote(rest, safe="/")  # the path arrives decoded; minted names are encoded
    if not valid_iri(iri):  # then it is safe inside <> in a query, and the query parses
        abort(404)
    named_graph = rest.startswith("graph/")
    wanted = chosen_format((HTML, *RDF_FORMATS), HTML)
    if wanted != HTML:
        pattern = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}" if named_graph else
                   f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION "
                   f"{{ ?s ?q <{iri}> }} }}")
        answer = run(QueryJob(pattern, None, NTRIPLES.media_type, max_bytes=INTERNAL_MAX_BYTES))
        if answer.status != 200:
            abort(Response(answer.body, status=answer.status, mimetype=answer.media_type))
        if not answer.body.strip():
            abort(404)
        return rdf_response(ox.parse(answer.body, format=NTRIPLES.oxigraph), wanted)
    body = graph_page(iri, rest) if named_graph else resource_page(iri)
    response = Response(body, mimetype="text/html")
    response.vary.add("Accept")
    return response


def resource_page(iri: str) -> str:
    found = describe(iri)
    if not found.properties and not found.incoming:
        abort(404)
    kind = found.kind
    history = contributions(select, kind, iri) if kind in SCOPES else []
    figure_columns = [(name, heading) for name, heading in FIGURE_COLUMNS
                      if any(getattr(row, name) is not None for row in history)]  # only those a row fills
    context = {"resource": found, "kind": kind, "history": history, "figure_columns": figure_columns}
    if kind == "operation":
        context["timeline"] = drawn(f"timeline {iri}", lambda: periods_picture(history))
        located = f"{{ <{iri}> nzo:location ?place }} UNION {{ ?c nzo:operation <{iri}> ; nzo:location ?place }}"
        context["map"] = drawn(f"map {iri}", lambda: map_picture(located))
    elif kind == "place":
        context["operations"] = select(f"SELECT DISTINCT ?operation ?operation_label WHERE {{ "
                                       f"?operation a nzo:Operation ; nzo:location/nzo:partOf* <{iri}> . "
                                       f"{label_of('operation')} }} ORDER BY ?operation_label LIMIT 500")
        context["parts"] = select(f"SELECT DISTINCT ?part ?part_label WHERE {{ ?part nzo:partOf <{iri}> "
                                  f"{label_of('part')} }} ORDER BY ?part_label LIMIT 500")
        context["map"] = drawn(f"map {iri}", lambda: map_picture(f"{{ BIND(<{iri}> AS ?place) }} UNION "
                                                                 f"{{ ?place nzo:partOf+ <{iri}> }}"))
    elif kind == "release":
        context["summary"] = [(name, found.values(predicate)) for name, predicate in RELEASE_SUMMARY]
    elif kind == "minister":
        context["releases"] = select(f"SELECT ?release ?release_label ?issued WHERE {{ ?release "
                                     f"nzo:announcedBy <{iri}> {label_of('release')} OPTIONAL {{ ?release "
                                     f"dcterms:issued ?issued }} }} ORDER BY ?issued ?release LIMIT 2000")
    return render_template("resource.html", **context)


def graph_page(iri: str, rest: str) -> str:
    """A named graph: how many triples it holds, the release it is the graph of, and links to its triples."""
    size = int(select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")[0]["n"])
    if not size:
        abort(404)
    releases = select(f"SELECT ?release ?release_label WHERE {{ GRAPH <{iri}> {{ ?release a "
                                 f"nzo:Release }} {label_of('release')} }} LIMIT 10")
    downloads = [(f.label, url_for("pages.resource", rest=rest, format=f.name)) for f in RDF_FORMATS]
    return render_template("graph.html", iri=iri, name=rest.split("/", 1)[1], size=size, releases=releases,
                           downloads=downloads)


def valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def run(job: QueryJob):
    try:
        return served().queries.run(job)
    except (QueryStopped, Busy):
        abort(Response("the page's query did not finish\n", status=503, mimetype="text/plain"))


def select(sparql: str) -> list[dict[str, str]]:
    """The rows of a query that may use the prefixes of nzkg.terms."""
    try:
        return rows(served().queries, SPARQL_PREFIXES + sparql)
    except (QueryStopped, Busy):
        abort(Response("the page's query did not finish\n", status=503, mimetype="text/plain"))


def describe(iri: str) -> Resource:
    """Its properties and the links to it, each value named by its label; its own label by the order of
    preference of terms.LABEL_PROPERTIES."""
    found = Resource(iri)
    labels: dict[str, str] = {}
    for row in select(f"SELECT ?p ?o ?g ?o_label WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} "
                      f"{label_of('o')} }} ORDER BY ?p ?o LIMIT 2000"):
        predicate, obj = row["p"], row["o"]
        if predicate in LABEL_PROPERTIES:
            labels.setdefault(predicate, obj)
        if predicate == str(RDF.type):
            found.type_iris.add(obj)
            found.types.append(value(obj, row.get("o_label")))
        elif predicate == NZO + "evidence":
            found.evidence.append(obj)
        elif predicate == SKOS + "altLabel":
            found.alt_names.append(obj)
            continue
        found.properties.append((value(predicate), value(obj, row.get("o_label")), row["g"]))
    found.label = next((labels[p] for p in LABEL_PROPERTIES if p in labels), None)
    found.properties = dedupe(found.properties)
    found.alt_names = sorted(set(found.alt_names), key=str.lower)
    for row in select(f"SELECT DISTINCT ?s ?p ?s_label WHERE {{ ?s ?p <{iri}> {label_of('s')} }} "
                      f"ORDER BY ?p ?s LIMIT 500"):
        found.incoming.append((value(row["s"], row.get("s_label")), value(row["p"])))
    found.incoming = dedupe(found.incoming)
    for row in select(f"SELECT ?release ?release_label ?url ?file WHERE {{ <{iri}> prov:wasDerivedFrom "
                      f"?release {label_of('release')} OPTIONAL {{ ?release <{SCHEMA}url> ?url }} "
                      f"OPTIONAL {{ ?release nzo:sourceFile ?file }} }}"):
        row["href"] = local_link(row["release"])
        found.sources.append(row)
    return found


def drawn(key: str, draw: Callable[[], str | None]) -> str | None:
    """A picture drawn on its page's first visit and kept: drawing costs more than the page's queries."""
    pictures = served().pictures
    if key not in pictures:
        pictures[key] = draw()
    return pictures[key]


def periods_picture(history: list[Row]) -> str | None:
    """The operation's timeline: a bar for each period a contribution states, as inline SVG. Pictures import
    pandas and matplotlib when first drawn: a server that draws none does without them."""
    import pandas as pd

    from nzkg import plots

    dated = [r for r in history if r.start or r.end or r.ended or r.issued]
    if not dated:
        return None
    frame = pd.DataFrame([{"start": r.start or r.issued, "end": r.end, "ended": r.ended, "caption": r.caption,
                           "release_date": r.issued} for r in dated], dtype=object)
    return plots.svg(plots.periods(frame, title="New Zealand's contributions, as releases state them"))


def map_picture(places: str) -> str | None:
    """A map of the places a pattern binds to ?place (those with coordinates), as inline SVG."""
    import pandas as pd

    from nzkg import plots

    found = select(f"""SELECT ?place ?label ?lat ?long (COUNT(DISTINCT ?release) AS ?releases) WHERE {{
  {places}
  ?place rdfs:label ?label ; wgs:lat ?lat ; wgs:long ?long .
  OPTIONAL {{ ?release nzo:mentions ?place }}
}} GROUP BY ?place ?label ?lat ?long LIMIT 300""")
    if not found:
        return None
    frame = pd.DataFrame(found, columns=["place", "label", "lat", "long", "releases"], dtype=object)
    return plots.svg(plots.place_map(frame, title="Where"))


def dedupe(items: list) -> list:
    seen, kept = set(), []
    for item in items:
        key = repr(item[:2])
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def value(term: str, label: str | None = None) -> Value:
    if re.match(r"^[a-z][\w+.-]*:", term) and " " not in term:
        return Value(compact(term), local_link(term) or (term if term.startswith("http") else None), label, term)
    return Value(term)


@blueprint.app_template_global()
def link(iri: str) -> str:
    """Where a page links an IRI to: here if it is served here, else itself if it is a web address."""
    return local_link(iri) or (iri if re.match(r"https?://", iri) else "")


@blueprint.app_template_global()
def short(iri: str) -> str:
    """An IRI for people when it has no label: as a prefixed name where a prefix fits."""
    return compact(iri)


@blueprint.app_template_global()
def rdf_links(path: str) -> list[tuple[str, str]]:
    """The links to a page's triples in each RDF syntax."""
    return [(f.label, f"{path}?format={f.name}") for f in RDF_FORMATS]


def compact(iri: str) -> str:
    return terms.compact(iri, served().settings.base)


def local_link(iri: str) -> str | None:
    """IRIs under the base, and the ontology's, are served here; others link to themselves."""
    settings = served().settings
    if iri.startswith(settings.base):
        return url_for("pages.resource", rest=unquote(iri[len(settings.base):]))  # url_for encodes it again
    if iri.startswith(NZO) or iri == NZO.rstrip("#"):
        return url_for("pages.ontology") + ("#" + iri[len(NZO):] if iri.startswith(NZO) else "")
    return None


@blueprint.get("/ontology")
def ontology() -> Response:
    """The ontology's own Turtle file as it is written (comments and all), or a page, or another syntax."""
    path = served().settings.ontology
    turtle = by_name("turtle")
    wanted = chosen_format((HTML, *RDF_FORMATS), turtle)
    if wanted == turtle:
        response = Response(path.read_text(encoding="utf-8"), content_type=turtle.content_type)
    elif wanted == HTML:
        response = Response(render_template("ontology.html", **ontology_terms(path)), mimetype="text/html")
    else:
        return rdf_response(ox.parse(path=path, format=turtle.oxigraph), wanted)
    response.vary.add("Accept")
    return response


@cache
def load_ontology(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def ontology_terms(path: Path) -> dict:
    """The ontology's classes and properties for its page, each linked term (a superclass, a domain, a range) as
    a `Value` that links to its section of the page or to its own vocabulary."""
    graph = load_ontology(path)

    def linked(predicate: URIRef, subject: URIRef) -> list[Value]:
        return [value(str(o)) for o in sorted(graph.objects(subject, predicate)) if isinstance(o, URIRef)]

    def terms(kinds: tuple[URIRef, ...]) -> list[dict]:
        found = sorted({s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(NZO)})
        return [{"name": str(s)[len(NZO):], "iri": str(s), "label": str(graph.value(s, RDFS.label) or ""),
                 "comment": " ".join(str(graph.value(s, RDFS.comment) or "").split()),
                 "parents": linked(RDFS.subClassOf, s) + linked(RDFS.subPropertyOf, s),
                 "domain": linked(RDFS.domain, s), "range": linked(RDFS.range, s)}
                for s in found]

    header = URIRef(NZO.rstrip("#"))
    return {"title": str(graph.value(header, URIRef(DCTERMS + "title")) or "Ontology"),
            "description": str(graph.value(header, URIRef(DCTERMS + "description")) or ""),
            "classes": terms((OWL.Class,)),
            "properties": terms((OWL.ObjectProperty, OWL.DatatypeProperty))}
