"""The SHACL shapes, driven by fixtures in tests/shapes/{valid,invalid}/.

Every fixture is validated as a release graph is: with the shared graphs of a
build from this checkout (ontology/ and data/gazetteer/).

valid/*.ttl    must produce no result at all (no Violation, no Warning).
invalid/*.ttl  first line ``# expect: <constraint component> <focus node> [<path>]``
               (prefixed names resolve with the file's own prefixes); that result
               must be reported, by the node shape the file name starts with.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, SH, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kfgraph.vocab import PREFIXES
from kfgraph.validate import ValidationReport, Validator

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
FIXTURES = Path(__file__).resolve().parent / "shapes"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
KFGSH = Namespace("https://w3id.org/kfgraph/shapes#")
SH_NS = str(SH)

# Counted so that a suite that silently shrinks (a renamed or deleted fixture) fails.
EXPECTED_VALID = 9
EXPECTED_INVALID = 88


@pytest.fixture(scope="module")
def validator(shapes_validator: Validator) -> Validator:
    return shapes_validator


def _parse_expectation(path: Path, graph: Graph) -> tuple[str, Node, str | None]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# expect: (\S+) (\"[^\"]*\"|\S+)(?: (\S+))?", first)
    assert match, f"{path.name}: first line must be '# expect: <constraint> <focus> [<path>]', got {first!r}"
    constraint, focus, prop = match.groups()

    def expand(term: str) -> URIRef:
        if term.startswith("<") and term.endswith(">"):
            return URIRef(term[1:-1])
        if term.startswith("sh:"):
            return URIRef(SH_NS + term[3:])
        return graph.namespace_manager.expand_curie(term)

    focus_node: Node = Literal(focus[1:-1]) if focus.startswith('"') else expand(focus)
    return str(expand(constraint)), focus_node, str(expand(prop)) if prop else None


def _describe(report: ValidationReport) -> str:
    return "\n".join(
        f"  {r.severity} {r.constraint.rsplit('#', 1)[-1]} focus={r.focus_node} path={r.path} value={r.value} shape={r.shape}"
        for r in report.results
    )


def test_fixture_counts() -> None:
    assert len(VALID) == EXPECTED_VALID, [p.name for p in VALID]
    assert len(INVALID) == EXPECTED_INVALID, [p.name for p in INVALID]


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_fixture_has_no_results(validator: Validator, path: Path) -> None:
    report = validator.validate(Graph().parse(path, format="turtle"))
    assert report.conforms
    assert report.results == (), f"{path.name} should be clean:\n{_describe(report)}"


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fixture_reports_expected_result(validator: Validator, path: Path) -> None:
    graph = Graph(bind_namespaces="none").parse(path, format="turtle")  # the file's own prefixes win
    constraint, focus, prop = _parse_expectation(path, graph)
    shape = str(KFGSH[path.name.split("-", 1)[0]])
    report = validator.validate(graph)
    matching = [
        r
        for r in report.results
        if r.constraint == constraint
        and r.focus_node == str(focus)
        and r.shape == shape
        and (prop is None or r.path == prop)
    ]
    assert matching, f"{path.name}: no {constraint} on {focus} ({prop}) from {shape}; got:\n{_describe(report)}"
    severity = validator.shapes_graph.value(URIRef(shape), SH.severity)
    expected = str(severity).rsplit("#", 1)[-1]
    assert {r.severity for r in matching} == {expected}
    # conforms is False exactly when some result is a Violation
    assert report.conforms == (not report.violations)


def _shapes_graph() -> Graph:
    graph = Graph()
    for file in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(file, format="turtle")
    return graph


def _named_node_shapes(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


def test_every_shape_is_documented_and_has_a_severity() -> None:
    graph = _shapes_graph()
    node_shapes = _named_node_shapes(graph)
    assert len(node_shapes) >= 30
    for shape in node_shapes:
        for prop in (SH.name, SH.description, SH.message, SH.severity):
            assert graph.value(shape, prop) is not None, f"{shape} has no {prop}"
        for constraint in graph.objects(shape, SH.sparql):
            assert graph.value(constraint, SH.message) is not None, f"a SPARQL constraint of {shape} has no sh:message"
        for prop_shape in graph.objects(shape, SH.property):
            for prop in (SH.name, SH.message, SH.severity):
                assert graph.value(prop_shape, prop) is not None, f"a property shape of {shape} has no {prop}"
            # a property shape does not inherit its node shape's severity
            assert graph.value(prop_shape, SH.severity) == graph.value(shape, SH.severity), shape


def _focus_nodes(shape: URIRef, shapes: Graph, data: Graph) -> set[Node]:
    found: set[Node] = set()
    for cls in shapes.objects(shape, SH.targetClass):
        found.update(data.subjects(RDF.type, cls))
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        found.update(data.objects(None, prop))
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        found.update(data.subjects(prop, None))
    found.update(shapes.objects(shape, SH.targetNode))
    return found


def test_every_node_shape_has_valid_and_invalid_fixtures() -> None:
    shapes = _shapes_graph()
    valid_graphs = [Graph().parse(p, format="turtle") for p in VALID]
    prefixes = {p.name.split("-", 1)[0] for p in INVALID}
    for shape in _named_node_shapes(shapes):
        local = shape.split("#", 1)[1]
        assert local in prefixes, f"no invalid fixture named {local}-*.ttl"
        assert any(_focus_nodes(shape, shapes, g) for g in valid_graphs), f"no valid fixture has a focus node of {local}"
    unknown = prefixes - {s.split("#", 1)[1] for s in _named_node_shapes(shapes)}
    assert not unknown, f"invalid fixtures named after no shape: {unknown}"


_TERM = re.compile(r"(?<![\w:/])(schema|kfg|org|sem|prov|skos|rdfs|wgs|geo|nif):([A-Za-z][A-Za-z0-9]*)")
_NOT_DATA = {
    # kfg concept schemes are individuals of the ontology graph, not classes of release data
    "kfg:RankScheme", "kfg:EventTypeScheme", "kfg:PlaceKindScheme", "kfg:CameoScheme", "kfg:FigureKindScheme",
    # geo:wktLiteral is a datatype, checked with sh:datatype in GeometryShape
    "geo:wktLiteral",
    # links between concepts of the ontology's schemes, not release data
    "skos:closeMatch",
}


def _contract_terms() -> set[str]:
    text = (ROOT / "docs" / "vocabulary.md").read_text(encoding="utf-8")
    fence = re.compile(r"```[a-z]*\n(.*?)```", flags=re.S)
    blocks = "\n".join(fence.findall(text))
    code_spans = " ".join(re.findall(r"`([^`]+)`", fence.sub("", text)))
    terms = {f"{p}:{n}" for p, n in _TERM.findall(blocks + " " + code_spans)}
    ontology = Graph().parse(ROOT / "ontology" / "kfgraph.ttl", format="turtle")
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        terms |= {f"kfg:{s.split('#', 1)[1]}" for s in ontology.subjects(RDF.type, kind)}
    return {t for t in terms if t not in _NOT_DATA}


def _path_predicates(shapes: Graph, path: Node) -> set[URIRef]:
    """Every predicate in a SHACL path: an IRI, a sequence (RDF list) or an inverse path."""
    if isinstance(path, URIRef):
        return {path}
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return _path_predicates(shapes, inverse)
    found: set[URIRef] = set()
    for item in Collection(shapes, path):
        found |= _path_predicates(shapes, item)
    return found


def _sparql_terms(shapes: Graph) -> set[URIRef]:
    """Every prefixed name in the shapes' SPARQL queries, expanded with the declared prefixes."""
    declared = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace)) for d in shapes.objects(None, SH.declare)}
    found = set()
    for query in shapes.objects(None, SH.select):
        for prefix, local in re.findall(r"(?<![\w:/<])([a-z]+):([A-Za-z][A-Za-z0-9]*)", str(query)):
            if prefix in declared:
                found.add(URIRef(declared[prefix] + local))
    return found


def test_every_contract_class_and_property_is_targeted_by_a_shape() -> None:
    shapes = _shapes_graph()
    targeted_classes = set(shapes.objects(None, SH.targetClass))
    checked: set[Node] = set(shapes.objects(None, SH.targetObjectsOf)) | _sparql_terms(shapes)
    for path in shapes.objects(None, SH.path):
        checked |= _path_predicates(shapes, path)
    terms = _contract_terms()
    assert len(terms) > 60, sorted(terms)  # the regex still reads the contract

    def iri(term: str) -> URIRef:
        prefix, local = term.split(":", 1)
        return URIRef(PREFIXES[prefix] + local)

    classes = {t for t in terms if t.split(":", 1)[1][0].isupper()}
    properties = terms - classes
    untargeted = sorted(t for t in classes if iri(t) not in targeted_classes)
    unchecked = sorted(t for t in properties if iri(t) not in checked)
    assert not untargeted, f"classes no shape targets: {untargeted}"
    assert not unchecked, f"properties no shape checks: {unchecked}"


def test_shared_graphs_conform_on_their_own(validator: Validator) -> None:
    """The ontology (SKOS schemes, declared terms) and the gazetteer satisfy the shapes too: a build checks them first.

    Warnings only: gazetteer camps and crossings whose coordinates are unknown (never guessed)."""
    report = validator.validate_shared()
    assert report.violations == (), _describe(report)
    assert {r.shape for r in report.warnings} <= {str(KFGSH.PlaceCoordinatesShape)}, _describe(report)
