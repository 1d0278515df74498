"""Run a query on the local store and write the answer for a terminal or a file (``kfgraph query``)."""

from __future__ import annotations

import io
from typing import TextIO

import pyoxigraph as ox

from kfgraph.errors import QueryError
from kfgraph.settings import Settings
from kfgraph.sparql_syntax import explain_syntax_error
from kfgraph.store import open_store_url
from kfgraph.vocab import PREFIXES

_RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON}


def run_query_to(settings: Settings, query: str, output_format: str, out: TextIO) -> None:
    """Evaluate ``query`` (default graph = union of all graphs) and write it as table, csv, json or turtle."""
    store = open_store_url(None, settings=settings, read_only=True)
    try:
        results = store.query(query)
    except SyntaxError as error:
        raise QueryError(f"malformed query: {explain_syntax_error(query, str(error))}") from None
    except OSError as error:
        raise QueryError(f"query failed: {error}") from error
    if isinstance(results, ox.QueryTriples):
        if output_format not in ("turtle", "table"):
            raise QueryError(f"a graph query gives turtle, not {output_format}")
        turtle = ox.serialize(results, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
        out.write(turtle.decode("utf-8"))
        return
    if isinstance(results, ox.QueryBoolean):
        out.write(("true" if bool(results) else "false") + "\n")
        return
    if output_format in _RESULT_FORMATS:
        out.write((results.serialize(format=_RESULT_FORMATS[output_format]) or b"").decode("utf-8"))
        return
    if output_format == "turtle":
        raise QueryError("a SELECT query gives table, csv or json, not turtle")
    out.write(format_table([v.value for v in results.variables], [[_cell(t) for t in row] for row in results]))


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return _compact(term.value)
    return str(term)


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns and a row count."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    buffer = io.StringIO()
    buffer.write("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip() + "\n")
    buffer.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        buffer.write("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")
    buffer.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return buffer.getvalue()
