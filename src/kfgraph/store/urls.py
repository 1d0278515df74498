"""Store locations: a folder (the embedded store) or a ``sparql+http(s)://`` URL (a remote SPARQL store).

>>> is_store_url("sparql+http://127.0.0.1:8890/sparql"), is_store_url("kfgraph-store")
(True, False)
>>> loc = parse_store_url("sparql+http://dba:secret@127.0.0.1:7878/query")
>>> loc.query_url, loc.update_url, loc.user, loc.shown
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'dba', 'http://127.0.0.1:7878/query')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from kfgraph.errors import ConfigurationError

SCHEMES = ("sparql+http://", "sparql+https://")


def is_store_url(text: object) -> bool:
    return isinstance(text, str) and text.lower().startswith(SCHEMES)


@dataclass(frozen=True)
class StoreLocation:
    """Where a remote store answers: its query and update endpoints, and credentials given in the URL."""

    query_url: str
    update_url: str
    user: str = ""
    password: str = field(default="", repr=False)

    @property
    def shown(self) -> str:
        """The query URL as it may appear in messages and logs (never with credentials)."""
        return self.query_url


def redact(url: str) -> str:
    """``url`` without any ``user:password@`` part."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def parse_store_url(url: str, *, update_url: str = "") -> StoreLocation:
    """Split ``sparql+http(s)://[user:pass@]host[:port]/path`` into endpoints.

    The update endpoint is ``update_url`` when given, else the query URL with
    a final ``/query`` segment turned into ``/update`` (Oxigraph server,
    Fuseki), else the query URL itself (Virtuoso, GraphDB, Blazegraph).
    """
    if not is_store_url(url):
        raise ConfigurationError(f"not a store URL (sparql+http://… or sparql+https://…): {redact(url)!r}")
    plain = url.split("+", 1)[1]
    parts = urlsplit(plain)
    if not parts.hostname:
        raise ConfigurationError(f"store URL without a host: {redact(url)!r}")
    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    query_url = redact(plain)
    if update_url:
        update = redact(update_url)
    elif parts.path.rstrip("/").endswith("/query"):
        update = query_url.rstrip("/")[: -len("query")] + "update"
    else:
        update = query_url
    return StoreLocation(query_url, update, user, password)


def store_argument(text: str) -> Path | str:
    """``--store``: a folder (embedded store) or a ``sparql+http(s)://`` URL (remote SPARQL store)."""
    return text if is_store_url(text) else Path(text)
