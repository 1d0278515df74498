"""Charts, maps and timelines in real headless Chromium: the query page's result views, drawn from the
README's questions, the map of a place page, a person's posts, and /map; no request leaves loopback.

The real app runs on uvicorn over the graph of ``data/releases`` (``tests/linked_data_store.py``).
Screenshots (1280×900 viewport) go to ``test-artifacts/`` as ``view-*.png`` and ``page-*.png``;
``docs/screenshots/`` holds copies for the README.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from kfgraph.queries import examples
from kfgraph.store import open_store
from kfgraph.web.server import background_server
from linked_data_store import built_store_path, make_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
EXAMPLES = {e.name: e for e in examples()}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    store = open_store(built_store_path(), read_only=True)
    with background_server(make_app(store), port=_free_port()) as url:
        yield url.rstrip("/")


def _run_example(page: Any, server: str, name: str, view: str | None = None) -> None:
    params = {"query": EXAMPLES[name].text, "run": "1", **({"view": view} if view else {})}
    page.goto(server + "/?" + urlencode(params), wait_until="load")
    page.wait_for_selector("#result-views:not([hidden])", timeout=TIMEOUT_MS)


def _pressed(page: Any) -> str:
    return str(page.get_attribute('#result-views button[aria-pressed="true"]', "data-view"))


def _shoot(page: Any, path: Path) -> None:
    """A 1280×900 screenshot with the results at the top (the editor above is in the way otherwise)."""
    page.evaluate("document.getElementById('result-views').scrollIntoView()")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))


def _clean(browser: Any) -> None:
    assert browser.blocked == [], f"requests left loopback: {browser.blocked}"
    assert browser.page_errors == []


def test_events_per_type_and_year_opens_as_a_stacked_chart(browser_page: Any, server: str, artifacts: Path) -> None:
    page = browser_page.page
    _run_example(page, server, "07-events-per-type-and-year")
    assert _pressed(page) == "chart"
    canvas = page.locator("#result-picture canvas")
    canvas.wait_for(timeout=TIMEOUT_MS)
    assert canvas.bounding_box()["height"] > 200  # type: ignore[index]
    drawn = page.evaluate("""() => { const c = document.querySelector('#result-picture canvas');
        const chart = Chart.getChart(c); return {type: chart.config.type, stacked: chart.options.scales.x.stacked,
        series: chart.data.datasets.map(d => d.label), years: chart.data.labels}; }""")
    assert drawn["type"] == "bar" and drawn["stacked"] is True
    assert {"Exercise", "ChangeOfCommand"} <= set(drawn["series"])
    assert drawn["years"] == sorted(drawn["years"]) and len(drawn["years"]) >= 3
    assert page.is_hidden("table.results-table")
    # the view is in the permalink, and the table is one click away
    assert parse_qs(urlsplit(page.get_attribute("#permalink", "href") or "").query)["view"] == ["chart"]
    _shoot(page, artifacts / "view-chart.png")
    page.click('#result-views button[data-view="table"]')
    assert page.is_visible("table.results-table") and page.is_hidden("#result-picture")
    assert "view" not in parse_qs(urlsplit(page.url).query)
    _clean(browser_page)


def test_places_question_opens_as_a_map(browser_page: Any, server: str, artifacts: Path) -> None:
    page = browser_page.page
    _run_example(page, server, "09-places-on-a-map")
    assert _pressed(page) == "map"
    page.wait_for_selector("#result-picture .viz-map[data-ready=true]", timeout=TIMEOUT_MS)
    municipalities = page.locator("#result-picture path.leaflet-interactive:not(.viz-place)")
    assert municipalities.count() == 30
    places = page.locator("#result-picture path.viz-place")
    assert places.count() >= 10, "every place with coordinates is a circle"
    _shoot(page, artifacts / "view-map.png")
    _clean(browser_page)


def test_commanders_question_opens_as_a_timeline(browser_page: Any, server: str, artifacts: Path) -> None:
    page = browser_page.page
    _run_example(page, server, "01-kfor-commanders")
    assert _pressed(page) == "timeline"
    items = page.locator("#result-picture .vis-item")
    items.first.wait_for(timeout=TIMEOUT_MS)
    texts = " ".join(items.all_inner_texts())
    assert "Ferenc Kaj" in texts and "Lorenzo D" in texts
    assert page.locator("#result-picture .vis-item.vis-range").count() >= 1, "first to last seen as a span"
    assert page.is_disabled('#result-views button[data-view="chart"]'), "no number to chart"
    _shoot(page, artifacts / "view-timeline.png")
    _clean(browser_page)


def test_a_view_asked_for_in_the_permalink_wins(browser_page: Any, server: str) -> None:
    page = browser_page.page
    _run_example(page, server, "08-force-strength-over-time", view="timeline")  # a line chart otherwise
    assert _pressed(page) == "timeline"
    page.locator("#result-picture .vis-item").first.wait_for(timeout=TIMEOUT_MS)
    _clean(browser_page)


def test_place_page_map(browser_page: Any, server: str, artifacts: Path) -> None:
    page = browser_page.page
    page.goto(server + "/id/place/jarinje", wait_until="networkidle")
    page.wait_for_selector(".viz-map[data-ready=true]", timeout=TIMEOUT_MS)
    assert page.locator(".viz-map path.viz-place--focus").count() == 1
    assert "Jarinje" in page.inner_text(".viz-map .leaflet-tooltip")
    assert page.locator(".viz-map path.viz-place").count() > 10, "camps, crossings and towns around it"
    page.locator("[data-viz=events-chart] canvas").wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(artifacts / "page-place-map.png"))
    _clean(browser_page)


def test_person_page_timeline(browser_page: Any, server: str, artifacts: Path) -> None:
    page = browser_page.page
    page.goto(server + "/id/person/angelo-michele-ristuccia", wait_until="networkidle")
    own = page.locator("[data-viz=posts-timeline] .vis-item.viz-post--self")
    own.first.wait_for(timeout=TIMEOUT_MS)
    assert "Angelo" in own.first.inner_text()
    others = page.locator("[data-viz=posts-timeline] .vis-item:not(.viz-post--self)")
    assert others.count() >= 2, "predecessors and successors in the same post"
    assert "Preceded by" in page.inner_text(".viz-succession")
    first_holder = page.locator("[data-viz=posts-timeline] .vis-item").first.bounding_box()
    assert first_holder is not None and first_holder["x"] > 150, "the timeline opens on the posts, not on today"
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "page-person-timeline.png"))
    _clean(browser_page)


def test_map_of_all_places_filters_by_year_and_type(browser_page: Any, server: str, artifacts: Path) -> None:
    page = browser_page.page
    page.goto(server + "/map", wait_until="networkidle")
    page.wait_for_selector("#places-map[data-ready=true]", timeout=TIMEOUT_MS)
    everything = page.inner_text("#map-status")
    page.select_option("#map-type", "Deployment")
    filtered = page.inner_text("#map-status")
    assert filtered != everything and "Deployment" in filtered
    assert "type=Deployment" in page.url
    page.screenshot(path=str(artifacts / "page-map.png"))
    _clean(browser_page)
