"""The embedded default store: pyoxigraph on disk, one named graph per release.

The store's default graph holds the merge of all named graphs, each triple once, and
is what queries see by default. (Oxigraph's "union default graph" option repeats a
triple once per graph stating it, so a join over entities that hundreds of releases
mention grew with the square of their number.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kfgraph.errors import ConfigurationError, StoreError
from kfgraph.store.base import GraphUpdate, dump_format
from kfgraph.store.lock import StoreLock



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

    def __init__(
        self, inner: ox.Store, path: Path | None, *, read_only: bool = False, lock: StoreLock | None = None
    ) -> None:
        self.inner = inner
        self.path = path
        self.read_only = read_only
        self.lock = lock  # held while this handle is open: one writer or many readers (store/lock.py)
        # A store that starts empty is being built for the first time: its new graphs go in by
        # RocksDB bulk loading, which keeps memory flat (transactional loads grow the process by
        # about 1 GB per million quads) and is faster. Bulk loads are not transactions; an
        # interrupted first build is reported as failed, and rerunning it replaces every graph whole.
        self.initial_load = not read_only and path is not None and len(inner) == 0

    def replace_graphs(self, updates: Sequence[GraphUpdate]) -> None:
        """Replace named graphs, and keep the default graph the merge of them all.

        Graphs not yet in the store are loaded as N-Quads in one transaction (bulk-loaded
        during a first build, see ``initial_load``); existing ones are dropped and refilled by
        one SPARQL update, also one transaction. Their triples also go into the default graph,
        where the store's set semantics keep each triple once; triples a replaced graph no
        longer states leave the default graph unless another graph still states them.
        """
        if not updates:
            return
        fresh = [u for u in updates if not self.inner.contains_named_graph(ox.NamedNode(u.graph))]
        existing = [u for u in updates if u not in fresh]
        try:
            if fresh:
                # N-Triples lines are also N-Quads lines of the default graph
                nquads = _as_nquads(fresh) + "".join(u.ntriples.rstrip("\n") + "\n" for u in fresh)
                if self.initial_load:
                    self.inner.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
                else:
                    self.inner.load(nquads, format=ox.RdfFormat.N_QUADS)
            if existing:
                before = self._triples_of([u.graph for u in existing])
                parts = []
                for update in existing:
                    parts.append(f"DROP SILENT GRAPH <{update.graph}>")
                    parts.append(f"INSERT DATA {{ GRAPH <{update.graph}> {{\n{update.ntriples}\n}} }}")
                    parts.append(f"INSERT DATA {{\n{update.ntriples}\n}}")
                self.inner.update(" ;\n".join(parts))
                self._drop_orphans(before)
        except (OSError, SyntaxError) as error:
            raise StoreError(f"could not store {len(updates)} graph(s): {error}") from error

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        try:
            present = [g for g in graphs if self.inner.contains_named_graph(ox.NamedNode(g))]
            if present:
                before = self._triples_of(present)
                self.inner.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in present))
                self._drop_orphans(before)
        except (OSError, SyntaxError) as error:  # the build reports a StoreError and goes on
            raise StoreError(f"could not drop {len(graphs)} graph(s): {error}") from error

    def _triples_of(self, graphs: Sequence[str]) -> set[ox.Triple]:
        return {q.triple for g in graphs for q in self.inner.quads_for_pattern(None, None, None, ox.NamedNode(g))}

    def _drop_orphans(self, candidates: set[ox.Triple]) -> None:
        """Remove from the default graph the candidates no named graph states any more."""
        orphans = [
            t for t in candidates
            if not any(
                not isinstance(q.graph_name, ox.DefaultGraph)
                for q in self.inner.quads_for_pattern(t.subject, t.predicate, t.object)
            )
        ]
        if orphans:
            self.inner.update("DELETE DATA {\n" + "".join(f"{t} .\n" for t in orphans) + "}")

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
        return self.inner.query(sparql, named_graphs=named)

    def dump(self, output: IO[bytes], media_type: str, *, graph: str | None = None) -> None:
        fmt, prefixes = dump_format(media_type)
        if graph is not None:
            self.inner.dump(output, fmt, from_graph=ox.NamedNode(graph), prefixes=prefixes)
        elif fmt.supports_datasets:
            # the named graphs only: the default graph is their merge, derived, not data of its own
            quads = (
                quad
                for name in self.inner.named_graphs()
                for quad in self.inner.quads_for_pattern(None, None, None, name)
            )
            ox.serialize(quads, output, fmt, prefixes=prefixes)
        else:
            self.inner.dump(output, fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)

    def triple_count(self) -> int:
        """Statements in the named graphs (the default graph, their merge, is not counted)."""
        default = sum(1 for _ in self.inner.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return len(self.inner) - default

    def optimize(self) -> None:
        """Compact the store after a build: queries on a freshly built store ran twice as slow."""
        if not self.read_only:
            self.inner.optimize()

    def flush(self) -> None:
        if not self.read_only:
            self.inner.flush()

    def close(self) -> None:
        self.flush()
        del self.inner
        if self.lock is not None:
            self.lock.release()


def open_store(path: Path | None, *, read_only: bool = False) -> OxigraphStore:
    """Open (creating if needed) the on-disk store at ``path``; ``None`` means in memory.

    A writer takes the store's lock alone, readers share it (``kfgraph.store.lock``); raises
    ``StoreLockedError`` when the other side holds it.
    """
    if path is None:
        return OxigraphStore(ox.Store(), None)
    lock = None
    try:
        if read_only:
            if not path.is_dir():
                raise ConfigurationError(f"no store at {path}: run `kfgraph build` first")
            lock = StoreLock.take(path, write=False)
            return OxigraphStore(ox.Store.read_only(str(path)), path, read_only=True, lock=lock)
        path.mkdir(parents=True, exist_ok=True)
        lock = StoreLock.take(path, write=True)
        return OxigraphStore(ox.Store(str(path)), path, lock=lock)
    except OSError as error:
        if lock is not None:
            lock.release()
        raise ConfigurationError(f"cannot open store at {path}: {error}") from error
