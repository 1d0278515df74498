"""Extraction -> rdflib Graph, following docs/vocabulary.md. Pure: no I/O.

The graph returned for a release is the content of that release's named
graph: the release node, what it mentions, events, memberships, figures and
the character spans of every mention.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

from kfgraph.iris import IriMinter, slugify
from kfgraph.models import Entity, EntityKind, Event, Extraction, Figure, FigureKind, Mention, PlaceKind, Rank, Release
from kfgraph.vocab import (
    EVENT_TYPE, FIGURE_KIND, GEO, KFG, NIF, ORG, PLACE_KIND, PREFIXES, PROV, RANK, RDF, RDFS, SCHEMA, SEM, SKOS, TIME, WGS, XSD,
)

_PLACE_CLASSES = {
    PlaceKind.CITY: SCHEMA.City,
    PlaceKind.VILLAGE: SCHEMA.Place,
    PlaceKind.MUNICIPALITY: SCHEMA.AdministrativeArea,
    PlaceKind.REGION: SCHEMA.AdministrativeArea,
    PlaceKind.COUNTRY: SCHEMA.Country,
    PlaceKind.CAMP: SCHEMA.DefenceEstablishment,
}

_KIND_CLASSES = {
    EntityKind.ORGANIZATION: (SCHEMA.Organization, ORG.Organization),
    EntityKind.PERSON: (SCHEMA.Person,),
    EntityKind.PLACE: (SCHEMA.Place,),
    EntityKind.MANDATE: (SCHEMA.Legislation,),
}


def new_graph() -> Graph:
    """An empty graph bound to the published prefixes."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


def rank_iri(rank: Rank) -> URIRef:
    """``rank:OF-7-major-general``: one concept per spelling, broader to its code."""
    return RANK[f"{rank.notation}-{slugify(rank.label)}"]


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 6))), datatype=XSD.decimal)


class _ReleaseMapper:
    """Builds one release graph; a class only to share the graph and minter."""

    def __init__(self, extraction: Extraction, minter: IriMinter) -> None:
        self.extraction = extraction
        self.release = extraction.release
        self.minter = minter
        self.triples: dict[Triple, None] = {}  # insertion-ordered set: no duplicates, stable output
        self.release_iri = minter.release(self.release.identifier)
        self.entity_iris = {entity.ref: minter.entity(entity.ref) for entity in extraction.entities}

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.triples[(s, p, o)] = None

    def build(self) -> list[Triple]:
        self._release(self.release)
        for entity in self.extraction.entities:
            self._entity(entity)
        for event in self.extraction.events:
            self._event(event)
        for figure in self.extraction.figures:
            self._figure(figure)
        return list(self.triples)

    def _release(self, release: Release) -> None:
        r = self.release_iri
        text = release.text
        self.add(r, RDF.type, SCHEMA.NewsArticle)
        self.add(r, RDF.type, NIF.Context)
        self.add(r, SCHEMA.identifier, Literal(release.identifier))
        self.add(r, SCHEMA.text, Literal(text))
        self.add(r, NIF.isString, Literal(text))
        self.add(r, KFG.sourceFile, Literal(release.source.rsplit("/", 1)[-1]))
        self.add(r, KFG.checksum, Literal(release.checksum))
        if release.date_published is not None:
            self.add(r, SCHEMA.datePublished, _date(release.date_published))
        if release.title:
            self.add(r, SCHEMA.headline, Literal(release.title))
        if release.dateline:
            self.add(r, KFG.dateline, Literal(release.dateline))
        if release.byline:
            self.add(r, KFG.byline, Literal(release.byline))
        if release.url:
            self.add(r, SCHEMA.url, URIRef(release.url))
        if self.extraction.dateline_place is not None:
            place = self.minter.entity_of(EntityKind.PLACE, self.extraction.dateline_place)
            self.add(r, SCHEMA.locationCreated, place)

    def _mention(self, subject: URIRef, mention: Mention, predicate: URIRef = KFG.hasMention) -> None:
        m = self.minter.mention(self.release.identifier, mention.start, mention.end)
        self.add(subject, predicate, m)
        self.add(m, RDF.type, KFG.Mention)
        self.add(m, RDF.type, NIF.OffsetBasedString)
        self.add(m, NIF.referenceContext, self.release_iri)
        self.add(m, NIF.beginIndex, Literal(mention.start, datatype=XSD.nonNegativeInteger))
        self.add(m, NIF.endIndex, Literal(mention.end, datatype=XSD.nonNegativeInteger))
        self.add(m, NIF.anchorOf, Literal(mention.text))

    def _entity(self, entity: Entity) -> None:
        e = self.entity_iris[entity.ref]
        self.add(self.release_iri, SCHEMA.mentions, e)
        for cls in _KIND_CLASSES[entity.kind]:
            self.add(e, RDF.type, cls)
        self.add(e, RDFS.label, Literal(entity.label))
        for alt in entity.alt_labels:
            if alt != entity.label:
                self.add(e, SKOS.altLabel, Literal(alt))
        for mention in entity.mentions:
            self._mention(e, mention)
        if entity.kind is EntityKind.ORGANIZATION:
            self._organization(e, entity)
        elif entity.kind is EntityKind.PERSON:
            self._person(e, entity)
        elif entity.kind is EntityKind.PLACE:
            self._place(e, entity)
        else:
            self._mandate(e, entity)

    def _organization(self, e: URIRef, entity: Entity) -> None:
        if entity.is_government:
            self.add(e, RDF.type, SCHEMA.GovernmentOrganization)
        if entity.parent is not None:
            parent = self.minter.entity_of(EntityKind.ORGANIZATION, entity.parent)
            self.add(e, RDF.type, ORG.OrganizationalUnit)
            self.add(e, ORG.unitOf, parent)
        for mandate in entity.mandates:
            self.add(e, KFG.operatesUnder, self.minter.entity_of(EntityKind.MANDATE, mandate))

    def _person(self, e: URIRef, entity: Entity) -> None:
        if entity.rank is not None:
            self.add(e, KFG.rank, rank_iri(entity.rank))
        if entity.nationality is not None:
            self.add(e, SCHEMA.nationality, self.minter.entity_of(EntityKind.PLACE, entity.nationality))
        for held in entity.roles:
            membership = self.minter.membership(entity.key, held.role, held.organization)
            role = self.minter.role(held.role)
            self.add(membership, RDF.type, ORG.Membership)
            self.add(membership, ORG.member, e)
            self.add(membership, ORG.role, role)
            self.add(role, RDF.type, ORG.Role)
            self.add(role, RDF.type, SKOS.Concept)
            self.add(role, SKOS.prefLabel, Literal(_role_label(held.role)))
            if held.organization is not None:
                self.add(membership, ORG.organization, self.minter.entity_of(EntityKind.ORGANIZATION, held.organization))
            if entity.rank is not None:
                self.add(membership, KFG.rank, rank_iri(entity.rank))
            if self.release.date_published is not None:
                self.add(membership, KFG.attestedOn, _date(self.release.date_published))
            self.add(membership, PROV.wasDerivedFrom, self.release_iri)
            if held.start is not None or held.end is not None:
                self._interval(membership, held.start, held.end)

    def _interval(self, membership: URIRef, start: dt.date | None, end: dt.date | None) -> None:
        """The time of a post as this release states it: an incoming commander's from the day of the change
        of command, the outgoing one's until it (W3C ORG ``org:memberDuring`` with an OWL-Time interval)."""
        interval = self.minter.membership_interval(membership, self.release.identifier)
        self.add(membership, ORG.memberDuring, interval)
        self.add(interval, RDF.type, TIME.Interval)
        self.add(interval, PROV.wasDerivedFrom, self.release_iri)
        for predicate, day in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
            if day is not None:
                instant = self.minter.instant(day)
                self.add(interval, predicate, instant)
                self.add(instant, RDF.type, TIME.Instant)
                self.add(instant, TIME.inXSDDate, _date(day))

    def _place(self, e: URIRef, entity: Entity) -> None:
        if entity.place_kind is not None:
            self.add(e, KFG.placeKind, PLACE_KIND[entity.place_kind.value])
            cls = _PLACE_CLASSES.get(entity.place_kind)
            if cls is not None and cls != SCHEMA.Place:
                self.add(e, RDF.type, cls)
        if entity.latitude is not None and entity.longitude is not None:
            self.add(e, WGS.lat, _decimal(entity.latitude))
            self.add(e, WGS.long, _decimal(entity.longitude))
            geometry = URIRef(f"{e}#geometry")
            self.add(e, GEO.hasGeometry, geometry)
            self.add(geometry, RDF.type, GEO.Geometry)
            wkt = f"POINT({round(entity.longitude, 6)} {round(entity.latitude, 6)})"
            self.add(geometry, GEO.asWKT, Literal(wkt, datatype=GEO.wktLiteral))

    def _mandate(self, e: URIRef, entity: Entity) -> None:
        if entity.legislation_identifier:
            self.add(e, SCHEMA.legislationIdentifier, Literal(entity.legislation_identifier))
        if entity.legislation_date is not None:
            self.add(e, SCHEMA.legislationDate, _date(entity.legislation_date))

    def _event(self, event: Event) -> None:
        e = self.minter.event(self.release.identifier, event.number)
        self.add(self.release_iri, SCHEMA.mentions, e)
        self.add(e, RDF.type, SCHEMA.Event)
        self.add(e, RDF.type, SEM.Event)
        self.add(e, KFG.eventType, EVENT_TYPE[event.event_type.value])
        self.add(e, RDFS.label, Literal(f"{_spaced(event.event_type.value)} ({self.release.identifier} #{event.number})"))
        self.add(e, SCHEMA.description, Literal(event.evidence.text))
        self.add(e, PROV.wasDerivedFrom, self.release_iri)
        self._mention(e, event.evidence, KFG.evidence)
        if event.date is not None:
            self.add(e, SCHEMA.startDate, _date(event.date))
        if event.place is not None:
            place = self.minter.entity_of(EntityKind.PLACE, event.place)
            self.add(e, SCHEMA.location, place)
            self.add(e, SEM.hasPlace, place)
        for participant in event.participants:
            iri = self.entity_iris.get(participant) or self.minter.entity(participant)
            self.add(e, SEM.hasActor, iri)

    def _figure(self, figure: Figure) -> None:
        f = self.minter.figure(self.release.identifier, figure.number)
        self.add(self.release_iri, KFG.reportsFigure, f)
        self.add(f, RDF.type, KFG.Figure)
        self.add(f, RDF.type, SCHEMA.QuantitativeValue)
        if figure.kind is FigureKind.FORCE_STRENGTH:
            self.add(f, RDF.type, KFG.ForceFigure)
        self.add(f, KFG.figureKind, FIGURE_KIND[figure.kind.value])
        self.add(f, SCHEMA.value, Literal(figure.value, datatype=XSD.integer))
        self.add(f, SCHEMA.unitText, Literal(figure.unit))
        self.add(f, PROV.wasDerivedFrom, self.release_iri)
        self._mention(f, figure.mention)
        if figure.subject is not None:
            self.add(f, KFG.figureOf, self.minter.entity_of(EntityKind.ORGANIZATION, figure.subject))


def _spaced(name: str) -> str:
    """``ChangeOfCommand`` -> ``Change of command``."""
    words: list[str] = []
    for char in name:
        if char.isupper() and words:
            words.append(" ")
            char = char.lower()
        words.append(char)
    return "".join(words)


def _role_label(role: str) -> str:
    """Roles start with a capital so "commander" and "Commander" are one role."""
    return role[:1].upper() + role[1:]


def map_triples(extraction: Extraction, minter: IriMinter) -> list[Triple]:
    """The named-graph content for one release, as a duplicate-free list of triples.

    The pipeline's form: building an rdflib Graph costs more than the mapping
    itself, so it is only built where needed (validation, tests).
    """
    return _ReleaseMapper(extraction, minter).build()


def map_extraction(extraction: Extraction, minter: IriMinter) -> Graph:
    """The named-graph content for one release, as an rdflib Graph."""
    return graph_of(map_triples(extraction, minter))


def graph_of(triples: Iterable[Triple]) -> Graph:
    """An rdflib Graph (with the published prefixes) holding ``triples``."""
    graph = new_graph()
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def map_entities(entities: Iterable[Entity], minter: IriMinter) -> Graph:
    """Shared facts (the gazetteer graph): entities with no release, no mentions."""
    return graph_of(entity_triples(entities, minter))


def entity_triples(entities: Iterable[Entity], minter: IriMinter) -> list[Triple]:
    """``map_entities`` as a list of triples (the pipeline's form: no rdflib Graph to build)."""
    placeholder = Extraction(
        release=Release(identifier="", source="", title=None, date_published=None, dateline=None,
                        byline=None, paragraphs=(), checksum=""),
        entities=tuple(entities),
    )
    mapper = _ReleaseMapper(placeholder, minter)
    for entity in placeholder.entities:
        mapper._entity(entity)
    return [t for t in mapper.triples if t[0] != mapper.release_iri]


def to_ntriples(graph: Graph) -> str:
    """N-Triples text of a graph, the form the store ingests."""
    return graph.serialize(format="nt")


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt_term(term: Node) -> str:
    if isinstance(term, Literal):
        quoted = '"' + str(term).translate(_NT_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    return term.n3()  # IRIs (rdflib refuses invalid ones) and blank nodes


def triples_to_ntriples(triples: Iterable[Triple]) -> str:
    """N-Triples text of triples, one line each, in the given order (much faster than a Graph round trip)."""
    return "".join(f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n" for s, p, o in triples)


__all__ = ["entity_triples", "graph_of", "map_entities", "map_extraction", "map_triples", "new_graph", "rank_iri", "to_ntriples", "triples_to_ntriples"]
