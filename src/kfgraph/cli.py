"""The ``kfgraph`` command: a thin layer over the pipeline, the store and the web app.

Exit codes (every subcommand):
    0  success: all releases stored / the data conforms / the query ran
    1  partial failure: some releases not stored / the data does not conform
    2  usage, configuration or input error (bad flag, missing store, unparsable file)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from kfgraph import __version__
from kfgraph.errors import KfgraphError
from kfgraph.settings import Settings, documented_settings
from kfgraph.store.urls import store_argument

EXPORT_FORMATS = {
    "nquads": "application/n-quads",
    "trig": "application/trig",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


def _settings(args: argparse.Namespace, **extra: Any) -> Settings:
    store = getattr(args, "store", None)
    overrides: dict[str, Any] = {"store_url": store} if isinstance(store, str) else {"store": store}
    overrides.update(extra)
    return Settings.from_env(**overrides)


class _Progress:
    """A tqdm bar on a terminal; silent otherwise (logs stay clean)."""

    def __init__(self, stream: TextIO) -> None:
        self.bar: Any = None
        self.enabled = stream.isatty()
        self.stream = stream

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", desc="build", file=self.stream)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


_ORDINARY_SKIPS = frozenset({"hidden", "answer key beside its .txt release", "gazetteer folder: not releases"})
"""Skips that are the layout working as meant: listed in the report, not repeated on the terminal."""


def cmd_build(args: argparse.Namespace) -> int:
    from kfgraph.pipeline import build, write_report
    from kfgraph.store import open_store_url, store_location
    from kfgraph.store.urls import redact

    from kfgraph.search.lifecycle import open_for_build

    settings = _settings(args, workers=args.workers)
    store = open_store_url(None, settings=settings)
    progress = _Progress(sys.stderr)
    try:
        index = open_for_build(settings, store)
        try:
            summary = build(args.paths, settings=settings, store=store, progress=progress, search_index=index)
        finally:
            if index is not None:
                index.close()
    finally:
        progress.close()
        store.close()
    report = args.report or settings.store.with_name(settings.store.name + "-report.json")
    write_report(summary, report)
    for problem in summary.problems():
        where = problem.source + (f" ({problem.identifier})" if problem.identifier and not problem.record else "")
        print(f"{problem.status}: {where}: {problem.reason}", file=sys.stderr)
    for warned in summary.warned():
        where = warned.source + (f" {warned.record}" if warned.record else f" ({warned.identifier})")
        for warning in warned.warnings:
            print(f"warning: {where}: {warning}", file=sys.stderr)
    unusual = [s for s in summary.skipped if s.reason not in _ORDINARY_SKIPS and not s.reason.startswith("not a release file")]
    for skipped in unusual:
        print(f"skipped: {skipped.path}: {skipped.reason}", file=sys.stderr)
    if summary.skipped:
        print(f"skipped {len(summary.skipped)} path(s) that are not releases (listed in the report)", file=sys.stderr)
    print(
        f"read {summary.read}, stored {summary.count('stored')}, quarantined {summary.count('quarantined')}, "
        f"unreadable {summary.count('unreadable')}; {summary.triples} triples "
        f"(+{summary.shared_triples} shared) in {summary.seconds:.1f} s; "
        f"store {redact(str(store_location(settings)))}, report {report}",
        file=sys.stderr,
    )
    return summary.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    from kfgraph.store import open_store_url

    settings = _settings(args)
    store = open_store_url(None, settings=settings, read_only=True)
    media_type = EXPORT_FORMATS[args.format]
    if args.output is None:
        store.dump(sys.stdout.buffer, media_type)
    else:
        with open(args.output, "wb") as output:
            store.dump(output, media_type)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    import time

    from kfgraph.search import SearchIndex
    from kfgraph.search.lifecycle import index_location
    from kfgraph.store import open_store_url

    settings = _settings(args)
    store = open_store_url(None, settings=settings, read_only=True)
    started = time.perf_counter()
    try:
        location = index_location(settings, store)
        if location is None:
            raise KfgraphError("a remote store's index needs a file: set KFGRAPH_SEARCH_INDEX")
        index = SearchIndex(location)
        try:
            count = index.rebuild(store)
        finally:
            index.close()
    finally:
        store.close()
    print(f"indexed {count} graphs into {location} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from kfgraph.query_output import run_query_to

    settings = _settings(args)
    if args.file is not None:
        text = sys.stdin.read() if str(args.file) == "-" else Path(args.file).read_text(encoding="utf-8")
    elif args.query is not None:
        text = args.query
    else:
        raise KfgraphError("give a query or -f FILE")
    run_query_to(settings, text, args.format, sys.stdout)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kfgraph import validation_cli

    return validation_cli.run(args)


def cmd_extract(args: argparse.Namespace) -> int:
    from kfgraph import sources
    from kfgraph.extract import RuleExtractor, load_gazetteer
    from kfgraph.extraction_output import describe_extraction, describe_extraction_text

    settings = _settings(args)
    extractor = RuleExtractor(load_gazetteer(settings.data_dir / "gazetteer"))
    for release in sources.read_releases(args.file):
        extraction = extractor.extract(release)
        if args.format == "json":
            print(json.dumps(describe_extraction(extraction), indent=2, ensure_ascii=False, default=str))
        else:
            print(describe_extraction_text(extraction))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kfgraph.web.server import serve

    settings = _settings(args, host=args.host, port=args.port)
    if not settings.store_url and _store_is_empty(settings.store) and (settings.data_dir / "releases").is_dir():
        from kfgraph.pipeline import build
        from kfgraph.store import open_store

        print(f"store {settings.store} is empty: building {settings.data_dir / 'releases'} first", file=sys.stderr)
        from kfgraph.search.lifecycle import open_for_build

        store = open_store(settings.store)
        try:
            index = open_for_build(settings, store)
            try:
                summary = build([settings.data_dir / "releases"], settings=settings, store=store, search_index=index)
            finally:
                if index is not None:
                    index.close()
        finally:
            store.close()
        print(f"stored {summary.count('stored')} of {summary.read} releases", file=sys.stderr)
    serve(settings)
    return 0


def _store_is_empty(path: Path) -> bool:
    if not path.is_dir() or not any(path.iterdir()):
        return True
    from kfgraph.store import open_store

    store = open_store(path, read_only=True)
    try:
        return next(iter(store.graph_names()), None) is None
    finally:
        store.close()


def cmd_settings(args: argparse.Namespace) -> int:
    for name, default, help_text in documented_settings():
        print(f"{name:<32} {default:<28} {help_text}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="kfgraph",
        description="KFOR press releases as a validated, queryable knowledge graph.",
        epilog="Exit codes: 0 success, 1 some releases not stored / data does not conform, 2 usage or configuration error. "
        "Settings also come from KFGRAPH_* environment variables (see `kfgraph settings`).",
    )
    top.add_argument("--version", action="version", version=f"kfgraph {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def store_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--store", type=store_argument, metavar="DIR|URL",
                       help="store folder (default: ./kfgraph-store or KFGRAPH_STORE), or a remote SPARQL store "
                       "sparql+http://host:port/path (KFGRAPH_STORE_URL; credentials from KFGRAPH_STORE_USER/PASSWORD)")

    p = sub.add_parser("build", help="read, extract, validate and store releases")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="release files or folders (searched recursively)")
    store_option(p)
    p.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    p.add_argument("--report", type=Path, help="where to write the JSON run report (default: STORE-report.json)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("export", help="dump the stored dataset")
    store_option(p)
    p.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="nquads")
    p.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("index", help="rebuild the search index from the store (builds keep it in step)")
    store_option(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("query", help="run a SPARQL query against the store")
    p.add_argument("query", nargs="?", help="the query text")
    p.add_argument("-f", "--file", type=Path, help="read the query from FILE ('-' for standard input)")
    store_option(p)
    p.add_argument("--format", choices=["table", "csv", "json", "turtle"], default="table")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("validate", help="check RDF files, the store or the ontology against the SHACL shapes")
    from kfgraph.validation_cli import add_arguments

    add_arguments(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("extract", help="show what one release yields (for tuning extraction)")
    p.add_argument("file", type=Path)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("serve", help="serve the store over HTTP (builds data/ first if the store is empty)")
    store_option(p)
    p.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default 8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("settings", help="list every setting with its default")
    p.set_defaults(func=cmd_settings)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KfgraphError as error:
        print(f"kfgraph: error: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # "kfgraph export | head": the reader left; say nothing more and let the exit code tell
        # (the Python docs' recipe: point stdout at devnull so the final flush cannot fail again)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
