"""Patterns for names the gazetteer does not know: places (villages, camps and bases, bilingual
place pairs, landmarks, schools in quotes, streets, directional regions) and mandates (UN
resolutions, named agreements); organizations come from ``org_patterns``.

    find_patterns(text, gazetteer) -> list[Candidate]

Each regex is compiled once per process, at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.grammar import ANCHORS, CAP, STOP, anchored, has, matches
from kfgraph.extract.matcher import Candidate
from kfgraph.extract.org_patterns import find_organizations
from kfgraph.models import EntityKind, PlaceKind

__all__ = ["ANCHORS", "find_patterns", "matches"]

SETTLEMENT_OF = re.compile(rf"\b(?P<t>village|town|city|municipality|hamlet)s? of (?P<x>{CAP}(?:[ /-]{CAP}){{0,2}})")
_SETTLEMENT_NAME = rf"{CAP}(?:[ /-]{CAP}){{0,2}}"
SETTLEMENT_LIST = re.compile(
    rf"\b(?P<t>villages|hamlets|towns|municipalities) of "
    rf"(?P<list>{_SETTLEMENT_NAME}(?:, {_SETTLEMENT_NAME})*,? and {_SETTLEMENT_NAME})"
)
""""the villages of Magura and Gadime": every settlement of a listed plural."""
_LIST_KINDS = {"villages": "village", "hamlets": "hamlet", "towns": "town", "municipalities": "municipality"}
SETTLEMENT_SUFFIX = anchored(re.compile(rf"\b(?P<x>{CAP}(?:/{CAP})?) (?P<t>village|municipality|town)\b"),
                             r" (?:village|municipality|town)\b", 45, 14)
CAMP_PREFIX = re.compile(rf"\bCamp (?P<x>{CAP}(?: {CAP}){{0,2}})")
CAMP_SUFFIX = anchored(re.compile(rf"\b(?P<x>{CAP}(?: {CAP})?) Camp\b"), r" Camp\b", 40, 6)
# "the Novo Selo Base", "Camp Bondsteel" written "Bondsteel Base": a camp named by its site
BASE = anchored(re.compile(rf"\b(?P<x>{CAP}(?: {CAP})?) (?:Base|base)\b(?! (?:of|for)\b)"), r" [Bb]ase\b", 40, 6)
BILINGUAL = anchored(re.compile(
    rf"\b(?P<a>{CAP}(?: {CAP})?)/(?P<b>{CAP}(?: {CAP})?)"
    rf"(?P<t> (?:airfield|airport|Airport|monastery|Monastery|camp|village|municipality|crossing|bridge))?"
), r"/", 40, 60)
_LANDMARK_HEAD = r"(?:Military )?(?:Airport|Airfield|Air Base|Monastery|Bridge|Lake|Dam|Demolition Range|Firing Range|Range|Training Area|Power Plant)"
LANDMARK = anchored(re.compile(rf"\b{CAP}(?: {CAP}){{0,2}} {_LANDMARK_HEAD}\b"), rf" {_LANDMARK_HEAD}\b", 60, 25)
LOW_LANDMARK = anchored(re.compile(rf"(?<=\bthe )(?P<x>{CAP}) (?P<t>bridge|monastery|airfield|airport|lake|dam)\b"),
                        r" (?:bridge|monastery|airfield|airport|lake|dam)\b", 40, 12)
# "near the Kosovo B power plant": a plant named by its site and unit letter
POWER_PLANT = re.compile(rf"\b{CAP}(?: [A-Z]\b)? power (?:plant|station)\b")
# "Monastery of Decane", "Church of St. Nicholas": a site named by its "of" part
SITE_OF = anchored(re.compile(rf"\b(?:Monastery|Church|Cathedral|Mosque) of (?:the )?(?:St\. |Saint )?{CAP}(?: {CAP})?"),
                   r"\b(?:Monastery|Church|Cathedral|Mosque) of ", 1, 40)
# donations go to schools named in quotes: "the “Selami Hallaqi” primary school"
QUOTED_SCHOOL = re.compile(rf"[\"“]{CAP}(?: {CAP}){{0,3}}[\"”] (?:primary |secondary |high |elementary )?[Ss]chool\b")
STREET = re.compile(rf"\b(?:Boulevard|Avenue|Rue) {CAP}(?: {CAP}| [IVX]+\b)*")
STREET_SUFFIX = anchored(re.compile(rf"\b{CAP}(?: {CAP})? (?:Street|Boulevard|Avenue)\b"), r" (?:Street|Boulevard|Avenue)\b", 45, 12)
DIRECTIONAL = re.compile(rf"\b(?P<d>northern|southern|eastern|western|central|north-eastern|north-western|south-eastern|south-western) (?P<x>{CAP})\b")

RESOLUTION = anchored(re.compile(
    r"\b(?:(?:UN|U\.N\.|United Nations) )?(?:Security Council |UNSC )?[Rr]esolution (?:[Nn]o\.? ?|[Nn]umber )?(?P<n>\d{3,4})"
    r"(?: ?\((?P<y1>\d{4})\)| of (?P<y2>\d{4}))?"
), r"[Rr]esolution (?:[Nn]o\.? ?|[Nn]umber )?\d", 40, 24)
UNSCR = re.compile(r"\b(?:UNSCR|S/RES/) ?(?P<n>\d{3,4})(?: ?\((?P<y1>\d{4})\))?")
AGREEMENT = anchored(re.compile(rf"\b(?:(?!Agreement\b|Accord\b){CAP}(?: (?:of|and|on|for|the))*[ -]){{1,5}}(?:Agreement|Accord)\b"),
                     r"(?:Agreement|Accord)\b", 60, 2)
UN_MANDATE = re.compile(r"\b(?:our|its|their|the|a|KFOR[’']s) (?P<m>(?:UN|United Nations) mandate)\b")

_PLACE_KINDS = {"village": PlaceKind.VILLAGE, "hamlet": PlaceKind.VILLAGE, "town": PlaceKind.CITY,
                "city": PlaceKind.CITY, "municipality": PlaceKind.MUNICIPALITY}


def _quoted(text: str, start: int) -> bool:
    """A name in quotes is an exercise or operation ("Iron Bridge"), not a place."""
    return start > 0 and text[start - 1] in "\"“”'‘"


def _place(start: int, end: int, label: str, kind: PlaceKind, *, alias: bool = True) -> Candidate:
    return Candidate(start, end, EntityKind.PLACE, label, origin="pattern", place_kind=kind, alias=alias)


def _known_prefix_end(m: re.Match[str], gaz: Gazetteer) -> int:
    """"Camp Film City Pristina": stop after the longest known camp name, or before a known place.

    The first word is always kept: "Camp Ibar" is a camp named after a river, not "Camp" beside "Ibar".
    """
    ends = [w.end() for w in re.finditer(r"\S+", m.string[m.start():m.end()])]
    for end in reversed(ends):
        if gaz.lookup(m.string[m.start():m.start() + end], EntityKind.PLACE) is not None:
            return m.start() + end
    for i, end in enumerate(ends[2:], start=2):
        word = m.string[m.start() + ends[i - 1]:m.start() + end].strip()
        if gaz.lookup(word, EntityKind.PLACE) is not None:
            return m.start() + ends[i - 1]
    return m.end()


def _places(text: str, gaz: Gazetteer) -> Iterator[Candidate]:
    settlements = has(text, "village", "town", "city", "municipality", "hamlet")
    for regex in (SETTLEMENT_OF, SETTLEMENT_SUFFIX) if settlements else ():
        for m in matches(regex, text):
            if name_key(m["x"]) not in STOP and name_key(m["x"]) not in gaz.demonyms:
                yield _place(m.start("x"), m.end("x"), m["x"], _PLACE_KINDS[m["t"]])
    for m in SETTLEMENT_LIST.finditer(text) if has(text, "villages", "hamlets", "towns", "municipalities") else ():
        for item in re.finditer(_SETTLEMENT_NAME, m["list"]):
            name = item.group()
            if name_key(name) not in STOP and name_key(name) not in gaz.demonyms:
                start = m.start("list") + item.start()
                yield _place(start, start + len(name), name, _PLACE_KINDS[_LIST_KINDS[m["t"]]])
    for regex in (CAMP_PREFIX, CAMP_SUFFIX) if "Camp" in text else ():
        for m in matches(regex, text):
            if name_key(m["x"]).split()[0] not in STOP and not _quoted(text, m.start()):
                end = _known_prefix_end(m, gaz) if regex is CAMP_PREFIX else m.end()
                yield _place(m.start(), end, text[m.start():end], PlaceKind.CAMP)
    for m in matches(BASE, text) if " Base" in text or " base" in text else ():
        if name_key(m["x"]).split()[0] not in STOP and name_key(m["x"]) not in gaz.demonyms and not _quoted(text, m.start()):
            camp = gaz.lookup(f"Camp {m['x']}", EntityKind.PLACE)  # "Novo Selo Base" is Camp Novo Selo
            yield Candidate(m.start(), m.end(), EntityKind.PLACE, camp.label if camp else m.group(),
                            key=camp.key if camp else None, origin="pattern", place_kind=PlaceKind.CAMP)
    for m in matches(BILINGUAL, text) if "/" in text else ():
        a, b = gaz.lookup(m["a"], EntityKind.PLACE), gaz.lookup(m["b"], EntityKind.PLACE)
        if a is not None and b is not None and a.key != b.key:
            continue  # "Pristina/Belgrade": two places, not one name in two languages
        if name_key(m["a"]) in gaz.demonyms or name_key(m["b"]) in gaz.demonyms:
            continue
        suffix = (m["t"] or "").strip().lower()
        if suffix in ("airfield", "airport", "monastery", "bridge"):
            yield _place(m.start(), m.end(), m.group(), PlaceKind.OTHER)
        else:
            kind = _PLACE_KINDS.get(suffix, PlaceKind.CAMP if suffix == "camp" else PlaceKind.VILLAGE)
            pair = f"{m['a']}/{m['b']}"
            yield _place(m.start(), m.start() + len(pair), pair, kind)
    landmarks = has(text, "Airport", "Airfield", "Air Base", "Monastery", "Bridge", "Lake", "Dam", "Range",
                    "Training Area", "Power Plant")
    for m in matches(LANDMARK, text) if landmarks else ():
        if name_key(m.group()).split()[0] not in STOP and not _quoted(text, m.start()):
            yield _place(m.start(), m.end(), m.group(), PlaceKind.OTHER)
    for m in matches(LOW_LANDMARK, text) if has(text, " bridge", " monastery", " airfield", " airport", " lake", " dam") else ():
        if name_key(m["x"]) not in STOP and name_key(m["x"]) not in gaz.demonyms:
            yield _place(m.start(), m.end(), m.group(), PlaceKind.OTHER)
    for regex, gates in ((SITE_OF, ("Monastery of", "Church of", "Cathedral of", "Mosque of")),
                         (POWER_PLANT, ("power plant", "power station")), (QUOTED_SCHOOL, ("school", "School"))):
        for m in matches(regex, text) if has(text, *gates) else ():
            yield _place(m.start(), m.end(), m.group(), PlaceKind.OTHER)
    for regex in (STREET, STREET_SUFFIX) if has(text, "Boulevard", "Avenue", "Rue ", "Street") else ():
        for m in matches(regex, text):
            yield _place(m.start(), m.end(), m.group(), PlaceKind.OTHER)
    for m in matches(DIRECTIONAL, text) if has(text, "ern ", "central ") else ():
        if gaz.lookup(m["x"], EntityKind.PLACE) is not None:
            yield _place(m.start(), m.end(), f"{m['d']} {m['x']}", PlaceKind.REGION)


def _mandates(text: str, gaz: Gazetteer) -> Iterator[Candidate]:
    if not has(text, "esolution", "UNSCR", "S/RES/", "mandate", "Agreement", "Accord"):
        return
    for regex in (RESOLUTION, UNSCR):
        for m in matches(regex, text):
            label = f"UNSCR {m['n']}"
            known = gaz.lookup(label, EntityKind.MANDATE)
            yield Candidate(m.start(), m.end(), EntityKind.MANDATE, label, key=known.key if known else None,
                            origin="pattern")
    for m in matches(AGREEMENT, text) if has(text, "Agreement", "Accord") else ():
        words = m.group().split()
        while words and (name_key(words[0]) in STOP or name_key(words[0]) in gaz.demonyms):
            words = words[1:]  # "The Brussels Agreement", "Serbian ..." are not part of the name
        if len(words) > 1:
            start = m.end() - len(" ".join(words))
            label = " ".join(words)
            known = gaz.lookup(label, EntityKind.MANDATE)
            yield Candidate(start, m.end(), EntityKind.MANDATE, known.label if known else label,
                            key=known.key if known else None, origin="pattern")
    default = gaz.get(EntityKind.MANDATE, "unscr-1244")
    if default is not None:
        for m in UN_MANDATE.finditer(text):
            yield Candidate(m.start("m"), m.end("m"), EntityKind.MANDATE, default.label, key=default.key,
                            origin="pattern")


def find_patterns(text: str, gaz: Gazetteer) -> list[Candidate]:
    """Candidates for names found by pattern (overlaps are resolved by the caller)."""
    return [*find_organizations(text, gaz), *_places(text, gaz), *_mandates(text, gaz)]
