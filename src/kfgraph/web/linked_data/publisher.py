"""The ``Publisher``: what every Linked Data route shares (settings, store, templates, HTTP helpers).

Negotiation, ``Link`` alternates, strong ``ETag``s, ``Last-Modified`` and 304s live here once,
so the resource, ontology, dump and browse routes answer alike.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates
from rdflib import Graph

from kfgraph import formats
from kfgraph.errors import NotFoundError
from kfgraph.formats import Format
from kfgraph.settings import Settings
from kfgraph.store.base import Store
from kfgraph.web.access import StoreAccess
from kfgraph.errors import QueryError
from kfgraph.web import jsonld
from kfgraph.web.linked_data.describe import Description, describe, description_query
from kfgraph.web.linked_data.rdf_io import RDF_FORMATS, RESOURCE_FORMATS, etag_of, serialize
from kfgraph.web.linked_data.resource_pages import page_context
from kfgraph.web.negotiation import negotiate
from kfgraph.web.templating import page_templates, web_link

W3ID = "https://w3id.org/kfgraph/"
CONCEPT_SCHEMES = ("rank", "event-type", "place-kind", "figure-kind", "cameo")
"""w3id concept namespaces served under a local path of the same name."""
SUFFIXES = {f".{fmt.extension}": fmt for fmt in RESOURCE_FORMATS}
_SAFE = "/:@-._~!$&()*+,;=%"
"""Characters kept as they are when a path is written into a ``Link`` header."""


def store_last_modified(store: Store) -> float:
    """When the store's files last changed (now, for an in-memory store)."""
    path = getattr(store, "path", None)
    if isinstance(path, Path) and path.is_dir():
        stamps = [p.stat().st_mtime for p in path.iterdir() if p.is_file()]
        return max(stamps, default=path.stat().st_mtime)
    return time.time()


class Publisher:
    """What the Linked Data routes share: settings, store, templates, and HTTP helpers."""

    def __init__(self, settings: Settings, access: StoreAccess) -> None:
        self.settings = settings
        self.access = access
        self.base = settings.base_iri
        self.context_url = jsonld.context_url(settings.base_iri)
        self.last_modified = store_last_modified(access.store)
        self.templates = self._templates()

    @property
    def store(self) -> Store:
        return self.access.store

    def _templates(self) -> Jinja2Templates:
        templates = page_templates()
        templates.env.filters["local"] = self.local
        templates.env.globals["query_link"] = self.query_link
        return templates

    def local(self, iri: str) -> str:
        """The path serving ``iri`` on this server; external IRIs unchanged if http(s), else ``#``."""
        for prefix in (self.base, W3ID):
            if iri.startswith(prefix):
                return "/" + iri[len(prefix):]
        return web_link(iri) or "#"

    def iri_of(self, request: Request) -> str:
        """The IRI a request path stands for (raw path: percent-escapes kept as minted)."""
        raw = request.scope.get("raw_path") or request.url.path.encode("utf-8")
        return self.base + raw.decode("latin-1").lstrip("/")

    @staticmethod
    def query_link(query: str, *, page: bool = True) -> str:
        """A permalink to ``query``: on the query page (``/?query=``) or the endpoint (``/sparql?query=``)."""
        return ("/?" if page else "/sparql?") + urlencode({"query": query})

    def http_date(self) -> str:
        return email.utils.formatdate(self.last_modified, usegmt=True)

    def http_iso(self) -> str:
        return dt.datetime.fromtimestamp(int(self.last_modified), tz=dt.timezone.utc).isoformat()

    def not_modified(self, request: Request, etag: str) -> bool:
        """Whether the client's cached copy is current (``If-None-Match`` wins over ``If-Modified-Since``)."""
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or etag in tags
        since = request.headers.get("if-modified-since")
        if since:
            try:
                parsed = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=dt.timezone.utc)
            return int(self.last_modified) <= parsed.timestamp()
        return False

    def alternates(self, path: str, offered: Sequence[Format], *, query: str = "") -> str:
        """The ``Link`` header listing each representation's suffix URL (``query`` appended, e.g. ``?page=2``)."""
        return ", ".join(f'<{quote(path, safe=_SAFE)}.{f.extension}{query}>; rel="alternate"; type="{f.media_type}"'
                         for f in offered)

    def respond(
        self,
        request: Request,
        body: bytes,
        fmt: Format,
        *,
        headers: dict[str, str] | None = None,
        negotiated: bool = True,
    ) -> Response:
        """A GET/HEAD response with validators, honouring conditional requests."""
        etag = etag_of(body, fmt.media_type)
        all_headers = {"ETag": etag, "Last-Modified": self.http_date(), "Cache-Control": "public, max-age=60"}
        if negotiated:
            all_headers["Vary"] = "Accept"
        all_headers.update(headers or {})
        if self.not_modified(request, etag):
            return Response(status_code=304, headers=all_headers)
        if request.method == "HEAD":
            all_headers["Content-Length"] = str(len(body))
            return Response(b"", media_type=fmt.content_type, headers=all_headers)
        return Response(body, media_type=fmt.content_type, headers=all_headers)

    def choose(self, request: Request, path: str, offered: Sequence[Format]) -> tuple[str, Format, bool]:
        """(path without suffix, format, negotiated?) for a request to ``path``."""
        for suffix, fmt in SUFFIXES.items():
            if path.endswith(suffix) and fmt in offered:
                return path[: -len(suffix)], fmt, False
        return path, negotiate(request.headers.get("accept"), offered), True

    def document(
        self,
        request: Request,
        path: str,
        stems: Collection[str],
        offered: Sequence[Format],
        body_of: Callable[[str, Format], bytes],
    ) -> Response:
        """A fixed document (VoID, ontology, shapes) at one of ``stems``, in any ``offered`` format.

        Suffix URLs and negotiation, 404 for other paths, ``Link`` alternates, validators.
        """
        stem, fmt, negotiated = self.choose(request, path, offered)
        if stem not in stems:
            raise NotFoundError(f"no document at {path}")
        headers = {"Link": self.alternates(stem, offered)}
        return self.respond(request, body_of(stem, fmt), fmt, headers=headers, negotiated=negotiated)

    def serialize(self, graph: Graph, fmt: Format) -> bytes:
        """``graph`` in an RDF format (JSON-LD naming this server's context)."""
        return serialize(graph, fmt, context_url=self.context_url)

    def render(self, request: Request, template: str, context: dict[str, Any]) -> bytes:
        page = self.templates.get_template(template)
        return page.render({"request": request, "base_iri": self.base, **context}).encode("utf-8")

    def _describe(self, iri: str, page: int) -> Description:
        try:
            return describe(self.store, iri, page=page, page_size=self.settings.description_page_size,
                            index=self.access.search)
        except ValueError:  # characters no IRI may hold: nothing can be known about it
            return Description(iri, Graph(), (), page, 1)

    def resource(self, request: Request, path: str, iri_of_path: Callable[[str], str]) -> Response:
        """Serve (a page of) the description of the resource at ``path`` (suffix URLs included)."""
        page = requested_page(request)
        stem, fmt, negotiated = self.choose(request, path, RESOURCE_FORMATS)
        iri = iri_of_path(stem)
        description = self._describe(iri, page)
        if len(description.graph) == 0 and stem != path:  # a key that merely ends like a suffix: try the whole path
            stem, fmt, negotiated = path, negotiate(request.headers.get("accept"), RESOURCE_FORMATS), True
            iri = iri_of_path(stem)
            description = self._describe(iri, page)
        if len(description.graph) == 0:
            if page > 1 and description.pages > 1:
                raise NotFoundError(f"the description of <{iri}> has {description.pages} pages, not {page}")
            raise NotFoundError(f"nothing is known about <{iri}>")
        graph = description.graph
        if fmt is formats.HTML:
            template, context = page_context(self.store, iri, description)
            query = description_query(iri)
            context.update(iri=iri, path=stem, query=query, formats=RDF_FORMATS)
            body = self.render(request, template, context)
        else:
            body = self.serialize(graph, fmt)
        suffix = f"?page={page}" if page > 1 else ""
        links = [self.alternates(stem, RESOURCE_FORMATS, query=suffix)]
        here = stem if negotiated else f"{stem}.{fmt.extension}"
        for rel, number in (("first", 1), ("prev", page - 1), ("next", page + 1), ("last", description.pages)):
            if description.pages > 1 and 1 <= number <= description.pages:
                links.append(f'<{quote(here, safe=_SAFE)}?page={number}>; rel="{rel}"')
        headers = {"Link": ", ".join(links)}
        if negotiated:
            headers["Content-Location"] = f"{stem}.{fmt.extension}{suffix}"
        return self.respond(request, body, fmt, headers=headers, negotiated=negotiated)


def requested_page(request: Request) -> int:
    """The ``?page=`` of a request (1 when absent); 400 unless a whole number from 1."""
    values = request.query_params.getlist("page")
    if not values:
        return 1
    if len(values) > 1 or not values[0].isdigit() or int(values[0]) < 1 or len(values[0]) > 9:
        raise QueryError(f"page must be one whole number from 1, not {', '.join(values)!r}")
    return int(values[0])
