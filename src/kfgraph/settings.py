"""Every kfgraph setting, declared once: name, default, type and help.

A ``Settings`` is frozen and built at the edge (CLI, app factory, tests) from
``KFGRAPH_*`` environment variables and explicit overrides; nothing below
this module reads the environment.

>>> Settings().base_iri
'http://localhost:8000/'
>>> Settings.from_env({"KFGRAPH_QUERY_TIMEOUT": "5"}).query_timeout
5.0
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfgraph.errors import ConfigurationError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The checkout root when running from source; shapes/, ontology/, data/ live here."""


def _package_or_checkout(name: str) -> Path:
    """Locate a shipped folder: inside the installed package first, else the checkout."""
    packaged = Path(__file__).resolve().parent / "resources" / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


def _setting(default: Any, help: str, *, env: bool = True, secret: bool = False) -> Any:
    return field(default=default, repr=not secret, metadata={"help": help, "env": env})


def _setting_factory(factory: Any, help: str) -> Any:
    return field(default_factory=factory, metadata={"help": help, "env": True})


@dataclass(frozen=True)
class Settings:
    """kfgraph's configuration. Environment variable = ``KFGRAPH_`` + upper-case name."""

    base_iri: str = _setting("http://localhost:8000/", "Base under which all data IRIs are minted; ends with '/'.")
    store: Path = _setting(Path("kfgraph-store"), "Folder of the embedded Oxigraph store.")
    data_dir: Path = _setting_factory(lambda: _package_or_checkout("data"), "Folder of releases and gazetteer files.")
    shapes_dir: Path = _setting_factory(lambda: _package_or_checkout("shapes"), "Folder of SHACL shapes (*.ttl).")
    ontology_dir: Path = _setting_factory(lambda: _package_or_checkout("ontology"), "Folder of the ontology (*.ttl).")
    workers: int = _setting(0, "Worker processes for build (0 = one per core).")
    batch_size: int = _setting(64, "Releases validated together during build.")
    write_triples: int = _setting(
        100_000, "Triples build gathers from several batches into one store write (fewer, larger writes cost the store "
        "less CPU and compaction; a 100k-triple write raises the build's peak memory by about 200 MB)."
    )
    search_index: str = _setting(
        "", "SQLite file of the search index, kept in step by every build; empty = STORE-search.sqlite beside the "
        "store folder (a remote store then gets an in-memory index, read from the store when the server starts)."
    )
    max_release_bytes: int = _setting(
        1_000_000, "Largest release build reads (bytes): a .txt/.html file, or a JSON record's body. Larger ones are "
        "refused unread and reported; the largest real press releases are about 50 KB."
    )
    release_timeout: float = _setting(
        60.0, "Seconds build may spend reading, extracting and mapping one release; one that takes longer is "
        "reported and skipped."
    )
    host: str = _setting("127.0.0.1", "Address `kfgraph serve` listens on.")
    port: int = _setting(8000, "Port `kfgraph serve` listens on.")
    query_timeout: float = _setting(30.0, "Seconds a SPARQL query may run before it is stopped.")
    query_workers: int = _setting(0, "Query worker processes for serve (0 = one per core, at least 2).")
    query_long_after: float = _setting(
        0.1, "CPU seconds after which a running query leaves the query workers' fast lane for the long lane, so "
        "that other clients' small queries are not held up behind it."
    )
    query_long_workers: int = _setting(
        4, "Queries that may run in the long lane at once (one per client, at lower CPU priority); a long query "
        "that finds no place there is stopped with 503 when other clients wait."
    )
    query_client_queue: int = _setting(32, "Queries one client (remote address) may have waiting; more get 429.")
    max_query_bytes: int = _setting(500_000, "Largest SPARQL query text accepted (bytes of UTF-8); larger gets 413.")
    max_query_depth: int = _setting(
        32, "Deepest nesting of { }, ( ) and [ ] a SPARQL query may have; deeper gets 400 before any parser reads it."
    )
    worker_memory_limit: int = _setting(
        2_000_000_000, "Private memory (bytes) one query or validation worker process may use (RLIMIT_DATA); a "
        "request that needs more is stopped with 503 and the worker replaced. 0 = no limit."
    )
    worker_recycle_bytes: int = _setting(
        500_000_000, "A query or validation worker whose resident private memory is above this (bytes) after a "
        "request is replaced by a fresh one."
    )
    max_result_rows: int = _setting(100_000, "Rows a SELECT returns at most; more are cut and the cut is signalled.")
    max_request_bytes: int = _setting(1_000_000, "Largest request body accepted (bytes).")
    max_upload_bytes: int = _setting(10_000_000, "Largest RDF upload accepted by /validate (bytes).")
    max_header_bytes: int = _setting(
        65_536, "Largest request line plus headers accepted (bytes); more gets 431 before the rest is read."
    )
    validation_timeout: float = _setting(60.0, "Seconds a /validate request may run.")
    description_page_size: int = _setting(
        100, "Links of each kind on one page of a resource's description (more are paged: ?page=2, Link rel=next)."
    )
    page_threads: int = _setting(
        1, "Resource descriptions (/id/…) rendered at once; more wait their turn, so that rendering, which holds "
        "the server process's interpreter lock, cannot crowd out the relays of small SPARQL queries."
    )
    fragment_page_size: int = _setting(100, "Triples on one page of a Triple Pattern Fragment (/fragments).")
    allowed_service_hosts: tuple[str, ...] = _setting(
        (), "Hosts SPARQL SERVICE may contact (comma-separated); empty = none, the safe default."
    )

    store_url: str = _setting(
        "", "Remote SPARQL store used instead of the embedded one: sparql+http://host:port/path or sparql+https://… "
        "(`--store` accepts it too).",
        secret=True,  # it may carry user:password@
    )
    store_update_url: str = _setting(
        "", "SPARQL Update endpoint of the remote store when not derivable (default: the query URL; …/query → …/update)."
    )
    store_user: str = _setting("", "User for the remote store (HTTP basic or digest, as the store asks).")
    store_password: str = _setting("", "Password for the remote store; never logged or shown.", secret=True)
    store_timeout: float = _setting(300.0, "Seconds one write or dump request to the remote store may take.")
    store_dialect: str = _setting(
        "auto", "How the remote store's default graph becomes the union of kfgraph's graphs: auto, virtuoso, oxigraph, generic."
    )

    def __post_init__(self) -> None:
        if not self.base_iri.endswith("/"):
            raise ConfigurationError(f"base_iri must end with '/': {self.base_iri!r}")
        if min(self.query_timeout, self.validation_timeout, self.store_timeout, self.release_timeout) <= 0:
            raise ConfigurationError("time limits must be positive")
        limits = (self.max_result_rows, self.max_request_bytes, self.max_header_bytes, self.batch_size,
                  self.write_triples, self.max_release_bytes, self.description_page_size, self.fragment_page_size,
                  self.page_threads)
        if min(limits) < 1:
            raise ConfigurationError("limits must be at least 1")
        if min(self.max_query_bytes, self.max_query_depth, self.query_long_workers, self.query_client_queue) < 1:
            raise ConfigurationError("query limits must be at least 1")
        if self.query_long_after <= 0 or self.worker_memory_limit < 0 or self.worker_recycle_bytes < 1:
            raise ConfigurationError("query_long_after and worker_recycle_bytes must be positive")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``KFGRAPH_*`` variables, then explicit overrides (not None)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get("KFGRAPH_" + f.name.upper())
            if raw is not None and f.metadata.get("env"):
                values[f.name] = _convert(f.name, f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _convert(name: str, type_name: Any, raw: str) -> Any:
    type_name = str(type_name)
    try:
        if type_name == "Path":
            return Path(raw)
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
        if type_name.startswith("tuple"):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        return raw
    except ValueError as error:
        raise ConfigurationError(f"KFGRAPH_{name.upper()}={raw!r}: {error}") from error


def documented_settings() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for every setting, for docs and --help."""
    rows = []
    for f in dataclasses.fields(Settings):
        default = f.default if f.default is not dataclasses.MISSING else "(see help)"
        if not f.repr and default:
            default = "(hidden)"
        rows.append((f"KFGRAPH_{f.name.upper()}", str(default), f.metadata["help"]))
    return rows
