"""``/favicon.ico``: browsers ask every site for it; answering spares a 404 on every page."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from kfgraph.settings import Settings
from kfgraph.web.templating import WEB_DIR

FAVICON = WEB_DIR / "static" / "favicon.ico"
"""A graph of three nodes on the header's blue, 16, 32 and 48 px (drawn for kfgraph)."""


def router(settings: Settings, access: object = None) -> APIRouter:
    api = APIRouter()

    @api.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(FAVICON, media_type="image/vnd.microsoft.icon",
                            headers={"Cache-Control": "public, max-age=86400"})

    return api
