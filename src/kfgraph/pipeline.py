"""Orchestration only: sources -> extract -> map -> validate -> store, with a run summary.

Releases are processed in batches by worker processes (one per core by
default). A worker reads, extracts and maps each release of its batch, then
validates them, each with the shared ontology and gazetteer graphs, in one
pass over the batch where that gives each release's own verdict
(``Validator.validate_batch``). The main process stores each batch's
conforming graphs in one transaction. A release that cannot be read or does
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
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph

from kfgraph import provenance, sources
from kfgraph.errors import ConfigurationError, KfgraphError, SourceError, StoreError
from kfgraph.extract import Gazetteer, RuleExtractor, load_gazetteer
from kfgraph.extract.base import Extractor
from kfgraph.external_links import links_graph, load_links
from kfgraph.iris import IriMinter
from kfgraph.models import Release
from kfgraph.mapping import Triple, graph_of, map_entities, map_triples, to_ntriples, triples_to_ntriples
from kfgraph.settings import Settings
from kfgraph.store.base import GraphUpdate, Store
from kfgraph.validate import SharedGraphs, ValidationResult, Validator, load_validator

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
        return {
            "source": self.source,
            "identifier": self.identifier,
            "status": self.status,
            "reason": self.reason,
            "triples": self.triples,
            "results": [result.to_json() for result in self.results],
        }


@dataclass
class BuildSummary:
    """Counts and outcomes of one build; ``exit_code`` is the CLI's."""

    outcomes: list[ReleaseOutcome] = field(default_factory=list)
    seconds: float = 0.0
    shared_triples: int = 0

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
        validator = validator_from_settings(settings, gazetteer=gazetteer)
        return cls(RuleExtractor(gazetteer), IriMinter(settings.base_iri), validator)

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
        indexes = list(mapped)
        texts = [triples_to_ntriples(mapped[index]) for index in indexes]
        reports = self.validator.validate_batch([mapped[index] for index in indexes], ntriples=texts)
        for index, text, report in zip(indexes, texts, reports):
            outcome = outcomes[index]
            if not report.conforms:
                first = report.violations[0]
                reason = f"does not conform to the shapes: {first.message} (focus {first.focus_node})"
                outcomes[index] = replace(outcome, status=QUARANTINED, reason=reason, triples=0, results=report.results)
            else:
                outcomes[index] = replace(outcome, ntriples=text)
        return outcomes


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


def shared_graph_contents(settings: Settings, *, gazetteer: Gazetteer | None = None) -> dict[str, Graph]:
    """The ontology, gazetteer and external-links graphs by name ({base}graph/ontology, …/gazetteer, …/links)."""
    minter = IriMinter(settings.base_iri)
    ontology = Graph()
    for path in sorted(settings.ontology_dir.glob("*.ttl")):
        ontology.parse(path, format="turtle")
    gazetteer = gazetteer or load_gazetteer(settings.data_dir / "gazetteer")
    places = map_entities(gazetteer.entities(), minter)
    links = links_graph(load_links(settings.data_dir / "gazetteer", gazetteer), minter)
    return {str(minter.shared_graph("ontology")): ontology, str(minter.shared_graph("gazetteer")): places,
            str(minter.shared_graph("links")): links}


def shared_graphs(settings: Settings) -> list[GraphUpdate]:
    """The ontology, gazetteer and external-links graphs, rebuilt at every build."""
    return [GraphUpdate(name, to_ntriples(graph)) for name, graph in shared_graph_contents(settings).items()]


def validator_from_settings(settings: Settings, *, gazetteer: Gazetteer | None = None) -> Validator:
    """The shapes of ``settings.shapes_dir``, checking graphs with the shared graphs a build writes."""
    return load_validator(settings.shapes_dir, shared=SharedGraphs(shared_graph_contents(settings, gazetteer=gazetteer)))


def check_shared_graphs(validator: Validator) -> None:
    """The shared graphs conform on their own, or a ConfigurationError names what is wrong with them."""
    report = validator.validate_shared()
    if not report.conforms:
        shown = "; ".join(f"{r.focus_node}: {r.message}" for r in report.violations[:5])
        more = f" (and {len(report.violations) - 5} more)" if len(report.violations) > 5 else ""
        raise ConfigurationError(f"the shared graphs (ontology/, data/gazetteer/) do not conform to the shapes: {shown}{more}")


def build(
    paths: Iterable[Path],
    *,
    settings: Settings,
    store: Store,
    progress: Callable[[int, int], None] | None = None,
) -> BuildSummary:
    """Build the graph of every release under ``paths`` into ``store``.

    ``progress(done, total)`` is called after each batch with release-file counts.
    """
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.timezone.utc)
    files = list(sources.discover(paths))
    summary = BuildSummary()
    check_shared_graphs(validator_from_settings(settings))
    shared = shared_graphs(settings)
    store.replace_graphs(shared)
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
    _record_build(store, minter, summary, started_at, [u.graph for u in shared])
    for finish in ("optimize", "flush"):  # the embedded store compacts itself; remote engines need neither
        step = getattr(store, finish, None)
        if step is not None:
            step()
    summary.seconds = time.perf_counter() - started
    return summary


def _record_build(store: Store, minter: IriMinter, summary: BuildSummary, started: dt.datetime,
                  shared: list[str]) -> None:
    """Write this build's ``prov:Activity`` and which graphs it generated (``provenance``)."""
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
    try:
        store.replace_graphs([provenance.build_record(store, minter, triples, generated=generated, dropped=dropped)])
    except StoreError as error:  # the graphs are stored; only their record is missing
        logger.warning("the build record could not be written: %s", error.message)


def write_report(summary: BuildSummary, path: Path) -> None:
    """The quarantine report: every release not stored, with file, reason and SHACL results."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
