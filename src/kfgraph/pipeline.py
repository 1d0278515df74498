"""Orchestration only: sources -> extract -> map -> validate -> store, with a run summary.

Releases are processed in batches by worker processes (one per core by
default). A worker reads, extracts and maps each release of its batch, then
validates the union of the batch's graphs with one pySHACL call (pySHACL has
a large fixed cost per call); only when that union does not conform are the
suspect releases validated one by one. The main process stores each batch's
conforming graphs in one transaction, and at the end refreshes the build-time
summaries (``summaries.py``). A release that cannot be read or does
not conform stores nothing: it is reported with its file and reason, any
graph an earlier build stored for it is dropped, and the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import deque
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from kfgraph import provenance, sources, summaries
from kfgraph.errors import KfgraphError, SourceError, StoreError
from kfgraph.extract import RuleExtractor, load_gazetteer
from kfgraph.extract.base import Extractor
from kfgraph.external_links import links_graph, load_links
from kfgraph.iris import IriMinter
from kfgraph.models import Release
from kfgraph.mapping import Triple, entity_triples, graph_of, map_triples, to_ntriples, triples_to_ntriples
from kfgraph.settings import Settings
from kfgraph.store.base import GraphUpdate, Store

if TYPE_CHECKING:
    from kfgraph.search import SearchIndex
from kfgraph.validate import ValidationResult, Validator, load_validator

STORED, QUARANTINED, UNREADABLE = "stored", "quarantined", "unreadable"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReleaseOutcome:
    """What became of one release (or of one file that yielded none)."""

    source: str
    identifier: str | None
    status: str
    reason: str | None = None
    triples: int = 0
    results: tuple[ValidationResult, ...] = ()
    ntriples: str = field(default="", repr=False, compare=False)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("ntriples")
        return data


@dataclass
class BuildSummary:
    """Counts and outcomes of one build; ``exit_code`` is the CLI's."""

    outcomes: list[ReleaseOutcome] = field(default_factory=list)
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
        }


class ReleaseProcessor:
    """Everything one worker needs, loaded once: extractor, minter, validator."""

    def __init__(self, extractor: Extractor, minter: IriMinter, validator: Validator) -> None:
        self.extractor = extractor
        self.minter = minter
        self.validator = validator

    @classmethod
    def from_settings(cls, settings: Settings) -> ReleaseProcessor:
        gazetteer = load_gazetteer(settings.data_dir / "gazetteer")
        return cls(RuleExtractor(gazetteer), IriMinter(settings.base_iri), load_validator(settings.shapes_dir))

    def triples_for(self, release: Release) -> list[Triple]:
        return map_triples(self.extractor.extract(release), self.minter)

    def graph_for(self, release: Release) -> Graph:
        """One release's graph, as ``kfgraph build`` would validate and store it."""
        return graph_of(self.triples_for(release))

    def process_batch(self, paths: Sequence[Path]) -> list[ReleaseOutcome]:
        """Read, extract, map and validate a batch of files."""
        outcomes: list[ReleaseOutcome] = []
        mapped: dict[int, list[Triple]] = {}
        for path in paths:
            try:
                releases = sources.read_releases(path)
            except SourceError as error:
                outcomes.append(ReleaseOutcome(str(path), None, UNREADABLE, error.reason))
                continue
            for release in releases:
                try:
                    triples = self.triples_for(release)
                except KfgraphError as error:
                    outcomes.append(ReleaseOutcome(str(path), release.identifier, UNREADABLE, error.message))
                    continue
                except Exception as error:  # a bug on one odd release must not stop a long batch
                    logger.exception("extraction failed on %s", path)
                    reason = f"extraction failed (a kfgraph bug, please report): {type(error).__name__}: {error}"
                    outcomes.append(ReleaseOutcome(str(path), release.identifier, UNREADABLE, reason))
                    continue
                mapped[len(outcomes)] = triples
                outcomes.append(ReleaseOutcome(str(path), release.identifier, STORED, triples=len(triples)))
        failed = self._validate(mapped)
        for index, triples in mapped.items():
            outcome = outcomes[index]
            if index in failed:
                results = failed[index]
                first = next(r for r in results if r.severity == "Violation")
                reason = f"does not conform to the shapes: {first.message} (focus {first.focus_node})"
                outcomes[index] = replace(outcome, status=QUARANTINED, reason=reason, triples=0, results=results)
            else:
                outcomes[index] = replace(outcome, ntriples=triples_to_ntriples(triples))
        return outcomes

    def _validate(self, mapped: dict[int, list[Triple]]) -> dict[int, tuple[ValidationResult, ...]]:
        """Indexes of non-conforming releases with their results.

        One pySHACL call on the union of the batch when all conform; otherwise
        the releases holding a violating focus node are validated one by one.
        """
        if not mapped:
            return {}
        union = graph_of(triple for triples in mapped.values() for triple in triples)
        report = self.validator.validate(union)
        if report.conforms:
            return {}
        focus = {URIRef(r.focus_node) for r in report.results if r.severity == "Violation"}
        failed = {}
        for index, triples in mapped.items():
            if len(mapped) > 1:
                if not any(s in focus for s, _, _ in triples):
                    continue
                single = self.validator.validate(graph_of(triples))
            else:
                single = report
            if not single.conforms:
                failed[index] = single.results
        return failed


_WORKER: ReleaseProcessor | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER  # one per worker process, set once by the pool initializer
    _WORKER = ReleaseProcessor.from_settings(settings)


def _run_batch(paths: Sequence[Path]) -> list[ReleaseOutcome]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.process_batch(paths)


def _batches(paths: Sequence[Path], size: int) -> Iterator[list[Path]]:
    for start in range(0, len(paths), size):
        yield list(paths[start : start + size])


def shared_graphs(settings: Settings) -> list[GraphUpdate]:
    """The ontology, gazetteer and external-links graphs, rebuilt at every build."""
    minter = IriMinter(settings.base_iri)
    ontology = Graph()
    for path in sorted(settings.ontology_dir.glob("*.ttl")):
        ontology.parse(path, format="turtle")
    gazetteer = load_gazetteer(settings.data_dir / "gazetteer")
    places = entity_triples(gazetteer.entities(), minter)  # the pipeline's form: no rdflib Graph to build
    links = links_graph(load_links(settings.data_dir / "gazetteer", gazetteer), minter)
    return [
        GraphUpdate(str(minter.shared_graph("ontology")), to_ntriples(ontology)),
        GraphUpdate(str(minter.shared_graph("gazetteer")), triples_to_ntriples(places)),
        GraphUpdate(str(minter.shared_graph("links")), to_ntriples(links)),
    ]


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
    files = list(sources.discover(paths))
    summary = BuildSummary()
    shared = shared_graphs(settings)
    store.replace_graphs(shared)
    _follow(search_index, "replace_graphs", shared)
    summary.shared_triples = sum(update.ntriples.count("\n") for update in shared)
    minter = IriMinter(settings.base_iri)
    seen: set[str] = set()
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

    def absorb(outcomes: list[ReleaseOutcome]) -> None:
        nonlocal done, pending_triples
        drops = []
        for outcome in outcomes:
            if outcome.identifier is not None and outcome.identifier in seen:
                outcome = ReleaseOutcome(outcome.source, outcome.identifier, UNREADABLE,
                                         f"identifier {outcome.identifier!r} already used by another file in this build")
            elif outcome.identifier is not None:
                seen.add(outcome.identifier)
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
        done += len({o.source for o in outcomes})
        if progress is not None:
            progress(done, len(files))

    workers = settings.workers or os.cpu_count() or 1
    batches = list(_batches(files, settings.batch_size))
    if workers == 1 or len(batches) <= 1:
        processor = ReleaseProcessor.from_settings(settings)
        for batch in batches:
            absorb(processor.process_batch(batch))
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(settings,)) as pool:
            # A bounded window of batches in flight keeps memory flat however large the corpus;
            # results are absorbed in submission order, so builds are deterministic.
            in_flight: deque[Future[list[ReleaseOutcome]]] = deque()
            for batch in batches:
                in_flight.append(pool.submit(_run_batch, batch))
                if len(in_flight) >= 2 * workers:
                    absorb(in_flight.popleft().result())
            while in_flight:
                absorb(in_flight.popleft().result())
    write_pending()
    generated = [u.graph for u in shared]
    try:
        summary.summary_triples = summaries.refresh(store, minter)
        generated.append(str(minter.shared_graph(summaries.GRAPH)))
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


def _record_build(store: Store, minter: IriMinter, summary: BuildSummary, started: dt.datetime,
                  shared: list[str]) -> GraphUpdate | None:
    """Write this build's ``prov:Activity`` and which graphs it generated (``provenance``); the graph written."""
    generated, dropped = list(shared), []
    for outcome in summary.outcomes:
        if outcome.identifier is None:
            continue
        graph = str(minter.release_graph(outcome.identifier))
        reason = outcome.reason or ""
        if outcome.status == STORED:
            generated.append(graph)
        elif not reason.startswith("store write failed") and "already used by another file" not in reason:
            dropped.append(graph)  # as absorb() dropped it; a failed write left the earlier graph as it was
    counts = {"read": summary.read, "stored": summary.count(STORED), "quarantined": summary.count(QUARANTINED),
              "unreadable": summary.count(UNREADABLE), "triples": summary.triples}
    activity = provenance.activity_iri(minter, started)
    triples = provenance.activity_triples(minter, activity, started=started, ended=dt.datetime.now(dt.timezone.utc),
                                          counts=counts)
    record = provenance.build_record(store, minter, triples, generated=generated, dropped=dropped)
    try:
        store.replace_graphs([record])
    except StoreError as error:  # the graphs are stored; only their record is missing
        logger.warning("the build record could not be written: %s", error.message)
        return None
    return record


def write_report(summary: BuildSummary, path: Path) -> None:
    """The quarantine report: every release not stored, with file, reason and SHACL results."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
