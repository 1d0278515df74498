"""``SearchIndex``: an SQLite full-text index (FTS5) of the store's names, releases and counts.

It is a view of the store, derived from the same graphs: ``replace_graphs`` and
``remove_graphs`` take what ``Store.replace_graphs`` / ``Store.remove_graphs``
take, and the build calls them right after each store write (``pipeline.py``),
so the two stay in step; ``rebuild`` refills it from a store. The tables and
how a write moves them are in ``ingest.py``; reads are in ``queries.py``.

An entity's **releases** is the number of releases that mention it
(``schema:mentions``); its **mentions** the number of times they name it: each
text span, and once for a release that names it only outside its text (a
dateline, a byline). So mentions ≥ releases, and both count releases only:
an entity no release mentions (a gazetteer entry) has 0 and is not listed.

Every write is one SQLite transaction; while it runs the index is marked
incomplete (``meta.complete``), so an index a crash left half-written is
rebuilt, never trusted.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kfgraph.errors import ConfigurationError, StoreError
from kfgraph.search.documents import GraphDocument, document_of, document_of_ntriples
from kfgraph.search.ingest import NAME_SEPARATOR, SCHEMA, TABLES, add_document, drop_graph, refresh

SCHEMA_VERSION = "4"

__all__ = ["NAME_SEPARATOR", "SCHEMA_VERSION", "SearchIndex", "graph_triples"]


class SearchIndex:
    """The index file at ``path`` (``None``: in memory). Writes are serialised; reads may come from any thread."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = threading.Lock()
        try:
            if path is None:
                self.db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            elif read_only:
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False,
                                          isolation_level=None)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if not read_only:
                version = self._meta().get("version")
                if version is not None and version != SCHEMA_VERSION:
                    self._drop_all()
                self.db.executescript(SCHEMA)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (SCHEMA_VERSION,))
        except sqlite3.Error as error:
            raise ConfigurationError(f"cannot open the search index at {path}: {error}") from error

    # ------------------------------------------------------------------ state

    def _meta(self) -> dict[str, str]:
        try:
            return dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error:
            return {}

    def _drop_all(self) -> None:
        """Forget an index of another schema version: it is rebuilt from the store."""
        for (name,) in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                                       "'CREATE TABLE ''%'").fetchall():
            self.db.execute(f'DROP TABLE IF EXISTS "{name}"')

    def is_usable(self) -> bool:
        """Whether the index has this version's tables and no interrupted write."""
        meta = self._meta()
        return meta.get("version") == SCHEMA_VERSION and meta.get("complete") == "yes"

    def graph_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM graphs").fetchone()[0])

    def graph_iris(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT iri FROM graphs")}

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction; the "complete" flag is down until it commits, so a crash shows."""
        if self.read_only:
            raise ConfigurationError("the search index was opened read-only")
        with self._lock:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('complete', 'no')")
            self.db.execute("BEGIN")
            try:
                yield self.db
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('complete', 'yes')")
                self.db.execute("COMMIT")
            except sqlite3.Error as error:
                self.db.execute("ROLLBACK")
                raise StoreError(f"search index {self.path or '(in memory)'}: {error}") from error
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ writes

    def replace_graphs(self, updates: Iterable[Any]) -> None:
        """Index ``GraphUpdate``s (graph IRI + N-Triples), replacing what was indexed for those graphs."""
        self.replace_documents(document_of_ntriples(u.graph, u.ntriples) for u in updates)

    def replace_documents(self, documents: Iterable[GraphDocument]) -> None:
        documents = list(documents)
        if not documents:
            return
        with self._writing() as db:
            touched: set[int] = set()
            for document in documents:
                touched |= drop_graph(db, document.graph)
            for document in documents:
                touched |= add_document(db, document)
            refresh(db, touched)

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        """Forget the given graphs (as the store drops them)."""
        with self._writing() as db:
            touched: set[int] = set()
            for graph in graphs:
                touched |= drop_graph(db, graph)
            refresh(db, touched)

    def clear(self) -> None:
        with self._writing() as db:
            for table in TABLES:
                db.execute(f"DELETE FROM {table}")
            db.execute("INSERT INTO release_fts(release_fts) VALUES ('delete-all')")

    def rebuild(self, store: object, *, batch: int = 200) -> int:
        """Empty the index and fill it from every named graph of ``store``; returns the graphs indexed."""
        self.clear()
        pending: list[GraphDocument] = []
        count = 0
        for graph, triples in graph_triples(store):
            pending.append(document_of(graph, triples))
            count += 1
            if len(pending) >= batch:
                self.replace_documents(pending)
                pending = []
        self.replace_documents(pending)
        self.optimize()
        return count

    def optimize(self) -> None:
        """Merge the full-text indexes' segments (after a build): fewer segments, faster queries."""
        with self._writing() as db:
            db.execute("INSERT INTO release_fts(release_fts) VALUES ('optimize')")
            db.execute("INSERT INTO name_fts(name_fts) VALUES ('optimize')")
            db.execute("INSERT INTO event_fts(event_fts) VALUES ('optimize')")


def graph_triples(store: object) -> Iterator[tuple[str, Iterable[Any]]]:
    """(graph IRI, its triples) for every named graph of an embedded or remote store."""
    import io

    import pyoxigraph as ox

    inner = getattr(store, "inner", None)
    if isinstance(inner, ox.Store):
        for name in inner.named_graphs():
            if isinstance(name, ox.NamedNode):
                yield name.value, (q.triple for q in inner.quads_for_pattern(None, None, None, name))
        return
    for graph in list(store.graph_names()):  # type: ignore[attr-defined]
        buffer = io.BytesIO()
        store.dump(buffer, "application/n-triples", graph=graph)  # type: ignore[attr-defined]
        yield graph, ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_TRIPLES)
