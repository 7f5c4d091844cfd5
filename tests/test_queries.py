"""The named queries of queries/: each answers its question, on the graph built from the seeds and on the one
built from the corpus fixtures, with the rows the gold annotations back (operations, personnel, end dates,
amounts, ministers, places) rather than incidental details (roles, statuses), so that these tests hold as
extraction improves.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import nzkg
from nzkg.api import LocalGraph
from nzkg.build import BuildReport, build, write_output
from nzkg.queries import QueryError, named_queries
from nzkg.vocab import Vocabulary

CORPUS_DIR = Path(__file__).parent / "fixtures" / "corpus"
ID = "https://w3id.org/nzkg/id/"

UNMIK = "United Nations Interim Administration Mission in Kosovo"
UNAMI = "United Nations Assistance Mission for Iraq"
DISIS = "Global Coalition to Defeat the Islamic State of Iraq and Syria"
BPC = "Building Partner Capacity"
OIR = "Operation Inherent Resolve"
RAMSI = "Regional Assistance Mission to Solomon Islands"
SEED_MINISTERS = {"Phil Goff", "Winston Peters", "Ron Mark", "Nanaia Mahuta", "Peeni Henare"}
# The SPARQLWrapper example of the README, as a reader copies it.
README_SUMS = re.search(r'sparql\.setQuery\("""(.*?)"""\)', (Path(__file__).parents[1] / "README.md").read_text(),
                        re.S).group(1)



@pytest.fixture(scope="module")
def seeds(seeds_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> LocalGraph:
    path = tmp_path_factory.mktemp("queries") / "seeds.trig"
    write_output(seeds_build, path)
    return nzkg.load(path)


@pytest.fixture(scope="module")
def corpus(vocab: Vocabulary, tmp_path_factory: pytest.TempPathFactory) -> LocalGraph:
    path = tmp_path_factory.mktemp("queries") / "corpus.trig"
    write_output(build([CORPUS_DIR], vocab=vocab, jobs=1, progress=False), path)
    return nzkg.load(path)


def records(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False)]


def split(text: str | None, separator: str = ", ") -> set[str]:
    return set(text.split(separator)) if text else set()


def only(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, f"{len(rows)} rows with {where}:\n{frame}"
    return rows.iloc[0]


# ------------------------------------------------------------------------------------------------------------
# Every query
# ------------------------------------------------------------------------------------------------------------

QUERIES = named_queries()


def test_there_are_the_named_queries() -> None:
    names = {q.name for q in QUERIES}
    assert {"operations", "personnel-over-time", "in-force", "extensions", "funding", "releases-by-minister",
            "in-region", "un-vs-coalitions", "evidence", "evidence-for", "releases-mentioning",
            "ministers-deploying-to", "quiet-since", "contributions"} <= names


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_has_a_title_and_a_description_and_runs(query, seeds: LocalGraph) -> None:
    assert query.title and query.title != query.name
    assert len(query.description) > 40, query.description
    assert "# parameters:" not in query.text
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    for parameter in query.parameters:
        assert re.search(rf"\?{parameter.name}\b", body), f"{query.name} does not use ?{parameter.name}"
        assert parameter.description
    frame = seeds.run(query.name)
    assert isinstance(frame, pd.DataFrame) and len(frame.columns)


def test_run_refuses_an_unknown_query_or_parameter(seeds: LocalGraph) -> None:
    with pytest.raises(QueryError, match="no query named"):
        seeds.run("no-such-query")
    with pytest.raises(QueryError, match="takes no parameter"):
        seeds.run("operations", date="2020-01-01")
    with pytest.raises(QueryError, match="takes no parameter"):
        seeds.run("in-force", region=ID + "place/iraq")
    with pytest.raises(QueryError, match="not a date"):
        seeds.run("in-force", date="June 2020")
    with pytest.raises(QueryError, match="not an IRI"):
        seeds.run("in-region", region="Middle East")


# ------------------------------------------------------------------------------------------------------------
# One question each
# ------------------------------------------------------------------------------------------------------------

def test_operations_where_and_when(seeds: LocalGraph) -> None:
    frame = seeds.run("operations").set_index("operation")
    assert set(frame.index) == {UNMIK, UNAMI, BPC, DISIS, OIR, RAMSI}
    assert frame.loc[UNAMI, "first"] == frame.loc[UNAMI, "last"] == dt.date(2008, 9, 30)
    assert frame.loc[UNMIK, "first"] == dt.date(2008, 10, 6)
    assert (frame.loc[DISIS, "first"], frame.loc[DISIS, "last"]) == (dt.date(2020, 3, 30), dt.date(2022, 8, 25))
    assert frame.loc[DISIS, "contributions"] == 6 and frame.loc[DISIS, "releases"] == 2
    assert frame.loc[UNMIK, "contributions"] == 2  # one officer at a time, nineteen over the years
    assert frame.loc[RAMSI, "first"] is None and list(frame.index)[-1] == RAMSI  # undated: last
    assert {"Iraq", "Kuwait", "Qatar"} <= split(frame.loc[DISIS, "places"])
    assert "Kosovo" in split(frame.loc[UNMIK, "places"]) and "Iraq" in split(frame.loc[UNAMI, "places"])
    assert frame.loc[BPC, "iri"] == ID + "operation/building-partner-capacity"
    assert list(frame.index[:2]) == [UNAMI, UNMIK]  # by first date


def test_operations_stated_only_by_undated_releases_come_last_without_dates(corpus: LocalGraph) -> None:
    frame = corpus.run("operations")
    ramsi = only(frame, operation="Regional Assistance Mission to Solomon Islands")
    assert ramsi["first"] is None and ramsi["releases"] == 2
    # a release without a date does not blank the dates the others give
    prt = only(frame, operation="New Zealand Provincial Reconstruction Team")
    assert prt["first"] == prt["last"] == dt.date(2005, 6, 2) and prt["releases"] == 2
    dated = frame["first"].notna().tolist()
    assert dated == sorted(dated, reverse=True)


def test_personnel_over_time(seeds: LocalGraph, corpus: LocalGraph) -> None:
    frame = seeds.run("personnel-over-time")
    assert list(frame.columns[:3]) == ["operation", "date", "personnel"]
    rows = set(records(frame, "operation", "date", "personnel"))
    assert {(BPC, dt.date(2020, 3, 30), 45), (DISIS, dt.date(2022, 8, 25), 2),
            (UNAMI, dt.date(2008, 9, 30), 1)} <= rows
    assert only(frame, operation=DISIS, date=dt.date(2020, 3, 30))["personnel_sum"] == 9  # four and five
    unc = only(corpus.run("personnel-over-time"), operation="United Nations Command", date=dt.date(2024, 6, 11))
    assert (unc["date"], unc["personnel"]) == (dt.date(2024, 6, 11), 53)


def test_in_force_on_the_default_day(seeds: LocalGraph) -> None:
    frame = seeds.run("in-force")
    assert set(records(frame, "target", "personnel", "end")) == {(DISIS, 4, "2022-06"), (DISIS, 5, "2022-06")}


@pytest.mark.parametrize("day, expected", [
    ("2009-06-30", {(UNAMI, 1, dt.date(2009, 12, 31))}),
    ("2022-06-30", {(DISIS, 4, "2022-06"), (DISIS, 5, "2022-06")}),  # "until June 2022" covers all of June
    ("2022-07-01", set()),
    ("2023-01-01", {(DISIS, 2, dt.date(2023, 6, 30))}),  # from its release, 2022-08-25
    ("2023-07-01", set()),
])
def test_in_force_on_other_days(day, expected, seeds: LocalGraph) -> None:
    assert set(records(seeds.run("in-force", date=day), "target", "personnel", "end")) == expected


TINY = """
@prefix nzo: <https://w3id.org/nzkg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <https://example.org/> .

:dated a nzo:Release ; nzo:sourceFile "dated.md" ; dcterms:title "Dated" ; dcterms:issued "2010-05-01"^^xsd:date .
:undated a nzo:Release ; nzo:sourceFile "undated.md" ; dcterms:title "Undated" .
:op a nzo:Operation ; rdfs:label "Op" .
:years a nzo:Contribution ; nzo:operation :op ; nzo:personnelCount 1 ; prov:wasDerivedFrom :dated ;
    nzo:startDate "2011"^^xsd:gYear ; nzo:endDate "2012"^^xsd:gYear .
:from-release a nzo:Contribution ; nzo:operation :op ; nzo:personnelCount 2 ; prov:wasDerivedFrom :dated ;
    nzo:endDate "2010-06"^^xsd:gYearMonth .
:open a nzo:Contribution ; nzo:operation :op ; nzo:personnelCount 3 ; prov:wasDerivedFrom :dated .
:unplaced a nzo:Contribution ; nzo:operation :op ; nzo:personnelCount 4 ; prov:wasDerivedFrom :undated ;
    nzo:endDate "2030"^^xsd:gYear .
:days a nzo:Contribution ; nzo:operation :op ; nzo:personnelCount 5 ; prov:wasDerivedFrom :dated ;
    nzo:startDate "2010-05-15"^^xsd:date ; nzo:endDate "2010-05-20"^^xsd:date .
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> LocalGraph:
    path = tmp_path_factory.mktemp("queries") / "tiny.ttl"
    path.write_text(TINY, encoding="utf-8")
    return nzkg.load(path)


@pytest.mark.parametrize("day, personnel", [
    ("2010-04-30", set()), ("2010-05-01", {2}), ("2010-05-15", {2, 5}), ("2010-05-20", {2, 5}),
    ("2010-05-21", {2}), ("2010-06-30", {2}), ("2010-07-01", set()), ("2010-12-31", set()),
    ("2011-01-01", {1}), ("2012-12-31", {1}), ("2013-01-01", set()), ("2029-06-30", set()),
])
def test_in_force_reads_years_months_and_days(day, personnel, tiny: LocalGraph) -> None:
    """Starts and ends to the year, month or day; no start: the release's date; no end, or neither a start
    nor a dated release: never in force."""
    assert set(tiny.run("in-force", date=day)["personnel"]) == personnel


def test_extensions_and_their_end_dates(seeds: LocalGraph, corpus: LocalGraph) -> None:
    rows = set(records(seeds.run("extensions"), "target", "personnel", "end"))
    assert {(DISIS, 2, dt.date(2023, 6, 30)), (DISIS, 4, "2022-06"), (UNAMI, 1, dt.date(2009, 12, 31))} <= rows
    assert all(target != BPC for target, _, _ in rows)
    rows = set(records(corpus.run("extensions"), "target", "personnel", "end"))
    assert {("Multinational Force and Observers", 28, "2018-07"),
            ("New Zealand Provincial Reconstruction Team", 120, "2006-09"),
            ("International Security Assistance Force", 3, "2007-09"),
            ("Coalition Joint Taskforce", 1, "2007-09"),
            ("Solomon Islands International Assistance Force", 4, "2024")} <= rows
    assert all(end is not None for _, _, end, basis in records(corpus.run("extensions"), "target", "personnel",
                                                                  "end", "basis") if basis == "wording")


def test_funding_by_operation_with_a_grand_total(seeds: LocalGraph) -> None:
    """Grants are summed; the $216,000 that extending one officer will cost is a cost, shown apart."""
    frame = seeds.run("funding")
    assert set(records(frame, "target", "kind", "currency", "amount", "cost")) == {
        (DISIS, "operation", "NZD", Decimal(4000000), Decimal(0)), (UNAMI, "operation", "NZD", Decimal(0),
                                                                    Decimal(216000))}
    assert set(frame["grand_total"]) == {Decimal(4000000)}
    assert frame["amount"].tolist() == sorted(frame["amount"], reverse=True)
    assert sum(frame["share"]) == pytest.approx(1, abs=0.001)


def test_funding_by_recipient(corpus: LocalGraph) -> None:
    frame = corpus.run("funding")
    recipients = set(records(frame[frame["kind"] == "recipient"], "target", "amount"))
    assert {("World Food Programme", Decimal(4000000)), ("International Committee of the Red Cross", Decimal(1500000)),
            ("Office of the United Nations High Commissioner for Refugees", Decimal(2500000)),
            ("United Nations Children's Fund", Decimal(500000)),
            ("United Nations Office for the Coordination of Humanitarian Affairs", Decimal(300000)),
            ("United Nations Mine Action Service", Decimal(300000))} <= recipients
    operations = set(records(frame[frame["kind"] == "operation"], "target", "amount", "cost"))
    assert {("New Zealand Provincial Reconstruction Team", Decimal(0), Decimal(27080000)),
            (RAMSI, Decimal(0), Decimal(3200000)),
            ("Multinational Force and Observers", Decimal(0), Decimal(1538000))} <= operations
    nzd = frame[frame["currency"] == "NZD"]
    assert set(nzd["grand_total"]) == {sum(nzd["amount"])}  # no contribution here has two targets


def test_releases_by_minister_and_portfolio(seeds: LocalGraph, corpus: LocalGraph) -> None:
    frame = seeds.run("releases-by-minister")
    ministers = frame[frame["by"] == "minister"]
    assert set(ministers["name"]) == SEED_MINISTERS
    goff = only(ministers, name="Phil Goff")
    assert (goff["releases"], goff["first"], goff["last"]) == (2, dt.date(2008, 9, 30), dt.date(2008, 10, 6))
    assert ministers["name"].iloc[0] == "Phil Goff"
    assert only(frame, by="portfolio", name="Defence")["releases"] == 4
    assert frame["by"].tolist() == sorted(frame["by"])  # ministers, then portfolios
    ministers = corpus.run("releases-by-minister").query("by == 'minister'")
    clark = only(ministers, name="Helen Clark")  # d13 (dated), d14 and d22 (undated)
    assert (clark["releases"], clark["first"], clark["last"]) == (3, dt.date(2005, 6, 2), dt.date(2005, 6, 2))
    assert only(ministers, name="Phil Goff")["releases"] == 3
    assert only(ministers, name="Paula Bennett")["first"] is None


def test_in_region_the_middle_east(seeds: LocalGraph) -> None:
    frame = seeds.run("in-region")
    assert frame["kind"].tolist() == sorted(frame["kind"], key=["place", "operation", "contribution"].index)
    places = set(frame[frame["kind"] == "place"]["label"])
    assert {"Iraq", "Kuwait", "Qatar", "Camp Taji", "Basrah"} <= places
    assert not places & {"Kosovo", "Pristina", "Afghanistan", "South Korea"}
    assert only(frame, kind="place", label="Iraq")["releases"] == 4
    operations = set(frame[frame["kind"] == "operation"]["label"])
    assert {UNAMI, DISIS, BPC} <= operations and UNMIK not in operations
    contributions = frame[frame["kind"] == "contribution"]
    assert set(contributions["label"]) == {UNAMI, DISIS, BPC, OIR}
    assert {45, 4, 2, 1} <= set(contributions["personnel"]) and Decimal(4000000) in set(contributions["amount"])


def test_in_region_another_region(seeds: LocalGraph) -> None:
    frame = seeds.run("in-region", region=ID + "place/balkans")
    assert {"Kosovo", "Pristina"} <= set(frame[frame["kind"] == "place"]["label"])
    assert set(frame[frame["kind"] == "operation"]["label"]) == {UNMIK}
    contributions = frame[frame["kind"] == "contribution"]
    assert set(contributions["label"]) == {UNMIK} and 1 in set(contributions["personnel"])
    assert "Iraq" not in set(frame["label"])


def test_un_versus_coalitions(seeds: LocalGraph, corpus: LocalGraph) -> None:
    frame = seeds.run("un-vs-coalitions").set_index("led")
    assert list(frame.index) == ["United Nations", "other"]
    assert split(frame.loc["United Nations", "names"], "; ") == {UNMIK, UNAMI}
    assert split(frame.loc["other", "names"], "; ") == {DISIS, BPC, OIR, RAMSI}
    assert frame.loc["United Nations", "operations"] == 2
    assert frame.loc["other", "personnel"] == 45 + 5  # the largest figure stated for each
    assert frame.loc["other", "amount"] == Decimal(4000000)
    frame = corpus.run("un-vs-coalitions").set_index("led")
    assert split(frame.loc["United Nations", "names"], "; ") == {
        "United Nations Command", "United Nations Command Military Armistice Commission",
        "United Nations Mission in the Republic of South Sudan", "United Nations Truce Supervision Organization",
        "United Nations Mission in East Timor"}
    largest = corpus.query("""PREFIX nzo: <https://w3id.org/nzkg/ontology#>
        SELECT ?op (MAX(?n) AS ?peak) WHERE { ?c nzo:operation ?op ; nzo:personnelCount ?n .
        ?op nzo:ledBy <https://w3id.org/nzkg/id/organisation/united-nations> } GROUP BY ?op""")
    assert frame.loc["United Nations", "personnel"] == sum(largest["peak"])  # the peaks of strengths, added
    assert only(largest, op=ID + "operation/unc")["peak"] == 53
    assert {"Multinational Force and Observers", "International Security Assistance Force",
            "Combined Task Force 150", RAMSI} <= split(frame.loc["other", "names"], "; ")


def test_evidence_for_each_contribution(seeds: LocalGraph) -> None:
    frame = seeds.run("evidence")
    contributions = seeds.query("PREFIX nzo: <https://w3id.org/nzkg/ontology#> "
                                "SELECT ?c WHERE { ?c a nzo:Contribution }")["c"]
    assert set(frame["contribution"]) == set(contributions)
    bpc = frame[(frame["target"] == BPC) & (frame["personnel"] == 45)]
    assert bpc["sentence"].str.contains("45 personnel in Taji").any()
    assert set(bpc["title"]) == {"New Zealand defence personnel conclude mission at Taji"}
    assert set(bpc["url"]) == {"https://www.beehive.govt.nz/release/new-zealand-defence-personnel-conclude-mission-taji"}
    money = frame[frame["amount"] == Decimal(4000000)]
    assert money["sentence"].str.contains("NZ$4 million", regex=False).any() and set(money["target"]) == {DISIS}


def test_evidence_for_an_operation(seeds: LocalGraph) -> None:
    frame = seeds.run("evidence-for")
    assert set(frame["file"]) == {"003_fd7375b2d098646e.txt", "004_6c65aff69aeb25cd.txt"}
    assert frame["date"].tolist() == sorted(frame["date"])
    assert frame["sentence"].str.contains("four NZDF personnel").any()
    frame = seeds.run("evidence-for", operation=ID + "operation/unmik")
    assert set(frame["file"]) == {"000_d42ffe20042d2fb3.txt"} and 1 in set(frame["personnel"])
    assert frame["sentence"].str.contains("UNMIK Headquarters in Pristina").any()


def test_releases_mentioning_a_place(seeds: LocalGraph) -> None:
    frame = seeds.run("releases-mentioning")
    assert frame["file"].tolist() == ["001_dd182887356bd2ce.txt", "003_fd7375b2d098646e.txt",
                                      "004_6c65aff69aeb25cd.txt", "002_e253fa07f162a9ef.txt"]  # undated last
    first = frame.iloc[0]
    assert first["date"] == dt.date(2008, 9, 30)
    assert first["title"] == "NZ extends role in UN peacekeeping mission in Iraq"
    assert split(first["places"]) == {"Iraq", "Basrah"}
    frame = seeds.run("releases-mentioning", place=ID + "place/kosovo")
    assert frame["file"].tolist() == ["000_d42ffe20042d2fb3.txt"]
    assert {"Kosovo", "Pristina"} <= split(frame["places"].iloc[0])


def test_ministers_deploying_to_a_country(seeds: LocalGraph, corpus: LocalGraph) -> None:
    frame = seeds.run("ministers-deploying-to")
    assert set(frame["minister"]) == SEED_MINISTERS
    goff = only(frame, minister="Phil Goff")
    assert (goff["operations"], goff["first"]) == (UNAMI, dt.date(2008, 9, 30))
    assert DISIS in split(only(frame, minister="Nanaia Mahuta")["operations"], "; ")
    frame = seeds.run("ministers-deploying-to", country=ID + "place/kosovo")
    assert frame["minister"].tolist() == ["Phil Goff"] and frame["operations"].tolist() == [UNMIK]
    frame = corpus.run("ministers-deploying-to", country=ID + "place/afghanistan")
    assert set(frame["minister"]) == {"Helen Clark", "Mark Burton", "Phil Goff", "Murray McCully", "Jonathan Coleman",
                                      "Jacinda Ardern", "Nanaia Mahuta", "Peeni Henare"}
    assert only(frame, minister="Helen Clark")["releases"] == 2
    frame = corpus.run("ministers-deploying-to", country=ID + "place/south-korea")
    assert set(frame["minister"]) == {"Judith Collins", "Winston Peters", "Ron Mark"}


def test_quiet_since_the_default_day(seeds: LocalGraph) -> None:
    frame = seeds.run("quiet-since")
    assert records(frame, "operation", "last") == [(UNAMI, dt.date(2008, 9, 30)), (UNMIK, dt.date(2008, 10, 6))]


def test_quiet_since_other_days(seeds: LocalGraph, corpus: LocalGraph) -> None:
    assert seeds.run("quiet-since", date="2008-10-01")["operation"].tolist() == [UNAMI]
    assert seeds.run("quiet-since", date="2000-01-01").empty
    assert {UNAMI, UNMIK, BPC, DISIS} <= set(seeds.run("quiet-since", date="2022-12-31")["operation"])
    frame = corpus.run("quiet-since", date="2015-01-01")
    assert {"Truce Monitoring Group", "Combined Task Force 151"} <= set(frame["operation"])
    assert not {"Multinational Force and Observers", "United Nations Command", "Combined Task Force 150"} & set(
        frame["operation"])
    # mentioned by undated releases only: cannot be placed in time, so not listed
    assert "Regional Assistance Mission to Solomon Islands" not in set(frame["operation"])
    prt = only(frame, operation="New Zealand Provincial Reconstruction Team")
    assert (prt["last"], prt["undated"]) == (dt.date(2013, 2, 18), 1)


def test_contributions(seeds: LocalGraph) -> None:
    frame = seeds.run("contributions")
    assert list(frame.columns) == ["target", "personnel", "total", "amount", "cost", "start", "end", "ended", "file"]
    rows = set(records(frame, "target", "personnel", "total", "amount", "cost", "start", "end", "ended"))
    assert {(UNAMI, 1, None, None, None, "2004-09", dt.date(2009, 12, 31), False),
            (UNAMI, None, None, None, Decimal(216000), None, None, False),
            (DISIS, 4, None, None, None, None, "2022-06", False), (DISIS, 2, None, None, None, None,
                                                                   dt.date(2023, 6, 30), False),
            (DISIS, None, None, Decimal(4000000), None, None, None, False),
            (BPC, 45, None, None, None, "2019-12", None, True),
            (UNMIK, 1, None, None, None, "1999", None, True), (UNMIK, None, 19, None, None, "1999", None, True)} <= rows
    assert frame["file"].tolist() == sorted(frame["file"])


def test_kosovo_is_one_officer_at_a_time_and_nineteen_over_the_years(seeds: LocalGraph) -> None:
    """An analyst's sum of strengths is not inflated by a total over a period: the README's example."""
    frame = seeds.query(README_SUMS)
    unmik = only(frame, operation=UNMIK)
    assert (unmik["personnel"], unmik["served_over_time"]) == (1, 19)
    assert only(frame, operation=BPC)["personnel"] == 45


def test_timeline(seeds: LocalGraph) -> None:
    frame = seeds.run("timeline")
    unami = frame[frame["label"] == UNAMI]
    assert set(records(unami, "start", "end", "ended")) == {("2004-09", "2009-12-31", False)}
    unmik = frame[frame["label"] == UNMIK]  # since 1999, over by the release of 6 October 2008
    assert set(records(unmik, "start", "end", "ended", "personnel", "total")) == {
        ("1999", "2008-10-06", True, 1, None), ("1999", "2008-10-06", True, None, 19)}
    bpc = frame[frame["label"] == BPC]  # "concluded in April 2020", told of in 2022: a bar of its end
    assert ("2020-04", "2020-04", True) in set(records(bpc, "start", "end", "ended"))


def test_places_on_map(seeds: LocalGraph) -> None:
    frame = seeds.run("places-on-map")
    pristina = only(frame, label="Pristina")
    assert pristina["releases"] == 1 and 42 < float(pristina["lat"]) < 43
