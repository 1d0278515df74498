"""SHACL validation: shapes loaded once, every release graph checked with the shared graphs it relies on.

    validator = load_validator(Path("shapes"), shared=SharedGraphs({...}))
    report = validator.validate(graph)      # never raises for non-conformance
    report.conforms                          # False only if some result is a Violation
    report.to_json()                         # {"conforms", "counts", "results"}

**What "conforms" means.** A release graph conforms when, merged with the shared
graphs ({base}graph/ontology and {base}graph/gazetteer), it gives no Violation
about a node the release graph holds (as subject or object). Results about nodes
only the shared graphs hold belong to them: :meth:`Validator.validate_shared`
checks those once. Severity follows the shapes: ``Violation`` breaks the
vocabulary contract, ``Warning`` is suspicious, ``Info`` a note.

How, quickly (each step is exact; tests compare with plain pySHACL):

- SHACL Core runs in pySHACL on the graph plus the part of the shared graphs it
  can see: what they say about the graph's nodes, and the types of what that
  points to (Core shapes follow paths one step from the focus node; a test keeps
  them so).
- SHACL-SPARQL constraints run once per graph in pyoxigraph, over the graph and
  all of the shared graphs (:mod:`kfgraph.validation_sparql`).
- :meth:`Validator.validate_batch` checks many release graphs with one pass over
  their union, and then alone only the releases the union cannot vouch for: those
  near a Violation, and those that borrow from another release of the batch
  something a shape requires to exist (an ``rdf:type``, a property with
  ``sh:minCount``/``sh:hasValue``, or one a SPARQL constraint names with
  ``kfgsh:requires``). Every other shape only finds more in a union, never less.
"""

from __future__ import annotations

import copy
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, SH, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from kfgraph.errors import ConfigurationError
from kfgraph.mapping import triples_to_ntriples
from kfgraph.validation_core import CoreShapes
from kfgraph.validation_report import SEVERITIES, ValidationReport, ValidationResult, merge
from kfgraph.validation_sparql import SparqlConstraint, run, sparql_constraints
from kfgraph.validation_terms import declared_terms, with_nearest_term

Triple = tuple[Node, Node, Node]



SHARED_GRAPHS = "shared graphs"
"""How a dataset's report names the shared graphs it carries, checked on their own."""
_SHARED_GRAPH_NAME = re.compile(r"/graph/[^/#]+$")
_RELEASE_GRAPH_NAME = re.compile(r"/id/release/[^/#]+$")


def is_release_graph(name: str) -> bool:
    """Release graphs are named ``{base}id/release/{identifier}`` (see ``kfgraph.iris``)."""
    return bool(_RELEASE_GRAPH_NAME.search(name))


DERIVED_GRAPHS = ("builds", "summaries")
"""``{base}graph/{name}`` graphs a build derives from the releases (the build record, the Data Cube
summaries): no release relies on them, so they are checked as graphs of their own, not shared."""


def is_shared_graph(name: str) -> bool:
    """Shared graphs are named ``{base}graph/{name}``: the ontology, the gazetteer, the external links
    (any such name but the derived graphs, :data:`DERIVED_GRAPHS`)."""
    match = _SHARED_GRAPH_NAME.search(name)
    return match is not None and match.group(0)[len("/graph/"):] not in DERIVED_GRAPHS


def is_derived_graph(name: str) -> bool:
    """``{base}graph/builds`` and ``{base}graph/summaries``: checked with the shared graphs, like a release graph."""
    match = _SHARED_GRAPH_NAME.search(name)
    return match is not None and match.group(0)[len("/graph/"):] in DERIVED_GRAPHS


class SharedGraphs:
    """The graphs every release relies on (the ontology, the gazetteer), indexed for validation."""

    def __init__(self, graphs: Mapping[str, Graph]) -> None:
        self.names = tuple(sorted(graphs))
        """Graph names, e.g. ``http://localhost:8000/graph/gazetteer``."""
        unique: dict[Triple, None] = {}
        for name in self.names:
            for triple in graphs[name]:
                unique[triple] = None
        self.triples: tuple[Triple, ...] = tuple(unique)
        self.by_subject: dict[Node, list[Triple]] = defaultdict(list)
        for triple in self.triples:
            self.by_subject[triple[0]].append(triple)
        self.ntriples = triples_to_ntriples(self.triples)
        self.declared_terms = declared_terms(self.triples)
        """The schema: and kfg: terms the shared graphs declare (the ontology's classes and properties)."""

    def __len__(self) -> int:
        return len(self.triples)

    def graph(self) -> Graph:
        """The union of the shared graphs."""
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in self.triples)
        return graph

    def closure(self, nodes: set[Node]) -> list[Triple]:
        """What the shared graphs say about ``nodes``, and the types of the nodes that points to."""
        found: dict[Triple, None] = {}
        for node in nodes:
            for triple in self.by_subject.get(node, ()):
                found[triple] = None
        for _, _, target in list(found):
            if target not in nodes and not isinstance(target, Literal):
                for triple in self.by_subject.get(target, ()):
                    if triple[1] == RDF.type:
                        found[triple] = None
        return list(found)


NO_SHARED_GRAPHS = SharedGraphs({})


class Validator:
    """Validates graphs against the shapes in one directory, parsed once, with one set of shared graphs."""

    def __init__(self, shapes_dir: Path, *, shared: SharedGraphs = NO_SHARED_GRAPHS) -> None:
        """Parse every ``*.ttl`` in ``shapes_dir``; a missing, empty or unparsable directory is a ConfigurationError."""
        files = sorted(Path(shapes_dir).glob("*.ttl"))
        if not files:
            raise ConfigurationError(f"no shapes (*.ttl) in {shapes_dir}")
        graph = Graph()
        for file in files:
            try:
                graph.parse(file, format="turtle")
            except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
                raise ConfigurationError(f"cannot parse shapes file {file}: {exc}") from exc
        self.shapes_graph = graph
        """The shapes as written in ``shapes_dir``."""
        self.shape_files = tuple(files)
        self._sparql = sparql_constraints(graph)
        self._core_shapes = CoreShapes(graph)
        self.required = _required_predicates(graph, self._sparql)
        """Predicates whose absence a Violation-level shape reports: rdf:type, sh:minCount/sh:hasValue paths, kfgsh:requires."""
        self._lock = threading.Lock()  # pySHACL shape objects are not documented as thread-safe
        self._store = ox.Store()  # the data and the shared graphs merged in its default graph, for SPARQL constraints
        self.shared = NO_SHARED_GRAPHS
        self._shared_signatures: dict[Node, set[tuple[Node, Node | None]]] = {}
        self.use_shared(shared)

    def with_shared(self, shared: SharedGraphs) -> Validator:
        """A validator with the same (already parsed) shapes and other shared graphs."""
        other = copy.copy(self)
        other._lock = threading.Lock()
        other._store = ox.Store()
        other.use_shared(shared)
        return other

    def use_shared(self, shared: SharedGraphs) -> None:
        """Validate from now on with these shared graphs."""
        with self._lock:
            self.shared = shared
            self._shared_signatures = _signatures(shared.triples, self.required)

    # ----------------------------------------------------------------------- one graph

    def validate(self, data: Graph) -> ValidationReport:
        """Validate ``data`` (one release graph, or any graph) with the shared graphs; ``data`` is not modified.

        A Dataset is validated graph by graph, and the reports merged."""
        if isinstance(data, Dataset):
            return merge([report for _, report in self.validate_dataset(
                {None if graph.identifier == DATASET_DEFAULT_GRAPH_ID else str(graph.identifier): graph
                 for graph in data.graphs() if len(graph)})])
        triples = list(data)
        with self._lock:
            return self._validate(triples, data=data)

    def validate_dataset(self, graphs: Mapping[str | None, Graph]) -> list[tuple[str | None, ValidationReport]]:
        """The graphs of a dataset (by name, None for the default graph), as a build checks them: each with
        the shared graphs. Shared graphs among them ({base}graph/…) are the ones used, and are checked once
        on their own (reported as :data:`SHARED_GRAPHS`); without them, this validator's are."""
        shared_names = sorted(name for name in graphs if name is not None and is_shared_graph(name))
        checker = self.with_shared(SharedGraphs({n: graphs[n] for n in shared_names})) if shared_names else self
        reports: list[tuple[str | None, ValidationReport]] = []
        if shared_names:
            reports.append((SHARED_GRAPHS, checker.validate_shared()))
        for name, graph in graphs.items():
            if name not in shared_names:
                reports.append((name, checker.validate(graph)))
        return reports

    def validate_shared(self) -> ValidationReport:
        """Validate the shared graphs on their own (every result counts: they are the data)."""
        with self._lock:
            core = self._core(self.shared.graph(), lambda node: True)
            self._load_data([], "")
            sparql = self._run_sparql(lambda node: True)
        return ValidationReport.of([*core, *sparql])

    def _validate(self, triples: list[Triple], *, data: Graph | None = None, ntriples: str | None = None,
                  nodes: set[Node] | None = None) -> ValidationReport:
        nodes = nodes if nodes is not None else _nodes(triples)
        extra = self.shared.closure(nodes) if self.shared.triples else []
        if data is None or extra or not data.store.context_aware:
            # pySHACL wraps the data in a Dataset (it needs a context-aware store), and the shared facts go in too
            graph = Graph()
            add = graph.store.add  # Graph.addN goes through a generic loop; this is a third faster
            for triple in triples:
                add(triple, graph, False)
            for triple in extra:
                add(triple, graph, False)
        else:
            graph = data
        core = self._core(graph, nodes.__contains__)
        self._load_data(triples, ntriples)
        sparql = self._run_sparql(nodes.__contains__)
        return ValidationReport.of([*core, *sparql])

    def _core(self, graph: Graph, in_data: Any) -> list[ValidationResult]:
        return [r for r in self._core_shapes.run(graph) if r.terms is not None and in_data(r.terms.focus)]

    def _load_data(self, triples: list[Triple], ntriples: str | None) -> None:
        """The store's default graph becomes the shared graphs merged with the data (each triple once)."""
        self._store.clear()
        for text in (self.shared.ntriples, ntriples if ntriples is not None else triples_to_ntriples(triples)):
            if "_:" in text:  # a load renames blank nodes; parsed terms keep their labels, so results name them right
                self._store.extend(ox.Quad(q.subject, q.predicate, q.object)
                                   for q in ox.parse(text.encode(), ox.RdfFormat.N_TRIPLES, lenient=True))
            elif text:
                self._store.load(text.encode(), ox.RdfFormat.N_TRIPLES, lenient=True)

    def _run_sparql(self, in_data: Any) -> list[ValidationResult]:
        results = []
        for constraint in self._sparql:
            for result in run(constraint, self._store, in_data):
                if constraint.nearest_term and result.terms is not None:
                    result = with_nearest_term(result, self.shared.declared_terms)
                results.append(result)
        return results

    # ----------------------------------------------------------------------- many release graphs

    def validate_batch(self, graphs: Sequence[Sequence[Triple]], *,
                       ntriples: Sequence[str] | None = None) -> list[ValidationReport]:
        """One report per release graph, from as few passes as it takes: each release gets the verdict and
        the Violations :meth:`validate` gives it alone. Warnings and Infos of a release the union vouches for
        are the union's (another release can add a second rank, or give one a release lacks): a build keeps
        verdicts only; reports that list Warnings validate each graph alone."""
        if not graphs:
            return []
        texts = list(ntriples) if ntriples is not None else [triples_to_ntriples(t) for t in graphs]
        with self._lock:
            if len(graphs) == 1:
                return [self._validate(list(graphs[0]), ntriples=texts[0])]
            node_sets = [_nodes(triples) for triples in graphs]
            union = [triple for triples in graphs for triple in triples]
            together = self._validate(union, ntriples="".join(texts), nodes=set().union(*node_sets))
            suspects = {r.terms.focus for r in together.violations if r.terms is not None}
            borrowing = self._borrowers(graphs, node_sets)
            reports = []
            for index, triples in enumerate(graphs):
                nodes = node_sets[index]
                if index in borrowing or not suspects.isdisjoint(nodes):
                    reports.append(self._validate(list(triples), ntriples=texts[index], nodes=nodes))
                else:
                    reports.append(ValidationReport.of(r for r in together.results if r.terms and r.terms.focus in nodes))
            return reports

    def _borrowers(self, graphs: Sequence[Sequence[Triple]], node_sets: list[set[Node]]) -> set[int]:
        """Releases holding a node (or predicate) that another release of the batch gives a required fact it lacks.

        Only nodes held by two releases or more can be borrowed from, so facts are gathered for those alone;
        set operations and comprehensions do the rest (rdflib terms compare in Python: every hit costs)."""
        held = [nodes | {p for _, p, _ in triples} for nodes, triples in zip(node_sets, graphs)]
        seen: set[Node] = set()
        shared: set[Node] = set()
        for nodes in held:
            shared |= nodes & seen
            seen |= nodes
        required = self.required
        own: list[dict[Node, set[tuple[Node, Node | None]]]] = []
        together: dict[Node, set[tuple[Node, Node | None]]] = defaultdict(set)
        for triples in graphs:
            facts: dict[Node, set[tuple[Node, Node | None]]] = defaultdict(set)
            for s, p, o in [t for t in triples if t[0] in shared and t[1] in required]:
                facts[s].add((p, o if p == RDF.type else None))
            for node, found in facts.items():
                together[node] |= found
            own.append(facts)
        borrowing = set()
        for index, nodes in enumerate(held):
            facts = own[index]
            for node in nodes.intersection(together):
                if not together[node] <= facts.get(node, set()) | self._shared_signatures.get(node, set()):
                    borrowing.add(index)
                    break
        return borrowing


def load_validator(shapes_dir: Path, *, shared: SharedGraphs = NO_SHARED_GRAPHS) -> Validator:
    """A :class:`Validator` for the ``*.ttl`` shapes in ``shapes_dir``, checking graphs with ``shared``."""
    return Validator(shapes_dir, shared=shared)


def _nodes(triples: Iterable[Triple]) -> set[Node]:
    """Every subject and object of ``triples``: the nodes whose results belong to them."""
    nodes: set[Node] = set()
    for s, _, o in triples:
        nodes.add(s)
        nodes.add(o)
    return nodes


def _signatures(triples: Iterable[Triple], required: frozenset[URIRef]) -> dict[Node, set[tuple[Node, Node | None]]]:
    """Per subject, the required facts it has: each rdf:type with its class, each other required predicate."""
    found: dict[Node, set[tuple[Node, Node | None]]] = defaultdict(set)
    for s, p, o in triples:
        if p in required:
            found[s].add((p, o if p == RDF.type else None))
    return found


def _required_predicates(shapes: Graph, sparql: Sequence[SparqlConstraint]) -> frozenset[URIRef]:
    required = {RDF.type}
    for prop in set(shapes.subjects(SH.path, None)):
        path = shapes.value(prop, SH.path)
        counted = shapes.value(prop, SH.minCount)
        if shapes.value(prop, SH.severity) not in (None, SH.Violation):
            continue
        if isinstance(path, URIRef) and (shapes.value(prop, SH.hasValue) is not None
                                         or (isinstance(counted, Literal) and int(counted) > 0)):
            required.add(path)
    for constraint in sparql:
        if constraint.severity == SH.Violation:
            required |= constraint.requires
    return frozenset(required)


__all__ = [
    "NO_SHARED_GRAPHS",
    "SEVERITIES",
    "SHARED_GRAPHS",
    "SharedGraphs",
    "ValidationReport",
    "ValidationResult",
    "Validator",
    "is_release_graph",
    "is_shared_graph",
    "load_validator",
]
