"""JSON records ``{"id", "url", "title", "date", "body"}``: one object, a list, or JSON Lines.

    for item in read_record_file(path, source, lines=False, max_body_bytes=...):
        item  # a JsonRecord, or a RecordProblem for that record only

Files are streamed: a JSON list with ``ijson`` one record at a time, JSON Lines
one line at a time, so a file of any number of records holds one record in
memory. ``id`` and ``body`` are required; ``title``, ``date`` and ``url`` may
be missing or null. A record with a bad field is a ``RecordProblem`` naming
the record and the reason; the records around it are read as usual. Invalid
JSON ends a list (the records before it are kept); in JSON Lines it costs only
its line. Each record's checksum is of its canonical JSON (sorted keys, no
spaces, UTF-8), so reformatting the file does not change it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from decimal import Decimal
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from kfgraph.sources.dates import parse_date_value
from kfgraph.sources.decoding import checksum
from kfgraph.sources.identifiers import identifier_for
from kfgraph.sources.links import Link, release_link

_READ_CHUNK = 64 * 1024
_LINE_SLACK = 64 * 1024  # room for a JSON Lines record's other fields beside its body


@dataclass(frozen=True)
class JsonRecord:
    """One record's fields, checked; small and flat, so it travels cheaply to a worker process."""

    where: str  # 'record 3 (id "abc")', 'line 7 (id "abc")'
    identifier: str
    body: str
    title: str | None
    date: dt.date | None
    link: Link
    checksum: str


@dataclass(frozen=True)
class RecordProblem:
    """A record that cannot become a release (or the unreadable rest of a file)."""

    where: str
    reason: str
    identifier: str | None = None


class _BadField(ValueError):
    pass


def read_record_file(
    stream: IO[bytes], *, lines: bool, max_body_bytes: int
) -> Iterator[JsonRecord | RecordProblem]:
    """Every record of a JSON or JSON Lines file (a seekable stream), in order, each checked on its own."""
    head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield RecordProblem("file", "UTF-16 text is not supported; save the file as UTF-8")
        return
    stream.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
    raw = _json_lines(stream, max_body_bytes) if lines else _json_list(stream, 4 * max_body_bytes + _LINE_SLACK)
    count = 0
    for where, value in raw:
        count += 1
        if isinstance(value, RecordProblem):
            yield value
        else:
            yield check_record(value, where, max_body_bytes=max_body_bytes)
    if count == 0:
        yield RecordProblem("file", "no records: the file holds no release")


def _json_lines(stream: IO[bytes], max_body_bytes: int) -> Iterator[tuple[str, Any]]:
    limit = 4 * max_body_bytes + _LINE_SLACK  # far beyond any real record; a longer line is never parsed
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (more := stream.readline(_READ_CHUNK)) and not more.endswith(b"\n"):
                pass  # skip the rest of the line unread
            yield f"line {number}", RecordProblem(f"line {number}", f"line {number}: longer than {limit} bytes: refused unread")
            continue
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield f"line {number}", RecordProblem(f"line {number}", f"line {number}: not UTF-8: invalid byte at column {exc.start + 1}")
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield f"line {number}", RecordProblem(f"line {number}", f"line {number} is not valid JSON: {reason}")


_BACKEND = ijson.get_backend("python")
"""ijson's pure-Python parser: yajl's C parsers refuse integers past 2**63 ("integer overflow") and
would lose the rest of the file; this one reads about 10 MB/s, a small cost beside extraction."""

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects accepted in a record (ijson's item builder grows with its square)."""


class _Prefixed:
    """A binary stream with some bytes already read put back in front (for ijson)."""

    def __init__(self, first: bytes, stream: IO[bytes]) -> None:
        self.first = first
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.first and size != 0:
            out, self.first = self.first, b""
            return out
        return self.stream.read(size)


class _TooDeep(ValueError):
    pass


def _json_list(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[str, Any]]:
    """A top-level list yields its items one by one; any other top-level value is one record."""
    first = b""
    while not first.strip() and (more := stream.read(_READ_CHUNK)):
        first = more
    if not first.strip():
        yield "file", RecordProblem("file", "empty file" if not first else "empty: whitespace only")
        return
    if first.lstrip()[:1] != b"[":
        data = first + stream.read(max_bytes + 1 - len(first))
        if len(data) > max_bytes:
            yield "record 0", RecordProblem("file", f"a single JSON record over {max_bytes} bytes: refused unread")
            return
        try:
            value = json.loads(data.decode("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            yield "record 0", RecordProblem("file", _json_problem(exc))
            return
        yield "record 0", value
        return
    index = 0
    try:
        for value in _items(_Prefixed(first, stream)):
            yield f"record {index}", value
            index += 1
    except (ijson.JSONError, UnicodeDecodeError, _TooDeep) as exc:
        where = f"record {index} onward" if index else "file"
        yield where, RecordProblem(where, f"{where}: {_json_problem(exc)}" if index else _json_problem(exc))


def _items(source: _Prefixed) -> Iterator[Any]:
    """The items of a top-level JSON array, built one at a time from ijson's prefix-free events."""
    builder: ObjectBuilder | None = None
    depth = 0
    for event, value in _BACKEND.basic_parse(source):
        if event in ("start_map", "start_array"):
            depth += 1
            if depth == 1:
                continue  # the top-level list itself
            if depth > MAX_DEPTH + 1:
                raise _TooDeep(f"nested more than {MAX_DEPTH} levels deep")
        elif event in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                return
        if builder is None:
            builder = ObjectBuilder()
        builder.event(event, value)
        if depth == 1:
            yield builder.value
            builder = None


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        hint = " (the file looks truncated)" if exc.msg.startswith("Expecting") and exc.pos >= len(exc.doc.rstrip()) else ""
        return f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}{hint}"
    if isinstance(exc, ijson.JSONError):
        raw = exc.args[0] if exc.args else exc
        message = (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)).strip().splitlines()[0]
        if "premature EOF" in message or "incomplete" in message.lower():
            return f"not valid JSON: {message} (the file looks truncated)"
        return f"not valid JSON: {message}"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8: invalid byte 0x{exc.object[exc.start]:02x}"
    if isinstance(exc, RecursionError):
        return "not valid JSON: nested too deeply"
    if isinstance(exc, _TooDeep):
        return f"refused: {exc}"
    return f"not valid JSON: {' '.join(str(exc).split())}"


def check_record(value: Any, where: str, *, max_body_bytes: int) -> JsonRecord | RecordProblem:
    """The record's fields, each checked; a problem names the record and the first bad field."""
    if not isinstance(value, dict):
        return RecordProblem(where, f"{where}: expected a JSON object, got {_json_type(value)}")
    identifier: str | None = None
    try:
        record_id = _field(value, "id", required=True)
        assert record_id is not None
        identifier = identifier_for(record_id)
        where = f'{where} (id "{record_id[:80]}")'
        body = _field(value, "body", required=True)
        assert body is not None
        if not body.strip():
            raise _BadField("field 'body' is empty")
        size = len(body.encode("utf-8"))
        if size > max_body_bytes:
            raise _BadField(f"field 'body' is {size} bytes, over the limit of {max_body_bytes} (max_release_bytes)")
        raw_date = _field(value, "date", required=False)
        date = parse_date_value(raw_date) if raw_date else None
        if raw_date and date is None:
            raise _BadField(f"field 'date' is not a date: {raw_date[:40]!r}")
        title = _field(value, "title", required=False)
        link = release_link(_field(value, "url", required=False))
        canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_number)
        digest = checksum(canonical.encode("utf-8", "surrogatepass"))  # extra fields are not checked
    except (_BadField, ValueError) as exc:
        return RecordProblem(where, f"{where}: {exc}", identifier)
    except RecursionError:
        return RecordProblem(where, f"{where}: nested too deeply", identifier)
    return JsonRecord(where, identifier, body, title, date, link, digest)


def _number(value: object) -> float:
    """A JSON list's decimals (ijson gives ``Decimal``) checksum as ``json.loads`` would read them."""
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _field(record: dict[str, Any], name: str, *, required: bool) -> str | None:
    value = record.get(name)
    if value is None:
        if required:
            raise _BadField(f"missing field {name!r}")
        return None
    if not isinstance(value, str):
        raise _BadField(f"field {name!r} must be a string, not {_json_type(value)}")
    if "\x00" in value:
        raise _BadField(f"field {name!r} holds a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _BadField(f"field {name!r} holds an unpaired surrogate: not valid Unicode") from None
    return value


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null", int: "number",
             float: "number", Decimal: "number"}
    return names.get(type(value), type(value).__name__)
