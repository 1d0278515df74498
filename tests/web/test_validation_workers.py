"""Validation workers: no network, a memory cap, recycling; a dead idle worker costs no job anything.

Regression (commit 2d12e83): deeply nested uploads (2 MB of nested Turtle lists, 4.8 MB of
nested RDF/XML) ran to the time limit and left both workers holding 3-4.7 GB.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from kfgraph import formats
from kfgraph.settings import Settings
from kfgraph.web.confinement import private_memory
from kfgraph.web.validation.workers import ValidationJob, ValidationMemoryError, ValidationTimeoutError, ValidationWorkers
from test_concurrency import alive, wait_for

GOOD = b'@prefix ex: <http://e.example/> .\nex:s ex:p "o" .\n'


def nested_lists(depth: int) -> bytes:
    return ("@prefix ex: <http://e.example/> .\nex:s ex:p " + "( " * depth + "ex:o" + " )" * depth + " .\n").encode()


def resident(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))


@pytest.fixture()
def workers() -> Iterator[ValidationWorkers]:
    pool = ValidationWorkers(Settings(worker_memory_limit=600_000_000, worker_recycle_bytes=300_000_000))
    pool.start()
    yield pool
    pool.close()


def job(payload: bytes) -> ValidationJob:
    return ValidationJob(payload, formats.TURTLE.name, "upload.ttl")


def test_validation_workers_have_no_network(workers: ValidationWorkers) -> None:
    workers.run(job(GOOD), 60)
    assert wait_for(lambda: len(workers._all) == 2 and all(w.confinement for w in list(workers._all)), timeout=60)
    own = os.readlink("/proc/self/ns/net")
    confinements = [w.confinement for w in list(workers._all)]
    assert confinements and all(c is not None and c.network_closed for c in confinements), confinements
    for pid in workers.pids():
        if all(c.network == "namespace" for c in confinements if c is not None):
            assert os.readlink(f"/proc/{pid}/ns/net") != own


def test_nested_lists_hit_the_memory_cap_and_memory_comes_back(workers: ValidationWorkers) -> None:
    workers.run(job(GOOD), 60)
    assert wait_for(lambda: len(workers.pids()) == 2, timeout=60)
    before = sum(resident(pid) for pid in workers.pids())
    with pytest.raises((ValidationMemoryError, ValidationTimeoutError)) as refused:
        workers.run(job(nested_lists(300_000)), 60)  # 1.2 MB
    assert refused.value.http_status == 503
    if isinstance(refused.value, ValidationMemoryError):
        assert "worker_memory_limit" in refused.value.message
    assert workers.run(job(GOOD), 60).report.conforms is not None
    assert wait_for(lambda: len(workers.pids()) == 2, timeout=60)
    after = sum(resident(pid) for pid in workers.pids())
    assert after < before * 1.5 + 50_000_000, (before, after)


def test_a_dead_idle_validation_worker_costs_no_job_anything(workers: ValidationWorkers) -> None:
    workers.run(job(GOOD), 60)
    assert wait_for(lambda: len(workers.pids()) == 2, timeout=60)
    dead = workers.pids()
    for pid in dead:
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    for _ in range(3):
        assert workers.run(job(GOOD), 60).report is not None
    assert not any(alive(pid) for pid in dead)


def test_a_large_worker_is_recycled() -> None:
    pool = ValidationWorkers(Settings(worker_recycle_bytes=1), size=1)
    try:
        pool.run(job(GOOD), 60)
        assert wait_for(lambda: len(pool.pids()) == 1, timeout=60)
        first = pool.pids()
        pool.run(job(GOOD), 60)
        assert wait_for(lambda: len(pool.pids()) == 1 and pool.pids() != first, timeout=60)
    finally:
        pool.close()
    assert private_memory() > 0
