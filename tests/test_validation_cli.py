"""``kfgraph validate``: exit codes 0/1/2, text/json/turtle reports, --store per release graph, --ontology."""

from __future__ import annotations

import gc
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from kfgraph.cli import main
from kfgraph.mapping import to_ntriples
from kfgraph.settings import PROJECT_ROOT
from kfgraph.store import GraphUpdate, open_store
from kfgraph.validation_cli import check_ontology

FIXTURES = Path(__file__).parent / "fixtures" / "validation"
CONFORMING = FIXTURES / "conforming.ttl"
VIOLATING = FIXTURES / "violating.ttl"
MALFORMED = FIXTURES / "malformed.ttl"
SCHEMA = "https://schema.org/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["validate", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_conforming_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(CONFORMING))
    assert code == 0
    assert out.startswith(f"{CONFORMING}: conforms (0 violations, 0 warnings, 0 infos)")
    assert "1 of 1 conform" in err


def test_violating_file_exits_1_with_results_grouped_by_focus_node(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(VIOLATING))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{VIOLATING}: DOES NOT CONFORM (3 violations, 0 warnings, 0 infos)"
    release = lines.index("  http://localhost:8000/id/release/validation-bad")
    organization = lines.index("  http://localhost:8000/id/organization/training-unit")
    release_block = "\n".join(lines[release + 1 : release + 5])
    assert "path https://schema.org/identifier" in release_block
    assert 'path https://schema.org/datePublished; value "2 May 2023"' in release_block  # a plain string, and says so
    assert "Violation: " in lines[organization + 1] and "rdfs:label" in lines[organization + 1]


def test_malformed_file_exits_2_with_file_line_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(MALFORMED))
    assert code == 2 and out == ""
    assert f"kfgraph: error: {MALFORMED}: line 6, column 17: " in err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "absent.ttl"))
    assert code == 2 and f"{tmp_path / 'absent.ttl'}: no such file" in err


def test_unknown_extension_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    code, _, err = run(capsys, str(path))
    assert code == 2 and "cannot tell the RDF format" in err


def test_json_output_for_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(CONFORMING), str(VIOLATING), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["conforms"] is False
    assert data["counts"] == {"Violation": 3, "Warning": 0, "Info": 0}
    assert [s["source"] for s in data["sources"]] == [str(CONFORMING), str(VIOLATING)]
    assert data["sources"][0]["conforms"] is True and data["sources"][0]["results"] == []
    found = {(r["focus_node"], r["path"], r["constraint"].rsplit("#", 1)[1]) for r in data["sources"][1]["results"]}
    assert found == {
        ("http://localhost:8000/id/release/validation-bad", SCHEMA + "identifier", "MinCountConstraintComponent"),
        ("http://localhost:8000/id/release/validation-bad", SCHEMA + "datePublished", "DatatypeConstraintComponent"),
        ("http://localhost:8000/id/organization/training-unit", "http://www.w3.org/2000/01/rdf-schema#label",
         "MinCountConstraintComponent"),
    }
    assert set(data["sources"][1]["results"][0]) == {
        "focus_node", "path", "value", "values", "message", "severity", "shape", "constraint"}
    assert data["sources"][1]["graph"] is None
    assert data["sources"][1]["shared_graphs"] == ["http://localhost:8000/graph/gazetteer",
                                                   "http://localhost:8000/graph/links",
                                                   "http://localhost:8000/graph/ontology"]


def test_turtle_output_is_the_shacl_report_graph(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(VIOLATING), "--format", "turtle")
    assert code == 1
    report = Graph().parse(data=out, format="turtle")
    assert len(list(report.subjects(None, SH.ValidationResult))) == 3
    assert (None, SH.conforms, Literal(False)) in report


def test_any_format_by_extension_or_input_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    graph = Graph().parse(VIOLATING, format="turtle")
    jsonld = tmp_path / "violating.jsonld"
    jsonld.write_text(graph.serialize(format="json-ld"))
    rdfxml = tmp_path / "violating.data"
    rdfxml.write_text(graph.serialize(format="xml"))
    code, out, _ = run(capsys, str(jsonld), "--format", "json")
    assert code == 1 and json.loads(out)["counts"]["Violation"] == 3
    code, out, _ = run(capsys, str(rdfxml), "--input-format", "rdfxml", "--format", "json")
    assert code == 1 and json.loads(out)["counts"]["Violation"] == 3


def test_refused_rdfxml_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(FIXTURES / "billion-laughs.rdf"))
    assert code == 2 and "entity declaration 'lol' is not allowed" in err


def test_entities_hidden_past_a_comment_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(FIXTURES / "entities-past-comment.rdf"))
    assert code == 2 and "line 2, column 53: refused RDF/XML: entity declaration 'l0' is not allowed" in err


# --------------------------------------------------------------------------- --store


def test_store_built_from_data_conforms(capsys: pytest.CaptureFixture[str], data_store_path: Path) -> None:
    code, out, err = run(capsys, "--store", str(data_store_path), "--format", "json")
    data = json.loads(out)
    assert code == 0, [s for s in data["sources"] if not s["conforms"]]
    assert data["conforms"] is True
    shared, *rest = data["sources"]
    assert (shared["source"], shared["graph"]) == (str(data_store_path), "shared graphs")
    assert shared["shared_graphs"] == ["http://localhost:8000/graph/gazetteer", "http://localhost:8000/graph/links",
                                       "http://localhost:8000/graph/ontology"]
    # the graphs a build derives from the releases come last, each checked with the shared graphs
    *releases_reports, builds, summaries = rest
    assert [builds["source"], summaries["source"]] == ["http://localhost:8000/graph/builds",
                                                        "http://localhost:8000/graph/summaries"]
    releases = [s["source"] for s in releases_reports]
    assert len(releases) >= 13 and all("/id/release/" in r for r in releases)
    assert all(s["shared_graphs"] == shared["shared_graphs"] for s in rest)
    assert "http://localhost:8000/id/release/2022-12-21-kfor-jarinje-presence" in releases
    assert f"{len(rest) + 1} of {len(rest) + 1} conform" in err


def test_store_with_a_corrupted_release_names_it_and_exits_1(
    capsys: pytest.CaptureFixture[str], data_store_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store"
    source = open_store(data_store_path, read_only=True)
    dump = io.BytesIO()
    source.dump(dump, "application/n-quads")
    del source
    store = open_store(path)
    store.inner.load(dump.getvalue(), ox.RdfFormat.N_QUADS)
    victim = "http://localhost:8000/id/release/2022-12-21-kfor-jarinje-presence"
    graph = Graph()
    store_graph = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{victim}> {{ ?s ?p ?o }} }}")
    for s, p, o in _rdflib_triples(store_graph):
        graph.add((s, p, o))
    assert len(graph) > 10
    release = URIRef(victim)
    graph.remove((release, URIRef(SCHEMA + "identifier"), None))  # missing identifier
    graph.set((release, URIRef(SCHEMA + "datePublished"), Literal("21/12/2022")))  # not an xsd:date
    store.replace_graphs([GraphUpdate(victim, to_ntriples(graph))])
    store.close()
    del store
    gc.collect()  # the writable handle must be gone before the CLI opens the store read-only

    code, out, err = run(capsys, "--store", str(path))
    assert code == 1
    assert f"{victim}: DOES NOT CONFORM" in out
    assert "path https://schema.org/identifier" in out and 'value "21/12/2022"' in out
    assert out.count("DOES NOT CONFORM") == 1
    assert f"not: {victim}" in err


def _rdflib_triples(result: object) -> list[tuple[URIRef, URIRef, object]]:
    from kfgraph import formats
    from kfgraph.rdf_input import parse_rdf

    data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[call-overload]
    return list(parse_rdf(data, formats.N_TRIPLES, source="store"))  # type: ignore[arg-type]


def test_store_missing_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--store", str(tmp_path / "nothing"))
    assert code == 2 and "no store" in err


# --------------------------------------------------------------------------- --ontology


def test_ontology_check_passes_on_the_real_ontology(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--ontology")
    assert (code, out) == (0, "")
    assert "0 problem(s)" in err


def test_ontology_check_fails_on_an_unlabelled_term(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "ontology"
    shutil.copytree(PROJECT_ROOT / "ontology", folder)
    shutil.copy(FIXTURES / "ontology-unlabelled" / "extra-term.ttl", folder)
    code, out, _ = run(capsys, "--ontology", "--ontology-dir", str(folder))
    assert code == 1
    assert out.splitlines() == [f"kfg:unlabelledTerm: declared in {folder} without rdfs:label"]


def test_ontology_check_finds_undeclared_terms_in_shapes_and_code(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shutil.copytree(PROJECT_ROOT / "shapes", shapes)
    (shapes / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kfg: <https://w3id.org/kfgraph/ontology#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass kfg:Ghost .\n"
    )
    code = tmp_path / "code"
    code.mkdir()
    (code / "module.py").write_text("x = KFG.rank\ny = KFG.phantom\nz = 'https://w3id.org/kfgraph/ontology#wraith'\n"
                                    "w = SCHEMA.headline\nv = SCHEMA.colour\n")
    (code / "q.rq").write_text("SELECT * { ?s kfg:spectre ?o }\n")
    problems = check_ontology(PROJECT_ROOT / "ontology", shapes, [code])
    assert problems == [
        f"kfg:Ghost: used in {shapes} but not declared in the ontology",
        f"kfg:phantom: used at {code / 'module.py'}:2 but not declared in the ontology",
        f"kfg:wraith: used at {code / 'module.py'}:3 but not declared in the ontology",
        f"kfg:spectre: used at {code / 'q.rq'}:1 but not declared in the ontology",
        f"schema:colour: used at {code / 'module.py'}:5 but not declared in the ontology",
    ]


def _documented(fence: str, number: int = 0) -> str:
    docs = (PROJECT_ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    return docs.split(f"```{fence}\n")[number + 1].split("\n```", 1)[0]


def test_documented_reports_are_the_real_ones(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/validation.md shows the report of a dataset file in each output format; they must be what
    ``kfgraph validate`` really prints."""
    dataset = FIXTURES / "dataset.trig"
    monkeypatch.chdir(PROJECT_ROOT)
    for output_format, fence in (("json", "json"), ("text", "text"), ("turtle", "turtle")):
        code, out, _ = run(capsys, str(dataset.relative_to(PROJECT_ROOT)), "--format", output_format)
        assert code == 1
        if output_format == "json":
            assert json.loads(out) == json.loads(_documented(fence))
        elif output_format == "turtle":
            from rdflib.compare import isomorphic

            assert isomorphic(Graph().parse(data=out, format="turtle"),
                              Graph().parse(data=_documented(fence), format="turtle"))
        else:
            assert out.rstrip("\n") == _documented(fence)


def test_a_dataset_file_is_checked_graph_by_graph_with_its_shared_graphs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two releases that each conform, in one TriG file with the shared graphs a build writes: the union
    would give a person two ranks (a Warning) and nothing else; graph by graph nothing at all."""
    from kfgraph.shared_graphs import shared_graph_contents
    from kfgraph.settings import Settings

    path = tmp_path / "export.trig"
    lines = []
    for name, graph in shared_graph_contents(Settings()).items():
        lines.append(f"<{name}> {{\n{graph.serialize(format='nt')}}}\n")
    for identifier, rank in (("t1", "OF-7-major-general"), ("t2", "OF-8-lieutenant-general")):
        release = f"<http://localhost:8000/id/release/{identifier}>"
        person = "<http://localhost:8000/id/person/jane-doe>"
        lines.append(f"""{release} {{
            {release} a <https://schema.org/NewsArticle>, <{NIF}Context> ; <https://schema.org/identifier> "{identifier}" ;
                <https://schema.org/text> "Jane Doe visited." ; <{NIF}isString> "Jane Doe visited." ;
                <https://schema.org/mentions> {person} .
            {person} a <https://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> "Jane Doe" ;
                <https://w3id.org/kfgraph/ontology#rank> <https://w3id.org/kfgraph/rank/{rank}> .
        }}\n""")
    path.write_text("".join(lines), encoding="utf-8")
    code, out, err = run(capsys, str(path), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["counts"] == {"Violation": 0, "Warning": 0, "Info": 0}
    assert [s["graph"] for s in data["sources"]] == [
        "shared graphs", "http://localhost:8000/id/release/t1", "http://localhost:8000/id/release/t2"]
    assert "3 of 3 conform" in err


def test_a_dataset_without_shared_graphs_uses_the_configured_ones(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "two.nq"
    good = Graph().parse(CONFORMING, format="turtle").serialize(format="nt")
    path.write_text("".join(line[:-2] + " <http://localhost:8000/id/release/validation-ok> .\n"
                            for line in good.splitlines() if line.strip()), encoding="utf-8")
    code, out, _ = run(capsys, str(path))
    assert code == 0
    assert out.startswith(f"{path} http://localhost:8000/id/release/validation-ok: conforms")


def test_an_invalid_date_prints_no_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Regression: rdflib logged a Python traceback for an ill-typed literal; the report says it is not an xsd:date."""
    path = tmp_path / "bad-date.ttl"
    path.write_text(CONFORMING.read_text(encoding="utf-8").replace('"2023-05-02"', '"2023-13-45"'), encoding="utf-8")
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert 'value "2023-13-45"^^xsd:date' in out
    assert "Traceback" not in err and "Failed to convert" not in err


def test_progress_bar_only_on_a_terminal() -> None:
    from kfgraph.validation_cli import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, tty = io.StringIO(), Terminal()
    for stream in (quiet, tty):
        step = _progress(stream, 3)
        for _ in range(3):
            step(1)
        step(0, close=True)
    assert quiet.getvalue() == ""
    assert "3/3" in tty.getvalue() and "validate" in tty.getvalue()
