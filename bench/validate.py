"""How fast is SHACL validation on build, and does every release of a corpus conform?

    python bench/validate.py [--releases 256] [--batch 64] [--repeat 5]
    python bench/validate.py --corpus data/releases --corpus ../shared/corpus/dev

Timing: makes ``--releases`` synthetic releases (bench/synth.py, seed 1), maps them as
``kfgraph build`` does, and times validating them in batches of ``--batch`` the way the
build of this checkout does it (``Validator.validate_batch`` with the shared graphs; on a
checkout from before it, the union of a batch in one pySHACL call), and one release at a
time. Prints CPU ms per release (the best of ``--repeat`` rounds; trust it more than wall
time on a shared machine). The same script runs on an older checkout, so that
``farm-bench``-style A/B pairs (or two runs) compare before and after.

Corpus: builds every release under each ``--corpus`` folder (without a store), validates
each alone with the shared graphs, prints the Violations and Warnings per shape and exits
1 if any release has a Violation.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

if __package__:
    from . import synth
else:
    import synth  # type: ignore[no-redef]

from kfgraph import sources
from kfgraph.pipeline import ReleaseProcessor
from kfgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def synthetic_graphs(processor: ReleaseProcessor, count: int, seed: int) -> list[list[tuple[object, object, object]]]:
    """The triples a build maps from ``count`` synthetic releases."""
    from kfgraph.sources.plaintext import release_from_text

    mapped = []
    for name, text in synth.generate(count, seed):
        identifier = name.rsplit(".", 1)[0]
        mapped.append(processor.triples_for(release_from_text(text, identifier=identifier, source=name)))
    return mapped


def validate_batches(processor: ReleaseProcessor, batches: list[list[list[tuple[object, object, object]]]],
                     texts: list[list[str]]) -> int:
    """Validate as build does; the number of releases that do not conform.

    ``texts`` are the releases' N-Triples, which build makes for the store whether it validates or not
    (since validate_batch, before validating; it reuses them), so they are made outside the timing."""
    from kfgraph.mapping import graph_of

    validator = processor.validator
    failed = 0
    for batch, batch_texts in zip(batches, texts):
        if hasattr(validator, "validate_batch"):
            failed += sum(not report.conforms for report in validator.validate_batch(batch, ntriples=batch_texts))
        else:  # a checkout from before validate_batch: the union of the batch in one call
            failed += not validator.validate(graph_of(t for triples in batch for t in triples)).conforms
    return failed


def time_validation(args: argparse.Namespace) -> int:
    from kfgraph.mapping import graph_of, triples_to_ntriples

    started = time.perf_counter()
    processor = ReleaseProcessor.from_settings(Settings())
    load = time.perf_counter() - started
    mapped = synthetic_graphs(processor, args.releases, args.seed)
    batches = [mapped[i:i + args.batch] for i in range(0, len(mapped), args.batch)]
    texts = [[triples_to_ntriples(triples) for triples in batch] for batch in batches]
    failed = validate_batches(processor, batches[:1], texts[:1])  # warm up
    cpu = []
    for _ in range(args.repeat):
        c0 = time.process_time()
        failed = validate_batches(processor, batches, texts)
        cpu.append(time.process_time() - c0)
    singles = []
    for triples in mapped[: min(32, len(mapped))]:
        graph = graph_of(triples)
        c0 = time.process_time()
        processor.validator.validate(graph)
        singles.append(time.process_time() - c0)
    triples = sum(len(t) for t in mapped) / len(mapped)
    print(f"shapes and shared graphs loaded in {load * 1000:.0f} ms")
    print(f"{len(mapped)} releases ({triples:.0f} triples each) in batches of {args.batch}: "
          f"best {min(cpu) * 1000 / len(mapped):.2f} CPU ms/release, median "
          f"{sorted(cpu)[len(cpu) // 2] * 1000 / len(mapped):.2f}; {failed} did not conform")
    print(f"one release at a time: median {sorted(singles)[len(singles) // 2] * 1000:.2f} CPU ms/release")
    return 0


def check_corpus(folders: list[Path]) -> int:
    from kfgraph.validation_cli import quiet_ill_typed_literals

    processor = ReleaseProcessor.from_settings(Settings())
    worst = 0
    for folder in folders:
        releases, violating = 0, []
        by_shape: Counter[tuple[str, str]] = Counter()
        for path in sources.discover([folder]):
            for release in sources.read_releases(path):
                releases += 1
                with quiet_ill_typed_literals():
                    report = processor.validator.validate(processor.graph_for(release))
                for result in report.results:
                    by_shape[(result.severity, (result.shape or "").rsplit("#", 1)[-1])] += 1
                if not report.conforms:
                    violating.append(release.identifier)
        print(f"{folder}: {releases} releases, {releases - len(violating)} conform"
              + (f"; not: {', '.join(violating)}" if violating else ""))
        for (severity, shape), count in sorted(by_shape.items()):
            print(f"  {count:4d} {severity} {shape}")
        worst = max(worst, 1 if violating else 0)
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=256)
    parser.add_argument("--batch", type=int, default=Settings().batch_size)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, action="append", help="check every release of this folder instead")
    args = parser.parse_args(argv)
    if args.corpus:
        return check_corpus(args.corpus)
    return time_validation(args)


if __name__ == "__main__":
    sys.exit(main())
