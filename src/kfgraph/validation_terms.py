"""The terms kfgraph publishes, and the nearest of them to an unknown one.

The closed-world shape (``kfgsh:VocabularyShape``) reports a schema: or kfg:
term the ontology graph does not declare; kfgraph adds the declared term it was
most likely meant to be: the same name in another case or namespace, else the
closest by ``difflib`` (a typo, a missing letter), else none.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from kfgraph.validation_report import ResultTerms, ValidationResult

PUBLISHED_NAMESPACES = ("https://schema.org/", "https://w3id.org/kfgraph/ontology#")
"""The namespaces whose terms must be declared; ``http://schema.org/`` terms are never known."""
DECLARATIONS = frozenset({RDFS.Class, RDF.Property, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
                          OWL.AnnotationProperty, SKOS.ConceptScheme})
"""The classes that declare a term (as in the shape's query)."""


def declared_terms(triples: Iterable[tuple[Node, Node, Node]]) -> tuple[str, ...]:
    """The schema: and kfg: IRIs typed with a declaring class, sorted."""
    return tuple(sorted({str(s) for s, p, o in triples
                         if p == RDF.type and o in DECLARATIONS and isinstance(s, URIRef)
                         and str(s).startswith(PUBLISHED_NAMESPACES)}))


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1]


def nearest_term(term: str, known: Sequence[str]) -> str | None:
    """The declared term ``term`` was most likely meant to be, or None.

    In the term's own namespace first (``http://schema.org/`` read as ``https://``), then in the
    other: the same name in another case, else the closest name by ``difflib`` (ratio >= 0.6).
    """
    name = _local(term)
    namespace = term[: len(term) - len(name)].replace("http://schema.org/", "https://schema.org/")
    own = [iri for iri in known if iri.startswith(namespace)]
    other = [iri for iri in known if not iri.startswith(namespace)]
    for candidates in (own, other):
        by_name = {_local(iri).lower(): iri for iri in candidates}
        if name.lower() in by_name:
            return by_name[name.lower()]
        close = difflib.get_close_matches(name.lower(), sorted(by_name), n=1, cutoff=0.6)
        if close:
            return by_name[close[0]]
    return None


def with_nearest_term(result: ValidationResult, known: Sequence[str]) -> ValidationResult:
    """The result with ``; nearest known term: <IRI>`` added to its message (its value is the unknown term)."""
    terms = result.terms
    if terms is None or not isinstance(terms.value, URIRef):
        return result
    found = nearest_term(str(terms.value), known)
    message = result.message + (f"; nearest known term: {found}" if found else "; no known term is close")
    return replace(result, message=message,
                   terms=ResultTerms(**{**terms.__dict__, "message": Literal(message)}))


__all__ = ["DECLARATIONS", "PUBLISHED_NAMESPACES", "declared_terms", "nearest_term", "with_nearest_term"]
