"""Query results in Chromium: no cell breaks a word, and the page scrolls to the results.

Run on the graph of data/releases, in a window narrow enough (900 px) that a
table which let words break would break them: row numbers past 9, decimals
with their ``^^xsd:decimal`` note and dates must each stay on one line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from kfgraph.queries import examples
from kfgraph.store import open_store
from kfgraph.web.server import background_server
from linked_data_store import built_store_path, make_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
ONE_LINE = """(selector) => [...document.querySelectorAll(selector)].filter((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return lines.size > 1;
}).map((el) => el.textContent)"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    store = open_store(built_store_path(), read_only=True)
    with background_server(make_app(store)) as url:
        yield url.rstrip("/")


def test_cells_keep_words_whole_and_the_page_scrolls_to_them(site: str, browser_page: Any) -> None:
    page = browser_page.page
    page.set_viewport_size({"width": 900, "height": 700})
    places = next(e for e in examples() if "coordinates" in e.title)
    # the table view, named in the permalink: this question opens on its map otherwise
    page.goto(site + "/?" + urlencode({"query": places.text, "run": "1", "view": "table"}), wait_until="networkidle")
    rows = page.locator("table.results-table tbody tr")
    rows.first.wait_for(timeout=TIMEOUT_MS)
    assert rows.count() > 9, "row numbers past 9 are needed"
    assert page.locator(".term-note", has_text="^^xsd:decimal").count() > 0
    for selector in (".row-number", ".term-note", ".literal--word"):
        broken = page.evaluate(ONE_LINE, f"table.results-table {selector}")
        assert broken == [], f"{selector} wraps: {broken[:5]}"
    page.wait_for_function("() => document.getElementById('results').getBoundingClientRect().top < innerHeight * 0.6",
                           timeout=TIMEOUT_MS)
    assert page.evaluate("() => window.scrollY") > 0
    assert browser_page.blocked == [] and browser_page.page_errors == []
