"""HTTP face of kfgraph: ``create_app(settings, store=None)`` and ``serve(settings)``.

Kept import-light on purpose: query worker processes import ``kfgraph.web.sparql.workers``
and must not pay for FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kfgraph.web.app import create_app
    from kfgraph.web.server import serve

__all__ = ["create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from kfgraph.web.app import create_app

        return create_app
    if name == "serve":
        from kfgraph.web.server import serve

        return serve
    raise AttributeError(name)
