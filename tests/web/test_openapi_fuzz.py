"""schemathesis over the app's own OpenAPI document: no generated request gets a 5xx.

Every operation the schema publishes is called with generated parameters and bodies
(hypothesis underneath); the only check is that the server never answers with a
server error, i.e. every client mistake is a 4xx with kfgraph's error shape.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from kfgraph.web.app import create_app
from web_support import make_settings


@pytest.fixture(scope="module")
def api_app(store_path: Path) -> Iterator[object]:
    app = create_app(make_settings(store_path, query_workers=1, query_timeout=5.0))
    with TestClient(app) as client:  # runs the lifespan: query and validation workers start
        # Wait until both worker pools answer, so that a slow start on a loaded machine is not taken for a 503.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            checks = (client.get("/sparql", params={"query": "ASK {}"}),
                      client.post("/validate", content=b"", headers={"Content-Type": "text/turtle"}))
            if all(r.status_code == 200 for r in checks):
                break
        yield app


@pytest.fixture(scope="module")
def api_schema(api_app: object):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_asgi("/openapi.json", api_app)


def test_the_schema_publishes_the_public_operations(api_schema) -> None:  # type: ignore[no-untyped-def]
    operations = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert {("GET", "/sparql"), ("POST", "/sparql"), ("POST", "/validate")} <= operations


def test_no_generated_request_gets_a_server_error(api_schema) -> None:  # type: ignore[no-untyped-def]
    """Each operation in turn (hypothesis drives schemathesis' strategies; its pytest plugin is not needed)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 3
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def call(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(checks=[not_a_server_error])

        call()
