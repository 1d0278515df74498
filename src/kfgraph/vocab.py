"""The vocabularies kfgraph writes, as closed namespaces: an unknown term is an error.

``KFG`` is our ontology (``ontology/kfgraph.ttl``, checked by a test); the
others are the standard vocabularies we reuse. Concept schemes (ranks, event
types, place kinds) have namespaces of their own so their IRIs read well.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    GEO,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
)

SCHEMA = SDO
"""schema.org with the https scheme, as the vocabulary contract says."""


class KFG(DefinedNamespace):
    """kfgraph's own terms; every one is declared in ontology/kfgraph.ttl."""

    _NS = Namespace("https://w3id.org/kfgraph/ontology#")
    _fail = True

    # classes
    Mention: URIRef
    Figure: URIRef
    ForceFigure: URIRef
    # concept schemes
    RankScheme: URIRef
    EventTypeScheme: URIRef
    PlaceKindScheme: URIRef
    FigureKindScheme: URIRef
    CameoScheme: URIRef
    # properties
    eventType: URIRef
    rank: URIRef
    placeKind: URIRef
    operatesUnder: URIRef
    dateline: URIRef
    byline: URIRef
    checksum: URIRef
    sourceFile: URIRef
    attestedOn: URIRef
    hasMention: URIRef
    evidence: URIRef
    reportsFigure: URIRef
    figureOf: URIRef
    figureKind: URIRef
    # build provenance (a prov:Activity per build)
    releasesRead: URIRef
    releasesStored: URIRef
    releasesQuarantined: URIRef
    releasesUnreadable: URIRef
    triplesStored: URIRef
    # Data Cube dimensions and measure of the build-time summaries
    refYear: URIRef
    refEventType: URIRef
    refPlace: URIRef
    refActor: URIRef
    eventCount: URIRef


class SEM(DefinedNamespace):
    """Simple Event Model (van Hage et al. 2011), the terms we use."""

    _NS = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    _fail = True

    Event: URIRef
    Actor: URIRef
    Place: URIRef
    hasActor: URIRef
    hasPlace: URIRef
    hasTimeStamp: URIRef


class QB(DefinedNamespace):
    """The W3C RDF Data Cube Vocabulary, the terms the build-time summaries use."""

    _NS = Namespace("http://purl.org/linked-data/cube#")
    _fail = True

    DataSet: URIRef
    Observation: URIRef
    DataStructureDefinition: URIRef
    ComponentSpecification: URIRef
    dataSet: URIRef
    structure: URIRef
    component: URIRef
    dimension: URIRef
    measure: URIRef
    order: URIRef


class WGS(DefinedNamespace):
    """W3C Basic Geo with the http scheme (rdflib's WGS wrongly uses https)."""

    _NS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    _fail = True

    SpatialThing: URIRef
    Point: URIRef
    lat: URIRef
    long: URIRef


class NIF(DefinedNamespace):
    """NLP Interchange Format 2.0 core: character spans in a text."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    Context: URIRef
    OffsetBasedString: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    referenceContext: URIRef
    isString: URIRef


class HYDRA(DefinedNamespace):
    """Hydra Core: collections, their counts and paging (descriptions), and Triple Pattern Fragments controls."""

    _NS = Namespace("http://www.w3.org/ns/hydra/core#")
    _fail = True

    Collection: URIRef
    PartialCollectionView: URIRef
    IriTemplate: URIRef
    IriTemplateMapping: URIRef
    totalItems: URIRef
    manages: URIRef
    subject: URIRef
    property: URIRef
    object: URIRef
    view: URIRef
    first: URIRef
    previous: URIRef
    next: URIRef
    last: URIRef
    search: URIRef
    template: URIRef
    variableRepresentation: URIRef
    ExplicitRepresentation: URIRef
    mapping: URIRef
    variable: URIRef
    itemsPerPage: URIRef


class VOID(DefinedNamespace):
    """VoID, the Vocabulary of Interlinked Datasets: dataset, linkset and fragment counts."""

    _NS = Namespace("http://rdfs.org/ns/void#")
    _fail = True

    Dataset: URIRef
    Linkset: URIRef
    subset: URIRef
    target: URIRef
    linkPredicate: URIRef
    triples: URIRef
    entities: URIRef
    uriSpace: URIRef
    sparqlEndpoint: URIRef
    vocabulary: URIRef
    dataDump: URIRef
    classPartition: URIRef
    propertyPartition: URIRef
    property: URIRef
    exampleResource: URIRef
    uriLookupEndpoint: URIRef
    rootResource: URIRef
    inDataset: URIRef

    # ``class`` is a Python keyword: VOID["class"]
    _extras = ["class"]


RANK = Namespace("https://w3id.org/kfgraph/rank/")
"""NATO rank codes as SKOS concepts: ``RANK["OF-7"]``."""
EVENT_TYPE = Namespace("https://w3id.org/kfgraph/event-type/")
"""The twelve event types: ``EVENT_TYPE["Exercise"]``."""
PLACE_KIND = Namespace("https://w3id.org/kfgraph/place-kind/")
"""Kinds of place: ``PLACE_KIND["crossing"]``."""
FIGURE_KIND = Namespace("https://w3id.org/kfgraph/figure-kind/")
"""What a figure counts: ``FIGURE_KIND["ForceStrength"]``."""
CAMEO = Namespace("https://w3id.org/kfgraph/cameo/")
"""CAMEO event codes (Schrodt 2012) as SKOS concepts: ``CAMEO["042"]``."""

PREFIXES: dict[str, str] = {
    "schema": str(SCHEMA),
    "kfg": str(KFG),
    "org": str(ORG),
    "sem": str(SEM),
    "prov": str(PROV),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "wgs": str(WGS),
    "geo": str(GEO),
    "time": str(TIME),
    "dcterms": str(DCTERMS),
    "nif": str(NIF),
    "qb": str(QB),
    "rank": str(RANK),
    "etype": str(EVENT_TYPE),
    "pkind": str(PLACE_KIND),
    "fkind": str(FIGURE_KIND),
    "cameo": str(CAMEO),
}
"""The published prefixes, used by serializers, the query page and the README."""


def sparql_prologue(names: tuple[str, ...] | None = None) -> str:
    """``PREFIX`` lines for the given prefixes (all by default)."""
    chosen = PREFIXES if names is None else {name: PREFIXES[name] for name in names}
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in chosen.items())


__all__ = [
    "CAMEO",
    "DCTERMS",
    "EVENT_TYPE",
    "FIGURE_KIND",
    "GEO",
    "HYDRA",
    "KFG",
    "NIF",
    "ORG",
    "OWL",
    "PLACE_KIND",
    "PREFIXES",
    "PROV",
    "QB",
    "RANK",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SEM",
    "SKOS",
    "TIME",
    "VOID",
    "WGS",
    "XSD",
    "sparql_prologue",
]
