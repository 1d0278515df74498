"""Reading untrusted RDF safely: format detection, parsing, errors with line and column.

    fmt = input_format(name="turtle")                     # --input-format
    fmt = input_format(filename="data.nq")                # by extension
    fmt = input_format(media_type="application/trig")     # by Content-Type
    graph = parse_rdf(data, fmt, source="data.nq")        # rdflib Graph, union of all graphs
    graphs = parse_rdf_graphs(data, fmt, source="data.nq")  # {graph name or None: rdflib Graph}

Parsing is done by pyoxigraph, which never loads anything from the network
(JSON-LD remote contexts are refused) and reports the line and column of a
syntax error. pyoxigraph does expand entities declared in an RDF/XML DTD, so
RDF/XML passes two gates before it: the raw text must be UTF-8 (the only
encoding pyoxigraph reads it in, so no other encoding can hide anything) and
may not contain a DOCTYPE, an entity or any other markup declaration anywhere,
comments and CDATA included (``kfgraph.markup_declarations``); then a
``defusedxml`` SAX pass (nothing kept, DTDs forbidden) checks it is
well-formed. Nothing is ever expanded or fetched ("billion laughs", XXE).

Every refusal is an ``RdfSyntaxError`` (HTTP 400, exit 2) whose message names
the source, line and column; an unknown format is ``UnsupportedRdfFormatError``
(HTTP 415, exit 2).
"""

from __future__ import annotations

import codecs
import re
import xml.sax
import xml.sax.handler
from pathlib import PurePath

import defusedxml.sax
import pyoxigraph as ox
from defusedxml.common import DefusedXmlException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kfgraph import formats
from kfgraph.errors import RdfSyntaxError, UnsupportedRdfFormatError
from kfgraph.formats import Format
from kfgraph.markup_declarations import find_declaration

INPUT_FORMATS: tuple[Format, ...] = (
    formats.TURTLE,
    formats.N_TRIPLES,
    formats.N_QUADS,
    formats.TRIG,
    formats.JSON_LD,
    formats.RDF_XML,
)
"""RDF formats accepted as input, in the order ``--input-format`` lists them."""

INPUT_FORMAT_NAMES: dict[str, Format] = {
    "turtle": formats.TURTLE,
    "nt": formats.N_TRIPLES,
    "nq": formats.N_QUADS,
    "trig": formats.TRIG,
    "jsonld": formats.JSON_LD,
    "rdfxml": formats.RDF_XML,
}
"""The ``--input-format`` choices."""

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_EXTRA_EXTENSIONS = {"owl": formats.RDF_XML, "xml": formats.RDF_XML, "json": formats.JSON_LD, "n3": formats.TURTLE}


def input_format(*, name: str | None = None, filename: str | None = None, media_type: str | None = None) -> Format:
    """The input format: an explicit ``name`` first, else the file extension, else the media type.

    Raises ``UnsupportedRdfFormatError`` when none of them names an RDF format.
    """
    if name:
        fmt = INPUT_FORMAT_NAMES.get(name.lower()) or formats.by_name(name, among=INPUT_FORMATS)
        if fmt is None:
            raise UnsupportedRdfFormatError(f"unknown input format {name!r}; use one of {', '.join(INPUT_FORMAT_NAMES)}")
        return fmt
    if filename:
        suffix = PurePath(filename).suffix.lower().lstrip(".")
        fmt = formats.by_extension(suffix, among=INPUT_FORMATS) or _EXTRA_EXTENSIONS.get(suffix)
        if fmt is not None:
            return fmt
    if media_type:
        fmt = formats.by_media_type(media_type, among=INPUT_FORMATS)
        if fmt is not None:
            return fmt
    described = ", ".join(x for x in (filename and f"file {filename!r}", media_type and f"type {media_type!r}") if x)
    accepted = ", ".join(f.media_type for f in INPUT_FORMATS)
    raise UnsupportedRdfFormatError(f"cannot tell the RDF format of {described or 'the input'}; accepted: {accepted}")


_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def check_xml_is_safe(data: bytes, *, source: str) -> None:
    """Refuse RDF/XML that is not UTF-8 or holds any DTD part, before any XML parser reads it.

    Then a ``defusedxml`` pass (DTDs forbidden) reports malformed XML with its line and column.
    """
    if data.startswith(_WIDE_BOMS) or b"\x00" in data[:4096]:
        raise RdfSyntaxError(f"{source}: refused RDF/XML: it is not UTF-8 (UTF-16 or UTF-32?); save it as UTF-8")
    body = data.removeprefix(codecs.BOM_UTF8)
    declared = _XML_ENCODING.match(body)
    if declared and declared.group(1).decode("ascii").lower() not in _UTF8_NAMES:
        raise RdfSyntaxError(
            f"{source}: refused RDF/XML: encoding {declared.group(1).decode('ascii')!r} is not supported; save it as UTF-8"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RdfSyntaxError(
            f"{source}: refused RDF/XML: not UTF-8 (invalid byte 0x{body[error.start]:02x} at offset {error.start})"
        ) from None
    found = find_declaration(text)
    if found is not None:
        raise RdfSyntaxError(f"{source}: line {found.line}, column {found.column}: refused RDF/XML: {found.reason}")
    try:
        defusedxml.sax.parseString(
            data, xml.sax.handler.ContentHandler(), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise RdfSyntaxError(f"{source}: refused RDF/XML: {_describe_defused(error)}") from error
    except xml.sax.SAXParseException as error:
        raise RdfSyntaxError(
            f"{source}: line {error.getLineNumber()}, column {(error.getColumnNumber() or 0) + 1}: {error.getMessage()}"
        ) from error


def _describe_defused(error: DefusedXmlException) -> str:
    name = getattr(error, "name", None)
    system_id = getattr(error, "sysid", None)
    if system_id:
        return f"external entity {name!r} ({system_id}) is not allowed; nothing was fetched"
    if name:
        return f"entity declaration {name!r} is not allowed (entities are never expanded)"
    return f"{type(error).__name__}: DTDs with external parts and entity declarations are not allowed"


def parse_rdf(data: bytes, fmt: Format, *, source: str, base_iri: str | None = None) -> Graph:
    """Parse ``data`` into one rdflib Graph (quads lose their graph name: the union is validated).

    Raises ``RdfSyntaxError`` with ``source: line L, column C: reason`` on bad input.
    """
    if fmt not in INPUT_FORMATS:
        raise UnsupportedRdfFormatError(f"{fmt.name} is not an RDF input format")
    if fmt is formats.RDF_XML:
        check_xml_is_safe(data, source=source)
    ox_format = getattr(ox.RdfFormat, fmt.oxigraph or "")
    graph = Graph()
    terms: dict[object, Node] = {}
    try:
        for quad in ox.parse(data, ox_format, base_iri=base_iri, lenient=False):
            graph.add((_term(quad.subject, terms), _term(quad.predicate, terms), _term(quad.object, terms)))
    except SyntaxError as error:
        raise RdfSyntaxError(f"{source}: {_describe_syntax_error(error)}") from error
    except ValueError as error:  # e.g. an invalid base IRI or an unsupported RDF 1.2 triple term
        raise RdfSyntaxError(f"{source}: {error}") from error
    return graph


def parse_rdf_graphs(data: bytes, fmt: Format, *, source: str, base_iri: str | None = None) -> dict[str | None, Graph]:
    """Parse ``data`` into one rdflib Graph per graph name, ``None`` naming the default graph (in file order).

    Triples formats give ``{None: graph}``. Refuses what :func:`parse_rdf` refuses, with the same errors.
    """
    if fmt not in INPUT_FORMATS:
        raise UnsupportedRdfFormatError(f"{fmt.name} is not an RDF input format")
    if fmt is formats.RDF_XML:
        check_xml_is_safe(data, source=source)
    ox_format = getattr(ox.RdfFormat, fmt.oxigraph or "")
    graphs: dict[str | None, Graph] = {}
    terms: dict[object, Node] = {}
    try:
        for quad in ox.parse(data, ox_format, base_iri=base_iri, lenient=False):
            name = None if isinstance(quad.graph_name, ox.DefaultGraph) else str(_term(quad.graph_name, terms))
            graph = graphs.get(name)
            if graph is None:
                graph = graphs[name] = Graph()
            graph.add((_term(quad.subject, terms), _term(quad.predicate, terms), _term(quad.object, terms)))
    except SyntaxError as error:
        raise RdfSyntaxError(f"{source}: {_describe_syntax_error(error)}") from error
    except ValueError as error:
        raise RdfSyntaxError(f"{source}: {error}") from error
    return graphs or {None: Graph()}


def _describe_syntax_error(error: SyntaxError) -> str:
    message = str(error.msg if error.msg else error)
    if error.lineno is not None:
        # pyoxigraph: "Parser error at line 3 column 11: <reason> (line 3)"; keep the reason, say where uniformly.
        reason = message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
        if reason.endswith(f" (line {error.lineno})"):
            reason = reason[: -len(f" (line {error.lineno})")]
        return f"line {error.lineno}, column {error.offset or 1}: {reason}"
    return message


def _term(term: object, cache: dict[object, Node]) -> Node:
    found = cache.get(term)
    if found is not None:
        return found
    node: Node
    if isinstance(term, ox.NamedNode):
        node = URIRef(term.value)
    elif isinstance(term, ox.BlankNode):
        node = BNode(term.value)
    elif isinstance(term, ox.Literal):
        if term.language:
            node = Literal(term.value, lang=term.language)
        elif term.datatype.value == _XSD_STRING:
            node = Literal(term.value)  # rdflib keeps "x" and "x"^^xsd:string apart; RDF 1.1 does not
        else:
            node = Literal(term.value, datatype=URIRef(term.datatype.value))
    else:
        raise RdfSyntaxError(f"unsupported RDF term {term!r} (RDF 1.2 triple terms are not accepted)")
    if len(cache) < 100_000:
        cache[term] = node
    return node


__all__ = [
    "INPUT_FORMATS",
    "INPUT_FORMAT_NAMES",
    "UnsupportedRdfFormatError",
    "check_xml_is_safe",
    "input_format",
    "parse_rdf",
    "parse_rdf_graphs",
]
