"""``WorkerPool``: query worker processes, shared fairly between clients, under time and memory limits.

pyoxigraph cannot cancel a running query, so queries run in worker processes
(``workers.worker_main``, started by ``worker_processes.launch_worker``): each opens
the store read-only once, then checks and evaluates one request at a time. A worker
past its time limit is killed (SIGKILL) and replaced while the others keep serving.
Workers die with the pool's supervisor thread (Linux ``PR_SET_PDEATHSIG``) and when
their pipe closes, so none outlives the server.

Fairness — one client's runaway queries must not hold up other clients' small ones
(``lanes``):

* **Fast lane.** At most ``query_workers`` requests run at once in the fast lane.
  Waiting requests are served round-robin by client (the remote address), a client
  with fewer requests running first; a client may queue ``query_client_queue``
  requests, more are refused (429).
* **Long lane.** A request whose worker has used ``query_long_after`` seconds of CPU
  leaves the fast lane for the long lane (``query_long_workers`` places, at most one
  per client), and its worker's CPU priority drops to the lowest (nice 19), so the fast lane gets a
  free place and the CPU at once. CPU time, not time since the start: on a busy
  machine a small query that waits for a core is not a long one. If the long lane has
  no place for it, the request keeps its fast place while no other client waits for
  one, and is stopped with 503 ("server-busy") as soon as one does. A worker that ran
  a long request is replaced.
* **Long-runners stay in the long lane.** A client whose request ran long sends its
  next requests straight to the long lane (waiting there for its one place), until
  one of them finishes quickly: a client looping on runaway queries takes a fast
  place again only when nobody waits for one and the long lane cannot take it.
* Spare workers: one more than the lanes use is kept started, and the long lane only
  takes an idle worker when as many stay idle as the fast lane has free places.
  Workers start in parallel, in the background; a stopped worker is killed without
  waiting for it to exit (it is reaped later), so no request waits for a worker to
  start or to die.

Memory: each worker's private memory is capped (``worker_memory_limit``); a query
that hits the cap ends with 503 ("query-memory-limit") and its worker is replaced.
A worker whose resident memory grew past ``worker_recycle_bytes`` is replaced after
its request. A worker that died while idle costs no request anything: it is noticed
when a request is handed to it (no acknowledgement) and the request goes to another.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from multiprocessing import connection
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
from kfgraph.web.sparql.lanes import Lanes, Ticket
from kfgraph.web.sparql.worker_processes import (
    READY_WAIT,
    PoolLimits,
    WorkerProcess,
    accept_ready,
    cpu_seconds,
    launch_worker,
    lower_priority,
    used_cpu,
)

__all__ = ["PoolLimits", "WorkerPool"]

log = logging.getLogger(__name__)

LONG_LANE_NICE = 19
"""The lowest priority: on a busy machine a long query gets the CPU that nothing else wants (bench/hostile_load.py:
four runaways at nice 10 still slowed the polite clients' small queries)."""
_HANDOFF_TRIES = 3
_MAX_STARTING = 4
"""Workers that may be starting at once."""
_SURPLUS_IDLE = 10.0
"""Seconds an idle worker the lanes no longer want is kept before it is stopped."""


class WorkerPool:
    """Query worker processes over the on-disk store at ``store_path`` (see the module doc)."""

    def __init__(self, store_path: Path, limits: PoolLimits) -> None:
        if limits.fast_workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.store_path = str(store_path)
        self.limits = limits
        self._cond = threading.Condition()
        self._lanes: Lanes[WorkerProcess] = self._new_lanes()
        self._idle: list[WorkerProcess] = []
        self._workers: set[WorkerProcess] = set()
        self._starting: list[WorkerProcess] = []
        self._dying: list[WorkerProcess] = []
        self._wake = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._closed = False
        self._generation = 0
        self._warned = False
        self.spawned_pids: list[int] = []
        """Every worker PID ever started (tests check none survives)."""

    def _new_lanes(self) -> Lanes[WorkerProcess]:
        return Lanes(self.limits.fast_workers, self.limits.long_workers)

    # ------------------------------------------------------------------ workers

    def start(self) -> None:
        """Start the workers in the background; returns at once. After ``close`` it starts afresh
        (an app's lifespan may run more than once, e.g. under several test clients)."""
        with self._cond:
            if self._supervisor is not None and not self._closed:
                return
            if self._closed:
                self._closed, self._lanes, self._idle, self._workers = False, self._new_lanes(), [], set()
            self._generation += 1
            self._supervisor = threading.Thread(
                target=self._supervise, args=(self._generation,), name="kfgraph-query-workers", daemon=True
            )
            self._supervisor.start()

    def _wanted(self) -> int:
        return self.limits.fast_workers + self._lanes.long_wanted() + 1  # one spare

    def _supervise(self, generation: int) -> None:
        # Workers are started from this one long-lived thread: PR_SET_PDEATHSIG ties them to it.
        starting = self._starting = []
        try:
            while True:
                with self._cond:
                    if self._closed or generation != self._generation:
                        return
                    self._dying = [w for w in self._dying if not w.exited()]
                    for dead in [w for w in self._idle if w.exited()]:
                        log.warning("idle query worker %s had died (exit status %s); replacing it",
                                    dead.pid, dead.process.poll())
                        self._idle.remove(dead)
                        self._workers.discard(dead)
                    missing = self._wanted() - len(self._workers) - len(starting)
                    surplus = self._surplus(-missing)
                for worker in surplus:
                    self._retire(worker)
                for _ in range(max(0, min(missing, _MAX_STARTING - len(starting)))):
                    try:
                        starting.append(launch_worker(self.store_path, self.limits, self.spawned_pids))
                    except OSError:
                        log.exception("could not start a query worker")
                        time.sleep(0.5)
                        break
                if not starting:
                    self._wake.wait(0.5)
                    self._wake.clear()
                    continue
                self._admit(starting, connection.wait([w.conn for w in starting], timeout=0.1), generation)
        finally:
            for worker in starting:
                worker.kill()
            starting.clear()

    def _surplus(self, count: int) -> list[WorkerProcess]:
        """Up to ``count`` idle workers the lanes no longer want, idle for ``_SURPLUS_IDLE`` s (holding the condition).

        After a burst of long queries the pool shrinks back, but not at once: a client that loops on
        long queries would otherwise have its next worker started anew each time.
        """
        now = time.monotonic()
        old = [w for w in self._idle if now - w.idle_since > _SURPLUS_IDLE][:max(0, count)]
        for worker in old:
            self._idle.remove(worker)
        return old

    def _admit(self, starting: list[WorkerProcess], readable: Sequence[object], generation: int) -> None:
        """Move the starting workers that said they are ready to the idle list; kill those that failed."""
        now = time.monotonic()
        for worker in list(starting):
            if worker.conn not in readable and now - worker.launched < READY_WAIT:
                continue
            starting.remove(worker)
            if worker.conn not in readable or not accept_ready(worker):
                self._retire(worker)
                continue
            with self._cond:
                if self._closed or generation != self._generation:
                    worker.kill()
                    return
                self._workers.add(worker)
                worker.idle_since = time.monotonic()
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

    def _retire(self, worker: WorkerProcess) -> None:
        """Kill ``worker`` without waiting for it to exit (the supervisor reaps it) and start a replacement."""
        worker.kill()
        with self._cond:
            self._workers.discard(worker)
            if worker in self._idle:
                self._idle.remove(worker)
            self._dying.append(worker)
        self._wake.set()

    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._workers]

    # ------------------------------------------------------------------ scheduling

    def _dispatch(self) -> None:
        """Hand idle workers to waiting tickets (holding the condition)."""
        if self._lanes.assign(self._idle):
            self._cond.notify_all()
        self._wake.set()  # the long lane may want another worker

    def _wait_for_worker(self, ticket: Ticket[WorkerProcess], deadline: float, timeout: float, *, first: bool) -> WorkerProcess:
        with self._cond:
            if self._closed:
                raise ServerBusyError("the query service is shutting down")
            if first and self._lanes.waiting_of(ticket.client) >= self.limits.client_queue:
                raise TooManyQueriesError(
                    f"too many queries from your address are waiting ({self._lanes.waiting_of(ticket.client)}); "
                    "wait for their answers before sending more"
                )
            self._lanes.enqueue(ticket, front=not first)  # handed to a dead worker: keeps its place
            self._dispatch()
            while ticket.worker is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    self._lanes.withdraw(ticket)
                    if self._closed:
                        raise ServerBusyError("the query service is shutting down")
                    if ticket.long:
                        raise QueryTimeoutError(
                            f"earlier queries from your address ran long, so this one waited for a place among "
                            f"long-running queries (one per client, query_long_workers) and none came free within "
                            f"the time limit ({timeout:g} s)"
                        )
                    raise QueryTimeoutError(f"all query workers stayed busy for the time limit ({timeout:g} s)")
                self._cond.wait(remaining)
            return ticket.worker

    def _promote(self, ticket: Ticket[WorkerProcess], worker: WorkerProcess) -> bool:
        """Move a request that has run long to the long lane; False if there is no place for it."""
        with self._cond:
            if not self._lanes.promote(ticket):
                return False
            self._dispatch()
        lower_priority(worker, LONG_LANE_NICE)
        return True

    # ------------------------------------------------------------------ running

    def run(self, request: QueryRequest, *, timeout: float, client: str = "") -> QueryOutcome:
        """Check and evaluate ``request`` in a worker; blocks the calling thread (never call it on the event loop)."""
        if self._supervisor is None:
            self.start()
        deadline = time.monotonic() + timeout
        ticket: Ticket[WorkerProcess] = Ticket(client)
        for attempt in range(_HANDOFF_TRIES):
            worker = self._wait_for_worker(ticket, deadline, timeout, first=attempt == 0)
            try:
                return self._run_on(worker, ticket, request, deadline, timeout)
            except WorkerProcessWasDead:
                continue  # _run_on has freed the place and retired the worker; try another
        raise StoreError("query workers keep dying before they can take a query; see the server log")

    def _run_on(
        self, worker: WorkerProcess, ticket: Ticket[WorkerProcess], request: QueryRequest, deadline: float,
        timeout: float,
    ) -> QueryOutcome:
        keep = finished = False
        if ticket.long:
            lower_priority(worker, LONG_LANE_NICE)
        cpu_before = cpu_seconds(worker.pid)
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
            status, payload, memory = self._await_answer(worker, ticket, cpu_before, deadline, timeout)
            keep = not ticket.long and memory < self.limits.recycle_bytes and status != "memory"
            finished = status in ("ok", "refused")
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
            quick = ticket.long and finished and used_cpu(worker, cpu_before, None) < self.limits.long_after
            with self._cond:
                if ticket.worker is not None:
                    self._lanes.release(ticket)
                if quick:
                    self._lanes.finished_quickly(ticket.client)
                if keep and not self._closed:
                    worker.idle_since = time.monotonic()
                    self._idle.append(worker)
                self._dispatch()
            if not keep:
                self._retire(worker)

    def _await_answer(
        self, worker: WorkerProcess, ticket: Ticket[WorkerProcess], cpu_before: float | None, deadline: float,
        timeout: float,
    ) -> tuple[str, object, int]:
        started = time.monotonic()
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
            if used_cpu(worker, cpu_before, started) < self.limits.long_after or self._promote(ticket, worker):
                continue
            with self._cond:
                others_wait = self._lanes.others_wait(ticket.client)
            if others_wait:
                raise ServerBusyError(
                    f"the query ran longer than {self.limits.long_after:g} s, every place for long-running queries "
                    f"is taken ({self.limits.long_workers}, one per client) and other clients are waiting: "
                    "it was stopped; retry later"
                )

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
            dying = list(self._dying)
            self._workers.clear()
            self._idle.clear()
            self._dying.clear()
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
            worker.kill()
        for worker in workers + dying:  # reap them, but never hang a shutdown on a slow exit
            try:
                worker.process.wait(timeout=max(0.1, give_up + 5.0 - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("query worker %s was still exiting after SIGKILL", worker.pid)


class WorkerProcessWasDead(Exception):
    """The worker did not acknowledge the request: it had died while idle."""
