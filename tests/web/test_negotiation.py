"""Content negotiation as a table, plus the formats table lookups."""

from __future__ import annotations

import pytest

from kfgraph import formats as f
from kfgraph.errors import NotAcceptableError
from kfgraph.web.negotiation import negotiate

R = f.RESULTS_FORMATS
G = f.GRAPH_FORMATS
SD = (f.TURTLE, f.JSON_LD, f.HTML)

# (Accept, offered, expected format or None for 406)
CASES: list[tuple[str | None, tuple[f.Format, ...], f.Format | None]] = [
    (None, R, f.SPARQL_JSON),
    ("", G, f.TURTLE),
    ("*/*", R, f.SPARQL_JSON),
    ("*/*", G, f.TURTLE),
    ("application/sparql-results+xml", R, f.SPARQL_XML),
    ("application/json", R, f.SPARQL_JSON),  # alias
    ("application/json", G, None),  # JSON is not JSON-LD
    ("text/*", R, f.SPARQL_CSV),
    ("text/*;q=0.5, text/tab-separated-values", R, f.SPARQL_TSV),
    ("text/csv;q=0.5, application/sparql-results+xml", R, f.SPARQL_XML),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.4", R, f.SPARQL_CSV),
    ("text/turtle", R, None),
    ("text/turtle;q=0, */*", G, f.N_TRIPLES),  # specific q=0 excludes, wildcard admits the rest
    ("*/*;q=0", R, None),
    ("application/*;q=0.2, text/csv;q=0.1", R, f.SPARQL_JSON),
    ("application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"", G, f.JSON_LD),  # params ignored
    ("text/turtle;charset=utf-8;q=0.9, application/n-triples;q=0.8", G, f.TURTLE),
    ("application/rdf+xml, text/turtle", G, f.RDF_XML),  # equal q: first listed wins
    ("text/turtle, application/rdf+xml", G, f.TURTLE),
    ("application/n-quads;q=1.0, application/trig;q=0.9", G, f.N_QUADS),
    ("application/x-turtle", G, f.TURTLE),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SD, f.HTML),  # a browser
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", R, f.SPARQL_XML),  # xml alias
    ("bogus, text/csv", R, f.SPARQL_CSV),  # malformed range skipped
    ("text/csv;q=abc, text/tab-separated-values;q=0.1", R, f.SPARQL_TSV),  # malformed q skipped
    ("text/csv;q=2", R, None),  # q out of range is malformed
    ("image/png", G, None),
    ("application/sparql-results+json;q=0, */*", R, f.SPARQL_XML),  # alias does not sneak JSON back in
]


def test_the_table_is_complete() -> None:
    assert len(CASES) == 28


@pytest.mark.parametrize(("accept", "offered", "expected"), CASES)
def test_negotiate(accept: str | None, offered: tuple[f.Format, ...], expected: f.Format | None) -> None:
    if expected is None:
        with pytest.raises(NotAcceptableError) as caught:
            negotiate(accept, offered)
        assert caught.value.http_status == 406
    else:
        assert negotiate(accept, offered) is expected


def test_nothing_offered_is_406() -> None:
    with pytest.raises(NotAcceptableError):
        negotiate("*/*", ())


@pytest.mark.parametrize(
    ("name", "among", "expected"),
    [
        ("json", f.ALL_FORMATS, f.SPARQL_JSON),
        ("json", G, f.JSON_LD),
        ("xml", R, f.SPARQL_XML),
        ("xml", G, f.RDF_XML),
        ("ttl", f.ALL_FORMATS, f.TURTLE),
        ("turtle", f.ALL_FORMATS, f.TURTLE),
        ("nt", f.ALL_FORMATS, f.N_TRIPLES),
        ("jsonld", f.ALL_FORMATS, f.JSON_LD),
        ("rdfxml", f.ALL_FORMATS, f.RDF_XML),
        ("nquads", f.ALL_FORMATS, f.N_QUADS),
        ("trig", f.ALL_FORMATS, f.TRIG),
        ("csv", f.ALL_FORMATS, f.SPARQL_CSV),
        ("TSV", f.ALL_FORMATS, f.SPARQL_TSV),
        ("text/turtle", G, f.TURTLE),
        ("csv", G, None),
        ("yaml", f.ALL_FORMATS, None),
    ],
)
def test_by_name(name: str, among: tuple[f.Format, ...], expected: f.Format | None) -> None:
    assert f.by_name(name, among=among) is expected


def test_lookups_by_media_type_and_extension() -> None:
    for fmt in f.ALL_FORMATS:
        assert f.by_media_type(fmt.media_type) is fmt
        assert f.by_media_type(fmt.media_type.upper() + "; charset=utf-8") is fmt
        assert f.by_extension("." + fmt.extension) is fmt
    assert f.by_media_type("application/json") is f.SPARQL_JSON
    assert f.by_media_type("application/json", among=G) is None
    assert f.by_extension("docx") is None


def test_oxigraph_names_match_pyoxigraph() -> None:
    import pyoxigraph as ox

    for fmt in f.RESULTS_FORMATS:
        native = getattr(ox.QueryResultsFormat, str(fmt.oxigraph))
        assert native.media_type.split(";")[0] == fmt.media_type
        assert native.iri == fmt.w3c_iri
    for fmt in G:
        native = getattr(ox.RdfFormat, str(fmt.oxigraph))
        assert native.media_type == fmt.media_type
        assert native.file_extension == fmt.extension
        if fmt is not f.JSON_LD:  # oxigraph says .../formats/data/JSON-LD; W3C's list says .../formats/JSON-LD
            assert native.iri == fmt.w3c_iri


def test_docstring_examples_run() -> None:
    import doctest

    from kfgraph import formats
    from kfgraph.web import negotiation
    from kfgraph.web.sparql import safety as query_safety

    attempted = 0
    for module in (formats, negotiation, query_safety):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted >= 7
