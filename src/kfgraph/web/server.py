"""Running the app: ``serve`` for ``kfgraph serve``, ``background_server`` for tests and tools."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from kfgraph.settings import Settings
from kfgraph.web.app import create_app
from kfgraph.web.head_limit import bounded_http_protocol


def serve(settings: Settings) -> None:
    """Serve ``settings.store`` on ``settings.host``:``settings.port`` until interrupted.

    Raises ``ConfigurationError`` (before listening) when there is no store.
    """
    app = create_app(settings)
    uvicorn.Server(server_config(app, host=settings.host, port=settings.port, timeout_graceful_shutdown=5)).run()


def server_config(app: FastAPI, *, host: str, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for ``app``, with the request-head cap of the app's settings."""
    settings: Settings = app.state.settings
    return uvicorn.Config(app, host=host, port=port, lifespan="on", http=bounded_http_protocol(settings.max_header_bytes),
                          h11_max_incomplete_event_size=settings.max_header_bytes, **options)


@contextmanager
def background_server(app: FastAPI, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run ``app`` under real uvicorn in a thread; yields its base URL (no trailing slash).

    ``port=0`` picks a free port. The app's lifespan runs, and the server is stopped on exit.
    """
    server = uvicorn.Server(server_config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, name="kfgraph-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()
    try:
        yield f"http://{host}:{bound[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
