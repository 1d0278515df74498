"""A large store for page benchmarks, made from a built one: every release graph copied K times.

    python bench/replicate.py --from bench/out/store-10k --copies 10 --to bench/out/store-100k

A pipeline build of 100,000 synthetic releases takes about an hour of two idle
cores (extraction, validation, writes). Page benchmarks need the store's size,
not new extractions, so this makes one from a store ``kfgraph build`` made:

* every release graph is written ``--copies`` times; copy k > 0 renames the
  release's identifier ``ID`` to ``ID-cK`` wherever it occurs in that graph
  (release, span, event, figure and post-interval IRIs, the identifier and
  source-file literals), so copies are distinct releases naming the same
  organizations, people and places on the same dates, as ``bench/search.py``
  copies its documents;
* shared graphs (ontology, gazetteer) are written once; the old summaries
  graph is left out;
* the quads are bulk-loaded into a new store, then the summaries are recomputed
  (``summaries.refresh``) and the search index rebuilt (``SearchIndex.rebuild``),
  the same functions a build and ``kfgraph index`` call.

Progress goes to standard error; the seconds of each step are printed at the end.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kfgraph import summaries
from kfgraph.iris import IriMinter
from kfgraph.search import SearchIndex
from kfgraph.search.lifecycle import index_location
from kfgraph.settings import Settings
from kfgraph.store import open_store

RELEASE_PATH = "id/release/"


def copy_quads(source: Path, target_file: Path, copies: int, base: str) -> int:
    """Write the N-Quads of ``copies`` copies of every release graph (and one of the shared ones)."""
    graph_prefix = f"<{base}{RELEASE_PATH}"
    summaries_graph = f"<{base}graph/{summaries.GRAPH}>"
    dump = target_file.with_suffix(".source.nq")
    store = ox.Store.read_only(str(source))
    with dump.open("wb") as out:
        store.dump(out, format=ox.RdfFormat.N_QUADS)
    del store
    written = 0
    with dump.open(encoding="utf-8") as lines, target_file.open("w", encoding="utf-8") as out:
        for number, line in enumerate(lines, start=1):
            graph_start = line.rfind(" <", 0, len(line) - 3)
            graph = line[graph_start + 1:].rstrip(" .\n")
            if graph == summaries_graph:
                continue
            out.write(line)
            written += 1
            if graph.startswith(graph_prefix):
                identifier = graph[len(graph_prefix):-1]
                for k in range(1, copies):
                    out.write(line.replace(identifier, f"{identifier}-c{k}"))
                    written += 1
            if number % 1_000_000 == 0:
                print(f"  {number:,} source quads read, {written:,} written", file=sys.stderr)
    dump.unlink()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", type=Path, required=True, help="a store made by kfgraph build")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--to", dest="target", type=Path, required=True, help="a new store folder (must not exist)")
    parser.add_argument("--base", default=Settings().base_iri, help="the base IRI the source store was built with")
    parser.add_argument("--load-only", action="store_true", help="copy and load; leave summaries and index")
    parser.add_argument("--finish", action="store_true", help="only recompute the summaries and index of --to")
    args = parser.parse_args()
    seconds: dict[str, float] = {}
    if args.finish:
        store = open_store(args.target)
    else:
        if args.target.exists():
            parser.error(f"{args.target} exists: give a new folder (or --finish)")
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(dir=args.target.parent) as tmp:
            quads = Path(tmp) / "copies.nq"
            count = copy_quads(args.source, quads, args.copies, args.base)
            seconds["copy"] = time.perf_counter() - started
            print(f"{count:,} quads to load", file=sys.stderr)
            step = time.perf_counter()
            store = open_store(args.target)
            store.inner.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
            seconds["bulk load"] = time.perf_counter() - step
        if args.load_only:
            store.close()
            print(", ".join(f"{name} {value:.0f} s" for name, value in seconds.items()))
            return
    try:
        step = time.perf_counter()
        cube = summaries.refresh(store, IriMinter(args.base))
        seconds["summaries"] = time.perf_counter() - step
        print(f"summaries: {cube.ntriples.count(chr(10)):,} triples", file=sys.stderr)
        step = time.perf_counter()
        index = SearchIndex(index_location(Settings(), store))
        try:
            graphs = index.rebuild(store)
        finally:
            index.close()
        seconds["search index"] = time.perf_counter() - step
        print(f"search index: {graphs:,} graphs", file=sys.stderr)
    finally:
        store.close()
    print(", ".join(f"{name} {value:.0f} s" for name, value in seconds.items()))


if __name__ == "__main__":
    main()
