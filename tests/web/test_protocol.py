"""The SPARQL endpoint as clients see it: the real `nzkg serve` process (conftest's session `server`), spoken to
with `requests` (raw HTTP), SPARQLWrapper and rdflib's SPARQLStore.

Expected values come from the graph the server serves (`served_graph`, the annotated corpus): one release in
each release graph, plus graph/vocab, graph/minted and graph/ontology. Literals are compared as RDF 1.1 terms after the
rewriting the Oxigraph store does (xsd:string written without its datatype, decimals in canonical form,
integer subtypes as xsd:integer); the one rewriting that loses information is tested on its own
(`test_served_literals_keep_their_datatype`).
"""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from conftest import LIMITS, TIMEOUT, free_port, start_server, stop_server  # tests/web/conftest.py
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper

from nzkg.formats import RDF_FORMATS
from nzkg.web.description import LISTED_GRAPHS_MAX

NZO = Namespace("https://w3id.org/nzkg/ontology#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SRX = "{http://www.w3.org/2005/sparql-results#}"
ID = "https://w3id.org/nzkg/id/"
GRAPH_D05 = URIRef(ID + "graph/d05_sinai-engineers-2016")
GRAPH_D09 = URIRef(ID + "graph/d09_ramsi-farewell")
GRAPH_VOCAB = URIRef(ID + "graph/vocab")
GRAPH_ONTOLOGY = URIRef(ID + "graph/ontology")
RELEASE_D05 = URIRef(ID + "release/d05_sinai-engineers-2016")
RELEASE_D09 = URIRef(ID + "release/d09_ramsi-farewell")
MFO = URIRef(ID + "operation/mfo")
D05_1 = URIRef(ID + "contribution/d05_sinai-engineers-2016-1")
D05_5 = URIRef(ID + "contribution/d05_sinai-engineers-2016-5")
RELEASES_SERVED = len(list((Path(__file__).parents[1] / "fixtures" / "corpus").glob("*.md")))
PREFIXES = f"PREFIX nzo: <{NZO}>\nPREFIX rdfs: <{RDFS}>\nPREFIX dcterms: <{DCTERMS}>\n"
MFO_PEOPLE = PREFIXES + (f"SELECT ?c ?n WHERE {{ ?c nzo:operation <{MFO}> ; nzo:personnelCount ?n ; "
                          f"<http://www.w3.org/ns/prov#wasDerivedFrom> <{RELEASE_D05}> }} ORDER BY ?n")
MFO_ROWS = [{"c": str(D05_1), "n": "25"}, {"c": str(D05_5), "n": "28"}]
MFO_CONSTRUCT = PREFIXES + (f"CONSTRUCT {{ ?c nzo:personnelCount ?n ; nzo:operation <{MFO}> }} "
                            f"WHERE {{ ?c nzo:operation <{MFO}> ; nzo:personnelCount ?n ; "
                            f"<http://www.w3.org/ns/prov#wasDerivedFrom> <{RELEASE_D05}> }}")
RELEASES = PREFIXES + "SELECT ?r WHERE { ?r a nzo:Release } ORDER BY ?r"
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON_TYPE, XML_TYPE = "application/sparql-results+json", "application/sparql-results+xml"
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                  "application/rdf+xml": "xml"}


# ---- helpers ----------------------------------------------------------------------------------------------


def norm(term):
    """A term as RDF 1.1 compares it, so that rdflib's reading of the file and Oxigraph's output agree."""
    if not isinstance(term, Literal):
        return term
    if term.language:
        return ("lang", str(term), term.language.lower())
    if term.datatype in (None, XSD.string):
        return ("string", str(term))
    if term.datatype in (XSD.integer, XSD.nonNegativeInteger, XSD.decimal):
        return ("number", Decimal(str(term)))
    return ("typed", str(term), str(term.datatype))


def triples_of(graph: Graph) -> set[tuple]:
    return {(s, p, norm(o)) for s, p, o in graph}


def quads_of(dataset: Dataset) -> set[tuple]:
    return {(s, p, norm(o), g) for s, p, o, g in dataset.quads()}


def media_type(response: requests.Response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


def select(server: str, query: str, **params) -> list[dict[str, str]]:
    """The rows of a SELECT, as plain strings, asked for as JSON."""
    response = requests.get(server + "/sparql", params={"query": query, **params},
                            headers={"Accept": JSON_TYPE}, timeout=30)
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def json_rows(text: str) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(text)["results"]["bindings"]]


def xml_rows(text: str) -> list[dict[str, str]]:
    root = ET.fromstring(text)
    return [{b.get("name"): b[0].text for b in result.iter(SRX + "binding")} for result in root.iter(SRX + "result")]


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def tsv_value(value: str) -> str:
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if value.startswith('"'):
        return value[1:value.rindex('"')]
    return value


def tsv_rows(text: str) -> list[dict[str, str]]:
    table = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    header = [name.lstrip("?") for name in table[0]]
    return [dict(zip(header, map(tsv_value, row), strict=True)) for row in table[1:]]


def xml_boolean(text: str) -> bool:
    return {"true": True, "false": False}[ET.fromstring(text).find(SRX + "boolean").text]


def csv_boolean(text: str, delimiter: str) -> bool:
    (row,) = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return {"true": True, "false": False}[row[0]]


SOLUTION_FORMATS = {
    "json": ("application/sparql-results+json", json_rows, lambda text: json.loads(text)["boolean"]),
    "xml": ("application/sparql-results+xml", xml_rows, xml_boolean),
    "csv": ("text/csv", csv_rows, lambda text: csv_boolean(text, ",")),
    "tsv": ("text/tab-separated-values", tsv_rows, lambda text: csv_boolean(text, "\t")),
}


def parsed_graph(response: requests.Response) -> Graph:
    graph = Graph()
    graph.parse(data=response.content, format=RDFLIB_FORMATS[media_type(response)])
    return graph


def assert_plain_error(response: requests.Response, status: int, *fragments: str) -> None:
    """An error is its status and one short line of text/plain saying what went wrong."""
    assert response.status_code == status, response.text
    assert media_type(response) == "text/plain"
    text = response.text
    assert text.strip() and "\n" not in text.strip() and len(text) <= 300, text
    for fragment in fragments:
        assert fragment.lower() in text.lower(), text


def post_form(server: str, data, **kwargs) -> requests.Response:
    return requests.post(server + "/sparql", data=data, timeout=30, **kwargs)


def ask(server: str, query: str) -> bool:
    response = requests.get(server + "/sparql", params={"query": query}, headers={"Accept": JSON_TYPE}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def outbound(server: str, template: str) -> tuple[requests.Response, bytes | None]:
    """Send a query naming a SERVICE on a local listening socket; what the server answered, and what it sent
    to the socket within a second (None: it never connected)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(1.0)
        query = template.replace("PORT", str(listener.getsockname()[1]))
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(post_form, server, {"query": query})
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                sent = None
            else:
                with connection:
                    connection.settimeout(1.0)
                    sent = connection.recv(200)  # then closed, so the worker does not wait on it
            return answer.result(), sent


# ---- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(served_graph: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(served_graph, format="trig")
    return dataset


@pytest.fixture(scope="module")
def corpus_quads(corpus: Dataset) -> set[tuple]:
    return quads_of(corpus)


@pytest.fixture(scope="module")
def graph_sizes(corpus: Dataset) -> Counter:
    return Counter(g for _, _, _, g in corpus.quads())


# ---- 1. the query operation -------------------------------------------------------------------------------


def send(server: str, how: str, query: str, params: list[tuple[str, str]] = (),
         accept: str = JSON_TYPE) -> requests.Response:
    """One query, by GET, by POST form-encoded, or by POST application/sparql-query (dataset in the URL)."""
    url, headers = server + "/sparql", {"Accept": accept}
    if how == "get":
        return requests.get(url, params=[("query", query), *params], headers=headers, timeout=30)
    if how == "post-form":
        return requests.post(url, data=[("query", query), *params], headers=headers, timeout=30)
    headers["Content-Type"] = "application/sparql-query"
    return requests.post(url, params=list(params), data=query.encode(), headers=headers, timeout=30)


TRANSPORTS = ["get", "post-form", "post-sparql-query"]


@pytest.mark.parametrize("how", TRANSPORTS)
def test_query_operation(server, how):
    response = send(server, how, MFO_PEOPLE)
    assert response.status_code == 200
    assert media_type(response) == JSON_TYPE
    assert json_rows(response.text) == MFO_ROWS


@pytest.mark.parametrize("how", TRANSPORTS)
def test_default_graph_uri_makes_one_release_the_default_graph(server, graph_sizes, how):
    params = [("default-graph-uri", str(GRAPH_D05))]
    counted = send(server, how, COUNT_TRIPLES, params)
    assert counted.status_code == 200, counted.text
    assert json_rows(counted.text) == [{"n": str(graph_sizes[GRAPH_D05])}]
    releases = send(server, how, RELEASES, params)
    assert json_rows(releases.text) == [{"r": str(RELEASE_D05)}]


def test_two_default_graph_uris_are_merged(server, graph_sizes):
    params = {"default-graph-uri": [str(GRAPH_D05), str(GRAPH_D09)]}
    assert select(server, RELEASES, **params) == [{"r": str(RELEASE_D05)}, {"r": str(RELEASE_D09)}]
    assert select(server, COUNT_TRIPLES, **params) == [{"n": str(graph_sizes[GRAPH_D05] + graph_sizes[GRAPH_D09])}]


@pytest.mark.parametrize("how", TRANSPORTS)
def test_named_graph_uri_restricts_graph_patterns(server, how):
    params = [("named-graph-uri", str(GRAPH_D05)), ("named-graph-uri", str(GRAPH_D09))]
    graphs = send(server, how, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g", params)
    assert graphs.status_code == 200, graphs.text
    assert json_rows(graphs.text) == [{"g": str(GRAPH_D05)}, {"g": str(GRAPH_D09)}]
    releases = send(server, how, PREFIXES + "SELECT ?r WHERE { GRAPH ?g { ?r a nzo:Release } } ORDER BY ?r", params)
    assert json_rows(releases.text) == [{"r": str(RELEASE_D05)}, {"r": str(RELEASE_D09)}]


def test_without_a_dataset_the_default_graph_is_the_union_of_all_graphs(server, graph_sizes):
    assert len(graph_sizes) == RELEASES_SERVED + 3  # the releases, vocab, minted, ontology
    assert select(server, COUNT_TRIPLES) == [{"n": str(sum(graph_sizes.values()))}]
    assert len(select(server, RELEASES)) == RELEASES_SERVED  # one from each release graph
    # a release graph's contribution joined with the vocabulary's label of its operation and the
    # ontology's label of the contribution's class, all without GRAPH
    rows = select(server, PREFIXES + f"""SELECT ?operation ?class WHERE {{
        <{D05_1}> nzo:operation ?op ; a ?c . ?op rdfs:label ?operation . ?c rdfs:label ?class }}""")
    assert rows == [{"operation": "Multinational Force and Observers", "class": "Contribution"}]
    where = select(server, PREFIXES + f"""SELECT DISTINCT ?g WHERE {{ <{D05_1}> nzo:operation ?op . ?op rdfs:label ?l .
        GRAPH ?g {{ ?op rdfs:label ?l }} }}""")
    assert where == [{"g": str(GRAPH_VOCAB)}]


# ---- 2. result formats and content negotiation ------------------------------------------------------------


@pytest.mark.parametrize("name", SOLUTION_FORMATS)
def test_select_result_formats(server, name):
    wanted, rows, _ = SOLUTION_FORMATS[name]
    response = send(server, "get", MFO_PEOPLE, accept=wanted)
    assert response.status_code == 200
    assert media_type(response) == wanted
    assert "Accept" in response.headers["Vary"]
    assert rows(response.text) == MFO_ROWS


@pytest.mark.parametrize("name", SOLUTION_FORMATS)
def test_ask_result_formats(server, name):
    wanted, _, boolean = SOLUTION_FORMATS[name]
    yes = send(server, "post-form", PREFIXES + f"ASK {{ ?c nzo:operation <{MFO}> }}", accept=wanted)
    no = send(server, "post-form", "ASK { <http://example.org/nothing> ?p ?o }", accept=wanted)
    assert (yes.status_code, no.status_code) == (200, 200)
    assert media_type(yes) == media_type(no) == wanted
    assert boolean(yes.text) is True
    assert boolean(no.text) is False


@pytest.mark.parametrize("wanted", RDFLIB_FORMATS, ids=["turtle", "ntriples", "jsonld", "rdfxml"])
def test_construct_result_formats(server, wanted):
    response = send(server, "get", MFO_CONSTRUCT, accept=wanted)
    assert response.status_code == 200
    assert media_type(response) == wanted
    assert "Accept" in response.headers["Vary"]
    graph = parsed_graph(response)
    assert len(graph) == 4
    assert {(s, o.toPython()) for s, o in graph.subject_objects(NZO.personnelCount)} == {(D05_1, 25), (D05_5, 28)}
    assert set(graph.subjects(NZO.operation, MFO)) == {D05_1, D05_5}


@pytest.mark.parametrize("wanted", RDFLIB_FORMATS, ids=["turtle", "ntriples", "jsonld", "rdfxml"])
def test_describe_result_formats(server, corpus, wanted):
    response = send(server, "post-sparql-query", f"DESCRIBE <{RELEASE_D05}>", accept=wanted)
    assert response.status_code == 200
    assert media_type(response) == wanted
    graph = parsed_graph(response)
    expected = {(s, p, norm(o)) for s, p, o, _ in corpus.quads((RELEASE_D05, None, None, None))}
    assert triples_of(graph) == expected
    assert (RELEASE_D05, RDF.type, NZO.Release) in graph
    assert (RELEASE_D05, NZO.mentions, MFO) in graph


@pytest.mark.parametrize(("accept", "query", "expected"), [
    pytest.param("text/csv;q=0.5, application/sparql-results+xml;q=0.9", MFO_PEOPLE, XML_TYPE, id="q-values-select"),
    pytest.param("application/n-triples;q=0.2, application/rdf+xml;q=0.8, text/csv", MFO_CONSTRUCT,
                 "application/rdf+xml", id="q-values-construct"),
    pytest.param("*/*", MFO_PEOPLE, JSON_TYPE, id="any-select-json"),
    pytest.param("*/*", MFO_CONSTRUCT, "text/turtle", id="any-construct-turtle"),
    pytest.param(None, MFO_PEOPLE, JSON_TYPE, id="no-accept-select-json"),
    pytest.param(None, MFO_CONSTRUCT, "text/turtle", id="no-accept-construct-turtle"),
    pytest.param("application/json", MFO_PEOPLE, JSON_TYPE, id="application-json-select"),
])
def test_accept_chooses_the_format(server, accept, query, expected):
    response = requests.get(server + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200
    assert media_type(response) == expected
    assert "Accept" in response.headers["Vary"]
    if expected in RDFLIB_FORMATS:
        assert {(s, o.toPython()) for s, o in parsed_graph(response).subject_objects(NZO.personnelCount)} == {
            (D05_1, 25), (D05_5, 28)}
    else:
        rows = json_rows if expected == JSON_TYPE else xml_rows
        assert rows(response.text) == MFO_ROWS


@pytest.mark.parametrize(("how", "fmt", "accept", "query", "expected"), [
    pytest.param("get", "csv", JSON_TYPE, MFO_PEOPLE, "text/csv", id="csv-over-json"),
    pytest.param("post-form", "tsv", "text/csv", MFO_PEOPLE, "text/tab-separated-values", id="tsv-over-csv"),
    pytest.param("get", "nt", "text/turtle", MFO_CONSTRUCT, "application/n-triples", id="ntriples-over-turtle"),
])
def test_format_parameter_overrides_accept(server, how, fmt, accept, query, expected):
    response = send(server, how, query, [("format", fmt)], accept=accept)
    assert response.status_code == 200
    assert media_type(response) == expected
    if expected == "text/csv":
        assert csv_rows(response.text) == MFO_ROWS
    elif expected == "text/tab-separated-values":
        assert tsv_rows(response.text) == MFO_ROWS
    else:
        assert len(parsed_graph(response)) == 4


# ---- 3. errors --------------------------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parsers_message(server):
    bad = "SELECT * WHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as parser:
        ox.Store().query(bad)
    response = send(server, "get", bad)
    assert_plain_error(response, 400, "malformed query", " ".join(str(parser.value).split()))


@pytest.mark.parametrize("data", [
    pytest.param("", id="empty-form"),
    pytest.param({"default-graph-uri": str(GRAPH_D05)}, id="form-without-query"),
])
def test_post_without_a_query_is_400(server, data):
    response = post_form(server, data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_plain_error(response, 400, "no query")


@pytest.mark.parametrize("how", ["get", "post-form", "form-and-url"])
def test_two_queries_are_400(server, how):
    url = server + "/sparql"
    if how == "get":
        response = requests.get(url, params=[("query", "ASK {}"), ("query", "ASK {}")], timeout=30)
    elif how == "post-form":
        response = requests.post(url, data=[("query", "ASK {}"), ("query", "ASK {}")], timeout=30)
    else:
        response = requests.post(url, params={"query": "ASK {}"}, data={"query": "ASK {}"}, timeout=30)
    assert_plain_error(response, 400, "more than one query")


def test_query_in_url_and_in_sparql_query_body_is_400(server):
    response = requests.post(server + "/sparql", params={"query": "ASK {}"}, data=b"ASK {}",
                             headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert_plain_error(response, 400, "send one")


def test_post_with_an_unsupported_content_type_is_415(server):
    response = requests.post(server + "/sparql", data=b"ASK {}", headers={"Content-Type": "text/plain"}, timeout=30)
    assert_plain_error(response, 415, "text/plain", "application/sparql-query")


def test_non_utf8_query_body_is_400(server):
    response = requests.post(server + "/sparql", data=b"SELECT * WHERE { ?s ?p \xff }",
                             headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert_plain_error(response, 400, "UTF-8")


@pytest.mark.parametrize("query", [MFO_PEOPLE, MFO_CONSTRUCT], ids=["select", "construct"])
def test_unsupported_accept_is_406(server, query):
    response = send(server, "get", query, accept="image/png")
    assert_plain_error(response, 406, "accept")


def test_graph_type_for_a_select_is_406(server):
    response = send(server, "get", MFO_PEOPLE, accept="text/turtle")
    assert_plain_error(response, 406, "solutions")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(server, method):
    response = requests.request(method, server + "/sparql", data=b"ASK {}",
                                headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert_plain_error(response, 405, "not allowed")
    allowed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert {"GET", "POST"} <= allowed
    assert method not in allowed


INSERTED = "ASK { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
INSERT = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"


@pytest.mark.parametrize("how", ["update-form", "update-get", "sparql-update-body"])
def test_update_operation_is_403(server, how):
    url = server + "/sparql"
    if how == "update-form":
        response = requests.post(url, data={"update": INSERT}, timeout=30)
    elif how == "update-get":
        response = requests.get(url, params={"update": INSERT}, timeout=30)
    else:
        response = requests.post(url, data=INSERT.encode(), headers={"Content-Type": "application/sparql-update"},
                                 timeout=30)
    assert_plain_error(response, 403, "read-only")
    assert ask(server, INSERTED) is False


UPDATES = {
    "insert-data": INSERT,
    "delete-where": "DELETE WHERE { ?s ?p ?o }",
    "load": "LOAD <http://127.0.0.1:1/x>",
    "clear-all": "CLEAR ALL",
    "drop-graph": f"DROP GRAPH <{GRAPH_D05}>",
    "create-graph": "CREATE GRAPH <http://example.org/g>",
    "add": f"ADD <{GRAPH_D05}> TO <http://example.org/g>",
    "move": f"MOVE <{GRAPH_D05}> TO <http://example.org/g>",
    "copy": f"COPY <{GRAPH_D05}> TO <http://example.org/g>",
    "with-delete-insert": f"WITH <{GRAPH_D05}> DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o }}",
    "prefixes-and-comments": (f"# tidy up\nPREFIX nzo: <{NZO}>\nBASE <http://example.org/>\n# the release\n"
                              "PREFIX ex: <http://example.org/> # inline\nDELETE DATA { ex:a nzo:p ex:c }"),
    "lower-case": "prefix ex: <http://example.org/>\ninsert data { ex:a ex:b ex:c }",
    "lower-case-with": "with <http://example.org/g> delete { ?s ?p ?o } where { ?s ?p ?o }",
    "tight-prefix": "PREFIX ex:<http://example.org/>INSERT DATA{ex:a ex:b ex:c}",
}


@pytest.mark.parametrize("how", ["get", "post-form", "post-sparql-query"])
@pytest.mark.parametrize("update", UPDATES.values(), ids=UPDATES.keys())
def test_update_in_a_query_is_403(server, update, how):
    assert_plain_error(send(server, how, update), 403, "read-only")


def test_updates_changed_nothing(server, graph_sizes):
    assert ask(server, INSERTED) is False
    assert select(server, COUNT_TRIPLES) == [{"n": str(sum(graph_sizes.values()))}]


SERVICES = {
    "service": "SELECT * WHERE { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "service-silent-lower-case": "select * where { service silent <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "comment-before": ("# ask elsewhere\nSELECT * WHERE {\n  # really\n"
                       "  SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }"),
    "after-a-pattern": (PREFIXES + "SELECT * WHERE { ?r a nzo:Release .\n"
                        "  Service <http://127.0.0.1:PORT/sparql> { ?r ?p ?o } }"),
}


@pytest.mark.parametrize("template", SERVICES.values(), ids=SERVICES.keys())
def test_service_is_400_and_never_runs(server, template):
    response, sent = outbound(server, template)
    assert_plain_error(response, 400, "SERVICE is not allowed")
    assert sent is None, f"the server connected out and sent {sent!r}"


def test_service_after_an_escaped_hash_in_a_prefixed_name_is_400(server):
    response, sent = outbound(server, "PREFIX ex: <http://example.org/>\n"
                                      "SELECT * WHERE { BIND(ex:a\\# AS ?x) SERVICE SILENT "
                                      "<http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }")
    assert sent is None, f"the server connected out and sent {sent!r}"
    assert_plain_error(response, 400, "SERVICE is not allowed")


@pytest.mark.parametrize(("query", "expected"), [
    pytest.param('SELECT ?text WHERE { BIND("no SERVICE here" AS ?text) }', [{"text": "no SERVICE here"}],
                 id="string-literal"),
    pytest.param("SELECT ?text WHERE { BIND('''a\nservice''' AS ?text) }", [{"text": "a\nservice"}],
                 id="long-string-literal"),
    pytest.param('SELECT ?text WHERE { BIND("say \\"SERVICE\\"" AS ?text) }', [{"text": 'say "SERVICE"'}],
                 id="escaped-quotes"),
    pytest.param("SELECT ?iri WHERE { BIND(<http://example.org/service> AS ?iri) }",
                 [{"iri": "http://example.org/service"}], id="iri"),
    pytest.param(f"# SERVICE <http://127.0.0.1:1/sparql>\nSELECT ?r WHERE {{ ?r a <{NZO.Release}> }} # service\n"
                 f"ORDER BY ?r LIMIT 1", [{"r": f"{ID}release/d01_un-command-commitment"}], id="comment"),
    pytest.param(f"SELECT ?service WHERE {{ ?service a <{NZO.Release}> FILTER(?service = <{RELEASE_D05}>) }}",
                 [{"service": str(RELEASE_D05)}], id="variable"),
    pytest.param(f"PREFIX service: <{ID}release/>\nSELECT ?r WHERE {{ BIND(service:d05_sinai-engineers-2016 AS ?r) }}",
                 [{"r": str(RELEASE_D05)}], id="prefix-name"),
])
def test_service_only_as_text_is_answered(server, query, expected):
    response = send(server, "post-form", query)
    assert response.status_code == 200, response.text
    assert json_rows(response.text) == expected


@pytest.mark.parametrize("local", ["field-service", "civil.service"])
def test_service_inside_a_prefixed_name_is_answered(server, local):
    query = f"PREFIX ex: <http://example.org/>\nSELECT ?x WHERE {{ BIND(ex:{local} AS ?x) }}"
    response = send(server, "post-form", query)
    assert response.status_code == 200, response.text
    assert json_rows(response.text) == [{"x": f"http://example.org/{local}"}]


# ---- 4. limits --------------------------------------------------------------------------------------------


def timed_ask(server: str) -> tuple[int, float, bool, float]:
    started = time.monotonic()
    response = send(server, "get", PREFIXES + f"ASK {{ <{D05_1}> nzo:operation <{MFO}> }}")
    return response.status_code, time.monotonic() - started, response.json()["boolean"], time.monotonic()


def test_runaway_query_is_stopped_while_small_queries_are_answered(server):
    def timed_runaway() -> tuple[requests.Response, float]:
        response = send(server, "post-form", RUNAWAY)
        return response, time.monotonic()

    with ThreadPoolExecutor(4) as pool:
        started = time.monotonic()
        runaway = pool.submit(timed_runaway)
        time.sleep(0.5)  # the runaway now holds one of the two workers
        small = []
        for _ in range(4):
            small += [f.result() for f in [pool.submit(timed_ask, server), pool.submit(timed_ask, server)]]
            time.sleep(0.2)
        response, ended = runaway.result()
    assert_plain_error(response, 503, f"longer than {TIMEOUT:g} s")
    assert TIMEOUT - 0.5 < ended - started < 15
    assert [(status, answer) for status, _, answer, _ in small] == [(200, True)] * 8
    assert max(elapsed for _, elapsed, _, _ in small) < 1
    assert max(finished for *_, finished in small) < ended  # all answered while the runaway ran
    # the stopped worker was replaced: sequential queries go round both workers, all answered
    for _ in range(4):
        status, elapsed, answer, _ = timed_ask(server)
        assert (status, answer) == (200, True) and elapsed < 1


@pytest.fixture(scope="module")
def capped_server(served_graph: Path) -> Iterator[str]:
    process, url = start_server(["--graph", str(served_graph), *LIMITS, "--max-result-mb", "0.001"],
                                served_graph.parent)
    yield url
    stop_server(process)


@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"],
                         ids=["select", "construct"])
def test_result_larger_than_the_cap_is_413(capped_server, query):
    response = send(capped_server, "get", query, accept="*/*")
    assert_plain_error(response, 413, "larger than 1000 bytes", "LIMIT")


def test_small_result_under_the_cap_is_answered(capped_server):
    assert select(capped_server, MFO_PEOPLE) == MFO_ROWS
    assert ask(capped_server, PREFIXES + "ASK { ?r a nzo:Release }") is True


def test_capped_server_still_describes_itself(capped_server):
    response = requests.get(capped_server + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200, response.text[:200]
    assert (URIRef(capped_server + "/sparql"), RDF.type, SD.Service) in parsed_graph(response)


# ---- 5. service description and VoID ---------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["text/turtle", None], ids=["turtle", "no-accept"])
def test_service_description(server, graph_sizes, accept):
    response = requests.get(server + "/sparql", headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200
    assert media_type(response) == "text/turtle"
    graph = parsed_graph(response)
    endpoint = URIRef(server + "/sparql")
    assert (endpoint, RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in graph
    assert set(graph.objects(endpoint, SD.resultFormat)) == {FORMATS[name] for name in [
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
        "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"]}
    (dataset,) = graph.objects(endpoint, SD.defaultDataset)
    (default,) = graph.objects(dataset, SD.defaultGraph)
    assert graph.value(default, VOID.triples).toPython() > 0
    named = {graph.value(n, SD.name): graph.value(graph.value(n, SD.graph), VOID.triples).toPython()
             for n in graph.objects(dataset, SD.namedGraph)}
    assert len(named) == RELEASES_SERVED + 3  # the releases, vocab, minted, ontology
    assert {GRAPH_D05, GRAPH_VOCAB, GRAPH_ONTOLOGY} <= set(named)
    assert named == dict(graph_sizes)


def test_service_description_as_html(server, graph_sizes):
    response = requests.get(server + "/sparql", headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200
    assert media_type(response) == "text/html"
    assert "<html" in response.text
    assert f"<code>{server}/sparql</code>" in response.text
    assert f"{len(graph_sizes)} named graphs" in response.text
    assert str(GRAPH_D05) in response.text


def test_void(server, corpus, graph_sizes):
    response = requests.get(server + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    assert media_type(response) == "text/turtle"
    graph = parsed_graph(response)
    (dataset,) = graph.subjects(RDF.type, VOID.Dataset)
    assert graph.value(dataset, VOID.triples).toPython() == sum(graph_sizes.values())
    assert graph.value(dataset, VOID.entities).toPython() > 0
    classes = {graph.value(p, VOID["class"]): graph.value(p, VOID.entities).toPython()
               for p in graph.objects(dataset, VOID.classPartition)}
    assert graph.value(dataset, VOID.classes).toPython() == len(classes) > 0
    assert classes[NZO.Release] == RELEASES_SERVED
    properties = {graph.value(p, VOID.property): graph.value(p, VOID.triples).toPython()
                  for p in graph.objects(dataset, VOID.propertyPartition)}
    assert properties[NZO.personnelCount] == len(list(corpus.quads((None, NZO.personnelCount, None, None))))
    assert set(graph.objects(dataset, VOID.dataDump)) == {URIRef(server + f"/dump.{k}") for k in ("ttl", "trig", "nq")}
    assert graph.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(server + "/sparql")


@pytest.fixture(scope="module")
def many_graphs_server(tmp_path_factory) -> Iterator[str]:
    """A dataset of more named graphs than the description lists, served from the store on disk."""
    folder = tmp_path_factory.mktemp("many-graphs")
    graph = folder / "many.nq"
    graph.write_text("".join(f"<{ID}thing/{n}> <{RDFS.label}> \"thing {n}\" <{ID}graph/{n}> .\n"
                             for n in range(LISTED_GRAPHS_MAX + 1)))
    process, url = start_server(["--graph", str(graph), "--workers", "1", "--on-disk"], folder)
    yield url
    stop_server(process)


def test_a_dataset_of_too_many_graphs_to_list_is_described_by_their_number(many_graphs_server):
    turtle = requests.get(many_graphs_server + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    graph = parsed_graph(turtle)
    (dataset,) = graph.objects(URIRef(many_graphs_server + "/sparql"), SD.defaultDataset)
    assert list(graph.objects(dataset, SD.namedGraph)) == []
    assert graph.value(graph.value(dataset, SD.defaultGraph), VOID.triples).toPython() == LISTED_GRAPHS_MAX + 1
    page = requests.get(many_graphs_server + "/sparql", headers={"Accept": "text/html"}, timeout=30).text
    assert f"{LISTED_GRAPHS_MAX + 1} named graphs" in page and "too many to list" in page
    assert f"{ID}graph/7" not in page


def test_the_store_on_disk_answers_as_the_copy_in_memory_does(many_graphs_server):
    query = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{ID}thing/7> ?p ?o }} }}"
    assert select(many_graphs_server, query) == [{"g": f"{ID}graph/7"}]


# ---- 6. CORS ----------------------------------------------------------------------------------------------

ORIGIN = "https://analyst.example.org"


@pytest.mark.parametrize("how", ["get", "post-form"])
def test_cors_on_queries(server, how):
    url = server + "/sparql"
    headers = {"Origin": ORIGIN, "Accept": JSON_TYPE}
    if how == "get":
        response = requests.get(url, params={"query": MFO_PEOPLE}, headers=headers, timeout=30)
    else:
        response = requests.post(url, data={"query": MFO_PEOPLE}, headers=headers, timeout=30)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] in (ORIGIN, "*")
    assert json_rows(response.text) == MFO_ROWS


def test_cors_preflight(server):
    response = requests.options(server + "/sparql", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        timeout=30)
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] in (ORIGIN, "*")
    assert "POST" in {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


# ---- 7. real clients --------------------------------------------------------------------------------------

RELEASE_COUNT = PREFIXES + "SELECT (COUNT(?r) AS ?n) WHERE { ?r a nzo:Release }"
RELEASE_CONSTRUCT = PREFIXES + "CONSTRUCT { ?r a nzo:Release } WHERE { ?r a nzo:Release }"


def wrapper(server: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize(("fmt", "method"), [(JSON, GET), (XML, POST), (CSV, GET), (TSV, POST)],
                         ids=["json-get", "xml-post", "csv-get", "tsv-post"])
def test_sparqlwrapper_select(server, fmt, method):
    result = wrapper(server, MFO_PEOPLE, fmt, method).query()
    assert result.response.status == 200
    converted = result.convert()
    if fmt == JSON:
        rows = [{k: v["value"] for k, v in b.items()} for b in converted["results"]["bindings"]]
    elif fmt == XML:
        rows = xml_rows(converted.toxml())
    elif fmt == CSV:
        rows = csv_rows(converted.decode())
    else:
        rows = tsv_rows(converted.decode())
    assert rows == MFO_ROWS


@pytest.mark.parametrize(("fmt", "method"), [(TURTLE, GET), (JSONLD, POST)], ids=["turtle-get", "jsonld-post"])
def test_sparqlwrapper_construct(server, fmt, method):
    result = wrapper(server, RELEASE_CONSTRUCT, fmt, method).query()
    converted = result.convert()
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="turtle")
    assert len(graph) == RELEASES_SERVED
    assert RELEASE_D05 in set(graph.subjects(RDF.type, NZO.Release))


def test_sparqlwrapper_count(server):
    converted = wrapper(server, RELEASE_COUNT, JSON, POST).query().convert()
    assert converted["results"]["bindings"][0]["n"]["value"] == str(RELEASES_SERVED)


def test_rdflib_sparqlstore(server, corpus):
    graph = Graph(store=SPARQLStore(server + "/sparql"))
    assert [row.n.toPython() for row in graph.query(RELEASE_COUNT)] == [RELEASES_SERVED]
    people = {(row.c, row.n.toPython()) for row in graph.query(MFO_PEOPLE)}
    assert people == {(D05_1, 25), (D05_5, 28)}
    releases = {s for s, _, _ in graph.triples((None, RDF.type, NZO.Release))}
    assert releases == {s for s, _, _, _ in corpus.quads((None, RDF.type, NZO.Release, None))}
    assert len(releases) == RELEASES_SERVED


# ---- 8. dumps and export ----------------------------------------------------------------------------------


def test_dump_ttl_is_the_union(server, corpus_quads):
    response = requests.get(server + "/dump.ttl", timeout=60)
    assert response.status_code == 200
    assert media_type(response) == "text/turtle"
    graph = Graph().parse(data=response.content, format="turtle")
    union = {(s, p, o) for s, p, o, _ in corpus_quads}
    assert len(graph) == len(union)
    assert triples_of(graph) == union


@pytest.mark.parametrize(("kind", "wanted", "fmt"), [("trig", "application/trig", "trig"),
                                                     ("nq", "application/n-quads", "nquads")])
def test_dump_with_graphs(server, corpus_quads, kind, wanted, fmt):
    response = requests.get(server + f"/dump.{kind}", timeout=60)
    assert response.status_code == 200
    assert media_type(response) == wanted
    dataset = Dataset()
    dataset.parse(data=response.content, format=fmt)
    quads = quads_of(dataset)
    assert len(list(dataset.quads())) == len(corpus_quads)
    assert quads == corpus_quads


EXPORTS = {f.extension[1:]: f for f in RDF_FORMATS}  # `nzkg export --format` names a syntax by its extension


@pytest.fixture(scope="module")
def exports(served_graph: Path, tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """`nzkg export` in each format, run side by side."""
    folder = tmp_path_factory.mktemp("export")
    running = {}
    for kind in EXPORTS:
        output = folder / f"kg.{kind}"
        command = [sys.executable, "-m", "nzkg.cli", "export", "--format", kind, "--graph", str(served_graph),
                   "--output", str(output)]
        running[kind] = (subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE), output)
    done = {}
    for kind, (process, output) in running.items():
        out, err = process.communicate(timeout=120)
        done[kind] = (subprocess.CompletedProcess(process.args, process.returncode, out, err), output)
    return done


@pytest.mark.parametrize("kind", EXPORTS)
def test_export(exports, corpus_quads, kind):
    finished, output = exports[kind]
    assert finished.returncode == 0, finished.stderr
    assert f"wrote {output}" in finished.stderr.decode()
    if not EXPORTS[kind].keeps_graphs:  # the union of the graphs
        graph = Graph().parse(output, format=EXPORTS[kind].rdflib)
        assert triples_of(graph) == {(s, p, o) for s, p, o, _ in corpus_quads}
    else:
        dataset = Dataset()
        dataset.parse(output, format=EXPORTS[kind].rdflib)
        assert len(list(dataset.quads())) == len(corpus_quads)
        assert quads_of(dataset) == corpus_quads


def served_datatypes(where: str, server: str, exports) -> set[URIRef]:
    if where == "sparql":
        rows = select(server, PREFIXES + "SELECT DISTINCT (DATATYPE(?n) AS ?t) WHERE { ?c nzo:personnelCount ?n }")
        return {URIRef(row["t"]) for row in rows}
    dataset = Dataset()
    if where == "dump":
        dataset.parse(data=requests.get(server + "/dump.nq", timeout=60).content, format="nquads")
    else:
        dataset.parse(exports["nq"][1], format="nquads")
    return {o.datatype for _, _, o, _ in dataset.quads((None, NZO.personnelCount, None, None))}


@pytest.mark.parametrize("where", ["sparql", "dump", "export"])
def test_served_counts_keep_their_value_as_integers(server, corpus, exports, where):
    """The graph file says xsd:nonNegativeInteger; Oxigraph keeps primitive datatypes only and serves the same
    number as xsd:integer (the README says so)."""
    assert {o.datatype for _, _, o, _ in corpus.quads((None, NZO.personnelCount, None, None))} == {
        XSD.nonNegativeInteger}
    assert served_datatypes(where, server, exports) == {XSD.integer}


# ---- 9. `nzkg serve` refusing to start --------------------------------------------------------------------


def serve_error(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nzkg.cli", "serve", "--port", str(free_port()), *args],
                          capture_output=True, text=True, timeout=60)


def test_serve_with_a_missing_graph_exits_2(tmp_path):
    missing = tmp_path / "missing.trig"
    finished = serve_error("--graph", str(missing))
    assert finished.returncode == 2
    assert finished.stderr.strip() == f"nzkg: {missing}: no such graph file"
    assert finished.stdout == ""


@pytest.mark.parametrize("folder", ["empty", "graph-folder", "missing"])
def test_serve_with_a_folder_that_is_not_a_store_exits_2(tmp_path, served_graph, folder):
    path = {"empty": tmp_path, "graph-folder": served_graph.parent, "missing": tmp_path / "nothing"}[folder]
    finished = serve_error("--store", str(path))
    assert finished.returncode == 2
    lines = finished.stderr.strip().splitlines()
    assert lines == [f"nzkg: {path}: not an Oxigraph store directory"]
