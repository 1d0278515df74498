"""Where the search index lives, and opening it for a build or for a server.

The index is one SQLite file on the machine that runs kfgraph:
``KFGRAPH_SEARCH_INDEX``, by default ``STORE-search.sqlite`` beside the
embedded store's folder (``kfgraph-store-search.sqlite``). With a remote
store it still lives here, on the machine that builds; a server on another
machine runs ``kfgraph index`` once to make its own from the store.

* ``open_for_build``: a build into an empty store starts an empty index; an
  index that is missing, of another version or was left half-written is
  rebuilt from the store first; the build then updates it with every write.
* ``open_for_serving``: the same checks, plus, for the embedded store, that the
  index holds as many graphs as the store; else it is rebuilt before serving
  (logged). A store given as an in-memory object gets an in-memory index.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from kfgraph.search.index import SearchIndex
from kfgraph.settings import Settings

logger = logging.getLogger(__name__)


def index_location(settings: Settings) -> Path:
    """The index file the settings name (see the module docstring)."""
    if settings.search_index:
        return Path(settings.search_index)
    return settings.store.with_name(settings.store.name + "-search.sqlite")


def _store_graph_count(store: object) -> int | None:
    """Named graphs in an embedded store (cheap); None for a remote one (listing them can take long)."""
    import pyoxigraph as ox

    inner = getattr(store, "inner", None)
    if isinstance(inner, ox.Store):
        return sum(1 for g in inner.named_graphs() if isinstance(g, ox.NamedNode))
    return None


def _rebuild(index: SearchIndex, store: object, why: str) -> None:
    logger.warning("search index %s %s: rebuilding it from the store", index.path or "(in memory)", why)
    started = time.perf_counter()
    count = index.rebuild(store)
    logger.warning("search index rebuilt from %d graphs in %.1f s", count, time.perf_counter() - started)


def _in_memory(store: object) -> bool:
    """Whether ``store`` is an embedded store without a folder (its index lives in memory too)."""
    return hasattr(store, "inner") and getattr(store, "path", None) is None


def open_for_build(settings: Settings, store: object) -> SearchIndex:
    """The index a build into ``store`` keeps in step (see the module docstring)."""
    index = SearchIndex(None if _in_memory(store) else index_location(settings))
    count = _store_graph_count(store)
    if count == 0 or getattr(store, "initial_load", False):
        index.clear()
    elif not index.is_usable():
        _rebuild(index, store, "is missing or incomplete")
    return index


def open_for_serving(settings: Settings, store: object) -> SearchIndex:
    """The index a server answers searches and lists from, rebuilt first if it is not in step with ``store``."""
    index = SearchIndex(None if _in_memory(store) else index_location(settings))
    count = _store_graph_count(store)
    if not index.is_usable():
        _rebuild(index, store, "is missing or incomplete")
    elif count is not None and count != index.graph_count():
        _rebuild(index, store, f"holds {index.graph_count()} graphs, the store {count}")
    return index
