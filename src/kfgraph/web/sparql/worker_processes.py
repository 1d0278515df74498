"""Query worker processes as the parent sees them: the pool's limits, starting and killing one, its CPU time.

A worker is a plain ``python -c`` subprocess running ``workers.worker_main`` and talking over
a socket pair (no multiprocessing: no re-import of ``__main__``, no resource tracker). It is
offered to requests only once it has said it is ready (confined, the query checker loaded,
the store open), with the ``Confinement`` it achieved. Starting (``launch_worker``, then
``accept_ready`` once its pipe is readable) and killing (``WorkerProcess.kill``) never wait
for the process, so the pool can start several at once and no request waits for a death.
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
        self.launched = self.idle_since = time.monotonic()

    def kill(self) -> None:
        """SIGKILL the worker and close its pipe; returns at once.

        Never waits for the exit: a killed worker at low CPU priority on a loaded machine
        may take seconds to go, and the request that stopped it must not wait (nor fail)
        for that. The pool reaps it (``exited``) later.
        """
        try:
            self.process.kill()
        except OSError:
            pass
        self.conn.close()

    def exited(self) -> bool:
        """Whether the process is gone (reaps it if so)."""
        return self.process.poll() is not None

    def stop(self, *, grace: float = 1.0) -> None:
        """Ask the worker to exit, SIGKILL it after ``grace`` seconds; waits at most a few seconds, never raises."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()
            try:
                self.process.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                log.warning("query worker %s was still exiting after SIGKILL", self.pid)
        self.conn.close()


def launch_worker(store_path: str, limits: PoolLimits, spawned: list[int]) -> WorkerProcess:
    """Start one worker process; returns at once (``accept_ready`` reads its first message). PID goes to ``spawned``."""
    parent_end, child_end = socket.socketpair()
    code = "import sys; from kfgraph.web.sparql.workers import worker_main; worker_main(sys.argv[1:])"
    child_fd = child_end.fileno()
    args = [store_path, str(child_fd), str(os.getpid()), "1" if limits.close_network else "0", str(limits.memory_limit)]
    try:
        process = subprocess.Popen([sys.executable, "-c", code, *args], pass_fds=(child_fd,), stdin=subprocess.DEVNULL)
    except BaseException:
        parent_end.close()
        raise
    finally:
        child_end.close()
    spawned.append(process.pid)
    return WorkerProcess(process, Connection(parent_end.detach()))


def accept_ready(worker: WorkerProcess) -> bool:
    """Read a started worker's first message (call once its pipe is readable): True if it is ready to serve."""
    try:
        message = worker.conn.recv()
    except (EOFError, OSError):
        message = None
    if not (isinstance(message, tuple) and message[0] == "ready"):
        log.error("query worker %s did not start (exit status %s)", worker.pid, worker.process.poll())
        return False
    worker.confinement = message[1]
    return True


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) used by process ``pid`` so far; None where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def used_cpu(worker: WorkerProcess, cpu_before: float | None, started: float | None) -> float:
    """CPU seconds ``worker`` used since ``cpu_before`` (wall time since ``started`` where /proc cannot tell)."""
    cpu = cpu_seconds(worker.pid)
    if cpu is None or cpu_before is None:
        return time.monotonic() - started if started is not None else 0.0
    return cpu - cpu_before


def lower_priority(worker: WorkerProcess, nice: int) -> None:
    """Lower the worker's CPU priority to ``nice`` (best effort)."""
    try:
        os.setpriority(os.PRIO_PROCESS, worker.pid, nice)
    except OSError:
        pass
