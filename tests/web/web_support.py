"""Shared helpers of the web tests (imported by conftest and the test modules)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from kfgraph.settings import Settings

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "web" / "small.trig"
BASE = "http://localhost:8000/"
R1, R2, R3 = (f"{BASE}id/release/r{i}" for i in (1, 2, 3))
GAZETTEER = f"{BASE}graph/gazetteer"


def build_store(path: Path, trig: Path = FIXTURE) -> Path:
    """An on-disk store holding the TriG fixture, written the way `kfgraph build` writes."""
    from collections import defaultdict

    from kfgraph.store import GraphUpdate, open_store

    by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        by_graph[quad.graph_name.value].append(quad.triple)
    store = open_store(path)
    store.replace_graphs(
        [GraphUpdate(g, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()) for g, triples in by_graph.items()]
    )
    store.close()
    return path


def make_settings(store: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"store": store, "query_workers": 2, "query_timeout": 10.0}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def wait_until_answering(url: str, limit: float = 300.0) -> None:
    """Wait until a query worker has started and answers (slow on a loaded machine: imports, the parser's grammar)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if httpx.post(url + "/sparql", data={"query": "ASK {}"}, timeout=60).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no query worker answered within {limit:g} s")


def inline_context(body: bytes | str, context_document: bytes | str) -> str:
    """A JSON-LD body whose ``@context`` names the served context, with that context put in its place.

    rdflib would fetch a remote context over the network; the tests give it the document
    the server itself served at ``/context.jsonld`` instead.
    """
    import json

    data = json.loads(body)
    served = json.loads(context_document)["@context"]
    if isinstance(data, dict) and isinstance(data.get("@context"), str):
        assert data["@context"].endswith("/context.jsonld"), data["@context"]
        data["@context"] = served
    return json.dumps(data)
