"""The query page in real headless Chromium, against the real app on loopback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from kfgraph.queries import examples

pytestmark = pytest.mark.browser

TIMEOUT_MS = 15_000


def editor_text(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.evaluate("() => document.getElementById('query').value"))


def replace_query(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the CodeMirror editor the way an analyst would."""
    page.click(".cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def test_example_runs_and_shows_a_table_with_links(browser_page: Any, live_server: Any, artifacts: Path) -> None:
    page = browser_page.page
    page.goto(live_server.url, wait_until="load")
    page.wait_for_selector(".cm-editor .cm-content", timeout=TIMEOUT_MS)
    assert "PREFIX schema: <https://schema.org/>" in editor_text(page)
    # the editor highlights: keywords and variables get token spans
    assert page.locator(".cm-content span").count() > 10

    commanders = examples()[0]
    page.select_option("#example", commanders.name)
    assert editor_text(page) == commanders.text
    page.click(".cm-content")
    page.keyboard.press("Control+Enter")

    # this question opens as a timeline (test_pictures_browser.py); its table is one click away
    page.wait_for_selector("#result-views:not([hidden])", timeout=TIMEOUT_MS)
    page.click('#result-views button[data-view="table"]')
    rows = page.locator("table.results-table tbody tr")
    rows.first.wait_for(timeout=TIMEOUT_MS)
    assert rows.count() == 2
    headers = page.locator("table.results-table thead th").all_inner_texts()
    assert headers[1:] == ["?commander", "?name", "?ranks", "?tookOver", "?handedOver", "?firstSeen", "?lastSeen"]
    assert "Major General" in rows.nth(0).inner_text()
    assert re.search(r"2 rows in \d+", page.inner_text("#status"))
    assert page.is_hidden("#truncated")
    # literals carry their datatype, subtly
    assert "^^xsd:date" in rows.nth(0).inner_text()

    # the permalink: the query is in the URL
    query_in_url = parse_qs(urlsplit(page.url).query)["query"][0]
    assert query_in_url == commanders.text
    csv_href = page.get_attribute("#download-csv", "href")
    assert csv_href is not None and parse_qs(urlsplit(csv_href).query) == {
        "query": [commanders.text],
        "format": ["csv"],
    }
    csv = page.request.get(live_server.url.rstrip("/") + csv_href)
    assert csv.ok and "Anna Example" in csv.text()
    shot = artifacts / "query-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    # IRIs are links to themselves; under our base they dereference here
    link = rows.nth(0).locator("a.iri").first
    iri = live_server.url + "id/person/anna-example"
    assert link.get_attribute("href") == iri
    link.click()
    page.wait_for_url(iri, timeout=TIMEOUT_MS)

    assert browser_page.blocked == []
    assert browser_page.page_errors == []


def test_permalink_with_run_loads_and_runs(browser_page: Any, live_server: Any, artifacts: Path) -> None:
    page = browser_page.page
    query = "ASK { ?person <http://www.w3.org/2000/01/rdf-schema#label> \"Bruno Sample\" }"
    page.goto(live_server.url + "?" + urlencode({"query": query, "run": "1"}))
    page.wait_for_selector(".ask-answer", timeout=TIMEOUT_MS)
    assert page.inner_text(".ask-answer") == "true"
    assert editor_text(page) == query

    replace_query(page, "CONSTRUCT { ?s ?p \"Anna Example\" } WHERE { ?s ?p \"Anna Example\" }")
    page.click("#run")
    page.wait_for_selector("pre.graph-text", timeout=TIMEOUT_MS)
    assert "Anna Example" in page.inner_text("pre.graph-text")
    assert page.is_hidden("#download-csv") and page.is_visible("#download-turtle")

    replace_query(page, "SELECT ?alt WHERE { ?org <http://www.w3.org/2004/02/skos/core#altLabel> ?alt }")
    page.click("#run")
    cell = page.locator("table.results-table tbody td:not(.row-number)").first
    cell.wait_for(timeout=TIMEOUT_MS)
    assert cell.locator(".literal").inner_text() == "Kosovo Force"
    assert cell.locator(".term-note").inner_text() == "@en"
    assert browser_page.blocked == []
    assert browser_page.page_errors == []


def test_syntax_error_is_shown_at_the_query(browser_page: Any, live_server: Any, artifacts: Path) -> None:
    page = browser_page.page
    page.goto(live_server.url)
    page.wait_for_selector(".cm-editor .cm-content", timeout=TIMEOUT_MS)
    replace_query(page, "SELECT *\nWHERE {\n  ?s ?p\n}\n")
    page.keyboard.press("Control+Enter")
    error = page.locator("#query-error")
    error.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "failed" in error.inner_text()
    assert page.locator("table.results-table").count() == 0
    # the reported line is highlighted in the editor
    marked = page.locator(".cm-editor .cm-error-line")
    assert marked.count() == 1
    assert page.locator(".error-position").count() == 1
    page.screenshot(path=str(artifacts / "query-page-error.png"), full_page=True)
    # editing clears the mark
    page.keyboard.type(" ")
    assert page.locator(".cm-editor .cm-error-line").count() == 0
    assert browser_page.blocked == []
    assert browser_page.page_errors == []


def test_narrow_screen_has_no_sideways_scroll(browser_page: Any, live_server: Any, artifacts: Path) -> None:
    page = browser_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url)
    page.wait_for_selector(".cm-editor .cm-content", timeout=TIMEOUT_MS)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.screenshot(path=str(artifacts / "query-page-narrow.png"))
    # keyboard only: from the example menu, Tab reaches the editor, Ctrl+Enter runs
    page.focus("#example")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('cm-content')")
    page.keyboard.press("Control+Enter")
    page.locator("table.results-table tbody tr").first.wait_for(timeout=TIMEOUT_MS)
    assert browser_page.blocked == []


def test_truncated_results_are_signalled(browser_page: Any, live_server: Any) -> None:
    page = browser_page.page
    limit = live_server.settings.max_result_rows
    page.goto(live_server.url + "?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }", "run": "1"}))
    notice = page.locator("#truncated")
    notice.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert f"at most {limit} rows" in notice.inner_text()
    assert page.locator("table.results-table tbody tr").count() == limit
    assert browser_page.blocked == []
    assert browser_page.page_errors == []
