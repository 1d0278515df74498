"""Endpoint benchmark: `kfgraph serve` against `oxigraph serve` and rdflib-endpoint.

    python bench/endpoint.py                       # 1k and 10k releases
    python bench/endpoint.py --full                # also 100k
    python bench/endpoint.py --sizes 1000 --runs 5 --duration 3    # a quick look

For each size, a store is built once from the synthetic corpus (bench/synth.py,
seed 1) with `kfgraph build` into bench/out/stores/<size> and exported with
`kfgraph export --format nquads`; the N-Quads file is loaded into an Oxigraph
database (`oxigraph load`) and, in memory, into rdflib-endpoint. Those are
reused by later runs (delete bench/out/ to rebuild).

Servers are started one at a time on 127.0.0.1 (so they never compete for the
CPUs) and stopped afterwards:

- kfgraph:  `kfgraph serve --store S --port P`, endpoint /sparql;
- oxigraph: `oxigraph serve-read-only --location D --bind 127.0.0.1:P
  --union-default-graph`, endpoint /query (union default graph, as kfgraph);
- rdflib:   `rdflib-endpoint serve F --host 127.0.0.1 --port P`, endpoint /
  (an rdflib Dataset with default_union=True).

Each of the six queries in bench/queries/*.rq is sent as POST
`application/sparql-query` with `Accept: application/sparql-results+json`:
warm-up requests, then up to --runs sequential requests (stopped after
--query-cap seconds) for the median latency, then --clients concurrent clients
(threads with their own keep-alive connection) for --duration seconds for the
throughput. Every request has a --request-timeout; a query that times out is
not retried on that server. Results go to stdout and, unless --no-write, to
bench/RESULTS.md with the machine description.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

if __package__:
    from . import ingest, machine
else:
    import ingest  # type: ignore[no-redef]
    import machine  # type: ignore[no-redef]

BENCH = Path(__file__).resolve().parent
QUERIES = BENCH / "queries"
BENCH_VENV = Path(os.environ.get("KFGRAPH_BENCH_VENV", BENCH.parent.parent / "bench-venv")) / "bin"  # oxigraph, rdflib-endpoint
SERVERS = ("kfgraph", "oxigraph", "rdflib")
JOIN_AND_AGGREGATE = ("b", "c", "d", "f")  # query letters the 10x-vs-rdflib target applies to
ACCEPT = "application/sparql-results+json"


@dataclass
class Measure:
    latencies: list[float] = field(default_factory=list)
    rows: int | None = None
    error: str | None = None
    throughput: float | None = None
    failed: int = 0

    @property
    def median(self) -> float | None:
        return statistics.median(self.latencies) if self.latencies else None


@dataclass
class ServerRun:
    name: str
    startup: float | None = None
    rss_mib: float | None = None
    skipped: str | None = None
    by_query: dict[str, Measure] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_queries(folder: Path = QUERIES) -> dict[str, tuple[str, str]]:
    """{"a": (title, text), ...} from the .rq files, ordered by name."""
    out = {}
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                      if line.startswith("# title:")), path.stem)
        out[path.stem.split("-", 1)[0]] = (title, text)
    return out


def _tool(name: str, given: str | None) -> str:
    if given:
        return given
    for candidate in (BENCH_VENV / name, Path(sys.executable).with_name(name)):
        if candidate.exists():
            return str(candidate)
    return shutil.which(name) or name


# --- data preparation -----------------------------------------------------

def _run(cmd: list[str], timeout: float) -> None:
    print("$ " + " ".join(cmd), file=sys.stderr)
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout, check=False)
    if done.returncode not in (0, 1) or (done.returncode == 1 and "build" not in cmd):
        raise RuntimeError(f"{cmd[0]} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")


def dataset_quads(count: int, nq: Path, args: argparse.Namespace) -> int:
    """Quads of the exported dataset: lines of the N-Quads file, or (once it was deleted to save
    disk, e.g. at 100k where rdflib-endpoint does not run) the triples the build report counted."""
    if nq.exists():
        with nq.open("rb") as lines:
            return sum(1 for _ in lines)
    report = json.loads((args.out / "stores" / f"{ingest._label(count)}-report.json").read_text(encoding="utf-8"))
    return int(report["triples"]) + int(report.get("shared_triples", 0))


def prepare(count: int, args: argparse.Namespace) -> tuple[Path, Path, Path]:
    """(kfgraph store, N-Quads file, oxigraph database) for ``count`` releases, each made once.

    A store kept by ``bench/ingest.py --keep-stores`` is reused.
    """
    label = ingest._label(count)
    stores = args.out / "stores"
    store, nq, oxi = stores / label, args.out / f"{label}.nq", args.out / "oxigraph" / label
    built, exported, loaded = (stores / f"{label}.{step}" for step in ("built", "exported", "loaded"))
    stores.mkdir(parents=True, exist_ok=True)
    if not built.exists():
        corpus = ingest.ensure_corpus(count, 1, args.corpora)
        shutil.rmtree(store, ignore_errors=True)
        exported.unlink(missing_ok=True)
        _run([args.kfgraph, "build", str(corpus), "--store", str(store),
              "--report", str(stores / f"{label}-report.json")], args.prepare_timeout)
        built.write_text("ok\n")
    if not exported.exists():
        loaded.unlink(missing_ok=True)
        _run([args.kfgraph, "export", "--store", str(store), "--format", "nquads", "-o", str(nq)],
             args.prepare_timeout)
        exported.write_text("ok\n")
    if not loaded.exists():
        shutil.rmtree(oxi, ignore_errors=True)
        oxi.parent.mkdir(parents=True, exist_ok=True)
        _run([args.oxigraph, "load", "--location", str(oxi), "--file", str(nq)], args.prepare_timeout)
        loaded.write_text("ok\n")
    return store, nq, oxi


# --- servers ----------------------------------------------------------------

def _command(name: str, port: int, store: Path, nq: Path, oxi: Path, args: argparse.Namespace) -> tuple[list[str], str]:
    if name == "kfgraph":
        return ([args.kfgraph, "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)],
                f"http://127.0.0.1:{port}/sparql")
    if name == "oxigraph":
        return ([args.oxigraph, "serve-read-only", "--location", str(oxi), "--bind", f"127.0.0.1:{port}",
                 "--union-default-graph", "--timeout-s", str(int(args.request_timeout))],
                f"http://127.0.0.1:{port}/query")
    return ([args.rdflib_endpoint, "serve", str(nq), "--host", "127.0.0.1", "--port", str(port)],
            f"http://127.0.0.1:{port}/")


def _wait_ready(proc: subprocess.Popen[bytes], url: str, limit: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            r = httpx.post(url, content="ASK { ?s ?p ?o }", timeout=5,
                           headers={"Content-Type": "application/sparql-query", "Accept": ACCEPT})
            if r.status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"not ready after {limit:.0f} s")


def _drain(url: str, limit: float) -> bool:
    """Wait until the server answers a trivial ASK again (requests left over from a load phase)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        try:
            r = httpx.post(url, content="ASK { }", timeout=5,
                           headers={"Content-Type": "application/sparql-query", "Accept": ACCEPT})
            if r.status_code == 200:
                return True
        except httpx.HTTPError:
            pass
    return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# --- measuring --------------------------------------------------------------

def _post(client: httpx.Client, url: str, query: str) -> httpx.Response:
    return client.post(url, content=query.encode("utf-8"),
                       headers={"Content-Type": "application/sparql-query", "Accept": ACCEPT})


def latency(url: str, query: str, args: argparse.Namespace) -> Measure:
    m = Measure()
    with httpx.Client(timeout=args.request_timeout) as client:
        started = time.perf_counter()
        warmups = args.warmup
        i = -1
        while len(m.latencies) < args.runs:
            i += 1
            t0 = time.perf_counter()
            try:
                r = _post(client, url, query)
                body = r.content
            except httpx.TimeoutException:
                m.error = f"timeout > {args.request_timeout:.0f} s"
                return m
            took = time.perf_counter() - t0
            if r.status_code != 200:
                m.error = f"HTTP {r.status_code}: {body[:200]!r}"
                return m
            if m.rows is None:
                try:
                    m.rows = len(json.loads(body)["results"]["bindings"])
                except (ValueError, KeyError) as exc:  # e.g. a stream cut by a server-side timeout
                    m.error = f"bad JSON after {took:.1f} s: {exc}"
                    return m
            if i >= warmups:
                m.latencies.append(took)
            elif took > args.query_cap / 4:  # a slow server: stop warming up, start measuring
                warmups = i + 1
            if time.perf_counter() - started > args.query_cap and m.latencies:
                break
    return m


def throughput(url: str, query: str, m: Measure, args: argparse.Namespace) -> None:
    ok = [0] * args.clients
    bad = [0] * args.clients
    deadline = time.perf_counter() + args.duration

    def client_loop(k: int) -> None:
        with httpx.Client(timeout=args.request_timeout) as client:
            while time.perf_counter() < deadline:
                try:
                    r = _post(client, url, query)
                    _ = r.content
                    if r.status_code == 200:
                        ok[k] += 1
                    else:
                        bad[k] += 1
                except httpx.HTTPError:
                    bad[k] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(k,), daemon=True) for k in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.duration + args.request_timeout + 5)
    m.throughput = sum(ok) / (time.perf_counter() - started)
    m.failed = sum(bad)


def _start(name: str, count: int, data: tuple[Path, Path, Path], args: argparse.Namespace
           ) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    cmd, url = _command(name, port, *data, args)
    print(f"[{ingest._label(count)}] starting {name}: {' '.join(cmd)}", file=sys.stderr)
    # the same time limit for every server: oxigraph gets --timeout-s, kfgraph its query timeout
    env = {**os.environ, "KFGRAPH_QUERY_TIMEOUT": str(args.request_timeout)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        return proc, url, _wait_ready(proc, url, args.start_timeout)
    except BaseException:
        _stop(proc)
        raise


def server_args(name: str, args: argparse.Namespace) -> argparse.Namespace:
    """rdflib-endpoint gets its own (smaller) run count and warm-ups: it takes seconds per query."""
    if name != "rdflib":
        return args
    return argparse.Namespace(**{**vars(args), "runs": args.rdflib_runs, "warmup": args.rdflib_warmup})


def bench_server(name: str, count: int, data: tuple[Path, Path, Path], queries: dict[str, tuple[str, str]],
                 args: argparse.Namespace) -> ServerRun:
    run = ServerRun(name)
    if name == "rdflib" and count > args.rdflib_max:
        run.skipped = f"skipped above {args.rdflib_max:,} releases (--rdflib-max): in-memory load too slow/large"
        return run
    args = server_args(name, args)
    began = time.perf_counter()
    try:
        proc, url, run.startup = _start(name, count, data, args)
    except (RuntimeError, TimeoutError) as exc:
        run.skipped = f"did not start: {exc}"
        return run
    notes = []
    try:
        run.rss_mib = ingest.tree_rss_kib(proc.pid) / 1024
        for key, (_, text) in queries.items():
            if time.perf_counter() - began > args.server_budget:
                notes.append(f"time budget ({args.server_budget:.0f} s) spent before query {key}")
                break
            m = latency(url, text, args)
            if m.error is None and args.duration > 0 and m.median is not None:
                if m.median * 2 > args.duration:
                    m.error = f"throughput not measured: median > {args.duration / 2:.0f} s"
                else:
                    throughput(url, text, m, args)
            run.by_query[key] = m
            med = f"{m.median * 1000:.1f} ms" if m.median is not None else m.error
            tp = f"{m.throughput:.1f}/s" if m.throughput is not None else "-"
            print(f"[{ingest._label(count)}] {name} {key}: median {med}, rows {m.rows}, throughput {tp}",
                  file=sys.stderr)
            run.rss_mib = max(run.rss_mib, ingest.tree_rss_kib(proc.pid) / 1024)
            if not _drain(url, args.drain_timeout):  # still working on a timed-out request: restart
                notes.append(f"restarted after {key} (still busy {args.drain_timeout:.0f} s later)")
                _stop(proc)
                try:
                    proc, url, _ = _start(name, count, data, args)
                except (RuntimeError, TimeoutError) as exc:
                    notes.append(f"did not restart: {exc}")
                    break
    finally:
        _stop(proc)
    run.skipped = "; ".join(notes) or None
    return run


def save_run(run: ServerRun, count: int, out: Path) -> None:
    folder = out / "results"
    folder.mkdir(parents=True, exist_ok=True)
    data = {"name": run.name, "startup": run.startup, "rss_mib": run.rss_mib, "skipped": run.skipped,
            "when": time.strftime("%Y-%m-%d %H:%M"),
            "by_query": {k: vars(m) for k, m in run.by_query.items()}}
    (folder / f"{ingest._label(count)}-{run.name}.json").write_text(json.dumps(data, indent=1))


def load_run(name: str, count: int, out: Path) -> ServerRun | None:
    path = out / "results" / f"{ingest._label(count)}-{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text())
    note = f"measured in an earlier run ({data['when']})"
    run = ServerRun(name, data["startup"], data["rss_mib"],
                    "; ".join(x for x in (data["skipped"], note) if x))
    run.by_query = {k: Measure(**m) for k, m in data["by_query"].items()}
    return run


# --- reporting --------------------------------------------------------------

def _ms(m: Measure | None) -> str:
    if m is None:
        return "–"
    if m.median is None:
        return f"error ({m.error})" if m.error else "–"
    return f"{m.median * 1000:.1f}" + (f" ({m.error})" if m.error else "")


def _tp(m: Measure | None) -> str:
    if m is None or m.throughput is None:
        return "–"
    return f"{m.throughput:.1f}" + (f" ({m.failed} failed)" if m.failed else "")


def _ratio(a: Measure | None, b: Measure | None) -> str:
    if a is None or b is None or a.median is None or b.median is None or b.median == 0:
        return "–"
    return f"{a.median / b.median:.2f}"


def report(count: int, runs: dict[str, ServerRun], queries: dict[str, tuple[str, str]],
           args: argparse.Namespace) -> str:
    def q(server: str, key: str) -> Measure | None:
        return runs[server].by_query.get(key) if server in runs else None

    lines = [f"### {count:,} releases", "",
             "| query | kfgraph ms | oxigraph ms | rdflib ms | kfgraph/oxigraph | rdflib/kfgraph "
             "| rows k/o/r | kfgraph q/s | oxigraph q/s | rdflib q/s | q/s kfgraph/oxigraph |",
             "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    misses = []
    for key, (title, _) in queries.items():
        k, o, r = q("kfgraph", key), q("oxigraph", key), q("rdflib", key)
        tps = [m.throughput if m and m.throughput is not None else None for m in (k, o, r)]
        tp_ratio = f"{tps[0] / tps[1]:.2f}" if tps[0] is not None and tps[1] else "–"
        rows = "/".join(str(m.rows) if m and m.rows is not None else "–" for m in (k, o, r))
        lines.append(f"| {key}: {title} | {_ms(k)} | {_ms(o)} | {_ms(r)} | {_ratio(k, o)} | {_ratio(r, k)} "
                     f"| {rows} | " + " | ".join(_tp(m) for m in (k, o, r))
                     + f" | {tp_ratio} |")
        if k and o and k.median and o.median and k.median > 1.5 * o.median:
            misses.append(f"{key}: latency {k.median / o.median:.2f}× oxigraph (target ≤ 1.5×)")
        if key in JOIN_AND_AGGREGATE and k and r and k.median and r.median and r.median < 10 * k.median:
            misses.append(f"{key}: rdflib only {r.median / k.median:.1f}× slower (target ≥ 10×)")
        if tps[0] is not None and tps[1] and tps[0] < 0.7 * tps[1]:
            misses.append(f"{key}: throughput {tps[0] / tps[1]:.2f}× oxigraph (target ≥ 0.7×)")
    lines += ["", "| server | startup s | RSS MiB | note |", "|---|---:|---:|---|"]
    for name, run in runs.items():
        lines.append(f"| {name} | {run.startup:.1f} | {run.rss_mib:.0f} | {run.skipped or ''} |"
                     if run.startup is not None and run.rss_mib is not None
                     else f"| {name} | – | – | {run.skipped or ''} |")
    lines += ["", "Targets missed: " + ("; ".join(misses) if misses else "none (of those measurable here).")]
    return "\n".join(lines)


def versions(args: argparse.Namespace) -> dict[str, str]:
    out = {}
    for name, cmd in (("oxigraph", [args.oxigraph, "--version"]),):
        try:
            out[name] = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.split()[-1]
        except (OSError, subprocess.SubprocessError, IndexError):
            out[name] = "unknown"
    py = Path(args.rdflib_endpoint).with_name("python")
    try:
        out["rdflib-endpoint"] = subprocess.run(
            [str(py), "-c", "from importlib.metadata import version as v; print(v('rdflib-endpoint'), v('rdflib'))"],
            capture_output=True, text=True, timeout=20).stdout.strip().replace(" ", " (rdflib ") + ")"
    except (OSError, subprocess.SubprocessError):
        out["rdflib-endpoint"] = "unknown"
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    p.add_argument("--full", action="store_true", help="also 100k releases")
    p.add_argument("--servers", nargs="+", choices=SERVERS, default=list(SERVERS))
    p.add_argument("--runs", type=int, default=20, help="sequential requests per query for the median")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--query-cap", type=float, default=60.0, help="seconds of sequential runs per query")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--duration", type=float, default=10.0, help="seconds of concurrent load per query (0: skip)")
    p.add_argument("--request-timeout", type=float, default=60.0)
    p.add_argument("--start-timeout", type=float, default=900.0, help="seconds for a server to load and answer")
    p.add_argument("--prepare-timeout", type=float, default=7200.0)
    p.add_argument("--rdflib-max", type=int, default=10_000, help="largest size rdflib-endpoint is tried at")
    p.add_argument("--rdflib-runs", type=int, default=3, help="sequential requests per query for rdflib-endpoint")
    p.add_argument("--rdflib-warmup", type=int, default=1)
    p.add_argument("--drain-timeout", type=float, default=90.0,
                   help="seconds to wait for a server to finish left-over work before restarting it")
    p.add_argument("--server-budget", type=float, default=1200.0, help="seconds per server and size")
    p.add_argument("--kfgraph", default=None)
    p.add_argument("--oxigraph", default=None)
    p.add_argument("--rdflib-endpoint", dest="rdflib_endpoint", default=None)
    p.add_argument("--corpora", type=Path, default=BENCH / "corpora")
    p.add_argument("--out", type=Path, default=BENCH / "out")
    p.add_argument("--no-write", action="store_true")
    args = p.parse_args(argv)
    args.kfgraph = args.kfgraph or shutil.which("kfgraph") or str(Path(sys.executable).with_name("kfgraph"))
    args.oxigraph = _tool("oxigraph", args.oxigraph)
    args.rdflib_endpoint = _tool("rdflib-endpoint", args.rdflib_endpoint)
    sizes = sorted(set(args.sizes + ([100_000] if args.full else [])))
    queries = load_queries()
    if len(queries) != 6:
        p.error(f"expected six queries in {QUERIES}, found {len(queries)}")

    for count in sizes:
        data = prepare(count, args)
        quads = dataset_quads(count, data[1], args)
        runs: dict[str, ServerRun] = {}
        for name in SERVERS:
            if name in args.servers:
                runs[name] = bench_server(name, count, data, queries, args)
                save_run(runs[name], count, args.out)
            elif (earlier := load_run(name, count, args.out)) is not None:
                runs[name] = earlier
        text = report(count, runs, queries, args) + f"\n\nDataset: {quads:,} quads."
        print(text + "\n")
        if not args.no_write:
            body = (f"Median latency of up to {args.runs} sequential POSTs ({args.rdflib_runs} for rdflib) after "
                    f"{args.warmup} warm-ups ({args.rdflib_warmup} for rdflib), capped at {args.query_cap:.0f} s per "
                    f"query; throughput with {args.clients} concurrent clients for {args.duration:.0f} s (not "
                    f"measured when the median exceeds half of that); request timeout {args.request_timeout:.0f} s. "
                    f"Servers run one at a time on 127.0.0.1; the load generator runs on the same 2 CPUs. "
                    f"Rows k/o/r = result rows from kfgraph/oxigraph/rdflib (they should agree).\n\n{text}"
                    f"\n\nMachine:\n\n{machine.describe(versions(args))}\n")
            machine.append_results(f"Endpoint, {count:,} releases, {time.strftime('%Y-%m-%d %H:%M')}", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
