"""Build-time summaries: how many events of each type per year, overall, per place and per actor.

Charts, timelines and the map read these instead of counting events at request
time (an aggregate over every event takes Oxigraph seconds at 100k releases).
They are W3C Data Cube observations in their own graph, ``{base}graph/summaries``,
so analysts can query them too (docs/vocabulary.md). Actors are summarised
from ``MIN_EVENTS`` events up: the many people named once or twice would make
the graph large for nothing, and a page counts their few events live.


    ?o qb:dataSet <{base}id/dataset/events-by-type-and-year> ;
       kfg:refYear 2021 ; kfg:refEventType etype:Patrol ; kfg:eventCount 12 .

``refresh(store, minter)`` recomputes every data set from the store and replaces
the graph in one write; ``pipeline.build`` calls it at the end of every build, so
the summaries always describe the releases stored. A year is the publication
year of the release that reports the event (as the README's question 07 counts).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from kfgraph.iris import IriMinter
from kfgraph.mapping import Triple, triples_to_ntriples
from kfgraph.store.base import GraphUpdate, Store
from kfgraph.vocab import KFG, QB, sparql_prologue


MIN_EVENTS = 20
"""An actor is summarised when it has at least this many events; pages count the others' live."""


@dataclass(frozen=True)
class CubeSpec:
    """One data set: its name, title, the dimension it adds to (year, type), and the pattern binding it."""

    name: str
    title: str
    dimension: URIRef | None
    variable: str | None
    pattern: str
    thresholded: bool = False
    by_type: bool = True

    def keep(self, rows: list[dict[str, str]]) -> list[dict[str, str]]:
        """The rows of actors with ``MIN_EVENTS`` or more events (every row of the other data sets)."""
        if self.variable is None or not self.thresholded:
            return rows
        totals: dict[str, int] = {}
        for row in rows:
            totals[row[self.variable]] = totals.get(row[self.variable], 0) + int(row["events"])
        return [row for row in rows if totals[row[self.variable]] >= MIN_EVENTS]


EVENTS = "?release schema:mentions ?event ; schema:datePublished ?published . ?event a schema:Event ; kfg:eventType ?type ."

CUBES: tuple[CubeSpec, ...] = (
    CubeSpec("events-by-type-and-year", "Events per type and year", None, None, EVENTS),
    CubeSpec("events-by-place", "Events per place, type and year", KFG.refPlace, "place",
             EVENTS + " ?event sem:hasPlace ?place ."),
    CubeSpec("events-by-actor", "Events per actor and year (organizations and people with 20 or more events)",
             KFG.refActor, "actor", EVENTS + " ?event sem:hasActor ?actor .", thresholded=True, by_type=False),
)
GRAPH = "summaries"


def aggregate_query(cube: CubeSpec) -> str:
    """The SPARQL that counts one data set's observations from the release graphs."""
    keys = (f"?{cube.variable} " if cube.variable else "") + "?year" + (" ?type" if cube.by_type else "")
    return sparql_prologue(("schema", "kfg", "sem")) + (
        f"SELECT {keys} (COUNT(DISTINCT ?event) AS ?events) WHERE {{\n"
        f"  {cube.pattern}\n  BIND (YEAR(?published) AS ?year)\n}} GROUP BY {keys}"
    )


def _local(iri: str, minter: IriMinter) -> str:
    """The part of an IRI that names it in an observation IRI: its path under the base, else all of it."""
    return iri.removeprefix(minter.base).removeprefix("id/").removeprefix("https://w3id.org/kfgraph/")


def _structure(cube: CubeSpec, minter: IriMinter) -> Iterator[Triple]:
    dataset = minter.dataset(cube.name)
    dsd = URIRef(f"{dataset}#structure")
    yield dataset, RDF.type, QB.DataSet
    yield dataset, RDFS.label, Literal(cube.title)
    yield dataset, DCTERMS.identifier, Literal(cube.name)
    yield dataset, QB.structure, dsd
    yield dsd, RDF.type, QB.DataStructureDefinition
    components = ([(QB.dimension, cube.dimension)] if cube.dimension is not None else []) + [
        (QB.dimension, KFG.refYear)] + ([(QB.dimension, KFG.refEventType)] if cube.by_type else []) + [
        (QB.measure, KFG.eventCount)]
    for order, (kind, prop) in enumerate(components, start=1):
        spec = URIRef(f"{dataset}#component-{order}")
        yield dsd, QB.component, spec
        yield spec, RDF.type, QB.ComponentSpecification
        yield spec, kind, prop
        if kind == QB.dimension:
            yield spec, QB.order, Literal(order)


def observations(cube: CubeSpec, rows: Iterable[dict[str, str]], minter: IriMinter) -> Iterator[Triple]:
    """The triples of one data set: its structure and one observation per row of ``aggregate_query``."""
    yield from _structure(cube, minter)
    dataset = minter.dataset(cube.name)
    for row in rows:
        if "year" not in row:  # an event whose release has no usable date
            continue
        year, count = int(row["year"]), int(row["events"])
        etype = URIRef(row["type"]) if cube.by_type else None
        parts = ([_local(row[cube.variable], minter)] if cube.variable else []) + [str(year)] + (
            [_local(etype, minter)] if etype is not None else [])
        node = minter.observation(cube.name, *parts)
        yield node, RDF.type, QB.Observation
        yield node, QB.dataSet, dataset
        if cube.dimension is not None and cube.variable:
            yield node, cube.dimension, URIRef(row[cube.variable])
        yield node, KFG.refYear, Literal(year, datatype=XSD.integer)
        if etype is not None:
            yield node, KFG.refEventType, etype
        yield node, KFG.eventCount, Literal(count, datatype=XSD.integer)


def _rows(store: Store, sparql: str) -> list[dict[str, str]]:
    solutions = store.query(sparql)
    variables = [v.value for v in solutions.variables]  # type: ignore[attr-defined]
    return [{name: row[name].value for name in variables if row[name] is not None}
            for row in solutions]  # type: ignore[attr-defined]


def summary_graph(store: Store, minter: IriMinter) -> GraphUpdate:
    """Every data set, computed from what ``store`` holds now, as the new content of the summaries graph."""
    triples: list[Triple] = []
    for cube in CUBES:
        triples.extend(observations(cube, cube.keep(_rows(store, aggregate_query(cube))), minter))
    return GraphUpdate(str(minter.shared_graph(GRAPH)), triples_to_ntriples(triples))


def _current(store: Store, graph: str) -> set[str]:
    """The N-Triples lines the summaries graph holds now (empty when it does not exist)."""
    if graph not in set(store.graph_names()):
        return set()
    buffer = io.BytesIO()
    store.dump(buffer, "application/n-triples", graph=graph)
    return {line for line in buffer.getvalue().decode("utf-8").splitlines() if line.strip()}


def refresh(store: Store, minter: IriMinter) -> GraphUpdate:
    """Recompute the summaries graph from the store and replace it; returns it as stored.

    An unchanged graph is not written again. A changed one is dropped, then loaded
    afresh: stores replace a large existing graph far more slowly than they load a
    new one (bench/RESULTS.md), and until the load ends pages count events live.
    """
    update = summary_graph(store, minter)
    lines = {line for line in update.ntriples.splitlines() if line.strip()}
    current = _current(store, update.graph)
    if lines != current:
        if current:
            store.remove_graphs([update.graph])
        store.replace_graphs([update])
    return update
