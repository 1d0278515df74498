"""``WorkerPool``: query worker processes, shared fairly between clients, under time and memory limits.

pyoxigraph cannot cancel a running query, so queries run in worker processes
(``workers.worker_main``, started by ``worker_processes.spawn_worker``): each opens
the store read-only once, then checks and evaluates one request at a time. A worker
past its time limit is killed (SIGKILL) and replaced while the others keep serving.
Workers die with the pool's supervisor thread (Linux ``PR_SET_PDEATHSIG``) and when
their pipe closes, so none outlives the server.

Fairness — one client's runaway queries must not hold up other clients' small ones:

* **Fast lane.** At most ``query_workers`` requests run at once in the fast lane.
  Waiting requests are served round-robin by client (the remote address), a client
  with fewer requests running first; a client may queue ``query_client_queue``
  requests, more are refused (429).
* **Long lane.** A request whose worker has used ``query_long_after`` seconds of CPU
  leaves the fast lane for the long lane (``query_long_workers`` places, at most one
  per client), and its worker's CPU priority drops (nice 10), so the fast lane gets a
  free place and the CPU at once. CPU time, not time since the start: on a busy
  machine a small query that waits for a core is not a long one. If the long lane has
  no place for it, the request keeps its fast place while no other client waits for
  one, and is stopped with 503 ("server-busy") as soon as one does. A worker that ran
  a long request is replaced.
* One spare worker is kept started, so a free place in the fast lane finds a worker.

Memory: each worker's private memory is capped (``worker_memory_limit``); a query
that hits the cap ends with 503 ("query-memory-limit") and its worker is replaced.
A worker whose resident memory grew past ``worker_recycle_bytes`` is replaced after
its request. A worker that died while idle costs no request anything: it is noticed
when a request is handed to it (no acknowledgement) and the request goes to another.
"""

from __future__ import annotations

import collections
import logging
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kfgraph.errors import (
    KfgraphError,
    QueryMemoryError,
    QueryTimeoutError,
    ServerBusyError,
    StoreError,
    TooManyQueriesError,
)
from kfgraph.web.sparql.jobs import QueryOutcome, QueryRequest
from kfgraph.web.sparql.worker_processes import PoolLimits, WorkerProcess, cpu_seconds, spawn_worker

__all__ = ["PoolLimits", "WorkerPool"]

log = logging.getLogger(__name__)

LONG_LANE_NICE = 10
_HANDOFF_TRIES = 3


@dataclass(eq=False)
class _Ticket:
    client: str
    worker: WorkerProcess | None = None
    long: bool = False


@dataclass
class _Lanes:
    """Who waits and who runs; guarded by the pool's condition."""

    waiting: collections.OrderedDict[str, collections.deque[_Ticket]] = field(default_factory=collections.OrderedDict)
    fast: collections.Counter[str] = field(default_factory=collections.Counter)
    long: collections.Counter[str] = field(default_factory=collections.Counter)

    def waiting_of(self, client: str) -> int:
        return len(self.waiting.get(client, ()))

    def next_client(self) -> str | None:
        """Round-robin over waiting clients, those with fewer requests running first."""
        if not self.waiting:
            return None
        return min(self.waiting, key=lambda client: self.fast[client])  # min() keeps the first of equals


class WorkerPool:
    """Query worker processes over the on-disk store at ``store_path`` (see the module doc)."""

    def __init__(self, store_path: Path, limits: PoolLimits) -> None:
        if limits.fast_workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.store_path = str(store_path)
        self.limits = limits
        self._cond = threading.Condition()
        self._lanes = _Lanes()
        self._idle: list[WorkerProcess] = []
        self._workers: set[WorkerProcess] = set()
        self._starting = 0
        self._wake = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._closed = False
        self._generation = 0
        self._warned = False
        self.spawned_pids: list[int] = []
        """Every worker PID ever started (tests check none survives)."""

    # ------------------------------------------------------------------ workers

    def start(self) -> None:
        """Start the workers in the background; returns at once. After ``close`` it starts afresh
        (an app's lifespan may run more than once, e.g. under several test clients)."""
        with self._cond:
            if self._supervisor is not None and not self._closed:
                return
            if self._closed:
                self._closed, self._lanes, self._idle, self._workers, self._starting = False, _Lanes(), [], set(), 0
            self._generation += 1
            self._supervisor = threading.Thread(
                target=self._supervise, args=(self._generation,), name="kfgraph-query-workers", daemon=True
            )
            self._supervisor.start()

    def _wanted(self) -> int:
        return self.limits.fast_workers + sum(self._lanes.long.values()) + 1  # one spare

    def _supervise(self, generation: int) -> None:
        # Workers are started from this one long-lived thread: PR_SET_PDEATHSIG ties them to it.
        while True:
            with self._cond:
                if self._closed or generation != self._generation:
                    return
                for dead in [w for w in self._idle if w.process.poll() is not None]:
                    log.warning("idle query worker %s had died (exit status %s); replacing it", dead.pid, dead.process.poll())
                    self._idle.remove(dead)
                    self._workers.discard(dead)
                missing = self._wanted() - len(self._workers) - self._starting
                if missing > 0:
                    self._starting += 1
            if missing <= 0:
                self._wake.wait(0.5)
                self._wake.clear()
                continue
            worker = None
            try:
                worker = spawn_worker(self.store_path, self.limits, self.spawned_pids)
            except OSError:
                log.exception("could not start a query worker")
                time.sleep(0.5)
            with self._cond:
                self._starting -= 1
                if worker is None:
                    continue
                if self._closed or generation != self._generation:
                    worker.stop(kill=True)
                    return
                self._workers.add(worker)
                self._idle.append(worker)
                self._dispatch()
            self._report(worker)

    def _report(self, worker: WorkerProcess) -> None:
        confinement = worker.confinement
        if confinement is None or self._warned:
            return
        if (self.limits.close_network and not confinement.network_closed) or confinement.problems:
            self._warned = True
            level = log.warning if confinement.network_closed or not self.limits.close_network else log.error
            level("query worker confinement: network %s, memory limit %s; %s", confinement.network,
                  confinement.memory_limit, "; ".join(confinement.problems) or "no problem reported")

    def _retire(self, worker: WorkerProcess, *, kill: bool) -> None:
        with self._cond:
            self._workers.discard(worker)
            if worker in self._idle:
                self._idle.remove(worker)
        worker.stop(kill=kill)
        self._wake.set()

    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._workers]

    # ------------------------------------------------------------------ scheduling

    def _dispatch(self) -> None:
        """Hand idle workers to waiting tickets while the fast lane has room (holding the condition)."""
        lanes = self._lanes
        while self._idle and sum(lanes.fast.values()) < self.limits.fast_workers:
            client = lanes.next_client()
            if client is None:
                return
            queue = lanes.waiting.pop(client)
            ticket = queue.popleft()
            if queue:
                lanes.waiting[client] = queue  # back of the round
            ticket.worker = self._idle.pop()
            lanes.fast[client] += 1
            self._cond.notify_all()

    def _release(self, ticket: _Ticket) -> None:
        """The ticket's request is over: free its lane place (holding the condition)."""
        lane = self._lanes.long if ticket.long else self._lanes.fast
        lane[ticket.client] -= 1
        if lane[ticket.client] <= 0:
            del lane[ticket.client]
        ticket.worker = None
        self._dispatch()

    def _wait_for_worker(self, ticket: _Ticket, deadline: float, timeout: float, *, first: bool) -> WorkerProcess:
        with self._cond:
            if self._closed:
                raise ServerBusyError("the query service is shutting down")
            queue = self._lanes.waiting.get(ticket.client)
            if first and queue is not None and len(queue) >= self.limits.client_queue:
                raise TooManyQueriesError(
                    f"too many queries from your address are waiting ({len(queue)}); "
                    "wait for their answers before sending more"
                )
            if queue is None:
                queue = self._lanes.waiting[ticket.client] = collections.deque()
            if first:
                queue.append(ticket)
            else:
                queue.appendleft(ticket)  # handed to a dead worker: keeps its place
            self._dispatch()
            while ticket.worker is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    queue = self._lanes.waiting.get(ticket.client)
                    if queue is not None and ticket in queue:
                        queue.remove(ticket)
                        if not queue:
                            del self._lanes.waiting[ticket.client]
                    if self._closed:
                        raise ServerBusyError("the query service is shutting down")
                    raise QueryTimeoutError(f"all query workers stayed busy for the time limit ({timeout:g} s)")
                self._cond.wait(remaining)
            return ticket.worker

    def _promote(self, ticket: _Ticket, worker: WorkerProcess) -> bool:
        """Move a request that has run long to the long lane; False if there is no place for it."""
        with self._cond:
            lanes = self._lanes
            if sum(lanes.long.values()) >= self.limits.long_workers or lanes.long[ticket.client] >= 1:
                return False
            lanes.fast[ticket.client] -= 1
            if lanes.fast[ticket.client] <= 0:
                del lanes.fast[ticket.client]
            lanes.long[ticket.client] += 1
            ticket.long = True
            self._dispatch()
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, LONG_LANE_NICE)
        except OSError:
            pass
        self._wake.set()  # one more worker is wanted while this one is busy
        return True

    # ------------------------------------------------------------------ running

    def run(self, request: QueryRequest, *, timeout: float, client: str = "") -> QueryOutcome:
        """Check and evaluate ``request`` in a worker; blocks the calling thread (never call it on the event loop)."""
        if self._supervisor is None:
            self.start()
        deadline = time.monotonic() + timeout
        ticket = _Ticket(client)
        for attempt in range(_HANDOFF_TRIES):
            worker = self._wait_for_worker(ticket, deadline, timeout, first=attempt == 0)
            try:
                return self._run_on(worker, ticket, request, deadline, timeout)
            except WorkerProcessWasDead:
                continue  # _run_on has freed the place and retired the worker; try another
        raise StoreError("query workers keep dying before they can take a query; see the server log")

    def _run_on(
        self, worker: WorkerProcess, ticket: _Ticket, request: QueryRequest, deadline: float, timeout: float
    ) -> QueryOutcome:
        keep = False
        try:
            try:
                worker.conn.send(request)
                acknowledged = worker.conn.poll(max(0.0, deadline - time.monotonic()))
                if acknowledged and worker.conn.recv() != ("started",):
                    raise EOFError
            except (EOFError, OSError):
                raise WorkerProcessWasDead from None
            if not acknowledged:
                raise QueryTimeoutError(f"the query ran longer than the time limit ({timeout:g} s) and was stopped")
            message = self._await_answer(worker, ticket, deadline, timeout)
            status, payload, memory = message
            keep = not ticket.long and memory < self.limits.recycle_bytes and status != "memory"
            if status == "ok":
                assert isinstance(payload, QueryOutcome)
                return payload
            if status == "refused":
                assert isinstance(payload, KfgraphError)
                raise payload
            if status == "memory":
                raise self._memory_error()
            log.error("query worker fault:\n%s", payload)
            raise StoreError("the query failed inside the store")
        finally:
            with self._cond:
                if ticket.worker is not None:
                    self._release(ticket)
                if keep and not self._closed:
                    self._idle.append(worker)
                    self._dispatch()
            if not keep:
                self._retire(worker, kill=True)

    def _await_answer(self, worker: WorkerProcess, ticket: _Ticket, deadline: float, timeout: float) -> tuple[str, object, int]:
        started, cpu_before = time.monotonic(), cpu_seconds(worker.pid)
        step = self.limits.long_after / 4
        while True:
            until = deadline if ticket.long else min(deadline, time.monotonic() + step)
            try:
                if worker.conn.poll(max(0.0, until - time.monotonic())):
                    return worker.conn.recv()  # type: ignore[no-any-return]
            except (EOFError, OSError):
                raise self._death(worker) from None
            if time.monotonic() >= deadline:
                raise QueryTimeoutError(f"the query ran longer than the time limit ({timeout:g} s) and was stopped")
            cpu = cpu_seconds(worker.pid)
            used = time.monotonic() - started if cpu is None or cpu_before is None else cpu - cpu_before
            if used < self.limits.long_after or self._promote(ticket, worker):
                continue
            if self._others_wait(ticket.client):
                raise ServerBusyError(
                    f"the query ran longer than {self.limits.long_after:g} s, every place for long-running queries "
                    f"is taken ({self.limits.long_workers}, one per client) and other clients are waiting: "
                    "it was stopped; retry later"
                )

    def _others_wait(self, client: str) -> bool:
        with self._cond:
            return any(other != client for other in self._lanes.waiting)

    def _death(self, worker: WorkerProcess) -> KfgraphError:
        try:
            code = worker.process.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            code = None
        if self._closed:
            return ServerBusyError("the query service is shutting down")
        if code in (-signal.SIGABRT, -signal.SIGKILL):  # Rust aborts when an allocation fails; the kernel's OOM killer
            return self._memory_error()
        log.error("query worker %s died while evaluating a query (exit status %s)", worker.pid, code)
        return StoreError("a query worker died while evaluating the query")

    def _memory_error(self) -> QueryMemoryError:
        mib = self.limits.memory_limit // 2**20
        return QueryMemoryError(
            f"the query needed more memory than a query worker may use ({mib} MiB, worker_memory_limit) and was stopped"
        )

    def close(self) -> None:
        """Stop every worker (politely, then SIGKILL) and the supervisor; idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
            self._idle.clear()
            self._cond.notify_all()
        self._wake.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=5.0)
        for worker in workers:
            try:
                worker.conn.send(None)  # idle workers exit at once; busy ones are killed below
            except OSError:
                pass
        give_up = time.monotonic() + 1.0
        for worker in workers:
            try:
                worker.process.wait(timeout=max(0.0, give_up - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for worker in workers:
            worker.stop(kill=True)


class WorkerProcessWasDead(Exception):
    """The worker did not acknowledge the request: it had died while idle."""
