"""The data of the timelines on person, organization and place pages.

``event_counts`` reads the build-time summaries (``kfgraph.summaries``): events
per year and type of one actor or place, however many there are (an actor with
too few events to be summarised is counted live). ``posts``
gives a person's posts in time with the other holders of the same post, so a
page can say "preceded by / followed by". Blocking store work: call from a
worker thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kfgraph.store.base import Store
from kfgraph.vocab import sparql_prologue
from kfgraph.web.linked_data.describe import select

PROLOGUE = sparql_prologue()
DIMENSIONS = {"actor": "kfg:refActor", "place": "kfg:refPlace"}
LINKS = {"actor": "sem:hasActor", "place": "sem:hasPlace"}


def type_labels(store: Store, types: Iterable[str]) -> dict[str, str]:
    """The ``skos:prefLabel`` of each event type IRI (the IRI's last segment when it has none)."""
    wanted = sorted(set(types))
    labels = {iri: iri.rsplit("/", 1)[-1] for iri in wanted}
    if wanted:
        values = " ".join(f"<{iri}>" for iri in wanted)
        for row in select(store, f"SELECT ?t ?l WHERE {{ VALUES ?t {{ {values} }} ?t skos:prefLabel ?l }}"):
            labels[str(row["t"])] = str(row["l"])
    return labels


def _rows(store: Store, query: str) -> list[dict[str, str]]:
    """A SELECT's rows as plain strings (cheaper than rdflib terms for thousands of rows)."""
    results = store.query(PROLOGUE + query)
    names = [v.value for v in results.variables]  # type: ignore[attr-defined]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]  # type: ignore[attr-defined]


def reported_dates(store: Store, events: list[str]) -> dict[str, str]:
    """The publication date of the release each event was read from (events listed on a page: a few hundred)."""
    if not events:
        return {}
    values = " ".join(f"<{iri}>" for iri in events)
    rows = _rows(store, f"""SELECT ?e (MIN(?d) AS ?date) WHERE {{ VALUES ?e {{ {values} }}
        ?e prov:wasDerivedFrom ?r . ?r schema:datePublished ?d }} GROUP BY ?e""")
    return {row["e"]: row["date"] for row in rows if "date" in row}


def event_counts(store: Store, dimension: str, iri: str) -> dict[str, Any]:
    """Events per year of the actor or place ``iri``, one series per event type (places) or one in all (actors).

    ``{"years": [2019, …], "series": [{"type": "Patrol", "counts": [3, 0, …]}, …], "total": n}``;
    every year between the first and the last is present, so gaps show. Read from
    the summaries graph; an actor with too few events to be summarised is counted live.
    """
    by_type = dimension == "place"
    typed, keys = ("kfg:refEventType ?t ; ", "?year ?t") if by_type else ("", "?year")
    rows = _rows(store, f"""SELECT {keys} (SUM(?n) AS ?events) WHERE {{
        ?o {DIMENSIONS[dimension]} <{iri}> ; kfg:refYear ?year ; {typed}kfg:eventCount ?n }} GROUP BY {keys}""")
    if not rows:  # not summarised (few events: see summaries.MIN_EVENTS), so cheap to count here
        rows = _rows(store, f"""SELECT {keys} (COUNT(DISTINCT ?e) AS ?events) WHERE {{
            ?e {LINKS[dimension]} <{iri}> ; a schema:Event ; kfg:eventType ?t .
            ?r schema:mentions ?e ; schema:datePublished ?published . BIND(YEAR(?published) AS ?year)
        }} GROUP BY {keys}""")
    labels = type_labels(store, (row["t"] for row in rows if "t" in row)) if by_type else {}
    counts: dict[str, dict[int, int]] = {}
    for row in rows:
        if "year" in row:
            name = labels.get(row.get("t", ""), "Events")
            by_year = counts.setdefault(name, {})
            by_year[int(row["year"])] = by_year.get(int(row["year"]), 0) + int(row["events"])
    if not counts:
        return {"years": [], "series": [], "total": 0}
    seen = [year for by_year in counts.values() for year in by_year]
    years = list(range(min(seen), max(seen) + 1))
    series: list[dict[str, Any]] = [{"type": etype, "counts": [by_year.get(year, 0) for year in years]}
              for etype, by_year in sorted(counts.items(), key=lambda item: -sum(item[1].values()))]
    return {"years": years, "series": series, "total": sum(sum(s["counts"]) for s in series)}


_HOLDERS = """SELECT ?m ?person (SAMPLE(?pl) AS ?name) (MIN(?d) AS ?first) (MAX(?d) AS ?last)
    (MIN(?s) AS ?start) (MAX(?e) AS ?end) WHERE {{
      ?m org:role <{role}> ; org:member ?person . {org_pattern}
      OPTIONAL {{ ?person rdfs:label ?pl }}
      OPTIONAL {{ ?m kfg:attestedOn ?d }}
      OPTIONAL {{ ?m schema:startDate ?s }} OPTIONAL {{ ?m schema:endDate ?e }}
      OPTIONAL {{ ?m org:memberDuring/time:hasBeginning/time:inXSDDate ?s }}
      OPTIONAL {{ ?m org:memberDuring/time:hasEnd/time:inXSDDate ?e }}
    }} GROUP BY ?m ?person"""


def _holder(row: dict[str, Any], person: str) -> dict[str, Any]:
    values = {key: str(value) for key, value in row.items()}
    start = values.get("start") or values.get("first")
    end = values.get("end") or values.get("last")
    return {
        "membership": values["m"], "person": values["person"], "name": values.get("name", values["person"]),
        "start": start, "end": end, "stated": "start" in values or "end" in values,
        "first": values.get("first"), "last": values.get("last"), "self": values["person"] == person,
    }


def posts(store: Store, person: str) -> list[dict[str, Any]]:
    """Each post (role at organization) ``person`` held, in time, with every holder of that post.

    A holder's time is the membership's start and end dates when the graph states
    them, else the first and last dates releases attested it. ``preceded_by`` and
    ``followed_by`` are the holders just before and after ``person`` in that order.
    """
    rows = select(store, f"""SELECT DISTINCT ?role ?roleLabel ?org ?orgLabel WHERE {{
        ?m org:member <{person}> ; org:role ?role .
        OPTIONAL {{ ?role skos:prefLabel ?roleLabel }}
        OPTIONAL {{ ?m org:organization ?org OPTIONAL {{ ?org rdfs:label ?orgLabel }} }} }}""")
    result: list[dict[str, Any]] = []
    for post in rows:
        role, org = str(post["role"]), str(post["org"]) if "org" in post else None
        org_pattern = f"?m org:organization <{org}> ." if org else "FILTER NOT EXISTS { ?m org:organization ?any }"
        holders = [_holder(row, person) for row in select(store, _HOLDERS.format(role=role, org_pattern=org_pattern))]
        holders.sort(key=lambda h: (h["start"] or "9999", h["end"] or "9999", h["name"]))
        mine = [i for i, h in enumerate(holders) if h["self"]]
        result.append({
            "role": role, "role_label": str(post.get("roleLabel", role)),
            "org": org, "org_label": str(post.get("orgLabel", org)) if org else None,
            "holders": holders,
            "preceded_by": holders[mine[0] - 1] if mine and mine[0] > 0 else None,
            "followed_by": holders[mine[-1] + 1] if mine and mine[-1] + 1 < len(holders) else None,
        })
    result.sort(key=lambda p: min((h["start"] or "9999" for h in p["holders"] if h["self"]), default="9999"))
    return result
