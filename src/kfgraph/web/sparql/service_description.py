"""The SPARQL 1.1 Service Description of ``/sparql`` (answered to a GET without a query)."""

from __future__ import annotations

from html import escape

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from kfgraph import formats
from kfgraph.formats import Format
from kfgraph.settings import Settings
from kfgraph.web import jsonld

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

OFFERED: tuple[Format, ...] = (formats.TURTLE, formats.JSON_LD, formats.HTML, formats.N_TRIPLES, formats.RDF_XML)
"""Representations of the description, in the server's order of preference."""

UNION_COMMENT = (
    "The default graph is the union (RDF merge, each triple once) of all named graphs (one per release), unless the request "
    "names graphs with default-graph-uri / named-graph-uri or the query has FROM / FROM NAMED."
)


def description_graph(endpoint: str, settings: Settings) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if settings.allowed_service_hosts:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in (*formats.RESULTS_FORMATS, *formats.GRAPH_FORMATS):
        if fmt.w3c_iri:
            graph.add((service, SD.resultFormat, URIRef(fmt.w3c_iri)))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDFS.comment, Literal(UNION_COMMENT, lang="en")))
    graph.add((service, RDFS.comment, Literal(
        f"Read-only SPARQL 1.1 endpoint of kfgraph. Queries stop after {settings.query_timeout:g} s; "
        f"results are cut at {settings.max_result_rows} rows (signalled by the X-Kfgraph-Truncated header).",
        lang="en",
    )))
    return graph


def render(endpoint: str, settings: Settings, fmt: Format) -> bytes:
    """The description in ``fmt`` (one of ``OFFERED``)."""
    graph = description_graph(endpoint, settings)
    if fmt is formats.HTML:
        return _html(endpoint, graph)
    if fmt is formats.JSON_LD:
        return jsonld.compact(graph, jsonld.context_url(settings.base_iri))
    return graph.serialize(format=str(fmt.rdflib), encoding="utf-8")


def _html(endpoint: str, graph: Graph) -> bytes:
    turtle = graph.serialize(format="turtle")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kfgraph SPARQL endpoint</title></head>
<body>
<h1>kfgraph SPARQL 1.1 endpoint</h1>
<p>Send queries to <code>{escape(endpoint)}</code> with <code>?query=</code> (GET) or POST
(<code>application/x-www-form-urlencoded</code> or <code>application/sparql-query</code>).
This endpoint is read-only.</p>
<p>{escape(UNION_COMMENT)}</p>
<h2>Service description</h2>
<pre>{escape(turtle)}</pre>
</body></html>
"""
    return page.encode("utf-8")
