"""The one place IRIs are minted. Same input, same IRI: rebuilds are isomorphic.

Data IRIs live under the configurable base (default ``http://localhost:8000/``):

    {base}id/release/{identifier}           a release; also the name of its graph
    {base}id/{organization|person|place|mandate}/{key}
    {base}id/event/{identifier}-{n}         the n-th event of a release
    {base}id/figure/{identifier}-{n}        the n-th force figure of a release
    {base}id/role/{slug}                    an org:Role such as "commander"
    {base}id/membership/{person}.{role}.{organization}
    {release}#char={start},{end}            a mention (RFC 5147 fragment)
    {base}graph/{gazetteer|ontology|links}  graphs of shared facts (links: to GeoNames and Wikidata)
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from rdflib import URIRef

from kfgraph.models import EntityKind, EntityRef


def slugify(text: str) -> str:
    """A readable, stable IRI segment: ``"Angelo Michele Ristuccia"`` -> ``angelo-michele-ristuccia``.

    >>> slugify("D’Addario, Lorenzo")
    'daddario-lorenzo'
    >>> slugify("Prishtinë")
    'prishtine'
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"['’`]", "", folded)
    folded = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return folded or "unnamed"


class IriMinter:
    """Mints every data IRI under one base."""

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + quote(path, safe="/-._~,=#"))

    def release(self, identifier: str) -> URIRef:
        return self._iri(f"id/release/{identifier}")

    def release_graph(self, identifier: str) -> URIRef:
        """The named graph holding everything read from one release."""
        return self.release(identifier)

    def entity(self, ref: EntityRef) -> URIRef:
        return self._iri(f"id/{ref.kind.value}/{ref.key}")

    def entity_of(self, kind: EntityKind, key: str) -> URIRef:
        return self.entity(EntityRef(kind, key))

    def event(self, identifier: str, number: int) -> URIRef:
        return self._iri(f"id/event/{identifier}-{number}")

    def figure(self, identifier: str, number: int) -> URIRef:
        return self._iri(f"id/figure/{identifier}-{number}")

    def role(self, role: str) -> URIRef:
        return self._iri(f"id/role/{slugify(role)}")

    def membership(self, person: str, role: str, organization: str | None) -> URIRef:
        return self._iri(f"id/membership/{person}.{slugify(role)}.{organization or 'none'}")

    def mention(self, identifier: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.release(identifier)}#char={start},{end}")

    def shared_graph(self, name: str) -> URIRef:
        """``gazetteer``, ``ontology`` or ``links``: facts not read from any one release."""
        return self._iri(f"graph/{name}")
