"""Linked-data pages, the ontology and the query page, served by the real server."""

from __future__ import annotations

import requests
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

NZO = "https://w3id.org/nzkg/ontology#"
ID = "https://w3id.org/nzkg/id/"


def test_a_contribution_page_shows_its_evidence_and_source(server: str) -> None:
    response = requests.get(f"{server}/id/contribution/d05_sinai-engineers-2016-1", timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert "Accept" in response.headers["Vary"]
    page = response.text
    assert "<blockquote>New Zealand’s Cabinet has agreed to deploy an additional 25 New Zealand Defence Force" in page
    assert 'href="/id/release/d05_sinai-engineers-2016"' in page
    assert 'href="https://jwire.com.au/nzdf-engineers-deployed-sinai"' in page
    assert 'href="/id/operation/mfo"' in page


def test_a_resource_page_lists_properties_and_incoming_links(server: str) -> None:
    page = requests.get(f"{server}/id/operation/mfo", timeout=30).text
    assert "<h1>Multinational Force and Observers</h1>" in page
    assert "Also called" in page and "MFO" in page
    assert "Linked from" in page and 'href="/id/contribution/d05_sinai-engineers-2016-1"' in page


def test_resource_pages_come_as_rdf_by_accept(server: str) -> None:
    iri = URIRef(ID + "operation/mfo")
    for media_type, rdflib_format in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                      ("application/n-triples", "nt")):
        response = requests.get(f"{server}/id/operation/mfo", headers={"Accept": media_type}, timeout=30)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
        graph = Graph().parse(data=response.text, format=rdflib_format)
        assert (iri, RDF.type, URIRef(NZO + "Operation")) in graph
        assert (None, URIRef(NZO + "operation"), iri) in graph  # incoming links too
    turtle = requests.get(f"{server}/id/operation/mfo?format=turtle", timeout=30)
    assert turtle.headers["Content-Type"].startswith("text/turtle")


def test_unknown_and_malformed_resources_are_not_found(server: str) -> None:
    assert requests.get(f"{server}/id/operation/no-such-thing", timeout=30).status_code == 404
    assert requests.get(f"{server}/id/operation/a%3E%20%3Cb", timeout=30).status_code == 404


def test_the_ontology_as_turtle_and_as_a_page(server: str) -> None:
    turtle = requests.get(f"{server}/ontology", headers={"Accept": "text/turtle"}, timeout=30)
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(NZO + "Contribution"), None, None) in graph
    page = requests.get(f"{server}/ontology", headers={"Accept": "text/html"}, timeout=30).text
    assert 'id="Contribution"' in page and "One New Zealand contribution as stated by one release" in page
    assert 'id="personnelCount"' in page


def test_the_query_page_offers_the_example_queries(server: str) -> None:
    page = requests.get(f"{server}/", timeout=30).text
    assert '<textarea id="query"' in page
    assert "New Zealand&#39;s contributions" in page or "New Zealand's contributions" in page
    assert "cdn" not in page.lower() and "https://" not in page.split("<main>")[0].replace(
        'href="https://', "")


def test_the_query_page_assets_are_served_locally(server: str) -> None:
    script = requests.get(f"{server}/static/query.js", timeout=30)
    assert script.status_code == 200 and "textContent" in script.text and "innerHTML" not in script.text
    assert requests.get(f"{server}/static/style.css", timeout=30).status_code == 200


def test_literal_values_show_as_text(server: str) -> None:
    page = requests.get(f"{server}/id/contribution/d05_sinai-engineers-2016-5", timeout=30).text
    assert "<td>28</td>" in page and "<td>2018-07</td>" in page


def test_an_operation_page_shows_its_own_timeline(server: str) -> None:
    page = requests.get(f"{server}/id/operation/mfo", timeout=60).text
    timeline = page.split('<figure class="timeline">', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in timeline and "personnel" in timeline
    assert "28 personnel" in timeline
    assert "figure class=\"timeline\"" not in requests.get(f"{server}/id/place/egypt", timeout=60).text
