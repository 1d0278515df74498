"""Resource descriptions are rendered ``page_threads`` at a time, so they cannot crowd out SPARQL relays."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kfgraph.web.linked_data.publisher import Publisher


class _Overlap:
    """Counts how many renders run at once (each holds its place for a moment)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def wrap(self, render):  # type: ignore[no-untyped-def]
        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                time.sleep(0.3)
                return render(*args, **kwargs)
            finally:
                with self.lock:
                    self.running -= 1

        return counted


@pytest.mark.parametrize("threads", [1, 3])
def test_descriptions_render_at_most_page_threads_at_once(app_client, monkeypatch, threads) -> None:  # type: ignore[no-untyped-def]
    overlap = _Overlap()
    monkeypatch.setattr(Publisher, "resource", overlap.wrap(Publisher.resource))
    client = app_client(page_threads=threads)
    release = client.get("/sparql", params={"query": "SELECT ?r { ?r a <https://schema.org/NewsArticle> } LIMIT 1"},
                         headers={"accept": "application/sparql-results+json"}).json()["results"]["bindings"][0]
    path = "/" + release["r"]["value"].split("/", 3)[3]
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: client.get(path, headers={"accept": "text/turtle"}), range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    assert overlap.most == threads  # never more at once; and the limit, not chance, kept them apart
