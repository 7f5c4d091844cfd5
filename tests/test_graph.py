"""The graph stage: IRIs, named graphs, determinism and every output format."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from nzkg.build import BuildReport, build, write_output
from nzkg.facts import COST, TOTAL, Contribution, PartialDate, Thing
from nzkg.graph import NZO, GraphBuilder, contribution_label, slug
from nzkg.paths import SEEDS_DIR
from nzkg.vocab import Vocabulary

ID = "https://w3id.org/nzkg/id/"


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for named in dataset.graphs():
        for triple in named:
            graph.add(triple)
    return graph


def test_one_named_graph_per_release_plus_vocab_and_ontology(seeds_build: BuildReport) -> None:
    names = {str(g.identifier) for g in seeds_build.dataset.graphs() if len(g)}
    stems = sorted(p.stem for p in SEEDS_DIR.glob("*.txt"))
    assert names == {ID + f"graph/{s}" for s in stems} | {ID + "graph/vocab", ID + "graph/ontology"}


def test_release_graph_holds_its_release(seeds_build: BuildReport) -> None:
    graph = seeds_build.dataset.graph(URIRef(ID + "graph/001_dd182887356bd2ce"))
    release = URIRef(ID + "release/001_dd182887356bd2ce")
    assert (release, RDF.type, NZO.Release) in graph
    assert graph.value(release, NZO.sourceFile) == Literal("001_dd182887356bd2ce.txt")
    assert graph.value(release, URIRef("http://purl.org/dc/terms/issued")) == Literal("2008-09-30", datatype=XSD.date)
    assert graph.value(release, NZO.announcedBy) == URIRef(ID + "person/phil-goff")
    contributions = sorted(graph.subjects(RDF.type, NZO.Contribution))
    assert contributions and all(str(c).startswith(ID + "contribution/001_dd182887356bd2ce-") for c in contributions)


def test_contributions_are_numbered_in_text_order(seeds_build: BuildReport) -> None:
    for graph in seeds_build.dataset.graphs():
        numbers = sorted(int(str(c).rsplit("-", 1)[1]) for c in graph.subjects(RDF.type, NZO.Contribution))
        assert numbers == list(range(1, len(numbers) + 1))


def test_same_input_gives_the_same_bytes(vocab: Vocabulary, tmp_path: Path) -> None:
    outputs = []
    for run in range(2):
        report = build([SEEDS_DIR], vocab=vocab, jobs=1, progress=False, validate=False)
        path = tmp_path / f"run{run}.nq"
        write_output(report, path)
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]
    lines = outputs[0].decode().splitlines()
    graphs = [line.rsplit(" ", 2)[1] for line in lines]
    assert graphs[:2] == [f"<{ID}graph/ontology>"] * 2 and len(set(graphs)) == 7  # ontology, vocab, 5 releases
    for graph in set(graphs):  # one block per graph, sorted within
        block = [line for line in lines if line.rsplit(" ", 2)[1] == graph]
        assert block == sorted(block) and lines[lines.index(block[0]):][:len(block)] == block
    assert "_:" not in outputs[0].decode()


@pytest.mark.parametrize("suffix, rdflib_format", [(".trig", "trig"), (".nq", "nquads"), (".jsonld", "json-ld")])
def test_quad_formats_round_trip(seeds_build: BuildReport, tmp_path: Path, suffix: str, rdflib_format: str) -> None:
    path = tmp_path / f"graph{suffix}"
    write_output(seeds_build, path)
    parsed = Dataset()
    parsed.parse(path, format=rdflib_format)
    for graph in seeds_build.dataset.graphs():
        if len(graph):
            assert isomorphic(graph, parsed.graph(graph.identifier)), graph.identifier


@pytest.mark.parametrize("suffix, rdflib_format", [(".ttl", "turtle"), (".nt", "nt")])
def test_triple_formats_hold_the_union(
    seeds_build: BuildReport, tmp_path: Path, suffix: str, rdflib_format: str
) -> None:
    path = tmp_path / f"graph{suffix}"
    write_output(seeds_build, path)
    assert isomorphic(Graph().parse(path, format=rdflib_format), union(seeds_build.dataset))


def test_unknown_output_format_is_refused(seeds_build: BuildReport, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown RDF format"):
        write_output(seeds_build, tmp_path / "graph.xml")
    assert not list(tmp_path.iterdir())


def test_base_is_configurable(vocab: Vocabulary) -> None:
    report = build([SEEDS_DIR / "001_dd182887356bd2ce.txt"], vocab=vocab, base="http://example.org/kg/",
                   progress=False, validate=False)
    subjects = {str(s) for s in union(report.dataset).subjects()}
    assert "http://example.org/kg/release/001_dd182887356bd2ce" in subjects
    assert not any(s.startswith(ID) for s in subjects)


def test_vocab_graph_holds_only_what_releases_use_and_its_enclosing_places(seeds_build: BuildReport) -> None:
    vocab_graph = seeds_build.dataset.graph(URIRef(ID + "graph/vocab"))
    places = set(vocab_graph.subjects(RDF.type, NZO.Place))
    assert URIRef(ID + "place/kosovo") in places
    assert URIRef(ID + "place/europe") in places  # Kosovo is part of Europe
    assert URIRef(ID + "place/peru") not in places  # in the gazetteer, named by no seed
    assert len(places) < 200


def test_places_with_coordinates_get_a_geosparql_point(seeds_build: BuildReport) -> None:
    vocab_graph = seeds_build.dataset.graph(URIRef(ID + "graph/vocab"))
    geometry = URIRef(ID + "place/pristina/geometry")
    wkt = vocab_graph.value(geometry, URIRef("http://www.opengis.net/ont/geosparql#asWKT"))
    assert wkt is not None and str(wkt).startswith("POINT(21.1")


def test_new_things_are_minted_from_their_labels(vocab: Vocabulary) -> None:
    builder = GraphBuilder(vocab)
    thing = Thing(kind="operation", label="Truce Monitoring Group", cls=str(NZO.Operation), alt_labels=("TMG",))
    assert builder.thing(thing) == URIRef(ID + "operation/truce-monitoring-group")
    assert slug("Sharm El-Sheikh / Māori") == "sharm-el-sheikh-maori"


def test_every_resource_the_build_mints_or_refers_to_has_a_type_and_a_label(seeds_build: BuildReport) -> None:
    """So that a page or a link can name it: contributions, the points of places, the portfolios ministers held."""
    union = seeds_build.dataset
    naming = [RDFS.label, SKOS.prefLabel, DCTERMS.title, FOAF.name]
    ours = {term for s, _, o, _ in union.quads() for term in (s, o)
            if isinstance(term, URIRef) and str(term).startswith(ID)}
    assert len(ours) > 100
    for iri in ours:
        assert any(union.quads((iri, RDF.type, None, None))), iri
        assert any(any(union.quads((iri, p, None, None))) for p in naming), iri


@pytest.mark.parametrize(("contribution", "label"), [
    (Contribution(Thing("operation", "UNMISS"), personnel=3, start=PartialDate(2019, 5)),
     "3 personnel to UNMISS from 2019-05"),
    (Contribution(Thing("operation", "MFO"), personnel=19, personnel_kind=TOTAL, status="concluded"),
     "19 personnel in all to MFO, ended"),
    (Contribution(None, Thing("organisation", "UNICEF"), amount=Decimal("2000000.0")), "NZD 2,000,000 to UNICEF"),
    (Contribution(Thing("operation", "UNAMI"), amount=Decimal("216000"), amount_kind=COST, end=PartialDate(2010)),
     "NZD 216,000 in costs to UNAMI until 2010"),
    (Contribution(Thing("operation", "RAMSI")), "a contribution to RAMSI"),
])
def test_a_contribution_is_named_by_what_it_gives_to_what_and_when(contribution: Contribution, label: str) -> None:
    assert contribution_label(contribution) == label
