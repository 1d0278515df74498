"""/map, and the data behind the timelines and maps of person, organization and place pages (ASGI client)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kfgraph.store import open_store
from kfgraph.web.pages.maps import in_kosovo
from linked_data_store import built_store_path, make_app

BASE = "http://localhost:8000/"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = open_store(built_store_path(), read_only=True)
    with TestClient(make_app(store), base_url=BASE.rstrip("/")) as test_client:
        yield test_client


def _viz_data(html: str, name: str) -> object:
    match = re.search(rf'<script type="application/json" data-viz-data="{name}">(.*?)</script>', html, re.S)
    assert match, f"no {name} on the page"
    return json.loads(match.group(1))


def test_in_kosovo_uses_the_shipped_outline() -> None:
    assert in_kosovo(42.67272, 21.16688)  # Pristina
    assert in_kosovo(43.21861, 20.69167)  # Jarinje, on the border
    assert not in_kosovo(41.99646, 21.43141)  # Skopje, inside Kosovo's bounding box
    assert not in_kosovo(43.13667, 20.51222)  # Novi Pazar, likewise


def test_map_json_has_places_and_counts_from_the_summaries(client: TestClient) -> None:
    response = client.get("/map.json")
    assert response.status_code == 200
    data = response.json()
    by_label = {p["label"]: p for p in data["places"]}
    assert by_label["Jarinje"]["kind"] == "crossing" and by_label["Jarinje"]["in_kosovo"]
    assert by_label["Jarinje"]["href"] == "/id/place/jarinje"
    assert by_label["Camp Bondsteel"]["kind"] == "camp"
    assert not by_label["Brussels"]["in_kosovo"]
    jarinje = data["places"].index(by_label["Jarinje"])
    assert any(place == jarinje and n >= 1 for place, _, _, n in data["counts"])
    assert set(data["types"]) <= {"Exercise", "Training", "Deployment", "Patrol", "Visit", "Meeting",
                                  "ChangeOfCommand", "Ceremony", "Donation", "Incident", "Statement", "Other"}


def test_map_page_embeds_its_data_and_filters(client: TestClient) -> None:
    response = client.get("/map", headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.text
    assert 'id="places-map"' in html and 'id="map-year"' in html and 'id="map-type"' in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert not re.search(r'(src|href)="https?://', html), "every asset is served from here"
    assert "Natural Earth" in html


def test_place_page_has_a_map_and_an_events_timeline(client: TestClient) -> None:
    html = client.get("/id/place/jarinje", headers={"Accept": "text/html"}).text
    place_map = _viz_data(html, "place-map")
    assert isinstance(place_map, dict)
    assert place_map["focus"]["label"] == "Jarinje" and place_map["focus"]["lat"] == pytest.approx(43.21861)
    assert "Camp Bondsteel" in place_map["landmarks"]
    counts = _viz_data(html, "events-chart")
    assert isinstance(counts, dict) and counts["total"] >= 1
    assert all(len(s["counts"]) == len(counts["years"]) for s in counts["series"])


def test_place_without_coordinates_says_so(client: TestClient) -> None:
    html = client.get("/id/place/kosovo", headers={"Accept": "text/html"}).text
    assert _viz_data(html, "place-map")["focus"] is None  # type: ignore[index]
    assert "are not known, so it is not on the map" in html


def test_person_page_shows_posts_with_predecessor_and_successor(client: TestClient) -> None:
    html = client.get("/id/person/angelo-michele-ristuccia", headers={"Accept": "text/html"}).text
    posts = _viz_data(html, "posts-timeline")
    assert isinstance(posts, list)
    commander = next(p for p in posts if p["post"] == "Commander, KFOR")
    assert "Angelo Michele Ristuccia" in commander["holders"] and len(commander["holders"]) >= 3
    assert commander["spans"] == sorted(commander["spans"]), "holders in order of time"
    succession = html[html.index('class="viz-succession"'):]
    assert re.search(r'Preceded by <span class="viz-holder">Ferenc Kajári</span>', succession)
    assert 'followed by <span class="viz-holder">' in succession
    assert "/id/person/ferenc-kajari" in commander["hrefs"], "the timeline links to each holder"


def test_organization_page_counts_every_event_by_year_and_type(client: TestClient) -> None:
    html = client.get("/id/organization/kfor", headers={"Accept": "text/html"}).text
    counts = _viz_data(html, "events-chart")
    assert isinstance(counts, dict) and [s["type"] for s in counts["series"]] == ["Events"]
    store = open_store(built_store_path(), read_only=True)
    every = list(store.query("""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e <http://semanticweb.cs.vu.nl/2009/11/sem/hasActor> <http://localhost:8000/id/organization/kfor> ;
           <https://w3id.org/kfgraph/ontology#eventType> ?t }"""))[0]["n"].value  # type: ignore[index]
    assert counts["total"] == int(every), "every event of KFOR counted, not only those listed"
    events = _viz_data(html, "events-timeline")
    assert isinstance(events, list) and events and all(e["href"].startswith("/id/event/") for e in events)


@pytest.mark.parametrize(("asked", "given"), [("chart", "chart"), ("map", "map"), ("timeline", "timeline"),
                                              ("pie", None), (None, None)])
def test_query_page_takes_the_view_from_the_permalink(client: TestClient, asked: str | None, given: str | None) -> None:
    params = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", **({"view": asked} if asked else {})}
    html = client.get("/", params=params).text
    page_data = json.loads(re.search(r'<script id="page-data" type="application/json">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert page_data["view"] == given
    for script in ("chartjs/chart.umd.min.js", "leaflet/leaflet.js", "vis-timeline/vis-timeline-graph2d.min.js"):
        assert f"/static/vendor/{script}" in html


def test_map_data_of_a_served_store_is_read_once_as_the_server_starts(data_store_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No build can change the on-disk store a server opened: /map reads it before anyone asks, and keeps it."""
    import threading

    from kfgraph.settings import Settings
    from kfgraph.web.app import create_app
    from kfgraph.web.pages import maps

    calls: list[int] = []
    real = maps.map_data

    def counted(store: object, base: str) -> dict[str, object]:
        calls.append(1)
        return real(store, base)  # type: ignore[arg-type]

    monkeypatch.setattr(maps, "map_data", counted)
    app = create_app(Settings(store=data_store_path, workers=1))
    assert app.state.store_access.unchanging
    for thread in threading.enumerate():
        if thread.name == "map-data":
            thread.join(timeout=60)
    assert calls == [1], "read in the background as the app was made"
    with TestClient(app, base_url=BASE.rstrip("/")) as served:
        assert served.get("/map.json").json()["places"]
        assert served.get("/map", headers={"Accept": "text/html"}).status_code == 200
    assert calls == [1], "and kept"


def test_map_data_of_a_store_that_may_change_is_read_again_after_a_minute(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kfgraph.web.pages import maps

    store = open_store(built_store_path(), read_only=True)
    app = make_app(store)
    assert not app.state.store_access.unchanging
    clock = [1000.0]
    monkeypatch.setattr(maps.time, "monotonic", lambda: clock[0])
    calls: list[int] = []
    real = maps.map_data
    monkeypatch.setattr(maps, "map_data", lambda s, b: calls.append(1) or real(s, b))
    with TestClient(app, base_url=BASE.rstrip("/")) as served:
        served.get("/map.json")
        served.get("/map.json")
        assert calls == [1]
        clock[0] += maps.CACHE_SECONDS
        served.get("/map.json")
        assert calls == [1, 1]
