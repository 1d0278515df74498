"""JSON records ``{"id", "url", "title", "date", "body"}``: one object, a list, or JSON Lines.

``id`` and ``body`` are required; ``title``, ``date`` and ``url`` may be
missing or null. Each record's checksum is of its canonical JSON (sorted keys,
no spaces, UTF-8), so reformatting the file does not change it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kfgraph.errors import UnreadableSourceError
from kfgraph.models import Release
from kfgraph.sources.dates import parse_date_value
from kfgraph.sources.decoding import checksum
from kfgraph.sources.identifiers import identifier_for
from kfgraph.sources.plaintext import build_release


def _records(text: str, source: str, *, lines: bool) -> Iterator[tuple[str, Any]]:
    """``(where, record)`` pairs; ``where`` names the record for error messages."""
    if lines:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise UnreadableSourceError(
                    source, f"line {number} is not valid JSON: {exc.msg} at column {exc.colno}"
                ) from None
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        ending = text.rstrip()[-1:]
        hint = " (the file looks truncated)" if ending not in ("]", "}") else ""
        raise UnreadableSourceError(
            source, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}{hint}"
        ) from None
    if isinstance(data, list):
        for index, record in enumerate(data):
            yield f"record {index}", record
    else:
        yield "record 0", data


def _field(record: dict[str, Any], name: str, where: str, source: str, *, required: bool) -> str | None:
    value = record.get(name)
    if value is None:
        if required:
            raise UnreadableSourceError(source, f"{where}: missing field {name!r}")
        return None
    if not isinstance(value, str):
        raise UnreadableSourceError(source, f"{where}: field {name!r} must be a string, not {type(value).__name__}")
    return value


def read_records(text: str, source: str, *, lines: bool) -> list[Release]:
    releases: list[Release] = []
    seen: set[str] = set()
    for where, record in _records(text, source, lines=lines):
        if not isinstance(record, dict):
            raise UnreadableSourceError(source, f"{where}: expected a JSON object, got {type(record).__name__}")
        record_id = _field(record, "id", where, source, required=True)
        assert record_id is not None
        where = f'{where} (id "{record_id}")'
        body = _field(record, "body", where, source, required=True)
        assert body is not None
        if not body.strip():
            raise UnreadableSourceError(source, f"{where}: field 'body' is empty")
        raw_date = _field(record, "date", where, source, required=False)
        date = parse_date_value(raw_date) if raw_date else None
        if raw_date and date is None:
            raise UnreadableSourceError(source, f"{where}: field 'date' is not a date: {raw_date!r}")
        identifier = identifier_for(record_id)
        if identifier in seen:
            raise UnreadableSourceError(source, f"{where}: duplicate id")
        seen.add(identifier)
        canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        try:
            releases.append(
                build_release(
                    body,
                    identifier=identifier,
                    source=source,
                    checksum=checksum(canonical.encode("utf-8")),
                    title=_field(record, "title", where, source, required=False),
                    date=date,
                    url=_field(record, "url", where, source, required=False),
                )
            )
        except UnreadableSourceError as exc:
            raise UnreadableSourceError(source, f"{where}: {exc.reason}") from None
    if not releases:
        raise UnreadableSourceError(source, "no records: the JSON holds no release")
    return releases
