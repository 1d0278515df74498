"""Where the graph lives. ``Store`` is the interface; ``OxigraphStore`` the embedded default,
``RemoteStore`` any SPARQL 1.1 engine (Virtuoso, Oxigraph server …).

``open_store_url`` chooses: a folder → the embedded store; ``sparql+http(s)://…`` → a remote store.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kfgraph.store.base import GraphUpdate, Store
from kfgraph.store.oxigraph import OxigraphStore, open_store
from kfgraph.store.urls import is_store_url, parse_store_url

if TYPE_CHECKING:
    from kfgraph.settings import Settings
    from kfgraph.store.remote import RemoteStore

__all__ = ["GraphUpdate", "OxigraphStore", "Store", "is_store_url", "open_store", "open_store_url", "store_location"]


def store_location(settings: Settings) -> str | Path:
    """The configured store: ``store_url`` when set, else the ``store`` folder."""
    return settings.store_url or settings.store


def open_store_url(
    url_or_path: str | Path | None, *, settings: Settings, read_only: bool = False
) -> OxigraphStore | RemoteStore:
    """Open the store at a folder (embedded Oxigraph) or a ``sparql+http(s)://`` URL (remote SPARQL store).

    ``None`` means the configured store (``store_location(settings)``). Credentials, timeouts and
    dialect of a remote store come from ``settings``; raises ``ConfigurationError`` for a bad location.
    """
    where = store_location(settings) if url_or_path is None else url_or_path
    if is_store_url(where):
        from kfgraph.store.remote import RemoteStore

        location = parse_store_url(str(where), update_url=settings.store_update_url)
        return RemoteStore(
            location,
            graph_prefix=settings.base_iri,
            user=settings.store_user,
            password=settings.store_password,
            timeout=settings.store_timeout,
            dialect=settings.store_dialect,
            read_only=read_only,
        )
    return open_store(Path(where), read_only=read_only)
