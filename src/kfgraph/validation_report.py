"""Validation results as data: one result per problem, values shown as RDF terms, three renderings.

A :class:`ValidationResult` keeps the RDF terms of a SHACL result (so the
``sh:ValidationReport`` graph can be written) and shows them as Turtle terms:
``<http://…>``, ``"2 May 2023"``, ``"2024-10-11"^^xsd:date``, ``"Prishtinë"@sq``.
Literals longer than :data:`MAX_SHOWN` characters are cut and their length
given. The JSON report (:meth:`ValidationReport.to_json`), the text report
(:func:`format_text`) and the report graph (:meth:`ValidationReport.report_graph`)
say the same things.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import DCTERMS, RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kfgraph.vocab import PREFIXES

SEVERITIES = ("Violation", "Warning", "Info")
"""Severity names, most severe first (the local names of ``sh:Violation`` …)."""

MAX_SHOWN = 80
"""Characters of a literal shown in a report before it is cut."""

_XSD = "http://www.w3.org/2001/XMLSchema#"
_PREFIX_OF = sorted(((iri, prefix) for prefix, iri in PREFIXES.items()), key=lambda item: -len(item[0]))


def show_term(node: Node | None, *, limit: int | None = MAX_SHOWN) -> str | None:
    """An RDF term as Turtle: IRIs in angle brackets, literals quoted with their datatype or language."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        text = str(node)
        cut = ""
        if limit is not None and len(text) > limit:
            cut = f" ({len(text):,} characters)"
            text = text[:limit] + "…"
        quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
        if node.language:
            return f"{quoted}@{node.language}{cut}"
        if node.datatype is not None and str(node.datatype) != _XSD + "string":
            return f"{quoted}^^{_short_iri(str(node.datatype))}{cut}"
        return quoted + cut
    return str(node)


def show_node(node: Node | None) -> str:
    """A focus node: an IRI as itself, a blank node as ``_:id``, a literal as a Turtle term."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return str(node)
    return show_term(node) or ""


def _short_iri(iri: str) -> str:
    for namespace, prefix in _PREFIX_OF:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


@dataclass(frozen=True)
class ResultTerms:
    """The RDF terms behind a result, for the SHACL report graph."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node | None
    constraint: Node
    severity: Node
    message: Literal
    path_graph: Graph | None = None
    """Where a complex (blank node) path is described: the shapes graph."""


@dataclass(frozen=True)
class ValidationResult:
    """One problem: what failed, where, and how badly."""

    focus_node: str
    path: str | None
    value: str | None
    """The offending value as a Turtle term (long literals cut), if the constraint names one."""
    message: str
    severity: str
    """``"Violation"``, ``"Warning"`` or ``"Info"``."""
    shape: str | None
    """The node shape that failed: the named node shape owning the property shape, if any, else the source shape."""
    constraint: str
    """The ``sh:sourceConstraintComponent`` IRI, e.g. ``http://www.w3.org/ns/shacl#MinCountConstraintComponent``."""
    values: tuple[str, ...] = ()
    """For sh:maxCount, the values found at the path; for sh:equals, the values that differ (as Turtle terms,
    also named at the end of the message)."""
    terms: ResultTerms | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "focus_node": self.focus_node,
            "path": self.path,
            "value": self.value,
            "values": list(self.values),
            "message": self.message,
            "severity": self.severity,
            "shape": self.shape,
            "constraint": self.constraint,
        }

    @property
    def key(self) -> tuple[str, ...]:
        """What makes two results the same problem."""
        return (self.focus_node, self.path or "", self.value or "", self.constraint, self.shape or "", self.message)


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one graph; ``conforms`` is False only if there is a Violation."""

    conforms: bool
    results: tuple[ValidationResult, ...]

    @classmethod
    def of(cls, results: Iterable[ValidationResult]) -> ValidationReport:
        """A report of these results: duplicates dropped, most severe first, then by focus node."""
        unique: dict[tuple[str, ...], ValidationResult] = {}
        for result in results:
            unique.setdefault(result.key, result)
        order = {name: i for i, name in enumerate(SEVERITIES)}
        ordered = sorted(unique.values(), key=lambda r: (order.get(r.severity, 99), r.focus_node, r.path or "",
                                                         r.constraint, r.value or "", r.message))
        return cls(conforms=not any(r.severity == "Violation" for r in ordered), results=tuple(ordered))

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Warning")

    def counts(self) -> dict[str, int]:
        """Results per severity, every severity present (zero when none)."""
        found = Counter(r.severity for r in self.results)
        return {severity: found.get(severity, 0) for severity in SEVERITIES}

    def to_json(self) -> dict[str, Any]:
        """``{"conforms": bool, "counts": {"Violation": n, "Warning": n, "Info": n}, "results": [result, …]}``;
        each result has the keys of :meth:`ValidationResult.to_json`."""
        return {
            "conforms": self.conforms,
            "counts": self.counts(),
            "results": [r.to_json() for r in self.results],
        }

    @property
    def text(self) -> str:
        """The text report, as ``kfgraph validate`` prints it (without a source line)."""
        return format_results(self)

    def report_graph(self, *, source: str | None = None) -> Graph:
        """The ``sh:ValidationReport`` graph (full values, not cut); ``source`` (what was validated) as its
        ``dcterms:source``."""
        graph = Graph(bind_namespaces="none")
        graph.bind("sh", str(SH))
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        if source is not None:
            graph.bind("dcterms", str(DCTERMS))
            graph.add((report, DCTERMS.source, Literal(source)))
        for result in self.results:
            terms = result.terms
            if terms is None:
                continue
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, terms.focus))
            graph.add((node, SH.resultSeverity, terms.severity))
            graph.add((node, SH.sourceConstraintComponent, terms.constraint))
            graph.add((node, SH.resultMessage, terms.message))
            if terms.shape is not None:
                graph.add((node, SH.sourceShape, terms.shape))
            if terms.value is not None:
                graph.add((node, SH.value, terms.value))
            if terms.path is not None:
                graph.add((node, SH.resultPath, _copy_path(terms.path, terms.path_graph, graph)))
        return graph

    @property
    def report_turtle(self) -> str:
        """The ``sh:ValidationReport`` graph as Turtle."""
        return self.report_graph().serialize(format="turtle")


def _copy_path(path: Node, source: Graph | None, target: Graph) -> Node:
    """A SHACL path into ``target``: an IRI as is, a blank-node path copied from the shapes graph."""
    if not isinstance(path, BNode) or source is None:
        return path
    copy = BNode()
    for p, o in source.predicate_objects(path):
        target.add((copy, p, _copy_path(o, source, target)))
    return copy


def format_results(report: ValidationReport, source: str | None = None) -> str:
    """A readable report: a summary line, then results grouped by focus node."""
    counts = report.counts()
    summary = ", ".join(f"{n} {severity.lower()}{'s' if n != 1 else ''}" for severity, n in counts.items())
    verdict = "conforms" if report.conforms else "DOES NOT CONFORM"
    lines = [f"{source}: {verdict} ({summary})" if source else f"{verdict} ({summary})"]
    by_focus: dict[str, list[ValidationResult]] = {}
    for result in report.results:
        by_focus.setdefault(result.focus_node, []).append(result)
    for focus, results in by_focus.items():
        lines.append(f"  {focus}")
        for result in results:
            lines.append(f"    {result.severity}: {result.message}")
            details = [f"path {result.path}" if result.path else "", f"value {result.value}" if result.value else ""]
            if result.shape:
                details.append(f"shape {result.shape}")
            if any(details):
                lines.append("      " + "; ".join(d for d in details if d))
    return "\n".join(lines) + "\n"


def sparql_path(graph: Graph, node: Node | None) -> str | None:
    """A SHACL path as its IRI, or a complex one in SPARQL property-path syntax."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return str(node)
    return _path_syntax(graph, node)


def _path_syntax(graph: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return f"^{_path_syntax(graph, inverse)}"
    if graph.value(node, RDF.first) is not None:
        return "/".join(_path_syntax(graph, item) for item in Collection(graph, node))
    return str(node)


def merge(reports: Sequence[ValidationReport]) -> ValidationReport:
    """One report holding the results of several."""
    return ValidationReport.of(result for report in reports for result in report.results)


__all__ = [
    "MAX_SHOWN",
    "SEVERITIES",
    "ResultTerms",
    "ValidationReport",
    "ValidationResult",
    "format_results",
    "merge",
    "show_node",
    "show_term",
    "sparql_path",
]
