"""A store for the Linked Data tests, built once per session.

Preferred: the real pipeline over ``data/releases``. While the rule extractor
is not importable yet, the store is built from two hand-made extractions
(invented text and people; places and codes from the gazetteer) mapped by the
real ``kfgraph.mapping`` plus the ontology and gazetteer graphs, so the shape
follows docs/vocabulary.md either way. ``BUILT_BY`` says which was used.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import Graph

from kfgraph.iris import IriMinter
from kfgraph.mapping import map_entities, map_extraction, to_ntriples
from kfgraph.models import (
    Entity,
    EntityKind,
    EntityRef,
    Event,
    EventType,
    Extraction,
    Figure,
    Mention,
    PlaceKind,
    Rank,
    Release,
    RoleHeld,
)
from kfgraph.settings import PROJECT_ROOT, Settings
from kfgraph.store import GraphUpdate, OxigraphStore, open_store

RELEASES = PROJECT_ROOT / "data" / "releases"


def _span(text: str, word: str, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return Mention(start, start + len(word), word)


def _sentence(text: str, word: str) -> Mention:
    at = text.index(word)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.index(".", at) + 1
    return Mention(start, end, text[start:end])


def hand_made_extractions() -> list[Extraction]:
    """Two invented releases (people and wording are fictitious; Jarinje's coordinates from domain-facts.md)."""
    text1 = ("KFOR Commander Major General Ada Lovelace visited the Jarinje crossing on 3 May 2023.\n\n"
             "She met soldiers of Regional Command-East. KFOR has 4,000 personnel in Kosovo.")
    kfor = Entity(EntityKind.ORGANIZATION, "kfor", "KFOR", ("Kosovo Force",),
                  (_span(text1, "KFOR"), _span(text1, "KFOR", 1)), mandates=("unscr-1244",))
    rce = Entity(EntityKind.ORGANIZATION, "rc-east", "Regional Command-East", (), (_span(text1, "Regional Command-East"),),
                 parent="kfor")
    ada = Entity(EntityKind.PERSON, "ada-lovelace", "Ada Lovelace", (), (_span(text1, "Ada Lovelace"),),
                 rank=Rank("Major General", "OF-7"), roles=(RoleHeld("Commander", "kfor"),))
    jarinje = Entity(EntityKind.PLACE, "jarinje", "Jarinje", ("Jarinjë",), (_span(text1, "Jarinje"),),
                     place_kind=PlaceKind.CROSSING, latitude=43.21861, longitude=20.69167)
    kosovo = Entity(EntityKind.PLACE, "kosovo", "Kosovo", (), (_span(text1, "Kosovo"),), place_kind=PlaceKind.REGION)
    mandate = Entity(EntityKind.MANDATE, "unscr-1244", "UNSCR 1244", (), (),
                     legislation_identifier="S/RES/1244 (1999)", legislation_date=dt.date(1999, 6, 10))
    visit = Event(1, EventType.VISIT, _sentence(text1, "visited"), date=dt.date(2023, 5, 3), place="jarinje",
                  participants=(ada.ref, kfor.ref))
    meeting = Event(2, EventType.MEETING, _sentence(text1, "She met"), participants=(ada.ref, rce.ref))
    figure = Figure(1, 4000, "personnel", _span(text1, "4,000 personnel"), subject="kfor")
    release1 = Release("2023-05-04-test-visit", "tests/2023-05-04-test-visit.txt", "Commander visits Jarinje",
                       dt.date(2023, 5, 4), "PRISTINA", "Story by a test writer", tuple(text1.split("\n\n")),
                       "sha256:01")
    text2 = "Soldiers of KFOR trained with Regional Command-East near Jarinje on 2 June 2024."
    release2 = Release("2024-06-03-test-training", "tests/2024-06-03-test-training.txt", "Training near Jarinje",
                       dt.date(2024, 6, 3), None, None, (text2,), "sha256:02")
    kfor2 = Entity(EntityKind.ORGANIZATION, "kfor", "KFOR", (), (_span(text2, "KFOR"),), mandates=("unscr-1244",))
    rce2 = Entity(EntityKind.ORGANIZATION, "rc-east", "Regional Command-East", (),
                  (_span(text2, "Regional Command-East"),), parent="kfor")
    jarinje2 = Entity(EntityKind.PLACE, "jarinje", "Jarinje", (), (_span(text2, "Jarinje"),),
                      place_kind=PlaceKind.CROSSING, latitude=43.21861, longitude=20.69167)
    training = Event(1, EventType.TRAINING, Mention(0, len(text2), text2), date=dt.date(2024, 6, 2), place="jarinje",
                     participants=(EntityRef(EntityKind.ORGANIZATION, "kfor"), rce2.ref))
    return [
        Extraction(release1, (kfor, rce, ada, jarinje, kosovo, mandate), (visit, meeting), (figure,),
                   dateline_place="pristina"),
        Extraction(release2, (kfor2, rce2, jarinje2), (training,)),
    ]


BUILT_BY = ""


def build_store(path: Path, settings: Settings) -> OxigraphStore:
    """Build the test store at ``path``; sets ``BUILT_BY`` to ``pipeline`` or ``hand-made``."""
    global BUILT_BY
    store = open_store(path)
    try:
        from kfgraph.pipeline import build
    except ImportError:
        build = None
    if build is not None:
        summary = build([RELEASES], settings=settings, store=store)
        assert summary.count("stored") > 0, summary.to_json()
        BUILT_BY = "pipeline"
    else:
        from kfgraph.extract.gazetteer import load_gazetteer

        minter = IriMinter(settings.base_iri)
        ontology = Graph()
        for ttl in sorted(settings.ontology_dir.glob("*.ttl")):
            ontology.parse(ttl, format="turtle")
        places = map_entities(load_gazetteer(settings.data_dir / "gazetteer").entities.values(), minter)
        updates = [
            GraphUpdate(str(minter.shared_graph("ontology")), to_ntriples(ontology)),
            GraphUpdate(str(minter.shared_graph("gazetteer")), to_ntriples(places)),
        ]
        for extraction in hand_made_extractions():
            graph = map_extraction(extraction, minter)
            updates.append(GraphUpdate(str(minter.release_graph(extraction.release.identifier)), to_ntriples(graph)))
        store.replace_graphs(updates)
        BUILT_BY = "hand-made"
    store.flush()
    return store


_BUILT: dict[str, Path] = {}


def built_store_path() -> Path:
    """Build the test store once per test process (closed again), and return its folder; removed at exit."""
    if "path" not in _BUILT:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="kfgraph-ld-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        store = build_store(folder / "store", ld_settings(folder / "store"))
        store.close()
        _BUILT["path"] = folder / "store"
    return _BUILT["path"]


def ld_settings(store_path: Path) -> Settings:
    return Settings(store=store_path, workers=1)


def make_app(store: OxigraphStore):  # type: ignore[no-untyped-def]
    """The real app over ``store`` (Linked Data router included even before create_app lists it)."""
    from kfgraph.web import app as app_module
    from kfgraph.web import linked_data

    factories = tuple(app_module.ROUTER_FACTORIES)
    if linked_data.router not in factories:
        factories = (*factories, linked_data.router)
    return app_module.create_app(ld_settings(store.path or Path("unused")), store, routers=factories)
