"""Dereferenceable IRIs: a conformance table of resource kind × media type, by Accept and by suffix.

Example resources are picked from the store (one per kind), so the table holds
for the pipeline's output over data/ whatever the extractor finds.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from linked_data_store import built_store_path, make_app
from web_support import inline_context

from kfgraph import formats
from kfgraph.store import open_store
from kfgraph.vocab import SCHEMA

BASE = "http://localhost:8000/"
W3ID = "https://w3id.org/kfgraph/"

KIND_QUERIES = {
    "release": "?s a schema:NewsArticle",
    # entities some release mentions (the gazetteer graph also holds entities no release names)
    "organization": "?s a schema:Organization . ?r schema:mentions ?s",
    "person": "?s a schema:Person . ?r schema:mentions ?s",
    "place": "?s a schema:Place ; kfg:placeKind ?k . ?r schema:mentions ?s",
    "mandate": "?s a schema:Legislation . ?r schema:mentions ?s",
    "event": "?s a schema:Event",
    "figure": "?s a kfg:ForceFigure",
    "membership": "?s a org:Membership",
    "role": "?s a org:Role",
    "rank": "?s skos:inScheme kfg:RankScheme ; skos:broader ?b",
    "event-type": "?s skos:inScheme kfg:EventTypeScheme",
}
RDF_FORMATS = (formats.TURTLE, formats.JSON_LD, formats.N_TRIPLES, formats.RDF_XML)
ALL = (*RDF_FORMATS, formats.HTML)


@pytest.fixture(scope="module")
def store() -> Iterator[object]:
    # not closed: OxigraphStore.close() flushes, which a read-only pyoxigraph store refuses
    yield open_store(built_store_path(), read_only=True)


@pytest.fixture(scope="module")
def client(store: object) -> Iterator[TestClient]:
    with TestClient(make_app(store), base_url=BASE.rstrip("/")) as test_client:  # type: ignore[arg-type]
        yield test_client


@pytest.fixture(scope="module")
def examples(store: object) -> dict[str, str]:
    """kind -> local path of one resource of that kind."""
    from kfgraph.vocab import sparql_prologue

    found = {}
    for kind, pattern in KIND_QUERIES.items():
        rows = list(store.query(sparql_prologue() + f"SELECT ?s WHERE {{ {pattern} }} ORDER BY ?s LIMIT 1"))  # type: ignore[attr-defined]
        assert rows, f"the test store has no {kind}"
        iri = rows[0]["s"].value
        found[kind] = "/" + iri.removeprefix(BASE).removeprefix(W3ID)
    return found


def local_to_iri(path: str) -> str:
    top = path.strip("/").split("/", 1)[0]
    return (W3ID if top in ("rank", "event-type", "place-kind", "cameo") else BASE) + path.lstrip("/")


def parse_body(body: bytes, fmt: formats.Format) -> Graph:
    graph = Graph()
    if fmt is formats.JSON_LD:
        body = inline_context(body, context_document()).encode("utf-8")
    graph.parse(data=body, format=fmt.rdflib, publicID=BASE)
    return graph


def context_document() -> bytes:
    """The context ``/context.jsonld`` serves (what every JSON-LD response names)."""
    from kfgraph.web.jsonld import context_document as served

    return served()


class _Titles(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_title = False
        self.title = ""
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_title = tag == "title"
        if tag in ("a", "link"):
            self.links.extend(v for k, v in attrs if k == "href" and v)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self.in_title = False


def _cases() -> list[tuple[str, str, str]]:
    return [(kind, fmt.extension, how) for kind in KIND_QUERIES for fmt in ALL for how in ("accept", "suffix")]


CASES = _cases()


def test_the_table_has_every_case() -> None:
    assert len(CASES) == len(KIND_QUERIES) * 5 * 2 == 110


@pytest.mark.parametrize(("kind", "extension", "how"), CASES)
def test_conformance(client: TestClient, examples: dict[str, str], kind: str, extension: str, how: str) -> None:
    fmt = formats.by_extension(extension)
    assert fmt is not None
    path = examples[kind]
    if how == "accept":
        response = client.get(path, headers={"Accept": fmt.media_type})
        assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
        assert response.headers["content-location"] == f"{path}.{fmt.extension}"
    else:
        response = client.get(f"{path}.{fmt.extension}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    assert response.headers["etag"].startswith('"')
    assert email.utils.parsedate_to_datetime(response.headers["last-modified"])
    links = response.headers["link"]
    for other in ALL:
        assert f'<{path}.{other.extension}>; rel="alternate"; type="{other.media_type}"' in links
    iri = URIRef(local_to_iri(path))
    if fmt is formats.HTML:
        page = _Titles()
        page.feed(response.text)
        assert page.title.strip().endswith("kfgraph")
        assert f"{path}.ttl" in page.links, "every page links to its Turtle"
        assert any(link.startswith(("/?query=", "/sparql?query=")) for link in page.links), "and to its query"
    else:
        graph = parse_body(response.content, fmt)
        assert (iri, None, None) in graph, f"{iri} is not described in its own {fmt}"
        if fmt is formats.JSON_LD:
            assert json.loads(response.content)["@context"] == BASE + "context.jsonld"


def test_curl_gets_turtle_and_browsers_get_html(client: TestClient, examples: dict[str, str]) -> None:
    path = examples["person"]
    assert client.get(path, headers={"Accept": "*/*"}).headers["content-type"].startswith("text/turtle")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(path, headers={"Accept": browser}).headers["content-type"].startswith("text/html")


def test_head_matches_get_without_body(client: TestClient, examples: dict[str, str]) -> None:
    for kind in ("release", "person", "rank"):
        for suffix in ("", ".ttl", ".html", ".jsonld"):
            get = client.get(examples[kind] + suffix)
            head = client.head(examples[kind] + suffix)
            assert head.status_code == get.status_code == 200
            assert head.content == b""
            for header in ("content-type", "etag", "last-modified", "link", "content-length"):
                assert head.headers[header] == get.headers[header], header


def test_unknown_iri_is_404(client: TestClient) -> None:
    for path in ("/id/person/nobody-at-all", "/id/person/nobody-at-all.ttl", "/rank/OF-99", "/id/nothing",
                 "/id/person/a{b}", "/id/person/a%3Eb"):  # the last two: characters no IRI may hold
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not-found"
    assert client.head("/id/person/nobody-at-all").status_code == 404


def test_unacceptable_type_is_406(client: TestClient, examples: dict[str, str]) -> None:
    response = client.get(examples["place"], headers={"Accept": "image/png, application/json;q=0.5"})
    assert response.status_code == 406
    assert response.json()["error"]["code"] == "not-acceptable"
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_revalidation_answers_304(client: TestClient, examples: dict[str, str]) -> None:
    path = examples["organization"]
    first = client.get(path, headers={"Accept": "text/turtle"})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(path, headers={"Accept": "text/turtle", "If-None-Match": '"other"'}).status_code == 200
    # the ETag is per representation: the HTML page does not match the Turtle's tag
    assert client.get(path, headers={"Accept": "text/html", "If-None-Match": etag}).status_code == 200
    assert client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    # If-None-Match wins over If-Modified-Since
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert client.get(path, headers=both).status_code == 200


def test_description_has_links_labels_and_mentioning_releases(client: TestClient, examples: dict[str, str], store: object) -> None:
    path = examples["person"]
    graph = parse_body(client.get(path + ".ttl").content, formats.TURTLE)
    iri = URIRef(local_to_iri(path))
    releases = set(graph.subjects(SCHEMA.mentions, iri))
    assert releases, "a person is mentioned by some release"
    for release in releases:
        assert (release, RDF.type, SCHEMA.NewsArticle) in graph
    for _, _, obj in graph.triples((iri, None, None)):
        if isinstance(obj, URIRef) and "#" not in obj and obj.startswith(BASE):
            assert (obj, RDF.type, None) in graph, f"no type for linked {obj}"


def test_ontology_and_shapes(client: TestClient) -> None:
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="Mention"' in page.text and 'id="eventType"' in page.text
    ontology = parse_body(client.get("/ontology.ttl").content, formats.TURTLE)
    assert (URIRef("https://w3id.org/kfgraph/ontology#Mention"), None, None) in ontology
    shapes = client.get("/shapes")
    assert shapes.headers["content-type"].startswith("text/turtle")
    assert len(parse_body(shapes.content, formats.TURTLE)) > 50
    assert client.get("/shapes.html").status_code == 404
