"""The one JSON-LD context, served at ``/context.jsonld`` and named by every JSON-LD response.

Every JSON-LD body kfgraph sends starts ``{"@context": "{base}context.jsonld", …}``: a
short document, and one context for a client to cache. The context maps the
published prefixes (``schema:``, ``kfg:``, ``org:`` …, ``vocab.PREFIXES``) and those of
the dataset's metadata (``hydra:``, ``void:``, ``dcat:``, ``foaf:``, ``sh:``), so compact
IRIs such as ``schema:Person`` mean the same in every response.

Two kinds of body are written:

* ``compact(graph, url)`` — an rdflib graph compacted with the context (linked data
  descriptions, VoID, ontology, fragments, the validation report);
* ``with_context(body, url)`` — expanded JSON-LD from pyoxigraph (``/sparql``, ``/graph``):
  full IRIs, which need no term of the context; wrapping them as ``@graph`` keeps
  them exact and names the context all the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Request, Response
from rdflib import Graph

from kfgraph import formats
from kfgraph.settings import Settings
from kfgraph.vocab import HYDRA, PREFIXES, VOID

PATH = "/context.jsonld"

EXTRA_PREFIXES: dict[str, str] = {
    "hydra": str(HYDRA),
    "void": str(VOID),
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}
"""Prefixes of the dataset's own metadata, beside the published ``vocab.PREFIXES``."""


def context_terms() -> dict[str, str]:
    """Prefix -> namespace IRI: the content of ``@context``."""
    return {**PREFIXES, **EXTRA_PREFIXES}


def context_url(base_iri: str) -> str:
    """Where the context lives for a server whose IRIs are minted under ``base_iri``."""
    return base_iri + PATH.lstrip("/")


def context_document() -> bytes:
    return json.dumps({"@context": context_terms()}, indent=2, sort_keys=False).encode("utf-8")


def compact(graph: Graph, url: str) -> bytes:
    """``graph`` as compact JSON-LD whose ``@context`` is ``url`` (the terms used are the served context's)."""
    text = graph.serialize(format="json-ld", context=context_terms(), auto_compact=True, indent=2)
    data = json.loads(text)
    if isinstance(data, dict):
        data["@context"] = url
        if not any(key != "@context" for key in data):
            data["@graph"] = []
    else:  # rdflib leaves an empty graph as a bare list
        data = {"@context": url, "@graph": data}
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def with_context(expanded: bytes, url: str) -> bytes:
    """An expanded JSON-LD array (pyoxigraph's output) as ``{"@context": url, "@graph": [...]}``."""
    return b"".join(wrap_stream(iter((expanded,)), url))


def wrap_stream(chunks: Iterator[bytes], url: str) -> Iterator[bytes]:
    """``with_context`` over a streamed body; an empty body becomes an empty ``@graph``."""
    yield b'{"@context": ' + json.dumps(url).encode("utf-8") + b', "@graph": '
    empty = True
    for chunk in chunks:
        if chunk:
            empty = False
            yield chunk
    if empty:
        yield b"[]"
    yield b"}\n"


def router(settings: Settings, access: object) -> APIRouter:
    """``GET /context.jsonld``: the context, cacheable for a day (it changes only with kfgraph)."""
    api = APIRouter()
    body = context_document()

    @api.head(PATH, include_in_schema=False)
    @api.get(PATH, summary="The JSON-LD context of every JSON-LD response")
    def context(request: Request) -> Response:
        headers = {"Cache-Control": "public, max-age=86400"}
        if request.method == "HEAD":
            return Response(b"", media_type=formats.JSON_LD.media_type,
                            headers={**headers, "Content-Length": str(len(body))})
        return Response(body, media_type=formats.JSON_LD.media_type, headers=headers)

    return api
