"""What the search index keeps of one named graph: ``GraphDocument``, read from its triples.

A graph is read the way it is stored (N-Triples of a ``GraphUpdate``, or the
triples the store holds for it), so the index needs nothing but the graphs:

* the release it describes, if any (``schema:NewsArticle``): identifier,
  headline, date, source file and text;
* the entities it names, with what the index shows and searches: kind,
  ``rdfs:label`` / ``skos:altLabel`` / ``skos:prefLabel`` names, a detail
  (rank, place kind, event type and date, resolution number) and, for events,
  the sentence they come from and the names of their places and actors;
* which of them the release mentions (``schema:mentions``), with how many text
  spans (``kfg:hasMention``) name each one in this graph;
* the labels of concepts (ranks, event types, place kinds) it defines, so a
  detail reads "Colonel", not an IRI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kfgraph.search.links import BY_PREDICATE, LinkFacts
from kfgraph.vocab import KFG, RDF, RDFS, SCHEMA, SEM, SKOS

_TYPE, _LABEL, _ALT, _PREF = str(RDF.type), str(RDFS.label), str(SKOS.altLabel), str(SKOS.prefLabel)
_MENTIONS, _HAS_MENTION = str(SCHEMA.mentions), str(KFG.hasMention)
_KINDS = {
    str(SCHEMA.NewsArticle): "release",
    str(SCHEMA.Person): "person",
    str(SCHEMA.Organization): "organization",
    str(SCHEMA.Place): "place",
    str(SCHEMA.Event): "event",
    str(SCHEMA.Legislation): "mandate",
}
"""rdf:type → the kind the index files it under (other typed things are not searchable)."""
_DETAIL = {str(KFG.rank): "rank", str(KFG.placeKind): "kind", str(KFG.eventType): "type"}
_RELEASE = {
    str(SCHEMA.identifier): "identifier",
    str(SCHEMA.headline): "headline",
    str(SCHEMA.datePublished): "published",
    str(SCHEMA.text): "text",
    str(KFG.sourceFile): "source_file",
}
_EVENT = {str(SCHEMA.startDate): "date", str(SCHEMA.description): "description"}
_LINKS = {str(SCHEMA.location): "places", str(SEM.hasActor): "actors"}
_LEGISLATION_ID = str(SCHEMA.legislationIdentifier)
WANTED = frozenset({_TYPE, _LABEL, _ALT, _PREF, _MENTIONS, _HAS_MENTION, _LEGISLATION_ID,
                    *_DETAIL, *_RELEASE, *_EVENT, *_LINKS, *BY_PREDICATE})
"""The predicates the index reads; every other triple is skipped."""


@dataclass
class EntityFacts:
    """What one graph says about one searchable thing."""

    iri: str
    kind: str = ""
    label: str = ""
    names: set[str] = field(default_factory=set)
    detail: str = ""
    """A concept IRI (rank, place kind, event type) or a plain text (a resolution number)."""
    date: str = ""
    description: str = ""
    places: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)


@dataclass
class ReleaseFacts:
    iri: str
    identifier: str = ""
    headline: str = ""
    published: str = ""
    text: str = ""
    source_file: str = ""


@dataclass
class GraphDocument:
    """What the index keeps of one named graph."""

    graph: str
    release: ReleaseFacts | None = None
    entities: dict[str, EntityFacts] = field(default_factory=dict)
    mentioned: dict[str, int] = field(default_factory=dict)
    """Entities the release mentions → text spans naming each (0: named only in a dateline, byline …)."""
    concepts: dict[str, str] = field(default_factory=dict)
    """Concept IRI → its ``skos:prefLabel``."""
    links: LinkFacts = field(default_factory=lambda: LinkFacts({}, {}))
    """The growing links it states (``links.py``)."""
    predicates: set[str] = field(default_factory=set)
    """Every predicate it uses."""

    def names_of(self, iri: str) -> list[str]:
        """The label of ``iri`` as this graph states it, else its other names (for event summaries)."""
        facts = self.entities.get(iri)
        if facts is None:
            return []
        return [facts.label] if facts.label else sorted(facts.names)


def document_of(graph: str, triples: Iterable[ox.Triple], predicates: set[str] | None = None) -> GraphDocument:
    """The ``GraphDocument`` of the named graph ``graph`` holding ``triples``.

    ``predicates``: every predicate of the graph, when ``triples`` holds only the wanted ones.
    """
    facts: dict[str, EntityFacts] = {}
    release: ReleaseFacts | None = None
    mentioned: set[str] = set()
    spans: dict[str, int] = {}
    concepts: dict[str, str] = {}
    kinds: dict[str, str] = {}
    releases: dict[str, ReleaseFacts] = {}
    seen: set[str] = set()
    growing: list[tuple[str, str, str]] = []  # (subject, predicate, object) of LINKS

    def entity(iri: str) -> EntityFacts:
        found = facts.get(iri)
        if found is None:
            found = facts[iri] = EntityFacts(iri)
        return found

    for triple in triples:
        predicate = triple.predicate.value
        seen.add(predicate)
        if predicate not in WANTED or not isinstance(triple.subject, ox.NamedNode):
            continue
        subject, obj = triple.subject.value, triple.object
        if isinstance(obj, ox.Triple):
            continue
        value = obj.value
        if predicate in BY_PREDICATE and isinstance(obj, ox.NamedNode):
            growing.append((subject, predicate, value))
        if predicate == _TYPE:
            kind = _KINDS.get(value)
            if kind:
                kinds[subject] = kind
        elif predicate == _PREF:
            concepts[subject] = value
            entity(subject).names.add(value)
        elif predicate == _LABEL:
            node = entity(subject)
            node.label = node.label or value
            node.names.add(value)
        elif predicate == _ALT:
            entity(subject).names.add(value)
        elif predicate == _MENTIONS:
            mentioned.add(value)
        elif predicate == _HAS_MENTION:
            spans[subject] = spans.get(subject, 0) + 1
        elif predicate in _DETAIL:
            entity(subject).detail = value
        elif predicate == _LEGISLATION_ID:
            node = entity(subject)
            node.detail = value
            node.names.add(value)
        elif predicate in _RELEASE:
            setattr(releases.setdefault(subject, ReleaseFacts(subject)), _RELEASE[predicate], value)
        elif predicate in _EVENT:
            setattr(entity(subject), _EVENT[predicate], value)
        elif predicate in _LINKS and isinstance(obj, ox.NamedNode):
            getattr(entity(subject), _LINKS[predicate]).append(value)

    for iri, kind in kinds.items():
        if kind == "release":
            release = releases.get(iri) or ReleaseFacts(iri)
            continue
        node = entity(iri)
        node.kind = kind
        if kind == "event":  # its rdfs:label is generated ("Other (release #1)"): its name is its type
            node.label = ""
            node.names = {concept_name(node.detail)} if node.detail else set()
    entities = {iri: node for iri, node in facts.items() if node.kind}
    document = GraphDocument(graph, release, entities, concepts=concepts, predicates=predicates or seen)
    document.links = _link_facts(growing, release, entities)
    if release is not None:
        document.mentioned = {iri: spans.get(iri, 0) for iri in mentioned if iri in entities}
    return document


def _link_facts(growing: list[tuple[str, str, str]], release: ReleaseFacts | None,
                entities: dict[str, EntityFacts]) -> LinkFacts:
    """Count the growing links per (node, link); list those from the release or its events."""
    facts = LinkFacts({}, {})
    for subject, predicate, obj in growing:
        link = BY_PREDICATE[predicate]
        node = obj if link.incoming else subject
        key = (node, link.code)
        facts.totals[key] = facts.totals.get(key, 0) + 1
        if link.from_release and release is not None and subject == release.iri:
            facts.items.setdefault(key, []).append("")
        elif link.from_event and subject in entities and entities[subject].kind == "event":
            facts.items.setdefault(key, []).append(subject)
    return facts


def concept_name(iri: str) -> str:
    """A readable name from a concept IRI's last segment, until its label is known.

    >>> concept_name("https://w3id.org/kfgraph/event-type/ChangeOfCommand"), concept_name("https://w3id.org/kfgraph/rank/OF-5-colonel")
    ('Change of command', 'Colonel')
    """
    local = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    local = re.sub(r"^O[FR]-\d+-", "", local)
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).replace("-", " ").split()
    return " ".join(words).capitalize()


def document_of_ntriples(graph: str, ntriples: str) -> GraphDocument:
    """The ``GraphDocument`` of a graph given as N-Triples text (a ``GraphUpdate``)."""
    predicates: set[str] = set()
    wanted = []
    for line in ntriples.splitlines():
        predicate = _predicate_of(line)
        if predicate is not None:
            predicates.add(predicate)
            if predicate in WANTED:
                wanted.append(line)
    return document_of(graph, ox.parse("\n".join(wanted).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES), predicates)


def _predicate_of(line: str) -> str | None:
    """The predicate IRI of an N-Triples line (a cheap split before parsing); None for other lines.

    >>> _predicate_of('_:b1 <http://x/p> "o" .'), _predicate_of('<http://x/s> <http://x/q> <http://x/o> .')
    ('http://x/p', 'http://x/q')
    """
    line = line.lstrip()
    if line.startswith("<"):
        end = line.find(">")
    elif line.startswith("_:"):
        end = line.find(" ") - 1
    else:
        return None
    rest = line[end + 1:].lstrip() if end > 0 else ""
    if not rest.startswith("<"):
        return None
    close = rest.find(">")
    return rest[1:close] if close > 0 else None
