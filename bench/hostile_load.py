"""Load and fault benchmark: many polite clients, a few runaway ones, and workers killed while idle.

    python bench/hostile_load.py                      # 32 clients (4 runaway) for 60 s on 1k releases
    python bench/hostile_load.py --duration 20 --no-write    # a quick look

A store of 1k synthetic releases is built once (bench/synth.py, seed 1, as bench/endpoint.py
does) and served by a real `kfgraph serve` subprocess on 127.0.0.1 with its default settings.
Each client has a loopback address of its own (127.0.0.2, 127.0.0.3, ...), so the server tells
them apart as it would tell real clients apart.

* Polite clients (``--clients`` minus ``--runaways``) loop over mixed reads, with ``--think``
  seconds between requests: small SPARQL queries (SELECT, ASK, CONSTRUCT, a release's headline)
  and linked-data pages (a release, its Turtle, the query page).
* Runaway clients loop on a cartesian product that would run for hours; each is stopped by the
  server (503 at the time limit, or when it holds a place another client waits for).
* Faults: every ``--kill-every`` seconds one *idle* query worker (sleeping, as /proc says) is
  killed with SIGKILL; a dead idle worker must cost no request an error.

Reported: every status by client kind, the polite clients' 5xx (must be 0), small-query and page
latency percentiles (small-query p99 must be under 500 ms), and the resident memory of the
server with all its worker processes before the load (after ``--warm-up`` seconds of the
polite mix alone, so the store's caches are as warm as they will be) and 10 s after it (must
be back within 10 %). The figures are appended to bench/RESULTS.md with the machine description;
note what else ran on the machine meanwhile (its load average is recorded).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import ingest  # noqa: E402
from endpoint import free_port  # noqa: E402
from machine import append_results, describe  # noqa: E402

PREFIXES = "PREFIX kf: <http://localhost:8000/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
SMALL = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5",
    "ASK { ?s a ?type }",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <{release}> { ?s ?p ?o } }",
    "CONSTRUCT { <{release}> ?p ?o } WHERE { GRAPH <{release}> { <{release}> ?p ?o } }",
    "SELECT ?p ?o WHERE { <{release}> ?p ?o } LIMIT 20",
]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def tree_rss(pid: int, *, own_only: bool = False) -> int:
    """Resident memory (bytes) of ``pid`` and all its descendants (or of ``pid`` alone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        if not own_only:
            stack.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


def idle_workers(server: int) -> list[int]:
    """Query worker processes of the server that are asleep (waiting for a query)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == server and fields[0] == "S" and b"sparql.workers" in cmdline:
            found.append(int(entry))
    return found


class Tally:
    def __init__(self) -> None:
        self.statuses: Counter[tuple[str, str]] = Counter()
        self.latency: dict[str, list[float]] = {"small query": [], "page": []}
        self.errors: Counter[str] = Counter()


async def polite(index: int, url: str, releases: list[str], tally: Tally, stop: float, think: float) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{index + 2}")
    rng = random.Random(index)
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=120) as client:
        while time.monotonic() < stop:
            release = rng.choice(releases)
            if rng.random() < 0.7:
                kind = "small query"
                query = PREFIXES + rng.choice(SMALL).replace("{release}", release)
                request = client.post("/sparql", data={"query": query})
            else:
                kind = "page"
                path = rng.choice([release.split("8000", 1)[1], release.split("8000", 1)[1] + ".ttl", "/"])
                request = client.get(path)
            started = time.monotonic()
            try:
                response = await request
            except httpx.HTTPError as error:
                tally.errors[f"polite {type(error).__name__}"] += 1
                continue
            tally.latency[kind].append(time.monotonic() - started)
            tally.statuses[("polite", str(response.status_code))] += 1
            if response.status_code >= 500:
                tally.errors[f"polite {response.status_code} {response.text[:120]}"] += 1
            await asyncio.sleep(think)


async def runaway(index: int, url: str, tally: Tally, stop: float) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{index + 2}")
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=120) as client:
        while time.monotonic() < stop:
            try:
                response = await client.post("/sparql", data={"query": RUNAWAY})
            except httpx.HTTPError as error:
                tally.errors[f"runaway {type(error).__name__}"] += 1
                continue
            code = response.json().get("error", {}).get("code", "") if response.status_code >= 400 else ""
            tally.statuses[("runaway", f"{response.status_code} {code}".strip())] += 1


async def kill_idle_workers(server: int, every: float, stop: float, killed: list[int]) -> None:
    while time.monotonic() + every < stop:
        await asyncio.sleep(every)
        candidates = idle_workers(server)
        if candidates:
            victim = random.choice(candidates)
            try:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            except ProcessLookupError:
                pass


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--runaways", type=int, default=4)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.05, help="seconds a polite client waits between requests")
    parser.add_argument("--kill-every", type=float, default=10.0, help="seconds between idle-worker kills (0: none)")
    parser.add_argument("--warm-up", type=float, default=15.0, help="seconds of the polite mix alone before measuring")
    parser.add_argument("--releases", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--corpora", type=Path, default=BENCH / "corpora")
    parser.add_argument("--note", default="", help="what else ran on the machine (goes into RESULTS.md)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    kfgraph = str(Path(sys.executable).with_name("kfgraph"))
    store = args.out / "stores" / f"hostile-{ingest._label(args.releases)}"
    if not (store / "CURRENT").exists():
        corpus = ingest.ensure_corpus(args.releases, 1, args.corpora)
        subprocess.run([kfgraph, "build", str(corpus), "--store", str(store)], check=True, timeout=3600,
                       stdout=subprocess.DEVNULL)
    port = free_port()
    log_file = (args.out / "hostile_load-server.log").open("wb")  # never a pipe nobody reads: it would block the server
    server = subprocess.Popen([kfgraph, "serve", "--store", str(store), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=log_file)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("kfgraph serve did not start")
            time.sleep(0.2)
        found = httpx.post(url + "/sparql", data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 200"},
                           timeout=60).json()["results"]["bindings"]
        releases = [b["g"]["value"] for b in found if "/id/release/" in b["g"]["value"]]
        polite_count = args.clients - args.runaways

        async def warm_up(stop: float) -> None:  # the same polite mix, no runaway, no fault: caches fill
            await asyncio.gather(*(polite(i, url, releases, Tally(), stop, args.think) for i in range(polite_count)))

        asyncio.run(warm_up(time.monotonic() + args.warm_up))
        time.sleep(3)
        rss_before, server_before = tree_rss(server.pid), tree_rss(server.pid, own_only=True)
        load_before = os.getloadavg()
        tally, killed = Tally(), []
        stop = time.monotonic() + args.duration

        async def everything() -> None:
            tasks = [polite(i, url, releases, tally, stop, args.think) for i in range(polite_count)]
            tasks += [runaway(polite_count + i, url, tally, stop) for i in range(args.runaways)]
            if args.kill_every > 0:
                tasks.append(kill_idle_workers(server.pid, args.kill_every, stop, killed))
            await asyncio.gather(*tasks)

        asyncio.run(everything())
        time.sleep(10)
        after_started = time.monotonic()
        answers_after = [  # the server still answers
            httpx.post(url + "/sparql", data={"query": PREFIXES + query.replace("{release}", releases[0])},
                       timeout=600).status_code
            for query in SMALL
        ]
        after_seconds = time.monotonic() - after_started
        rss_after, server_after = tree_rss(server.pid), tree_rss(server.pid, own_only=True)
        load_after = os.getloadavg()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    polite_5xx = sum(n for (kind, status), n in tally.statuses.items() if kind == "polite" and status.startswith("5"))
    small, pages = tally.latency["small query"], tally.latency["page"]
    lines = [
        f"- {args.clients} clients ({args.runaways} runaway) for {args.duration:g} s, think time {args.think:g} s, "
        f"{args.releases} releases, default settings; {len(killed)} idle query workers killed (every {args.kill_every:g} s)",
        f"- load average before / after: {', '.join(f'{x:.1f}' for x in load_before)} / "
        f"{', '.join(f'{x:.1f}' for x in load_after)}" + (f"; also running: {args.note}" if args.note else ""),
        "- statuses: " + ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(tally.statuses.items())),
        f"- polite clients' 5xx: **{polite_5xx}**; transport errors (client timeout 120 s): {dict(tally.errors) or 'none'}",
        f"- after the load: {len(answers_after)} small queries answered {sorted(set(answers_after))} in {after_seconds:.1f} s",
        f"- small queries: {len(small)}, median {statistics.median(small) * 1000:.0f} ms, "
        f"p95 {percentile(small, 0.95) * 1000:.0f} ms, **p99 {percentile(small, 0.99) * 1000:.0f} ms**, "
        f"max {max(small) * 1000:.0f} ms" if small else "- small queries: none",
        f"- pages: {len(pages)}, median {statistics.median(pages) * 1000:.0f} ms, p99 {percentile(pages, 0.99) * 1000:.0f} ms"
        if pages else "- pages: none",
        f"- resident memory of server + workers: {rss_before / 2**20:.0f} MiB before, {rss_after / 2**20:.0f} MiB "
        f"10 s after (**{(rss_after / rss_before - 1) * 100:+.1f} %**); the server process alone "
        f"{server_before / 2**20:.0f} → {server_after / 2**20:.0f} MiB",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        append_results("Hostile load: polite and runaway clients, idle workers killed (bench/hostile_load.py)",
                       body + "\n\nMachine:\n\n" + describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
