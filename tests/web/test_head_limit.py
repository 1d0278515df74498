"""The request-head cap: a huge header is refused with 431 while it arrives, not read whole."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from kfgraph.web.app import create_app
from kfgraph.web.server import background_server
from web_support import make_settings

LIMIT = 16_384


@pytest.fixture(scope="module")
def small_head_url(store_path: Path) -> Iterator[str]:
    with background_server(create_app(make_settings(store_path, max_header_bytes=LIMIT))) as url:
        yield url


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=10)


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65_536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_head_under_the_limit_is_served(small_head_url: str) -> None:
    response = httpx.get(small_head_url + "/sparql", headers={"X-Padding": "a" * (LIMIT // 2)})
    assert response.status_code == 200


def test_a_huge_header_gets_431_and_the_connection_closes_before_it_is_sent_whole(small_head_url: str) -> None:
    """Regression: a 100 MB header was read whole (545 MB RSS, other clients stalled)."""
    sock = _connect(small_head_url)
    sock.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Padding: ")
    sent, refused = 0, False
    try:
        while sent < 50_000_000:  # the server must stop us long before 50 MB
            sock.sendall(b"a" * 65_536)
            sent += 65_536
    except (BrokenPipeError, ConnectionResetError):
        refused = True
    assert refused, "the server kept reading a 50 MB header"
    assert sent < 10_000_000
    sock.close()


def test_the_431_answer_explains_itself(small_head_url: str) -> None:
    sock = _connect(small_head_url)
    sock.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * (LIMIT * 2))
    answer = _read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"send long SPARQL queries with POST" in answer


def test_a_long_url_counts_as_head(small_head_url: str) -> None:
    response = httpx.get(small_head_url + "/sparql", params={"query": "ASK {}" + " " * (LIMIT * 2)})
    assert response.status_code == 431


def test_other_clients_are_served_while_a_huge_header_is_refused(small_head_url: str) -> None:
    sock = _connect(small_head_url)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ")
    started = time.monotonic()
    answer = httpx.get(small_head_url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert time.monotonic() - started < 5
    sock.close()


def test_keep_alive_requests_each_get_their_own_allowance(small_head_url: str) -> None:
    with httpx.Client(base_url=small_head_url) as client:
        for _ in range(5):  # five heads of 3/4 the limit on one connection: each is within the cap
            assert client.get("/sparql", headers={"X-Padding": "a" * (LIMIT * 3 // 4)}).status_code == 200
