"""Whether a query could read a triple of the engine's own graphs, so kfgraph must leave them out.

Virtuoso's default graph is the union of *all* its graphs, its system graphs
(``virtrdf#``, ``owl#``, ``ldp#`` …, about 2,700 triples) included. kfgraph
leaves those out with ``define input:default-graph-exclude`` pragmas, but
the pragmas cost: at 100k releases they made three bench queries 1.7–3.6×
slower (bench/RESULTS.md). They change an answer only when those graphs can
give the query a solution, so ``RemoteStore`` sends them only then:

* ``query_patterns`` reads the triple patterns of a query (rdflib's parser
  and algebra; sub-selects, ``EXISTS`` and ``MINUS`` included), variables and
  blank nodes as wildcards, each IRI of a property path as a predicate. It
  keeps apart the basic graph patterns inside ``GRAPH``: all of one such
  pattern is matched in one graph. It answers None, "could match anything",
  for a zero-length (``*``, ``?``) or negated path, an empty ``GRAPH ?g {}``,
  DESCRIBE (engine-defined), or text rdflib cannot read.
* ``ForeignTriples.exclusion`` tests them against those graphs' triples,
  held in memory: the default graph (a union, where one triple of theirs can
  join ours) must leave them out when any pattern outside ``GRAPH`` matches
  one of their triples; named graphs, when every pattern of a basic graph
  pattern inside ``GRAPH`` does. A literal matches by its lexical form,
  whatever its datatype or language, so an engine that compares literals
  more loosely than kfgraph is still covered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib.paths import AlternativePath, InvPath, MulPath, Path, SequencePath
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Literal, URIRef

Pattern = tuple[str | None, str | None, str | Literal | None]
"""(subject IRI, predicate IRI, object IRI or literal); None = any term."""


@dataclass(frozen=True)
class QueryPatterns:
    default: tuple[Pattern, ...]
    """Patterns matched against the default graph."""
    named: tuple[tuple[Pattern, ...], ...]
    """Basic graph patterns inside ``GRAPH``: each one is matched, whole, in one named graph."""


class _Unbounded(Exception):
    """The query can match any triple."""


@lru_cache(maxsize=512)
def query_patterns(query: str) -> QueryPatterns | None:
    """The triple patterns of ``query``; None when it could match any triple (see the module docstring)."""
    try:
        parsed = parseQuery(query)
        if parsed[1].name == "DescribeQuery":
            return None
        default: list[Pattern] = []
        named: list[tuple[Pattern, ...]] = []
        for in_graph, patterns in _groups(translateQuery(parsed).algebra, in_graph=False):
            if in_graph:
                named.append(patterns)
            else:
                default.extend(patterns)
        return QueryPatterns(tuple(dict.fromkeys(default)), tuple(dict.fromkeys(named)))
    except (_Unbounded, ParseBaseException):
        return None
    except Exception:  # noqa: BLE001 - rdflib raises many kinds on queries it cannot translate: stay safe
        return None


def _groups(node: object, *, in_graph: bool) -> Iterator[tuple[bool, tuple[Pattern, ...]]]:
    """(inside GRAPH?, the patterns of one basic graph pattern) for each one in ``node``."""
    if isinstance(node, CompValue):
        if node.name in ("Graph", "GraphGraphPattern"):
            if _is_empty_group(node.get("p", node.get("graph"))):
                raise _Unbounded  # GRAPH ?g {} lists every graph
            in_graph = True
        if node.name == "BGP":
            yield in_graph, tuple(p for s, p_, o in node["triples"] for p in _triple(s, p_, o))
        elif node.name == "TriplesBlock":  # EXISTS / NOT EXISTS keep the parser's flat form
            flat = [term for triple in node["triples"] for term in triple]
            yield in_graph, tuple(p for i in range(0, len(flat) - 2, 3) for p in _triple(*flat[i:i + 3]))
        for value in node.values():
            yield from _groups(value, in_graph=in_graph)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _groups(item, in_graph=in_graph)


def _is_empty_group(node: object) -> bool:
    if isinstance(node, CompValue):
        if node.name == "BGP":
            return not node["triples"]
        if node.name == "GroupGraphPatternSub":
            return not node.get("part")
    return False


def _term(term: object) -> str | Literal | None:
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        return term
    return None  # a variable or a blank node


def _triple(s: object, p: object, o: object) -> Iterator[Pattern]:
    subject, obj = _term(s), _term(o)
    subject_iri = subject if type(subject) is str else None  # a Literal is a str too
    if isinstance(p, URIRef):
        yield (subject_iri, str(p), obj)
    elif isinstance(p, InvPath) and isinstance(p.arg, URIRef):  # ^p: the same triple, read backwards
        yield (obj if type(obj) is str else None, str(p.arg), subject)
    elif isinstance(p, Path):  # the steps of a longer path join unknown nodes: each step may match anywhere
        for iri in _path_iris(p):
            yield (None, iri, None)
    else:
        yield (subject_iri, None, obj)


def _path_iris(path: object) -> Iterable[str]:
    if isinstance(path, URIRef):
        return [str(path)]
    if isinstance(path, MulPath):
        if path.zero:
            raise _Unbounded  # a zero-length step matches every node of the graph
        return _path_iris(path.path)
    if isinstance(path, InvPath):
        return _path_iris(path.arg)
    if isinstance(path, (SequencePath, AlternativePath)):
        return [iri for step in path.args for iri in _path_iris(step)]
    raise _Unbounded  # a negated path (!p) matches any other predicate


class ForeignTriples:
    """The triples of the engine's own graphs, to test a query's patterns against."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.store = ox.Store()
        self.store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)

    def exclusion(self, patterns: QueryPatterns | None) -> str:
        """Which graphs of the engine a query with ``patterns`` (None: anything) must leave out.

        "none", "default" (from the default graph only) or "all" (from the default and the named graphs).
        """
        if len(self.store) == 0:
            return "none"
        if patterns is None or any(all(self._matches(p) for p in group) for group in patterns.named):
            return "all"
        return "default" if any(self._matches(p) for p in patterns.default) else "none"

    def _matches(self, pattern: Pattern) -> bool:
        subject, predicate, obj = pattern
        s = ox.NamedNode(subject) if subject is not None else None
        p = ox.NamedNode(predicate) if predicate is not None else None
        if isinstance(obj, Literal):
            return any(isinstance(q.object, ox.Literal) and q.object.value == str(obj)
                       for q in self.store.quads_for_pattern(s, p, None))
        o = ox.NamedNode(obj) if obj is not None else None
        return next(iter(self.store.quads_for_pattern(s, p, o)), None) is not None
