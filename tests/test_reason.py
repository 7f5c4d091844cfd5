"""OWL RL closure: entailments land in graph/inferred and nowhere else, and they are owlrl's."""

from __future__ import annotations

from pathlib import Path

import pytest
from owl_reference import owlrl_inferred  # tests/owl_reference.py
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, PROV, RDF

from nzkg import synthetic
from nzkg.build import BuildReport, build
from nzkg.graph import NZO, SCHEMA
from nzkg.paths import SEEDS_DIR
from nzkg.reason import Entailment, Schema
from nzkg.vocab import Vocabulary

ID = "https://w3id.org/nzkg/id/"
INFERRED = URIRef(ID + "graph/inferred")


@pytest.fixture(scope="module")
def reasoned(vocab: Vocabulary) -> Dataset:
    return build([SEEDS_DIR], vocab=vocab, reason=True, validate=False, progress=False).dataset


def test_superclass_types_are_inferred(reasoned: Dataset) -> None:
    inferred = reasoned.graph(INFERRED)
    release = URIRef(ID + "release/000_d42ffe20042d2fb3")
    assert (release, RDF.type, SCHEMA.NewsArticle) in inferred
    assert (release, RDF.type, PROV.Entity) in inferred
    assert (URIRef(ID + "operation/unmik"), RDF.type, SCHEMA.Event) in inferred


def test_part_of_chains_are_closed(reasoned: Dataset) -> None:
    inferred = reasoned.graph(INFERRED)
    assert (URIRef(ID + "place/pristina"), NZO.partOf, URIRef(ID + "place/europe")) in inferred


def test_super_properties_are_inferred(reasoned: Dataset) -> None:
    inferred = reasoned.graph(INFERRED)
    release = URIRef(ID + "release/000_d42ffe20042d2fb3")
    assert (release, SCHEMA.mentions, URIRef(ID + "place/kosovo")) in inferred


def test_asserted_graphs_are_untouched_and_nothing_is_inferred_twice(
    reasoned: Dataset, seeds_build: BuildReport
) -> None:
    for graph in seeds_build.dataset.graphs():
        if len(graph):
            assert isomorphic(graph, reasoned.graph(graph.identifier)), graph.identifier
    asserted = {t for g in reasoned.graphs() if g.identifier != INFERRED for t in g}
    assert not asserted & set(reasoned.graph(INFERRED))


def test_no_trivial_entailments(reasoned: Dataset) -> None:
    inferred = reasoned.graph(INFERRED)
    assert not any(s == o for s, p, o in inferred if p == URIRef("http://www.w3.org/2002/07/owl#sameAs"))
    assert (None, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Thing")) not in inferred


# ---- the fast split against the reference ----------------------------------------------------------------


def same_as_owlrl(dataset: Dataset) -> None:
    """graph/inferred holds exactly what owlrl entails from all the other graphs, trivial triples aside."""
    asserted = Graph()
    for graph in dataset.graphs():
        if graph.identifier != INFERRED:
            for triple in graph:
                asserted.add(triple)
    ours = set(dataset.graph(INFERRED))
    reference = owlrl_inferred(asserted)
    assert ours - reference == set() and reference - ours == set()


def test_entailments_are_owlrl_s_on_the_seeds(reasoned: Dataset) -> None:
    same_as_owlrl(reasoned)


def test_entailments_are_owlrl_s_on_a_thousand_synthetic_releases(tmp_path: Path, vocab: Vocabulary) -> None:
    synthetic.generate(1000, 11, tmp_path)
    report = build([tmp_path], vocab=vocab, reason=True, validate=False, jobs=2, progress=False)
    assert len(report.converted) == 1000
    same_as_owlrl(report.dataset)


def test_a_release_linking_a_new_place_into_the_vocabulary_gets_the_whole_chain() -> None:
    ontology = Graph().parse(data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <http://example.org/> .
        ex:partOf a owl:ObjectProperty , owl:TransitiveProperty .""", format="turtle")
    ex = "http://example.org/"
    vocabulary = [(URIRef(ex + "town"), URIRef(ex + "partOf"), URIRef(ex + "region")),
                  (URIRef(ex + "region"), URIRef(ex + "partOf"), URIRef(ex + "country")),
                  (URIRef(ex + "country"), OWL.sameAs, URIRef(ex + "geonames-country"))]
    entailment = Entailment(Schema.of(ontology), lambda predicates: [t for t in vocabulary if t[1] in predicates])
    base = URIRef(ex + "base")
    found = entailment.entailed([(base, URIRef(ex + "partOf"), URIRef(ex + "town")),
                                 (URIRef(ex + "village"), URIRef(ex + "partOf"), base)])
    part_of = {(str(s)[len(ex):], str(o)[len(ex):]) for s, p, o in found if p == URIRef(ex + "partOf")}
    assert part_of == {("base", "region"), ("base", "country"), ("base", "geonames-country"),
                       ("village", "town"), ("village", "region"), ("village", "country"),
                       ("village", "geonames-country")}


@pytest.mark.parametrize("axiom", ["ex:p a owl:InverseFunctionalProperty", "ex:p owl:inverseOf ex:q",
                                   "ex:p a owl:ObjectProperty , owl:FunctionalProperty",
                                   "ex:C owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ]"])
def test_an_ontology_whose_rules_join_releases_is_refused(axiom: str) -> None:
    ontology = Graph().parse(data=f"""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <http://example.org/> . {axiom} .""",
                             format="turtle")
    with pytest.raises(ValueError, match="releases cannot be reasoned one by one"):
        Schema.of(ontology)
