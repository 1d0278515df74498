"""The analysts' query page at ``/``: an editor, the example questions, results.

Everything the page needs is computed once, when the router is made; a request
only renders the template. The page talks to ``/sparql`` from the browser
(``static/query.js``) and needs no internet: every asset is under ``/static``
(mounted by ``create_app``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kfgraph import queries
from kfgraph.settings import Settings
from kfgraph.vocab import PREFIXES, sparql_prologue
from kfgraph.web.templating import page_templates

STARTER_QUERY = """SELECT ?subject ?predicate ?object
WHERE {
  ?subject ?predicate ?object .
}
LIMIT 25
"""


RESULT_VIEWS = ("table", "chart", "map", "timeline")
"""The views of a SELECT result the page offers (``static/result_views.js``); ``?view=`` picks one."""


def query_page_router(settings: Settings, access: object | None = None) -> APIRouter:
    """``GET /``, the query page; ``access`` (a ``StoreAccess``) is not needed: the browser asks ``/sparql``."""
    templates = page_templates()
    default_query = sparql_prologue() + "\n" + STARTER_QUERY
    page: dict[str, Any] = {
        "active": "/",
        "default_query": default_query,
        "examples": [{"name": e.name, "title": e.title, "text": e.text} for e in queries.examples()],
        "prefixes": PREFIXES,
        "base_iri": settings.base_iri,
        "max_rows": settings.max_result_rows,
    }

    router = APIRouter()

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def query_page(
        request: Request, query: str | None = None, run: str | None = None, view: str | None = None
    ) -> HTMLResponse:
        context = dict(page, query=query if query else default_query, run=run in ("1", "true"),
                       view=view if view in RESULT_VIEWS else None)
        return templates.TemplateResponse(request, "query.html", context)

    return router
