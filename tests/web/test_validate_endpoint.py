"""``/validate`` over real HTTP: a uvicorn server in its own process (so its memory can be measured), on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from loopback import Listener
from rdflib import Graph, Literal
from rdflib.namespace import SH
from web_support import inline_context

from kfgraph.web.jsonld import context_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "validation"
SERVER = Path(__file__).with_name("validate_server.py")
LIMIT = 200_000
RDF_XML = {"Content-Type": "application/rdf+xml"}
TURTLE = {"Content-Type": "text/turtle"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, **settings: object) -> None:
        self.port = _free_port()
        args = [f"{k}={v}" for k, v in settings.items()]
        self.process = subprocess.Popen([sys.executable, str(SERVER), str(self.port), *args])
        self.url = f"http://127.0.0.1:{self.port}/validate"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("validation server did not start")
            time.sleep(0.2)
        # the first validation also waits for the worker processes to load the shapes
        assert self.post(b"", {"Content-Type": "text/turtle"}).status_code == 200

    def post(self, body: bytes, headers: dict[str, str], **kwargs: object) -> httpx.Response:
        return httpx.post(self.url, content=body, headers=headers, timeout=60, **kwargs)  # type: ignore[arg-type]

    def rss_kib(self) -> int:
        """Resident memory of the server process and all its descendants (the validation workers)."""
        total, pending = 0, [self.process.pid]
        while pending:
            pid = pending.pop()
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pending.extend(int(c) for c in (task / "children").read_text().split())
            except (FileNotFoundError, ProcessLookupError, StopIteration):
                continue
        return total

    def children(self) -> set[int]:
        found: set[int] = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            found.update(int(c) for c in (task / "children").read_text().split())
        return found

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    started = Server(max_upload_bytes=LIMIT)
    yield started
    started.stop()


def _results(response: httpx.Response) -> set[tuple[str, str | None, str]]:
    return {(r["focus_node"], r["path"], r["constraint"].rsplit("#", 1)[1]) for r in response.json()["results"]}


def test_conforming_upload_is_200_conforms_true(server: Server) -> None:
    response = server.post((FIXTURES / "conforming.ttl").read_bytes(), TURTLE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"conforms": True, "counts": {"Violation": 0, "Warning": 0, "Info": 0}, "results": []}


def test_violating_upload_is_200_with_the_results(server: Server) -> None:
    response = server.post((FIXTURES / "violating.ttl").read_bytes(), TURTLE)
    assert response.status_code == 200
    body = response.json()
    assert body["conforms"] is False and body["counts"]["Violation"] == 3
    assert _results(response) == {
        ("http://localhost:8000/id/release/validation-bad", "https://schema.org/identifier", "MinCountConstraintComponent"),
        ("http://localhost:8000/id/release/validation-bad", "https://schema.org/datePublished", "DatatypeConstraintComponent"),
        ("http://localhost:8000/id/organization/training-unit", "http://www.w3.org/2000/01/rdf-schema#label", "MinCountConstraintComponent"),
    }
    dated = next(r for r in body["results"] if r["path"] == "https://schema.org/datePublished")
    assert dated["value"] == "\"2 May 2023\"" and dated["shape"].endswith("#ReleaseShape") and dated["message"]


def test_other_formats_by_content_type(server: Server) -> None:
    graph = Graph().parse(FIXTURES / "violating.ttl", format="turtle")
    for media_type, name in (("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                             ("application/rdf+xml", "xml")):
        response = server.post(graph.serialize(format=name).encode(), {"Content-Type": media_type})
        assert response.status_code == 200, (media_type, response.text)
        assert response.json()["counts"]["Violation"] == 3, media_type


def test_multipart_upload_format_from_extension(server: Server) -> None:
    files = {"file": ("violating.ttl", (FIXTURES / "violating.ttl").read_bytes(), "application/octet-stream")}
    response = httpx.post(server.url, files=files, timeout=60)
    assert response.status_code == 200 and response.json()["counts"]["Violation"] == 3


def test_report_graph_by_negotiation(server: Server) -> None:
    body = (FIXTURES / "violating.ttl").read_bytes()
    turtle = server.post(body, {**TURTLE, "Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert "Accept" in turtle.headers["vary"]
    report = Graph().parse(data=turtle.text, format="turtle")
    assert (None, SH.conforms, Literal(False)) in report
    assert len(set(report.subjects(None, SH.ValidationResult))) == 3
    jsonld = server.post(body, {**TURTLE, "Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert jsonld.json()["@context"] == "http://localhost:8000/context.jsonld"
    report = Graph().parse(data=inline_context(jsonld.text, context_document()), format="json-ld")
    assert len(set(report.subjects(None, SH.ValidationResult))) == 3
    assert server.post(body, {**TURTLE, "Accept": "text/csv"}).status_code == 406


def test_malformed_turtle_is_400_with_line_and_column(server: Server) -> None:
    response = server.post((FIXTURES / "malformed.ttl").read_bytes(), TURTLE)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "rdf-syntax-error"
    assert "line 6, column 17" in response.json()["error"]["message"]


def test_unknown_content_type_is_415(server: Server) -> None:
    assert server.post(b"a,b\n", {"Content-Type": "text/csv"}).status_code == 415


def test_oversized_body_is_413_by_length_and_while_streaming(server: Server) -> None:
    big = b"# padding\n" * (LIMIT // 10 + 10)
    assert server.post(big, TURTLE).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap must hold while reading
        for _ in range(LIMIT // 10_000 + 5):
            yield b"#" * 9_999 + b"\n"

    response = httpx.post(server.url, content=chunks(), headers=TURTLE, timeout=60)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request-too-large"


def test_billion_laughs_is_400_and_memory_stays_bounded(server: Server) -> None:
    before = server.rss_kib()
    started = time.perf_counter()
    response = server.post((FIXTURES / "billion-laughs.rdf").read_bytes(), RDF_XML)
    assert response.status_code == 400, response.text
    assert "not allowed" in response.json()["error"]["message"]
    assert time.perf_counter() - started < 10
    grown = server.rss_kib() - before
    assert grown < 50_000, f"server and workers grew by {grown} KiB"  # 10^9 "lol"s would be gigabytes


def test_entities_hidden_past_a_comment_are_400_before_any_parser(server: Server) -> None:
    """The 706-byte upload that became a 300 MB literal: refused by the shared input layer."""
    before = server.rss_kib()
    response = server.post((FIXTURES / "entities-past-comment.rdf").read_bytes(), RDF_XML)
    assert response.status_code == 400, response.text
    assert "refused RDF/XML: entity declaration 'l0' is not allowed" in response.json()["error"]["message"]
    assert server.rss_kib() - before < 50_000


def test_external_entity_is_400_and_never_fetched(server: Server) -> None:
    listener = Listener()
    try:
        body = (FIXTURES / "external-entity.rdf").read_bytes().replace(b"PORT", str(listener.port).encode())
        response = server.post(body, RDF_XML)
        assert response.status_code == 400
        assert "external entity 'remote'" in response.json()["error"]["message"]
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


def test_release_text_is_run_through_the_pipeline(server: Server) -> None:
    text = (FIXTURES / "release.txt").read_bytes()
    response = server.post(text, {"Content-Type": "text/plain; charset=utf-8"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"conforms", "counts", "results"}
    assert body["conforms"] is True, body["results"]
    turtle = server.post(text, {"Content-Type": "text/plain", "Accept": "text/turtle"})
    assert (None, SH.conforms, Literal(True)) in Graph().parse(data=turtle.text, format="turtle")


def test_html_form_and_readable_report(server: Server) -> None:
    page = httpx.get(server.url, timeout=10)
    assert page.status_code == 200
    for needle in ('<textarea id="data" name="data"', 'type="file"', '<select id="format" name="format"',
                   'value="rdfxml"', 'value="text"'):
        assert needle in page.text
    data = {"data": (FIXTURES / "violating.ttl").read_text(), "format": "auto"}
    report = httpx.post(server.url, data=data, files={"file": ("", b"", "application/octet-stream")},
                        headers={"Accept": "text/html"}, timeout=60)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "does not conform" in report.text and report.text.count("<td>Violation</td>") == 3
    broken = httpx.post(server.url, data={"data": "<a> <b> .", "format": "turtle"},
                        files={"file": ("", b"", "application/octet-stream")}, headers={"Accept": "text/html"}, timeout=60)
    assert broken.status_code == 400 and "line 1, column" in broken.text


def test_runaway_validation_is_stopped_and_the_server_goes_on() -> None:
    slow = Server(validation_timeout=1)
    try:
        workers = slow.children()
        lines = ["@prefix schema: <https://schema.org/> . @prefix org: <http://www.w3.org/ns/org#> ."]
        lines += [f"<http://x/o{i}> a schema:Organization, org:Organization ." for i in range(20000)]  # ~5 s of validation
        started = time.perf_counter()
        response = slow.post("\n".join(lines).encode(), TURTLE)
        assert response.status_code == 503 and response.json()["error"]["code"] == "validation-timeout"
        assert time.perf_counter() - started < 4
        ok = slow.post((FIXTURES / "conforming.ttl").read_bytes(), TURTLE)
        assert ok.status_code == 200 and ok.json()["conforms"] is True
        deadline = time.monotonic() + 30
        while len(slow.children()) < len(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        now = slow.children()
        assert len(now) == len(workers) and now != workers  # one worker killed and replaced
    finally:
        slow.stop()
