"""CPU time the search index's writes cost a build, per release: N release graphs of a store, indexed as a build does.

    python bench/index_writes.py --store bench/out/store-10k --count 1000

Reads ``--count`` release graphs of a built store into memory as N-Triples
(what a build hands the index after each store write), then times
``SearchIndex.replace_graphs`` on them in groups of 200 into a fresh
in-memory index, and prints the process CPU milliseconds per release. To
compare two versions of the code, run it with each on ``PYTHONPATH``, in
turn, several times.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import pyoxigraph as ox

from kfgraph.search import SearchIndex
from kfgraph.store.base import GraphUpdate


def release_updates(store_path: Path, count: int) -> list[GraphUpdate]:
    store = ox.Store.read_only(str(store_path))
    graphs = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and "/id/release/" in g.value]
    updates = []
    for graph in graphs[:count]:
        buffer = io.BytesIO()
        store.dump(buffer, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        updates.append(GraphUpdate(graph, buffer.getvalue().decode("utf-8")))
    return updates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="a store made by kfgraph build")
    parser.add_argument("--count", type=int, default=1000, help="release graphs to index")
    args = parser.parse_args()
    updates = release_updates(args.store, args.count)
    index = SearchIndex(None)
    started = time.process_time()
    for start in range(0, len(updates), 200):
        index.replace_graphs(updates[start:start + 200])
    print(f"{(time.process_time() - started) * 1000 / len(updates):.2f} ms CPU per release ({len(updates)} releases)")


if __name__ == "__main__":
    main()
