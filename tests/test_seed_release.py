"""The seed release, built by the real pipeline, proved by SPARQL (issue 2's acceptance list)."""

from __future__ import annotations

import pytest

from kfgraph.pipeline import build
from kfgraph.settings import Settings
from kfgraph.store import open_store
from kfgraph.vocab import sparql_prologue

from kfgraph.settings import PROJECT_ROOT

RELEASES = PROJECT_ROOT / "data" / "releases"

SEED = RELEASES / "2022-12-21-kfor-jarinje-presence.txt"
R = '?r a schema:NewsArticle ; schema:identifier "2022-12-21-kfor-jarinje-presence" . '


@pytest.fixture(scope="module")
def store():
    store = open_store(None)
    summary = build([SEED], settings=Settings(workers=1), store=store)
    assert summary.count("stored") == 1, summary.to_json()
    return store


def ask(store, pattern: str) -> bool:
    return bool(store.query(sparql_prologue() + "ASK { " + R + pattern + " }"))


def mentioned(label: str) -> str:
    return f'?r schema:mentions ?x . {{ ?x rdfs:label "{label}" }} UNION {{ ?x skos:altLabel "{label}" }}'


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("dated 2022-12-21", '?r schema:datePublished "2022-12-21"^^xsd:date'),
        ("dateline Pristina", '?r kfg:dateline ?d ; schema:locationCreated/rdfs:label "Pristina" . FILTER(LCASE(?d) = "pristina")'),
        (
            "Ristuccia, Major General OF-7",
            '?r schema:mentions ?p . ?p a schema:Person ; rdfs:label "Angelo Michele Ristuccia" ; '
            'kfg:rank/skos:prefLabel "Major General" ; kfg:rank/skos:notation "OF-7"',
        ),
        (
            "Ristuccia commander of KFOR",
            '?m org:member/rdfs:label "Angelo Michele Ristuccia" ; org:role/skos:prefLabel "Commander" ; '
            'org:organization/rdfs:label "KFOR" ; kfg:attestedOn "2022-12-21"^^xsd:date',
        ),
        ("KFOR under UNSCR 1244 (1999)", '?k rdfs:label "KFOR" ; kfg:operatesUnder ?u . ?u schema:legislationIdentifier "S/RES/1244 (1999)" ; schema:legislationDate "1999-06-10"^^xsd:date . ?r schema:mentions ?u'),
        (
            "an Exercise on 2022-12-19 at Novo Selo Camp with KFOR",
            '?r schema:mentions ?e . ?e kfg:eventType/skos:prefLabel "Exercise" ; schema:startDate "2022-12-19"^^xsd:date ; '
            'schema:location ?l ; sem:hasActor/rdfs:label "KFOR" ; prov:wasDerivedFrom ?r . '
            '{ ?l rdfs:label "Novo Selo Camp" } UNION { ?l skos:altLabel "Novo Selo Camp" }',
        ),
        (
            "a Deployment at Jarinje with KFOR Regional Command-East",
            '?r schema:mentions ?e . ?e kfg:eventType/skos:prefLabel "Deployment" ; schema:location/rdfs:label "Jarinje" ; sem:hasActor ?a . '
            '{ ?a rdfs:label "KFOR Regional Command-East" } UNION { ?a skos:altLabel "KFOR Regional Command-East" } UNION { ?a rdfs:label "Regional Command-East" }',
        ),
        ("EULEX", mentioned("EULEX")),
        ("Kosovo Police", mentioned("Kosovo Police")),
        ("Government of Montenegro", mentioned("Government of Montenegro")),
        ("NATO", mentioned("NATO")),
        ("Jarinje", mentioned("Jarinje")),
        ("Pristina", mentioned("Pristina")),
        ("Kosovo", mentioned("Kosovo")),
        ("Western Balkans", mentioned("Western Balkans")),
        ("3,700 personnel", '?r kfg:reportsFigure ?f . ?f schema:value 3700 ; schema:unitText "personnel"'),
        ("27 countries", '?r kfg:reportsFigure ?f . ?f schema:value 27 ; schema:unitText "countries"'),
    ],
)
def test_seed_fact(store, what: str, pattern: str) -> None:
    assert ask(store, pattern), what


def test_kfor_is_one_entity_however_named(store) -> None:
    query = sparql_prologue() + "SELECT DISTINCT ?x WHERE { " + R + """
        ?r schema:mentions ?x . ?x a schema:Organization .
        { ?x rdfs:label ?n } UNION { ?x skos:altLabel ?n }
        FILTER (LCASE(STR(?n)) IN ("kfor", "kosovo force", "nato-led kfor mission")) }"""
    assert len(list(store.query(query))) == 1


def test_nothing_from_the_site_footer(store) -> None:
    for label in ("Camp Film City", "KFOR HQ Pristina", "Media Operations"):
        assert not ask(store, mentioned(label)), label
    text = next(iter(store.query(sparql_prologue() + "SELECT ?t WHERE { " + R + " ?r schema:text ?t }")))[0].value
    assert "10000, Pristina" not in text and "Search our content" not in text
