"""What the endpoint says about itself and its data: the SPARQL 1.1 Service Description (at GET /sparql)
and a VoID description (at /.well-known/void). Statistics are counted once, through the query workers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Response, current_app, render_template, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from nzkg.store import QueryJob, QueryPool
from nzkg.terms import NZO

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
             "application/rdf+xml": "xml"}
LISTED_GRAPHS_MAX = 1000  # beyond this the description gives the named graphs' number, not each one
STATS_QUERIES = {
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g "
              f"LIMIT {LISTED_GRAPHS_MAX + 1}",
    "named_graphs": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { } }",
    "classes": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
    "properties": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }",
}


@dataclass(frozen=True)
class Stats:
    graphs: list[tuple[str, int]]  # each named graph and its size, if there are at most LISTED_GRAPHS_MAX
    named_graphs: int
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    triples: int
    entities: int


INTERNAL_MAX_BYTES = 500_000_000  # the server's own queries are bounded by their LIMITs, not by the user cap


def rows(pool: QueryPool, sparql: str) -> list[dict[str, str]]:
    answer = pool.run(QueryJob(sparql, "application/sparql-results+json", None, max_bytes=INTERNAL_MAX_BYTES))
    if answer.status != 200:
        raise RuntimeError(answer.body.decode())
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(answer.body)["results"]["bindings"]]


def stats() -> Stats:
    """Counted on first use and kept: the store does not change while the app serves it."""
    cached = current_app.extensions.get("nzkg.stats")
    if cached is None:
        pool = current_app.extensions["nzkg.pool"]
        found = {name: rows(pool, sparql) for name, sparql in STATS_QUERIES.items()}
        named_graphs = int(found["named_graphs"][0]["n"])
        listed = found["graphs"] if named_graphs <= LISTED_GRAPHS_MAX else []
        cached = Stats(graphs=[(r["g"], int(r["n"])) for r in listed], named_graphs=named_graphs,
                       classes=[(r["c"], int(r["n"])) for r in found["classes"]],
                       properties=[(r["p"], int(r["n"])) for r in found["properties"]],
                       triples=int(found["triples"][0]["n"]), entities=int(found["entities"][0]["n"]))
        current_app.extensions["nzkg.stats"] = cached
    return cached


def service_description() -> Response:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    endpoint = URIRef(url_for("sparql.sparql", _external=True))
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMATS:
        graph.add((endpoint, SD.resultFormat, FORMATS[name]))
    data = stats()
    dataset = BNode("dataset")
    graph.add((endpoint, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(data.triples, datatype=XSD.integer)))
    for name, triples in data.graphs:
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return negotiated(graph, "service.html", data=data, endpoint=str(endpoint))


def void_description() -> Response:
    settings = current_app.extensions["nzkg"]
    data = stats()
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    dataset = URIRef(url_for("pages.void", _external=True) + "#dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal(settings.title)))
    graph.add((dataset, DCTERMS.license, URIRef(settings.license)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(url_for("sparql.sparql", _external=True))))
    graph.add((dataset, VOID.uriSpace, Literal(settings.base)))
    graph.add((dataset, VOID.vocabulary, URIRef(NZO)))
    for dump in ("dump_ttl", "dump_trig", "dump_nq"):
        graph.add((dataset, VOID.dataDump, URIRef(url_for(f"dumps.{dump}", _external=True))))
    graph.add((dataset, VOID.triples, Literal(data.triples, datatype=XSD.integer)))
    graph.add((dataset, VOID.entities, Literal(data.entities, datatype=XSD.integer)))
    graph.add((dataset, VOID.classes, Literal(len(data.classes), datatype=XSD.integer)))
    graph.add((dataset, VOID.properties, Literal(len(data.properties), datatype=XSD.integer)))
    for index, (cls, count) in enumerate(data.classes):
        partition = URIRef(f"{dataset}-class-{index}")
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    for index, (prop, count) in enumerate(data.properties):
        partition = URIRef(f"{dataset}-property-{index}")
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, Literal(count, datatype=XSD.integer)))
    return negotiated(graph, "void.html", data=data, dataset=str(dataset))


def negotiated(graph: Graph, template: str, **context) -> Response:
    """Turtle unless the client prefers HTML (a browser) or another RDF syntax."""
    best = request.accept_mimetypes.best_match(["text/turtle", "text/html", *RDF_TYPES], default="text/turtle")
    if best == "text/html":
        body = render_template(template, turtle=graph.serialize(format="turtle"), **context)
        response = Response(body, mimetype="text/html")
    else:
        response = Response(graph.serialize(format=RDF_TYPES[best]), mimetype=best)
    response.vary.add("Accept")
    return response
