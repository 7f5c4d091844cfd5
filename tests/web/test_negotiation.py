"""Content negotiation, route by route, for every format the format table gives the route: asked for by Accept
(q-values honoured, the media types clients use for it) and by `format=`, answered with its media type and a body
rdflib reads back; 406 for what the route does not serve. The rule itself is tested on werkzeug's parser."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from rdflib import Dataset, URIRef
from rdflib.namespace import OWL, RDF
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from nzkg.formats import FORMATS, HTML, RDF_FORMATS, SOLUTION_FORMATS, by_name, negotiate, rdf_file_format

NZO = "https://w3id.org/nzkg/ontology#"
ID = "https://w3id.org/nzkg/id/"
MFO = URIRef(ID + "operation/mfo")
CONSTRUCT = f"CONSTRUCT {{ ?c <{NZO}operation> <{MFO}> }} WHERE {{ ?c <{NZO}operation> <{MFO}> }}"
SELECT = f"SELECT ?c WHERE {{ ?c <{NZO}operation> <{MFO}> }}"
SD_SERVICE = URIRef("http://www.w3.org/ns/sparql-service-description#Service")
VOID_DATASET = URIRef("http://rdfs.org/ns/void#Dataset")


def accept(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


def read(response: requests.Response) -> Dataset:
    """The body as rdflib reads it, by the media type the server said it has."""
    media_type = response.headers["Content-Type"].split(";")[0]
    fmt = next(f for f in RDF_FORMATS if f.media_type == media_type)
    dataset = Dataset(default_union=True)
    dataset.parse(data=response.content, format=fmt.rdflib)
    return dataset


# ---- the rule -------------------------------------------------------------------------------------------


def test_q_values_decide_and_ties_go_to_the_earlier_format() -> None:
    assert negotiate(accept("text/turtle;q=0.5, application/rdf+xml"), RDF_FORMATS) == by_name("rdfxml")
    assert negotiate(accept("*/*"), RDF_FORMATS) == RDF_FORMATS[0]
    assert negotiate(accept("*/*"), (HTML, *RDF_FORMATS)) == HTML
    assert negotiate(accept("text/*"), SOLUTION_FORMATS) == by_name("csv")


def test_the_media_types_clients_use_for_a_format_choose_it() -> None:
    assert negotiate(accept("application/json"), SOLUTION_FORMATS) == by_name("json")
    assert negotiate(accept("application/json"), RDF_FORMATS) == by_name("jsonld")
    assert negotiate(accept("application/xml"), RDF_FORMATS) == by_name("rdfxml")
    assert negotiate(accept("application/x-turtle"), RDF_FORMATS) == by_name("turtle")


def test_no_accept_header_gets_the_default_and_an_unserved_one_none() -> None:
    assert negotiate(accept(""), RDF_FORMATS, HTML) == HTML
    assert negotiate(accept("image/png"), RDF_FORMATS, HTML) is None
    assert negotiate(accept("text/turtle;q=0"), (by_name("turtle"),)) is None


def test_every_format_has_one_media_type_and_rdf_ones_a_file_extension() -> None:
    assert len({f.media_type for f in FORMATS}) == len(FORMATS)
    for fmt in RDF_FORMATS:
        assert rdf_file_format(Path(f"kg{fmt.extension.upper()}")) == fmt
    with pytest.raises(ValueError, match="unknown RDF format"):
        rdf_file_format(Path("kg.xlsx"))


# ---- the routes -----------------------------------------------------------------------------------------


def documents(server: str) -> dict[str, tuple[str, tuple]]:
    """Each RDF document the server has, and a triple it must hold."""
    return {
        "resource": (f"{server}/id/operation/mfo", (MFO, RDF.type, URIRef(NZO + "Operation"))),
        "ontology": (f"{server}/ontology", (URIRef(NZO.rstrip("#")), RDF.type, OWL.Ontology)),
        "service description": (f"{server}/sparql", (URIRef(f"{server}/sparql"), RDF.type, SD_SERVICE)),
        "void": (f"{server}/.well-known/void", (URIRef(f"{server}/.well-known/void#dataset"), RDF.type,
                                               VOID_DATASET)),
    }


@pytest.mark.parametrize("document", ["resource", "ontology", "service description", "void"])
@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=[f.name for f in RDF_FORMATS])
def test_every_document_comes_in_every_rdf_format(server: str, document: str, fmt) -> None:
    url, triple = documents(server)[document]
    for asked in ({"headers": {"Accept": fmt.media_type}}, {"params": {"format": fmt.name}},
                  {"headers": {"Accept": f"text/html;q=0.2, {fmt.media_type};q=0.9"}}):
        response = requests.get(url, timeout=30, **asked)
        assert response.status_code == 200, (asked, response.text)
        assert response.headers["Content-Type"] == fmt.content_type
        assert "Accept" in response.headers["Vary"]
        assert triple in read(response)


@pytest.mark.parametrize("document", ["resource", "ontology", "service description", "void"])
def test_every_document_comes_as_a_page_to_browsers(server: str, document: str) -> None:
    url, _ = documents(server)[document]
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = requests.get(url, headers={"Accept": browser}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("document", ["resource", "ontology", "service description", "void"])
def test_a_document_in_no_served_format_is_406_and_an_unknown_format_name_400(server: str, document: str) -> None:
    url, _ = documents(server)[document]
    refused = requests.get(url, headers={"Accept": "image/png"}, timeout=30)
    assert refused.status_code == 406 and "text/turtle" in refused.text
    unknown = requests.get(url, params={"format": "xlsx"}, timeout=30)
    assert unknown.status_code == 400 and "xlsx" in unknown.text


def test_turtle_documents_carry_the_prefixes_they_use(server: str) -> None:
    turtle = requests.get(f"{server}/id/operation/mfo", headers={"Accept": "text/turtle"}, timeout=30).text
    assert f"@prefix nzo: <{NZO}> ." in turtle and "a nzo:Operation" in turtle
    assert "@prefix geo:" not in turtle  # a namespace it does not use


RESULTS = [(CONSTRUCT, f) for f in RDF_FORMATS] + [(SELECT, f) for f in SOLUTION_FORMATS]


@pytest.mark.parametrize(("query", "fmt"), RESULTS, ids=[f"{q.split()[0]}-{f.name}" for q, f in RESULTS])
def test_results_come_in_every_format_of_their_query_form(server: str, query: str, fmt) -> None:
    for asked in ({"headers": {"Accept": fmt.media_type}}, {"params": {"format": fmt.name}}):
        params = {"query": query, **asked.get("params", {})}
        response = requests.get(f"{server}/sparql", params=params, headers=asked.get("headers"), timeout=30)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"] == fmt.content_type
        if query == CONSTRUCT:
            assert len(read(response)) >= 2
        else:
            assert "d05_sinai-engineers-2016-1" in response.text


@pytest.mark.parametrize("extension", [".ttl", ".trig", ".nq"])
def test_dumps_come_in_their_format(server: str, extension: str) -> None:
    fmt = rdf_file_format(Path(f"nzkg{extension}"))
    response = requests.get(f"{server}/dump{extension}", timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    dataset = read(response)
    assert (MFO, RDF.type, URIRef(NZO + "Operation")) in dataset
    graphs = {g.identifier for g in dataset.graphs() if len(g)}
    assert (URIRef(ID + "graph/vocab") in graphs) == fmt.keeps_graphs
    assert requests.get(f"{server}/dump.xlsx", timeout=30).status_code == 404


def test_turtle_results_carry_the_prefixes_they_use(server: str) -> None:
    response = requests.get(f"{server}/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/turtle"},
                            timeout=30)
    assert f"@prefix nzo: <{NZO}> ." in response.text and "@prefix contribution: <" in response.text
    assert "@prefix geo:" not in response.text
    assert (None, URIRef(NZO + "operation"), MFO) in read(response)


def test_a_named_graph_comes_as_its_triples(server: str) -> None:
    url = f"{server}/id/graph/d05_sinai-engineers-2016"
    dataset = read(requests.get(url, headers={"Accept": "application/n-triples"}, timeout=30))
    assert (URIRef(ID + "release/d05_sinai-engineers-2016"), RDF.type, URIRef(NZO + "Release")) in dataset
    assert requests.get(f"{server}/id/graph/no-such-graph", headers={"Accept": "text/turtle"},
                        timeout=30).status_code == 404


def test_not_found_is_a_page_for_browsers_and_a_line_for_other_clients(server: str) -> None:
    browser = requests.get(f"{server}/no/such/thing", headers={"Accept": "text/html,*/*;q=0.8"}, timeout=30)
    assert browser.status_code == 404 and browser.headers["Content-Type"].startswith("text/html")
    assert "<h1>404: not found</h1>" in browser.text
    client = requests.get(f"{server}/no/such/thing", timeout=30)
    assert client.status_code == 404 and client.text == "not found\n"


@pytest.fixture(scope="module")
def odd_names_server(vocab, tmp_path_factory):
    """A graph of releases whose file names need percent-encoding in an IRI."""
    from conftest import LIMITS, start_server, stop_server  # tests/web/conftest.py

    from nzkg.build import build, write_output

    folder = tmp_path_factory.mktemp("odd-names")
    for name in ("a b.md", "50%.md"):
        (folder / name).write_text("---\ntitle: Odd name\ndate: 2020-01-01\n---\n\nNew Zealand will deploy five "
                                   "personnel to the Multinational Force and Observers.\n")
    write_output(build([folder], vocab=vocab, progress=False), folder / "kg.trig")
    process, url = start_server(["--graph", str(folder / "kg.trig"), *LIMITS], folder)
    yield url
    stop_server(process)


@pytest.mark.parametrize(("path", "iri"), [("release/a%20b", "release/a%20b"), ("release/50%25", "release/50%25")])
def test_iris_with_percent_escapes_have_pages(odd_names_server: str, path: str, iri: str) -> None:
    page = requests.get(f"{odd_names_server}/id/{path}", timeout=30)
    assert page.status_code == 200 and "<h1>Odd name</h1>" in page.text
    assert f'href="/id/contribution/{path.split("/")[1]}-1"' in page.text  # links that lead back here
    triples = read(requests.get(f"{odd_names_server}/id/{path}", headers={"Accept": "text/turtle"}, timeout=30))
    assert (URIRef(ID + iri), RDF.type, URIRef(NZO + "Release")) in triples
