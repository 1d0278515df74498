"""Descriptions stand alone: the Turtle and the HTML page of a resource state the same facts.

For one person, place, organization, event and release of the pipeline's graph of data/,
the test reads the Turtle description and checks the HTML page states each of its facts
(own statements, posts, events, inverse links and their counts) and links to nothing
the Turtle does not name. KFOR's description is paged (at a page size of 10, as the
corpus is small) and its pages together hold every link, once.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from rdflib import BNode, Graph, Literal, URIRef

from linked_data_store import built_store_path, ld_settings

from kfgraph.store import open_store
from kfgraph.vocab import HYDRA, KFG, NIF, ORG, PROV, RDF, SCHEMA, SEM, SKOS
from kfgraph.web.app import create_app

BASE = "http://localhost:8000/"
W3ID = "https://w3id.org/kfgraph/"
RESOURCES = {
    "person": "id/person/angelo-michele-ristuccia",
    "place": "id/place/jarinje",
    "organization": "id/organization/kfor",
    "event": "id/event/2022-12-21-kfor-jarinje-presence-1",
    "release": "id/release/2022-12-21-kfor-jarinje-presence",
}
SMALL_PAGE = 10


@pytest.fixture(scope="module")
def store() -> Iterator[object]:
    yield open_store(built_store_path(), read_only=True)


def client_for(store: object, **settings: object) -> TestClient:
    app = create_app(ld_settings(built_store_path()).replace(**settings), store)  # type: ignore[arg-type]
    return TestClient(app, base_url=BASE.rstrip("/"))


@pytest.fixture(scope="module")
def client(store: object) -> Iterator[TestClient]:
    with client_for(store) as test_client:
        yield test_client


class Page(HTMLParser):
    """An HTML page's text (whitespace folded) and link targets."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: set[str] = set()
        self.feed(source)
        self.text = " ".join("".join(self.parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.update(html.unescape(v) for k, v in attrs if k == "href" and v)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def local(iri: str) -> str:
    for prefix in (BASE, W3ID):
        if iri.startswith(prefix):
            return "/" + iri[len(prefix):]
    return iri


def fetch(client: TestClient, path: str) -> tuple[Graph, Page]:
    turtle = client.get(f"/{path}", headers={"Accept": "text/turtle"})
    page = client.get(f"/{path}", headers={"Accept": "text/html"})
    assert turtle.status_code == page.status_code == 200, (turtle.text, page.text)
    return Graph().parse(data=turtle.text, format="turtle", publicID=BASE), Page(page.text)


def said(page: Page, literal: Literal) -> bool:
    return " ".join(str(literal).split()) in page.text


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_turtle_and_html_state_the_same_facts(client: TestClient, kind: str) -> None:
    graph, page = fetch(client, RESOURCES[kind])
    node = URIRef(BASE + RESOURCES[kind])
    # 1. its own statements
    own = [(p, o) for p, o in graph.predicate_objects(node)]
    assert own, f"the {kind} says nothing of itself"
    for predicate, value in own:
        if isinstance(value, URIRef):
            assert local(str(value)) in page.links, f"{kind}: {predicate} {value} is not on the page"
        else:
            assert said(page, value), f"{kind}: {predicate} {value!r} is not on the page"
    # 2. what links to it, and how many
    incoming = [(s, p) for s, p in graph.subject_predicates(node) if isinstance(s, URIRef)]
    for subject, predicate in incoming:
        if str(subject).startswith(f"{node}#"):  # a span of the release's own text: the page shows that text
            assert said(page, graph.value(subject, NIF.anchorOf)), f"{kind}: span {subject} is not on the page"
            continue
        assert local(str(subject)) in page.links, f"{kind}: {subject} {predicate} it is not on the page"
    for collection in graph.subjects(RDF.type, HYDRA.Collection):
        manages = graph.value(collection, HYDRA.manages)
        predicate, total = graph.value(manages, HYDRA.property), graph.value(collection, HYDRA.totalItems)
        curie = graph.namespace_manager.normalizeUri(predicate)
        assert re.search(rf"{re.escape(curie)} (from|to) {total}\b", page.text), f"{kind}: no count {total} of {curie}"
    # 3. posts: who, which role, where, from and until when
    for post in graph.subjects(RDF.type, ORG.Membership):
        for link in (ORG.member, ORG.organization, KFG.rank):
            target = graph.value(post, link)
            if target is not None and target != node:
                assert local(str(target)) in page.links, f"{kind}: post {post} lacks {link}"
        assert said(page, graph.value(graph.value(post, ORG.role), SKOS.prefLabel))
        for date in graph.objects(post, KFG.attestedOn):
            assert said(page, date), f"{kind}: post {post} attested {date} is not on the page"
    # 4. events, with their date
    for event in graph.subjects(RDF.type, SCHEMA.Event):
        assert event == node or local(str(event)) in page.links
        for date in graph.objects(event, SCHEMA.startDate):
            assert said(page, date)
    # 5. and the page names nothing the Turtle does not
    nodes = {local(str(n)) for triple in graph for n in triple if isinstance(n, URIRef)}
    for link in page.links:
        target = link.split("?", 1)[0].split("#", 1)[0]
        if target.startswith("/id/") and not re.search(r"\.(ttl|jsonld|nt|rdf|html)$", target):
            assert link in nodes or target in nodes, f"{kind}: the page links to {link}, which the Turtle does not name"


def test_descriptions_hold_posts_events_and_inverse_links(client: TestClient) -> None:
    person, _ = fetch(client, RESOURCES["person"])
    ristuccia = URIRef(BASE + RESOURCES["person"])
    posts = list(person.subjects(ORG.member, ristuccia))
    assert posts and all(person.value(p, ORG.role) is not None and person.value(p, ORG.organization) for p in posts)
    place, _ = fetch(client, RESOURCES["place"])
    jarinje = URIRef(BASE + RESOURCES["place"])
    assert list(place.subjects(SEM.hasPlace, jarinje)), "the events at Jarinje"
    kfor, _ = fetch(client, RESOURCES["organization"])
    node = URIRef(BASE + RESOURCES["organization"])
    assert list(kfor.subjects(ORG.organization, node)) and list(kfor.subjects(ORG.unitOf, node))
    assert list(kfor.subjects(SCHEMA.mentions, node)) and list(kfor.subjects(SEM.hasActor, node))
    release, _ = fetch(client, RESOURCES["release"])
    seed = URIRef(BASE + RESOURCES["release"])
    assert list(release.subjects(PROV.wasDerivedFrom, seed)), "what was read from the release"
    assert release.value(seed, PROV.wasGeneratedBy) is not None, "and which build stored it"
    assert any(isinstance(m, URIRef) for m in release.subjects(NIF.referenceContext, seed))


def union(store: object, query: str) -> set[str]:
    return {row[0].value for row in store.query(query)}  # type: ignore[attr-defined]


def test_kfor_is_paged_and_its_pages_hold_every_link_once(store: object) -> None:
    kfor = BASE + RESOURCES["organization"]
    expected = {
        SCHEMA.mentions: union(store, f"SELECT DISTINCT ?r WHERE {{ ?r <{SCHEMA.mentions}> <{kfor}> }}"),
        SEM.hasActor: union(store, f"SELECT DISTINCT ?e WHERE {{ ?e <{SEM.hasActor}> <{kfor}> }}"),
        ORG.unitOf: union(store, f"SELECT DISTINCT ?u WHERE {{ ?u <{ORG.unitOf}> <{kfor}> }}"),
    }
    assert len(expected[ORG.unitOf]) > 2 * SMALL_PAGE, "KFOR has pages to page"
    seen: dict[URIRef, list[str]] = {p: [] for p in expected}
    with client_for(store, description_page_size=SMALL_PAGE) as client:
        url: str | None = "/" + RESOURCES["organization"] + ".ttl"
        pages = 0
        while url is not None:
            response = client.get(url)
            assert response.status_code == 200, response.text
            graph = Graph().parse(data=response.text, format="turtle")
            pages += 1
            for predicate in expected:
                on_page = [str(s) for s in graph.subjects(predicate, URIRef(kfor))]
                assert len(on_page) <= SMALL_PAGE
                seen[predicate] += on_page
            for collection in graph.subjects(RDF.type, HYDRA.Collection):
                manages = graph.value(collection, HYDRA.manages)
                predicate = graph.value(manages, HYDRA.property)
                if predicate in expected and graph.value(manages, HYDRA.object) == URIRef(kfor):
                    assert int(graph.value(collection, HYDRA.totalItems)) == len(expected[predicate])
            view = URIRef(f"{kfor}?page={pages}")
            assert (view, RDF.type, HYDRA.PartialCollectionView) in graph
            following = graph.value(view, HYDRA.next)
            links = response.headers["link"]
            if following is None:
                assert 'rel="next"' not in links
                url = None
            else:
                assert f'rel="next"' in links and f".ttl?page={pages + 1}>" in links
                url = "/" + RESOURCES["organization"] + f".ttl?page={pages + 1}"
        assert pages >= 3
        for predicate, subjects in expected.items():
            assert sorted(seen[predicate]) == sorted(subjects), predicate
        assert client.get("/" + RESOURCES["organization"] + f".ttl?page={pages + 1}").status_code == 404
        assert client.get("/" + RESOURCES["organization"] + ".ttl?page=0").status_code == 400
        html_page = client.get("/" + RESOURCES["organization"] + "?page=2", headers={"Accept": "text/html"})
        assert 'rel="next"' in html_page.text and 'rel="prev"' in html_page.text and "page 2 of" in html_page.text


def test_blank_nodes_are_only_counts(client: TestClient) -> None:
    graph, _ = fetch(client, RESOURCES["organization"])
    for s, p, _ in graph:
        if isinstance(s, BNode):
            assert str(p).startswith(str(HYDRA)) or p == RDF.type


def test_a_release_page_names_each_figures_kind(client: TestClient) -> None:
    # why: "3700 personnel" and "27 countries" are different counts: strength and contributing nations
    _, page = fetch(client, RESOURCES["release"])
    assert "3700 personnel (ForceStrength)" in page.text
    assert "27 countries (ContributingNations)" in page.text


@pytest.mark.parametrize("with_index", [False, True], ids=["live", "search-index"])
def test_long_groups_are_paged_without_sorting_them_whole(store: object, with_index: bool) -> None:
    """Past ``sort_limit`` a group is read in the store's order, or by its one date: still each link once.

    With the search index, the growing groups are counted and ordered from it: the same
    totals and links, events newest first by the release that reports them.
    """
    from kfgraph.search import SearchIndex
    from kfgraph.web.linked_data.describe import describe

    index = SearchIndex(None) if with_index else None
    if index is not None:
        index.rebuild(store)
    kfor = BASE + RESOURCES["organization"]
    expected = {
        SCHEMA.mentions: union(store, f"SELECT DISTINCT ?r WHERE {{ ?r <{SCHEMA.mentions}> <{kfor}> }}"),
        SEM.hasActor: union(store, f"SELECT DISTINCT ?e WHERE {{ ?e <{SEM.hasActor}> <{kfor}> }}"),
        ORG.unitOf: union(store, f"SELECT DISTINCT ?u WHERE {{ ?u <{ORG.unitOf}> <{kfor}> }}"),
        KFG.hasMention: union(store, f"SELECT DISTINCT ?m WHERE {{ <{kfor}> <{KFG.hasMention}> ?m }}"),
    }
    assert all(len(found) > SMALL_PAGE for found in expected.values()), "every group is long enough to page"
    reported = {row[0].value: row[1].value for row in store.query(  # type: ignore[attr-defined]
        f"SELECT ?e ?d WHERE {{ ?e <{PROV.wasDerivedFrom}> ?r . ?r <{SCHEMA.datePublished}> ?d }}")}
    seen: dict[URIRef, list[str]] = {p: [] for p in expected}
    dates: dict[URIRef, list[str]] = {SCHEMA.mentions: [], SEM.hasActor: []}
    totals: dict[tuple[str, bool], int] = {}
    page, pages = 1, 1
    while page <= pages:
        description = describe(store, kfor, page=page, page_size=SMALL_PAGE, sort_limit=SMALL_PAGE,  # type: ignore[arg-type]
                               index=index)
        pages = description.pages
        totals = {(g.predicate, g.incoming): g.total for g in description.groups}
        for predicate in expected:
            group = description.group(str(predicate), incoming=predicate != KFG.hasMention)
            assert group is not None and group.total == len(expected[predicate])
            seen[predicate] += [str(n) for n in group.on_page]
        group = description.group(str(SCHEMA.mentions), incoming=True)
        dates[SCHEMA.mentions] += [str(description.graph.value(n, SCHEMA.datePublished) or "") for n in group.on_page]  # type: ignore[union-attr]
        group = description.group(str(SEM.hasActor), incoming=True)
        dates[SEM.hasActor] += [reported.get(str(n), "") if with_index else str(description.graph.value(n, SCHEMA.startDate) or "")
                                for n in group.on_page]  # type: ignore[union-attr]
        page += 1
    for predicate, found in expected.items():
        assert sorted(seen[predicate]) == sorted(found), predicate
    for predicate, listed in dates.items():
        dated = [d for d in listed if d]
        assert dated == sorted(dated, reverse=True), f"{predicate} newest first across pages"
    if index is not None:  # every group, growing or not, counted as without the index
        assert totals == {(g.predicate, g.incoming): g.total for g in describe(store, kfor).groups}  # type: ignore[arg-type]
