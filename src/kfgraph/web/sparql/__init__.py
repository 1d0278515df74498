"""The SPARQL audience: the 1.1 Protocol endpoint (``endpoint``), the safety check every query passes
(``safety``), the worker processes that run queries under limits (``workers``), forwarding to a remote
engine (``remote``) and the Service Description.

Kept import-light: query worker processes import ``kfgraph.web.sparql.workers`` and must not pay for FastAPI.
"""
