"""The one place IRIs are minted. Same input, same IRI: rebuilds are isomorphic.

Data IRIs live under the configurable base (default ``http://localhost:8000/``):

    {base}id/release/{identifier}           a release; also the name of its graph
    {base}id/{organization|person|place|mandate}/{key}
    {base}id/event/{identifier}-{n}         the n-th event of a release
    {base}id/figure/{identifier}-{n}        the n-th force figure of a release
    {base}id/role/{slug}                    an org:Role such as "commander"
    {base}id/membership/{person}.{role}.{organization}
    {membership}#during-{identifier}        the time of a membership one release states (an OWL-Time interval)
    {base}id/instant/{YYYY-MM-DD}           a day as an OWL-Time instant
    {release}#char={start},{end}            a mention (RFC 5147 fragment)
    {base}graph/{gazetteer|ontology|links}  graphs of shared facts (links: to GeoNames and Wikidata)
    {base}graph/summaries                   build-time Data Cube summaries (summaries.py)
    {base}id/dataset/{name}                 a qb:DataSet of those summaries
    {base}id/observation/{name}/{parts}     one of its observations, e.g. …/events-by-type-and-year/2021/Patrol
"""

from __future__ import annotations

import datetime as dt
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

    def membership_interval(self, membership: URIRef, identifier: str) -> URIRef:
        """The interval of a membership as one release states it (its start, its end, or both)."""
        return URIRef(f"{membership}#during-{quote(identifier, safe='-._~')}")

    def instant(self, day: dt.date) -> URIRef:
        return self._iri(f"id/instant/{day.isoformat()}")

    def mention(self, identifier: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.release(identifier)}#char={start},{end}")

    def dataset(self, name: str) -> URIRef:
        """A qb:DataSet of build-time summaries, e.g. ``events-by-type-and-year``."""
        return self._iri(f"id/dataset/{name}")

    def observation(self, dataset: str, *parts: str) -> URIRef:
        """One qb:Observation of ``dataset``, named by its dimension values (IRI paths or literals)."""
        return self._iri(f"id/observation/{dataset}/" + "/".join(slugify(part) for part in parts))

    def shared_graph(self, name: str) -> URIRef:
        """``gazetteer``, ``ontology``, ``links`` or ``summaries``: facts not read from any one release."""
        return self._iri(f"graph/{name}")
