"""What the HTML page of a resource shows, per kind: plain dicts for the templates.

``page_context(store, iri, graph)`` picks the kind from the resource's types
(person, organization, place, event, release, else the generic page) and adds
what the description alone does not hold (posts held, child units, events at
a place, the release text cut into highlighted mentions). Blocking store work:
call from a worker thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kfgraph.store.base import Store
from kfgraph.vocab import GEO, KFG, NIF, ORG, PROV, SCHEMA, SEM, WGS
from kfgraph.web.linked_data.describe import label_of, labelled, select

TEMPLATES = {
    "person": "person.html",
    "organization": "organization.html",
    "place": "place.html",
    "event": "event.html",
    "release": "release.html",
    "resource": "resource.html",
}

# Kosovo's bounding box (about 41.85–43.27 N, 20.01–21.80 E; /work/shared/reference/domain-facts.md), widened a little.
MAP_BOX = (41.75, 43.35, 19.9, 21.9)


def kind_of(graph: Graph, node: URIRef) -> str:
    types = set(graph.objects(node, RDF.type))
    if SCHEMA.NewsArticle in types:
        return "release"
    if SCHEMA.Person in types:
        return "person"
    if SCHEMA.Organization in types or ORG.Organization in types:
        return "organization"
    if SCHEMA.Event in types:
        return "event"
    if SCHEMA.Place in types:
        return "place"
    return "resource"


def _q(iri: str) -> str:
    return f"<{iri}>"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _releases(graph: Graph, node: URIRef) -> list[dict[str, Any]]:
    rows = []
    for release in set(graph.subjects(SCHEMA.mentions, node)):
        rows.append({
            "iri": str(release),
            "title": _text(graph.value(release, SCHEMA.headline)) or label_of(graph, release),
            "date": _text(graph.value(release, SCHEMA.datePublished)) or "",
        })
    return sorted(rows, key=lambda r: (r["date"], r["iri"]))


MAX_LISTED = 300
"""Events listed on a page, the latest first chosen (KFOR acts in nearly every event)."""


def _events(store: Store, pattern: str) -> list[dict[str, Any]]:
    """The latest ``MAX_LISTED`` events matching ``pattern`` (about ``?e``), in date order."""
    rows = select(store, f"""SELECT ?e (SAMPLE(?l) AS ?label) (SAMPLE(?tl) AS ?type) (MIN(?d) AS ?date)
        (SAMPLE(?desc) AS ?sentence) WHERE {{
          {pattern} ?e a schema:Event . OPTIONAL {{ ?e rdfs:label ?l }}
          OPTIONAL {{ ?e kfg:eventType/skos:prefLabel ?tl }} OPTIONAL {{ ?e schema:startDate ?d }}
          OPTIONAL {{ ?e schema:description ?desc }} }} GROUP BY ?e ORDER BY DESC(?date) ?e LIMIT {MAX_LISTED}""")
    events = [{k: str(v) for k, v in row.items()} for row in rows]
    return sorted(events, key=lambda e: (e.get("date", "9999"), e["e"]))


def _memberships(store: Store, pattern: str) -> list[dict[str, Any]]:
    rows = select(store, f"""SELECT ?m ?person (SAMPLE(?pl) AS ?personLabel) ?role (SAMPLE(?rl) AS ?roleLabel)
        ?org (SAMPLE(?ol) AS ?orgLabel) (MIN(?d) AS ?from) (MAX(?d) AS ?to) (COUNT(DISTINCT ?src) AS ?sources) WHERE {{
          {pattern} ?m a org:Membership ; org:member ?person ; org:role ?role .
          OPTIONAL {{ ?person rdfs:label ?pl }} OPTIONAL {{ ?role skos:prefLabel ?rl }}
          OPTIONAL {{ ?m org:organization ?org OPTIONAL {{ ?org rdfs:label ?ol }} }}
          OPTIONAL {{ ?m kfg:attestedOn ?d }} OPTIONAL {{ ?m prov:wasDerivedFrom ?src }}
        }} GROUP BY ?m ?person ?role ?org""")
    posts = [{k: str(v) for k, v in row.items()} for row in rows]
    return sorted(posts, key=lambda p: (p.get("from", "9999"), p["m"]))


def _person(store: Store, graph: Graph, node: URIRef) -> dict[str, Any]:
    rank = graph.value(node, KFG.rank)
    return {
        "rank": None if rank is None else {"iri": str(rank), "label": label_of(graph, rank)},
        "nationality": labelled(graph, graph.objects(node, SCHEMA.nationality)),
        "posts": _memberships(store, f"?m org:member {_q(node)} ."),
        "events": _events(store, f"?e sem:hasActor {_q(node)} ."),
    }


def _organization(store: Store, graph: Graph, node: URIRef) -> dict[str, Any]:
    children = select(store, f"SELECT DISTINCT ?c ?l WHERE {{ ?c org:unitOf {_q(node)} OPTIONAL {{ ?c rdfs:label ?l }} }}")
    return {
        "parents": labelled(graph, graph.objects(node, ORG.unitOf)),
        "children": sorted(({"iri": str(r["c"]), "label": str(r.get("l", r["c"]))} for r in children),
                           key=lambda c: c["label"]),
        "mandates": labelled(graph, graph.objects(node, KFG.operatesUnder)),
        "posts": _memberships(store, f"?m org:organization {_q(node)} ."),
        "events": _events(store, f"?e sem:hasActor {_q(node)} ."),
    }


def map_point(lat: float, lon: float, width: int = 240, height: int = 200) -> dict[str, Any]:
    """Where a point falls in the Kosovo box drawn as an SVG, and whether it is inside."""
    south, north, west, east = MAP_BOX
    inside = south <= lat <= north and west <= lon <= east
    x = (min(max(lon, west), east) - west) / (east - west) * width
    y = (north - min(max(lat, south), north)) / (north - south) * height
    return {"x": round(x, 1), "y": round(y, 1), "inside": inside, "width": width, "height": height}


def _place(store: Store, graph: Graph, node: URIRef) -> dict[str, Any]:
    lat, lon = graph.value(node, WGS.lat), graph.value(node, WGS.long)
    kind = graph.value(node, KFG.placeKind)
    coords = None
    if isinstance(lat, Literal) and isinstance(lon, Literal):
        coords = {"lat": float(lat), "lon": float(lon), "map": map_point(float(lat), float(lon))}
    geometry = graph.value(node, GEO.hasGeometry)
    south, north, west, east = MAP_BOX
    towns = select(store, f"""SELECT ?t (SAMPLE(?l) AS ?label) (SAMPLE(?la) AS ?lat) (SAMPLE(?lo) AS ?lon) WHERE {{
        ?t kfg:placeKind pkind:city ; rdfs:label ?l ; wgs:lat ?la ; wgs:long ?lo .
        FILTER(?t != {_q(node)} && ?la > {south} && ?la < {north} && ?lo > {west} && ?lo < {east}) }}
        GROUP BY ?t ORDER BY ?t LIMIT 12""")
    landmarks = [{"label": str(t["label"]), **map_point(float(str(t["lat"])), float(str(t["lon"])))} for t in towns]
    return {
        "landmarks": landmarks,
        "place_kind": None if kind is None else {"iri": str(kind), "label": label_of(graph, kind)},
        "coords": coords,
        "wkt": _text(graph.value(geometry, GEO.asWKT)) if geometry is not None else None,
        "events": _events(store, f"?e sem:hasPlace {_q(node)} ."),
    }


def _event(store: Store, graph: Graph, node: URIRef) -> dict[str, Any]:
    etype = graph.value(node, KFG.eventType)
    evidence = graph.value(node, KFG.evidence)
    source = graph.value(node, PROV.wasDerivedFrom)
    return {
        "event_type": None if etype is None else {"iri": str(etype), "label": label_of(graph, etype)},
        "date": _text(graph.value(node, SCHEMA.startDate)),
        "places": labelled(graph, graph.objects(node, SEM.hasPlace)),
        "actors": labelled(graph, graph.objects(node, SEM.hasActor)),
        "sentence": _text(graph.value(node, SCHEMA.description)),
        "evidence": None if evidence is None else str(evidence),
        "source": None if source is None else {"iri": str(source), "label": label_of(graph, source)},
    }


@dataclass(frozen=True)
class Segment:
    """A stretch of release text; ``target`` set when it is a highlighted mention."""

    text: str
    begin: int
    end: int
    target: str | None = None
    label: str | None = None
    kind: str | None = None


def segments(text: str, spans: list[dict[str, Any]]) -> list[Segment]:
    """Cut ``text`` at the mention spans; an overlapping later span is dropped (the first, longest wins)."""
    out: list[Segment] = []
    at = 0
    for span in sorted(spans, key=lambda s: (s["begin"], -s["end"])):
        begin, end = span["begin"], span["end"]
        if begin < at or end > len(text) or begin >= end:
            continue
        if begin > at:
            out.append(Segment(text[at:begin], at, begin))
        out.append(Segment(text[begin:end], begin, end, span["target"], span.get("label"), span.get("kind")))
        at = end
    if at < len(text):
        out.append(Segment(text[at:], at, len(text)))
    return out


def _kind_from_iri(iri: str) -> str:
    parts = iri.split("/id/", 1)
    return parts[1].split("/", 1)[0] if len(parts) == 2 else "other"


def _release(store: Store, graph: Graph, node: URIRef) -> dict[str, Any]:
    text = str(graph.value(node, SCHEMA.text) or "")
    rows = select(store, f"""SELECT ?m ?b ?e ?target (SAMPLE(?l) AS ?label) WHERE {{
        ?m nif:referenceContext {_q(node)} ; nif:beginIndex ?b ; nif:endIndex ?e .
        ?target kfg:hasMention ?m . OPTIONAL {{ ?target rdfs:label ?l }} }} GROUP BY ?m ?b ?e ?target""")
    spans = [{"begin": int(str(r["b"])), "end": int(str(r["e"])), "target": str(r["target"]),
              "label": str(r.get("label", "")), "kind": _kind_from_iri(str(r["target"]))} for r in rows]
    extracted: dict[str, list[dict[str, str]]] = {}
    for entity in graph.objects(node, SCHEMA.mentions):
        kind = _kind_from_iri(str(entity))
        extracted.setdefault(kind, []).append({"iri": str(entity), "label": label_of(graph, entity)})
    for items in extracted.values():
        items.sort(key=lambda i: i["label"].lower())
    figures = select(store, f"""SELECT ?f ?v ?u ?of (SAMPLE(?l) AS ?ofLabel) WHERE {{ {_q(node)} kfg:reportsFigure ?f .
        OPTIONAL {{ ?f schema:value ?v }} OPTIONAL {{ ?f schema:unitText ?u }}
        OPTIONAL {{ ?f kfg:figureOf ?of OPTIONAL {{ ?of rdfs:label ?l }} }} }} GROUP BY ?f ?v ?u ?of ORDER BY ?f""")
    place = graph.value(node, SCHEMA.locationCreated)
    return {
        "title": _text(graph.value(node, SCHEMA.headline)),
        "date": _text(graph.value(node, SCHEMA.datePublished)),
        "dateline": _text(graph.value(node, KFG.dateline)),
        "dateline_place": None if place is None else {"iri": str(place), "label": label_of(graph, place)},
        "byline": _text(graph.value(node, KFG.byline)),
        "url": _text(graph.value(node, SCHEMA.url)),
        "source_file": _text(graph.value(node, KFG.sourceFile)),
        "paragraphs": _paragraphs(segments(text, spans)),
        "mention_count": len(spans),
        "extracted": dict(sorted(extracted.items())),
        "events": _events(store, f"{_q(node)} schema:mentions ?e ."),
        "figures": [{k: str(v) for k, v in row.items()} for row in figures],
    }


def _paragraphs(parts: list[Segment]) -> list[list[Segment]]:
    """Segments grouped by paragraph (blank-line separated), so the page can use <p>."""
    paragraphs: list[list[Segment]] = [[]]
    for part in parts:
        if part.target is not None or "\n\n" not in part.text:
            paragraphs[-1].append(part)
            continue
        pieces = part.text.split("\n\n")
        offset = part.begin
        for index, piece in enumerate(pieces):
            if index:
                paragraphs.append([])
                offset += 2
            if piece:
                paragraphs[-1].append(Segment(piece, offset, offset + len(piece)))
            offset += len(piece)
    return [p for p in paragraphs if p]


def page_context(store: Store, iri: str, graph: Graph) -> tuple[str, dict[str, Any]]:
    """(template name, context) for the HTML page of ``iri`` described by ``graph``."""
    node = URIRef(iri)
    kind = kind_of(graph, node)
    context: dict[str, Any] = {
        "kind": kind,
        "label": label_of(graph, node),
        "alt_labels": sorted({str(v) for v in graph.objects(node, SKOS.altLabel)}),
        "types": labelled(graph, graph.objects(node, RDF.type)),
        "comment": _text(graph.value(node, RDFS.comment) or graph.value(node, SKOS.definition)),
        "releases": _releases(graph, node),
        "statements": _statements(graph, node),
    }
    if (node, RDF.type, ORG.Membership) in graph:
        parts = [label_of(graph, o) for o in (graph.value(node, ORG.member), graph.value(node, ORG.role),
                                              graph.value(node, ORG.organization)) if o is not None]
        context["label"] = " — ".join(parts[:1] + [", ".join(parts[1:])]) if len(parts) > 1 else context["label"]
    extra = {"person": _person, "organization": _organization, "place": _place, "event": _event,
             "release": _release}.get(kind)
    if extra is not None:
        context.update(extra(store, graph, node))
    return TEMPLATES[kind], context


def _statements(graph: Graph, node: URIRef) -> list[dict[str, Any]]:
    """Every outgoing statement, for the generic table (long texts shortened)."""
    rows = []
    for predicate, obj in graph.predicate_objects(node):
        value: dict[str, Any]
        if predicate in (SCHEMA.text, NIF.isString):
            value = {"literal": str(obj)[:280] + ("…" if len(str(obj)) > 280 else "")}
        elif isinstance(obj, URIRef):
            value = {"iri": str(obj), "label": label_of(graph, obj)}
        else:
            value = {"literal": str(obj), "datatype": label_of(graph, obj.datatype) if isinstance(obj, Literal) and obj.datatype else None}
        rows.append({"predicate": str(predicate), "predicate_label": _curie(str(predicate)), **value})
    return sorted(rows, key=lambda r: (r["predicate_label"], json.dumps(r, sort_keys=True)))


def _curie(iri: str) -> str:
    from kfgraph.vocab import PREFIXES

    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
