"""Tests of shapes/nzkg.shapes.ttl and nzkg.validate.

One small dataset that conforms, and for each rule a variant that breaks it, made by a SPARQL Update on a copy
of the conforming data. Each variant must be reported with the expected focus node, path and source shape, so
that a rule firing for the wrong reason does not pass.
"""

from dataclasses import dataclass

import pytest
from pyshacl import validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from nzkg.paths import ONTOLOGY_FILE, SHAPES_DIR
from nzkg.validate import (
    Violation,
    load_shapes,
    shapes_targeting,
    validate_dataset,
    validate_graph,
    validate_release,
)

ID = "https://w3id.org/nzkg/id/"
NZO = "https://w3id.org/nzkg/ontology#"
VOCAB_GRAPH, ONTOLOGY_GRAPH, INFERRED_GRAPH = (URIRef(f"{ID}graph/{g}") for g in ("vocab", "ontology", "inferred"))
NZSH = "https://w3id.org/nzkg/shapes#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"
WGS = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEO = "http://www.opengis.net/ont/geosparql#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

STEM = "001_dd182887356bd2ce"
RELEASE_GRAPH = URIRef(f"{ID}graph/{STEM}")

PREFIXES = """
PREFIX nzo:       <https://w3id.org/nzkg/ontology#>
PREFIX rdfs:      <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:       <http://www.w3.org/2001/XMLSchema#>
PREFIX owl:       <http://www.w3.org/2002/07/owl#>
PREFIX dcterms:   <http://purl.org/dc/terms/>
PREFIX skos:      <http://www.w3.org/2004/02/skos/core#>
PREFIX schema:    <https://schema.org/>
PREFIX prov:      <http://www.w3.org/ns/prov#>
PREFIX foaf:      <http://xmlns.com/foaf/0.1/>
PREFIX geo:       <http://www.opengis.net/ont/geosparql#>
PREFIX wgs:       <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX release:   <https://w3id.org/nzkg/id/release/>
PREFIX person:    <https://w3id.org/nzkg/id/person/>
PREFIX portfolio: <https://w3id.org/nzkg/id/portfolio/>
PREFIX operation: <https://w3id.org/nzkg/id/operation/>
PREFIX org:       <https://w3id.org/nzkg/id/organisation/>
PREFIX place:     <https://w3id.org/nzkg/id/place/>
PREFIX geometry:  <https://w3id.org/nzkg/id/geometry/>
PREFIX contrib:   <https://w3id.org/nzkg/id/contribution/>
PREFIX graph:     <https://w3id.org/nzkg/id/graph/>
"""

# The vocabulary graph: reference entities, places typed with their subclass and nzo:Place.
VOCAB = """
operation:unami a nzo:Operation ;
    rdfs:label "United Nations Assistance Mission for Iraq" ; skos:altLabel "UNAMI" ;
    nzo:ledBy org:united-nations ; nzo:location place:iraq ;
    nzo:startDate "2003-08"^^xsd:gYearMonth ; nzo:endDate "2025-12-31"^^xsd:date .
org:united-nations a nzo:Organisation ; rdfs:label "United Nations" ; skos:altLabel "UN" .
org:new-zealand-defence-force a nzo:Organisation ;
    rdfs:label "New Zealand Defence Force" ; skos:altLabel "NZDF" ; nzo:country place:new-zealand .
org:unicef a nzo:Organisation ; rdfs:label "UNICEF" .
place:asia a nzo:Continent , nzo:Place ; rdfs:label "Asia" ;
    owl:sameAs <https://sws.geonames.org/6255147/> ;
    wgs:lat "29.84064"^^xsd:decimal ; wgs:long "89.29688"^^xsd:decimal .
place:iraq a nzo:Country , nzo:Place ; rdfs:label "Iraq" ; skos:altLabel "Republic of Iraq" ;
    nzo:countryCode "IQ" ; nzo:partOf place:asia ; owl:sameAs <https://sws.geonames.org/99237/> ;
    wgs:lat "33.0"^^xsd:decimal ; wgs:long "44.0"^^xsd:decimal ; geo:hasGeometry geometry:iraq .
geometry:iraq a geo:Geometry ; geo:asWKT "POINT(44.0 33.0)"^^geo:wktLiteral .
place:new-zealand a nzo:Country , nzo:Place ; rdfs:label "New Zealand" ; nzo:countryCode "NZ" .
place:baghdad a nzo:City , nzo:Place ; rdfs:label "Baghdad" ; nzo:partOf place:iraq .
place:basra-province a nzo:Region , nzo:Place ; rdfs:label "Basra Province" ; nzo:partOf place:iraq .
place:camp-taji a nzo:Facility , nzo:Place ; rdfs:label "Camp Taji" ; nzo:partOf place:iraq .
place:persian-gulf a nzo:WaterBody , nzo:Place ; rdfs:label "Persian Gulf" .
"""

RELEASE = f"""
release:{STEM} a nzo:Release ;
    nzo:sourceFile "{STEM}.txt" ;
    dcterms:title "NZ extends role in UN peacekeeping mission in Iraq" ;
    dcterms:issued "2008-09-30"^^xsd:date ;
    schema:url <https://www.beehive.govt.nz/release/nz-extends-role-un-peacekeeping-mission-iraq> ;
    nzo:announcedBy person:phil-goff ;
    nzo:portfolio portfolio:defence ;
    nzo:mentions operation:unami , place:iraq , org:new-zealand-defence-force .
person:phil-goff a nzo:Minister ; rdfs:label "Phil Goff" ; foaf:name "Phil Goff" .
portfolio:defence a nzo:Portfolio ; rdfs:label "Defence" .
operation:basra-engineers a nzo:Operation ; rdfs:label "Light Engineer Group" .
contrib:{STEM}-1 a nzo:Contribution ;
    nzo:operation operation:unami ;
    nzo:contributor org:new-zealand-defence-force ;
    nzo:personnelCount "1"^^xsd:nonNegativeInteger ;
    nzo:role "military liaison officer" ;
    nzo:location place:baghdad ;
    nzo:startDate "2004-09"^^xsd:gYearMonth ;
    nzo:endDate "2009-12-31"^^xsd:date ;
    nzo:status nzo:extended ;
    prov:wasDerivedFrom release:{STEM} ;
    nzo:evidence "New Zealand has one Defence Force officer serving as a military liaison officer." .
contrib:{STEM}-2 a nzo:Contribution ;
    nzo:recipient org:unicef ;
    nzo:amount "17000000"^^xsd:decimal ;
    nzo:currency "NZD" ;
    nzo:startDate "2003"^^xsd:gYear ;
    nzo:status nzo:funded ;
    prov:wasDerivedFrom release:{STEM} ;
    nzo:evidence "We have also contributed emergency humanitarian relief worth over $17 million to Iraq." ,
        "Initially, this was through the UN Development Group Iraq Trust Fund." .
"""

TRIG = f"""{PREFIXES}
graph:vocab {{ {VOCAB} }}
graph:{STEM} {{ {RELEASE} }}
"""


def conforming_dataset() -> Dataset:
    """The conforming release, vocab and ontology as the converter writes them: one named graph each."""
    dataset = Dataset()
    dataset.parse(data=TRIG, format="trig")
    dataset.graph(ONTOLOGY_GRAPH).parse(ONTOLOGY_FILE, format="turtle")
    return dataset


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def base() -> Graph:
    """The union that validate_dataset builds for the release: release + vocab + ontology."""
    dataset = conforming_dataset()
    union = Graph()
    for name in (RELEASE_GRAPH, VOCAB_GRAPH, ONTOLOGY_GRAPH):
        for triple in dataset.graph(name):
            union.add(triple)
    return union


def variant(base: Graph, update: str) -> Graph:
    # No default prefix bindings: rdflib resolves prefixes after the first ";" of an update against the
    # graph's bindings, and its defaults bind wgs: to https://www.w3.org/... (sic) and org: to W3C org.
    graph = Graph(bind_namespaces="none")
    for triple in base:
        graph.add(triple)
    graph.update(PREFIXES + update)
    return graph


# ----------------------------------------------------------------------------------------------------------
# The conforming data and the shapes file itself
# ----------------------------------------------------------------------------------------------------------


def test_conforming_graph_has_no_results(base: Graph, shapes: Graph) -> None:
    assert validate_graph(base, shapes) == []


def test_conforming_dataset_has_no_results(shapes: Graph) -> None:
    assert validate_dataset(conforming_dataset(), shapes) == {}


def test_shapes_file_is_valid_shacl(shapes: Graph) -> None:
    conforms, _report, text = validate(Graph(), shacl_graph=shapes, meta_shacl=True, inference="none")
    assert conforms, text


def test_every_property_shape_has_a_name_and_a_one_line_message(shapes: Graph) -> None:
    named = {s for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    assert len(named) > 40
    for shape in named:
        assert shapes.value(shape, SH.name) is not None, shape
        message = shapes.value(shape, SH.message)
        assert message is not None and "\n" not in str(message), shape


def test_every_core_class_has_a_targeted_node_shape(shapes: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    for name in (
        "Release",
        "Minister",
        "Portfolio",
        "Operation",
        "Organisation",
        "Place",
        "Country",
        "Contribution",
    ):
        assert URIRef(NZO + name) in targeted, name
    assert URIRef(GEO + "Geometry") in targeted


def test_load_shapes_reads_every_ttl_in_the_directory(tmp_path) -> None:
    (tmp_path / "a.ttl").write_text(
        (SHAPES_DIR / "nzkg.shapes.ttl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "b.ttl").write_text(
        "<urn:x:Extra> a <http://www.w3.org/ns/shacl#NodeShape> .\n", encoding="utf-8"
    )
    (tmp_path / "ignored.txt").write_text("not turtle", encoding="utf-8")
    loaded = load_shapes(tmp_path)
    assert (URIRef("urn:x:Extra"), RDF.type, SH.NodeShape) in loaded
    assert (URIRef(NZSH + "ReleaseShape"), RDF.type, SH.NodeShape) in loaded


# ----------------------------------------------------------------------------------------------------------
# One variant per rule
# ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    update: str  # SPARQL Update that breaks the conforming data
    focus: str
    path: str | None
    shape: str  # local name in nzsh:
    severity: str = "Violation"


REL = f"{ID}release/{STEM}"
C1 = f"{ID}contribution/{STEM}-1"
C2 = f"{ID}contribution/{STEM}-2"
GOFF = f"{ID}person/phil-goff"
DEFENCE = f"{ID}portfolio/defence"
UNAMI = f"{ID}operation/unami"
NZDF = f"{ID}organisation/new-zealand-defence-force"
IRAQ = f"{ID}place/iraq"
BAGHDAD = f"{ID}place/baghdad"
IRAQ_GEOMETRY = f"{ID}geometry/iraq"
R = f"release:{STEM}"
C1_ = f"contrib:{STEM}-1"
C2_ = f"contrib:{STEM}-2"


def replace(subject: str, prop: str, new: str) -> str:
    return f"DELETE WHERE {{ {subject} {prop} ?o }} ; INSERT DATA {{ {subject} {prop} {new} }}"


# fmt: off
CASES = [
    # Release
    Case("release-missing-sourceFile", f"DELETE WHERE {{ {R} nzo:sourceFile ?o }}",
         REL, NZO + "sourceFile", "Release-sourceFile"),
    Case("release-two-sourceFiles", f'INSERT DATA {{ {R} nzo:sourceFile "other.txt" }}',
         REL, NZO + "sourceFile", "Release-sourceFile"),
    Case("release-sourceFile-not-a-string", replace(R, "nzo:sourceFile", "42"),
         REL, NZO + "sourceFile", "Release-sourceFile"),
    Case("release-title-with-language-tag", replace(R, "dcterms:title", '"NZ extends role"@en'),
         REL, DCT + "title", "Release-title"),
    Case("release-issued-not-a-date", replace(R, "dcterms:issued", '"30 September 2008"'),
         REL, DCT + "issued", "Release-issued"),
    Case("release-issued-datetime", replace(R, "dcterms:issued", '"2008-09-30T10:00:00"^^xsd:dateTime'),
         REL, DCT + "issued", "Release-issued"),
    Case("release-url-not-http", replace(R, "schema:url", "<ftp://beehive.govt.nz/release/1>"),
         REL, SCHEMA + "url", "Release-url"),
    Case("release-url-a-literal", replace(R, "schema:url", '"https://www.beehive.govt.nz/release/1"'),
         REL, SCHEMA + "url", "Release-url"),
    Case("release-announcedBy-not-a-minister", replace(R, "nzo:announcedBy", "portfolio:defence"),
         REL, NZO + "announcedBy", "Release-announcedBy"),
    Case("release-portfolio-not-a-portfolio", replace(R, "nzo:portfolio", "person:phil-goff"),
         REL, NZO + "portfolio", "Release-portfolio"),
    Case("release-mentions-a-contribution", f"INSERT DATA {{ {R} nzo:mentions {C1_} }}",
         REL, NZO + "mentions", "Release-mentions"),
    Case("release-mentions-a-literal", f'INSERT DATA {{ {R} nzo:mentions "UNAMI" }}',
         REL, NZO + "mentions", "Release-mentions"),
    # Minister and portfolio
    Case("minister-label-Hon", replace("person:phil-goff", "rdfs:label", '"Hon Phil Goff"'),
         GOFF, RDFS + "label", "Minister-label"),
    Case("minister-label-Rt-Hon", replace("person:phil-goff", "rdfs:label", '"Rt Hon Phil Goff"'),
         GOFF, RDFS + "label", "Minister-label"),
    Case("minister-label-Dr-dot", replace("person:phil-goff", "rdfs:label", '"Dr. Phil Goff"'),
         GOFF, RDFS + "label", "Minister-label"),
    Case("minister-label-Mrs", replace("person:phil-goff", "rdfs:label", '"Mrs Phil Goff"'),
         GOFF, RDFS + "label", "Minister-label"),
    Case("minister-without-label", "DELETE WHERE { person:phil-goff rdfs:label ?o }",
         GOFF, RDFS + "label", "Minister-label"),
    Case("minister-two-labels", 'INSERT DATA { person:phil-goff rdfs:label "Philip Goff" }',
         GOFF, RDFS + "label", "Minister-label"),
    Case("minister-name-differs-from-label", replace("person:phil-goff", "foaf:name", '"Philip Goff"'),
         GOFF, FOAF + "name", "Minister-nameEqualsLabel", "Warning"),
    Case("portfolio-without-label", "DELETE WHERE { portfolio:defence rdfs:label ?o }",
         DEFENCE, RDFS + "label", "Portfolio-label"),
    # Operation
    Case("operation-without-label", "DELETE WHERE { operation:unami rdfs:label ?o }",
         UNAMI, RDFS + "label", "Operation-label"),
    Case("operation-two-labels", 'INSERT DATA { operation:unami rdfs:label "UN Assistance Mission" }',
         UNAMI, RDFS + "label", "Operation-label"),
    Case("operation-altLabel-not-a-string", "INSERT DATA { operation:unami skos:altLabel 1830 }",
         UNAMI, SKOS + "altLabel", "Operation-altLabel"),
    Case("operation-ledBy-a-place", replace("operation:unami", "nzo:ledBy", "place:iraq"),
         UNAMI, NZO + "ledBy", "Operation-ledBy"),
    Case("operation-location-an-organisation", replace("operation:unami", "nzo:location", "org:unicef"),
         UNAMI, NZO + "location", "Operation-location"),
    Case("operation-startDate-a-string", replace("operation:unami", "nzo:startDate", '"August 2003"'),
         UNAMI, NZO + "startDate", "Operation-startDate"),
    Case("operation-two-endDates", 'INSERT DATA { operation:unami nzo:endDate "2026"^^xsd:gYear }',
         UNAMI, NZO + "endDate", "Operation-endDate"),
    # Organisation
    Case("organisation-without-label", "DELETE WHERE { org:new-zealand-defence-force rdfs:label ?o }",
         NZDF, RDFS + "label", "Organisation-label"),
    Case("organisation-country-a-continent",
         replace("org:new-zealand-defence-force", "nzo:country", "place:asia"),
         NZDF, NZO + "country", "Organisation-country"),
    # Place
    Case("place-without-label", "DELETE WHERE { place:iraq rdfs:label ?o }",
         IRAQ, RDFS + "label", "Place-label"),
    Case("place-lat-without-long", "DELETE WHERE { place:iraq wgs:long ?o }",
         IRAQ, WGS + "long", "Place-longWithLat"),
    Case("place-long-without-lat", "DELETE WHERE { place:iraq wgs:lat ?o }",
         IRAQ, WGS + "lat", "Place-latWithLong"),
    Case("place-lat-out-of-range", replace("place:iraq", "wgs:lat", '"95.0"^^xsd:decimal'),
         IRAQ, WGS + "lat", "Place-lat"),
    Case("place-long-out-of-range", replace("place:iraq", "wgs:long", '"-181.5"^^xsd:decimal'),
         IRAQ, WGS + "long", "Place-long"),
    Case("place-lat-a-string", replace("place:iraq", "wgs:lat", '"33.0"'),
         IRAQ, WGS + "lat", "Place-lat"),
    Case("place-sameAs-not-geonames", replace("place:iraq", "owl:sameAs", "<http://www.wikidata.org/entity/Q796>"),
         IRAQ, OWL + "sameAs", "Place-sameAs"),
    Case("place-partOf-an-organisation", replace("place:baghdad", "nzo:partOf", "org:united-nations"),
         BAGHDAD, NZO + "partOf", "Place-partOf"),
    Case("place-geometry-untyped", "DELETE WHERE { geometry:iraq a ?t }",
         IRAQ, GEO + "hasGeometry", "Place-hasGeometry"),
    # Country
    Case("country-code-three-letters-lowercase", replace("place:iraq", "nzo:countryCode", '"irq"'),
         IRAQ, NZO + "countryCode", "Country-countryCode"),
    Case("country-code-lowercase", replace("place:iraq", "nzo:countryCode", '"iq"'),
         IRAQ, NZO + "countryCode", "Country-countryCode"),
    Case("country-without-code", "DELETE WHERE { place:iraq nzo:countryCode ?o }",
         IRAQ, NZO + "countryCode", "Country-countryCode"),
    # Geometry
    Case("geometry-without-wkt", "DELETE WHERE { geometry:iraq geo:asWKT ?o }",
         IRAQ_GEOMETRY, GEO + "asWKT", "Geometry-asWKT"),
    Case("geometry-wkt-a-string", replace("geometry:iraq", "geo:asWKT", '"POINT(44 33)"'),
         IRAQ_GEOMETRY, GEO + "asWKT", "Geometry-asWKT"),
    # Contribution
    Case("contribution-no-operation-no-recipient", f"DELETE WHERE {{ {C1_} nzo:operation ?o }}",
         C1, None, "ContributionTargetShape"),
    Case("contribution-two-operations", f"INSERT DATA {{ {C1_} nzo:operation operation:basra-engineers }}",
         C1, NZO + "operation", "Contribution-operation"),
    Case("contribution-operation-an-organisation", replace(C1_, "nzo:operation", "org:united-nations"),
         C1, NZO + "operation", "Contribution-operation"),
    Case("contribution-recipient-an-operation", replace(C2_, "nzo:recipient", "operation:unami"),
         C2, NZO + "recipient", "Contribution-recipient"),
    Case("contribution-contributor-a-place", replace(C1_, "nzo:contributor", "place:new-zealand"),
         C1, NZO + "contributor", "Contribution-contributor"),
    Case("contribution-personnelCount-negative-integer", replace(C1_, "nzo:personnelCount", "-3"),
         C1, NZO + "personnelCount", "Contribution-personnelCount"),
    Case("contribution-personnelCount-ill-formed",
         replace(C1_, "nzo:personnelCount", '"-3"^^xsd:nonNegativeInteger'),
         C1, NZO + "personnelCount", "Contribution-personnelCount"),
    Case("contribution-personnelCount-a-string", replace(C1_, "nzo:personnelCount", '"45"'),
         C1, NZO + "personnelCount", "Contribution-personnelCount"),
    Case("contribution-two-roles", f'INSERT DATA {{ {C1_} nzo:role "NZDF personnel" }}',
         C1, NZO + "role", "Contribution-role"),
    Case("contribution-location-an-organisation", replace(C1_, "nzo:location", "org:unicef"),
         C1, NZO + "location", "Contribution-location"),
    Case("contribution-endDate-a-string", replace(C1_, "nzo:endDate", '"2009-12-31"^^xsd:string'),
         C1, NZO + "endDate", "Contribution-endDate"),
    Case("contribution-startDate-a-datetime",
         replace(C1_, "nzo:startDate", '"2004-09-01T00:00:00"^^xsd:dateTime'),
         C1, NZO + "startDate", "Contribution-startDate"),
    Case("contribution-amount-negative", replace(C2_, "nzo:amount", '"-5"^^xsd:decimal'),
         C2, NZO + "amount", "Contribution-amount"),
    Case("contribution-amount-a-string", replace(C2_, "nzo:amount", '"17 million"'),
         C2, NZO + "amount", "Contribution-amount"),
    Case("contribution-currency-lowercase", replace(C2_, "nzo:currency", '"nzd"'),
         C2, NZO + "currency", "Contribution-currency"),
    Case("contribution-currency-without-amount", f'INSERT DATA {{ {C1_} nzo:currency "NZD" }}',
         C1, None, "CurrencyNeedsAmountShape"),
    Case("contribution-personnelTotal-a-string", f'INSERT DATA {{ {C2_} nzo:personnelTotal "19" }}',
         C2, NZO + "personnelTotal", "Contribution-personnelTotal"),
    Case("contribution-two-personnelTotals",
         f"INSERT DATA {{ {C2_} nzo:personnelTotal 19, 20 }}",
         C2, NZO + "personnelTotal", "Contribution-personnelTotal"),
    Case("contribution-cost-negative", f'INSERT DATA {{ {C1_} nzo:cost "-216000"^^xsd:decimal }}',
         C1, NZO + "cost", "Contribution-cost"),
    Case("contribution-cost-a-string", f'INSERT DATA {{ {C1_} nzo:cost "216,000" }}',
         C1, NZO + "cost", "Contribution-cost"),
    Case("contribution-strength-and-total",
         f'INSERT DATA {{ {C1_} nzo:personnelTotal "19"^^xsd:nonNegativeInteger }}',
         C1, None, "KindsApartShape"),
    Case("contribution-grant-and-cost", f'INSERT DATA {{ {C2_} nzo:cost "216000"^^xsd:decimal }}',
         C2, None, "KindsApartShape"),
    Case("contribution-status-a-literal", replace(C1_, "nzo:status", '"extended"'),
         C1, NZO + "status", "Contribution-status"),
    Case("contribution-status-not-a-status", replace(C1_, "nzo:status", "operation:unami"),
         C1, NZO + "status", "Contribution-status"),
    Case("contribution-two-statuses", f"INSERT DATA {{ {C1_} nzo:status nzo:deployed }}",
         C1, NZO + "status", "Contribution-status"),
    Case("contribution-no-wasDerivedFrom", f"DELETE WHERE {{ {C1_} prov:wasDerivedFrom ?o }}",
         C1, PROV + "wasDerivedFrom", "Contribution-wasDerivedFrom"),
    Case("contribution-wasDerivedFrom-not-a-release", replace(C1_, "prov:wasDerivedFrom", "person:phil-goff"),
         C1, PROV + "wasDerivedFrom", "Contribution-wasDerivedFrom"),
    Case("contribution-no-evidence", f"DELETE WHERE {{ {C2_} nzo:evidence ?o }}",
         C2, NZO + "evidence", "Contribution-evidence"),
    Case("contribution-evidence-blank", f'INSERT DATA {{ {C1_} nzo:evidence "  " }}',
         C1, NZO + "evidence", "Contribution-evidence"),
    Case("contribution-states-nothing",
         f"DELETE WHERE {{ {C1_} nzo:personnelCount ?o }} ; DELETE WHERE {{ {C1_} nzo:endDate ?e }} ;"
         f" DELETE WHERE {{ {C1_} nzo:startDate ?s }}",
         C1, None, "ContributionQuantityShape"),
]
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_variant_is_reported(case: Case, base: Graph, shapes: Graph) -> None:
    results = validate_graph(variant(base, case.update), shapes)
    expected = (case.focus, case.path, NZSH + case.shape, case.severity)
    found = [(v.focus, v.path, v.shape, v.severity) for v in results]
    assert expected in found, f"expected {expected}, got:\n" + "\n".join(map(str, results))
    for result in results:
        assert result.message and "\n" not in result.message


@pytest.mark.parametrize("what", [
    'nzo:personnelTotal "19"^^xsd:nonNegativeInteger', "nzo:cost 216000.0", 'nzo:startDate "2004"^^xsd:gYear',
    "nzo:status nzo:concluded", "nzo:status nzo:withdrawn"])
def test_a_contribution_may_state_only_one_thing(what: str, base: Graph, shapes: Graph) -> None:
    """A total, a cost, a start, or that it is over: each is enough to say what a contribution is."""
    graph = variant(base, f"DELETE WHERE {{ {C1_} ?p ?o }} ; INSERT DATA {{ {C1_} a nzo:Contribution ; "
                          f"nzo:operation operation:unami ; prov:wasDerivedFrom release:{STEM} ; "
                          f'nzo:evidence "The contribution has drawn to a close." ; {what} }}')
    assert [v for v in validate_graph(graph, shapes) if v.focus == C1] == []


def test_blank_node_contribution_is_reported(base: Graph, shapes: Graph) -> None:
    graph = variant(
        base,
        f"INSERT DATA {{ [] a nzo:Contribution ; nzo:operation operation:unami ; nzo:personnelCount 1 ; "
        f'prov:wasDerivedFrom {R} ; nzo:evidence "x" }}',
    )
    results = validate_graph(graph, shapes)
    assert any(
        v.focus.startswith("_:") and v.path is None and v.shape == NZSH + "ContributionShape" for v in results
    ), results


def test_results_are_sorted_and_deduplicated(base: Graph, shapes: Graph) -> None:
    graph = variant(
        base,
        replace(C1_, "nzo:personnelCount", '"-3"^^xsd:nonNegativeInteger')
        + " ; DELETE WHERE { person:phil-goff rdfs:label ?o }"
        + ' ; INSERT DATA { place:iraq nzo:countryCode "x" }',
    )
    results = validate_graph(graph, shapes)
    assert results == sorted(results, key=Violation.sort_key)
    assert len(results) == len(set(results))
    assert validate_graph(graph, shapes) == results
    # the ill-formed count fails both sh:datatype and sh:minInclusive of one shape: one result, not two
    assert len([v for v in results if v.path == NZO + "personnelCount"]) == 1


# ----------------------------------------------------------------------------------------------------------
# validate_dataset
# ----------------------------------------------------------------------------------------------------------


def test_validate_dataset_keys_results_by_source_file(shapes: Graph) -> None:
    dataset = conforming_dataset()
    bad = "002_e253fa07f162a9ef"
    dataset.parse(
        data=PREFIXES
        + f"""
        graph:{bad} {{
            release:{bad} a nzo:Release ; nzo:sourceFile "{bad}.txt" .
            contrib:{bad}-1 a nzo:Contribution ; nzo:operation operation:unami ;
                nzo:personnelCount "3"^^xsd:nonNegativeInteger ; prov:wasDerivedFrom release:{bad} .
        }}
        graph:no-source-file {{ release:nameless a nzo:Release . }}
        """,
        format="trig",
    )
    # Neither the inferred graph nor the default graph is a release: what they hold must not be validated.
    dataset.graph(INFERRED_GRAPH).add(
        (URIRef(ID + "contribution/inferred"), RDF.type, URIRef(NZO + "Contribution"))
    )
    dataset.add((URIRef(ID + "contribution/default"), RDF.type, URIRef(NZO + "Contribution")))

    report = validate_dataset(dataset, shapes)

    assert set(report) == {f"{bad}.txt", f"{ID}graph/no-source-file"}
    assert [(v.focus, v.path) for v in report[f"{bad}.txt"]] == [
        (f"{ID}contribution/{bad}-1", NZO + "evidence")
    ]
    assert [(v.focus, v.path) for v in report[f"{ID}graph/no-source-file"]] == [
        (f"{ID}release/nameless", NZO + "sourceFile")
    ]
    # The contribution of the conforming release refers to the vocab; it is still valid after the others.
    assert f"{STEM}.txt" not in report


def test_validate_dataset_reports_vocab_errors_once_under_the_vocab_graph(shapes: Graph) -> None:
    dataset = conforming_dataset()
    dataset.graph(VOCAB_GRAPH).remove((URIRef(IRAQ), URIRef(NZO + "countryCode"), None))
    report = validate_dataset(dataset, shapes)
    assert list(report) == [str(VOCAB_GRAPH)]  # not charged to the release that names Iraq
    assert [(v.focus, v.path) for v in report[str(VOCAB_GRAPH)]] == [(IRAQ, NZO + "countryCode")]


def test_a_release_is_checked_by_every_shape_that_targets_it_and_by_no_other(shapes: Graph) -> None:
    """Only the shapes targeting a release's resources run on it, so a fault of the release is found by
    whichever shape holds the rule, here the contribution's (sh:or on the value's class, in a property shape)."""
    dataset = conforming_dataset()
    release = dataset.graph(RELEASE_GRAPH)
    contribution = next(release.subjects(RDF.type, URIRef(NZO + "Contribution")))
    release.add((contribution, URIRef(NZO + "startDate"), Literal("sometime")))
    context = [*dataset.graph(VOCAB_GRAPH), *dataset.graph(ONTOLOGY_GRAPH)]
    found = validate_release(release, context, shapes)
    assert {(v.focus, v.path, v.shape) for v in found} == {
        (str(contribution), NZO + "startDate", NZSH + "Contribution-startDate")}
    chosen = shapes_targeting(release, dataset.graph(ONTOLOGY_GRAPH), shapes)
    assert (URIRef(NZSH + "ContributionShape"), RDF.type, SH.NodeShape) in chosen
    assert (URIRef(NZSH + "PlaceShape"), None, None) not in chosen  # the release's places are the vocab's


def test_validate_dataset_leaves_the_dataset_unchanged(shapes: Graph) -> None:
    dataset = conforming_dataset()
    before = {g.identifier: len(g) for g in dataset.graphs()}
    validate_dataset(dataset, shapes)
    assert {g.identifier: len(g) for g in dataset.graphs()} == before


def test_shapes_look_no_further_than_one_step_from_the_resources_they_check(shapes: Graph) -> None:
    """The build gives a release's checks only the classes of what it refers to, not the vocabulary's
    descriptions (nzkg.build.Converter.check). A shape that follows a path further (a sequence or inverse
    path, sh:node on values) needs more: widen that context before adding one."""
    paths = set(shapes.objects(None, SH.path))
    assert all(isinstance(path, URIRef) for path in paths), "a complex sh:path"
    assert not set(shapes.subjects(SH.node, None)) and not set(shapes.subjects(SH.qualifiedValueShape, None))
