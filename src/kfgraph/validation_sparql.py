"""SHACL-SPARQL constraints, run once per data graph by pyoxigraph instead of once per focus node.

pySHACL runs a SPARQL constraint by parsing and evaluating its query for every
focus node, with ``$this`` pre-bound (about 13 ms per node with rdflib): far
too slow for ~150 focus nodes per release. The shapes' queries bind ``$this``
in a triple pattern of their top-level group (``shapes/prefixes.ttl``), so a
query evaluated once with ``$this`` unbound yields, for every focus node, the
rows pre-binding would give. This module runs each query so, over the data
graph and the shared graphs loaded in one pyoxigraph store, keeps the rows
whose ``$this`` is a focus node of the shape, and builds the results as
pySHACL would (same value, path and message substitution). A test compares
both on every fixture and mutant (``tests/test_validation_sparql.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Union

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kfgraph.errors import ConfigurationError
from kfgraph.validation_report import ResultTerms, ValidationResult, show_node, show_term

KFGSH_REQUIRES = URIRef("https://w3id.org/kfgraph/shapes#requires")
KFGSH_NEAREST_TERM = URIRef("https://w3id.org/kfgraph/shapes#nearestTerm")
SPARQL_COMPONENT = SH.SPARQLConstraintComponent
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
_FORBIDDEN = re.compile(r"\b(VALUES|MINUS|SERVICE)\b|\$PATH|\{\s*SELECT\b", re.IGNORECASE)


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` of a node shape, ready to run."""

    shape: URIRef
    node: Node
    """The ``sh:sparql`` node (the result's ``sh:sourceConstraint``)."""
    query: str
    prefixes: dict[str, str]
    messages: tuple[Literal, ...]
    severity: URIRef
    targets: tuple[tuple[URIRef, Node], ...]
    requires: frozenset[URIRef]
    nearest_term: bool = False
    """kfgraph adds the nearest declared term to the message (``kfgsh:nearestTerm true``)."""


def sparql_constraints(shapes: Graph) -> tuple[SparqlConstraint, ...]:
    """Every active SPARQL constraint of a named node shape; a malformed one is a ConfigurationError."""
    found = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql), key=lambda pair: (str(pair[0]), str(pair[1]))):
        if not isinstance(shape, URIRef) or (shape, RDF.type, SH.NodeShape) not in shapes:
            raise ConfigurationError(f"sh:sparql on {shape}: only named node shapes may carry SPARQL constraints")
        if _deactivated(shapes, shape) or _deactivated(shapes, node):
            continue
        select = shapes.value(node, SH.select)
        if not isinstance(select, Literal):
            raise ConfigurationError(f"{shape}: a sh:sparql without sh:select")
        if _FORBIDDEN.search(str(select)):
            raise ConfigurationError(f"{shape}: SPARQL constraints here use no VALUES, MINUS, SERVICE, sub-SELECT or $PATH")
        severity = shapes.value(shape, SH.severity) or SH.Violation
        found.append(SparqlConstraint(
            shape=shape,
            node=node,
            query=str(select),
            prefixes=_prefixes(shapes, node),
            messages=tuple(m for m in shapes.objects(node, SH.message) if isinstance(m, Literal)),
            severity=URIRef(str(severity)),
            targets=tuple((p, o) for p in _TARGETS for o in shapes.objects(shape, p)),
            requires=frozenset(r for r in shapes.objects(node, KFGSH_REQUIRES) if isinstance(r, URIRef)),
            nearest_term=shapes.value(node, KFGSH_NEAREST_TERM) == Literal(True),
        ))
    return tuple(found)


def _deactivated(shapes: Graph, node: Node) -> bool:
    return shapes.value(node, SH.deactivated) == Literal(True)


def _prefixes(shapes: Graph, node: Node) -> dict[str, str]:
    declared = {}
    for holder in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                declared[str(prefix)] = str(namespace)
    return declared


def run(constraint: SparqlConstraint, store: ox.Store, in_data: Callable[[Node], bool]) -> Iterator[ValidationResult]:
    """The results of one constraint over the default graph of ``store``, for focus nodes ``in_data``."""
    try:
        solutions = store.query(constraint.query, prefixes=constraint.prefixes)
    except SyntaxError as error:
        raise ConfigurationError(f"{constraint.shape}: the SPARQL constraint does not parse: {error}") from error
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    seen: set[tuple[object, ...]] = set()
    for solution in solutions:
        bound = {name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
        this = bound.pop("this", None)
        if this is None or not in_data(this) or not _is_focus(constraint, store, solution["this"]):
            continue
        path, value = bound.pop("path", None), bound.pop("value", None)
        key = (this, path, value, tuple(sorted(bound.items())))
        if key in seen:
            continue
        seen.add(key)
        yield _result(constraint, this, path, value, bound)


def _result(constraint: SparqlConstraint, this: Node, path: Node | None, value: Node | None,
            bound: dict[str, Node]) -> ValidationResult:
    """As pySHACL makes it: the value is the focus node when the query gives none; messages are filled in."""
    variables = {**bound, "this": this}
    if path is not None:
        variables["path"] = path
    if value is not None:
        variables["value"] = value
    shown = value if value is not None else this
    message = Literal(_fill(str(constraint.messages[0]), variables)) if constraint.messages else Literal("")
    severity = str(constraint.severity).rsplit("#", 1)[-1]
    return ValidationResult(
        focus_node=show_node(this),
        path=str(path) if isinstance(path, URIRef) else None,
        value=show_term(shown),
        message=str(message),
        severity=severity,
        shape=str(constraint.shape),
        constraint=str(SPARQL_COMPONENT),
        terms=ResultTerms(focus=this, path=path, value=shown, shape=constraint.shape, constraint=SPARQL_COMPONENT,
                          severity=constraint.severity, message=message),
    )


def _fill(message: str, variables: dict[str, Node]) -> str:
    """``{?name}`` and ``{$name}`` replaced by ``str()`` of the bound term, as pySHACL does."""
    for name, term in variables.items():
        text = str(term)
        message = re.sub("{{[?$]{}}}".format(re.escape(name)), lambda _match: text, message)
    return message


def _is_focus(constraint: SparqlConstraint, store: ox.Store, this: Term) -> bool:
    """Whether ``this`` is a focus node of the constraint's shape in the store's default graph."""
    for kind, target in constraint.targets:
        ox_target = to_oxigraph(target)
        if kind == SH.targetNode and this == ox_target:
            return True
        if kind == SH.targetSubjectsOf and not isinstance(this, ox.Literal) and _any(store, this, ox_target, None):
            return True
        if kind == SH.targetObjectsOf and _any(store, None, ox_target, this):
            return True
        if kind == SH.targetClass and not isinstance(this, ox.Literal) and _instance_of(store, this, ox_target):
            return True
    return False


_RDF_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
_DEFAULT = ox.DefaultGraph()


def _any(store: ox.Store, s: Term | None, p: Term | None, o: Term | None) -> bool:
    return any(True for _ in store.quads_for_pattern(s, p, o, _DEFAULT))  # type: ignore[arg-type]


def _instance_of(store: ox.Store, node: Term, cls: Term) -> bool:
    """``node rdf:type/rdfs:subClassOf* cls``, as SHACL class targets read it."""
    todo = [quad.object for quad in store.quads_for_pattern(node, _RDF_TYPE, None, _DEFAULT)]  # type: ignore[arg-type]
    seen = set()
    while todo:
        current = todo.pop()
        if current == cls:
            return True
        if current in seen:
            continue
        seen.add(current)
        todo.extend(quad.object for quad in store.quads_for_pattern(current, _SUBCLASS_OF, None, _DEFAULT))  # type: ignore[arg-type]
    return False


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph]
"""A pyoxigraph term."""


def to_rdflib(term: object) -> Node:
    """A pyoxigraph term as an rdflib one."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> Term:
    """An rdflib term as a pyoxigraph one."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise ValueError(f"unsupported term {term!r}")


__all__ = ["KFGSH_NEAREST_TERM", "KFGSH_REQUIRES", "SparqlConstraint", "run", "sparql_constraints", "to_oxigraph", "to_rdflib"]
