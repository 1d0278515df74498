"""``create_app``: the kfgraph web application, built from settings (no module-level app).

Routers are added by factories ``(settings, store_access) -> APIRouter`` listed
in ``ROUTER_FACTORIES``: adding a page or API is one line there. ``/`` is kept
free for the query page; ``web/static/`` is served at ``/static`` when present.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from kfgraph.settings import Settings
from kfgraph.store import Store
from kfgraph.web import jsonld
from kfgraph.web.linked_data import routes as linked_data
from kfgraph.web.pages import browse, favicon, maps, search
from kfgraph.web.pages import query as pages
from kfgraph.web.sparql import endpoint as sparql
from kfgraph.web.validation import routes as validate
from kfgraph.web.access import StoreAccess
from kfgraph.web.errors import install_error_handlers
from kfgraph.web.openapi import describe_api
from kfgraph.web.security_headers import SecurityHeadersMiddleware

RouterFactory = Callable[[Settings, StoreAccess], APIRouter]

ROUTER_FACTORIES: tuple[RouterFactory, ...] = (
    sparql.router,
    pages.query_page_router,
    validate.router,
    linked_data.router,
    browse.router,
    search.router,
    favicon.router,
    jsonld.router,
    maps.router,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"

EXPOSED_HEADERS = ["Server-Timing", "X-Kfgraph-Truncated", "X-Kfgraph-Max-Rows", "X-Kfgraph-Rows", "Warning", "Link"]


def create_app(
    settings: Settings, store: Store | None = None, *, routers: Sequence[RouterFactory] | None = None
) -> FastAPI:
    """A new app over ``settings.store`` opened read-only (or over ``store``, queries then run inline).

    Query worker processes start with the app's lifespan and stop with it.
    Raises ``ConfigurationError`` if the store cannot be opened.
    """
    access = StoreAccess.open(settings, store)
    access.search  # open the search index now: a rebuild, if one is needed, happens before serving

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        access.start()
        try:
            yield
        finally:
            await run_in_threadpool(access.close)

    app = FastAPI(
        title="kfgraph",
        summary="KFOR press releases as a knowledge graph: SPARQL endpoint and linked data",
        lifespan=lifespan,
        docs_url=None,  # the Swagger UI needs a CDN; the OpenAPI document stays at /openapi.json
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store_access = access
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=EXPOSED_HEADERS,
        max_age=3600,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.openapi = lambda: describe_api(app)  # type: ignore[method-assign]
    for factory in ROUTER_FACTORIES if routers is None else routers:
        app.include_router(factory(settings, access))
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
