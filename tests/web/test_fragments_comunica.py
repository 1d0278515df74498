"""A real Triple Pattern Fragments client answers README questions through /fragments as /sparql does.

Comunica (npm ``@comunica/query-sparql``, pinned in ``tests/comunica/package-lock.json``) runs
under Node against real uvicorn on a loopback port; it only sees ``/fragments`` and
plans the joins itself. ``scripts/test.sh`` installs it (``npm ci``); when it is missing
this test installs it the same way, and skips only where there is no npm at all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from linked_data_store import built_store_path, ld_settings

from kfgraph.queries import examples
from kfgraph.web.app import create_app
from kfgraph.web.server import background_server

CLIENT = Path(__file__).resolve().parents[1] / "comunica"
QUESTIONS = ("05-events-at-jarinje", "06-people-by-rank")
"""README questions without aggregates or GRAPH: a fragments client sees the default graph only."""


def comunica() -> Path:
    """The installed client's folder; installed from the lock file when missing."""
    if not (CLIENT / "node_modules" / "@comunica" / "query-sparql").is_dir():
        npm = shutil.which("npm")
        if npm is None or shutil.which("node") is None:
            pytest.skip("node/npm are not installed: cannot run Comunica (scripts/test.sh installs them)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CLIENT, check=True, timeout=600)
    return CLIENT


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    settings = ld_settings(built_store_path()).replace(query_workers=1)
    with background_server(create_app(settings)) as url:
        yield url


def as_rows(bindings: list[dict[str, dict[str, str]]], variables: list[str]) -> list[tuple[str, ...]]:
    return sorted(tuple(row.get(v, {}).get("value", "") for v in variables) for row in bindings)


@pytest.mark.parametrize("name", QUESTIONS)
def test_comunica_through_fragments_matches_sparql(server: str, name: str) -> None:
    folder = comunica()
    query = next(example.text for example in examples() if example.name == name)
    expected = httpx.post(f"{server}/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"},
                          timeout=60).json()
    variables = expected["head"]["vars"]
    rows = as_rows(expected["results"]["bindings"], variables)
    assert rows, f"{name} has an answer over data/"
    done = subprocess.run(["node", str(folder / "query.mjs"), f"{server}/fragments"], input=query, text=True,
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert as_rows(json.loads(done.stdout), variables) == rows
