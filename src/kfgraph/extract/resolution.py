"""Which candidate spans name an entity: overlaps resolved, nested names allowed where the genre nests them.

    resolve(candidates, blocked, text, gazetteer) -> accepted candidates (n log n)
    Spans(spans).overlaps(start, end)              overlap with a fixed set of spans, in log n
    in_title_phrase / adjectival / in_unit_name    places that are no place of the release
    as_site(candidate, text)                       "at NATO Headquarters": a headquarters as a place
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.matcher import Candidate
from kfgraph.models import EntityKind, PlaceKind

_PRESS_OFFICE = re.compile(r" (?:Public Affairs(?: Office)?|Press Office|Public Information Office|PIO)$")


def _may_nest(inner: Candidate, outer: Candidate, text: str, gaz: Gazetteer) -> bool:
    """Whether ``inner`` counts as a mention of its own although ``outer`` contains it."""
    if not (outer.start <= inner.start and inner.end <= outer.end) or inner.length == outer.length:
        return False
    if outer.kind is EntityKind.MANDATE and inner.kind is EntityKind.ORGANIZATION:
        return True  # "UN Security Council Resolution 1244" names the Council too
    if outer.kind is EntityKind.ORGANIZATION and inner.kind is EntityKind.PLACE:
        if inner.key is not None:
            return inner.key in gaz.theatre_regions  # "Kosovo Police" names Kosovo; "Texas Army National Guard" not Texas
        return inner.place_kind is PlaceKind.REGION  # "northern Mitrovica" inside a unit's name
    if outer.kind is EntityKind.ORGANIZATION and inner.kind is EntityKind.ORGANIZATION:
        # "NATO-led KFOR mission", "EU-led Rule of Law mission" name NATO and the EU; the UN in
        # "UN Security Council" is the parent in the unit's own name, not a mention of its own.
        if text[inner.end:inner.end + 2] in ("'s", "’s") and inner.start == outer.start:
            return True  # "the European Union's rule of law mission": EULEX, and the EU itself
        if inner.start == outer.start and inner.key is not None and _PRESS_OFFICE.search(text, inner.end, outer.end):
            return True  # "JFC Naples Public Affairs Office": a unit's press office names the unit
        known = gaz.get(EntityKind.ORGANIZATION, outer.key) if outer.key else None
        parent = known.parent if known else None
        word = text[inner.start:inner.end]
        # "NATO-led KFOR mission", "NATO peacekeeping operation": the leading body, described;
        # not "MNB" inside "MNB NE" (a unit's own code)
        after = text[inner.end:inner.end + 4]
        led = after in ("-led", "–led") or (after[:1] == " " and after[1:2].islower())
        return led and word.isupper() and " " not in word and inner.key is not None and inner.key != parent
    return False


_TITLE_PHRASE = re.compile(r"\b(?:Supreme )?Allied Command(?:er)? (?:Europe|Transformation|Atlantic)\b")


def in_title_phrase(cand: Candidate, text: str) -> bool:
    """"Supreme Allied Commander Europe": Europe names a post, not a place of the release."""
    if "Allied Command" not in text[max(0, cand.start - 40):cand.end]:
        return False  # only the window: testing the whole text for each place was quadratic
    return any(m.start() <= cand.start and cand.end <= m.end()
               for m in _TITLE_PHRASE.finditer(text, max(0, cand.start - 40), cand.end))


# Country names that are also their adjective: "U.S. troops", "US, Polish and Ukrainian soldiers"
_ADJECTIVAL_NAMES = frozenset({"us", "u s", "uk", "u k", "usa"})
_FUNCTION_WORDS = frozenset(
    "and or but is was are were has have had will would said says to in on at of for with from by as since "
    "that which who the a an its their also".split()
)


def adjectival(cand: Candidate, text: str, gaz: Gazetteer) -> bool:
    """ "US" used as an adjective: followed by a lower-case noun, or opening a list of adjectives."""
    if name_key(text[cand.start:cand.end]) not in _ADJECTIVAL_NAMES:
        return False
    if text.startswith(("-led", "–led", "-based"), cand.end):
        return True  # "US-led units"
    m = re.match(r"(,| and)?\s+([\w’'-]+)", text[cand.end:cand.end + 40])
    if m is None:
        return False
    word = m.group(2)
    if m.group(1):
        return name_key(word) in gaz.demonyms  # "US and British troops"; not "the US and major EU countries"
    return word[:1].islower() and word not in _FUNCTION_WORDS


_UNIT_WORD_BEFORE = re.compile(r"\b(?:FORCE|BRIGADE|BATTALION|REGIMENT|GROUP|COMMAND|COMPANY|CONTINGENT) $")
_UNIT_WORD_AFTER = re.compile(r"^ (?:ARMY|NATIONAL GUARD|BRIGADE|BATTALION|REGIMENT|CONTINGENT|POLICE)\b")


def in_unit_name(title: str, cand: Candidate) -> bool:
    """In a headline in capitals, a place next to a unit's head noun is part of the unit's name."""
    return bool(_UNIT_WORD_BEFORE.search(title[max(0, cand.start - 12):cand.start])
                or _UNIT_WORD_AFTER.match(title[cand.end:cand.end + 20]))


def _place_kind(cand: Candidate, gaz: Gazetteer) -> PlaceKind | None:
    proto = gaz.get(EntityKind.PLACE, cand.key) if cand.key else None
    return proto.place_kind if proto else cand.place_kind


def resolve(candidates: list[Candidate], blocked: list[tuple[int, int]], text: str, gaz: Gazetteer) -> list[Candidate]:
    """Keep the longest of overlapping candidates (gazetteer before pattern on ties).

    Overlaps are found by bisection over sorted starts, so a long text costs n log n, not n²
    (a 2 MB release took 52 s when every candidate was compared with every accepted one).
    """
    order = {"definition": 0, "gazetteer": 1, "pattern": 2}
    blocking = Spans(blocked)
    accepted: list[Candidate] = []
    accepted_starts: list[int] = []  # sorted, parallel to ``by_start``
    by_start: list[Candidate] = []
    longest = 0
    for cand in sorted(candidates, key=lambda c: (-c.length, order.get(c.origin, 3), c.start)):
        start, end = cand.start, cand.end
        if blocking.overlaps(start, end):
            continue
        # an accepted span overlapping [start, end) starts after start - longest and before end
        lo, hi = bisect_right(accepted_starts, start - longest), bisect_left(accepted_starts, end)
        clash = [a for a in by_start[lo:hi] if a.start < end and start < a.end]
        if not clash or all(_may_nest(cand, a, text, gaz) for a in clash):
            accepted.append(cand)
            at = bisect_right(accepted_starts, start)
            accepted_starts.insert(at, start)
            by_start.insert(at, cand)
            longest = max(longest, end - start)
    return sorted(accepted, key=lambda c: c.start)


class Spans:
    """A fixed set of spans that answers "does [start, end) overlap any of them?" in log n."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.merged: list[tuple[int, int]] = []  # overlapping spans merged: sorted by start, so by end too
        for s, e in sorted(spans):
            if self.merged and s < self.merged[-1][1]:
                self.merged[-1] = (self.merged[-1][0], max(self.merged[-1][1], e))
            else:
                self.merged.append((s, e))
        self.starts = [s for s, _ in self.merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # the last span starting before ``end`` ends furthest
        return bool(i) and self.merged[i - 1][1] > start


def as_site(cand: Candidate, text: str) -> Candidate:
    """"at NATO Headquarters": a headquarters named as where something happens is a place."""
    if (cand.kind is EntityKind.ORGANIZATION and re.search(r"\b(?:Headquarters|HQ)\b", text[cand.start:cand.end])
            and text[max(0, cand.start - 3):cand.start] == "at "):
        return replace(cand, kind=EntityKind.PLACE, key=None, label=text[cand.start:cand.end],
                       place_kind=PlaceKind.OTHER, origin="pattern")
    return cand


