"""SPARQL syntax errors in plain words, with line and column, the same from ``kfgraph query`` and ``/sparql``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfgraph.settings import PROJECT_ROOT
from kfgraph.sparql_syntax import explain_syntax_error

CASES = [
    ("SELECT ?s WHERE {\n  ?s ?p\n}", 2, 3, "a triple pattern needs a subject, a predicate and an object"),
    ("SELECT ?s WHERE { ?s ?p ?o ?x }", 1, 28, 'a "." (or ";") is missing'),
    ("SELECT ?s WHERE { ?s ?p ?o", 1, 17, 'this "{" is never closed'),
    ("SELECT ?s WHERE { ?s ?p ?o } }", 1, 30, '"}" closes nothing'),
    ("SELECT ?s WHERE { FILTER(?s = 1 }", 1, 33, '"}" cannot close the "(" opened at line 1, column 25'),
    ("SELECT ?s WHERE { ?s ex:p ?o }", 1, 22, 'the prefix "ex:" is not declared'),
    ('SELECT ?s WHERE { ?s ?p "open }', 1, 25, "this string is never closed"),
    ("PREFIX ex: <http://example.org/>\nSELEC ?s WHERE { ?s ex:p ?o }", 2, 1, 'not "SELEC"'),
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT", 1, 30, '"LIMIT" is not expected here'),
]


@pytest.mark.parametrize(("query", "line", "column", "words"), CASES)
def test_mistakes_are_explained_where_they_are(query: str, line: int, column: int, words: str) -> None:
    message = explain_syntax_error(query)
    assert message.startswith(f"syntax error at line {line}, column {column}: "), message
    assert words in message, message
    excerpt = message.splitlines()[1:]
    assert excerpt[1].index("^") - excerpt[1].index("|") - 2 == column - 1  # the caret sits under the column


@pytest.mark.parametrize("path", sorted([*(PROJECT_ROOT / "src/kfgraph/queries").glob("*.rq"),
                                         *(PROJECT_ROOT / "bench/queries").glob("*.rq")]), ids=lambda p: p.name)
def test_no_mistake_is_seen_in_a_good_query(path: Path) -> None:
    assert explain_syntax_error(path.read_text(encoding="utf-8")) == "syntax error: the query cannot be read"


def test_the_command_line_and_the_endpoint_say_the_same(data_store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fastapi.testclient import TestClient

    from kfgraph.cli import main
    from kfgraph.settings import Settings
    from kfgraph.store import open_store
    from kfgraph.web.app import create_app

    query = "PREFIX schema: <https://schema.org/>\nSELECT ?p WHERE {\n  ?p a schema:Person ;\n     rdfs:label ?n .\n}"
    assert main(["query", query, "--store", str(data_store_path)]) == 2
    cli = capsys.readouterr().err.strip().removeprefix("kfgraph: error: ")
    store = open_store(data_store_path, read_only=True)
    with TestClient(create_app(Settings(store=data_store_path), store)) as client:
        response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == cli
    assert 'line 4, column 6: the prefix "rdfs:" is not declared' in cli
