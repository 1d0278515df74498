"""Linked Data: every IRI kfgraph mints answers GET and HEAD, for machines and for people.

    {base}id/{kind}/{key}          the description of a resource (describe.py)
    {base}id/{kind}/{key}.{ext}    the same in one format: .ttl .jsonld .nt .rdf .html
    /rank/… /event-type/… /place-kind/… /cameo/…
                                   SKOS concepts; their IRIs https://w3id.org/kfgraph/{scheme}/…
                                   are to redirect here (w3id.org/kfgraph/.htaccess)
    /ontology, /shapes             ontology.py (kfg: terms redirect to /ontology#term)
    /graph, /dumps/…, /.well-known/void
                                   dumps.py
    /fragments?subject=&predicate=&object=
                                   fragments.py (Triple Pattern Fragments)

Every representation is chosen with ``negotiation.negotiate``; responses say
``Vary: Accept``, list each representation in ``Link: <…>; rel="alternate"``,
carry a strong ``ETag`` (hash of the body) and ``Last-Modified`` (when the
store last changed), and answer 304 to ``If-None-Match`` / ``If-Modified-Since``.
All store work runs in sync handlers, i.e. in Starlette's thread pool.
"""

from __future__ import annotations

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import APIRouter, Request, Response

from kfgraph.settings import Settings
from kfgraph.web.access import StoreAccess
from kfgraph.web.linked_data import dumps, fragments, ontology
from kfgraph.web.linked_data.publisher import CONCEPT_SCHEMES, W3ID, Publisher


def router(settings: Settings, access: StoreAccess) -> APIRouter:
    """Every Linked Data route: resources, concepts, ontology, shapes, graphs, dumps, VoID."""
    publisher = Publisher(settings, access)
    api = APIRouter()

    def data_iri(path: str) -> str:
        return publisher.base + path.lstrip("/")

    renders = CapacityLimiter(settings.page_threads)  # descriptions rendered at once (KFGRAPH_PAGE_THREADS)

    @api.api_route("/id/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def resource(request: Request, rest: str) -> Response:
        raw = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
        return await anyio.to_thread.run_sync(publisher.resource, request, raw, data_iri, limiter=renders)

    def concept_iri(path: str) -> str:
        return W3ID + path.lstrip("/")

    for scheme in CONCEPT_SCHEMES:

        @api.api_route(f"/{scheme}/{{rest:path}}", methods=["GET", "HEAD"], include_in_schema=False)
        def concept(request: Request, rest: str) -> Response:
            raw = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
            return publisher.resource(request, raw, concept_iri)

    ontology.add_routes(api, publisher)
    dumps.add_routes(api, publisher)
    fragments.add_routes(api, publisher)
    return api
