"""Query worker processes as the parent sees them: the pool's limits, starting one, its CPU time.

A worker is a plain ``python -c`` subprocess running ``workers.worker_main`` and talking over
a socket pair (no multiprocessing: no re-import of ``__main__``, no resource tracker). It is
offered to requests only once it has said it is ready (confined, the query checker loaded,
the store open), with the ``Confinement`` it achieved.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from kfgraph.settings import Settings
from kfgraph.web.confinement import Confinement

log = logging.getLogger("kfgraph.web.sparql.pool")

READY_WAIT = 120.0
"""Seconds a starting worker may take to say it is ready (imports are slow on a loaded machine)."""


@dataclass(frozen=True)
class PoolLimits:
    """The limits a ``WorkerPool`` enforces; built from ``Settings``."""

    fast_workers: int
    long_workers: int
    long_after: float
    client_queue: int
    memory_limit: int
    recycle_bytes: int
    close_network: bool

    @classmethod
    def from_settings(cls, settings: Settings) -> PoolLimits:
        return cls(
            fast_workers=settings.query_workers or max(2, os.cpu_count() or 1),
            long_workers=settings.query_long_workers,
            long_after=settings.query_long_after,
            client_queue=settings.query_client_queue,
            memory_limit=settings.worker_memory_limit,
            recycle_bytes=settings.worker_recycle_bytes,
            close_network=not settings.allowed_service_hosts,
        )


class WorkerProcess:
    def __init__(self, process: subprocess.Popen[bytes], conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.pid = process.pid
        self.confinement: Confinement | None = None

    def stop(self, *, kill: bool) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        try:
            self.process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5.0)
        self.conn.close()


def spawn_worker(store_path: str, limits: PoolLimits, spawned: list[int]) -> WorkerProcess | None:
    """Start one worker and wait for it to say it is ready (None if it never does); its PID goes to ``spawned``."""
    parent_end, child_end = socket.socketpair()
    code = "import sys; from kfgraph.web.sparql.workers import worker_main; worker_main(sys.argv[1:])"
    child_fd = child_end.fileno()
    args = [store_path, str(child_fd), str(os.getpid()), "1" if limits.close_network else "0", str(limits.memory_limit)]
    try:
        process = subprocess.Popen([sys.executable, "-c", code, *args], pass_fds=(child_fd,), stdin=subprocess.DEVNULL)
    finally:
        child_end.close()
    spawned.append(process.pid)
    worker = WorkerProcess(process, Connection(parent_end.detach()))
    try:
        message = worker.conn.recv() if worker.conn.poll(READY_WAIT) else None
    except (EOFError, OSError):
        message = None
    if not (isinstance(message, tuple) and message[0] == "ready"):
        log.error("query worker %s did not start (exit status %s)", worker.pid, process.poll())
        worker.stop(kill=True)
        time.sleep(0.5)
        return None
    worker.confinement = message[1]
    return worker


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) used by process ``pid`` so far; None where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK
