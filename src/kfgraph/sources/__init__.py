"""Files, folders, HTML pages and JSON records -> ``Release`` objects.

    find_release_files(paths)  -> release files under files/folders, and every path skipped with why
    release_inputs(path, max_release_bytes=...) -> the file's ReleaseInputs, streamed (a .jsonl gives many)
    read_input(item, max_release_bytes=...)     -> the Release, or SourceError for this one input
    read_releases(path)        -> the releases in one file, all at once (small files, tools, tests)
    release_from_text(text, *, identifier, source)
    normalize_text(text)       -> the text normalisation, shared with the extractor

Forms, by extension: ``.txt`` (page text as scraped), ``.html``/``.htm``
(saved page), ``.json`` (one record or a list), ``.jsonl`` (one record a
line). A build streams a file's ``ReleaseInput``s in its main process and
reads each into a ``Release`` in a worker: a whole .txt/.html file is read
there, a JSON record arrives already checked. Anything unreadable raises
``UnreadableSourceError``, an unknown extension ``UnsupportedSourceError``;
both carry a reason a person can act on, and a JSON record's names the record.
A release larger than ``max_release_bytes`` (a file, or a record's body) is
refused unread. Links other than http(s) are dropped with a warning kept on
the release (``Release.warnings``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from kfgraph.errors import UnreadableSourceError, UnsupportedSourceError
from kfgraph.markup_declarations import find_declaration
from kfgraph.models import Release
from kfgraph.settings import Settings
from kfgraph.sources.decoding import checksum, decode_text
from kfgraph.sources.files import SUFFIXES, FoundFiles, SkippedPath, find_release_files
from kfgraph.sources.htmlpage import read_html
from kfgraph.sources.identifiers import identifier_for
from kfgraph.sources.links import release_link
from kfgraph.sources.normalize import normalize_text
from kfgraph.sources.plaintext import build_release, release_from_text
from kfgraph.sources.records import JsonRecord, RecordProblem, read_record_file

__all__ = [
    "SUFFIXES",
    "FoundFiles",
    "RecordProblem",
    "ReleaseInput",
    "SkippedPath",
    "discover",
    "find_release_files",
    "normalize_text",
    "read_input",
    "read_releases",
    "release_from_text",
    "release_inputs",
]

DEFAULT_MAX_RELEASE_BYTES: int = Settings.max_release_bytes


@dataclass(frozen=True)
class ReleaseInput:
    """One release's worth of a source file, not yet a Release: small, so a build can stream it to a worker.

    ``record`` is None for a whole .txt/.html file (read by ``read_input``); ``problem`` is set when
    nothing can be read here, and says why.
    """

    source: str
    record: JsonRecord | None = None
    problem: RecordProblem | None = None

    @property
    def where(self) -> str | None:
        """'record 3 (id "x")' / 'line 7' within a JSON file; None for a whole file."""
        found = self.record or self.problem
        return found.where if found is not None and found.where != "file" else None

    @property
    def identifier(self) -> str | None:
        if self.record is not None:
            return self.record.identifier
        return self.problem.identifier if self.problem is not None else None


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """The release files under ``paths`` (see ``find_release_files``, which also says what was skipped)."""
    yield from find_release_files(paths).files


def release_inputs(path: Path, *, max_release_bytes: int = DEFAULT_MAX_RELEASE_BYTES) -> Iterator[ReleaseInput]:
    """The file's inputs in order: one for a .txt/.html file, one per record of a JSON file (streamed)."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".jsonl"):
        yield ReleaseInput(source)
        return
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield ReleaseInput(source, problem=RecordProblem("file", f"cannot read file: {exc.strerror or exc}"))
        return
    with stream:
        for item in read_record_file(stream, lines=suffix == ".jsonl", max_body_bytes=max_release_bytes):
            if isinstance(item, JsonRecord):
                yield ReleaseInput(source, record=item)
            else:
                yield ReleaseInput(source, problem=item)


def read_input(item: ReleaseInput, *, max_release_bytes: int = DEFAULT_MAX_RELEASE_BYTES) -> Release:
    """The release of one input; ``SourceError`` (naming the file, and the record) when there is none."""
    if item.problem is not None:
        raise UnreadableSourceError(item.source, item.problem.reason)
    if item.record is None:
        return _read_file(Path(item.source), max_release_bytes)
    record = item.record
    try:
        release = build_release(
            record.body,
            identifier=record.identifier,
            source=item.source,
            checksum=record.checksum,
            title=record.title,
            date=record.date,
            url=record.link.url,
        )
    except UnreadableSourceError as exc:
        raise UnreadableSourceError(item.source, f"{record.where}: {exc.reason}") from None
    return replace(release, warnings=(record.link.warning,)) if record.link.warning else release


def read_releases(path: Path, *, max_release_bytes: int = DEFAULT_MAX_RELEASE_BYTES) -> list[Release]:
    """The releases in one file, all at once; the first problem (of any record) raises ``SourceError``."""
    releases: list[Release] = []
    seen: set[str] = set()
    for item in release_inputs(path, max_release_bytes=max_release_bytes):
        release = read_input(item, max_release_bytes=max_release_bytes)
        if release.identifier in seen:
            raise UnreadableSourceError(str(path), f"{item.where}: duplicate id")
        seen.add(release.identifier)
        releases.append(release)
    return releases


def _read_file(path: Path, max_release_bytes: int) -> Release:
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = suffix or "no extension"
        raise UnsupportedSourceError(source, f"unsupported file type ({shown}); expected one of {', '.join(SUFFIXES)}")
    try:
        with path.open("rb") as stream:
            data = stream.read(max_release_bytes + 1)
    except OSError as exc:
        raise UnreadableSourceError(source, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_release_bytes:
        size = path.stat().st_size
        raise UnreadableSourceError(
            source, f"{size} bytes, over the limit of {max_release_bytes} for one release (max_release_bytes): refused unread"
        )
    text = decode_text(data, source)
    identifier = identifier_for(path.stem)
    if suffix == ".txt":
        return build_release(text, identifier=identifier, source=source, checksum=checksum(data))
    declaration = find_declaration(text, html=True)
    if declaration is not None:  # lxml's HTML parser expands nothing today; no parser is given the chance
        raise UnreadableSourceError(source, f"line {declaration.line}: refused HTML page: {declaration.reason}")
    page = read_html(text)
    if not page.text.strip():
        raise UnreadableSourceError(source, "HTML page has no body text")
    link = release_link(page.url, field="canonical link") if _plausible(page.url) else None
    try:
        release = build_release(
            page.text,
            identifier=identifier,
            source=source,
            checksum=checksum(data),
            title=page.title,
            date=page.date,
            url=link.url if link else None,
        )
    except UnreadableSourceError as exc:
        raise UnreadableSourceError(source, f"HTML page has no body text ({exc.reason})") from None
    if link is None and page.url:
        return replace(release, warnings=(f"canonical link dropped: {page.url[:80]!r} is not a valid http(s) URL",))
    return replace(release, warnings=(link.warning,)) if link and link.warning else release


def _plausible(url: str | None) -> bool:
    """Whether a page's own link is kept: a malformed one is dropped (a page's markup is a guess, not a field)."""
    if not url:
        return False
    try:
        release_link(url)
    except ValueError:
        return False
    return True
