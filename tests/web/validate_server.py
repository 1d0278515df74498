"""Serve kfgraph (an empty in-memory store) on 127.0.0.1:PORT for the /validate tests, in its own process.

Usage: python validate_server.py PORT [SETTING=VALUE ...]   (settings overrides, e.g. max_upload_bytes=2000)
"""

from __future__ import annotations

import sys

import uvicorn

from kfgraph.settings import Settings
from kfgraph.store import open_store
from kfgraph.web.app import create_app


def main(argv: list[str]) -> None:
    port = int(argv[0])
    overrides = dict(item.split("=", 1) for item in argv[1:])
    settings = Settings.from_env({f"KFGRAPH_{k.upper()}": v for k, v in overrides.items()})
    app = create_app(settings, open_store(None))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)


if __name__ == "__main__":
    main(sys.argv[1:])
