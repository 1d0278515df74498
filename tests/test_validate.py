"""kfgraph.validate: one meaning of "conforms", results as data, reports people act on, batches."""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, SH, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kfgraph.errors import ConfigurationError
from kfgraph.validate import NO_SHARED_GRAPHS, SEVERITIES, SharedGraphs, ValidationReport, Validator, load_validator
from kfgraph.validation_report import MAX_SHOWN, show_term
from kfgraph.vocab import KFG, NIF, ORG, PROV, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "shapes"
SHACL = "http://www.w3.org/ns/shacl#"
KFGSH = "https://w3id.org/kfgraph/shapes#"
R = "http://localhost:8000/id/release/"
P = "http://localhost:8000/id/person/"


@pytest.fixture(scope="module")
def validator(shapes_validator: Validator) -> Validator:
    return shapes_validator


def _fixture(name: str) -> Graph:
    return Graph().parse(FIXTURES / name, format="turtle")


def _release(identifier: str, *extra: tuple[object, object, object]) -> Graph:
    """A minimal correct release graph (text written for kfgraph's tests) with ``extra`` triples."""
    graph = Graph()
    release = URIRef(R + identifier)
    text = "KFOR troops met Jane Doe in Zvecan."
    for p, o in ((RDF.type, SCHEMA.NewsArticle), (RDF.type, NIF.Context), (SCHEMA.identifier, Literal(identifier)),
                 (SCHEMA.text, Literal(text)), (NIF.isString, Literal(text))):
        graph.add((release, p, o))
    for triple in extra:
        graph.add(triple)  # type: ignore[arg-type]
    return graph


# --------------------------------------------------------------------------- results as data


def test_valid_release_conforms_with_no_results(validator: Validator) -> None:
    report = validator.validate(_fixture("valid/release-full.ttl"))
    assert isinstance(report, ValidationReport)
    assert report.conforms is True
    assert report.results == () and report.violations == () and report.warnings == ()
    assert report.text.startswith("conforms (0 violations, 0 warnings, 0 infos)")
    assert report.to_json() == {"conforms": True, "counts": {"Violation": 0, "Warning": 0, "Info": 0}, "results": []}


def test_violation_is_a_result_not_an_exception(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/EventShape-unknown-type.ttl"))
    assert report.conforms is False
    [result] = report.violations
    assert result.focus_node == "http://localhost:8000/id/event/t-1"
    assert result.path == "https://w3id.org/kfgraph/ontology#eventType"
    assert result.value == "<https://w3id.org/kfgraph/event-type/Riot>"
    assert result.severity == "Violation"
    assert result.shape == KFGSH + "EventShape"
    assert result.constraint == SHACL + "InConstraintComponent"
    assert "twelve" in result.message  # the shape's sh:message, not pySHACL's default


def test_warnings_alone_still_conform(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/PlaceCoordinatesShape-camp-without-coordinates.ttl"))
    assert report.conforms is True
    assert report.violations == ()
    [warning] = report.warnings
    assert warning.focus_node == R + "t"
    assert warning.value == "<http://localhost:8000/id/place/camp-novo-selo>"
    assert "camp without coordinates" in warning.message
    assert report.to_json()["counts"] == {"Violation": 0, "Warning": 1, "Info": 0}


def test_warning_and_violation_together_do_not_conform(validator: Validator) -> None:
    graph = _fixture("invalid/PlaceCoordinatesShape-camp-without-coordinates.ttl")
    graph += _fixture("invalid/ForceFigureShape-zero-value.ttl")
    report = validator.validate(graph)
    assert report.conforms is False
    assert len(report.violations) == 1 and len(report.warnings) == 1
    assert report.results[0].severity == "Violation"  # most severe first


def test_json_shape(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/MentionSpanShape-begin-after-end.ttl"))
    data = json.loads(json.dumps(report.to_json()))
    assert set(data) == {"conforms", "counts", "results"}
    assert data["conforms"] is False
    assert set(data["counts"]) == set(SEVERITIES)
    assert data["counts"]["Violation"] == len(data["results"]) >= 1
    for result in data["results"]:
        assert set(result) == {"focus_node", "path", "value", "values", "message", "severity", "shape", "constraint"}


# --------------------------------------------------------------------------- reports people act on


def test_values_show_their_datatype_and_language() -> None:
    assert show_term(Literal("2024-10-11")) == '"2024-10-11"'
    assert show_term(Literal("2024-10-11", datatype=XSD.date)) == '"2024-10-11"^^xsd:date'
    assert show_term(Literal("Prishtinë", lang="sq")) == '"Prishtinë"@sq'
    assert show_term(Literal(3700)) == '"3700"^^xsd:integer'
    assert show_term(URIRef("http://localhost:8000/id/place/x")) == "<http://localhost:8000/id/place/x>"
    assert show_term(Literal('say "no"\nthen')) == '"say \\"no\\"\\nthen"'


def test_a_plain_string_date_is_named_as_a_string(validator: Validator) -> None:
    """Regression: 'an xsd:date … value 2024-10-11' for a plain string; and a false 'starts after publication'."""
    graph = _release("t", (URIRef(R + "t"), SCHEMA.datePublished, Literal("2024-10-11")))
    event = URIRef("http://localhost:8000/id/event/t-1")
    graph += _fixture("invalid/EventDateShape-after-publication.ttl").triples((event, None, None))
    report = validator.validate(graph)
    [result] = [r for r in report.results if r.path == str(SCHEMA.datePublished)]
    assert result.value == '"2024-10-11"'
    assert result.constraint == SHACL + "DatatypeConstraintComponent"
    assert not [r for r in report.results if r.shape == KFGSH + "EventDateShape"]


def test_long_literals_are_cut_with_their_length(validator: Validator) -> None:
    text = "KFOR " * 300
    graph = _release("t")
    graph.set((URIRef(R + "t"), NIF.isString, Literal(text)))  # differs from schema:text
    report = validator.validate(graph)
    [result] = [r for r in report.results if r.constraint == SHACL + "EqualsConstraintComponent"]  # one, not one per side
    assert result.values == ('"' + text[:MAX_SHOWN] + '…" (1,500 characters)', '"KFOR troops met Jane Doe in Zvecan."')
    assert all(len(value) < MAX_SHOWN + 40 for value in result.values)
    assert f"{len(text):,} characters" in report.text


def test_a_count_result_names_the_clashing_values(validator: Validator) -> None:
    person = URIRef(P + "jane-doe")
    graph = _release("t", (person, RDF.type, SCHEMA.Person), (person, RDFS.label, Literal("Jane Doe")),
                     (person, RDFS.label, Literal("J. Doe")))
    [result] = validator.validate(graph).violations
    assert result.constraint == SHACL + "MaxCountConstraintComponent"
    assert result.values == ('"J. Doe"', '"Jane Doe"')
    assert result.message.endswith('(found 2: "J. Doe", "Jane Doe")')


def test_one_wrong_rank_literal_gives_one_result(validator: Validator) -> None:
    """Regression: a literal rank gave four Violations in identical pairs."""
    person = URIRef(P + "jane-doe")
    graph = _release("t", (person, RDF.type, SCHEMA.Person), (person, RDFS.label, Literal("Jane Doe")),
                     (person, KFG.rank, Literal("Major General")))
    [result] = validator.validate(graph).results
    assert result.shape == KFGSH + "RankShape"
    assert result.value == '"Major General"'


def test_unknown_term_names_the_nearest_known_one(validator: Validator) -> None:
    report = validator.validate(_fixture("invalid/VocabularyShape-misspelled-property.ttl"))
    [result] = report.violations
    assert result.value == "<https://schema.org/datepublished>"
    assert result.message.endswith("nearest known term: https://schema.org/datePublished")


def test_report_graph_is_a_shacl_report_with_full_values(validator: Validator) -> None:
    text = "KFOR " * 300
    graph = _release("t")
    graph.set((URIRef(R + "t"), NIF.isString, Literal(text)))
    report = validator.validate(graph)
    shacl = Graph().parse(data=report.report_turtle, format="turtle")
    [node] = shacl.subjects(RDF.type, SH.ValidationReport)
    assert shacl.value(node, SH.conforms) == Literal(False)
    assert len(list(shacl.objects(node, SH.result))) == len(report.results)
    assert not list(shacl.objects(None, SH.value))  # the two sides of sh:equals are named in the text and JSON
    person = URIRef(P + "jane-doe")
    tagged = validator.validate(_release("t", (person, RDF.type, SCHEMA.Person), (person, RDFS.label, Literal(text, lang="en"))))
    shacl = Graph().parse(data=tagged.report_turtle, format="turtle")
    assert Literal(text, lang="en") in set(shacl.objects(None, SH.value))


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


# --------------------------------------------------------------------------- one meaning of "conforms"


def test_a_release_is_checked_with_the_shared_graphs_it_relies_on(validator: Validator) -> None:
    """A unit whose parent organization only the gazetteer describes: the release alone says nothing of it."""
    unit = URIRef("http://localhost:8000/id/organization/t-unit")
    kfor = URIRef("http://localhost:8000/id/organization/kfor")
    graph = _release("t", (URIRef(R + "t"), SCHEMA.mentions, unit), (unit, RDF.type, SCHEMA.Organization),
                     (unit, RDF.type, ORG.Organization), (unit, RDFS.label, Literal("Unit")), (unit, ORG.unitOf, kfor))
    assert validator.validate(graph).conforms
    alone = Validator(ROOT / "shapes", shared=SharedGraphs({"urn:ontology": _ontology()}))
    [result] = alone.validate(graph).violations
    assert (result.focus_node, result.path) == (str(unit), str(ORG.unitOf))


def _ontology() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_results_about_shared_nodes_only_belong_to_the_shared_graphs(validator: Validator) -> None:
    """Gazetteer camps without coordinates are Warnings of the shared graphs, not of every release."""
    assert any(r.shape == KFGSH + "PlaceCoordinatesShape" for r in validator.validate_shared().warnings) is False
    assert validator.validate(_fixture("valid/release-minimal.ttl")).results == ()
    assert validator.validate_shared().violations == ()


def test_a_label_that_differs_from_the_gazetteer_does_not_conform(validator: Validator) -> None:
    kfor = URIRef("http://localhost:8000/id/organization/kfor")
    graph = _release("t", (URIRef(R + "t"), SCHEMA.mentions, kfor), (kfor, RDF.type, SCHEMA.Organization),
                     (kfor, RDF.type, ORG.Organization), (kfor, RDFS.label, Literal("Kosovo Force")))
    [result] = validator.validate(graph).violations
    assert result.values == ('"KFOR"', '"Kosovo Force"')


def test_without_shared_graphs_every_term_is_unknown() -> None:
    """The shapes need the ontology graph: without it a release cannot conform (so tools pass it)."""
    bare = Validator(ROOT / "shapes", shared=NO_SHARED_GRAPHS)
    report = bare.validate(_fixture("valid/release-minimal.ttl"))
    assert not report.conforms
    assert {r.shape for r in report.violations} == {KFGSH + "VocabularyShape"}


def test_a_dataset_is_validated_graph_by_graph(validator: Validator) -> None:
    """Two releases that each conform alone conform as a dataset (their union would give a person two ranks)."""
    person = URIRef(P + "jane-doe")
    dataset = Dataset()
    for identifier, rank in (("t1", "OF-7-major-general"), ("t2", "OF-8-lieutenant-general")):
        graph = dataset.graph(URIRef(R + identifier))
        graph += _release(identifier, (URIRef(R + identifier), SCHEMA.mentions, person), (person, RDF.type, SCHEMA.Person),
                          (person, RDFS.label, Literal("Jane Doe")),
                          (person, KFG.rank, URIRef("https://w3id.org/kfgraph/rank/" + rank)))
    report = validator.validate(dataset)
    assert report.results == ()


def test_builds_and_summaries_are_derived_graphs_not_shared() -> None:
    """The graphs a build derives from releases are checked on their own: no release relies on them."""
    from kfgraph.validate import is_derived_graph, is_shared_graph

    for name in ("ontology", "gazetteer", "links"):
        assert is_shared_graph(f"http://localhost:8000/graph/{name}") and not is_derived_graph(f"http://localhost:8000/graph/{name}")
    for name in ("builds", "summaries"):
        assert is_derived_graph(f"http://localhost:8000/graph/{name}") and not is_shared_graph(f"http://localhost:8000/graph/{name}")
    assert not is_shared_graph(R + "t1") and not is_derived_graph(R + "t1")


def test_a_bad_summary_is_reported_for_the_summaries_graph(validator: Validator) -> None:
    """A dataset's summaries graph is validated with the shared graphs, as its own graph, and a zero count caught."""
    dataset = Dataset()
    summaries = dataset.graph(URIRef("http://localhost:8000/graph/summaries"))
    summaries.parse(Path(__file__).parent / "shapes" / "invalid" / "ObservationShape-zero-count.ttl", format="turtle")
    release = dataset.graph(URIRef(R + "t1"))
    release += _release("t1")
    reports = dict(validator.validate_dataset(
        {str(graph.identifier): graph for graph in dataset.graphs() if len(graph)}))
    assert reports[R + "t1"].conforms
    bad = reports["http://localhost:8000/graph/summaries"]
    assert [r.constraint.rsplit("#", 1)[-1] for r in bad.violations] == ["MinExclusiveConstraintComponent"]


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
    assert validator.validate(round_tripped).results == ()


# --------------------------------------------------------------------------- batches, as build checks them


def _two_releases_sharing_a_person(*, types_in_first: bool) -> list[list[tuple[object, object, object]]]:
    person = URIRef(P + "jane-doe")
    graphs = []
    for identifier, typed in (("t1", types_in_first), ("t2", True)):
        extra = [(URIRef(R + identifier), SCHEMA.mentions, person), (person, RDFS.label, Literal("Jane Doe"))]
        if typed:
            extra.append((person, RDF.type, SCHEMA.Person))
        graphs.append(list(_release(identifier, *extra)))
    return graphs


def test_a_batch_gives_each_release_its_own_verdict(validator: Validator) -> None:
    """The first release mentions a person it never types; the second types her. Together they would pass."""
    broken, good = _two_releases_sharing_a_person(types_in_first=False)
    together = Graph()
    for triple in broken + good:
        together.add(triple)  # type: ignore[arg-type]
    assert validator.validate(together).conforms  # what a batch union alone would say
    reports = validator.validate_batch([broken, good])
    assert [r.conforms for r in reports] == [False, True]
    assert [r.shape for r in reports[0].violations] == [KFGSH + "ReleaseMentionsShape"]
    assert reports == [validator.validate(Graph().parse(data=_nt(g), format="nt")) for g in (broken, good)]


def _nt(triples: list[tuple[object, object, object]]) -> str:
    graph = Graph()
    for triple in triples:
        graph.add(triple)  # type: ignore[arg-type]
    return graph.serialize(format="nt")


def test_a_conforming_batch_is_checked_in_one_pass(validator: Validator) -> None:
    first, second = _two_releases_sharing_a_person(types_in_first=True)
    assert [r.conforms for r in validator.validate_batch([first, second])] == [True, True]
    assert validator.validate_batch([]) == []


# --------------------------------------------------------------------------- loading, and the Core fast path


def test_missing_shapes_dir_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        load_validator(tmp_path)


def test_bad_shapes_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="broken.ttl"):
        load_validator(tmp_path)


def test_shape_files_are_recorded(validator: Validator) -> None:
    names = {p.name for p in validator.shape_files}
    assert {"release.ttl", "entity.ttl", "event.ttl", "mention.ttl", "membership.ttl", "figure.ttl", "place.ttl",
            "vocabulary.ttl", "prefixes.ttl"} <= names
    assert (URIRef(KFGSH + "ReleaseShape"), RDF.type, SH.NodeShape) in validator.shapes_graph


def test_required_predicates_come_from_the_shapes(validator: Validator) -> None:
    assert {RDF.type, RDFS.label, SCHEMA.identifier, NIF.isString, ORG.organization, PROV.wasDerivedFrom} <= validator.required
    assert KFG.attestedOn not in validator.required  # only a Warning shape asks for it


def test_core_results_are_what_plain_pyshacl_reports(validator: Validator) -> None:
    """The Core fast path (property shapes hoisted, focus nodes found once per target) changes no result.

    Compared on the union of every fixture with the shared graphs, with the SHACL-SPARQL constraints set
    aside (they have their own test, tests/test_validation_sparql.py)."""
    paths = sorted((FIXTURES / "invalid").glob("*.ttl")) + sorted((FIXTURES / "valid").glob("*.ttl"))
    assert len(paths) > 70
    data = Graph()
    for path in paths:
        data.parse(path, format="turtle")
    for triple in validator.shared.triples:
        data.add(triple)
    core_shapes = Graph()
    for triple in validator.shapes_graph:
        if triple[1] != SH.sparql:
            core_shapes.add(triple)
    _, report_graph, _ = pyshacl.validate(data, shacl_graph=core_shapes, inference="none", allow_warnings=True)
    equals = str(SH.EqualsConstraintComponent)  # kfgraph names both sides of sh:equals in one result
    expected = {
        (str(report_graph.value(r, SH.focusNode)), str(report_graph.value(r, SH.resultPath)),
         str(report_graph.value(r, SH.sourceConstraintComponent)),
         "None" if str(report_graph.value(r, SH.sourceConstraintComponent)) == equals else str(report_graph.value(r, SH.value)))
        for r in report_graph.subjects(RDF.type, SH.ValidationResult)
    }
    got = {(str(r.terms.focus), str(r.terms.path), r.constraint, str(r.terms.value))
           for r in validator._core(data, lambda node: True)}
    assert len(expected) > 50
    assert got == expected
