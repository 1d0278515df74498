"""The ontology at ``/ontology`` and the SHACL shapes at ``/shapes``.

``https://w3id.org/kfgraph/ontology`` (and every ``kfg:`` term, a hash IRI of
it) is to redirect to ``/ontology``; ``https://w3id.org/kfgraph/shapes`` to
``/shapes``. Both documents are read from ``ontology/*.ttl`` and
``shapes/*.ttl`` once, when the router is made; every representation is
serialized then, so a request only picks bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kfgraph import formats
from kfgraph.formats import Format
from kfgraph.vocab import DCTERMS, KFG
from kfgraph.web.linked_data.rdf_io import RDF_FORMATS, label_of, labelled, new_graph

if TYPE_CHECKING:
    from kfgraph.web.linked_data.publisher import Publisher

ONTOLOGY_IRI = URIRef("https://w3id.org/kfgraph/ontology")
PAGE_FORMATS: tuple[Format, ...] = (formats.TURTLE, formats.HTML, *RDF_FORMATS[1:])


def load_folder(folder: Path) -> Graph:
    """Every ``*.ttl`` of a folder as one graph (prefixes of the files kept)."""
    graph = new_graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _term(graph: Graph, node: Any) -> dict[str, Any]:
    iri = str(node)
    return {
        "iri": iri,
        "anchor": iri.rsplit("#", 1)[-1] if iri.startswith(str(KFG)) else None,
        "label": label_of(graph, node),
        "comment": str(graph.value(node, RDFS.comment) or graph.value(node, SKOS.definition) or ""),
        "notation": str(graph.value(node, SKOS.notation) or ""),
        "domain": labelled(graph, graph.objects(node, RDFS.domain)),
        "range": labelled(graph, graph.objects(node, RDFS.range)),
        "super": labelled(graph, graph.objects(node, RDFS.subClassOf)),
        "broader": labelled(graph, graph.objects(node, SKOS.broader)),
        "close": labelled(graph, graph.objects(node, SKOS.closeMatch)),
    }


def ontology_context(graph: Graph) -> dict[str, Any]:
    """The documentation page's content, generated from the ontology graph."""

    def of_type(cls: URIRef) -> list[dict[str, Any]]:
        nodes = sorted({n for n in graph.subjects(RDF.type, cls) if isinstance(n, URIRef)}, key=str)
        return [_term(graph, n) for n in nodes]

    schemes = []
    for scheme in of_type(SKOS.ConceptScheme):
        members = sorted({c for c in graph.subjects(SKOS.inScheme, URIRef(scheme["iri"]))}, key=str)
        schemes.append({**scheme, "concepts": [_term(graph, c) for c in members]})
    return {
        "label": str(graph.value(ONTOLOGY_IRI, DCTERMS.title) or "kfgraph ontology"),
        "description": str(graph.value(ONTOLOGY_IRI, DCTERMS.description) or ""),
        "version": str(graph.value(ONTOLOGY_IRI, OWL.versionInfo) or ""),
        "license": str(graph.value(ONTOLOGY_IRI, DCTERMS.license) or ""),
        "classes": of_type(OWL.Class),
        "object_properties": of_type(OWL.ObjectProperty),
        "datatype_properties": of_type(OWL.DatatypeProperty),
        "schemes": schemes,
        "namespace": str(KFG),
    }


def add_routes(api: APIRouter, publisher: Publisher) -> None:
    """``/ontology`` (RDF formats and an HTML page) and ``/shapes`` (RDF formats)."""
    settings = publisher.settings
    ontology = load_folder(settings.ontology_dir)
    shapes = load_folder(settings.shapes_dir)
    ontology_bodies = {fmt: publisher.serialize(ontology, fmt) for fmt in RDF_FORMATS}
    shapes_bodies = {fmt: publisher.serialize(shapes, fmt) for fmt in RDF_FORMATS}
    context = ontology_context(ontology)
    # the version IRI (https://w3id.org/kfgraph/ontology/0.1.0) names the current document too
    stems = {"/ontology"} | {publisher.local(str(v)) for v in ontology.objects(ONTOLOGY_IRI, OWL.versionIRI)}

    @api.api_route("/ontology{suffix:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def ontology_document(request: Request, suffix: str) -> Response:
        def body_of(stem: str, fmt: Format) -> bytes:
            if fmt is formats.HTML:
                return publisher.render(request, "ontology.html", {**context, "path": stem, "formats": RDF_FORMATS,
                                                                   "iri": str(ONTOLOGY_IRI)})
            return ontology_bodies[fmt]

        return publisher.document(request, "/ontology" + suffix, stems, PAGE_FORMATS, body_of)

    @api.api_route("/shapes{suffix:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def shapes_document(request: Request, suffix: str) -> Response:
        return publisher.document(request, "/shapes" + suffix, ("/shapes",), RDF_FORMATS,
                                  lambda stem, fmt: shapes_bodies[fmt])
