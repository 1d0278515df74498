"""Single-error mutants of correct release graphs: the mistakes a buggy producer or a hand edit makes.

Each kind of mistake is a function that takes one release graph (as ``kfgraph
build`` maps it from a release in data/releases) and returns it with that one
mistake, or None when the release has nothing to break that way. ``generate``
applies every kind to up to three releases, chosen in a fixed order, so the
mutant set is the same on every run.

Every kind is expected to give a Violation, except the few listed in
``EXPECTED_WARNINGS``: there a user expects a Warning (the data may be right).

    python tests/mutants.py        # prints the table and the catch rate
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, TIME, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kfgraph.vocab import FIGURE_KIND, GEO, KFG, NIF, ORG, PROV, RANK, SCHEMA, SEM, WGS  # noqa: E402

Triple = tuple[Node, Node, Node]
Mutation = Callable[[Graph], "Graph | None"]
EXPECTED_WARNINGS = {"event dated after its release"}
"""Kinds where the data may be right and a Warning is what a user expects."""
PER_KIND = 3


@dataclass(frozen=True)
class Mutant:
    kind: str
    release: str
    graph: Graph
    expected: str
    """``Violation`` or ``Warning``."""


# --------------------------------------------------------------------------- helpers


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _release(graph: Graph) -> URIRef:
    return next(s for s in graph.subjects(RDF.type, SCHEMA.NewsArticle) if isinstance(s, URIRef))


def _first(nodes: Iterator[Node]) -> Node | None:
    return min(nodes, key=str, default=None)


def _mention(graph: Graph, *, long_text: bool = False) -> URIRef | None:
    found = sorted((m for m in graph.subjects(RDF.type, KFG.Mention)), key=str)
    if long_text:
        found = [m for m in found if len(str(graph.value(m, NIF.anchorOf) or "")) > 3]
    return found[len(found) // 2] if found else None


def _mentioned(graph: Graph, cls: URIRef) -> URIRef | None:
    release = _release(graph)
    return _first(e for e in graph.objects(release, SCHEMA.mentions) if (e, RDF.type, cls) in graph)


def _rename(graph: Graph, old: Node, new: Node) -> Graph:
    """``old`` replaced by ``new`` everywhere (a node minted under another IRI, consistently)."""
    out = Graph()
    for s, p, o in graph:
        out.add((new if s == old else s, p, new if o == old else o))
    return out


def _replace(graph: Graph, subject: Node, predicate: Node, value: Node) -> Graph:
    out = _copy(graph)
    out.set((subject, predicate, value))
    return out


def _remove(graph: Graph, pattern: tuple[Node | None, Node | None, Node | None]) -> Graph | None:
    out = _copy(graph)
    if not list(out.triples(pattern)):
        return None
    out.remove(pattern)
    return out


def _add(graph: Graph, *triples: Triple) -> Graph:
    out = _copy(graph)
    for triple in triples:
        out.add(triple)
    return out


def _with(graph: Graph, node: Node | None, change: Callable[[Node], Graph | None]) -> Graph | None:
    return None if node is None else change(node)


# --------------------------------------------------------------------------- kinds of mistake


def _end_beyond_text(g: Graph) -> Graph | None:
    text = str(g.value(_release(g), NIF.isString))
    return _with(g, _mention(g), lambda m: _replace(g, m, NIF.endIndex, Literal(len(text) + 7, datatype=XSD.nonNegativeInteger)))


def _anchor_differs(g: Graph) -> Graph | None:
    return _with(g, _mention(g, long_text=True), lambda m: _replace(g, m, NIF.anchorOf, Literal(str(g.value(m, NIF.anchorOf))[:-1] + "x")))


def _begin_shifted(g: Graph) -> Graph | None:
    return _with(g, _mention(g), lambda m: _replace(g, m, NIF.beginIndex, Literal(int(g.value(m, NIF.beginIndex)) + 1, datatype=XSD.nonNegativeInteger)))


def _span_reversed(g: Graph) -> Graph | None:
    def change(m: Node) -> Graph:
        begin, end = g.value(m, NIF.beginIndex), g.value(m, NIF.endIndex)
        return _replace(_replace(g, m, NIF.beginIndex, end), m, NIF.endIndex, begin)
    return _with(g, _mention(g), change)


def _other_release_context(g: Graph) -> Graph | None:
    other = URIRef(str(_release(g)).rsplit("/", 1)[0] + "/2019-01-01-another-release")
    return _with(g, _mention(g), lambda m: _replace(g, m, NIF.referenceContext, other))


def _mention_without_context(g: Graph) -> Graph | None:
    return _with(g, _mention(g), lambda m: _remove(g, (m, NIF.referenceContext, None)))


def _negative_begin(g: Graph) -> Graph | None:
    return _with(g, _mention(g), lambda m: _replace(g, m, NIF.beginIndex, Literal(-1)))


def _index_as_string(g: Graph) -> Graph | None:
    return _with(g, _mention(g), lambda m: _replace(g, m, NIF.endIndex, Literal(str(g.value(m, NIF.endIndex)))))


def _empty_anchor(g: Graph) -> Graph | None:
    return _with(g, _mention(g), lambda m: _replace(g, m, NIF.anchorOf, Literal("")))


def _mentions_nothing(g: Graph) -> Graph | None:
    base = str(_release(g)).split("id/release/")[0]
    return _add(g, (_release(g), SCHEMA.mentions, URIRef(base + "id/person/nobody-described")))


def _types_removed(g: Graph) -> Graph | None:
    return _with(g, _mentioned(g, SCHEMA.Person) or _mentioned(g, SCHEMA.Organization),
                 lambda e: _remove(g, (e, RDF.type, None)))


def _actor_undescribed(g: Graph) -> Graph | None:
    event = _first(g.subjects(RDF.type, SCHEMA.Event))
    base = str(_release(g)).split("id/release/")[0]
    return _with(g, event, lambda e: _add(g, (e, SEM.hasActor, URIRef(base + "id/person/someone-undescribed"))))


def _place_outside_base(g: Graph) -> Graph | None:
    place = _mentioned(g, SCHEMA.Place)
    return _with(g, place, lambda p: _rename(g, p, URIRef("http://elsewhere.example/id/place/" + str(p).rsplit("/", 1)[1])))


def _location_undescribed(g: Graph) -> Graph | None:
    event = _first(e for e in g.subjects(RDF.type, SCHEMA.Event) if g.value(e, SCHEMA.location) is not None)
    base = str(_release(g)).split("id/release/")[0]
    return _with(g, event, lambda e: _replace(g, e, SCHEMA.location, URIRef(base + "id/place/nowhere-described")))


def _unit_of_undescribed(g: Graph) -> Graph | None:
    unit = _first(g.subjects(ORG.unitOf, None))
    base = str(_release(g)).split("id/release/")[0]
    return _with(g, unit, lambda u: _replace(g, u, ORG.unitOf, URIRef(base + "id/organization/no-such-parent")))


def _rank_outside_scheme(g: Graph) -> Graph | None:
    holder = _first(g.subjects(KFG.rank, None))
    return _with(g, holder, lambda h: _replace(g, h, KFG.rank, RANK["OF-7-general-major"]))


def _rank_as_literal(g: Graph) -> Graph | None:
    holder = _first(g.subjects(KFG.rank, None))
    return _with(g, holder, lambda h: _replace(g, h, KFG.rank, Literal("Major General")))


def _rank_notation_malformed(g: Graph) -> Graph | None:
    rank = _first(g.objects(None, KFG.rank))
    return _with(g, rank, lambda r: _add(g, (r, SKOS.notation, Literal(str(r).rsplit("/", 1)[1][:4].replace("-", " ")))))


def _resolution_without_identifier(g: Graph) -> Graph | None:
    mandate = _first(m for m in g.subjects(RDF.type, SCHEMA.Legislation) if str(g.value(m, RDFS.label) or "").startswith("UNSCR "))
    def change(m: Node) -> Graph | None:
        # minted under a key the gazetteer does not know, so nothing else gives its identifier
        renamed = _rename(g, m, URIRef(str(m) + "-resolution"))
        return _remove(renamed, (URIRef(str(m) + "-resolution"), SCHEMA.legislationIdentifier, None))
    return _with(g, mandate, change)


def _identifier_malformed(g: Graph) -> Graph | None:
    mandate = _first(g.subjects(SCHEMA.legislationIdentifier, None))
    return _with(g, mandate, lambda m: _replace(g, m, SCHEMA.legislationIdentifier, Literal("S/RES/12 44")))


def _person_and_organization(g: Graph) -> Graph | None:
    return _with(g, _mentioned(g, SCHEMA.Person), lambda p: _add(g, (p, RDF.type, SCHEMA.Organization), (p, RDF.type, ORG.Organization)))


def _person_and_place(g: Graph) -> Graph | None:
    return _with(g, _mentioned(g, SCHEMA.Person), lambda p: _add(g, (p, RDF.type, SCHEMA.Place)))


def _organization_and_place(g: Graph) -> Graph | None:
    return _with(g, _mentioned(g, SCHEMA.Organization), lambda o: _add(g, (o, RDF.type, SCHEMA.Place)))


def _label_of_spaces(g: Graph) -> Graph | None:
    entity = _mentioned(g, SCHEMA.Person) or _mentioned(g, SCHEMA.Place)
    return _with(g, entity, lambda e: _replace(g, e, RDFS.label, Literal("   ")))


def _empty_headline(g: Graph) -> Graph | None:
    return _replace(g, _release(g), SCHEMA.headline, Literal(""))


def _tagged_label(g: Graph) -> Graph | None:
    entity = _mentioned(g, SCHEMA.Person)
    return _with(g, entity, lambda e: _replace(g, e, RDFS.label, Literal(str(g.value(e, RDFS.label)), lang="en")))


def _second_label(g: Graph) -> Graph | None:
    entity = _mentioned(g, SCHEMA.Person)
    return _with(g, entity, lambda e: _add(g, (e, RDFS.label, Literal(str(g.value(e, RDFS.label)).upper()))))


def _label_differs_from_gazetteer(g: Graph) -> Graph | None:
    known = _gazetteer_labelled()
    release = _release(g)
    entity = _first(e for e in g.objects(release, SCHEMA.mentions) if e in known and (e, RDF.type, SCHEMA.Organization) in g)
    return _with(g, entity, lambda e: _replace(g, e, RDFS.label, Literal(str(g.value(e, RDFS.label)) + " Command")))


_GAZETTEER: set[Node] = set()


def _gazetteer_labelled() -> set[Node]:
    """The entities the gazetteer graph gives a label."""
    if not _GAZETTEER:
        from kfgraph.shared_graphs import shared_graph_contents
        from kfgraph.settings import Settings

        for name, graph in shared_graph_contents(Settings()).items():
            if name.endswith("/graph/gazetteer"):
                _GAZETTEER.update(graph.subjects(RDFS.label, None))
    return _GAZETTEER


def _date_in_2099(g: Graph) -> Graph | None:
    release = _release(g)
    date = g.value(release, SCHEMA.datePublished)
    return None if date is None else _replace(g, release, SCHEMA.datePublished, Literal("2099" + str(date)[4:], datatype=XSD.date))


def _date_as_string(g: Graph) -> Graph | None:
    release = _release(g)
    date = g.value(release, SCHEMA.datePublished)
    return None if date is None else _replace(g, release, SCHEMA.datePublished, Literal(str(date)))


def _invalid_date(g: Graph) -> Graph | None:
    release = _release(g)
    date = g.value(release, SCHEMA.datePublished)
    return None if date is None else _replace(g, release, SCHEMA.datePublished, Literal(str(date)[:5] + "13-45", datatype=XSD.date))


def _event_after_release(g: Graph) -> Graph | None:
    date = g.value(_release(g), SCHEMA.datePublished)
    event = _first(g.subjects(RDF.type, SCHEMA.Event))
    if date is None or event is None:
        return None
    later = str(int(str(date)[:4]) + 1) + str(date)[4:]
    return _replace(g, event, SCHEMA.startDate, Literal(later, datatype=XSD.date))


def _identifier_mismatch(g: Graph) -> Graph | None:
    release = _release(g)
    return _replace(g, release, SCHEMA.identifier, Literal(str(g.value(release, SCHEMA.identifier)) + "-draft"))


def _nif_string_differs(g: Graph) -> Graph | None:
    release = _release(g)
    return _replace(g, release, NIF.isString, Literal(str(g.value(release, NIF.isString)).replace(" ", "  ", 1)))


def _checksum_malformed(g: Graph) -> Graph | None:
    release = _release(g)
    return _replace(g, release, KFG.checksum, Literal(str(g.value(release, KFG.checksum)).replace("sha256:", "")))


def _source_file_with_folder(g: Graph) -> Graph | None:
    release = _release(g)
    return _replace(g, release, KFG.sourceFile, Literal("data/releases/" + str(g.value(release, KFG.sourceFile))))


def _membership_without_organization(g: Graph) -> Graph | None:
    post = _first(g.subjects(ORG.organization, None))
    return _with(g, post, lambda m: _remove(g, (m, ORG.organization, None)))


def _member_not_a_person(g: Graph) -> Graph | None:
    post = _first(g.subjects(ORG.organization, None))
    return _with(g, post, lambda m: _replace(g, m, ORG.member, g.value(m, ORG.organization)))


def _membership_without_role(g: Graph) -> Graph | None:
    post = _first(g.subjects(RDF.type, ORG.Membership))
    return _with(g, post, lambda m: _remove(g, (m, ORG.role, None)))


def _swapped_coordinates(g: Graph) -> Graph | None:
    place = _first(p for p in g.subjects(WGS.lat, None))
    def change(p: Node) -> Graph:
        lat, long = g.value(p, WGS.lat), g.value(p, WGS.long)
        out = _replace(_replace(g, p, WGS.lat, long), p, WGS.long, lat)
        geometry = g.value(p, GEO.hasGeometry)
        if geometry is not None:
            out.set((geometry, GEO.asWKT, Literal(f"POINT({lat} {long})", datatype=GEO.wktLiteral)))
        return out
    return _with(g, place, change)


def _point_swapped(g: Graph) -> Graph | None:
    place = _first(p for p in g.subjects(GEO.hasGeometry, None) if g.value(p, WGS.lat) is not None)
    def change(p: Node) -> Graph:
        lat, long = g.value(p, WGS.lat), g.value(p, WGS.long)
        return _replace(g, g.value(p, GEO.hasGeometry), GEO.asWKT, Literal(f"POINT({lat} {long})", datatype=GEO.wktLiteral))
    return _with(g, place, change)


def _latitude_out_of_range(g: Graph) -> Graph | None:
    place = _first(g.subjects(WGS.lat, None))
    return _with(g, place, lambda p: _replace(g, p, WGS.lat, Literal("142.5", datatype=XSD.decimal)))


def _misspelled(predicate: URIRef, wrong: URIRef) -> Mutation:
    def mutate(g: Graph) -> Graph | None:
        triple = _first(iter(sorted(g.triples((None, predicate, None)), key=str)))
        if triple is None:
            return None
        out = _copy(g)
        out.remove(triple)
        out.add((triple[0], wrong, triple[2]))
        return out
    return mutate


def _misspelled_class(g: Graph) -> Graph | None:
    event = _first(g.subjects(RDF.type, SCHEMA.Event))
    return _with(g, event, lambda e: _add(_remove(g, (e, RDF.type, SCHEMA.Event)) or g, (e, RDF.type, URIRef(str(SCHEMA) + "event"))))


def _same_as_cycle(g: Graph) -> Graph | None:
    entity = _mentioned(g, SCHEMA.Organization)
    return _with(g, entity, lambda e: _add(g, (e, OWL.sameAs, URIRef(str(e) + "-2")), (URIRef(str(e) + "-2"), OWL.sameAs, e)))


def _same_as_self(g: Graph) -> Graph | None:
    entity = _mentioned(g, SCHEMA.Place)
    return _with(g, entity, lambda e: _add(g, (e, OWL.sameAs, e)))


def _event_type_outside_scheme(g: Graph) -> Graph | None:
    event = _first(g.subjects(RDF.type, SCHEMA.Event))
    return _with(g, event, lambda e: _replace(g, e, KFG.eventType, URIRef("https://w3id.org/kfgraph/event-type/Riot")))


def _event_without_source(g: Graph) -> Graph | None:
    event = _first(g.subjects(RDF.type, SCHEMA.Event))
    return _with(g, event, lambda e: _remove(g, (e, PROV.wasDerivedFrom, None)))


def _figure_not_positive(g: Graph) -> Graph | None:
    figure = _first(g.subjects(RDF.type, KFG.Figure))
    return _with(g, figure, lambda f: _replace(g, f, SCHEMA.value, Literal(0)))


def _figure_without_unit(g: Graph) -> Graph | None:
    figure = _first(g.subjects(RDF.type, KFG.Figure))
    return _with(g, figure, lambda f: _remove(g, (f, SCHEMA.unitText, None)))


def _figure_without_kind(g: Graph) -> Graph | None:
    figure = _first(g.subjects(RDF.type, KFG.Figure))
    return _with(g, figure, lambda f: _remove(g, (f, KFG.figureKind, None)))


def _figure_kind_outside_scheme(g: Graph) -> Graph | None:
    figure = _first(g.subjects(RDF.type, KFG.Figure))
    return _with(g, figure, lambda f: _replace(g, f, KFG.figureKind, FIGURE_KIND.Injured))


def _instant(g: Graph, day: str) -> tuple[URIRef, list[Triple]]:
    """A day as the mapping mints it, described as an instant (so only the interval is wrong)."""
    base = str(_release(g)).split("id/release/")[0]
    instant = URIRef(f"{base}id/instant/{day}")
    return instant, [(instant, RDF.type, TIME.Instant), (instant, TIME.inXSDDate, Literal(day, datatype=XSD.date))]


def _post_ends_before_it_begins(g: Graph) -> Graph | None:
    """The end of a post a misread year puts before its beginning (or a beginning after its end)."""
    interval = _first(i for i in g.subjects(RDF.type, TIME.Interval) if (i, TIME.hasBeginning, None) in g)
    if interval is None:
        return None
    begin = g.value(g.value(interval, TIME.hasBeginning), TIME.inXSDDate)
    instant, described = _instant(g, f"{int(str(begin)[:4]) - 10}{str(begin)[4:]}")
    return _add(g, (interval, TIME.hasEnd, instant), *described) if (interval, TIME.hasEnd, None) not in g else None


def _post_with_two_beginnings(g: Graph) -> Graph | None:
    interval = _first(i for i in g.subjects(RDF.type, TIME.Interval) if (i, TIME.hasBeginning, None) in g)
    instant, described = _instant(g, "1999-06-12")
    return _with(g, interval, lambda i: _add(g, (i, TIME.hasBeginning, instant), *described))


def _post_interval_without_source(g: Graph) -> Graph | None:
    interval = _first(g.subjects(RDF.type, TIME.Interval))
    return _with(g, interval, lambda i: _remove(g, (i, PROV.wasDerivedFrom, None)))


def _post_interval_without_bounds(g: Graph) -> Graph | None:
    interval = _first(g.subjects(RDF.type, TIME.Interval))
    if interval is None:
        return None
    out = _copy(g)
    out.remove((interval, TIME.hasBeginning, None))
    out.remove((interval, TIME.hasEnd, None))
    return out


def _instant_date_as_string(g: Graph) -> Graph | None:
    instant = _first(g.subjects(RDF.type, TIME.Instant))
    return _with(g, instant, lambda i: _replace(g, i, TIME.inXSDDate, Literal(str(g.value(i, TIME.inXSDDate)))))


def _blank_node_actor(g: Graph) -> Graph | None:
    event = _first(g.subjects(RDF.type, SCHEMA.Event))
    return _with(g, event, lambda e: _add(g, (e, SEM.hasActor, BNode("somebody"))))


KINDS: dict[str, Mutation] = {
    "mention end beyond the text": _end_beyond_text,
    "mention anchor differs from the text": _anchor_differs,
    "mention begin index shifted": _begin_shifted,
    "mention begin after end": _span_reversed,
    "mention of another release's text": _other_release_context,
    "mention without context": _mention_without_context,
    "mention begin negative": _negative_begin,
    "mention index as a string": _index_as_string,
    "mention anchor empty": _empty_anchor,
    "mentioned IRI with no triples": _mentions_nothing,
    "entity whose types were removed": _types_removed,
    "event actor nothing describes": _actor_undescribed,
    "blank node as event actor": _blank_node_actor,
    "place IRI outside the base": _place_outside_base,
    "event location nothing describes": _location_undescribed,
    "unit of an undescribed parent": _unit_of_undescribed,
    "rank not in the rank scheme": _rank_outside_scheme,
    "rank as text": _rank_as_literal,
    "rank notation malformed": _rank_notation_malformed,
    "UN resolution without identifier": _resolution_without_identifier,
    "UN identifier malformed": _identifier_malformed,
    "person also an organization": _person_and_organization,
    "person also a place": _person_and_place,
    "organization also a place": _organization_and_place,
    "label of only spaces": _label_of_spaces,
    "empty headline": _empty_headline,
    "label with a language tag": _tagged_label,
    "second label": _second_label,
    "label differs from the gazetteer": _label_differs_from_gazetteer,
    "publication date in 2099": _date_in_2099,
    "publication date as a plain string": _date_as_string,
    "invalid xsd:date": _invalid_date,
    "event dated after its release": _event_after_release,
    "identifier not the IRI's": _identifier_mismatch,
    "NIF string differs from the text": _nif_string_differs,
    "checksum without algorithm": _checksum_malformed,
    "source file with a folder": _source_file_with_folder,
    "membership without organization": _membership_without_organization,
    "membership member not a person": _member_not_a_person,
    "membership without role": _membership_without_role,
    "latitude and longitude swapped": _swapped_coordinates,
    "WKT point swapped": _point_swapped,
    "latitude out of range": _latitude_out_of_range,
    "misspelled schema: property": _misspelled(SCHEMA.datePublished, URIRef(str(SCHEMA) + "datepublished")),
    "misspelled kfg: property": _misspelled(KFG.hasMention, URIRef(str(KFG) + "hasmention")),
    "schema.org over http": _misspelled(SCHEMA.headline, URIRef("http://schema.org/headline")),
    "misspelled class": _misspelled_class,
    "owl:sameAs cycle": _same_as_cycle,
    "owl:sameAs to itself": _same_as_self,
    "event type outside the scheme": _event_type_outside_scheme,
    "event without source": _event_without_source,
    "force figure not positive": _figure_not_positive,
    "force figure without unit": _figure_without_unit,
    "figure without kind": _figure_without_kind,
    "figure kind outside the scheme": _figure_kind_outside_scheme,
    "post ends before it begins": _post_ends_before_it_begins,
    "post with two beginnings": _post_with_two_beginnings,
    "post interval without source": _post_interval_without_source,
    "post interval with no beginning or end": _post_interval_without_bounds,
    "instant date as a plain string": _instant_date_as_string,
}


def release_graphs() -> list[tuple[str, Graph]]:
    """The release graphs a build makes from data/releases, by identifier."""
    from kfgraph import sources
    from kfgraph.mapping import graph_of
    from kfgraph.pipeline import ReleaseProcessor
    from kfgraph.settings import Settings

    processor = ReleaseProcessor.from_settings(Settings())
    found = []
    for path in sources.discover([ROOT / "data" / "releases"]):
        for release in sources.read_releases(path):
            found.append((release.identifier, graph_of(processor.triples_for(release))))
    return sorted(found, key=lambda item: item[0])


def generate(bases: Sequence[tuple[str, Graph]], per_kind: int = PER_KIND) -> list[Mutant]:
    """Every kind applied to up to ``per_kind`` releases: the n-th kind starts at the n-th release (by
    identifier) and takes the next ones it applies to, so the mutants spread over all releases."""
    mutants = []
    for number, (kind, mutate) in enumerate(KINDS.items()):
        made = 0
        for identifier, graph in [*bases[number % len(bases):], *bases[:number % len(bases)]]:
            mutated = mutate(graph)
            if mutated is None:
                continue
            expected = "Warning" if kind in EXPECTED_WARNINGS else "Violation"
            mutants.append(Mutant(kind, identifier, mutated, expected))
            made += 1
            if made == per_kind:
                break
    return mutants


def caught(mutant: Mutant, report: object) -> bool:
    """A Violation when one is expected; a Warning and no Violation when a Warning is."""
    severities = {r.severity for r in report.results}  # type: ignore[attr-defined]
    if mutant.expected == "Violation":
        return "Violation" in severities
    return "Warning" in severities and "Violation" not in severities


def main() -> int:
    from kfgraph.shared_graphs import validator_from_settings
    from kfgraph.settings import Settings

    from kfgraph.validation_cli import quiet_ill_typed_literals

    validator = validator_from_settings(Settings())
    with quiet_ill_typed_literals():  # the "invalid xsd:date" mutant is made, not only checked
        mutants = generate(release_graphs())
    misses = []
    for mutant in mutants:
        with quiet_ill_typed_literals():
            report = validator.validate(mutant.graph)
        ok = caught(mutant, report)
        if not ok:
            misses.append(mutant)
        first = report.results[0] if report.results else None
        print(f"{'ok ' if ok else 'MISS'} {mutant.kind:40s} {mutant.release:55s} "
              f"{first.severity + ' ' + first.shape.rsplit('#', 1)[-1] if first and first.shape else '-'}")
    rate = 100 * (len(mutants) - len(misses)) / len(mutants)
    print(f"\n{len(mutants) - len(misses)} of {len(mutants)} mutants caught ({rate:.1f} %), {len(KINDS)} kinds")
    return 0 if rate >= 98 else 1


if __name__ == "__main__":
    sys.exit(main())
