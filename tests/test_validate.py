"""kfgraph.validate: results as data, severities, JSON shape, and the shape-loading fast path."""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, SH, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kfgraph.errors import ConfigurationError
from kfgraph.validate import SEVERITIES, ValidationReport, Validator, load_validator

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "shapes"
SHACL = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def validator() -> Validator:
    return load_validator(ROOT / "shapes")


def _fixture(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


def test_valid_release_conforms_with_no_results(validator: Validator) -> None:
    report = validator.validate(_fixture("valid/release-full.ttl"))
    assert isinstance(report, ValidationReport)
    assert report.conforms is True
    assert report.results == () and report.violations == () and report.warnings == ()
    assert "Conforms: True" in report.text
    assert report.to_json() == {"conforms": True, "counts": {"Violation": 0, "Warning": 0, "Info": 0}, "results": []}


def test_violation_is_a_result_not_an_exception(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/EventShape-unknown-type.ttl"))
    assert report.conforms is False
    [result] = report.violations
    assert result.focus_node == "http://localhost:8000/id/event/t-1"
    assert result.path == "https://w3id.org/kfgraph/ontology#eventType"
    assert result.value == "https://w3id.org/kfgraph/event-type/Riot"
    assert result.severity == "Violation"
    assert result.shape == "https://w3id.org/kfgraph/shapes#EventShape"
    assert result.constraint == SHACL + "InConstraintComponent"
    assert "twelve" in result.message  # the shape's sh:message, not pySHACL's default


def test_warnings_alone_still_conform(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/PlaceCoordinatesShape-camp-without-coordinates.ttl"))
    assert report.conforms is True
    assert report.violations == ()
    [warning] = report.warnings
    assert warning.severity == "Warning"
    assert warning.focus_node == "http://localhost:8000/id/place/camp-novo-selo"
    assert report.to_json()["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}


def test_warning_and_violation_together_do_not_conform(validator: Validator) -> None:
    graph = _fixture("invalid/PlaceCoordinatesShape-camp-without-coordinates.ttl")
    graph += _fixture("invalid/ForceFigureShape-zero-value.ttl")
    report = validator.validate(graph)
    assert report.conforms is False
    assert len(report.violations) == 1 and len(report.warnings) == 1
    assert report.results[0].severity == "Violation"  # most severe first


def test_json_shape(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/MentionShape-begin-after-end.ttl"))
    data = json.loads(json.dumps(report.to_json()))
    assert set(data) == {"conforms", "counts", "results"}
    assert data["conforms"] is False
    assert set(data["counts"]) == set(SEVERITIES)
    assert data["counts"]["Violation"] == len(data["results"]) >= 1
    for result in data["results"]:
        assert set(result) == {"focus_node", "path", "value", "message", "severity", "shape", "constraint"}


def test_complex_path_is_rendered_in_sparql_syntax(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/EventDateShape-after-publication.ttl"))
    [warning] = report.warnings
    assert warning.path == "^<http://www.w3.org/ns/prov#wasDerivedFrom>/<https://schema.org/startDate>"
    assert warning.value == "2024-05-03"


def test_report_turtle_is_the_report_graph(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/EventShape-two-types.ttl"))
    graph = Graph().parse(data=report.report_turtle, format="turtle")
    [node] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == Literal(False)
    assert len(list(graph.objects(node, SH.result))) == len(report.results)


def test_data_graph_is_not_modified(validator: Validator) -> None:
    graph = _fixture("invalid/PersonRankShape-commander-without-rank.ttl")
    before = Graph()
    before += graph
    validator.validate(graph)
    assert isomorphic(before, graph)


def test_validator_is_reusable(validator: Validator) -> None:
    bad = _fixture("invalid/EventShape-no-type.ttl")
    good = _fixture("valid/release-minimal.ttl")
    assert [validator.validate(g).conforms for g in (bad, good, bad)] == [False, True, False]


def test_hoisted_shapes_report_what_plain_pyshacl_reports(validator: Validator) -> None:
    """The load-time speed-up (property shapes given their node shape's targets) changes no result.

    Compared on the union of every fixture: one rich graph with many failures."""
    paths = sorted((FIXTURES / "invalid").glob("*.ttl")) + sorted((FIXTURES / "valid").glob("*.ttl"))
    assert len(paths) > 50
    data = Graph()
    for path in paths:
        data.parse(path, format="turtle")
    _, report_graph, _ = pyshacl.validate(data, shacl_graph=validator.shapes_graph, inference="none", allow_warnings=True)
    expected = {
        (
            str(report_graph.value(r, SH.focusNode)),
            str(report_graph.value(r, SH.resultPath)) if isinstance(report_graph.value(r, SH.resultPath), URIRef) else None,
            str(report_graph.value(r, SH.sourceConstraintComponent)),
            str(report_graph.value(r, SH.value)),
            str(report_graph.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
        )
        for r in report_graph.subjects(RDF.type, SH.ValidationResult)
    }
    results = validator.validate(data).results
    got = {(r.focus_node, r.path if r.path and not r.path.startswith("^") else None, r.constraint, str(r.value), r.severity) for r in results}
    assert len(expected) > 50
    assert got == expected


def test_missing_shapes_dir_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        load_validator(tmp_path)


def test_bad_shapes_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="broken.ttl"):
        load_validator(tmp_path)


def test_shape_files_are_recorded(validator: Validator) -> None:
    names = {p.name for p in validator.shape_files}
    assert {"release.ttl", "entity.ttl", "event.ttl", "mention.ttl", "membership.ttl", "figure.ttl"} <= names
    assert (URIRef("https://w3id.org/kfgraph/shapes#ReleaseShape"), RDF.type, SH.NodeShape) in validator.shapes_graph


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")  # inside pySHACL
def test_dataset_is_validated_as_the_union_of_its_graphs(validator: Validator) -> None:
    dataset = Dataset()
    dataset.graph(URIRef("http://localhost:8000/id/release/t")).parse(
        FIXTURES / "invalid/ForceFigureShape-zero-value.ttl", format="turtle"
    )
    dataset.graph(URIRef("http://localhost:8000/id/release/minimal")).parse(
        FIXTURES / "valid/release-minimal.ttl", format="turtle"
    )
    report = validator.validate(dataset)
    assert [(r.focus_node, r.constraint) for r in report.results] == [
        ("http://localhost:8000/id/figure/t-1", SHACL + "MinExclusiveConstraintComponent")
    ]


def test_graph_on_a_non_context_aware_store_is_accepted(validator: Validator) -> None:
    graph = Graph(store="SimpleMemory")
    for triple in _fixture("invalid/EventShape-no-type.ttl"):
        graph.add(triple)
    report = validator.validate(graph)
    assert [r.constraint for r in report.violations] == [SHACL + "MinCountConstraintComponent"]


def test_release_still_conforms_after_a_pyoxigraph_round_trip(validator: Validator) -> None:
    """Regression: pyoxigraph stores xsd:nonNegativeInteger as xsd:integer, which broke `validate --store`."""
    import pyoxigraph

    original = _fixture("valid/release-full.ttl")
    store = pyoxigraph.Store()
    store.load(original.serialize(format="nt").encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    dumped = store.dump(format=pyoxigraph.RdfFormat.N_QUADS, from_graph=pyoxigraph.DefaultGraph())
    round_tripped = Graph().parse(data=dumped.decode(), format="nt")
    assert len(round_tripped) == len(original)
    report = validator.validate(round_tripped)
    assert report.results == ()
