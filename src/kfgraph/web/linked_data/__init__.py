"""The linked-data audience: dereferenceable IRIs with content negotiation (``routes``, ``publisher``),
resource descriptions (``describe``) and their HTML pages (``resource_pages``), the ontology and shapes
documents (``ontology``), graphs, dumps and VoID (``dumps``)."""
