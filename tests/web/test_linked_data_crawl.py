"""A crawler that knows only ``/.well-known/void`` reaches the whole dataset by following links.

Links followed: every IRI in a Turtle document (VoID, resource descriptions,
the ontology) that names a document on this server — IRIs under the base, and
``https://w3id.org/kfgraph/…`` IRIs, which redirect to the same local path —
with the fragment dropped; every ``href`` of the ``/releases`` and
``/entities`` pages (pagination included) that points at ``/id/…``,
``/releases`` or ``/entities``; the IRIs of a graph those pages link to
(``/graph?graph=…``: the gazetteer, whose entries no release mentions are not
listed), which only lead on and add nothing to U below; the VoID
``void:dataDump`` links.

The rule checked, exactly: let D be the triples of the N-Quads dump (graph
names dropped), except the build-time summaries graph (event counts, derived
from the rest and queried at ``/sparql``; its observations are not linked from
resource pages). Every triple of D that

* contains no blank node, and
* does not have the predicate ``nif:isString`` (each release text's second
  copy; the first, ``schema:text``, *is* in the release description)

is in the union U of the Turtle documents the crawler fetched. And every IRI
that is a subject in D, under ``{base}id/`` without a fragment, was fetched.
"""

from __future__ import annotations

import gzip
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from rdflib import BNode, Dataset, Graph, URIRef

from linked_data_store import built_store_path, make_app

from kfgraph.store import open_store
from kfgraph.vocab import NIF

BASE = "http://localhost:8000/"
W3ID = "https://w3id.org/kfgraph/"
VOID_DUMP = URIRef("http://rdfs.org/ns/void#dataDump")
SUMMARIES = URIRef(BASE + "graph/summaries")
MAX_FETCHES = 5000


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = open_store(built_store_path(), read_only=True)
    with TestClient(make_app(store), base_url=BASE.rstrip("/")) as test_client:
        yield test_client


def local_path(iri: str) -> str | None:
    """The server path of a document IRI, or None when it is not ours."""
    iri = iri.split("#", 1)[0]
    for prefix in (BASE, W3ID):
        if iri.startswith(prefix):
            return "/" + iri[len(prefix):]
    return None


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def crawl(client: TestClient) -> tuple[Graph, set[str], list[str]]:
    """(union of Turtle documents, IRIs of resources fetched, dump links found)."""
    union = Graph()
    fetched: set[str] = set()
    dumps: list[str] = []
    queue: deque[str] = deque(["/.well-known/void"])
    seen = set(queue)

    def push(path: str | None) -> None:
        if path is None or path in seen:
            return
        if path.startswith(("/id/", "/rank/", "/event-type/", "/place-kind/", "/cameo/", "/ontology", "/releases",
                            "/entities")) and not path.startswith("/dumps"):
            seen.add(path)
            queue.append(path)

    while queue:
        assert len(seen) < MAX_FETCHES, "the crawl does not end"
        path = queue.popleft()
        if path.startswith(("/releases", "/entities")):
            response = client.get(path)
            assert response.status_code == 200, path
            page = _Hrefs()
            page.feed(response.text)
            for href in page.hrefs:
                if href.startswith("/graph?graph="):
                    graph = Graph().parse(data=client.get(href, headers={"Accept": "text/turtle"}).content,
                                          format="turtle")
                    for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
                        push(local_path(str(term)))
                elif href.startswith("/"):
                    push(href.split("#", 1)[0])
            continue
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 200, f"{path}: {response.status_code}"
        document = Graph().parse(data=response.content, format="turtle")
        union += document
        if path.startswith(("/id/", "/rank/", "/event-type/", "/place-kind/", "/cameo/")):
            fetched.add((W3ID if not path.startswith("/id/") else BASE) + path.lstrip("/"))
        for triple in document:
            for term in triple:
                if isinstance(term, URIRef):
                    push(local_path(str(term)))
        dumps.extend(str(o) for o in document.objects(None, VOID_DUMP))
    return union, fetched, dumps


def test_crawl_from_void_reaches_everything(client: TestClient) -> None:
    union, fetched, dumps = crawl(client)
    nquads = next(d for d in dumps if d.endswith(".nq.gz"))
    response = client.get(local_path(nquads) or "")
    assert response.status_code == 200
    dataset = Dataset()
    dataset.parse(data=gzip.decompress(response.content), format="nquads")
    dump = Graph()
    for s, p, o, graph in dataset.quads((None, None, None, None)):
        if graph == SUMMARIES:  # derived counts, queried at /sparql, not published page by page
            continue
        dump.add((s, p, o))
    assert len(dump) > 500

    entities = {str(s) for s in dump.subjects() if isinstance(s, URIRef) and s.startswith(BASE + "id/") and "#" not in s}
    unreached = sorted(entities - fetched)
    assert not unreached, f"{len(unreached)} entities not reached, e.g. {unreached[:5]}"

    expected = [t for t in dump if not any(isinstance(x, BNode) for x in t) and t[1] != NIF.isString]
    missing = [t for t in expected if t not in union]
    assert not missing, f"{len(missing)} of {len(expected)} dump triples in no description, e.g. {missing[:5]}"
    assert len(expected) > 0.9 * len(dump), "the exceptions must stay small"
