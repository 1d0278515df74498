"""SHACL Core, run by pySHACL the fast way; results as :class:`ValidationResult` data.

Two things make pySHACL several times faster here without changing a result (a test compares
with plain ``pyshacl.validate``):

- the property shapes of named, targeted node shapes get their node shape's targets
  (pySHACL runs a node shape's property shapes one focus node at a time, but a targeted
  property shape over all its focus nodes at once);
- each set of targets is resolved to focus nodes once per validation, not once per shape.

The SHACL-SPARQL constraints are set aside: :mod:`kfgraph.validation_sparql` runs them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from pyshacl import Validator as _PyshaclValidator
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kfgraph.validation_report import ResultTerms, ValidationResult, show_node, show_term, sparql_path

_OPTIONS: dict[str, Any] = {
    "inference": "none",
    "advanced": False,  # SHACL-AF would copy the data graph
    "inplace": True,  # no rules and no inference: nothing writes to the data graph
    "allow_warnings": True,
    "allow_infos": True,
    "abort_on_first": False,
    "debug": False,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
_COUNTED = {SH.MaxCountConstraintComponent}
"""Constraints whose results name every value found at the path (``values``)."""
_PAIRED = {SH.EqualsConstraintComponent}
"""Constraints pySHACL reports once per differing value; kfgraph reports one result naming them all."""


class CoreShapes:
    """The Core part of a shapes graph, harvested once."""

    def __init__(self, shapes: Graph) -> None:
        core = Graph(store="SimpleMemory")
        for triple in shapes:
            if triple[1] != SH.sparql:
                core.add(triple)
        runnable, self.owner = _hoist_property_shapes(core)
        self.shapes = ShapesGraph(runnable)
        _ = self.shapes.shapes  # harvest the shapes now, not on the first validation

    def run(self, graph: Graph) -> list[ValidationResult]:
        """Every Core result on ``graph`` (an rdflib Graph on a context-aware store; it is not modified)."""
        data = DataGraph.from_rdflib(graph)
        runner = _PyshaclValidator(data, shacl_graph=self.shapes.graph, options=dict(_OPTIONS))
        runner.shacl_graph = self.shapes  # reuse the harvested shapes instead of re-reading the graph
        executor = runner.make_executor()
        focus_of: dict[tuple[frozenset[Node], ...], list[Node]] = {}
        reports: list[tuple[Any, ...]] = []
        for shape in self.shapes.shapes:
            key = tuple(frozenset(targets) for targets in shape.target())
            if key not in focus_of:
                focus_of[key] = list(shape.focus_nodes(data))
            if focus_of[key]:
                reports.extend(shape.validate(executor, data, focus=focus_of[key])[1])
        return _merge_paired(_core_results(reports, self.owner, graph, self.shapes.graph))


def _hoist_property_shapes(shapes: Graph) -> tuple[Graph, dict[Node, URIRef]]:
    """The same shapes, faster for pySHACL; and which named node shape owns each property shape.

    pySHACL validates a node shape's ``sh:property`` shapes one focus node at a
    time (~60 µs of overhead per node and property), but a targeted property
    shape over all its focus nodes at once. So each property shape of a named,
    targeted, unreferenced node shape gets that node shape's targets and is
    detached from it: the focus nodes, constraints and results are the same (a
    property shape's results always name the property shape as their source).
    This cut validation of a batch of releases about fourfold; finding each set of
    targets' focus nodes once (:meth:`CoreShapes.run`) cut another third.
    """
    runnable = Graph(store="SimpleMemory")  # not context-aware: faster lookups, and pySHACL reads it per shape
    for triple in shapes:
        runnable.add(triple)
    owner: dict[Node, URIRef] = {}
    for node in set(shapes.subjects(RDF.type, SH.NodeShape)):
        if not isinstance(node, URIRef):
            continue
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(node, p)]
        referenced = (None, None, node) in shapes
        deactivated = shapes.value(node, SH.deactivated) is not None
        for prop in shapes.objects(node, SH.property):
            owner[prop] = node
            if targets and not referenced and not deactivated:
                runnable.remove((node, SH.property, prop))
                runnable.add((prop, RDF.type, SH.PropertyShape))
                for p, o in targets:
                    runnable.add((prop, p, o))
    return runnable, owner


def _core_results(reports: Iterable[tuple[Any, ...]], owner: dict[Node, URIRef], data: Graph,
                  shapes: Graph) -> list[ValidationResult]:
    """Results from pySHACL's report tuples ``(text, result node, triples)``; a triple's object may be
    ``(graph, node)``, naming the graph a node (such as a blank-node path) is described in."""
    out = []
    for _, _, triples in reports:
        found: dict[Node, list[Node]] = defaultdict(list)
        for _, p, o in triples:
            found[p].append(o[1] if isinstance(o, tuple) else o)
        focus = _first(found, SH.focusNode)
        if focus is None:
            continue
        severity = _first(found, SH.resultSeverity) or SH.Violation
        source = _first(found, SH.sourceShape)
        shape = owner.get(source, source) if source is not None else None
        path = _first(found, SH.resultPath)
        value = _first(found, SH.value)
        constraint = _first(found, SH.sourceConstraintComponent) or SH.ConstraintComponent
        messages = sorted(m for m in found[SH.resultMessage] if isinstance(m, Literal))
        message = messages[0] if messages else Literal("")
        values: tuple[str, ...] = ()
        if constraint in _COUNTED and isinstance(path, URIRef):
            values = tuple(sorted(show_term(v) or "" for v in data.objects(focus, path)))
            message = Literal(f"{message} (found {len(values)}: {', '.join(values)})")
        path_graph = _path_graph(shapes, path) if isinstance(path, BNode) else None
        out.append(ValidationResult(
            focus_node=show_node(focus),
            path=sparql_path(path_graph if path_graph is not None else shapes, path),
            value=show_term(value),
            message=str(message),
            severity=str(severity).rsplit("#", 1)[-1],
            shape=str(shape) if shape is not None else None,
            constraint=str(constraint),
            values=values,
            terms=ResultTerms(focus=focus, path=path, value=value, shape=shape, constraint=constraint,
                              severity=severity, message=message, path_graph=path_graph),
        ))
    return out


def _merge_paired(results: list[ValidationResult]) -> list[ValidationResult]:
    """One result per focus node, path and shape for the constraints in ``_PAIRED``: their values listed."""
    values: dict[tuple[str, ...], set[str]] = defaultdict(set)
    first: dict[tuple[str, ...], ValidationResult] = {}
    out = []
    for result in results:
        if result.terms is None or result.terms.constraint not in _PAIRED:
            out.append(result)
            continue
        key = (result.focus_node, result.path or "", result.shape or "", result.constraint)
        first.setdefault(key, result)
        values[key].add(result.value or "")
    for group, result in first.items():
        shown = tuple(sorted(values[group]))
        message = f"{result.message} (differing: {', '.join(shown)})"
        assert result.terms is not None
        out.append(replace(result, value=None, values=shown, message=message,
                           terms=replace(result.terms, value=None, message=Literal(message))))
    return out


def _first(found: dict[Node, list[Node]], predicate: URIRef) -> Any:
    values = found.get(predicate)
    return values[0] if values else None


def _path_graph(source: Graph, path: Node) -> Graph:
    """The triples describing a blank-node SHACL path, on their own (results travel between processes)."""
    graph = Graph()
    todo = [path]
    while todo:
        node = todo.pop()
        for p, o in source.predicate_objects(node):
            graph.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return graph


__all__ = ["CoreShapes"]
