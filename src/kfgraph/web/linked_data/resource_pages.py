"""What the HTML page of a resource shows, per kind: plain dicts for the templates.

``page_context(store, iri, description)`` picks the kind from the resource's types
(person, organization, place, event, release, else the generic page) and reads
everything it shows from the ``Description`` the RDF formats serialize: posts
held, members and units of an organization, events at a place, the release text
cut into highlighted mentions, every group of links with its count, and the
pager. So the page and the Turtle state the same facts. Only the map's landmark
towns come from a query of their own. Blocking store work: call from a worker thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kfgraph.store.base import Store
from kfgraph.vocab import GEO, KFG, NIF, ORG, PROV, SCHEMA, SEM, WGS
from kfgraph.web.linked_data.describe import Description
from kfgraph.web.linked_data.rdf_io import label_of, labelled, select
from kfgraph.web.pages import pictures

TEMPLATES = {
    "person": "person.html",
    "organization": "organization.html",
    "place": "place.html",
    "event": "event.html",
    "release": "release.html",
    "resource": "resource.html",
}


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


def _releases(description: Description) -> list[dict[str, Any]]:
    """The releases on this page that mention the thing, newest first."""
    graph = description.graph
    group = description.group(str(SCHEMA.mentions), incoming=True)
    rows = []
    for release in group.on_page if group else ():
        rows.append({
            "iri": str(release),
            "title": _text(graph.value(release, SCHEMA.headline)) or label_of(graph, release),
            "date": _text(graph.value(release, SCHEMA.datePublished)) or "",
        })
    return rows


def _incoming(description: Description, *predicates: URIRef) -> list[URIRef]:
    """Subjects on this page linking to the thing by any of ``predicates``."""
    found: dict[URIRef, None] = {}
    for predicate in predicates:
        group = description.group(str(predicate), incoming=True)
        found.update((n, None) for n in (group.on_page if group else ()) if isinstance(n, URIRef))
    return list(found)


def _events(graph: Graph, nodes: list[URIRef]) -> list[dict[str, Any]]:
    """The events among ``nodes``, as the description states them, in date order."""
    events = []
    for node in nodes:
        if (node, RDF.type, SCHEMA.Event) not in graph:
            continue
        event: dict[str, Any] = {"e": str(node), "label": label_of(graph, node)}
        etype, date, sentence = (graph.value(node, KFG.eventType), graph.value(node, SCHEMA.startDate),
                                 graph.value(node, SCHEMA.description))
        if etype is not None:
            event["type"] = label_of(graph, etype)
            event["type_iri"] = str(etype)
        if date is not None:
            event["date"] = str(date)
        if sentence is not None:
            event["sentence"] = str(sentence)
        event["places"] = labelled(graph, graph.objects(node, SEM.hasPlace))
        event["actors"] = labelled(graph, graph.objects(node, SEM.hasActor))
        events.append(event)
    return sorted(events, key=lambda e: (e.get("date", "9999"), e["e"]))


def _memberships(graph: Graph, nodes: list[URIRef]) -> list[dict[str, Any]]:
    """The posts (``org:Membership``) among ``nodes``: who, which role, where, rank, first and last attested."""
    posts = []
    for node in nodes:
        if (node, RDF.type, ORG.Membership) not in graph:
            continue
        post: dict[str, Any] = {"m": str(node)}
        for key, predicate in (("person", ORG.member), ("role", ORG.role), ("org", ORG.organization), ("rank", KFG.rank)):
            value = graph.value(node, predicate)
            if value is not None:
                post[key] = str(value)
                post[key + "Label"] = label_of(graph, value)
        dates = sorted(str(d) for d in graph.objects(node, KFG.attestedOn))
        if dates:
            post["from"], post["to"] = dates[0], dates[-1]
        posts.append(post)
    return sorted(posts, key=lambda p: (p.get("from", "9999"), p["m"]))


def _person(store: Store, description: Description) -> dict[str, Any]:
    graph, node = description.graph, URIRef(description.iri)
    rank = graph.value(node, KFG.rank)
    return {
        "rank": None if rank is None else {"iri": str(rank), "label": label_of(graph, rank)},
        "nationality": labelled(graph, graph.objects(node, SCHEMA.nationality)),
        "posts": _memberships(graph, _incoming(description, ORG.member)),
        "events": _events(graph, _incoming(description, SEM.hasActor)),
    }


def _organization(store: Store, description: Description) -> dict[str, Any]:
    graph, node = description.graph, URIRef(description.iri)
    return {
        "parents": labelled(graph, graph.objects(node, ORG.unitOf)),
        "children": [{"iri": item.iri, "label": item.label} for item in labelled(graph, _incoming(description, ORG.unitOf))],
        "mandates": labelled(graph, graph.objects(node, KFG.operatesUnder)),
        "posts": _memberships(graph, _incoming(description, ORG.organization)),
        "events": _events(graph, _incoming(description, SEM.hasActor)),
    }


def _place(store: Store, description: Description) -> dict[str, Any]:
    graph, node = description.graph, URIRef(description.iri)
    lat, lon = graph.value(node, WGS.lat), graph.value(node, WGS.long)
    kind = graph.value(node, KFG.placeKind)
    coords = None
    if isinstance(lat, Literal) and isinstance(lon, Literal):
        coords = {"lat": float(lat), "lon": float(lon)}
    geometry = graph.value(node, GEO.hasGeometry)
    return {
        "place_kind": None if kind is None else {"iri": str(kind), "label": label_of(graph, kind)},
        "coords": coords,
        "wkt": _text(graph.value(geometry, GEO.asWKT)) if geometry is not None else None,
        "events": _events(graph, _incoming(description, SEM.hasPlace, SCHEMA.location)),
    }


def _event(store: Store, description: Description) -> dict[str, Any]:
    graph, node = description.graph, URIRef(description.iri)
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


def _release(store: Store, description: Description) -> dict[str, Any]:
    graph, node = description.graph, URIRef(description.iri)
    text = str(graph.value(node, SCHEMA.text) or "")
    spans = []
    for mention in graph.subjects(NIF.referenceContext, node):
        begin, end = graph.value(mention, NIF.beginIndex), graph.value(mention, NIF.endIndex)
        if begin is None or end is None:
            continue
        for target in graph.subjects(KFG.hasMention, mention):
            spans.append({"begin": int(str(begin)), "end": int(str(end)), "target": str(target),
                          "label": label_of(graph, target), "kind": _kind_from_iri(str(target))})
    spans.sort(key=lambda span: (span["begin"], span["end"], span["target"]))
    extracted: dict[str, list[dict[str, str]]] = {}
    for entity in graph.objects(node, SCHEMA.mentions):
        kind = _kind_from_iri(str(entity))
        extracted.setdefault(kind, []).append({"iri": str(entity), "label": label_of(graph, entity)})
    for items in extracted.values():
        items.sort(key=lambda i: i["label"].lower())
    figures = []
    for figure in sorted(graph.objects(node, KFG.reportsFigure), key=str):
        row = {"f": str(figure)}
        for key, predicate in (("v", SCHEMA.value), ("u", SCHEMA.unitText), ("of", KFG.figureOf)):
            value = graph.value(figure, predicate)
            if value is not None:
                row[key] = str(value)
        figure_kind = graph.value(figure, KFG.figureKind)
        if figure_kind is not None:
            row["kind"] = str(figure_kind).rsplit("/", 1)[-1]  # fkind:Wounded -> "Wounded"
        if "of" in row:
            row["ofLabel"] = label_of(graph, URIRef(row["of"]))
        figures.append(row)
    place = graph.value(node, SCHEMA.locationCreated)
    mentioned = [n for n in graph.objects(node, SCHEMA.mentions) if isinstance(n, URIRef)]
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
        "events": _events(graph, mentioned),
        "posts": _memberships(graph, _incoming(description, PROV.wasDerivedFrom)),
        "figures": figures,
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


def page_context(store: Store, iri: str, description: Description) -> tuple[str, dict[str, Any]]:
    """(template name, context) for the HTML page of ``iri``: everything shown comes from ``description``.

    The page states what the RDF description states (a test holds them to it); only the map's
    landmark towns are read from the store beside it.
    """
    graph, node = description.graph, URIRef(iri)
    kind = kind_of(graph, node)
    context: dict[str, Any] = {
        "kind": kind,
        "label": label_of(graph, node),
        "alt_labels": sorted({str(v) for v in graph.objects(node, SKOS.altLabel)}),
        "types": labelled(graph, graph.objects(node, RDF.type)),
        "comment": _text(graph.value(node, RDFS.comment) or graph.value(node, SKOS.definition)),
        "releases": _releases(description),
        "statements": _statements(graph, node),
        "external": _external(graph, node),
        "link_groups": _link_groups(description),
        "paging": _pager(description),
    }
    if (node, RDF.type, ORG.Membership) in graph:
        parts = [label_of(graph, o) for o in (graph.value(node, ORG.member), graph.value(node, ORG.role),
                                              graph.value(node, ORG.organization)) if o is not None]
        context["label"] = " — ".join(parts[:1] + [", ".join(parts[1:])]) if len(parts) > 1 else context["label"]
    extra = {"person": _person, "organization": _organization, "place": _place, "event": _event,
             "release": _release}.get(kind)
    if extra is not None:
        context.update(extra(store, description))
    context["pictures"] = pictures.for_page(store, kind, iri, context.get("events", []))
    return TEMPLATES[kind], context


_MATCHES = {str(SKOS.exactMatch): "the same", str(SKOS.closeMatch): "close", str(OWL.sameAs): "the same"}


def _external(graph: Graph, node: URIRef) -> list[dict[str, str]]:
    """Links to GeoNames, Wikidata and other datasets, with how close they are."""
    found = []
    for predicate, how in _MATCHES.items():
        for target in graph.objects(node, URIRef(predicate)):
            iri = str(target)
            name = ("GeoNames " + iri.rstrip("/").rsplit("/", 1)[-1] if "geonames.org" in iri
                    else "Wikidata " + iri.rsplit("/", 1)[-1] if "wikidata.org" in iri else iri)
            found.append({"iri": iri, "label": name, "how": how})
    return sorted(found, key=lambda item: item["label"])


def _link_groups(description: Description) -> list[dict[str, Any]]:
    """Every group of links, for the page's complete list: predicate, direction, count, the items on this page."""
    graph = description.graph
    groups = []
    for group in description.groups:
        items = []
        for other in group.on_page:
            if isinstance(other, URIRef):
                when = graph.value(other, SCHEMA.datePublished) or graph.value(other, SCHEMA.startDate)
                items.append({"iri": str(other), "label": _name(graph, other), "date": _text(when)})
            else:
                items.append({"literal": str(other)})
        first = (description.page - 1) * description.page_size + 1 if items else 0
        groups.append({"predicate": group.predicate, "predicate_label": _curie(group.predicate),
                       "incoming": group.incoming, "total": group.total, "members": items,
                       "first": first, "last": first + len(items) - 1 if items else 0})
    return sorted(groups, key=lambda g: (not g["incoming"], g["predicate_label"]))


def _name(graph: Graph, node: URIRef) -> str:
    """How a neighbour is named in a list: its label; a post by who holds which role where."""
    if (node, RDF.type, ORG.Membership) not in graph:
        return label_of(graph, node)
    parts = [label_of(graph, o) for o in (graph.value(node, ORG.member), graph.value(node, ORG.role),
                                          graph.value(node, ORG.organization)) if o is not None]
    return ", ".join(parts) or label_of(graph, node)


def _pager(description: Description) -> dict[str, Any] | None:
    if description.pages == 1:
        return None
    return {"page": description.page, "pages": description.pages,
            "previous": description.page - 1 if description.page > 1 else None,
            "next": description.page + 1 if description.page < description.pages else None}


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
