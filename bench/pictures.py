"""Server time of the pictures: /map, organization pages with 1,000+ events, the events-per-type-per-year chart.

Also the pages whose descriptions grow with the corpus: the busiest person and
place, page 2 and the Turtle of the busiest organization, a release and an
event naming it (it is their neighbour), and /map's data read afresh.

    python bench/pictures.py --store bench/out/store-10k [--runs 15] [--no-write]

Builds nothing: give it a store made by ``kfgraph build`` (which also keeps the
summaries graph). Serves it with the real app on uvicorn on a free loopback port
and times sequential GET requests (after two warm-ups), reporting the median and
the 90th percentile of the time to the last byte, and, for ``/sparql``, the
query's own time from ``Server-Timing``. The events-per-type-per-year chart is
README question 07, which reads the summaries; the same count from the events
themselves is timed beside it, in the same run, for the ratio. Results are
appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import machine  # noqa: E402

from kfgraph.queries import examples  # noqa: E402
from kfgraph.settings import Settings  # noqa: E402
from kfgraph.store import open_store  # noqa: E402
from kfgraph.vocab import sparql_prologue  # noqa: E402
from kfgraph.web.app import create_app  # noqa: E402
from kfgraph.web.pages import maps  # noqa: E402
from kfgraph.web.server import background_server  # noqa: E402

RAW_EVENTS_PER_TYPE_AND_YEAR = sparql_prologue(("schema", "kfg", "skos")) + """
SELECT ?year ?type (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  ?release schema:mentions ?event ; schema:datePublished ?published .
  ?event a schema:Event ; kfg:eventType/skos:prefLabel ?type .
  BIND (YEAR(?published) AS ?year)
}
GROUP BY ?year ?type
ORDER BY ?year ?type
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def organizations_by_events(store_path: Path, base: str) -> list[tuple[str, int]]:
    """(organization path, events) from the summaries graph, most events first."""
    store = open_store(store_path, read_only=True)
    try:
        rows = store.query(sparql_prologue() + """SELECT ?a (SUM(?n) AS ?events) WHERE {
            ?o kfg:refActor ?a ; kfg:eventCount ?n . ?a a schema:Organization } GROUP BY ?a ORDER BY DESC(?events)""")
        return [("/" + row["a"].value.removeprefix(base), int(row["events"].value)) for row in rows]  # type: ignore[index]
    finally:
        store.close()


def busiest(store_path: Path, base: str, dimension: str, cls: str) -> tuple[str, int]:
    """(path, events) of the person or place with the most events, from the summaries graph."""
    store = open_store(store_path, read_only=True)
    try:
        rows = store.query(sparql_prologue() + f"""SELECT ?a (SUM(?n) AS ?events) WHERE {{
            ?o {dimension} ?a ; kfg:eventCount ?n . ?a a {cls} }} GROUP BY ?a ORDER BY DESC(?events) LIMIT 1""")
        row = next(iter(rows))
        return "/" + row["a"].value.removeprefix(base), int(row["events"].value)  # type: ignore[index]
    finally:
        store.close()


def newest_release_and_event(store_path: Path, base: str, organization: str) -> tuple[str, str]:
    """Paths of a release naming ``organization`` and of one of its events (pages with a hub as neighbour)."""
    store = open_store(store_path, read_only=True)
    try:
        row = next(iter(store.query(sparql_prologue() + f"""SELECT ?r ?e WHERE {{
            ?e sem:hasActor <{base}{organization.lstrip('/')}> ; prov:wasDerivedFrom ?r }} LIMIT 1""")))
        return "/" + row["r"].value.removeprefix(base), "/" + row["e"].value.removeprefix(base)  # type: ignore[index]
    finally:
        store.close()


def map_data_uncached(store_path: Path, base: str, runs: int) -> dict[str, float]:
    """Milliseconds of reading /map's data afresh (what a server does once as it starts), in-process."""
    store = open_store(store_path, read_only=True)
    try:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            maps.map_data(store, base)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        store.close()
    times.sort()
    return {"median": statistics.median(times), "p90": times[int(0.9 * (len(times) - 1))]}


def timed(client: httpx.Client, path: str, runs: int, headers: dict[str, str]) -> dict[str, float]:
    walls, queries = [], []
    for index in range(runs + 2):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        wall = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        if index < 2:
            continue
        walls.append(wall)
        match = re.search(r"query;dur=([\d.]+)", response.headers.get("Server-Timing", ""))
        if match:
            queries.append(float(match.group(1)))
    walls.sort()
    result = {"median": statistics.median(walls), "p90": walls[int(0.9 * (len(walls) - 1))], "bytes": len(response.content)}
    if queries:
        result["query"] = statistics.median(queries)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="a store built by kfgraph build")
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page (after 2 warm-ups)")
    parser.add_argument("--raw-runs", type=int, default=3, help="timed requests of the count from the events")
    parser.add_argument("--label", default=None, help="corpus label for the results (default: the store's name)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()

    settings = Settings(store=args.store, query_timeout=600.0)
    organizations = organizations_by_events(args.store, settings.base_iri)
    hub = organizations[0]
    thousand = min((o for o in organizations if o[1] >= 1000), key=lambda o: o[1], default=hub)
    person = busiest(args.store, settings.base_iri, "kfg:refActor", "schema:Person")
    place = busiest(args.store, settings.base_iri, "kfg:refPlace", "schema:Place")
    release, event = newest_release_and_event(args.store, settings.base_iri, hub[0])
    chart = next(e for e in examples() if e.name == "07-events-per-type-and-year").text
    html = {"Accept": "text/html"}
    pages = [
        ("/map (data read as the server starts)", "/map", args.runs, html),
        ("/map.json", "/map.json", args.runs, {}),
        (f"organization page, {hub[1]:,} events ({hub[0]})", hub[0], args.runs, html),
        (f"the same, page 2 ({hub[0]}?page=2)", hub[0] + "?page=2", args.runs, html),
        (f"the same as Turtle ({hub[0]}.ttl)", hub[0] + ".ttl", args.runs, {}),
        (f"organization page, {thousand[1]:,} events ({thousand[0]})", thousand[0], args.runs, html),
        (f"person page, {person[1]:,} events ({person[0]})", person[0], args.runs, html),
        (f"place page, {place[1]:,} events ({place[0]})", place[0], args.runs, html),
        (f"a release naming {hub[0].rsplit('/', 1)[-1]} ({release})", release, args.runs, html),
        (f"one of its events ({event})", event, args.runs, html),
        ("chart: events per type and year (question 07, summaries)",
         "/sparql?" + urlencode({"query": chart}), args.runs, {"Accept": "application/sparql-results+json"}),
        ("the same counted from the events",
         "/sparql?" + urlencode({"query": RAW_EVENTS_PER_TYPE_AND_YEAR}), args.raw_runs,
         {"Accept": "application/sparql-results+json"}),
    ]
    rows = []
    with background_server(create_app(settings), port=_free_port()) as url:
        with httpx.Client(base_url=url, timeout=900) as client:
            for label, path, runs, headers in pages:
                result = timed(client, path, runs, headers)
                rows.append((label, runs, result))
                print(f"{label}: median {result['median']:.0f} ms, p90 {result['p90']:.0f} ms"
                      + (f", query {result['query']:.1f} ms" if "query" in result else ""), flush=True)

    fresh = map_data_uncached(args.store, settings.base_iri, max(3, args.runs // 3))
    print(f"/map data read afresh: median {fresh['median']:.0f} ms", flush=True)

    corpus = args.label or args.store.name
    lines = ["| request | runs | median ms | p90 ms | query ms (Server-Timing) | bytes |", "|---|---|---|---|---|---|"]
    for label, runs, result in rows:
        query = f"{result['query']:.1f}" if "query" in result else "—"
        lines.append(f"| {label} | {runs} | {result['median']:.0f} | {result['p90']:.0f} | {query} | {result['bytes']:,} |")
    lines.append(f"| /map data read afresh, in-process (once per server start) | {max(3, args.runs // 3)} | "
                 f"{fresh['median']:.0f} | {fresh['p90']:.0f} | — | — |")
    body = machine.describe({"store": str(args.store), "corpus": corpus}) + "\n\n" + "\n".join(lines) + "\n"
    print(body)
    if not args.no_write:
        machine.append_results(f"Pictures: server time of /map, organization pages and the chart ({corpus})", body)


if __name__ == "__main__":
    main()
