"""Orchestration only: sources -> extract -> map -> validate -> store, with a run summary.

The main process walks the given paths and streams each file's release inputs
(one per .txt/.html file, one per JSON record) in batches of ``batch_size`` to
worker processes (one per core by default), with a bounded number of batches
in flight, so memory stays flat however large a file or a corpus is. A worker
reads, extracts, maps and validates its batch (``ReleaseProcessor``), each
release with the shared graphs (``shared_graphs``); the main
process stores the conforming graphs, and at the end refreshes the build-time
summaries (``summaries.py``) and the search index follows every store write. A release that cannot be read, is too
large, takes too long or does not conform stores nothing: it is reported with
its file, its record and the reason, any graph an earlier build stored for it
is dropped, and the build goes on. Workers end with the main process, however
it ends (``kfgraph.lifeline``). Every path passed over is reported too.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kfgraph import provenance, sources, summaries
from kfgraph.errors import KfgraphError, StoreError
from kfgraph.iris import IriMinter
from kfgraph.lifeline import die_with
from kfgraph.release_processing import QUARANTINED, STORED, UNREADABLE, ReleaseOutcome, ReleaseProcessor
from kfgraph.settings import Settings
from kfgraph.shared_graphs import check_shared_graphs, checked_shared_graphs, shared_graphs, validator_from_settings
from kfgraph.sources import ReleaseInput, SkippedPath
from kfgraph.store.base import GraphUpdate, Store

if TYPE_CHECKING:
    from kfgraph.search import SearchIndex

__all__ = [
    "QUARANTINED", "STORED", "UNREADABLE", "BuildSummary", "ReleaseOutcome", "ReleaseProcessor", "build",
    "check_shared_graphs", "shared_graphs", "validator_from_settings", "write_report",
]

logger = logging.getLogger(__name__)


@dataclass
class BuildSummary:
    """Counts and outcomes of one build; ``exit_code`` is the CLI's."""

    outcomes: list[ReleaseOutcome] = field(default_factory=list)
    skipped: list[SkippedPath] = field(default_factory=list)
    seconds: float = 0.0
    shared_triples: int = 0
    summary_triples: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def read(self) -> int:
        return sum(1 for o in self.outcomes if o.identifier is not None)

    @property
    def triples(self) -> int:
        return sum(o.triples for o in self.outcomes if o.status == STORED)

    @property
    def exit_code(self) -> int:
        return 0 if all(o.status == STORED for o in self.outcomes) else 1

    def problems(self) -> list[ReleaseOutcome]:
        return [o for o in self.outcomes if o.status != STORED]

    def warned(self) -> list[ReleaseOutcome]:
        """Stored releases that lost something on the way (a dropped link)."""
        return [o for o in self.outcomes if o.status == STORED and o.warnings]

    def to_json(self) -> dict[str, object]:
        return {
            "read": self.read,
            "stored": self.count(STORED),
            "quarantined": self.count(QUARANTINED),
            "unreadable": self.count(UNREADABLE),
            "triples": self.triples,
            "shared_triples": self.shared_triples,
            "summary_triples": self.summary_triples,
            "seconds": round(self.seconds, 3),
            "problems": [o.to_json() for o in self.problems()],
            "warnings": [
                {"source": o.source, "identifier": o.identifier, "record": o.record, "warnings": list(o.warnings)}
                for o in self.warned()
            ],
            "skipped": [s.to_json() for s in self.skipped],
        }


@dataclass(frozen=True)
class WorkUnit:
    """One batch of inputs for a worker; ``files_done`` files end in it (for progress)."""

    inputs: tuple[ReleaseInput, ...]
    files_done: int


def work_units(files: Iterable[Path], *, size: int, max_release_bytes: int) -> Iterator[WorkUnit]:
    """The inputs of ``files`` in order, ``size`` at a time; a JSON file of many records spans many units."""
    batch: list[ReleaseInput] = []
    finished = 0
    for path in files:
        items = _inputs_of(path, max_release_bytes)
        current = next(items, None)
        if current is None:
            finished += 1
        while current is not None:
            following = next(items, None)  # one ahead: a file is done with its last input
            batch.append(current)
            finished += following is None
            if len(batch) >= size:
                yield WorkUnit(tuple(batch), finished)
                batch, finished = [], 0
            current = following
    if batch or finished:
        yield WorkUnit(tuple(batch), finished)


def _inputs_of(path: Path, max_release_bytes: int) -> Iterator[ReleaseInput]:
    """A file's inputs; a fault while streaming it ends that file with a problem, not the build."""
    try:
        yield from sources.release_inputs(path, max_release_bytes=max_release_bytes)
    except Exception as error:  # noqa: BLE001 - reported with the file, logged with its traceback
        logger.exception("reading %s failed", path)
        reason = f"reading stopped (a kfgraph bug, please report): {type(error).__name__}: {error}"
        yield ReleaseInput(str(path), problem=sources.RecordProblem("file", reason))


_WORKER: ReleaseProcessor | None = None


def _init_worker(settings: Settings, parent: int) -> None:
    global _WORKER  # one per worker process, set once by the pool initializer
    die_with(parent)
    _WORKER = ReleaseProcessor.from_settings(settings)


def _run_batch(inputs: tuple[ReleaseInput, ...]) -> list[ReleaseOutcome]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.process_batch(inputs)


def build(
    paths: Iterable[Path],
    *,
    settings: Settings,
    store: Store,
    progress: Callable[[int, int], None] | None = None,
    search_index: SearchIndex | None = None,
) -> BuildSummary:
    """Build the graph of every release under ``paths`` into ``store``.

    ``progress(done, total)`` is called after each batch with release-file counts.
    ``search_index`` follows every store write (``_follow``).
    """
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.timezone.utc)
    found = sources.find_release_files(paths)
    summary = BuildSummary(skipped=found.skipped)
    shared = checked_shared_graphs(settings)
    store.replace_graphs(shared)
    _follow(search_index, "replace_graphs", shared)
    summary.shared_triples = sum(update.ntriples.count("\n") for update in shared)
    minter = IriMinter(settings.base_iri)
    seen: dict[str, str] = {}  # identifier -> where it was first read
    done = 0

    # Conforming graphs wait here until they hold ``settings.write_triples`` triples, then go to the
    # store in one write: a first build bulk-loads each write, and larger bulk loads cost the store
    # less CPU than one per batch and leave less to compact at the end (bench/RESULTS.md).
    pending: list[GraphUpdate] = []
    pending_rows: list[int] = []  # their outcomes' indexes in summary.outcomes
    pending_triples = 0

    def write_pending() -> None:
        nonlocal pending, pending_rows, pending_triples
        if not pending:
            return
        try:
            store.replace_graphs(pending)
            _follow(search_index, "replace_graphs", pending)
        except StoreError as error:
            # A store that fails mid-build (a remote engine gone, a full disk) fails these releases, not
            # the build: they are reported, and a rerun replaces their graphs whole.
            logger.warning("%d release(s) not stored: %s", len(pending), error.message)
            for index in pending_rows:
                summary.outcomes[index] = replace(summary.outcomes[index], status=UNREADABLE,
                                                  reason=f"store write failed: {error.message}")
        pending, pending_rows, pending_triples = [], [], 0

    def absorb(outcomes: list[ReleaseOutcome], files_done: int) -> None:
        nonlocal done, pending_triples
        drops = []
        for outcome in outcomes:
            here = outcome.source + (f" {outcome.record}" if outcome.record else "")
            if outcome.identifier is not None and outcome.identifier in seen:
                outcome = replace(outcome, status=UNREADABLE, triples=0, results=(), ntriples="",
                                  reason=f"identifier {outcome.identifier!r} already used by {seen[outcome.identifier]}"
                                  " in this build")
            elif outcome.identifier is not None:
                seen[outcome.identifier] = here
                graph = str(minter.release_graph(outcome.identifier))
                if outcome.status == STORED:
                    pending.append(GraphUpdate(graph, outcome.ntriples))
                    pending_rows.append(len(summary.outcomes))
                    pending_triples += outcome.triples
                else:
                    drops.append(graph)
            summary.outcomes.append(replace(outcome, ntriples=""))
        if drops:
            try:
                store.remove_graphs(drops)
                _follow(search_index, "remove_graphs", drops)
            except StoreError as error:
                logger.warning("could not drop %d earlier graph(s): %s", len(drops), error.message)
                for index in range(len(summary.outcomes) - len(outcomes), len(summary.outcomes)):
                    outcome = summary.outcomes[index]
                    if outcome.status == QUARANTINED:
                        reason = f"{outcome.reason}; its earlier graph could not be dropped: {error.message}"
                        summary.outcomes[index] = replace(outcome, reason=reason)
        if pending_triples >= settings.write_triples:
            write_pending()
        done += files_done
        if progress is not None:
            progress(done, len(found.files))

    workers = settings.workers or os.cpu_count() or 1
    units = work_units(found.files, size=settings.batch_size, max_release_bytes=settings.max_release_bytes)
    first = [unit for _, unit in zip(range(2), units)]
    if workers == 1 or len(first) <= 1:
        processor = ReleaseProcessor.from_settings(settings)
        for unit in (*first, *units):
            absorb(processor.process_batch(unit.inputs), unit.files_done)
    else:
        _run_in_pool(settings, workers, iter((*first, *units)), absorb)
    write_pending()
    generated = [u.graph for u in shared]
    try:
        cube = summaries.refresh(store, minter)
        summary.summary_triples = sum(1 for line in cube.ntriples.splitlines() if line.strip())
        generated.append(cube.graph)
        # counted by the index like every graph (so a server finds it in step and knows its predicates)
        _follow(search_index, "replace_graphs", [cube])
    except StoreError as error:  # the releases are stored; only the charts' counts are stale
        logger.warning("could not refresh the summaries graph: %s", error.message)
    record = _record_build(store, minter, summary, started_at, generated)
    if record is not None:
        _follow(search_index, "replace_graphs", [record])
    for finish in ("optimize", "flush"):  # the embedded store compacts itself; remote engines need neither
        step = getattr(store, finish, None)
        if step is not None:
            step()
    _follow(search_index, "optimize")
    summary.seconds = time.perf_counter() - started
    return summary


def _follow(index: SearchIndex | None, write: str, *args: object) -> None:
    """The search index follows a store write that succeeded (``kfgraph.search``).

    A failed index write stores and loses nothing: it is logged and leaves the index marked
    incomplete, so the next server start or build rebuilds it from the store.
    """
    if index is None:
        return
    try:
        getattr(index, write)(*args)
    except KfgraphError as error:
        logger.warning("search index not updated (it will be rebuilt from the store): %s", error.message)


def _run_in_pool(
    settings: Settings, workers: int, units: Iterator[WorkUnit], absorb: Callable[[list[ReleaseOutcome], int], None]
) -> None:
    """Run ``units`` on a pool of ``workers`` processes; results are absorbed in submission order.

    A bounded window of batches in flight keeps memory flat however large the corpus. When a worker
    dies (killed for memory, say), the pool is replaced and each batch that was in flight runs again
    alone; a batch that breaks a pool on its own is reported release by release, and the build goes on.
    """
    suspects: deque[WorkUnit] = deque()  # in flight when a worker died: each is run alone next
    finished = False
    while not finished:
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(settings, os.getpid())
        ) as pool:
            broken = False
            while suspects and not broken:
                unit = suspects.popleft()
                try:
                    outcomes = pool.submit(_run_batch, unit.inputs).result()
                except BrokenProcessPool:
                    broken = True
                    outcomes = _lost(unit)
                absorb(outcomes, unit.files_done)
            if broken:
                continue
            in_flight: deque[tuple[WorkUnit, Future[list[ReleaseOutcome]]]] = deque()
            unsent: WorkUnit | None = None
            for unit in units:
                try:
                    in_flight.append((unit, pool.submit(_run_batch, unit.inputs)))
                except BrokenProcessPool:
                    broken, unsent = True, unit
                    break
                if len(in_flight) >= 2 * workers:
                    broken = _collect(in_flight, absorb, suspects)
                    if broken:
                        break
            while in_flight:
                broken = _collect(in_flight, absorb, suspects) or broken
            if unsent is not None:
                suspects.append(unsent)  # after the batches in flight, to keep their order
            finished = not broken
        if broken:
            logger.warning("a build worker died; a new pool runs the %d batch(es) in flight one by one", len(suspects))


def _collect(
    in_flight: deque[tuple[WorkUnit, Future[list[ReleaseOutcome]]]],
    absorb: Callable[[list[ReleaseOutcome], int], None],
    suspects: deque[WorkUnit],
) -> bool:
    """Absorb the oldest batch's outcomes; True (and the batch kept as a suspect) when the pool broke."""
    unit, future = in_flight.popleft()
    try:
        outcomes = future.result()
    except BrokenProcessPool:
        suspects.append(unit)
        return True
    absorb(outcomes, unit.files_done)
    return False


def _lost(unit: WorkUnit) -> list[ReleaseOutcome]:
    reason = "the worker process reading this batch died (out of memory?), also when run alone; nothing stored"
    return [ReleaseOutcome(item.source, item.identifier, UNREADABLE, reason, record=item.where) for item in unit.inputs]


def _record_build(store: Store, minter: IriMinter, summary: BuildSummary, started: dt.datetime,
                  shared: list[str]) -> GraphUpdate | None:
    """Write this build's ``prov:Activity`` and which graphs it generated (``provenance``); the graph written."""
    generated, dropped = list(shared), []
    for outcome in summary.outcomes:
        if outcome.identifier is None:
            continue
        graph = str(minter.release_graph(outcome.identifier))
        reason = outcome.reason or ""
        duplicate = reason.startswith("identifier ") and " in this build" in reason
        if outcome.status == STORED:
            generated.append(graph)
        elif not reason.startswith("store write failed") and not duplicate:
            dropped.append(graph)  # as absorb() dropped it; a failed write left the earlier graph as it was
    counts = {"read": summary.read, "stored": summary.count(STORED), "quarantined": summary.count(QUARANTINED),
              "unreadable": summary.count(UNREADABLE), "triples": summary.triples}
    activity = provenance.activity_iri(minter, started)
    triples = provenance.activity_triples(minter, activity, started=started, ended=dt.datetime.now(dt.timezone.utc),
                                          counts=counts)
    try:  # reading the earlier record and writing the new one: the store may have gone away mid-build
        record = provenance.build_record(store, minter, triples, generated=generated, dropped=dropped)
        store.replace_graphs([record])
    except StoreError as error:  # the graphs are stored; only their record is missing
        logger.warning("the build record could not be written: %s", error.message)
        return None
    return record


def write_report(summary: BuildSummary, path: Path) -> None:
    """The quarantine report: every release not stored, with file, reason and SHACL results."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
