"""The shared graphs every release relies on, and the validator that checks releases with them.

    contents = shared_graph_contents(settings)     # {base}graph/ontology, …/gazetteer, …/links
    updates = shared_graphs(settings)              # the same, as store writes
    validator = validator_from_settings(settings)  # the shapes, with those graphs
    check_shared_graphs(validator)                 # ConfigurationError if they do not conform
    updates = checked_shared_graphs(settings)      # both: what a build writes, made once

A build, ``kfgraph validate`` and ``/validate`` all check a release graph together
with these graphs (docs/validation.md, "What conforms means"). The graphs a build
derives from the releases ({base}graph/builds, {base}graph/summaries) are not among
them: no release relies on them, and they are checked as graphs of their own.
"""

from __future__ import annotations

from rdflib import Graph

from kfgraph.errors import ConfigurationError
from kfgraph.external_links import links_graph, load_links
from kfgraph.extract import Gazetteer, load_gazetteer
from kfgraph.iris import IriMinter
from kfgraph.mapping import entity_triples, graph_of, to_ntriples
from kfgraph.settings import Settings
from kfgraph.store.base import GraphUpdate
from kfgraph.validate import SharedGraphs, Validator, load_validator


def shared_graph_contents(settings: Settings, *, gazetteer: Gazetteer | None = None) -> dict[str, Graph]:
    """The ontology, gazetteer and external-links graphs by name ({base}graph/ontology, …/gazetteer, …/links)."""
    minter = IriMinter(settings.base_iri)
    ontology = Graph()
    for path in sorted(settings.ontology_dir.glob("*.ttl")):
        ontology.parse(path, format="turtle")
    gazetteer = gazetteer or load_gazetteer(settings.data_dir / "gazetteer")
    places = graph_of(entity_triples(gazetteer.entities(), minter))
    links = links_graph(load_links(settings.data_dir / "gazetteer", gazetteer), minter)
    return {str(minter.shared_graph("ontology")): ontology, str(minter.shared_graph("gazetteer")): places,
            str(minter.shared_graph("links")): links}


def shared_graphs(settings: Settings) -> list[GraphUpdate]:
    """The ontology, gazetteer and external-links graphs, rebuilt at every build."""
    return [GraphUpdate(name, to_ntriples(graph)) for name, graph in shared_graph_contents(settings).items()]


def validator_from_settings(settings: Settings, *, gazetteer: Gazetteer | None = None) -> Validator:
    """The shapes of ``settings.shapes_dir``, checking graphs with the shared graphs a build writes."""
    return load_validator(settings.shapes_dir, shared=SharedGraphs(shared_graph_contents(settings, gazetteer=gazetteer)))


def check_shared_graphs(validator: Validator) -> None:
    """The shared graphs conform on their own, or a ConfigurationError names what is wrong with them."""
    report = validator.validate_shared()
    if not report.conforms:
        shown = "; ".join(f"{r.focus_node}: {r.message}" for r in report.violations[:5])
        more = f" (and {len(report.violations) - 5} more)" if len(report.violations) > 5 else ""
        raise ConfigurationError(f"the shared graphs (ontology/, data/gazetteer/) do not conform to the shapes: {shown}{more}")


def checked_shared_graphs(settings: Settings) -> list[GraphUpdate]:
    """The shared graphs as store writes, once checked against the shapes (ConfigurationError if they fail)."""
    contents = shared_graph_contents(settings)
    check_shared_graphs(load_validator(settings.shapes_dir, shared=SharedGraphs(contents)))
    return [GraphUpdate(name, to_ntriples(graph)) for name, graph in contents.items()]
