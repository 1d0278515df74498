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
* the quads, each also as a triple of the default graph (the merge of all graphs,
  as the store keeps it), stream into a new store's bulk loader (no file between),
  then the summaries are recomputed (``summaries.refresh``) and the search index
  rebuilt (``SearchIndex.rebuild``), the same functions a build and ``kfgraph
  index`` call; with ``--finish`` an index already in step with the release
  graphs (the same number of graphs) only takes the new summaries graph.

Progress goes to standard error; the seconds of each step are printed at the end.
"""

from __future__ import annotations

import argparse
import io
import itertools
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kfgraph import summaries
from kfgraph.iris import IriMinter
from kfgraph.search import SearchIndex
from kfgraph.search.lifecycle import index_location
from kfgraph.settings import Settings
from kfgraph.store import open_store

RELEASE_PATH = "id/release/"


def copied_lines(source: Path, copies: int, base: str) -> Iterator[str]:
    """N-Quads lines: every quad of every named graph (release graphs ``copies`` times), and its triple.

    The embedded store's default graph is the merge of its named graphs (``store/oxigraph.py``), so
    each quad written to a named graph is also written as a triple of the default graph (the store
    keeps it once). The source's own default graph is not read; its summaries graph is left out.
    """
    release_prefix = f"{base}{RELEASE_PATH}"
    summaries_graph = f"{base}graph/{summaries.GRAPH}"
    store = ox.Store.read_only(str(source))
    for number, quad in enumerate(store.quads_for_pattern(None, None, None, None), start=1):
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode) or graph.value == summaries_graph:
            continue
        line, triple = f"{quad} .\n", f"{quad.triple} .\n"
        yield line
        yield triple
        if graph.value.startswith(release_prefix):
            identifier = graph.value[len(release_prefix):]
            for k in range(1, copies):
                yield line.replace(identifier, f"{identifier}-c{k}")
                yield triple.replace(identifier, f"{identifier}-c{k}")
        if number % 1_000_000 == 0:
            print(f"  {number:,} source quads read", file=sys.stderr, flush=True)


class LineStream(io.RawIOBase):
    """A binary stream over text lines, for ``bulk_load``: nothing is written to disk first."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while len(self.pending) < len(buffer):
            chunk = "".join(itertools.islice(self.lines, 4096))
            if not chunk:
                break
            self.pending += chunk.encode("utf-8")
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


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
        step = time.perf_counter()
        store = open_store(args.target)
        stream = io.BufferedReader(LineStream(copied_lines(args.source, args.copies, args.base)), 1 << 20)
        store.inner.bulk_load(stream, format=ox.RdfFormat.N_QUADS)
        seconds["copy and bulk load"] = time.perf_counter() - step
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
            graphs = sum(1 for g in store.inner.named_graphs() if isinstance(g, ox.NamedNode))
            if index.is_usable() and index.graph_count() == graphs:  # the release graphs are as indexed
                index.replace_graphs([cube])
            else:
                index.rebuild(store)
        finally:
            index.close()
        seconds["search index"] = time.perf_counter() - step
        print(f"search index: {graphs:,} graphs", file=sys.stderr)
    finally:
        store.close()
    print(", ".join(f"{name} {value:.0f} s" for name, value in seconds.items()))


if __name__ == "__main__":
    main()
