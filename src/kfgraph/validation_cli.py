"""``kfgraph validate``: check RDF files, the stored dataset, or the ontology itself.

    kfgraph validate FILE... [--shapes DIR] [--format text|turtle|json] [--input-format NAME]
    kfgraph validate --store DIR       each release graph of the store, alone
    kfgraph validate --ontology        every kfg: term labelled and commented, none undeclared

Exit codes: 0 everything conforms (Warnings and Infos allowed), 1 some source
does not conform (or the ontology check found problems), 2 error: a file is
missing or does not parse (the message names the file, line and column), bad
flags, no shapes.

The JSON output (``--format json``) is one object::

    {"conforms": bool, "counts": {"Violation": n, "Warning": n, "Info": n},
     "sources": [{"source": FILE or release IRI, "conforms": …, "counts": …, "results": […]}]}

where each ``sources`` entry is ``ValidationReport.to_json()`` plus ``source``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
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
OUTPUT_FORMATS = ("text", "turtle", "json")
INPUT_FORMAT_CHOICES = ("jsonld", "nq", "nt", "rdfxml", "trig", "turtle")
"""``--input-format`` names: the keys of ``kfgraph.rdf_input.INPUT_FORMAT_NAMES`` (a test keeps them equal)."""


@dataclass(frozen=True)
class SourceReport:
    """The report for one validated source: a file, or one release graph of the store."""

    source: str
    report: ValidationReport

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, **self.report.to_json()}


# --------------------------------------------------------------------------- arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``kfgraph validate``."""
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files (format from the extension)")
    parser.add_argument("--shapes", type=Path, help="folder of SHACL shapes (default: shapes/ or KFGRAPH_SHAPES_DIR)")
    parser.add_argument("--format", choices=OUTPUT_FORMATS, default="text", help="report format (default: text)")
    parser.add_argument("--input-format", choices=INPUT_FORMAT_CHOICES, help="RDF format of every FILE")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--store", type=store_argument, metavar="DIR|URL",
                      help="validate each release graph of the store in this folder (or at this sparql+http:// URL)")
    mode.add_argument("--ontology", action="store_true", help="check the ontology: labels, comments, undeclared terms")
    parser.add_argument("--ontology-dir", type=Path, help="ontology folder for --ontology (default: ontology/)")


def run(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``kfgraph validate``; returns the exit code. Errors are raised as ``KfgraphError`` (exit 2)."""
    from kfgraph.validate import load_validator

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
    validator = load_validator(settings.shapes_dir)
    if args.store is not None:
        if args.files:
            raise ConfigurationError("--store takes no FILE")
        reports = list(validate_store(args.store, validator, progress_stream=err, settings=settings))
    elif not args.files:
        raise ConfigurationError("give FILE..., --store DIR or --ontology")
    else:
        reports = [validate_file(path, validator, input_format_name=args.input_format) for path in args.files]
    write_reports(reports, args.format, out)
    failed = [r.source for r in reports if not r.report.conforms]
    print(f"{len(reports) - len(failed)} of {len(reports)} conform" + (f"; not: {', '.join(failed)}" if failed else ""),
          file=err)
    return 1 if failed else 0


# --------------------------------------------------------------------------- files and the store


def validate_file(path: Path, validator: Validator, *, input_format_name: str | None = None) -> SourceReport:
    """Parse one RDF file (format from ``input_format_name`` or its extension) and validate it."""
    from kfgraph.rdf_input import input_format, parse_rdf

    fmt = input_format(name=input_format_name, filename=path.name)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise ConfigurationError(f"{path}: no such file") from error
    except OSError as error:
        raise ConfigurationError(f"{path}: cannot read: {error.strerror}") from error
    graph = parse_rdf(data, fmt, source=str(path), base_iri=path.resolve().as_uri())
    return SourceReport(str(path), validator.validate(graph))


def is_release_graph(name: str) -> bool:
    """Release graphs are named ``{base}id/release/{identifier}`` (see ``kfgraph.iris``)."""
    return "/id/release/" in name


def validate_store(
    path: Path | str, validator: Validator, *, progress_stream: TextIO | None = None, settings: Settings | None = None
) -> Iterator[SourceReport]:
    """Validate each release graph of the store at ``path`` on its own, one graph in memory at a time.

    Graph names are streamed from the store; a progress bar is drawn on ``progress_stream`` if it is a terminal.
    """
    from kfgraph import formats
    from kfgraph.rdf_input import parse_rdf
    from kfgraph.store import open_store_url

    store = open_store_url(path, settings=settings or Settings(), read_only=True)
    try:
        total = sum(1 for name in store.graph_names() if is_release_graph(name))
        bar = _progress(progress_stream, total)
        for name in store.graph_names():
            if not is_release_graph(name):
                continue
            buffer = io.BytesIO()
            store.dump(buffer, formats.N_TRIPLES.media_type, graph=name)
            graph = parse_rdf(buffer.getvalue(), formats.N_TRIPLES, source=name)
            yield SourceReport(name, validator.validate(graph))
            bar(1)
        bar(0, close=True)
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
            combined.parse(data=item.report.report_turtle, format="turtle")
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
    report = item.report
    counts = report.counts()
    summary = ", ".join(f"{n} {severity.lower()}{'s' if n != 1 else ''}" for severity, n in counts.items())
    lines = [f"{item.source}: {'conforms' if report.conforms else 'DOES NOT CONFORM'} ({summary})"]
    by_focus: dict[str, list[Any]] = {}
    for result in report.results:
        by_focus.setdefault(result.focus_node, []).append(result)
    for focus, results in by_focus.items():
        lines.append(f"  {focus}")
        for result in results:
            lines.append(f"    {result.severity}: {result.message}")
            details = [f"path {result.path}" if result.path else "", f"value {result.value}" if result.value else ""]
            if result.shape:
                details.append(f"shape {result.shape}")
            if any(details):
                lines.append("      " + "; ".join(d for d in details if d))
    return "\n".join(lines) + "\n"


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
    files under ``code_dirs`` must be declared.
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
    "reports_to_json",
    "run",
    "validate_file",
    "validate_store",
    "write_reports",
]
