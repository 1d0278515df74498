"""Search index benchmark: fill the index from synthetic releases, time what the search box and page ask.

    python bench/search.py                      # 10k and 100k
    python bench/search.py --sizes 10000 --reuse

The index is filled the way a build fills it, without a store: synthetic
releases (``synth.make_release``) are read, extracted and mapped by the
pipeline's ``ReleaseProcessor`` (in worker processes), each graph's N-Triples
turned into a ``GraphDocument`` and written with
``SearchIndex.replace_documents`` in groups of 500, after the ontology and
gazetteer graphs, as ``kfgraph build`` does. SHACL validation is skipped: it
decides whether a graph is stored, not what the index holds.

Extraction costs ~25 ms of CPU per release, which on a shared 2-core machine
makes 100k distinct releases hours of work. So ``--distinct`` releases (10k by
default) are extracted once (cached in ``bench/out/search-docs-N.pickle``) and
a larger index holds copies of them: copy k of release N gets its own release
IRI, graph and event IRIs (``…-cK``), the same text, date and named entities.
Term and mention frequencies grow as in a real corpus of that size; the number
of distinct people (invented officers) does not, which makes entity queries a
little cheaper than on 100k distinct releases. ``--distinct 100000`` does the
real thing. The index goes to ``bench/out/search-<size>.sqlite`` (``--reuse``
keeps it).

Then each query of ``QUERIES`` runs ``--runs`` times (after one warm-up) as
the two callers run it: the header's suggestions (``GET /search.json?limit=6``:
entities, kind counts, releases) and the results page (20 entities, 20
releases). Reported: median, p95 and max milliseconds per query in one
process, and the index file size. Target (issue 12): under 50 ms at 100k.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import statistics
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from machine import append_results, describe  # noqa: E402

from kfgraph.search import queries  # noqa: E402
from kfgraph.search.documents import GraphDocument, document_of_ntriples  # noqa: E402
from kfgraph.search.index import SearchIndex  # noqa: E402
from kfgraph.web.pages.search import run_search  # noqa: E402

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


def distinct_documents(count: int, seed: int, workers: int) -> list[GraphDocument]:
    """The documents of releases 0..count-1, extracted once and cached."""
    cache = OUT / f"search-docs-{count}-seed{seed}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # type: ignore[no-any-return]
    print(f"extracting {count:,} synthetic releases ({workers} workers)", file=sys.stderr)
    documents: list[GraphDocument] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_init) as pool:
        for chunk in pool.map(_documents, _chunks(count, seed)):
            documents.extend(chunk)
            if len(documents) % 2000 == 0:
                print(f"  {len(documents):,} extracted", file=sys.stderr)
    cache.write_bytes(pickle.dumps(documents))
    return documents


def copy_of(document: GraphDocument, k: int) -> GraphDocument:
    """Copy ``k`` of a release's document: its own release, graph and event IRIs, the same names and text."""
    if k == 0:
        return document

    def renamed(iri: str) -> str:
        return f"{iri}-c{k}" if iri == document.graph or "/id/event/" in iri else iri

    entities = {renamed(iri): dataclasses.replace(facts, iri=renamed(iri)) for iri, facts in document.entities.items()}
    release = document.release and dataclasses.replace(document.release, iri=renamed(document.release.iri),
                                                       identifier=f"{document.release.identifier}-c{k}")
    return GraphDocument(renamed(document.graph), release, entities,
                         {renamed(iri): spans for iri, spans in document.mentioned.items()}, document.concepts)


def fill(path: Path, size: int, documents: list[GraphDocument]) -> dict[str, float]:
    """Build the index of ``size`` releases at ``path`` from ``documents`` (copied as needed); seconds taken."""
    from kfgraph.pipeline import shared_graphs
    from kfgraph.settings import Settings

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    index = SearchIndex(path)
    started = time.perf_counter()
    index.replace_graphs(shared_graphs(Settings()))
    batch: list[GraphDocument] = []
    for number in range(size):
        batch.append(copy_of(documents[number % len(documents)], number // len(documents)))
        if len(batch) == 500:
            index.replace_documents(batch)
            batch = []
            if (number + 1) % 20_000 == 0:
                print(f"  {number + 1:,} releases indexed ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    index.replace_documents(batch)
    writing = time.perf_counter() - started
    index.optimize()
    index.close()
    return {"writing": writing, "total": time.perf_counter() - started}


def suggest(index: SearchIndex, text: str) -> None:
    """What ``GET /search.json?q=…&limit=6`` computes."""
    run_search(index, text, None, 1, 6)


def results_page(index: SearchIndex, text: str) -> None:
    """What ``GET /search?q=…`` computes (20 entities, 20 releases)."""
    run_search(index, text, None, 1, 20)


def time_queries(path: Path, runs: int) -> list[tuple[Any, ...]]:
    index = SearchIndex(path, read_only=True)
    rows = []
    for text in QUERIES:
        entities = queries.find_entities(index, text, limit=1).total
        releases = queries.find_releases(index, text, limit=1).total
        for name, call in (("suggestions", suggest), ("page", results_page)):
            call(index, text)  # warm-up
            samples, cpu = [], []
            for _ in range(runs):
                tick, tock = time.perf_counter(), time.thread_time()
                call(index, text)
                cpu.append((time.thread_time() - tock) * 1000)
                samples.append((time.perf_counter() - tick) * 1000)
            samples.sort()
            cpu.sort()
            p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
            rows.append((text, name, statistics.median(cpu), cpu[-1], statistics.median(samples), p95, samples[-1],
                         entities, releases))
    index.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--distinct", type=int, default=10_000, help="releases extracted; larger indexes copy them")
    parser.add_argument("--reuse", action="store_true", help="keep an index built earlier for the size")
    parser.add_argument("--no-record", action="store_true", help="print, do not append to RESULTS.md")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    sections = []
    for size in args.sizes:
        path = OUT / f"search-{size}.sqlite"
        distinct = min(size, args.distinct)
        if args.reuse and path.exists():
            built = "reused"
        else:
            documents = distinct_documents(args.distinct, args.seed, args.workers)[:distinct]
            print(f"indexing {size:,} releases into {path}", file=sys.stderr)
            seconds = fill(path, size, documents)
            built = (f"written in {seconds['writing']:.0f} s ({seconds['writing'] / size * 1000:.2f} ms/release, "
                     f"one process), optimized in {seconds['total'] - seconds['writing']:.0f} s")
        megabytes = path.stat().st_size / 1e6
        rows = time_queries(path, args.runs)
        worst_cpu, worst_wall = max(r[3] for r in rows), max(r[6] for r in rows)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        lines = [f"{size:,} synthetic releases (seed {args.seed}; {distinct:,} distinct, see bench/search.py); "
                 f"index {megabytes:,.0f} MB, {built}; {args.runs} timed runs per query after one warm-up, "
                 f"in-process (the route adds JSON/HTML rendering). CPU ms is the thread's CPU time (the work); "
                 f"wall ms adds waiting for a CPU on this shared machine (load average {load} when recorded). "
                 f"Worst single run: **{worst_cpu:.1f} ms CPU**, {worst_wall:.1f} ms wall.", "",
                 "| query | call | CPU median ms | CPU max ms | wall median ms | wall p95 ms | wall max ms "
                 "| entities | releases |", "|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {t} | {c} | {cm:.1f} | {cx:.1f} | {m:.1f} | {p:.1f} | {x:.1f} | {e:,} | {r:,} |"
                  for t, c, cm, cx, m, p, x, e, r in rows]
        sections.append((size, "\n".join(lines)))
        print("\n".join(lines))
    if not args.no_record:
        for size, body in sections:
            stamp = time.strftime("%Y-%m-%d %H:%M")
            append_results(f"Search index, {size:,} releases, {stamp}", describe() + "\n\n" + body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
