"""The only table of RDF and SPARQL results formats kfgraph reads or writes.

A ``Format`` is a value: its name, media type (plus accepted aliases), file
extension, short names for ``?format=``, and the serializer names for
pyoxigraph and rdflib. Everything else (negotiation, downloads, dumps) looks
formats up here instead of typing media types.

>>> by_media_type("application/json") is SPARQL_JSON
True
>>> by_extension(".ttl") is TURTLE
True
>>> by_name("nt") is N_TRIPLES
True
>>> by_name("json", among=GRAPH_FORMATS) is JSON_LD
True
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class Kind(enum.Enum):
    """What a format can carry."""

    RESULTS = "results"  # SELECT / ASK results
    GRAPH = "graph"  # triples (CONSTRUCT / DESCRIBE, dumps)
    DATASET = "dataset"  # quads; also accepts plain triples
    PAGE = "page"  # HTML for people


@dataclass(frozen=True)
class Format:
    """One serialization format."""

    name: str
    media_type: str
    extension: str
    kind: Kind
    short_names: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    """Other media types that mean this format (accepted in Accept / Content-Type)."""
    oxigraph: str | None = None
    """Attribute of ``pyoxigraph.RdfFormat`` / ``QueryResultsFormat`` (kept as a name: no import here)."""
    rdflib: str | None = None
    """rdflib parser/serializer plugin name."""
    w3c_iri: str | None = None
    """The W3C format IRI (http://www.w3.org/ns/formats/), used in the service description."""

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value to send."""
        textual = self.media_type.startswith("text/") or self.kind is Kind.PAGE
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type

    def __str__(self) -> str:
        return self.name


_W3C = "http://www.w3.org/ns/formats/"

SPARQL_JSON = Format(
    "SPARQL JSON results", "application/sparql-results+json", "srj", Kind.RESULTS, ("json", "srj"),
    aliases=("application/json",), oxigraph="JSON", rdflib="json", w3c_iri=_W3C + "SPARQL_Results_JSON",
)
SPARQL_XML = Format(
    "SPARQL XML results", "application/sparql-results+xml", "srx", Kind.RESULTS, ("xml", "srx"),
    aliases=("application/xml",), oxigraph="XML", rdflib="xml", w3c_iri=_W3C + "SPARQL_Results_XML",
)
SPARQL_CSV = Format(
    "SPARQL CSV results", "text/csv", "csv", Kind.RESULTS, ("csv",),
    oxigraph="CSV", rdflib="csv", w3c_iri=_W3C + "SPARQL_Results_CSV",
)
SPARQL_TSV = Format(
    "SPARQL TSV results", "text/tab-separated-values", "tsv", Kind.RESULTS, ("tsv",),
    oxigraph="TSV", rdflib="tsv", w3c_iri=_W3C + "SPARQL_Results_TSV",
)
TURTLE = Format(
    "Turtle", "text/turtle", "ttl", Kind.GRAPH, ("turtle", "ttl"),
    aliases=("application/x-turtle",), oxigraph="TURTLE", rdflib="turtle", w3c_iri=_W3C + "Turtle",
)
N_TRIPLES = Format(
    "N-Triples", "application/n-triples", "nt", Kind.GRAPH, ("nt", "ntriples", "n-triples"),
    oxigraph="N_TRIPLES", rdflib="nt", w3c_iri=_W3C + "N-Triples",
)
JSON_LD = Format(
    "JSON-LD", "application/ld+json", "jsonld", Kind.GRAPH, ("jsonld", "json-ld", "json"),
    oxigraph="JSON_LD", rdflib="json-ld", w3c_iri=_W3C + "JSON-LD",
)
RDF_XML = Format(
    "RDF/XML", "application/rdf+xml", "rdf", Kind.GRAPH, ("rdfxml", "rdf", "xml"),
    oxigraph="RDF_XML", rdflib="xml", w3c_iri=_W3C + "RDF_XML",
)
N_QUADS = Format(
    "N-Quads", "application/n-quads", "nq", Kind.DATASET, ("nquads", "nq", "n-quads"),
    oxigraph="N_QUADS", rdflib="nquads", w3c_iri=_W3C + "N-Quads",
)
TRIG = Format(
    "TriG", "application/trig", "trig", Kind.DATASET, ("trig",),
    oxigraph="TRIG", rdflib="trig", w3c_iri=_W3C + "TriG",
)
HTML = Format("HTML", "text/html", "html", Kind.PAGE, ("html",), aliases=("application/xhtml+xml",))

RESULTS_FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
"""Formats for SELECT / ASK, in the server's order of preference."""
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML, N_QUADS, TRIG)
"""Formats for CONSTRUCT / DESCRIBE (triples; the dataset formats put them in the default graph)."""
ALL_FORMATS: tuple[Format, ...] = (*RESULTS_FORMATS, *GRAPH_FORMATS, HTML)


def _bare(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def by_media_type(media_type: str, *, among: Iterable[Format] = ALL_FORMATS) -> Format | None:
    """The format whose media type or alias is ``media_type`` (parameters ignored), else None."""
    wanted = _bare(media_type)
    for fmt in among:
        if wanted in fmt.media_types:
            return fmt
    return None


def by_extension(extension: str, *, among: Iterable[Format] = ALL_FORMATS) -> Format | None:
    """The format for a file extension, with or without the dot, else None."""
    wanted = extension.lower().lstrip(".")
    for fmt in among:
        if wanted == fmt.extension:
            return fmt
    return None


def by_name(name: str, *, among: Sequence[Format] = ALL_FORMATS) -> Format | None:
    """The first format of ``among`` with this short name (``json``, ``ttl``, ``nquads`` …) or media type."""
    wanted = name.strip().lower()
    if "/" in wanted:
        return by_media_type(wanted, among=among)
    for fmt in among:
        if wanted in fmt.short_names:
            return fmt
    return None
