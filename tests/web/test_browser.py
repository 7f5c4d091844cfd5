"""The query page in a real headless browser (Debian's chromium, driven by Playwright): pick an example,
run it, see the results table."""

from __future__ import annotations


def test_an_example_query_fills_a_results_table(browser, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    page.select_option("#example", label="The evidence for each contribution")
    assert "nzo:evidence" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#results tbody tr", timeout=30_000)
    assert page.locator("#results thead th").count() >= 3
    assert page.locator("#results tbody tr").count() >= 10
    assert "rows" in page.text_content("#status")
    link = page.locator("#results tbody a[href^='/id/']").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").count() == 1


def test_a_bad_query_shows_the_error(browser, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    page.fill("#query", "SELECT * WHERE { ?s ?p ")
    page.click("#run")
    page.wait_for_selector("#status.error", timeout=30_000)
    assert page.text_content("#status").startswith("400")


def test_download_links_follow_the_query(browser, server: str) -> None:
    page = browser.new_page()
    page.goto(server + "/")
    page.fill("#query", "ASK { ?s ?p ?o }")
    href = page.get_attribute(".downloads a[data-format='csv']", "href")
    assert href.startswith("/sparql?") and "format=csv" in href and "ASK" in href
