"""``StoreAccess``: what every router gets to reach the store.

* ``store`` — a read-only ``Store`` handle in the server process, for cheap
  look-ups (graph names, existence checks). Its methods block: call them via
  ``run_in_threadpool``.
* ``evaluate(request, client=...)`` — checked, time-limited SPARQL evaluation,
  awaited off the event loop. With the on-disk store the check and the evaluation
  run in the ``WorkerPool`` (killable, confined worker processes shared fairly
  between clients); with a store object handed to ``create_app`` it runs inline in a
  thread, where the time limit bounds only the response, not the work.
  With a remote SPARQL store (``settings.store_url``, or a ``RemoteStore``
  handed to ``create_app``) the vetted query is forwarded to the engine
  (``RemoteEvaluator``): kfgraph's checks, time limit and row cap still apply.
* ``search`` — the search index (``kfgraph.search``) that search and the browse
  lists read, opened when the app is made (rebuilt first if not in step).
"""

from __future__ import annotations

import functools

import anyio
import anyio.to_thread
import pyoxigraph as ox

from kfgraph.errors import ConfigurationError, QueryTimeoutError
from kfgraph.formats import Format
from kfgraph.search import SearchIndex
from kfgraph.search.lifecycle import open_for_serving
from kfgraph.settings import Settings
from kfgraph.store import OxigraphStore, Store, open_store, open_store_url
from kfgraph.store.remote import RemoteStore
from kfgraph.web.sparql.jobs import QueryOutcome, QueryRequest
from kfgraph.web.sparql.pool import PoolLimits, WorkerPool
from kfgraph.web.sparql.remote import RemoteEvaluator
from kfgraph.web.sparql.workers import InlineEvaluator

_MAX_WAITING = 64
"""Requests that may wait for a query worker at once (each waits in a thread)."""


class StoreAccess:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        evaluator: WorkerPool | InlineEvaluator | RemoteEvaluator,
        *,
        owns_store: bool,
    ) -> None:
        self.settings = settings
        self.store = store
        self.evaluator = evaluator
        self.owns_store = owns_store
        self._limiter: anyio.CapacityLimiter | None = None

    @classmethod
    def open(cls, settings: Settings, store: Store | None = None) -> StoreAccess:
        """Open ``settings.store`` read-only (workers start later, in ``start``), or wrap ``store``."""
        if isinstance(store, RemoteStore):
            return cls(settings, store, RemoteEvaluator(store), owns_store=False)
        if store is None and settings.store_url:
            remote = open_store_url(settings.store_url, settings=settings, read_only=True)
            assert isinstance(remote, RemoteStore)
            return cls(settings, remote, RemoteEvaluator(remote), owns_store=True)
        if store is not None:
            if not isinstance(store, OxigraphStore):
                raise ConfigurationError("the SPARQL endpoint needs a pyoxigraph-backed store")
            return cls(settings, store, InlineEvaluator(store.inner), owns_store=False)
        handle = open_store(settings.store, read_only=True)
        return cls(settings, handle, WorkerPool(settings.store, PoolLimits.from_settings(settings)), owns_store=True)

    @property
    def unchanging(self) -> bool:
        """Whether the store cannot change while served: the on-disk store this server opened read-only.

        Its lock keeps every build out until the server stops, so what is read from it stays
        true; a store handed to ``create_app`` or a remote engine may change at any time.
        """
        return self.owns_store and isinstance(self.store, OxigraphStore) and self.store.read_only

    @functools.cached_property
    def search(self) -> SearchIndex:
        """The search index, in step with the store (``create_app`` opens it before serving)."""
        return open_for_serving(self.settings, self.store)

    def start(self) -> None:
        self.evaluator.start()

    def close(self) -> None:
        self.evaluator.close()
        if "search" in self.__dict__:  # dropped, so that a lifespan that runs again opens it afresh
            self.__dict__.pop("search").close()
        if self.owns_store and isinstance(self.store, RemoteStore):
            self.store.close()
        # The server's own handle is read-only: OxigraphStore.close() would flush, which
        # read-only instances refuse; the handle is released with this object.

    def request(
        self,
        query: str,
        *,
        solutions_format: Format | str,
        graph_format: Format | str,
        default_graphs: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
        base_iri: str | None = None,
    ) -> QueryRequest:
        """A ``QueryRequest`` carrying this server's limits (row cap, nesting, SERVICE hosts)."""
        settings = self.settings
        return QueryRequest(
            query, solutions_format, graph_format, settings.max_result_rows, default_graphs, named_graphs,
            settings.allowed_service_hosts, settings.max_query_depth, base_iri,
        )

    async def evaluate(self, request: QueryRequest, *, client: str = "", timeout: float | None = None) -> QueryOutcome:
        """Check and evaluate ``request`` off the event loop within ``timeout`` (default: ``settings.query_timeout``).

        ``client`` (the remote address) is what the worker pool shares its places fairly by.
        """
        limit = self.settings.query_timeout if timeout is None else timeout
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(_MAX_WAITING)
        run = functools.partial(self.evaluator.run, request, timeout=limit, client=client)
        if isinstance(self.evaluator, WorkerPool):
            return await anyio.to_thread.run_sync(run, limiter=self._limiter)
        try:
            with anyio.fail_after(limit):
                return await anyio.to_thread.run_sync(run, limiter=self._limiter, abandon_on_cancel=True)
        except TimeoutError:
            raise QueryTimeoutError(f"the query ran longer than the time limit ({limit:g} s)") from None

    def has_graph(self, iri: str) -> bool:
        """Whether the store holds a named graph ``iri`` (blocking)."""
        if isinstance(self.store, OxigraphStore):
            try:
                return bool(self.store.inner.contains_named_graph(ox.NamedNode(iri)))
            except ValueError:
                return False
        if isinstance(self.store, RemoteStore):
            return self.store.has_graph(iri)
        return iri in set(self.store.graph_names())
