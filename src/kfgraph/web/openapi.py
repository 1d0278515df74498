"""The published description of kfgraph's HTTP API (``/openapi.json``), written once, here.

Most routes read raw requests (the SPARQL protocol repeats parameters; linked-data paths
are open-ended), so FastAPI cannot infer their parameters. ``DESCRIBED`` states each public
operation's parameters, bodies and answers in OpenAPI 3.1; ``describe_api`` merges it over
what FastAPI generates, so routes typed the FastAPI way keep their generated description.
Clients and fuzzers (schemathesis in the tests) read this document.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "status", "message"], "properties": {
        "code": {"type": "string"}, "status": {"type": "integer"}, "message": {"type": "string"}}}},
}


def _answers(ok: str, *codes: int) -> dict[str, Any]:
    answers: dict[str, Any] = {"200": {"description": ok}}
    reasons = {304: "Not modified (conditional request)", 400: "Malformed request", 403: "Refused (an update)",
               404: "Not found", 405: "Read-only", 406: "No acceptable format", 413: "Too large",
               415: "Unsupported media type", 503: "Time limit reached or the service is busy"}
    for code in codes:
        answers[str(code)] = {"description": reasons[code]}
        if code >= 400:
            answers[str(code)]["content"] = {"application/json": {"schema": ERROR}}
    return answers


def _query(name: str, description: str, schema: dict[str, Any] | None = None, *, required: bool = False,
           explode: bool = True) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}, "explode": explode}


def _path(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema or {"type": "string"}}


IRIS = {"type": "array", "items": {"type": "string", "format": "uri"}}
PROTOCOL_PARAMETERS = [
    _query("default-graph-uri", "Graphs whose merge is the default graph (SPARQL 1.1 Protocol)", IRIS),
    _query("named-graph-uri", "Graphs available to GRAPH (SPARQL 1.1 Protocol)", IRIS),
    _query("format", "Result format instead of Accept",
           {"type": "string", "enum": ["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml", "nquads", "trig"]}),
]
SPARQL_ANSWERS = _answers("Query results, in the negotiated format", 400, 403, 406, 413, 415, 503)
RDF_BODY = {"schema": {"type": "string"}}
RESOURCE_KINDS = ["organization", "person", "place", "event", "release", "mandate", "figure", "membership"]

DESCRIBED: dict[str, dict[str, Any]] = {
    "/sparql": {
        "get": {
            "summary": "SPARQL query (GET), or the Service Description without a query",
            "parameters": [_query("query", "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)"), *PROTOCOL_PARAMETERS],
            "responses": SPARQL_ANSWERS,
        },
        "post": {
            "summary": "SPARQL query by POST: a form or the query itself as the body",
            "parameters": PROTOCOL_PARAMETERS,
            "requestBody": {"required": True, "content": {
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "required": ["query"],
                    "properties": {"query": {"type": "string"}, "default-graph-uri": IRIS, "named-graph-uri": IRIS}}},
            }},
            "responses": SPARQL_ANSWERS,
        },
    },
    "/validate": {
        "post": {
            "summary": "Validate RDF, a release text or a form upload against the SHACL shapes",
            "requestBody": {"required": True, "content": {
                "text/turtle": RDF_BODY, "application/n-triples": RDF_BODY, "application/n-quads": RDF_BODY,
                "application/trig": RDF_BODY, "application/ld+json": RDF_BODY, "application/rdf+xml": RDF_BODY,
                "text/plain": {"schema": {"type": "string", "description": "A release text, run through the pipeline"}},
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "file": {"type": "string", "format": "binary"}, "data": {"type": "string"},
                    "format": {"type": "string"}}}},
            }},
            "responses": _answers("The validation report (conforming or not)", 400, 406, 413, 415, 503),
        },
    },
    "/id/{kind}/{key}": {
        "get": {
            "summary": "The description of a resource kfgraph minted (Turtle, JSON-LD, N-Triples, RDF/XML, HTML)",
            "parameters": [_path("kind", "What the resource is", {"type": "string", "enum": RESOURCE_KINDS}),
                           _path("key", "Its key, optionally with a format suffix (.ttl, .jsonld, .nt, .rdf, .html)"),
                           _query("page", "Page of a description with many links, from 1", {"type": "string"})],
            "responses": _answers("The description", 304, 400, 404, 406),
        },
    },
    "/releases": {
        "get": {
            "summary": "Releases by year and event type, paged",
            "parameters": [_query("year", "Year of publication", {"type": "string"}),
                           _query("event_type", "An event type, e.g. Exercise"),
                           _query("page", "Page number, from 1", {"type": "string"})],
            "responses": _answers("An HTML list", 304, 400),
        },
    },
    "/entities": {
        "get": {
            "summary": "Entities of a type with mention counts, paged",
            "parameters": [_query("type", "organization, person, place, mandate, event, figure"),
                           _query("page", "Page number, from 1", {"type": "string"})],
            "responses": _answers("An HTML list", 304, 400),
        },
    },
    "/graph": {
        "get": {
            "summary": "A graph of the store (SPARQL 1.1 Graph Store Protocol, read side)",
            "parameters": [_query("graph", "The graph's IRI", {"type": "string", "format": "uri"}),
                           _query("default", "The default graph (the merge of all graphs); give no value",
                                  {"type": "string", "maxLength": 0}),
                           _query("format", "RDF format instead of Accept")],
            "responses": _answers("The graph", 304, 400, 404, 406),
        },
    },
    "/dumps/{name}": {
        "get": {
            "summary": "A dump of the whole dataset",
            "parameters": [_path("name", "kfgraph.nq.gz or kfgraph.trig")],
            "responses": _answers("The dump", 304, 404),
        },
    },
    "/fragments": {
        "get": {
            "summary": "Triple Pattern Fragments: the triples of the default graph matching one pattern, paged",
            "parameters": [_query("subject", "An IRI; empty or ?var for any"),
                           _query("predicate", "An IRI; empty or ?var for any"),
                           _query("object", 'An IRI or a literal ("text", "text"@en, "3700"^^datatype-IRI); empty for any'),
                           _query("page", "Page number, from 1", {"type": "string"})],
            "responses": _answers("The fragment: data, counts and Hydra controls", 304, 400, 404, 406),
        },
    },
    "/context.jsonld": {
        "get": {"summary": "The JSON-LD context every JSON-LD response names", "responses": _answers("The context")},
    },
    "/.well-known/void": {
        "get": {"summary": "The VoID and DCAT description of the dataset", "responses": _answers("VoID", 304, 406)},
    },
}


def describe_api(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of ``app``: FastAPI's own, with ``DESCRIBED`` laid over it (cached on the app)."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        paths = document.setdefault("paths", {})
        for path, operations in DESCRIBED.items():
            for method, operation in operations.items():
                paths.setdefault(path, {})[method] = {**paths.get(path, {}).get(method, {}), **operation}
        document.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        app.openapi_schema = document
    return app.openapi_schema
