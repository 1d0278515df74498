"""Whole-dataset access: Graph Store Protocol (read side), dumps, and the VoID/DCAT description.

    GET|HEAD /graph?default            the SPARQL default graph (union of all graphs), any RDF format
    GET|HEAD /graph?graph=<iri>        one named graph (a release, gazetteer or ontology)
    PUT|POST|DELETE|PATCH /graph       405: this server is read-only
    GET|HEAD /dumps/kfgraph.nq.gz      every quad, N-Quads, gzip
    GET|HEAD /dumps/kfgraph.trig       every quad, TriG
    GET|HEAD /.well-known/void         VoID + DCAT, by negotiation (also .ttl/.jsonld/.nt/.rdf)
    GET      /dumps                    an HTML index of the above

Dumps and graphs are written by the store into a temporary file inside the
response iterator (so in a worker thread, never in memory) and streamed in
chunks. Their ETag is derived from the store state, so a 304 costs no dump.
"""

from __future__ import annotations

import gzip
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from kfgraph import formats
from kfgraph.errors import NotFoundError, QueryError
from kfgraph.formats import Format
from kfgraph.store.oxigraph import OxigraphStore
from kfgraph.web import jsonld
from kfgraph.web.linked_data.rdf_io import RDF_FORMATS, etag_of, new_graph, select

if TYPE_CHECKING:
    from kfgraph.web.linked_data.publisher import Publisher

VOID = Namespace("http://rdfs.org/ns/void#")
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
"""Licence stated for the dataset in VoID (the lead to confirm; the ontology itself is Apache-2.0)."""
CHUNK = 64 * 1024
DUMPS: dict[str, tuple[Format, bool]] = {
    "kfgraph.nq.gz": (formats.N_QUADS, True),
    "kfgraph.trig": (formats.TRIG, False),
}
"""Dump file name -> (format, gzipped?)."""
VOID_FORMATS: tuple[Format, ...] = (formats.TURTLE, *RDF_FORMATS[1:])


def stream_to_client(write: Callable[[IO[bytes]], None], *, compress: bool = False) -> Iterator[bytes]:
    """Run ``write(file)`` into a temporary file, then yield it in chunks; runs lazily (in the iterating thread)."""
    with tempfile.TemporaryFile() as spool:
        if compress:
            with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=6, mtime=0) as zipped:
                write(zipped)  # type: ignore[arg-type]  # GzipFile is a binary file object
        else:
            write(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


def _union_writer(store: OxigraphStore, fmt: Format) -> Callable[[IO[bytes]], None]:
    def write(output: IO[bytes]) -> None:
        # the store's default graph is the merge of all graphs (store/oxigraph.py)
        store.inner.dump(output, getattr(ox.RdfFormat, str(fmt.oxigraph)), from_graph=ox.DefaultGraph())

    return write


class VoidDescription:
    """The dataset description, computed once per app (the served store is read-only) and cached."""

    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher
        self._bodies: dict[Format, bytes] | None = None
        self._lock = threading.Lock()

    def body(self, fmt: Format) -> bytes:
        with self._lock:
            if self._bodies is None:
                graph = self.graph()
                self._bodies = {f: self.publisher.serialize(graph, f) for f in VOID_FORMATS}
            return self._bodies[fmt]

    def graph(self) -> Any:
        p = self.publisher
        base, store = p.base, p.store
        g = new_graph()
        g.bind("void", VOID)
        g.bind("dcat", DCAT)
        g.bind("foaf", FOAF)
        ds = URIRef(f"{base}.well-known/void#kfgraph")
        id_space = f"{base}id/"
        g.add((ds, RDF.type, VOID.Dataset))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCTERMS.title, Literal("kfgraph: NATO KFOR press releases as a knowledge graph", lang="en")))
        g.add((ds, DCTERMS.description, Literal(
            "Organizations, people, places, mandates, events and figures read from KFOR press releases, "
            "with the character spans they were read from.", lang="en")))
        g.add((ds, DCTERMS.license, URIRef(DATA_LICENSE)))
        g.add((ds, DCTERMS.modified, Literal(p.http_iso(), datatype=XSD.dateTime)))
        g.add((ds, VOID.uriSpace, Literal(id_space)))
        g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
        g.add((ds, VOID.vocabulary, URIRef("https://w3id.org/kfgraph/ontology")))
        g.add((ds, DCAT.landingPage, URIRef(base)))
        for page in ("releases", "entities", "ontology", "shapes"):
            g.add((ds, URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso"), URIRef(f"{base}{page}")))
        g.add((ds, VOID.uriLookupEndpoint, Literal(f"{base}fragments?subject=")))  # Triple Pattern Fragments
        self._linksets(g, ds)
        for name, (fmt, compressed) in DUMPS.items():
            url = URIRef(f"{base}dumps/{name}")
            g.add((ds, VOID.dataDump, url))
            dist = BNode()
            g.add((ds, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCAT.downloadURL, url))
            g.add((dist, DCAT.mediaType, Literal(fmt.media_type)))
            if compressed:
                g.add((dist, DCAT.compressFormat, Literal("application/gzip")))
            if fmt.w3c_iri:
                g.add((dist, DCTERMS["format"], URIRef(fmt.w3c_iri)))
        count = select(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        g.add((ds, VOID.triples, Literal(int(str(count[0]["n"])), datatype=XSD.integer)))
        space = f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{id_space}") && !CONTAINS(STR(?s), "#"))'
        entities = select(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c {space} }}")
        g.add((ds, VOID.entities, Literal(int(str(entities[0]["n"])), datatype=XSD.integer)))
        for row in select(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"):
            part = BNode()
            g.add((ds, VOID.classPartition, part))
            g.add((part, VOID["class"], row["c"]))
            g.add((part, VOID.entities, Literal(int(str(row["n"])), datatype=XSD.integer)))
        for row in select(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p ORDER BY ?p"):
            part = BNode()
            g.add((ds, VOID.propertyPartition, part))
            g.add((part, VOID.property, row["p"]))
            g.add((part, VOID.triples, Literal(int(str(row["n"])), datatype=XSD.integer)))
        for kind in ("release", "organization", "person", "place", "mandate", "event", "figure", "membership", "role"):
            prefix = f"{id_space}{kind}/"
            rows = select(store, f'SELECT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{prefix}") && !CONTAINS(STR(?s), "#")) }} ORDER BY ?s LIMIT 1')
            if rows:
                g.add((ds, VOID.exampleResource, rows[0]["s"]))
        return g


    LINK_TARGETS = {"geonames": ("http://sws.geonames.org/", "GeoNames"),
                    "wikidata": ("http://www.wikidata.org/entity/", "Wikidata")}

    def _linksets(self, g: Any, ds: URIRef) -> None:
        """A ``void:Linkset`` per dataset kfgraph links to, per link predicate, with its size."""
        for key, (prefix, title) in self.LINK_TARGETS.items():
            rows = select(self.publisher.store, f"""SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o
                FILTER(?p IN (skos:exactMatch, skos:closeMatch, owl:sameAs) && STRSTARTS(STR(?o), "{prefix}")) }}
                GROUP BY ?p ORDER BY ?p""")
            target = URIRef(f"{self.publisher.base}.well-known/void#{key}")
            if rows:
                g.add((target, RDF.type, VOID.Dataset))
                g.add((target, DCTERMS.title, Literal(title)))
                g.add((target, VOID.uriSpace, Literal(prefix)))
            for row in rows:
                linkset = URIRef(f"{self.publisher.base}.well-known/void#{key}-{str(row['p']).rsplit('#', 1)[-1]}")
                g.add((ds, VOID.subset, linkset))
                g.add((linkset, RDF.type, VOID.Linkset))
                g.add((linkset, VOID.subjectsTarget, ds))
                g.add((linkset, VOID.objectsTarget, target))
                g.add((linkset, VOID.linkPredicate, row["p"]))
                g.add((linkset, VOID.triples, Literal(int(str(row["n"])), datatype=XSD.integer)))


def add_routes(api: APIRouter, publisher: Publisher) -> None:
    """GSP read side, dumps, VoID and the dumps index page."""
    void = VoidDescription(publisher)
    state_tag = etag_of(str(publisher.last_modified), publisher.base)

    def stream(request: Request, fmt: Format, write: Callable[[IO[bytes]], None], *, compress: bool = False,
               negotiated: bool, extra: dict[str, str] | None = None) -> Response:
        etag = etag_of(state_tag, fmt.media_type, str(compress), request.url.query)
        headers = {"ETag": etag, "Last-Modified": publisher.http_date(), **(extra or {})}
        if negotiated:
            headers["Vary"] = "Accept"
        media = "application/gzip" if compress else fmt.content_type
        if publisher.not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        if request.method == "HEAD":
            return Response(b"", media_type=media, headers=headers)
        body = stream_to_client(write, compress=compress)
        if fmt is formats.JSON_LD and not compress:  # pyoxigraph writes expanded JSON-LD: name the context all the same
            body = jsonld.wrap_stream(body, publisher.context_url)
        return StreamingResponse(body, media_type=media, headers=headers)

    @api.api_route("/graph", methods=["GET", "HEAD"], include_in_schema=False)
    def graph_store(request: Request) -> Response:
        params = request.query_params
        if ("default" in params) == ("graph" in params):
            raise QueryError("give exactly one of ?default or ?graph=<IRI>")
        fmt = formats.by_name(params["format"], among=RDF_FORMATS) if "format" in params else None
        negotiated = fmt is None
        if fmt is None:
            from kfgraph.web.negotiation import negotiate

            fmt = negotiate(request.headers.get("accept"), RDF_FORMATS)
        store = publisher.store
        write: Callable[[IO[bytes]], None]
        if "graph" in params:
            name = params["graph"]
            if not publisher.access.has_graph(name):
                raise NotFoundError(f"no graph <{name}>")
            media_type = fmt.media_type

            def write_graph(output: IO[bytes]) -> None:
                store.dump(output, media_type, graph=name)

            write = write_graph
        elif isinstance(store, OxigraphStore):
            write = _union_writer(store, fmt)
        else:
            union_type = fmt.media_type  # a remote store dumps the union for a graph format

            def write_union(output: IO[bytes]) -> None:
                store.dump(output, union_type)

            write = write_union
        return stream(request, fmt, write, negotiated=negotiated)

    @api.api_route("/graph", methods=["PUT", "POST", "DELETE", "PATCH"], include_in_schema=False)
    def graph_write(request: Request) -> Response:
        from kfgraph.web.errors import error_response

        return error_response(405, "method-not-allowed", "this server is read-only: graphs cannot be changed",
                              {"Allow": "GET, HEAD"})

    @api.api_route("/dumps/{name}", methods=["GET", "HEAD"], include_in_schema=False)
    def dump(request: Request, name: str) -> Response:
        if name not in DUMPS:
            raise NotFoundError(f"no dump {name!r}; available: {', '.join(DUMPS)}")
        fmt, compressed = DUMPS[name]
        store = publisher.store
        media_type = fmt.media_type

        def write(output: IO[bytes]) -> None:
            store.dump(output, media_type)

        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        return stream(request, fmt, write, compress=compressed, negotiated=False, extra=disposition)

    @api.api_route("/.well-known/void{suffix:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def void_description(request: Request, suffix: str) -> Response:
        return publisher.document(request, "/.well-known/void" + suffix, ("/.well-known/void",), VOID_FORMATS,
                                  lambda stem, fmt: void.body(fmt))

    @api.get("/dumps", include_in_schema=False)
    def dumps_page(request: Request) -> Response:
        graphs = sorted(publisher.store.graph_names())
        body = publisher.render(request, "listing.html", {
            "active": "/dumps", "title": "Dumps and dataset description", "mode": "dumps",
            "dumps": [{"name": n, "format": f.name, "gzip": z} for n, (f, z) in DUMPS.items()],
            "void_formats": VOID_FORMATS, "graph_count": len(graphs), "shared_graphs": [g for g in graphs if "/graph/" in g],
        })
        return publisher.respond(request, body, formats.HTML, negotiated=False)
