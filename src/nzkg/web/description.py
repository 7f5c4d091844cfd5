"""What the endpoint says about itself and its data: the SPARQL 1.1 Service Description (at GET /sparql)
and a VoID description (at /.well-known/void). Statistics are counted once per server process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, render_template, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID, XSD

from nzkg.formats import FORMATS, HTML, RDF_FORMATS, SOLUTIONS, by_name
from nzkg.server import Evaluator
from nzkg.store import QueryJob
from nzkg.terms import NZO, PREFIXES
from nzkg.web import chosen_format, rdf_response, served
from nzkg.web.dumps import DUMPS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
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


def rows(queries: Evaluator, sparql: str) -> list[dict[str, str]]:
    answer = queries.run(QueryJob(sparql, "application/sparql-results+json", None, max_bytes=INTERNAL_MAX_BYTES))
    if answer.status != 200:
        raise RuntimeError(answer.body.decode())
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(answer.body)["results"]["bindings"]]


def stats() -> Stats:
    """Counted on first use and kept: the store does not change while the app serves it."""
    state = served()
    if state.stats is None:
        found = {name: rows(state.queries, sparql) for name, sparql in STATS_QUERIES.items()}
        named_graphs = int(found["named_graphs"][0]["n"])
        listed = found["graphs"] if named_graphs <= LISTED_GRAPHS_MAX else []
        state.stats = Stats(graphs=[(r["g"], int(r["n"])) for r in listed], named_graphs=named_graphs,
                            classes=[(r["c"], int(r["n"])) for r in found["classes"]],
                            properties=[(r["p"], int(r["n"])) for r in found["properties"]],
                            triples=int(found["triples"][0]["n"]), entities=int(found["entities"][0]["n"]))
    return state.stats


def service_description() -> Response:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    endpoint = URIRef(url_for("sparql.sparql", _external=True))
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    for fmt in FORMATS:
        if fmt.w3c and (fmt.carries == SOLUTIONS or fmt in RDF_FORMATS):
            graph.add((endpoint, SD.resultFormat, URIRef(fmt.w3c)))
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
    settings = served().settings
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
    for extension in DUMPS:
        graph.add((dataset, VOID.dataDump, URIRef(url_for("dumps.dump", extension=extension, _external=True))))
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
    turtle = by_name("turtle")
    wanted = chosen_format((turtle, HTML, *RDF_FORMATS), turtle)
    triples = [q.triple for q in ox.parse(graph.serialize(format="nt"), format=by_name("ntriples").oxigraph)]
    known = PREFIXES | {"sd": str(SD), "void": str(VOID)}
    if wanted != HTML:
        return rdf_response(triples, wanted, known)
    body = render_template(template, turtle=rdf_response(triples, turtle, known).get_data(as_text=True), **context)
    response = Response(body, mimetype="text/html")
    response.vary.add("Accept")
    return response
