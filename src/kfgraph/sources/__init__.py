"""Files, folders, HTML pages and JSON records -> ``Release`` objects.

    discover(paths)            -> the release files under files/folders, sorted
    read_releases(path)        -> the releases in one file (a .jsonl gives many)
    release_from_text(text, *, identifier, source)
    normalize_text(text)       -> the text normalisation, shared with the extractor

Forms, by extension: ``.txt`` (page text as scraped), ``.html``/``.htm``
(saved page), ``.json`` (one record or a list), ``.jsonl`` (one record a
line). Anything unreadable raises ``UnreadableSourceError``, an unknown
extension ``UnsupportedSourceError``; both carry a reason a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kfgraph.errors import ConfigurationError, UnreadableSourceError, UnsupportedSourceError
from kfgraph.markup_declarations import find_declaration
from kfgraph.models import Release
from kfgraph.sources.decoding import checksum, decode_text
from kfgraph.sources.htmlpage import read_html
from kfgraph.sources.identifiers import identifier_for
from kfgraph.sources.normalize import normalize_text
from kfgraph.sources.plaintext import build_release, release_from_text
from kfgraph.sources.records import read_records

__all__ = ["SUFFIXES", "discover", "normalize_text", "read_releases", "release_from_text"]

SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")
"""File extensions read as releases (case-insensitive)."""

_SKIPPED_FOLDERS = frozenset({"gazetteer"})


def _skipped(path: Path, root: Path) -> bool:
    relative = path.relative_to(root).parts
    if any(part.startswith(".") for part in relative):
        return True
    if any(part in _SKIPPED_FOLDERS for part in relative[:-1]):
        return True
    if path.suffix.lower() not in SUFFIXES:
        return True
    # NAME.json beside NAME.txt is the release's answer key, not a release
    return path.suffix.lower() == ".json" and path.with_suffix(".txt").is_file()


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Release files under the given files and folders.

    A folder is walked recursively in sorted order; hidden files and folders,
    ``gazetteer/`` folders, files with other extensions (README.md) and
    ``NAME.json`` answer keys beside a ``NAME.txt`` are skipped. A file named
    explicitly is always yielded, so an unsupported one is reported by
    ``read_releases``. Each file is yielded once.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise ConfigurationError(f"{path}: no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not _skipped(p, path))
        else:
            found = [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file


def read_releases(path: Path) -> list[Release]:
    """The releases in one file; ``source`` is the path as given."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix or "no extension"
        raise UnsupportedSourceError(
            source, f"unsupported file type ({shown}); expected one of {', '.join(SUFFIXES)}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableSourceError(source, f"cannot read file: {exc.strerror or exc}") from None
    text = decode_text(data, source)
    if suffix in (".json", ".jsonl"):
        return read_records(text, source, lines=suffix == ".jsonl")
    identifier = identifier_for(path.stem)
    if suffix == ".txt":
        return [build_release(text, identifier=identifier, source=source, checksum=checksum(data))]
    declaration = find_declaration(text, html=True)
    if declaration is not None:  # lxml's HTML parser expands nothing today; no parser is given the chance
        raise UnreadableSourceError(source, f"line {declaration.line}: refused HTML page: {declaration.reason}")
    page = read_html(text)
    if not page.text.strip():
        raise UnreadableSourceError(source, "HTML page has no body text")
    try:
        release = build_release(
            page.text,
            identifier=identifier,
            source=source,
            checksum=checksum(data),
            title=page.title,
            date=page.date,
            url=page.url,
        )
    except UnreadableSourceError as exc:
        raise UnreadableSourceError(source, f"HTML page has no body text ({exc.reason})") from None
    return [release]
