"""The ontology: every term documented, typed and aligned, as outside users and the endpoint rely on it."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from nzkg.paths import ONTOLOGY_FILE

NZO = "https://w3id.org/nzkg/ontology#"
CORE = ["Release", "Minister", "Portfolio", "Operation", "Organisation", "Place", "Contribution", "sourceFile",
        "announcedBy", "portfolio", "mentions", "location", "ledBy", "partOf", "countryCode", "operation",
        "recipient", "contributor", "personnelCount", "personnelTotal", "role", "startDate", "endDate", "amount",
        "cost", "currency", "status", "evidence", "concluded", "withdrawn", "WordList", "word", "cue"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


def terms(ontology: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in ontology.subjects(RDF.type, kind) if str(s).startswith(NZO))


def test_core_vocabulary_is_defined(ontology: Graph) -> None:
    defined = {str(s) for s in ontology.subjects(RDF.type, None)}
    assert [t for t in CORE if NZO + t not in defined] == []


def test_every_class_and_property_has_a_label_and_a_comment(ontology: Graph) -> None:
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in terms(ontology, kind):
            assert ontology.value(term, RDFS.label) is not None, term
            assert ontology.value(term, RDFS.comment) is not None, term


def test_every_property_has_a_domain_and_a_range(ontology: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in terms(ontology, kind):
            assert ontology.value(term, RDFS.domain) is not None, term
            assert ontology.value(term, RDFS.range) is not None, term


@pytest.mark.parametrize("term, parent", [
    ("Release", "https://schema.org/NewsArticle"), ("Release", "http://www.w3.org/ns/prov#Entity"),
    ("Minister", "https://schema.org/Person"), ("Minister", "http://xmlns.com/foaf/0.1/Person"),
    ("Organisation", "http://www.w3.org/ns/org#Organization"), ("Place", "https://schema.org/Place"),
    ("Operation", "https://schema.org/Event"),
])
def test_classes_align_with_standard_vocabularies(ontology: Graph, term: str, parent: str) -> None:
    assert (URIRef(NZO + term), RDFS.subClassOf, URIRef(parent)) in ontology


@pytest.mark.parametrize("term, parent", [
    ("startDate", "https://schema.org/startDate"), ("endDate", "https://schema.org/endDate"),
    ("mentions", "https://schema.org/mentions"),
])
def test_properties_align_with_standard_vocabularies(ontology: Graph, term: str, parent: str) -> None:
    assert (URIRef(NZO + term), RDFS.subPropertyOf, URIRef(parent)) in ontology


def test_part_of_is_transitive_and_the_header_is_complete(ontology: Graph) -> None:
    assert (URIRef(NZO + "partOf"), RDF.type, OWL.TransitiveProperty) in ontology
    header = URIRef("https://w3id.org/nzkg/ontology")
    for predicate in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license,
                      URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")):
        assert ontology.value(header, predicate) is not None, predicate
