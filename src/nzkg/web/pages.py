"""Pages for people and linked-data clients: the query page, one page per IRI under the base (HTML for
browsers; Turtle, JSON-LD or N-Triples by Accept), the ontology, and VoID."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, url_for
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from nzkg import terms
from nzkg.formats import HTML, RDF_FORMATS, by_name
from nzkg.queries import named_queries, named_query
from nzkg.store import Busy, QueryJob, QueryTimeout, WorkerDied
from nzkg.terms import LABEL_PROPERTIES, NZO, PROV, SCHEMA
from nzkg.web import chosen_format, rdf_response, served
from nzkg.web.description import INTERNAL_MAX_BYTES, rows, void_description

blueprint = Blueprint("pages", __name__)
NTRIPLES = by_name("ntriples")


@dataclass
class Value:
    """A term as a page shows it: text, and where it links to."""

    text: str
    href: str | None = None
    label: str | None = None


@dataclass
class Resource:
    iri: str
    label: str | None = None
    types: list[Value] = field(default_factory=list)
    properties: list[tuple[Value, Value, str]] = field(default_factory=list)  # predicate, object, graph
    incoming: list[tuple[Value, Value]] = field(default_factory=list)  # subject, predicate
    evidence: list[str] = field(default_factory=list)
    sources: list[dict[str, str]] = field(default_factory=list)


@blueprint.get("/")
def home() -> str:
    examples = [{"name": q.name, "title": q.title, "description": q.description, "query": q.text}
                for q in named_queries(served().settings.queries)]
    return render_template("index.html", examples=json.dumps(examples).replace("</", "<\\/"),
                           example_list=examples, config_base=served().settings.base)


@blueprint.get("/.well-known/void")
def void() -> Response:
    return void_description()


@blueprint.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    settings = served().settings
    iri = settings.base + rest
    if not valid_iri(iri):  # then it is safe inside <> in a query, and the query parses
        abort(404)
    wanted = chosen_format((HTML, *RDF_FORMATS), HTML)
    if wanted != HTML:
        sparql = (f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION "
                  f"{{ ?s ?q <{iri}> }} }}")
        answer = run(QueryJob(sparql, None, NTRIPLES.media_type, max_bytes=INTERNAL_MAX_BYTES))
        if answer.status != 200:
            abort(Response(answer.body, status=answer.status, mimetype=answer.media_type))
        if not answer.body.strip():
            abort(404)
        return rdf_response(ox.parse(answer.body, format=NTRIPLES.oxigraph), wanted)
    found = describe(iri)
    if not found.properties and not found.incoming:
        abort(404)
    chart = timeline_of(iri) if any(t.text == "nzo:Operation" for t in found.types) else None
    response = Response(render_template("resource.html", resource=found, timeline=chart), mimetype="text/html")
    response.vary.add("Accept")
    return response


def valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def run(job: QueryJob):
    try:
        return served().pool.run(job)
    except (QueryTimeout, Busy, WorkerDied):
        abort(Response("the page's query did not finish\n", status=503, mimetype="text/plain"))


def select(sparql: str) -> list[dict[str, str]]:
    try:
        return rows(served().pool, sparql)
    except (QueryTimeout, Busy, WorkerDied):
        abort(Response("the page's query did not finish\n", status=503, mimetype="text/plain"))


def describe(iri: str) -> Resource:
    found = Resource(iri)
    label_pattern = " UNION ".join(f"{{ ?o <{p}> ?olabel }}" for p in LABEL_PROPERTIES)
    for row in select(f"SELECT ?p ?o ?g ?olabel WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} "
                      f"OPTIONAL {{ {label_pattern} }} }} ORDER BY ?p ?o LIMIT 2000"):
        predicate, obj = row["p"], row["o"]
        if predicate in LABEL_PROPERTIES and found.label is None:
            found.label = obj
        if predicate == str(RDF.type):
            found.types.append(value(obj))
        elif predicate == NZO + "evidence":
            found.evidence.append(obj)
        found.properties.append((value(predicate), value(obj, row.get("olabel")), row["g"]))
    found.properties = dedupe(found.properties)
    subject_label = " UNION ".join(f"{{ ?s <{p}> ?slabel }}" for p in LABEL_PROPERTIES)
    for row in select(f"SELECT DISTINCT ?s ?p ?slabel WHERE {{ ?s ?p <{iri}> OPTIONAL {{ {subject_label} }} }} "
                      f"ORDER BY ?p ?s LIMIT 500"):
        found.incoming.append((value(row["s"], row.get("slabel")), value(row["p"])))
    found.incoming = dedupe(found.incoming)
    for row in select(f"SELECT ?release ?title ?url ?file WHERE {{ <{iri}> <{PROV}wasDerivedFrom> "
                      f"?release OPTIONAL {{ ?release <{DCTERMS.title}> ?title }} "
                      f"OPTIONAL {{ ?release <{SCHEMA}url> ?url }} "
                      f"OPTIONAL {{ ?release <{NZO}sourceFile> ?file }} }}"):
        row["href"] = local_link(row["release"])
        found.sources.append(row)
    return found


def timeline_of(iri: str) -> str | None:
    """The operation's own timeline, as inline SVG, from the named query `timeline`."""
    from nzkg import plots

    queries = served().settings.queries
    rows = select(named_query("timeline", queries).text.rstrip() + f"\nVALUES ?operation {{ <{iri}> }}\n")
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=["operation", "label", "start", "end", "ended", "personnel", "total"],
                         dtype=object)
    return plots.svg(plots.timeline(frame, title="New Zealand's contributions, as releases state them"))


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
        return Value(compact(term), local_link(term) or (term if term.startswith("http") else None), label)
    return Value(term)


def compact(iri: str) -> str:
    return terms.compact(iri, served().settings.base)


def local_link(iri: str) -> str | None:
    """IRIs under the base, and the ontology's, are served here; others link to themselves."""
    settings = served().settings
    if iri.startswith(settings.base):
        return url_for("pages.resource", rest=iri[len(settings.base):])
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
    graph = load_ontology(path)

    def terms(kinds: tuple[URIRef, ...]) -> list[dict[str, str]]:
        found = sorted({s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(NZO)})
        return [{"name": str(s)[len(NZO):], "iri": str(s), "label": str(graph.value(s, RDFS.label) or ""),
                 "comment": " ".join(str(graph.value(s, RDFS.comment) or "").split()),
                 "parents": [compact(str(o)) for o in graph.objects(s, RDFS.subClassOf)]
                 + [compact(str(o)) for o in graph.objects(s, RDFS.subPropertyOf)],
                 "domain": compact(str(graph.value(s, RDFS.domain) or "")) if graph.value(s, RDFS.domain) else "",
                 "range": compact(str(graph.value(s, RDFS.range) or "")) if graph.value(s, RDFS.range) else ""}
                for s in found]

    header = URIRef(NZO.rstrip("#"))
    return {"title": str(graph.value(header, DCTERMS.title) or "Ontology"),
            "description": str(graph.value(header, DCTERMS.description) or ""),
            "classes": terms((OWL.Class,)),
            "properties": terms((OWL.ObjectProperty, OWL.DatatypeProperty))}
