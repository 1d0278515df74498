"""rdf_input: format detection, parsing of every input format, errors with line/column, hardened RDF/XML."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from loopback import Listener
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic

from kfgraph import formats
from kfgraph.errors import RdfSyntaxError
from kfgraph.rdf_input import INPUT_FORMAT_NAMES, INPUT_FORMATS, UnsupportedRdfFormatError, input_format, parse_rdf
from kfgraph.validation_cli import INPUT_FORMAT_CHOICES

FIXTURES = Path(__file__).parent / "fixtures" / "validation"


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def test_format_by_name_extension_and_media_type() -> None:
    assert input_format(name="nq") is formats.N_QUADS
    assert input_format(name="rdfxml") is formats.RDF_XML
    assert input_format(filename="data.jsonld") is formats.JSON_LD
    assert input_format(filename="x.TRIG") is formats.TRIG
    assert input_format(filename="onto.owl") is formats.RDF_XML
    assert input_format(media_type="application/n-triples; charset=utf-8") is formats.N_TRIPLES
    # the explicit name wins over the extension, the extension over the media type
    assert input_format(name="turtle", filename="x.nt") is formats.TURTLE
    assert input_format(filename="x.nt", media_type="text/turtle") is formats.N_TRIPLES
    for kwargs in ({"name": "csv"}, {"filename": "x.csv"}, {"media_type": "text/csv"}, {}):
        with pytest.raises(UnsupportedRdfFormatError) as caught:
            input_format(**kwargs)
        assert caught.value.http_status == 415


def test_cli_choices_match_the_format_table() -> None:
    assert tuple(sorted(INPUT_FORMAT_NAMES)) == INPUT_FORMAT_CHOICES
    assert set(INPUT_FORMAT_NAMES.values()) == set(INPUT_FORMATS)


@pytest.mark.parametrize("fmt", INPUT_FORMATS, ids=lambda f: f.name)
def test_every_input_format_parses_to_the_same_graph(fmt: formats.Format) -> None:
    expected = Graph().parse(FIXTURES / "conforming.ttl", format="turtle")
    if fmt.kind is formats.Kind.DATASET:  # the triples in a named graph: graph names are dropped on input
        dataset = Dataset()
        dataset.graph(URIRef("http://localhost:8000/id/release/validation-ok")).__iadd__(expected)
        data = dataset.serialize(format=fmt.rdflib).encode("utf-8")
    else:
        data = expected.serialize(format=fmt.rdflib).encode("utf-8")
    parsed = parse_rdf(data, fmt, source=f"sample.{fmt.extension}")
    if not isomorphic(parsed, expected):
        _, only_parsed, only_expected = graph_diff(parsed, expected)
        pytest.fail(f"only parsed:\n{only_parsed.serialize(format='nt')}\nonly expected:\n{only_expected.serialize(format='nt')}")


def test_quads_are_validated_as_their_union() -> None:
    data = b"<http://a> <http://p> <http://b> <http://g1> .\n<http://b> <http://p> <http://c> <http://g2> .\n"
    assert len(parse_rdf(data, formats.N_QUADS, source="q.nq")) == 2


@pytest.mark.parametrize(
    ("fmt", "data", "line", "column"),
    [
        (formats.TURTLE, b"@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b ;; .\n", 3, 11),
        (formats.N_TRIPLES, b"<http://a> <http://b> <http://c> .\n<http://a> <b> <http://c> .\n", 2, 12),
        (formats.JSON_LD, b'{"@id": "http://a",\n "http://b": [1,}', 2, 17),
    ],
)
def test_syntax_errors_name_source_line_and_column(fmt: formats.Format, data: bytes, line: int, column: int) -> None:
    with pytest.raises(RdfSyntaxError) as caught:
        parse_rdf(data, fmt, source="upload.x")
    assert caught.value.message.startswith(f"upload.x: line {line}, column {column}: ")
    assert caught.value.http_status == 400 and caught.value.exit_code == 2


def test_malformed_xml_names_line_and_column() -> None:
    data = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<a></b></rdf:RDF>'
    with pytest.raises(RdfSyntaxError, match=r"^x\.rdf: line 2, column 6: mismatched tag"):
        parse_rdf(data, formats.RDF_XML, source="x.rdf")


def test_pyoxigraph_alone_would_expand_entities() -> None:
    """Why the defusedxml pre-scan exists: pyoxigraph expands DTD entities (here 10 x "aaaaa")."""
    data = (
        b'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY a "aaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
        b'<rdf:Description rdf:about="http://e/s"><ex:p>&b;</ex:p></rdf:Description></rdf:RDF>'
    )
    assert [len(q.object.value) for q in ox.parse(data, ox.RdfFormat.RDF_XML)] == [50]
    with pytest.raises(RdfSyntaxError, match="entity declaration 'a' is not allowed"):
        parse_rdf(data, formats.RDF_XML, source="small.rdf")


def test_billion_laughs_is_refused_without_expanding() -> None:
    started = time.perf_counter()
    with pytest.raises(RdfSyntaxError, match="not allowed"):
        parse_rdf((FIXTURES / "billion-laughs.rdf").read_bytes(), formats.RDF_XML, source="lol.rdf")
    assert time.perf_counter() - started < 1.0  # 10^9 expansions would take minutes and gigabytes


def test_external_entity_is_refused_and_never_fetched(listener: Listener) -> None:
    data = (FIXTURES / "external-entity.rdf").read_bytes().replace(b"PORT", str(listener.port).encode())
    with pytest.raises(RdfSyntaxError, match=rf"external entity 'remote' \(http://127.0.0.1:{listener.port}/x\)"):
        parse_rdf(data, formats.RDF_XML, source="xxe.rdf")
    time.sleep(0.2)
    assert listener.connections == 0


def test_external_dtd_is_never_fetched(listener: Listener) -> None:
    data = (
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:{listener.port}/x.dtd">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    ).encode()
    try:
        parse_rdf(data, formats.RDF_XML, source="dtd.rdf")
    except RdfSyntaxError:
        pass  # refusing is fine too; fetching is not
    time.sleep(0.2)
    assert listener.connections == 0


def test_json_ld_remote_context_is_never_fetched(listener: Listener) -> None:
    data = f'{{"@context": "http://127.0.0.1:{listener.port}/context.jsonld", "@id": "http://a"}}'.encode()
    with pytest.raises(RdfSyntaxError, match="remote context"):
        parse_rdf(data, formats.JSON_LD, source="ctx.jsonld")
    time.sleep(0.2)
    assert listener.connections == 0
