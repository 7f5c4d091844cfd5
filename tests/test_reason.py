"""OWL RL closure: entailments land in graph/inferred and nowhere else."""

from __future__ import annotations

import pytest
from rdflib import Dataset, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

from nzkg.build import BuildReport, build
from nzkg.graph import NZO, SCHEMA
from nzkg.paths import SEEDS_DIR
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
