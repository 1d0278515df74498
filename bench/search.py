"""Search index benchmark: fill the index from synthetic releases, time what the search box and page ask.

    python bench/search.py                      # 10k and 100k
    python bench/search.py --sizes 10000 --reuse

For each size the index is filled the way a build fills it, without a store:
every synthetic release (``synth.generate``) is read, extracted and mapped by
the pipeline's ``ReleaseProcessor`` (in worker processes), its graph's
N-Triples turned into a ``GraphDocument`` and written with
``SearchIndex.replace_documents`` in groups, after the ontology and gazetteer
graphs, as ``kfgraph build`` does. SHACL validation is skipped: it decides
whether a graph is stored, not what the index holds. The index goes to
``bench/out/search-<size>.sqlite`` (``--reuse`` keeps it).

Then each query of ``QUERIES`` runs ``--runs`` times (after one warm-up) as
the two callers run it: the header's suggestions (``GET /search.json?limit=6``:
entities, kind counts, releases) and the results page (20 entities, 20
releases). Reported: median, p95 and max milliseconds per query in one
process, and the index file size. Target (issue 12): under 50 ms at 100k.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from machine import append_results, describe  # noqa: E402

from kfgraph.search import queries  # noqa: E402
from kfgraph.search.documents import GraphDocument, document_of_ntriples  # noqa: E402
from kfgraph.search.index import SearchIndex  # noqa: E402

OUT = HERE / "out"
QUERIES = (
    "Pristina", "Prishtinë", "prisht", "KFOR", "kfor patrol", "Bondsteel", "Camp Film City", "Jarinje",
    "Mitrovicë", "Zvečan", "Colonel", "exercise", "donation school", "1244", "ristuccia", "Ulutaş",
    "medical", "xyzzy",
)
"""Names in several spellings, prefixes, very common and very rare words, and one that matches nothing."""

_PROCESSOR = None


def _init() -> None:
    global _PROCESSOR  # one per worker process
    from kfgraph.pipeline import ReleaseProcessor
    from kfgraph.settings import Settings

    _PROCESSOR = ReleaseProcessor.from_settings(Settings())


def _documents(chunk: tuple[int, int, int]) -> list[GraphDocument]:
    from kfgraph.mapping import triples_to_ntriples
    from kfgraph.sources import release_from_text

    start, stop, seed = chunk
    assert _PROCESSOR is not None
    documents = []
    for index in range(start, stop):
        item = synth.make_release(seed, index)
        identifier = item.name.rsplit(".", 1)[0]
        release = release_from_text(item.text, identifier=identifier, source=item.name)
        graph = str(_PROCESSOR.minter.release_graph(identifier))
        documents.append(document_of_ntriples(graph, triples_to_ntriples(_PROCESSOR.triples_for(release))))
    return documents


def _chunks(size: int, seed: int, step: int = 500) -> Iterator[tuple[int, int, int]]:
    for start in range(0, size, step):
        yield start, min(size, start + step), seed


def fill(path: Path, size: int, seed: int, workers: int) -> dict[str, float]:
    """Build the index of ``size`` synthetic releases at ``path``; seconds spent extracting and writing."""
    from kfgraph.pipeline import shared_graphs
    from kfgraph.settings import Settings

    path.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    index = SearchIndex(path)
    index.clear()
    started = time.perf_counter()
    index.replace_graphs(shared_graphs(Settings()))
    writing = 0.0
    done = 0
    with ProcessPoolExecutor(max_workers=workers, initializer=_init) as pool:
        for documents in pool.map(_documents, _chunks(size, seed)):
            tick = time.perf_counter()
            index.replace_documents(documents)
            writing += time.perf_counter() - tick
            done += len(documents)
            if done % 10_000 == 0:
                print(f"  {done:,} releases indexed ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    index.optimize()
    index.close()
    return {"total": time.perf_counter() - started, "writing": writing}


def suggest(index: SearchIndex, text: str) -> None:
    queries.find_entities(index, text, limit=6)
    queries.kind_counts(index, text)
    queries.find_releases(index, text, limit=3)


def results_page(index: SearchIndex, text: str) -> None:
    queries.find_entities(index, text, limit=20)
    queries.kind_counts(index, text)
    queries.find_releases(index, text, limit=20)


def time_queries(path: Path, runs: int) -> list[tuple[str, str, float, float, float, int, int]]:
    index = SearchIndex(path, read_only=True)
    rows = []
    for text in QUERIES:
        entities = queries.find_entities(index, text, limit=1).total
        releases = queries.find_releases(index, text, limit=1).total
        for name, call in (("suggestions", suggest), ("page", results_page)):
            call(index, text)  # warm-up
            samples = []
            for _ in range(runs):
                tick = time.perf_counter()
                call(index, text)
                samples.append((time.perf_counter() - tick) * 1000)
            samples.sort()
            p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
            rows.append((text, name, statistics.median(samples), p95, samples[-1], entities, releases))
    index.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--reuse", action="store_true", help="keep an index built earlier for the size")
    parser.add_argument("--no-record", action="store_true", help="print, do not append to RESULTS.md")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    sections = []
    for size in args.sizes:
        path = OUT / f"search-{size}.sqlite"
        if args.reuse and path.exists():
            built = "reused"
        else:
            print(f"indexing {size:,} synthetic releases into {path}", file=sys.stderr)
            seconds = fill(path, size, args.seed, args.workers)
            built = (f"filled in {seconds['total']:.0f} s ({args.workers} extraction workers), of which "
                     f"{seconds['writing']:.0f} s index writes ({seconds['writing'] / size * 1000:.2f} ms/release)")
        megabytes = path.stat().st_size / 1e6
        rows = time_queries(path, args.runs)
        worst = max(r[4] for r in rows)
        lines = [f"{size:,} synthetic releases (seed {args.seed}); index {megabytes:,.0f} MB, {built}; "
                 f"{args.runs} timed runs per query after one warm-up, in-process (the route adds JSON/HTML "
                 f"rendering). Worst single run: **{worst:.1f} ms**.", "",
                 "| query | call | median ms | p95 ms | max ms | entities | releases |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {t} | {c} | {m:.1f} | {p:.1f} | {x:.1f} | {e:,} | {r:,} |" for t, c, m, p, x, e, r in rows]
        sections.append((size, "\n".join(lines)))
        print("\n".join(lines))
    if not args.no_record:
        for size, body in sections:
            stamp = time.strftime("%Y-%m-%d %H:%M")
            append_results(f"Search index, {size:,} releases, {stamp}", describe() + "\n\n" + body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
