"""Store backends benchmark: `kfgraph build` into, and the six analyst queries through `kfgraph serve` on,
the embedded Oxigraph store, Virtuoso and `oxigraph serve`, beside each engine queried directly.

    python bench/backends.py                   # 10k releases (bench/corpora/10k, made by bench/ingest.py)
    python bench/backends.py --size 1000 --runs 3
    python bench/backends.py --size 100000 --backends virtuoso --work bench/out/backends   # keep the stores
    python bench/backends.py --size 100000 --backends virtuoso --work bench/out/backends --reuse   # queries only
    python bench/backends.py ... --reuse --queries d --runs 1 --warmups 0   # one slow query, timed once

For each backend: `kfgraph build CORPUS --store S` (timed: releases per second),
then `kfgraph serve --store S` on a loopback port; each query of
bench/queries/*.rq is sent (POST form) once to warm up, then --runs times (median) to
kfgraph's /sparql and to the engine's own endpoint (Virtuoso /sparql;
`oxigraph serve` /query, whose default graph kfgraph keeps as the merge of its graphs). Engines are started by
tests/sparql_engines.py (Virtuoso with a generated ini, NumberOfBuffers from
--virtuoso-buffers) and stopped afterwards; one backend runs at a time.
With --work the stores live in that folder and are kept (else in a temporary one);
--reuse then skips the build and queries the stores built by an earlier run.
Every query may run --query-timeout seconds, through kfgraph and on the engine (the
tests' Virtuoso limit of 10 s is too short for aggregates at 100k). `kfgraph serve` gets up to --ready-limit seconds to answer its first query (a freshly
loaded engine may still be writing its checkpoint); the wait is reported.
Results go to stdout and, unless --no-write, are appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(BENCH))

from sparql_engines import Engine, free_port, start_oxigraph, start_virtuoso  # noqa: E402

import machine  # noqa: E402

QUERIES = sorted((BENCH / "queries").glob("*.rq"))
ACCEPT = "application/sparql-results+json"
BACKENDS = ("embedded", "virtuoso", "oxigraph-server")


def kfgraph_command() -> list[str]:
    found = shutil.which("kfgraph") or str(Path(sys.executable).parent / "kfgraph")
    return [found]


def timed_query(url: str, query: str, *, auth: httpx.Auth | None, params: dict[str, str] | None = None,
                timeout: float = 120.0) -> tuple[float, int]:
    started = time.perf_counter()
    # A form POST: Virtuoso 7 does not read an application/sparql-query body.
    response = httpx.post(url, data={"query": query}, params=params, auth=auth, timeout=timeout,
                          headers={"Accept": ACCEPT})
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}: {response.text[:300]}")
    payload = response.json()
    return seconds, len(payload["results"]["bindings"]) if "results" in payload else 1


def median_ms(url: str, query: str, runs: int, warmups: int = 1, **options: object) -> tuple[float, int]:
    for _ in range(warmups):
        timed_query(url, query, **options)  # type: ignore[arg-type]
    times, rows = [], 0
    for _ in range(runs):
        seconds, rows = timed_query(url, query, **options)  # type: ignore[arg-type]
        times.append(seconds)
    return statistics.median(times) * 1000, rows


def wait_ready(url: str, limit: float) -> float:
    """Seconds until ``url`` answers ``ASK {}``; raises after ``limit`` seconds."""
    started = time.monotonic()
    while True:
        try:
            timed_query(url, "ASK {}", auth=None, timeout=limit)
            return time.monotonic() - started
        except (httpx.HTTPError, RuntimeError):
            if time.monotonic() - started > limit:
                raise
            time.sleep(0.3)


def run_backend(name: str, corpus: Path, work: Path, runs: int, buffers: int, *, reuse: bool,
                ready_limit: float, query_timeout: float, queries: list[Path], warmups: int) -> dict[str, object]:
    engine: Engine | None = None
    env = {k: v for k, v in os.environ.items() if not k.startswith("KFGRAPH_")}
    env["KFGRAPH_QUERY_TIMEOUT"] = str(query_timeout)
    if name == "virtuoso":
        engine = start_virtuoso(work / "virtuoso", buffers=buffers, query_seconds=int(query_timeout),
                                start_seconds=ready_limit)
    elif name == "oxigraph-server":
        engine = start_oxigraph(work / "oxigraph")
    store = str(work / "store") if engine is None else engine.store_url
    if engine is not None and engine.user:
        env.update(KFGRAPH_STORE_USER=engine.user, KFGRAPH_STORE_PASSWORD=engine.password)
    try:
        build_seconds: float | None = None
        if not reuse:
            started = time.perf_counter()
            subprocess.run([*kfgraph_command(), "build", str(corpus), "--store", store,
                            "--report", str(work / f"{name}-report.json")], env=env, check=False,
                           stdout=subprocess.DEVNULL)
            build_seconds = time.perf_counter() - started
        port = free_port()
        server = subprocess.Popen([*kfgraph_command(), "serve", "--store", store, "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            kfgraph_url = f"http://127.0.0.1:{port}/sparql"
            ready_seconds = wait_ready(kfgraph_url, ready_limit)
            print(f"{name:16} kfgraph serve answered its first query after {ready_seconds:.1f} s", flush=True)
            results: dict[str, tuple[float, float | None, int]] = {}
            for path in queries:
                query = path.read_text(encoding="utf-8")
                through, rows = median_ms(kfgraph_url, query, runs, warmups, auth=None, timeout=query_timeout + 30)
                direct: float | None = None
                if engine is not None:
                    # kfgraph keeps the merge of its graphs in oxigraph's default graph: no union parameter
                    direct, _ = median_ms(engine.query_url, query, runs, warmups, auth=None, timeout=query_timeout + 30)
                results[path.stem] = (through, direct, rows)
                print(f"{name:16} {path.stem:30} kfgraph {through:9.1f} ms  direct "
                      f"{'-' if direct is None else f'{direct:9.1f} ms'}  rows {rows}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if engine is not None:
            engine.stop(wait=600)  # a large store writes its checkpoint on shutdown
    return {"build_seconds": build_seconds, "ready_seconds": ready_seconds, "queries": results}


def report(size: int, runs: int, warmups: int, outcomes: dict[str, dict[str, object]], queries: list[Path]) -> str:
    lines = [f"Synthetic corpus of {size:,} releases (bench/corpora), {runs} timed runs per query after {warmups} warm-up(s); "
             "median latency in ms, `kfgraph serve` /sparql vs the engine's own endpoint (same query, same data). "
             "Engines run one at a time on loopback.", "",
             "| query | " + " | ".join(f"{b} via kfgraph | {b} direct" for b in BACKENDS if b in outcomes) + " |",
             "|---|" + "---|---|" * len(outcomes)]
    for path in queries:
        cells = []
        for backend in BACKENDS:
            if backend not in outcomes:
                continue
            through, direct, _ = outcomes[backend]["queries"][path.stem]  # type: ignore[index]
            ratio = f" ({through / direct:.2f}×)" if direct else ""
            cells.append(f"{through:,.1f}{ratio} | " + ("–" if direct is None else f"{direct:,.1f}"))
        lines.append(f"| {path.stem} | " + " | ".join(cells) + " |")
    lines += ["", "| backend | build seconds | releases/s | first answer of `kfgraph serve` after |", "|---|---|---|---|"]
    for backend in BACKENDS:
        if backend in outcomes:
            build = outcomes[backend]["build_seconds"]
            ready = float(outcomes[backend]["ready_seconds"])  # type: ignore[arg-type]
            built = "not rebuilt (--reuse) | –" if build is None else f"{build:,.1f} | {size / float(build):,.0f}"  # type: ignore[arg-type]
            lines.append(f"| {backend} | {built} | {ready:,.1f} s |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--virtuoso-buffers", type=int, default=100_000, help="NumberOfBuffers (8 KB pages)")
    parser.add_argument("--work", type=Path, help="keep the stores in this folder (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="query the stores already in --work; no build")
    parser.add_argument("--ready-limit", type=float, default=1800.0,
                        help="seconds kfgraph serve may take to answer its first query")
    parser.add_argument("--query-timeout", type=float, default=300.0,
                        help="seconds a query may run: kfgraph's KFGRAPH_QUERY_TIMEOUT and Virtuoso's MaxQueryExecutionTime")
    parser.add_argument("--warmups", type=int, default=1, help="untimed runs of each query before the timed ones")
    parser.add_argument("--queries", help="comma-separated query names or letters (default: all of bench/queries)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    label = f"{args.size // 1000}k" if args.size >= 1000 else str(args.size)
    corpus = BENCH / "corpora" / label
    if not corpus.is_dir():
        print(f"no corpus at {corpus}: run bench/ingest.py (or bench/synth.py) first", file=sys.stderr)
        return 2
    if args.reuse and args.work is None:
        parser.error("--reuse needs --work (the folder of an earlier run)")
    chosen = args.queries.split(",") if args.queries else None
    queries = [q for q in QUERIES if chosen is None or q.stem in chosen or q.stem.split("-")[0] in chosen]
    outcomes = {}
    with tempfile.TemporaryDirectory(prefix="kfgraph-backends-") as tmp:
        base = (args.work / label) if args.work else Path(tmp)
        for name in args.backends.split(","):
            outcomes[name] = run_backend(name, corpus, base / name, args.runs, args.virtuoso_buffers,
                                         reuse=args.reuse, ready_limit=args.ready_limit,
                                         query_timeout=args.query_timeout, queries=queries,
                                         warmups=args.warmups)
    text = report(args.size, args.runs, args.warmups, outcomes, queries)
    print(text)
    if not args.no_write:
        stamp = time.strftime("%Y-%m-%d %H:%M")
        with (BENCH / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write(f"\n## Store backends, {args.size:,} releases, {stamp}\n\n{machine.describe()}\n\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
