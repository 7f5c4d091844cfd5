"""Every kind of page, opened in a real browser (Debian's chromium) on the seeds, read as a person reads it:
headings and links are names, an operation's page is its New Zealand history, maps have coastlines."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from conftest import LIMITS, start_server, stop_server  # tests/web/conftest.py

from nzkg.build import build, write_output
from nzkg.paths import SEEDS_DIR
from nzkg.vocab import Vocabulary

ID = "https://w3id.org/nzkg/id/"
UNMIK = "/id/operation/unmik"
TAJI_RELEASE = "/id/release/003_fd7375b2d098646e"


@pytest.fixture(scope="module")
def seeds_server(vocab: Vocabulary, tmp_path_factory) -> Iterator[str]:
    graph = tmp_path_factory.mktemp("seeds") / "kg.trig"
    write_output(build([SEEDS_DIR], vocab=vocab, progress=False), graph)
    process, url = start_server(["--graph", str(graph), *LIMITS], graph.parent)
    yield url
    stop_server(process)


@pytest.fixture
def page(browser):
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()


def open_page(page, url: str):
    response = page.goto(url)
    assert response.status == 200, url
    return page


def assert_names_not_iris(page) -> None:
    """No heading and no link shows an IRI of ours: each shows the resource's label (or, for the few resources
    with none, a shortened IRI that still is not the raw one)."""
    for text in page.locator("h1, h2, h3, a").all_inner_texts():
        assert not text.strip().startswith(("http://w3id", "https://w3id")), text
    for link in page.locator("a[href^='/id/']").all():
        text = link.inner_text().strip()
        if not link.get_attribute("href").startswith("/id/graph/"):  # graphs have names, not labels
            assert text and not text.startswith("id:"), (link.get_attribute("href"), text)


def history(page) -> list[dict[str, str]]:
    """The history table as a person reads it: one dict per row, by column heading."""
    headings = [h.strip() for h in page.locator("#history thead th").all_inner_texts()]
    return [dict(zip(headings, [c.strip() for c in row.locator("td").all_inner_texts()], strict=True))
            for row in page.locator("#history tbody tr").all()]


def test_an_operation_page_is_its_new_zealand_history(seeds_server: str, page) -> None:
    open_page(page, seeds_server + UNMIK)
    assert page.inner_text("h1") == "United Nations Interim Administration Mission in Kosovo"
    rows = history(page)
    assert len(rows) == 2
    by_figure = {row.get("personnel at one time") or row.get("personnel over the period"): row for row in rows}
    assert by_figure["1"]["personnel at one time"] == "1" and by_figure["1"]["personnel over the period"] == ""
    assert by_figure["19"]["personnel over the period"] == "19"  # a total: never in the strength column
    for row in rows:
        assert row["period"] == "1999 – ended by 2008-10-06" and row["status"] == "concluded"
        assert row["release"].startswith("NZ Defence contribution to the Balkans ends")
        assert row["evidence"]
    timeline = page.locator("figure.timeline svg")
    assert timeline.count() == 1
    assert "19 in all" in timeline.inner_html() and "1 personnel" in timeline.inner_html()
    assert_names_not_iris(page)


def test_an_operation_page_draws_each_stated_period_and_a_map(seeds_server: str, page) -> None:
    open_page(page, seeds_server + "/id/operation/global-coalition-to-defeat-isis")
    assert page.inner_text("h1") == "Global Coalition to Defeat the Islamic State of Iraq and Syria"
    rows = history(page)
    assert len(rows) == 6
    starts = [re.search(r"\d{4}", row["period"]).group() for row in rows]
    assert starts == sorted(starts)  # in date order
    assert {"4", "5", "2"} <= {row["personnel at one time"] for row in rows}
    assert "NZD 4,000,000" in {row["money given"] for row in rows}
    svg = page.locator("figure.timeline svg")
    chart, figure = svg.bounding_box(), page.locator("figure.timeline").bounding_box()
    assert chart["width"] <= figure["width"] + 1  # the picture fits the page
    assert_map_has_coastlines(page)


def assert_map_has_coastlines(page) -> None:
    coastlines = page.locator("figure.map svg #coastlines path")
    assert coastlines.count() >= 1
    drawn = sum(len(re.findall(r"[ML]", path.get_attribute("d") or "")) for path in coastlines.all())
    assert drawn > 300  # points of coastline, not a frame
    assert page.locator("figure.map svg #borders").count() == 1


def test_a_place_page_lists_what_is_located_there_on_a_map(seeds_server: str, page) -> None:
    open_page(page, seeds_server + "/id/place/iraq")
    assert page.inner_text("h1") == "Iraq"
    operations = page.locator("section.operations li").all_inner_texts()
    assert "United Nations Assistance Mission for Iraq" in operations
    rows = history(page)
    assert rows and all(row["to"] for row in rows)
    assert any("Camp Taji" in text for text in page.locator("section.parts li").all_inner_texts())
    assert_map_has_coastlines(page)
    assert "Iraq" in page.locator("figure.map svg").inner_html()
    assert_names_not_iris(page)


def test_a_minister_page_lists_the_releases_and_their_contributions(seeds_server: str, page) -> None:
    open_page(page, seeds_server + "/id/person/phil-goff")
    assert page.inner_text("h1") == "Phil Goff"
    releases = [row.locator("td").all_inner_texts() for row in page.locator("section.releases tbody tr").all()]
    assert releases == [["2008-09-30", "NZ extends role in UN peacekeeping mission in Iraq"],
                        ["2008-10-06", "NZ Defence contribution to the Balkans ends"]]
    targets = {row["to"] for row in history(page)}
    assert targets == {"United Nations Interim Administration Mission in Kosovo",
                       "United Nations Assistance Mission for Iraq"}
    assert "Justice" in page.locator("table.properties").inner_text()  # a portfolio by its name
    assert_names_not_iris(page)


def test_a_release_page_has_its_title_date_ministers_and_contributions(seeds_server: str, page) -> None:
    open_page(page, seeds_server + TAJI_RELEASE)
    assert page.inner_text("h1") == "New Zealand defence personnel conclude mission at Taji"
    summary = dict(zip(page.locator("dl.summary dt").all_inner_texts(),
                       page.locator("dl.summary dd").all_inner_texts(), strict=True))
    assert summary["Issued"] == "2020-03-30"
    assert summary["Announced by"] == "Ron Mark, Winston Peters"
    rows = history(page)
    assert len(rows) == 5 and "release" not in rows[0]  # the page is the release
    assert "45" in {row["personnel at one time"] for row in rows}
    linked = page.locator("table.incoming a").all_inner_texts()
    assert "45 personnel to Building Partner Capacity from 2019-12, ended" in linked  # contributions by their labels
    assert_names_not_iris(page)


def test_a_contribution_page_is_named_by_what_it_gives(seeds_server: str, page) -> None:
    open_page(page, seeds_server + "/id/contribution/000_d42ffe20042d2fb3-2")
    assert page.inner_text("h1") == "19 personnel in all to United Nations Interim Administration Mission in Kosovo " \
                                    "from 1999, ended"
    assert page.locator("section.evidence blockquote").count() >= 1
    assert_names_not_iris(page)


def test_a_named_graph_has_a_page_with_its_release_and_triples(seeds_server: str, page) -> None:
    open_page(page, seeds_server + "/id/graph/003_fd7375b2d098646e")
    assert page.inner_text("h1") == "Named graph 003_fd7375b2d098646e"
    assert page.locator(f"a[href='{TAJI_RELEASE}']").inner_text() == \
        "New Zealand defence personnel conclude mission at Taji"
    assert re.search(r"\d+ triples", page.inner_text("main"))
    turtle = page.locator("p.formats a", has_text="Turtle").get_attribute("href")
    answer = requests.get(seeds_server + turtle, timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/turtle")
    assert "@prefix nzo:" in answer.text


def test_long_lists_of_other_names_fold_away(seeds_server: str, page) -> None:
    open_page(page, seeds_server + "/id/operation/global-coalition-to-defeat-isis")
    names = page.locator("details.alt-names")
    assert names.count() == 1 and names.get_attribute("open") is None
    assert not page.locator("details.alt-names p").is_visible()
    page.click("details.alt-names summary")
    assert "D-ISIS" in page.locator("details.alt-names p").inner_text()


def test_the_ontology_page_has_contents_and_linked_superclasses(seeds_server: str, page) -> None:
    open_page(page, seeds_server + "/ontology")
    page.click("nav.toc a[href='#Country']")
    assert page.url.endswith("#Country")
    superclass = page.locator("#Country p.meta a").first
    assert superclass.inner_text() == "nzo:Place" and superclass.get_attribute("href").endswith("#Place")
    ranges = page.locator("#personnelCount p.meta a").all_inner_texts()
    assert "nzo:Contribution" in ranges and "xsd:nonNegativeInteger" in ranges


@pytest.mark.parametrize(("query", "offered", "not_offered"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "CSV", "Turtle"),
    ("ASK { ?s ?p ?o }", "JSON", "N-Triples"),
    ("PREFIX ex: <http://example.org/a#>\nCONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "Turtle", "CSV"),
    ("DESCRIBE <http://example.org/x>", "RDF/XML", "TSV"),
])
def test_the_query_page_offers_the_downloads_of_the_query_form(seeds_server: str, page, query, offered,
                                                               not_offered) -> None:
    open_page(page, seeds_server + "/")
    page.fill("#query", query)
    labels = page.locator("#downloads a").all_inner_texts()
    assert offered in labels and not_offered not in labels
    href = page.locator("#downloads a", has_text=offered).get_attribute("href")
    assert requests.get(seeds_server + href, timeout=30).status_code == 200


def test_dates_in_results_stay_on_one_line(seeds_server: str, page) -> None:
    open_page(page, seeds_server + "/")
    page.fill("#query", "SELECT ?release ?issued WHERE { ?release <http://purl.org/dc/terms/issued> ?issued }")
    page.click("#run")
    page.wait_for_selector("#results td.date", timeout=30_000)
    cell = page.locator("#results td.date").first
    assert page.evaluate("c => getComputedStyle(c).whiteSpace", cell.element_handle()) == "nowrap"


def test_an_unknown_path_is_a_page_to_a_browser(seeds_server: str, page) -> None:
    response = page.goto(seeds_server + "/no/such/page")
    assert response.status == 404
    assert page.inner_text("h1") == "404: not found"
    assert page.locator("a[href='/']").count() >= 1


def test_pages_have_a_favicon(seeds_server: str) -> None:
    icon = requests.get(seeds_server + "/favicon.ico", timeout=30)
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/svg+xml")
    assert "<svg" in icon.text
    page = requests.get(seeds_server + "/", timeout=30).text
    assert 'rel="icon"' in page


def test_every_page_kind_answers_with_names(seeds_server: str, page) -> None:
    """The pages a new user opens first, from the query page's links outward."""
    for path in ["/", UNMIK, "/id/place/kosovo", "/id/person/ron-mark", TAJI_RELEASE,
                 "/id/organisation/new-zealand-defence-force", "/id/portfolio/defence", "/ontology", "/sparql",
                 "/.well-known/void"]:
        open_page(page, seeds_server + path)
        assert page.locator("h1").count() == 1
        assert_names_not_iris(page)

