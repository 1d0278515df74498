"""kfgraph: KFOR press releases as a validated, queryable, dereferenceable knowledge graph."""

__version__ = "0.1.0"
