"""Where the graph lives. ``Store`` is the interface; ``OxigraphStore`` the embedded default."""

from kfgraph.store.base import GraphUpdate, Store
from kfgraph.store.oxigraph import OxigraphStore, open_store

__all__ = ["GraphUpdate", "OxigraphStore", "Store", "open_store"]
