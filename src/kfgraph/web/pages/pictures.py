"""The pictures on a resource page: an events timeline, a person's posts in time, a place's map.

``for_page(store, kind, iri)`` is what ``linked_data.resource_pages`` adds to a
page's context under ``pictures``; the templates ``_events_timeline.html``,
``_posts_timeline.html`` and ``_place_map.html`` draw it with ``static/pages.js``.
"""

from __future__ import annotations

from typing import Any

from kfgraph.store.base import Store
from kfgraph.web.pages import maps, timelines

LANDMARK_KINDS = {"camp", "crossing", "city", "municipality"}
"""Kinds of place drawn around a place page's own point, for orientation."""


def place_map(store: Store, iri: str) -> dict[str, Any]:
    """The place itself (None when it has no coordinates) and the camps, crossings and towns of Kosovo."""
    places = maps.places_with_coordinates(store)
    focus = next((p for p in places if p["iri"] == iri), None)
    landmarks = [p for p in places if p["iri"] != iri and p["in_kosovo"] and p["kind"].lower() in LANDMARK_KINDS]
    return {"focus": focus, "landmarks": landmarks}


def for_page(store: Store, kind: str, iri: str, events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The pictures of a person, organization or place page (None for other kinds).

    ``events`` are the events the page lists; ``reported`` gives the undated ones
    the date of the release that reports them, so they too have a place on the timeline.
    """
    reported = timelines.reported_dates(store, [e["e"] for e in events if not e.get("date")])
    if kind == "person":
        return {"counts": timelines.event_counts(store, "actor", iri), "posts": timelines.posts(store, iri),
                "reported": reported}
    if kind == "organization":
        return {"counts": timelines.event_counts(store, "actor", iri), "reported": reported}
    if kind == "place":
        return {"counts": timelines.event_counts(store, "place", iri), "map": place_map(store, iri),
                "reported": reported}
    return None
