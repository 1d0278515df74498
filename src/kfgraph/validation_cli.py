"""``kfgraph validate``: check RDF files, the stored dataset, or the ontology itself.

    kfgraph validate FILE... [--shapes DIR] [--format text|turtle|json] [--input-format NAME]
    kfgraph validate --store DIR       the store's shared graphs, then each release graph (and the build
                                       record and summaries) with them
    kfgraph validate --ontology        every kfg: and schema: term declared, kfg: ones labelled and commented

A file or store is checked as ``kfgraph build`` checks what it stores: graph by
graph, each with the shared graphs it relies on ({base}graph/ontology,
{base}graph/gazetteer and {base}graph/links). The graphs a build derives from the
releases ({base}graph/builds, {base}graph/summaries) are not shared: they are
checked like a release graph, with the shared graphs. A dataset file (TriG, N-Quads) that holds shared graphs
is checked with those, and they are checked once on their own; a file without
them (one release graph in Turtle, say) with the ones a build from the current
settings writes (``ontology/``, ``data/gazetteer/``).

Exit codes: 0 everything conforms (Warnings and Infos allowed), 1 some graph
does not conform (or the ontology check found problems), 2 error: a file is
missing or does not parse (the message names the file, line and column), bad
flags, no shapes.

The JSON output (``--format json``) is one object::

    {"conforms": bool, "counts": {"Violation": n, "Warning": n, "Info": n},
     "sources": [{"source": FILE or release IRI, "graph": graph IRI or null, "shared_graphs": [IRI, …],
                  "conforms": …, "counts": …, "results": […]}]}

where each ``sources`` entry is ``ValidationReport.to_json()`` plus where it comes from.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from typing import TYPE_CHECKING

from kfgraph.errors import ConfigurationError
from kfgraph.settings import Settings
from kfgraph.store.urls import store_argument

if TYPE_CHECKING:  # rdflib, pyshacl and pyoxigraph load only when validating: `kfgraph --help` stays fast
    from rdflib import Graph, URIRef

    from kfgraph.validate import ValidationReport, Validator

KFG_NAMESPACE = "https://w3id.org/kfgraph/ontology#"
SCHEMA_NAMESPACE = "https://schema.org/"
OUTPUT_FORMATS = ("text", "turtle", "json")
INPUT_FORMAT_CHOICES = ("jsonld", "nq", "nt", "rdfxml", "trig", "turtle")
"""``--input-format`` names: the keys of ``kfgraph.rdf_input.INPUT_FORMAT_NAMES`` (a test keeps them equal)."""


@dataclass(frozen=True)
class SourceReport:
    """The report for one validated graph: of a file, or a release graph of the store."""

    source: str
    """The file, or for the store the release graph IRI."""
    report: ValidationReport
    graph: str | None = None
    """Which graph of a dataset file: its IRI, ``"default graph"`` or ``"shared graphs"``; None for a one-graph file."""
    shared_graphs: tuple[str, ...] = ()
    """The shared graphs it was checked with."""

    @property
    def name(self) -> str:
        return f"{self.source} {self.graph}" if self.graph else self.source

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "graph": self.graph, "shared_graphs": list(self.shared_graphs),
                **self.report.to_json()}


# --------------------------------------------------------------------------- arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``kfgraph validate``."""
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files (format from the extension)")
    parser.add_argument("--shapes", type=Path, help="folder of SHACL shapes (default: shapes/ or KFGRAPH_SHAPES_DIR)")
    parser.add_argument("--format", choices=OUTPUT_FORMATS, default="text", help="report format (default: text)")
    parser.add_argument("--input-format", choices=INPUT_FORMAT_CHOICES, help="RDF format of every FILE")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--store", type=store_argument, metavar="DIR|URL",
                      help="validate the store in this folder (or at this sparql+http:// URL): its shared graphs, "
                           "then each release graph with them")
    mode.add_argument("--ontology", action="store_true", help="check the ontology: labels, comments, undeclared terms")
    parser.add_argument("--ontology-dir", type=Path, help="ontology folder for --ontology (default: ontology/)")


def run(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``kfgraph validate``; returns the exit code. Errors are raised as ``KfgraphError`` (exit 2)."""
    out = out or sys.stdout
    err = err or sys.stderr
    settings = Settings.from_env(shapes_dir=args.shapes, ontology_dir=args.ontology_dir)
    if args.ontology:
        if args.files:
            raise ConfigurationError("--ontology takes no FILE")
        problems = check_ontology(settings.ontology_dir, settings.shapes_dir, [Path(__file__).resolve().parent])
        for problem in problems:
            print(problem, file=out)
        print(f"ontology {settings.ontology_dir}: {len(problems)} problem(s)", file=err)
        return 1 if problems else 0
    if args.store is not None and args.files:
        raise ConfigurationError("--store takes no FILE")
    if args.store is None and not args.files:
        raise ConfigurationError("give FILE..., --store DIR or --ontology")
    from kfgraph.shared_graphs import validator_from_settings

    validator = validator_from_settings(settings)
    with quiet_ill_typed_literals():
        if args.store is not None:
            reports = list(validate_store(args.store, validator, progress_stream=err, settings=settings))
        else:
            reports = [r for path in args.files
                       for r in validate_file(path, validator, input_format_name=args.input_format)]
    write_reports(reports, args.format, out)
    failed = [r.name for r in reports if not r.report.conforms]
    print(f"{len(reports) - len(failed)} of {len(reports)} conform" + (f"; not: {', '.join(failed)}" if failed else ""),
          file=err)
    return 1 if failed else 0


@contextmanager
def quiet_ill_typed_literals() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal (``"2024-13-45"^^xsd:date``); the report says it better."""

    def keep(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal lexical form to value")

    logger = logging.getLogger("rdflib.term")
    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


# --------------------------------------------------------------------------- files and the store


def validate_file(path: Path, validator: Validator, *, input_format_name: str | None = None) -> list[SourceReport]:
    """Parse one RDF file (format from ``input_format_name`` or its extension) and validate it graph by graph."""
    from kfgraph.rdf_input import input_format, parse_rdf_graphs

    fmt = input_format(name=input_format_name, filename=path.name)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise ConfigurationError(f"{path}: no such file") from error
    except OSError as error:
        raise ConfigurationError(f"{path}: cannot read: {error.strerror}") from error
    graphs = parse_rdf_graphs(data, fmt, source=str(path), base_iri=path.resolve().as_uri())
    return validate_graphs(str(path), graphs, validator)


def validate_graphs(source: str, graphs: dict[str | None, Graph], validator: Validator) -> list[SourceReport]:
    """The graphs of one source, as a build checks them: each with the shared graphs (its own, if it has some)."""
    from kfgraph.validate import is_shared_graph

    used = tuple(sorted(n for n in graphs if n is not None and is_shared_graph(n))) or validator.shared.names
    if list(graphs) == [None]:
        return [SourceReport(source, validator.validate(graphs[None]), shared_graphs=used)]
    return [SourceReport(source, report, name or "default graph", used)
            for name, report in validator.validate_dataset(graphs)]


def validate_store(
    path: Path | str, validator: Validator, *, progress_stream: TextIO | None = None, settings: Settings | None = None
) -> Iterator[SourceReport]:
    """Validate each release graph of the store at ``path``, one graph in memory at a time, with the store's
    shared graphs (checked once on their own first) or, if it has none, the validator's.

    Graph names are streamed from the store; a progress bar is drawn on ``progress_stream`` if it is a terminal.
    """
    from kfgraph import formats
    from kfgraph.rdf_input import parse_rdf
    from kfgraph.store import open_store_url
    from kfgraph.validate import SHARED_GRAPHS, SharedGraphs, is_derived_graph, is_release_graph, is_shared_graph

    store = open_store_url(path, settings=settings or Settings(), read_only=True)

    def graph_of(name: str) -> Graph:
        buffer = io.BytesIO()
        store.dump(buffer, formats.N_TRIPLES.media_type, graph=name)
        return parse_rdf(buffer.getvalue(), formats.N_TRIPLES, source=name)

    try:
        shared_names = sorted(name for name in store.graph_names() if is_shared_graph(name))
        checker = validator
        if shared_names:
            checker = validator.with_shared(SharedGraphs({name: graph_of(name) for name in shared_names}))
            yield SourceReport(str(path), checker.validate_shared(), SHARED_GRAPHS, checker.shared.names)
        total = sum(1 for name in store.graph_names() if is_release_graph(name))
        bar = _progress(progress_stream, total)
        for name in store.graph_names():
            if not is_release_graph(name):
                continue
            yield SourceReport(name, checker.validate(graph_of(name)), shared_graphs=checker.shared.names)
            bar(1)
        bar(0, close=True)
        for name in sorted(name for name in store.graph_names() if is_derived_graph(name)):
            yield SourceReport(name, checker.validate(graph_of(name)), shared_graphs=checker.shared.names)
    finally:
        # A read-only store has nothing to flush, and OxigraphStore.close() flushes (refused when read-only):
        # dropping the handle closes it.
        del store


def _progress(stream: TextIO | None, total: int) -> Callable[..., None]:
    if stream is None or not stream.isatty():
        return lambda n, close=False: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="graph", desc="validate", file=stream)

    def step(n: int, close: bool = False) -> None:
        bar.update(n)
        if close:
            bar.close()

    return step


# --------------------------------------------------------------------------- output


def write_reports(reports: Sequence[SourceReport], output_format: str, out: TextIO) -> None:
    from rdflib import Graph

    if output_format == "json":
        json.dump(reports_to_json(reports), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif output_format == "turtle":
        combined = Graph()
        for item in reports:
            combined += item.report.report_graph(source=item.name)
        out.write(combined.serialize(format="turtle"))
    else:
        for item in reports:
            out.write(format_text(item))


def reports_to_json(reports: Sequence[SourceReport]) -> dict[str, Any]:
    from kfgraph.validate import SEVERITIES

    counts = {severity: sum(r.report.counts()[severity] for r in reports) for severity in SEVERITIES}
    return {
        "conforms": all(r.report.conforms for r in reports),
        "counts": counts,
        "sources": [r.to_json() for r in reports],
    }


def format_text(item: SourceReport) -> str:
    """A readable report: a summary line, then results grouped by focus node."""
    from kfgraph.validation_report import format_results

    return format_results(item.report, item.name)


# --------------------------------------------------------------------------- the ontology


_CODE_PATTERNS = (
    re.compile(r"\bKFG\.([A-Za-z][A-Za-z0-9_]*)"),
    re.compile(re.escape(KFG_NAMESPACE) + r"([A-Za-z][A-Za-z0-9_-]*)"),
)
_QUERY_PATTERN = re.compile(r"\bkfg:([A-Za-z][A-Za-z0-9_-]*)")


def check_ontology(ontology_dir: Path, shapes_dir: Path, code_dirs: Iterable[Path]) -> list[str]:
    """Problems with the ontology, one line each; empty when it is sound.

    Every ``kfg:`` term declared (given an ``rdf:type``) in ``ontology_dir/*.ttl`` needs an
    ``rdfs:label`` and an ``rdfs:comment``; every ``kfg:`` term used in the ontology, in
    ``shapes_dir/*.ttl``, or in Python (``KFG.<name>``, the full IRI) and SPARQL (``kfg:<name>``)
    files under ``code_dirs`` must be declared. So must every ``schema:`` term the code writes
    (``SCHEMA.<name>``, ``SDO.<name>``) or the shapes and queries use: the closed-world shape knows
    a term only if the ontology declares it.
    """
    from rdflib import RDF, RDFS, URIRef

    ontology = _parse_folder(ontology_dir, "ontology")
    declared = {URIRef(str(s)) for s in ontology.subjects(RDF.type, None) if _is_kfg(s)}
    problems = []
    for term in sorted(declared):
        for prop, name in ((RDFS.label, "rdfs:label"), (RDFS.comment, "rdfs:comment")):
            if ontology.value(term, prop) is None:
                problems.append(f"{_short(term)}: declared in {ontology_dir} without {name}")
    for term in sorted(_kfg_terms(ontology) - declared):
        problems.append(f"{_short(term)}: used in the ontology but not declared")
    shapes = _parse_folder(shapes_dir, "shapes")
    for term in sorted(_kfg_terms(shapes) - declared):
        problems.append(f"{_short(term)}: used in {shapes_dir} but not declared in the ontology")
    names = {str(t)[len(KFG_NAMESPACE):] for t in declared}
    for where, name in _code_uses(code_dirs):
        if name not in names:
            problems.append(f"kfg:{name}: used at {where} but not declared in the ontology")
    schema_declared = {str(s)[len(SCHEMA_NAMESPACE):] for s in ontology.subjects(RDF.type, None)
                       if str(s).startswith(SCHEMA_NAMESPACE)}
    for where, name in _schema_uses(shapes_dir, code_dirs):
        if name not in schema_declared:
            problems.append(f"schema:{name}: used at {where} but not declared in the ontology")
    return problems


def _parse_folder(folder: Path, what: str) -> Graph:
    from rdflib import Graph

    from kfgraph import formats
    from kfgraph.rdf_input import parse_rdf

    files = sorted(Path(folder).glob("*.ttl"))
    if not files:
        raise ConfigurationError(f"no {what} (*.ttl) in {folder}")
    graph = Graph()
    for file in files:
        graph += parse_rdf(file.read_bytes(), formats.TURTLE, source=str(file), base_iri=file.resolve().as_uri())
    return graph


def _is_kfg(node: object) -> bool:
    from rdflib import URIRef

    return isinstance(node, URIRef) and str(node).startswith(KFG_NAMESPACE) and len(str(node)) > len(KFG_NAMESPACE)


def _kfg_terms(graph: Graph) -> set[URIRef]:
    return {term for triple in graph for term in triple if _is_kfg(term)}  # type: ignore[misc]


def _short(term: URIRef) -> str:
    return "kfg:" + str(term)[len(KFG_NAMESPACE):]


_SCHEMA_CODE = re.compile(r"\b(?:SCHEMA|SDO)\.([A-Za-z][A-Za-z0-9_]*)")
_SCHEMA_QUERY = re.compile(r"(?<![\w/])schema:([A-Za-z][A-Za-z0-9]*)|<https://schema\.org/([A-Za-z][A-Za-z0-9]*)>")


def _schema_uses(shapes_dir: Path, code_dirs: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """``schema:`` terms used by the shapes (as RDF terms or in their SPARQL), the queries and the code."""
    from rdflib import SH

    shapes = _parse_folder(shapes_dir, "shapes")
    from rdflib import URIRef

    for term in sorted({t for triple in shapes for t in triple
                        if isinstance(t, URIRef) and str(t).startswith(SCHEMA_NAMESPACE) and str(t) != SCHEMA_NAMESPACE}):
        yield str(shapes_dir), str(term)[len(SCHEMA_NAMESPACE):]
    for query in shapes.objects(None, SH.select):
        for match in _SCHEMA_QUERY.finditer(str(query)):
            yield str(shapes_dir), next(group for group in match.groups() if group)
    for folder in code_dirs:
        for path in sorted(Path(folder).rglob("*")):
            pattern = _SCHEMA_CODE if path.suffix == ".py" else _SCHEMA_QUERY if path.suffix == ".rq" else None
            if pattern is None:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if line.lstrip().startswith("PREFIX"):
                    continue
                for match in pattern.finditer(line):
                    yield f"{path}:{number}", next(group for group in match.groups() if group)


def _code_uses(code_dirs: Iterable[Path]) -> Iterator[tuple[str, str]]:
    for folder in code_dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix == ".py":
                patterns: tuple[re.Pattern[str], ...] = _CODE_PATTERNS
            elif path.suffix == ".rq":
                patterns = (_QUERY_PATTERN, *_CODE_PATTERNS)
            else:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for pattern in patterns:
                    for match in pattern.finditer(line):
                        yield f"{path}:{number}", match.group(1)


__all__ = [
    "SourceReport",
    "add_arguments",
    "check_ontology",
    "format_text",
    "quiet_ill_typed_literals",
    "reports_to_json",
    "run",
    "validate_file",
    "validate_graphs",
    "validate_store",
    "write_reports",
]
