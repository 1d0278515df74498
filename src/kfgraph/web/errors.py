"""Errors become HTTP responses here, and only here.

Every ``KfgraphError`` → its ``http_status`` with ``err.to_json()``; Starlette's
own HTTP errors (unknown route, wrong method) use the same JSON shape; any
other exception is a server bug: logged with its traceback and answered 500
with a generic message.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kfgraph.errors import KfgraphError

log = logging.getLogger("kfgraph.web")

_CODES = {404: "not-found", 405: "method-not-allowed", 400: "bad-request", 413: "request-too-large"}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "status": status, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


async def _kfgraph_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KfgraphError)
    if exc.http_status >= 500 and exc.http_status != 503:
        log.error("%s %s failed: %s", request.method, request.url.path, exc.message)
    return JSONResponse(exc.to_json(), status_code=exc.http_status)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _CODES.get(exc.status_code, "http-error")
    return error_response(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(400, "bad-request", str(exc))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s: unexpected error", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal-error", "internal server error (logged)")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(KfgraphError, _kfgraph_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
