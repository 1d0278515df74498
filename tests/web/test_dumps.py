"""Dumps, the Graph Store Protocol read side and the VoID/DCAT description."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from linked_data_store import built_store_path, make_app
from web_support import inline_context

from kfgraph import formats
from kfgraph.store import open_store
from kfgraph.web.jsonld import context_document
from kfgraph.web.linked_data.dumps import VOID, stream_to_client

BASE = "http://localhost:8000/"
RDF_FORMATS = (formats.TURTLE, formats.JSON_LD, formats.N_TRIPLES, formats.RDF_XML)


def parse(body: bytes, fmt: formats.Format | None) -> Graph:
    """A response body as a graph; JSON-LD names the served context, put in place here."""
    assert fmt is not None and fmt.rdflib is not None
    if fmt is formats.JSON_LD:
        assert json.loads(body)["@context"].endswith("/context.jsonld")
        return Graph().parse(data=inline_context(body, context_document()), format="json-ld")
    return Graph().parse(data=body, format=fmt.rdflib)


@pytest.fixture(scope="module")
def store() -> Iterator[object]:
    yield open_store(built_store_path(), read_only=True)


@pytest.fixture(scope="module")
def client(store: object) -> Iterator[TestClient]:
    with TestClient(make_app(store), base_url=BASE.rstrip("/")) as test_client:  # type: ignore[arg-type]
        yield test_client


def union_triples(store: object) -> set[tuple[str, str, str]]:
    rows = store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")  # type: ignore[attr-defined]
    return {(str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}


def test_nquads_dump_is_every_quad(client: TestClient, store: object) -> None:
    response = client.get("/dumps/kfgraph.nq.gz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gzip"
    assert 'filename="kfgraph.nq.gz"' in response.headers["content-disposition"]
    dataset = Dataset()
    dataset.parse(data=gzip.decompress(response.content), format="nquads")
    quads = list(dataset.quads((None, None, None, None)))
    assert len(quads) == store.triple_count()  # type: ignore[attr-defined]
    graphs = {str(g) for *_, g in quads}
    assert set(store.graph_names()) == graphs  # type: ignore[attr-defined]


def test_trig_dump_parses_to_the_same_quads(client: TestClient, store: object) -> None:
    response = client.get("/dumps/kfgraph.trig")
    assert response.headers["content-type"] == "application/trig"
    dataset = Dataset()
    dataset.parse(data=response.content, format="trig")
    assert len(list(dataset.quads((None, None, None, None)))) == store.triple_count()  # type: ignore[attr-defined]


def test_dumps_revalidate_and_head(client: TestClient) -> None:
    first = client.get("/dumps/kfgraph.trig")
    assert client.get("/dumps/kfgraph.trig", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    head = client.head("/dumps/kfgraph.nq.gz")
    assert head.status_code == 200 and head.content == b""
    assert client.get("/dumps/kfgraph.zip").status_code == 404


def test_stream_to_client_spools_and_chunks() -> None:
    payload = b"x" * (200 * 1024 + 7)
    chunks = list(stream_to_client(lambda out: out.write(payload)))
    assert len(chunks) == 4 and b"".join(chunks) == payload
    assert gzip.decompress(b"".join(stream_to_client(lambda out: out.write(payload), compress=True))) == payload


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.extension)
def test_gsp_default_graph_is_the_union(client: TestClient, store: object, fmt: formats.Format) -> None:
    response = client.get("/graph?default", headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    graph = parse(response.content, fmt)
    assert len(graph) == len(union_triples(store))


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.extension)
def test_gsp_named_graph(client: TestClient, store: object, fmt: formats.Format) -> None:
    release = next(g for g in store.graph_names() if "/id/release/" in g)  # type: ignore[attr-defined]
    response = client.get("/graph", params={"graph": release}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    graph = parse(response.content, fmt)
    count = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{release}> {{ ?s ?p ?o }} }}")  # type: ignore[attr-defined]
    assert len(graph) == int(next(iter(count))["n"].value)
    assert (URIRef(release), RDF.type, None) in graph
    head = client.head("/graph", params={"graph": release}, headers={"Accept": fmt.media_type})
    assert head.status_code == 200 and head.content == b""


def test_gsp_errors(client: TestClient) -> None:
    assert client.get("/graph", params={"graph": BASE + "id/release/none"}).status_code == 404
    assert client.get("/graph").status_code == 400
    assert client.get("/graph?default&graph=x").status_code == 400
    assert client.get("/graph?default", headers={"Accept": "image/png"}).status_code == 406
    for method in ("PUT", "POST", "DELETE"):
        response = client.request(method, "/graph?default", content=b"<a:b> <a:c> <a:d> .",
                                  headers={"Content-Type": "application/n-triples"})
        assert response.status_code == 405, method
        assert response.headers["allow"] == "GET, HEAD"


def test_void_describes_the_dataset(client: TestClient, store: object) -> None:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    void = Graph().parse(data=response.content, format="turtle")
    dataset = URIRef(BASE + ".well-known/void#kfgraph")
    assert (dataset, RDF.type, VOID.Dataset) in void and (dataset, RDF.type, DCAT.Dataset) in void
    assert void.value(dataset, VOID.triples) == Literal(len(union_triples(store)))
    assert int(void.value(dataset, VOID.entities)) > 0
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    assert {str(d) for d in void.objects(dataset, VOID.dataDump)} == {BASE + "dumps/kfgraph.nq.gz", BASE + "dumps/kfgraph.trig"}
    assert void.value(dataset, DCTERMS.license) is not None and void.value(dataset, DCTERMS.modified) is not None
    classes = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities)) for p in void.objects(dataset, VOID.classPartition)}
    persons = store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://schema.org/Person> }")  # type: ignore[attr-defined]
    assert classes[URIRef("https://schema.org/Person")] == int(next(iter(persons))["n"].value)
    properties = {void.value(p, VOID.property) for p in void.objects(dataset, VOID.propertyPartition)}
    assert URIRef("https://schema.org/mentions") in properties
    linksets = [(void.value(ls, VOID.objectsTarget), int(void.value(ls, VOID.triples)))
                for ls in void.objects(dataset, VOID.subset) if (ls, RDF.type, VOID.Linkset) in void]
    geonames = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?o), 'http://sws.geonames.org/')) }")  # type: ignore[attr-defined]
    assert sum(n for target, n in linksets if str(target).endswith("#geonames")) == int(next(iter(geonames))["n"].value)
    assert any(str(target).endswith("#wikidata") for target, _ in linksets)
    examples = list(void.objects(dataset, VOID.exampleResource))
    assert len(examples) >= 5
    for example in examples:
        assert client.get("/" + str(example).removeprefix(BASE)).status_code == 200
    for suffix, media in (("jsonld", "application/ld+json"), ("nt", "application/n-triples"), ("rdf", "application/rdf+xml")):
        other = client.get(f"/.well-known/void.{suffix}")
        assert other.status_code == 200 and other.headers["content-type"].startswith(media)
        assert len(parse(other.content, formats.by_extension(suffix))) == len(void)  # type: ignore[union-attr]


def test_browse_pages_paginate_and_filter(client: TestClient, store: object) -> None:
    page = client.get("/releases")
    assert page.status_code == 200 and "/id/release/" in page.text
    years = [r["y"].value for r in store.query("SELECT DISTINCT (YEAR(?d) AS ?y) WHERE { ?r <https://schema.org/datePublished> ?d }")]  # type: ignore[attr-defined]
    year = years[0]
    filtered = client.get("/releases", params={"year": year})
    rows = filtered.text.count('<td class="nowrap">')
    dated = store.query(f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?r <https://schema.org/datePublished> ?d FILTER(YEAR(?d) = {year}) }}")  # type: ignore[attr-defined]
    assert rows == min(50, int(next(iter(dated))["n"].value))
    assert client.get("/releases", params={"event_type": "Nonsense"}).status_code == 400
    assert client.get("/releases", params={"page": "0"}).status_code == 400
    entities = client.get("/entities", params={"type": "place"})
    assert entities.status_code == 200 and "/id/place/" in entities.text
    assert client.get("/entities", params={"type": "spaceship"}).status_code == 400


def test_releases_filter_by_event_type(client: TestClient, store: object) -> None:
    rows = store.query("""SELECT ?t (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r <https://schema.org/mentions> ?e .
        ?e <https://w3id.org/kfgraph/ontology#eventType> ?t } GROUP BY ?t ORDER BY DESC(?n) LIMIT 1""")  # type: ignore[attr-defined]
    row = next(iter(rows))
    event_type, count = row["t"].value.rsplit("/", 1)[-1], int(row["n"].value)
    page = client.get("/releases", params={"event_type": event_type})
    assert page.status_code == 200
    assert page.text.count('<td class="nowrap">') == min(50, count)


def test_no_linked_data_handler_is_async(client: TestClient) -> None:
    """Store work must not run on the event loop: every Linked Data endpoint is a sync def (thread pool), or
    an async one that hands its work to a thread under a limiter (resource descriptions, ``page_threads``)."""
    import inspect

    from kfgraph.web.linked_data import routes as linked_data
    from kfgraph.web.pages import browse

    state = client.app.state  # type: ignore[attr-defined]
    routes = [*linked_data.router(state.settings, state.store_access).routes,
              *browse.router(state.settings, state.store_access).routes]
    endpoints = [r.endpoint for r in routes if hasattr(r, "endpoint")]
    assert len(endpoints) >= 14
    on_loop = [e.__name__ for e in endpoints
               if inspect.iscoroutinefunction(e) and "to_thread.run_sync(" not in inspect.getsource(e)]
    assert not on_loop
