"""The embedded default store: pyoxigraph on disk, one named graph per release."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kfgraph.errors import ConfigurationError, StoreError
from kfgraph.store.base import GraphUpdate
from kfgraph.vocab import PREFIXES

_FORMATS = {
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_PRETTY = {ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML}


def _as_nquads(updates: Sequence[GraphUpdate]) -> str:
    """N-Triples lines (``s p o .``) of each update, moved into its graph."""
    lines = []
    for update in updates:
        suffix = f" <{update.graph}> .\n"
        for line in update.ntriples.splitlines():
            line = line.rstrip()
            if line and not line.startswith("#"):
                lines.append(line.removesuffix(".").rstrip() + suffix)
    return "".join(lines)


class OxigraphStore:
    """A pyoxigraph ``Store`` behind kfgraph's Store interface."""

    def __init__(self, inner: ox.Store, path: Path | None, *, read_only: bool = False) -> None:
        self.inner = inner
        self.path = path
        self.read_only = read_only
        # A store that starts empty is being built for the first time: its new graphs go in by
        # RocksDB bulk loading, which keeps memory flat (transactional loads grow the process by
        # about 1 GB per million quads) and is faster. Bulk loads are not transactions; an
        # interrupted first build is reported as failed, and rerunning it replaces every graph whole.
        self.initial_load = not read_only and path is not None and len(inner) == 0

    def replace_graphs(self, updates: Sequence[GraphUpdate]) -> None:
        """Replace graphs: graphs not yet in the store are loaded as N-Quads in one transaction
        (bulk-loaded during a first build, see ``initial_load``); existing ones are dropped and
        refilled by one SPARQL update, also a single transaction."""
        if not updates:
            return
        fresh = [u for u in updates if not self.inner.contains_named_graph(ox.NamedNode(u.graph))]
        existing = [u for u in updates if u not in fresh]
        try:
            if fresh and self.initial_load:
                self.inner.bulk_load(_as_nquads(fresh), format=ox.RdfFormat.N_QUADS)
            elif fresh:
                self.inner.load(_as_nquads(fresh), format=ox.RdfFormat.N_QUADS)
            if existing:
                parts = []
                for update in existing:
                    parts.append(f"DROP SILENT GRAPH <{update.graph}>")
                    parts.append(f"INSERT DATA {{ GRAPH <{update.graph}> {{\n{update.ntriples}\n}} }}")
                self.inner.update(" ;\n".join(parts))
        except (OSError, SyntaxError) as error:
            raise StoreError(f"could not store {len(updates)} graph(s): {error}") from error

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        if graphs:
            self.inner.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def graph_names(self) -> Iterator[str]:
        for graph in self.inner.named_graphs():
            if isinstance(graph, ox.NamedNode):
                yield graph.value

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        named: list[ox.NamedNode | ox.BlankNode] | None = [ox.NamedNode(g) for g in named_graphs] if named_graphs else None
        if default_graph:
            defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.NamedNode(g) for g in default_graph]
            return self.inner.query(sparql, default_graph=defaults, named_graphs=named)
        return self.inner.query(sparql, use_default_graph_as_union=True, named_graphs=named)

    def dump(self, output: IO[bytes], media_type: str, *, graph: str | None = None) -> None:
        fmt = _FORMATS.get(media_type)
        if fmt is None:
            raise ConfigurationError(f"cannot dump as {media_type}")
        prefixes = PREFIXES if fmt in _PRETTY else None
        if graph is not None:
            self.inner.dump(output, fmt, from_graph=ox.NamedNode(graph), prefixes=prefixes)
        elif fmt.supports_datasets:
            self.inner.dump(output, fmt, prefixes=prefixes)
        else:
            self.inner.dump(output, fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def triple_count(self) -> int:
        return len(self.inner)

    def flush(self) -> None:
        if not self.read_only:
            self.inner.flush()

    def close(self) -> None:
        self.flush()
        del self.inner


def open_store(path: Path | None, *, read_only: bool = False) -> OxigraphStore:
    """Open (creating if needed) the on-disk store at ``path``; ``None`` means in memory."""
    if path is None:
        return OxigraphStore(ox.Store(), None)
    try:
        if read_only:
            if not path.is_dir():
                raise ConfigurationError(f"no store at {path}: run `kfgraph build` first")
            return OxigraphStore(ox.Store.read_only(str(path)), path, read_only=True)
        path.mkdir(parents=True, exist_ok=True)
        return OxigraphStore(ox.Store(str(path)), path)
    except OSError as error:
        raise ConfigurationError(f"cannot open store at {path}: {error}") from error
