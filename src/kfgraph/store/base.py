"""The Store interface: what the pipeline, CLI and web layer need of a quad store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Protocol

import pyoxigraph as ox

from kfgraph import formats
from kfgraph.errors import ConfigurationError
from kfgraph.vocab import PREFIXES

_PRETTY = {"TRIG", "TURTLE", "RDF_XML"}


@dataclass(frozen=True)
class GraphUpdate:
    """The full new content of one named graph, as N-Triples text."""

    graph: str
    ntriples: str


class Store(Protocol):
    """A quad store with one named graph per release."""

    def replace_graphs(self, updates: Sequence[GraphUpdate]) -> None:
        """Replace each graph's content by the given triples, all in one transaction."""
        ...

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        """Drop the given graphs in one transaction."""
        ...

    def graph_names(self) -> Iterator[str]:
        """IRIs of the named graphs present."""
        ...

    def query(
        self,
        sparql: str,
        *,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
    ) -> object:
        """Evaluate a read-only query; without ``default_graph`` the default graph is the merge of all graphs (each triple once)."""
        ...

    def dump(self, output: IO[bytes], media_type: str, *, graph: str | None = None) -> None:
        """Stream the dataset (or one graph) to ``output`` in the given RDF media type."""
        ...

    def triple_count(self) -> int:
        ...

    def close(self) -> None:
        ...


def dump_format(media_type: str) -> tuple[ox.RdfFormat, dict[str, str] | None]:
    """The pyoxigraph format for an RDF dump media type, with the prefixes to use (None: none)."""
    fmt = formats.by_media_type(media_type, among=formats.GRAPH_FORMATS)
    if fmt is None or fmt.oxigraph is None:
        raise ConfigurationError(f"cannot dump as {media_type}")
    return getattr(ox.RdfFormat, fmt.oxigraph), (PREFIXES if fmt.oxigraph in _PRETTY else None)
