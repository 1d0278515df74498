"""Where the search index lives, and opening it for a build or for a server.

The index is one SQLite file on the machine that runs kfgraph:
``KFGRAPH_SEARCH_INDEX`` when set, else ``STORE-search.sqlite`` beside the
embedded store's folder (``kfgraph-store-search.sqlite``). An in-memory store
gets an in-memory index. A remote store has no folder to sit beside: unless
``KFGRAPH_SEARCH_INDEX`` names a file, builds keep no index and a server reads
every graph once at start into an in-memory one (fine for thousands of
releases; name a file for more, and run ``kfgraph index`` where the server runs).

* ``open_for_build``: a build into an empty store starts an empty index; an
  index that is missing, of another version or was left half-written is
  rebuilt from the store first; the build then updates it with every write.
* ``open_for_serving``: the same checks, plus, for the embedded store, that the
  index holds as many graphs as the store; else it is rebuilt before serving (logged).
"""

import logging
import time
from pathlib import Path

from kfgraph.search.index import SearchIndex
from kfgraph.settings import Settings

logger = logging.getLogger(__name__)


def index_location(settings: Settings, store: object | None = None) -> Path | None:
    """The index file for ``store`` (default: the configured store); None means in memory (see above)."""
    if settings.search_index:
        return Path(settings.search_index)
    if store is None:
        return None if settings.store_url else settings.store.with_name(settings.store.name + "-search.sqlite")
    path = getattr(store, "path", None)
    if not hasattr(store, "inner") or path is None:  # a remote store, or an embedded one in memory
        return None
    return Path(path).with_name(Path(path).name + "-search.sqlite")


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


def open_for_build(settings: Settings, store: object) -> SearchIndex | None:
    """The index a build into ``store`` keeps in step; None for a remote store without a named file."""
    location = index_location(settings, store)
    if location is None and not hasattr(store, "inner"):
        return None
    index = SearchIndex(location)
    count = _store_graph_count(store)
    if count == 0 or getattr(store, "initial_load", False):
        index.clear()
    elif not index.is_usable():
        _rebuild(index, store, "is missing or incomplete")
    return index


def open_for_serving(settings: Settings, store: object) -> SearchIndex:
    """The index a server answers searches and lists from, rebuilt first if it is not in step with ``store``."""
    index = SearchIndex(index_location(settings, store))
    count = _store_graph_count(store)
    if not index.is_usable():
        _rebuild(index, store, "is missing or incomplete")
    elif count is not None and count != index.graph_count():
        _rebuild(index, store, f"holds {index.graph_count()} graphs, the store {count}")
    return index
