"""Where the graphs come from: one ``prov:Activity`` per build, in the graph ``{base}graph/builds``.

    <{base}id/build/20261204T192806Z-1a2b3c4d> a prov:Activity ;
        rdfs:label "kfgraph build 2026-12-04T19:28:06Z" ;
        prov:startedAtTime … ; prov:endedAtTime … ;
        prov:wasAssociatedWith <{base}id/software/kfgraph-0.1.0> ;
        kfg:releasesRead 13 ; kfg:releasesStored 13 ; kfg:releasesQuarantined 0 ;
        kfg:releasesUnreadable 0 ; kfg:triplesStored 2841 .
    <{base}id/software/kfgraph-0.1.0> a prov:SoftwareAgent, schema:SoftwareApplication ;
        schema:name "kfgraph" ; schema:softwareVersion "0.1.0" .
    <{release graph}> prov:wasGeneratedBy <{base}id/build/…> .     # and the shared graphs

Each named graph is ``prov:wasGeneratedBy`` the build that last wrote it: a build that
rewrites some releases moves their statements to its own activity and keeps the
others'; a graph no longer in the store loses its statement; an activity that
generated no graph still present is forgotten. The record lives in a graph of its own so the
release graphs stay a function of their input: two builds of the same input give
isomorphic datasets **except this graph**, which says when they ran.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from kfgraph import __version__
from kfgraph.iris import IriMinter
from kfgraph.mapping import Triple, triples_to_ntriples
from kfgraph.store.base import GraphUpdate, Store
from kfgraph.vocab import KFG, PROV, RDF, RDFS, SCHEMA, XSD

BUILDS = "builds"
"""The shared graph holding the build record (``IriMinter.shared_graph(BUILDS)``)."""


def _timestamp(moment: dt.datetime) -> Literal:
    return Literal(moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
                   datatype=XSD.dateTime)


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def activity_iri(minter: IriMinter, started: dt.datetime) -> URIRef:
    """A new build's IRI: its start time and a random tag (two builds in one second differ)."""
    stamp = started.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return URIRef(f"{minter.base}id/build/{stamp}-{secrets.token_hex(4)}")


def activity_triples(minter: IriMinter, activity: URIRef, *, started: dt.datetime, ended: dt.datetime,
                     counts: dict[str, int]) -> list[Triple]:
    """The statements describing one build; ``counts`` keyed read/stored/quarantined/unreadable/triples."""
    agent = URIRef(f"{minter.base}id/software/kfgraph-{__version__}")
    label = started.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    return [
        (activity, RDF.type, PROV.Activity),
        (activity, RDFS.label, Literal(f"kfgraph build {label}")),
        (activity, PROV.startedAtTime, _timestamp(started)),
        (activity, PROV.endedAtTime, _timestamp(ended)),
        (activity, PROV.wasAssociatedWith, agent),
        (activity, KFG.releasesRead, _integer(counts["read"])),
        (activity, KFG.releasesStored, _integer(counts["stored"])),
        (activity, KFG.releasesQuarantined, _integer(counts["quarantined"])),
        (activity, KFG.releasesUnreadable, _integer(counts["unreadable"])),
        (activity, KFG.triplesStored, _integer(counts["triples"])),
        (agent, RDF.type, PROV.SoftwareAgent),
        (agent, RDF.type, SCHEMA.SoftwareApplication),
        (agent, SCHEMA.name, Literal("kfgraph")),
        (agent, SCHEMA.softwareVersion, Literal(__version__)),
    ]


def _current_record(store: Store, graph: str) -> list[Triple]:
    found = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    text = ox.serialize(found, format=ox.RdfFormat.N_TRIPLES) or b""  # type: ignore[arg-type]
    return list(Graph().parse(data=text.decode("utf-8"), format="nt"))  # type: ignore[arg-type]


def build_record(store: Store, minter: IriMinter, activity: list[Triple], *, generated: Iterable[str],
                 dropped: Iterable[str]) -> GraphUpdate:
    """The new content of the builds graph: the earlier record, updated by this build's activity.

    ``generated``: graphs this build wrote; ``dropped``: graphs it removed.
    """
    graph = str(minter.shared_graph(BUILDS))
    this = activity[0][0]
    changed = {URIRef(g) for g in (*generated, *dropped)}
    earlier = _current_record(store, graph)
    present = set(store.graph_names())  # a graph removed outside a build loses its record too
    links = {(s, o) for s, p, o in earlier if p == PROV.wasGeneratedBy and s not in changed and str(s) in present}
    links |= {(URIRef(g), this) for g in generated}
    live = {o for _, o in links}
    described = {s for s, p, o in earlier if p == RDF.type and o == PROV.Activity}
    kept = [(s, p, o) for s, p, o in earlier if p != PROV.wasGeneratedBy and (s not in described or s in live)]
    record = dict.fromkeys([*kept, *activity, *((g, PROV.wasGeneratedBy, a) for g, a in sorted(links))])
    # agents stay while an activity names them
    agents = {o for s, p, o in record if p == PROV.wasAssociatedWith}
    final = [t for t in record if not (t[0] not in agents and (t[0], RDF.type, PROV.SoftwareAgent) in record)]
    return GraphUpdate(graph, triples_to_ntriples(final))
