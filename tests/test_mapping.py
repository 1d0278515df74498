"""Extraction -> Graph follows docs/vocabulary.md; checked by SPARQL over a hand-made extraction."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kfgraph.iris import IriMinter
from kfgraph.mapping import map_extraction, to_ntriples
from kfgraph.models import (
    Entity,
    EntityKind,
    EntityRef,
    Event,
    EventType,
    Extraction,
    Figure,
    FigureKind,
    Mention,
    PlaceKind,
    Rank,
    Release,
    RoleHeld,
)
from kfgraph.vocab import sparql_prologue

TEXT = "KFOR Commander Major General Ada Lovelace visited Jarinje on 3 May 2023. KFOR has 4,000 personnel."


def span(word: str, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(word, start + 1)
    return Mention(start, start + len(word), word)


@pytest.fixture
def extraction() -> Extraction:
    release = Release(
        identifier="2023-05-04-test",
        source="data/releases/2023-05-04-test.txt",
        title="A visit",
        date_published=dt.date(2023, 5, 4),
        dateline="PRISTINA",
        byline=None,
        paragraphs=(TEXT,),
        checksum="sha256:00",
    )
    kfor = Entity(EntityKind.ORGANIZATION, "kfor", "KFOR", ("Kosovo Force",), (span("KFOR"), span("KFOR", 1)),
                  mandates=("unscr-1244",))
    person = Entity(EntityKind.PERSON, "ada-lovelace", "Ada Lovelace", (), (span("Ada Lovelace"),),
                    rank=Rank("Major General", "OF-7"), roles=(RoleHeld("Commander", "kfor"),))
    place = Entity(EntityKind.PLACE, "jarinje", "Jarinje", ("Jarinjë",), (span("Jarinje"),),
                   place_kind=PlaceKind.CROSSING, latitude=43.21861, longitude=20.69167)
    event = Event(1, EventType.VISIT, Mention(0, TEXT.index(".") + 1, TEXT[: TEXT.index(".") + 1]),
                  date=dt.date(2023, 5, 3), place="jarinje",
                  participants=(EntityRef(EntityKind.PERSON, "ada-lovelace"), EntityRef(EntityKind.ORGANIZATION, "kfor")))
    figure = Figure(1, 4000, "personnel", span("4,000 personnel"), subject="kfor", kind=FigureKind.FORCE_STRENGTH)
    return Extraction(release, (kfor, person, place), (event,), (figure,), dateline_place="pristina")


def ask(graph, body: str) -> bool:
    return bool(graph.query(sparql_prologue() + f"ASK {{ {body} }}").askAnswer)


MINTER = IriMinter("http://localhost:8000/")


@pytest.mark.parametrize(
    "pattern",
    [
        '?r a schema:NewsArticle ; schema:identifier "2023-05-04-test" ; schema:datePublished "2023-05-04"^^xsd:date ; schema:headline "A visit"',
        '?r kfg:dateline "PRISTINA" ; schema:locationCreated <http://localhost:8000/id/place/pristina>',
        '?r schema:mentions ?e . ?e rdfs:label "KFOR" ; skos:altLabel "Kosovo Force" ; a schema:Organization',
        '?p a schema:Person ; rdfs:label "Ada Lovelace" ; kfg:rank ?rank . FILTER(STRENDS(STR(?rank), "OF-7-major-general"))',
        '?m a org:Membership ; org:member ?p ; org:organization ?o ; org:role/skos:prefLabel "Commander" ; kfg:attestedOn "2023-05-04"^^xsd:date . ?o rdfs:label "KFOR"',
        '?e a schema:Event ; kfg:eventType etype:Visit ; schema:startDate "2023-05-03"^^xsd:date ; schema:location/rdfs:label "Jarinje" ; sem:hasActor ?a ; prov:wasDerivedFrom ?r . ?a rdfs:label "Ada Lovelace" . ?r a schema:NewsArticle',
        '?k rdfs:label "KFOR" ; kfg:operatesUnder <http://localhost:8000/id/mandate/unscr-1244>',
        '?pl rdfs:label "Jarinje" ; kfg:placeKind pkind:crossing ; wgs:lat 43.21861 ; wgs:long 20.69167',
        '?f a kfg:Figure, kfg:ForceFigure ; schema:value 4000 ; schema:unitText "personnel" ; kfg:figureOf/rdfs:label "KFOR" ; kfg:figureKind fkind:ForceStrength',
    ],
)
def test_contract_patterns(extraction: Extraction, pattern: str) -> None:
    graph = map_extraction(extraction, MINTER)
    assert ask(graph, pattern), pattern


def test_every_mention_span_matches_release_text(extraction: Extraction) -> None:
    graph = map_extraction(extraction, MINTER)
    rows = list(graph.query(sparql_prologue() + "SELECT ?b ?e ?t WHERE { ?m nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?t }"))
    assert len(rows) == 6  # KFOR twice, Ada Lovelace, Jarinje, the event sentence, the figure
    text = extraction.release.text
    for begin, end, anchor in rows:
        assert text[int(begin) : int(end)] == str(anchor)


def test_mapping_is_deterministic(extraction: Extraction) -> None:
    first, second = map_extraction(extraction, MINTER), map_extraction(extraction, MINTER)
    if not isomorphic(first, second):
        _, only_first, only_second = graph_diff(to_isomorphic(first), to_isomorphic(second))
        pytest.fail(f"graphs differ:\n{only_first.serialize(format='nt')}\n---\n{only_second.serialize(format='nt')}")
    assert to_ntriples(first).count("\n") == len(first)


def test_base_iri_is_configurable(extraction: Extraction) -> None:
    graph = map_extraction(extraction, IriMinter("https://kfor.example.org/kg/"))
    subjects = {str(s) for s in graph.subjects() if not str(s).startswith("https://w3id.org/")}
    assert subjects and all(s.startswith("https://kfor.example.org/kg/") for s in subjects)


def test_only_strength_figures_are_force_figures(extraction: Extraction) -> None:
    # why: casualties and participants are never a force's strength, so they are not kfg:ForceFigure
    wounded = Figure(2, 21, "soldiers", extraction.figures[0].mention, subject="kfor", kind=FigureKind.WOUNDED)
    graph = map_extraction(replace(extraction, figures=(wounded,)), MINTER)
    assert ask(graph, '?f a kfg:Figure ; schema:value 21 ; kfg:figureKind fkind:Wounded')
    assert not ask(graph, "?f a kfg:ForceFigure")
