"""A cap on the size of a request's head (request line and headers), enforced while it arrives.

uvicorn's httptools protocol buffers a header until it is complete, however large: a client
sending a 100 MB header made the server read and hold all of it. ``bounded_http_protocol``
returns uvicorn's own protocol class, counting the bytes a request's head has taken so far;
past the limit the client gets ``431 Request Header Fields Too Large`` and the connection is
closed before any more is read. The body is not counted (``max_request_bytes`` bounds it).
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

REASON = "Request Header Fields Too Large"


class _HeadTooLarge(Exception):
    """Raised from the parser's callback; httptools reports it as a parser error, answered with 431."""


class _BoundedHttpToolsProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` that refuses a request head larger than ``max_head_bytes``.

    Two checks: while a head is still arriving, the bytes received for it (so a slow,
    endless header is cut off early); when it is complete, its exact size (request line
    and header fields), since one network read can hold a whole oversized head.
    """

    max_head_bytes = 65_536

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._received = 0
        self._head_size = 0
        self._in_head = True  # a connection starts by sending a head
        self._refused = False

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._received = self._head_size = 0
        self._in_head = True

    def on_url(self, url: bytes) -> None:
        self._head_size += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self._head_size > self.max_head_bytes:
            self._refused = True
            raise _HeadTooLarge
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        if self._refused:  # the parser error was ours
            self._refuse_head()
        else:
            super().send_400_response(msg)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self._in_head or self.transport.is_closing():
            return
        # The whole chunk went into a head that is still not complete.
        self._received += len(data)
        if self._received > self.max_head_bytes:
            self._refused = True
            self._refuse_head()

    def _refuse_head(self) -> None:
        message = (f"the request line and headers exceed {self.max_head_bytes} bytes; "
                   "send long SPARQL queries with POST").encode("ascii")
        self.transport.write(
            b"HTTP/1.1 431 " + REASON.encode("ascii") + b"\r\n"
            b"content-type: text/plain; charset=utf-8\r\n"
            b"content-length: " + str(len(message)).encode("ascii") + b"\r\n"
            b"connection: close\r\n\r\n" + message
        )
        self.transport.close()


def bounded_http_protocol(max_head_bytes: int) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with a request-head cap of ``max_head_bytes``."""
    return type("BoundedHttpToolsProtocol", (_BoundedHttpToolsProtocol,), {"max_head_bytes": max_head_bytes})
