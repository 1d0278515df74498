"""Release pages highlight every extracted mention, and each highlight's text is the stored span of the release text."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from linked_data_store import built_store_path, make_app

from kfgraph.store import open_store
from kfgraph.vocab import SCHEMA, sparql_prologue
from kfgraph.web.linked_data.resource_pages import segments

BASE = "http://localhost:8000/"


@pytest.fixture(scope="module")
def store() -> Iterator[object]:
    yield open_store(built_store_path(), read_only=True)


@pytest.fixture(scope="module")
def client(store: object) -> Iterator[TestClient]:
    with TestClient(make_app(store), base_url=BASE.rstrip("/")) as test_client:  # type: ignore[arg-type]
        yield test_client


class _Mentions(HTMLParser):
    """Collects ``<a class="mention …">`` elements: attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "a" and "mention" in attributes.get("class", "").split():
            self._current = {**attributes, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._current is not None:
            self.found.append(self._current)
            self._current = None


def test_every_release_page_highlights_its_mentions_exactly(client: TestClient, store: object) -> None:
    releases = [r["r"].value for r in store.query(sparql_prologue() + "SELECT ?r WHERE { ?r a schema:NewsArticle }")]  # type: ignore[attr-defined]
    assert releases
    checked = 0
    for iri in releases:
        path = "/" + iri.removeprefix(BASE)
        text = str(Graph().parse(data=client.get(path + ".ttl").content, format="turtle").value(URIRef(iri), SCHEMA.text))
        owners: dict[tuple[int, int], set[str]] = {}
        for row in store.query(sparql_prologue() + f"SELECT ?b ?e ?x WHERE {{ ?m nif:referenceContext <{iri}> ; nif:beginIndex ?b ; nif:endIndex ?e . ?x kfg:hasMention ?m }}"):  # type: ignore[attr-defined]
            owners.setdefault((int(row["b"].value), int(row["e"].value)), set()).add("/" + row["x"].value.removeprefix(BASE))
        spans = set(owners)
        page = _Mentions()
        page.feed(client.get(path + ".html").text)
        shown = {(int(m["data-begin"]), int(m["data-end"])) for m in page.found}
        # every span is shown, except one overlapping an earlier (or longer) span
        expected = {(s.begin, s.end) for s in segments(text, [{"begin": b, "end": e, "target": "x"} for b, e in spans])
                    if s.target}
        assert shown == expected, iri
        assert len(expected) >= len(spans) // 2
        for mention in page.found:
            begin, end = int(mention["data-begin"]), int(mention["data-end"])
            assert mention["text"] == text[begin:end], (iri, begin, end)
            assert mention["id"] == f"char={begin},{end}"
            assert mention["href"] in owners[(begin, end)], "the highlight links to the entity that has the mention"
            checked += 1
    assert checked > 0


def test_segments_cover_the_text_and_drop_overlaps() -> None:
    text = "KFOR Commander Ada Lovelace met KFOR."
    spans = [{"begin": 0, "end": 4, "target": "kfor"}, {"begin": 15, "end": 27, "target": "ada"},
             {"begin": 19, "end": 27, "target": "lovelace"}, {"begin": 32, "end": 36, "target": "kfor"}]
    parts = segments(text, spans)
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.target) for p in parts if p.target] == [("KFOR", "kfor"), ("Ada Lovelace", "ada"), ("KFOR", "kfor")]
