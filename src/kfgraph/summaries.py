"""Build-time summaries: how many events of each type per year, overall, per place and per actor.

Charts, timelines and the map read these instead of counting events at request
time (an aggregate over every event takes Oxigraph seconds at 100k releases).
They are W3C Data Cube observations in their own graph, ``{base}graph/summaries``,
so analysts can query them too (docs/vocabulary.md):

    ?o qb:dataSet <{base}id/dataset/events-by-type-and-year> ;
       kfg:refYear 2021 ; kfg:refEventType etype:Patrol ; kfg:eventCount 12 .

``refresh(store, minter)`` recomputes every data set from the store and replaces
the graph in one write; ``pipeline.build`` calls it at the end of every build, so
the summaries always describe the releases stored. A year is the publication
year of the release that reports the event (as the README's question 07 counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from kfgraph.iris import IriMinter
from kfgraph.mapping import Triple, to_ntriples, graph_of
from kfgraph.store.base import GraphUpdate, Store
from kfgraph.vocab import KFG, QB, sparql_prologue


@dataclass(frozen=True)
class CubeSpec:
    """One data set: its name, title, the dimension it adds to (year, type), and the pattern binding it."""

    name: str
    title: str
    dimension: URIRef | None
    variable: str | None
    pattern: str


EVENTS = "?release schema:mentions ?event ; schema:datePublished ?published . ?event a schema:Event ; kfg:eventType ?type ."

CUBES: tuple[CubeSpec, ...] = (
    CubeSpec("events-by-type-and-year", "Events per type and year", None, None, EVENTS),
    CubeSpec("events-by-place", "Events per place, type and year", KFG.refPlace, "place",
             EVENTS + " ?event sem:hasPlace ?place ."),
    CubeSpec("events-by-actor", "Events per actor (organization or person), type and year", KFG.refActor, "actor",
             EVENTS + " ?event sem:hasActor ?actor ."),
)
GRAPH = "summaries"


def aggregate_query(cube: CubeSpec) -> str:
    """The SPARQL that counts one data set's observations from the release graphs."""
    extra = f"?{cube.variable} " if cube.variable else ""
    return sparql_prologue(("schema", "kfg", "sem")) + (
        f"SELECT {extra}?year ?type (COUNT(DISTINCT ?event) AS ?events) WHERE {{\n"
        f"  {cube.pattern}\n  BIND (YEAR(?published) AS ?year)\n}} GROUP BY {extra}?year ?type"
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
        (QB.dimension, KFG.refYear), (QB.dimension, KFG.refEventType), (QB.measure, KFG.eventCount)]
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
        year, etype, count = int(row["year"]), URIRef(row["type"]), int(row["events"])
        parts = ([_local(row[cube.variable], minter)] if cube.variable else []) + [str(year), _local(etype, minter)]
        node = minter.observation(cube.name, *parts)
        yield node, RDF.type, QB.Observation
        yield node, QB.dataSet, dataset
        if cube.dimension is not None and cube.variable:
            yield node, cube.dimension, URIRef(row[cube.variable])
        yield node, KFG.refYear, Literal(year, datatype=XSD.integer)
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
        triples.extend(observations(cube, _rows(store, aggregate_query(cube)), minter))
    return GraphUpdate(str(minter.shared_graph(GRAPH)), to_ntriples(graph_of(triples)))


def refresh(store: Store, minter: IriMinter) -> int:
    """Recompute the summaries graph from the store and replace it; returns its number of triples."""
    update = summary_graph(store, minter)
    store.replace_graphs([update])
    return update.ntriples.count("\n")
