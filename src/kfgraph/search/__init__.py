"""Search: a full-text index of the store's names, releases and counts, kept in step with every build.

``SearchIndex`` (``index.py``) is the SQLite FTS5 file and its writes; ``queries.py`` reads it
(search, browse lists); ``folding.py`` levels spellings; ``documents.py`` reads a graph's triples.
"""

from __future__ import annotations

from kfgraph.search.index import SearchIndex

__all__ = ["SearchIndex"]
