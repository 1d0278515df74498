"""Search, lists and the validate form in headless Chromium, on the real app over the graph of data/releases.

Screenshots at 1280×900 go to the artifacts folder (``conftest.artifacts``);
``docs/screenshots/search.png``, ``validate.png`` and ``entities.png`` are
copies of ``search-suggestions.png``, ``validate-error.png`` and ``entities.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kfgraph.store import open_store
from kfgraph.web.server import background_server
from linked_data_store import built_store_path, make_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The real app over the store built from data/releases, on uvicorn on a free loopback port."""
    store = open_store(built_store_path(), read_only=True)
    with background_server(make_app(store)) as url:
        yield url.rstrip("/")


def test_header_search_finds_a_person_by_another_spelling(site: str, browser_page: Any, artifacts: Path) -> None:
    page = browser_page.page
    page.goto(site + "/releases", wait_until="networkidle")
    box = page.locator("header #site-search-q")
    box.click()
    page.keyboard.type("ozkan ulutas", delay=40)  # the name is "Özkan Ulutaş"
    first = page.locator("#site-search-list [role=option]").first
    first.wait_for(timeout=TIMEOUT_MS)
    assert "Özkan Ulutaş" in first.inner_text()
    assert "Person" in first.inner_text() and "release" in first.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(artifacts / "search-suggestions.png"))
    page.keyboard.press("ArrowDown")
    assert first.get_attribute("aria-selected") == "true"
    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.keyboard.press("Enter")
    assert page.url.endswith("/id/person/ozkan-ulutas")
    assert page.locator("h1").inner_text().strip() == "Özkan Ulutaş"
    assert browser_page.blocked == [] and browser_page.page_errors == []


def test_search_page_levels_spellings_and_shows_kinds_and_counts(site: str, browser_page: Any,
                                                                 artifacts: Path) -> None:
    page = browser_page.page
    page.goto(site + "/", wait_until="networkidle")
    page.fill("#site-search-q", "Prishtinë")
    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.press("#site-search-q", "Enter")  # no suggestion chosen: the results page
    assert "/search?q=Prisht" in page.url
    hit = page.locator(".hit").first
    assert hit.locator(".hit__title").inner_text() == "Pristina"
    assert "Place" in hit.inner_text() and "release" in hit.inner_text()
    assert "Places" in page.locator(".kind-tabs").inner_text()
    page.fill("#search-page-q", "football tournament")
    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.press("#search-page-q", "Enter")
    assert "Releases" in page.locator(".kind-tabs").inner_text()
    assert page.locator(".hit--release mark").first.inner_text().lower() == "football"
    page.screenshot(path=str(artifacts / "search-page.png"))
    assert browser_page.blocked == [] and browser_page.page_errors == []


def test_entities_open_on_the_most_mentioned(site: str, browser_page: Any, artifacts: Path) -> None:
    page = browser_page.page
    response = page.goto(site + "/entities", wait_until="networkidle")
    assert response is not None and response.status == 200
    cards = page.locator(".top-card")
    assert cards.count() == 5
    people = cards.filter(has_text="People").locator("li")
    assert people.count() >= 2
    assert "Releases: how many releases mention it" in page.inner_text(".counts-explained")
    page.screenshot(path=str(artifacts / "entities.png"))
    page.click(".kind-tabs a:has-text('Places')")
    page.wait_for_selector(".list-total")
    assert "of" in page.inner_text(".list-total")
    assert browser_page.blocked == [] and browser_page.page_errors == []


BROKEN_TURTLE = "@prefix ex: <http://example.org/> .\nex:patrol ex:at ex:jarinje\nex:jarinje ex:name \"Jarinje\" ."
RELEASE_TEXT = ("PRISTINA, 3 March 2024 - KFOR troops of Regional Command East patrolled near the Jarinje crossing "
                "on Saturday, together with the Kosovo Police.")


def test_validate_form_reads_by_content_and_keeps_the_input(site: str, browser_page: Any, artifacts: Path) -> None:
    page = browser_page.page
    page.goto(site + "/validate", wait_until="networkidle")
    page.fill("#data", BROKEN_TURTLE)
    with page.expect_navigation(timeout=60_000):
        page.click(".validate-form button[type=submit]")
    alert = page.locator("[role=alert]")
    assert alert.is_visible()
    assert "read as Turtle" in alert.inner_text()
    assert "line" in alert.inner_text()
    assert page.input_value("#data") == BROKEN_TURTLE  # what the user typed is still there
    page.screenshot(path=str(artifacts / "validate-error.png"))

    page.fill("#data", RELEASE_TEXT)  # prose, with the default "by content": run through the pipeline
    with page.expect_navigation(timeout=60_000):
        page.click(".validate-form button[type=submit]")
    title = page.locator("#report-title").inner_text()
    assert "read as a release text" in title
    assert page.input_value("#data") == RELEASE_TEXT
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1280, "the report fits the page"
    assert browser_page.blocked == [] and browser_page.page_errors == []
