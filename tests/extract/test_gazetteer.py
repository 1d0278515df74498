"""The gazetteer files: they load, name their sources, fold spellings, and pickle cheaply."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kfgraph.errors import ConfigurationError
from kfgraph.extract import FakeExtractor, load_gazetteer
from kfgraph.extract.gazetteer import fold, name_key
from kfgraph.iris import slugify
from kfgraph.models import Entity, EntityKind, PlaceKind, Release
from kfgraph.settings import PROJECT_ROOT

FOLDER = PROJECT_ROOT / "data" / "gazetteer"


def test_every_file_names_its_sources():
    files = sorted(FOLDER.glob("*.csv"))
    assert {"places.csv", "organizations.csv", "mandates.csv", "persons.csv", "places-world.csv", "links.csv"} == {
        f.name for f in files}
    for path in files:
        head = path.read_text(encoding="utf-8").splitlines()[:4]
        assert any(line.startswith("#") and "ource" in line for line in head), path.name


def test_required_places_and_keys(gazetteer):
    municipalities = [e for e in gazetteer.entities() if e.place_kind in (PlaceKind.MUNICIPALITY, PlaceKind.CITY)
                      and e.latitude is not None and 41.8 < e.latitude < 43.3 and 20 < (e.longitude or 0) < 21.8]
    assert len(municipalities) >= 37  # the 38 seats but North Mitrovica, which has no GeoNames point
    for key in ("pristina", "jarinje", "brnjak", "merdare", "camp-film-city", "camp-bondsteel", "kosovo"):
        assert gazetteer.get(EntityKind.PLACE, key) is not None, key
    for key in ("kfor", "nato", "eulex", "kosovo-police", "rc-e", "jfc-naples", "unmik"):
        assert gazetteer.get(EntityKind.ORGANIZATION, key) is not None, key
    assert gazetteer.get(EntityKind.MANDATE, "unscr-1244") is not None


def test_keys_are_slugs_and_labels_unique_per_kind(gazetteer):
    for entity in (*gazetteer.entities(), *gazetteer.persons()):
        assert entity.key == slugify(entity.key), entity.key
    for kind in EntityKind:
        labels = [e.label for e in (*gazetteer.entities(), *gazetteer.persons()) if e.kind is kind]
        assert len(labels) == len(set(labels)), kind


def test_persons_have_key_from_label_and_stay_out_of_the_gazetteer_graph(gazetteer):
    persons = gazetteer.persons()
    assert len(persons) >= 30
    assert all(e.kind is not EntityKind.PERSON for e in gazetteer.entities())  # vocabulary.md: places, orgs, mandates
    assert all(p.key == slugify(p.label) for p in persons)


def test_lookup_folds_case_accents_and_homoglyphs(gazetteer):
    assert gazetteer.lookup("PRISTINA").key == "pristina"
    assert gazetteer.lookup("Pejё").key == "peja"
    assert gazetteer.lookup("Leposavić", EntityKind.PLACE).key == "leposaviq"
    assert gazetteer.lookup("nowhere at all") is None


def test_fold_keeps_length():
    text = "Prishtinë, Pejё – Đakovica’s"
    assert len(fold(text)) == len(text)
    assert name_key("D’Addario") == "daddario"


def test_pickles_small(gazetteer):
    data = pickle.dumps(gazetteer)
    assert len(data) < 600_000  # with the ~1,900 GeoNames places of places-world.csv
    assert pickle.loads(data).lookup("Jarinje").key == "jarinje"


def test_bad_row_is_a_configuration_error(tmp_path: Path):
    (tmp_path / "places.csv").write_text("# Source: test\nkey,label,kind,lat,lon,aliases,demonyms,source\nx,X,planet,,,,,\n")
    with pytest.raises(ConfigurationError):
        load_gazetteer(tmp_path)


def test_fake_extractor_returns_its_canned_result():
    entity = Entity(EntityKind.ORGANIZATION, "kfor", "KFOR")
    fake = FakeExtractor([entity], dateline_place="pristina")
    release = Release("r1", "r1.txt", None, None, None, None, ("KFOR.",), "sha256:0")
    result = fake.extract(release)
    assert result.entities == (entity,) and result.dateline_place == "pristina" and result.release is release
    assert fake.seen == ["r1"]


def test_gazetteer_graph_has_spellings_but_releases_only_what_they_wrote(gazetteer, run):
    assert "Prishtinë" in gazetteer.get(EntityKind.PLACE, "pristina").alt_labels
    result = run("KFOR patrolled Pristina.")
    assert all(e.alt_labels == () for e in result.entities)


def test_world_places_are_for_extraction_only(gazetteer, run, by_key):
    # GeoNames towns and countries help reading releases; the gazetteer graph keeps the curated places only,
    # and a world place enters the graph with the release that names it (with its GeoNames point)
    assert gazetteer.get(EntityKind.PLACE, "thessaloniki") is not None
    assert all(e.key != "thessaloniki" for e in gazetteer.entities())
    assert any(e.key == "pristina" for e in gazetteer.entities())
    place = by_key(run("Troops sailed from Thessaloniki."), EntityKind.PLACE)["thessaloniki"]
    assert place.latitude is not None and place.place_kind is PlaceKind.CITY
