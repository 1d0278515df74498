"""Content negotiation as a pure function (RFC 9110 §12.5.1).

Rules, in order:

* no or empty ``Accept`` → the first offered format (the server's preference);
* each offered format gets the q-value of the *most specific* media range that
  matches one of its media types (``type/subtype`` > ``type/*`` > ``*/*``), so
  ``text/turtle;q=0, */*`` excludes Turtle while still accepting the rest;
* ``q=0`` means "not acceptable"; parameters other than ``q`` are ignored;
  malformed ranges or q-values are skipped;
* the highest q wins; ties go to the more specific match, then to the range
  listed first in the header, then to the server's order in ``offered``;
* nothing acceptable → ``NotAcceptableError`` (406).

>>> from kfgraph import formats as f
>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", f.RESULTS_FORMATS).name
'SPARQL XML results'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kfgraph.errors import NotAcceptableError
from kfgraph.formats import Format


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    position: int

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return (self.type in ("*", main)) and (self.subtype in ("*", sub))


def parse_accept(accept: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are dropped."""
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        valid = True
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    valid = False
                if not 0.0 <= q <= 1.0:
                    valid = False
        if valid:
            ranges.append(MediaRange(main.strip(), sub.strip(), q, position))
    return ranges


def negotiate(accept: str | None, offered: Sequence[Format]) -> Format:
    """Pick the offered format the client prefers; raise ``NotAcceptableError`` if none is acceptable."""
    if not offered:
        raise NotAcceptableError("no representation is available")
    if accept is None or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    best: tuple[float, int, int, int] | None = None
    chosen: Format | None = None
    for order, fmt in enumerate(offered):
        matching = [r for r in ranges if any(r.matches(m) for m in fmt.media_types)]
        if not matching:
            continue
        specificity = max(r.specificity for r in matching)
        top = max((r for r in matching if r.specificity == specificity), key=lambda r: (r.q, -r.position))
        if top.q <= 0:
            continue
        key = (top.q, top.specificity, -top.position, -order)
        if best is None or key > best:
            best, chosen = key, fmt
    if chosen is None:
        available = ", ".join(fmt.media_type for fmt in offered)
        raise NotAcceptableError(f"none of the available media types is acceptable ({accept!r}); available: {available}")
    return chosen
