"""One batch of release inputs -> one outcome each: read, extract, map, serialise, validate.

    processor = ReleaseProcessor.from_settings(settings)   # once per worker process
    outcomes = processor.process_batch(inputs)              # never raises for a bad release

Whatever goes wrong with one release (it cannot be read, is too large, takes
longer than ``release_timeout``, makes a term the store would refuse, or trips
a kfgraph bug) becomes that release's outcome, with its file, its record within
the file and the reason; the rest of the batch goes on. Each release is validated with the shared
graphs it relies on, the batch in as few passes as give each release its own
verdict (``Validator.validate_batch``); if validation itself fails, releases
are validated one by one, and one that still fails is reported as such.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pyoxigraph as ox
from rdflib import Graph

from kfgraph import sources
from kfgraph.errors import KfgraphError, SourceError
from kfgraph.extract import RuleExtractor, load_gazetteer
from kfgraph.extract.base import Extractor
from kfgraph.iris import IriMinter
from kfgraph.mapping import Triple, graph_of, map_triples, triples_to_ntriples
from kfgraph.models import Release
from kfgraph.settings import Settings
from kfgraph.shared_graphs import validator_from_settings
from kfgraph.sources import ReleaseInput
from kfgraph.time_limit import TimeLimitExceeded, time_limit
from kfgraph.validate import ValidationResult, Validator

STORED, QUARANTINED, UNREADABLE = "stored", "quarantined", "unreadable"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReleaseOutcome:
    """What became of one release (or of one file or record that yielded none)."""

    source: str
    identifier: str | None
    status: str
    reason: str | None = None
    triples: int = 0
    results: tuple[ValidationResult, ...] = ()
    record: str | None = None  # 'record 3 (id "x")' / 'line 7' within a JSON file
    warnings: tuple[str, ...] = ()
    ntriples: str = field(default="", repr=False, compare=False)

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "identifier": self.identifier,
            "status": self.status,
            "reason": self.reason,
            "triples": self.triples,
            "results": [result.to_json() for result in self.results],
            "record": self.record,
            "warnings": list(self.warnings),
        }


class ReleaseProcessor:
    """Everything one worker needs, loaded once: extractor, minter, validator, limits."""

    def __init__(
        self,
        extractor: Extractor,
        minter: IriMinter,
        validator: Validator,
        *,
        max_release_bytes: int = Settings.max_release_bytes,
        release_timeout: float = Settings.release_timeout,
    ) -> None:
        self.extractor = extractor
        self.minter = minter
        self.validator = validator
        self.max_release_bytes = max_release_bytes
        self.release_timeout = release_timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> ReleaseProcessor:
        gazetteer = load_gazetteer(settings.data_dir / "gazetteer")
        return cls(
            RuleExtractor(gazetteer),
            IriMinter(settings.base_iri),
            validator_from_settings(settings, gazetteer=gazetteer),
            max_release_bytes=settings.max_release_bytes,
            release_timeout=settings.release_timeout,
        )

    def triples_for(self, release: Release) -> list[Triple]:
        return map_triples(self.extractor.extract(release), self.minter)

    def graph_for(self, release: Release) -> Graph:
        """One release's graph, as ``kfgraph build`` would validate and store it."""
        return graph_of(self.triples_for(release))

    def process_batch(self, inputs: Sequence[ReleaseInput]) -> list[ReleaseOutcome]:
        """One outcome per input, in order; a release that conforms carries its N-Triples."""
        outcomes: list[ReleaseOutcome] = []
        mapped: dict[int, list[Triple]] = {}
        for item in inputs:
            outcome, triples = self._process(item)
            if triples is not None:
                mapped[len(outcomes)] = triples
            outcomes.append(outcome)
        failed = self._validate(mapped, {index: outcomes[index].ntriples for index in mapped})
        for index in mapped:
            if index in failed:
                outcomes[index] = failed[index](outcomes[index])
        return outcomes

    def _process(self, item: ReleaseInput) -> tuple[ReleaseOutcome, list[Triple] | None]:
        """Read, extract, map and serialise one release within the time limit; never raises."""
        where = item.where
        identifier = item.identifier
        try:
            with time_limit(self.release_timeout, what="reading, extracting and mapping this release"):
                release = sources.read_input(item, max_release_bytes=self.max_release_bytes)
                identifier = release.identifier
                triples = self.triples_for(release)
                ntriples = triples_to_ntriples(triples)
                _check_ntriples(ntriples)
        except SourceError as error:
            return ReleaseOutcome(item.source, identifier, UNREADABLE, error.reason, record=where), None
        except TimeLimitExceeded as error:
            reason = f"{error.message} (release_timeout); nothing stored"
            return ReleaseOutcome(item.source, identifier, UNREADABLE, reason, record=where), None
        except KfgraphError as error:
            return ReleaseOutcome(item.source, identifier, UNREADABLE, error.message, record=where), None
        except Exception as error:  # a bug on one odd release must not stop a long batch
            logger.exception("processing failed on %s %s", item.source, where or "")
            reason = f"processing failed (a kfgraph bug, please report): {type(error).__name__}: {error}"
            return ReleaseOutcome(item.source, identifier, UNREADABLE, reason, record=where), None
        outcome = ReleaseOutcome(
            item.source, release.identifier, STORED, triples=len(triples), record=where,
            warnings=release.warnings, ntriples=ntriples,
        )
        return outcome, triples

    def _validate(self, mapped: dict[int, list[Triple]], texts: dict[int, str]) -> dict[int, _Verdict]:
        """Indexes of releases that do not conform (or could not be validated), with how to mark them.

        ``validate_batch`` gives each release the verdict it gets alone; if it fails, each release is
        validated alone, so one odd release is reported and the others go on."""
        if not mapped:
            return {}
        indexes = list(mapped)
        try:
            reports = self.validator.validate_batch([mapped[i] for i in indexes], ntriples=[texts[i] for i in indexes])
        except Exception:  # validation failing on the batch: find the release that makes it fail
            logger.exception("validating a batch failed; validating its releases one by one")
            reports = None
        failed: dict[int, _Verdict] = {}
        for position, index in enumerate(indexes):
            if reports is not None:
                report = reports[position]
            else:
                try:
                    report = self.validator.validate_batch([mapped[index]], ntriples=[texts[index]])[0]
                except Exception as error:
                    logger.exception("validating one release failed")
                    failed[index] = _Verdict(UNREADABLE, f"validation failed (a kfgraph bug, please report): {error}")
                    continue
            if not report.conforms:
                first = report.violations[0]
                reason = f"does not conform to the shapes: {first.message} (focus {first.focus_node})"
                failed[index] = _Verdict(QUARANTINED, reason, report.results)
        return failed


@dataclass(frozen=True)
class _Verdict:
    status: str
    reason: str
    results: tuple[ValidationResult, ...] = ()

    def __call__(self, outcome: ReleaseOutcome) -> ReleaseOutcome:
        return replace(outcome, status=self.status, reason=self.reason, triples=0, results=self.results, ntriples="")


def _check_ntriples(ntriples: str) -> None:
    """Parse the graph as the store will: a term the store would refuse fails this release, not a whole write."""
    try:
        for _ in ox.parse(ntriples, ox.RdfFormat.N_TRIPLES):
            pass
    except SyntaxError as error:
        raise KfgraphError(f"the release's graph holds a term the store refuses: {error}") from None
