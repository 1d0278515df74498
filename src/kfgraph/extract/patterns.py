"""Patterns for names the gazetteer does not know: governments, ministries, armed
forces, numbered units and contingents, offices, villages, camps, bilingual
place pairs, landmarks, streets, directional regions and UN resolutions.

    find_patterns(text, gazetteer) -> list[Candidate]

Each regex is compiled once per process, at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.matcher import Candidate
from kfgraph.models import EntityKind, PlaceKind

UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
LO = "a-zß-öø-ÿāăąćčďđēėęěğģīįıķĺļľłńņňōőœŕřśşšţťūůűųźżžёë"
CAP = rf"[{UP}][{LO}]+(?:-[{UP}]?[{LO}]+|[’'](?!s\b)[{UP}]?[{LO}]+)*"

# Capitalised words that start sentences or describe, never names of places.
STOP = frozenset(
    "the this that these those each every a an in on at of local other nearby small large new old main "
    "several many some all both our their his her its former next last first second third kfor nato "
    "commander deputy chief director head staff general colonel major captain lieutenant exercise operation".split()
)

_ORG_SUFFIX = r"(?:Armed Forces|Defence Forces|Defense Forces|Army|Air Force|Navy|Police|Gendarmerie|Carabinieri|Border Police)"
_UNIT = r"(?:Brigade Combat Team|Task Force|Regiment|Brigade|Battalion|Division|Company|Corps|Squadron|Battery|Wing|Group)"
_Q = "[\"“”]"

GOVERNMENT = re.compile(rf"\bGovernment of (?:the )?(?P<x>{CAP}(?: {CAP})?)")
ADJ_GOVERNMENT = re.compile(rf"\b(?P<x>{CAP}) [Gg]overnment\b")
MINISTRY = re.compile(
    rf"\b(?:(?P<adj>{CAP}) )?Ministry (?:of|for) (?:the )?{CAP}(?:(?: |, | and | of | for )(?!Government\b|Ministry\b){CAP})*"
)
FORCES = re.compile(rf"\b(?P<x>{CAP}) {_ORG_SUFFIX}\b")
ORDINAL_UNIT = re.compile(  # "2nd Battalion, 136th Infantry Regiment" is one unit
    rf"\b\d+(?:st|nd|rd|th) (?:{CAP} ){{0,4}}{_UNIT}\b(?:, \d+(?:st|nd|rd|th) (?:{CAP} ){{0,4}}{_UNIT}\b)?"
)
QUOTED_UNIT = re.compile(rf"{_Q}{CAP}{_Q} (?:{CAP} ){{0,3}}{_UNIT}\b")
TASK_FORCE = re.compile(rf"\bTask Force {CAP}\b")
NATIONAL_GUARD = re.compile(rf"\b(?:{CAP} ){{1,3}}National Guard\b")
CONTINGENT = re.compile(r"\bKFOR (?P<n>[XVIL]{2,7}|[XV])\b(?!-)")
OFFICE = re.compile(rf"\bOffice of the {CAP}(?: {CAP}){{0,4}}")
# A unit's own press office: "RC-W Public Affairs Office", "MNTF-C PIO" (not the KFOR office)
UNIT_OFFICE = re.compile(r"\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)* (?:Public Affairs(?: Office)?|Press Office|Public Information Office|PIO)\b")
# Institutions the gazetteer does not know, by their head noun: "Kosovo Agency for Protection from Radiation
# and Nuclear Safety", "Red Cross of Kosovo", "Romanian General Staff", "Hungarian Defence Forces Joint Force
# Command". Words before the head are capitalised names or acronyms; an "of"/"for" part may follow.
_HEAD = (
    r"(?:Agency|Institute|Centre|Center|Council|Committee|Commission|Command|Authority|Directorate|Department|"
    r"Office|Service|Staff|Police|Corps|Unit|Team|Company|Battalion|Regiment|Brigade|Red Cross|Red Crescent|"
    r"Association|Foundation|Chamber|Inspectorate|Academy|University|Hospital|Clinic|Court|Assembly|Parliament|Union)"
)
_ACR = r"[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*"
INSTITUTION = re.compile(
    rf"(?<![\w-])(?P<pre>(?:(?:{CAP}|{_ACR}) ){{0,5}})(?P<head>{_HEAD})\b"
    rf"(?P<dir> (?:North|South|East|West|Centre|Center|Northeast|Northwest|Southeast|Southwest)\b)?"
    rf"(?P<tail> (?:of|for) (?:the )?{CAP}(?:(?: (?:and|of|for|from|the))* {CAP})*)?"
)
_HEAD_WORD = re.compile(rf"\b{_HEAD}\b")
_CAP_BEFORE = re.compile(r"(?<![\w-])[A-Z][\w’'-]*[ ]$")
_TAIL_ORG = re.compile(rf"\b(?:{_HEAD}|Army|Guard|Forces?|Navy|Government|Ministry|Mission)\b")
_LEAD_STOP = STOP - {"kfor", "nato"}  # "KFOR Chemical ... Company", "NATO Press Service" keep them
_NOT_IN_NAME = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december yesterday today soldiers troops members officers representatives "
    "experts personnel staff chief head deputy acting commander director minister president mayor".split()
)

SETTLEMENT_OF = re.compile(rf"\b(?P<t>village|town|city|municipality|hamlet)s? of (?P<x>{CAP}(?:[ /-]{CAP}){{0,2}})")
_SETTLEMENT_NAME = rf"{CAP}(?:[ /-]{CAP}){{0,2}}"
SETTLEMENT_LIST = re.compile(
    rf"\b(?P<t>villages|hamlets|towns|municipalities) of "
    rf"(?P<list>{_SETTLEMENT_NAME}(?:, {_SETTLEMENT_NAME})*,? and {_SETTLEMENT_NAME})"
)
""""the villages of Magura and Gadime": every settlement of a listed plural."""
_LIST_KINDS = {"villages": "village", "hamlets": "hamlet", "towns": "town", "municipalities": "municipality"}
SETTLEMENT_SUFFIX = re.compile(rf"\b(?P<x>{CAP}(?:/{CAP})?) (?P<t>village|municipality|town)\b")
CAMP_PREFIX = re.compile(rf"\bCamp (?P<x>{CAP}(?: {CAP}){{0,2}})")
CAMP_SUFFIX = re.compile(rf"\b(?P<x>{CAP}(?: {CAP})?) Camp\b")
BILINGUAL = re.compile(
    rf"\b(?P<a>{CAP}(?: {CAP})?)/(?P<b>{CAP}(?: {CAP})?)"
    rf"(?P<t> (?:airfield|airport|Airport|monastery|Monastery|camp|village|municipality|crossing|bridge))?"
)
LANDMARK = re.compile(
    rf"\b{CAP}(?: {CAP}){{0,2}} (?:Military )?(?:Airport|Airfield|Air Base|Monastery|Bridge|Lake|Dam)\b"
)
LOW_LANDMARK = re.compile(rf"(?<=\bthe )(?P<x>{CAP}) (?P<t>bridge|monastery|airfield|airport|lake|dam)\b")
STREET = re.compile(rf"\b(?:Boulevard|Avenue|Rue) {CAP}(?: {CAP}| [IVX]+\b)*")
STREET_SUFFIX = re.compile(rf"\b{CAP}(?: {CAP})? (?:Street|Boulevard|Avenue)\b")
DIRECTIONAL = re.compile(rf"\b(?P<d>northern|southern|eastern|western|central|north-eastern|north-western|south-eastern|south-western) (?P<x>{CAP})\b")

RESOLUTION = re.compile(
    r"\b(?:(?:UN|U\.N\.|United Nations) )?(?:Security Council |UNSC )?[Rr]esolution (?:[Nn]o\.? ?|[Nn]umber )?(?P<n>\d{3,4})"
    r"(?: ?\((?P<y1>\d{4})\)| of (?P<y2>\d{4}))?"
)
UNSCR = re.compile(r"\b(?:UNSCR|S/RES/) ?(?P<n>\d{3,4})(?: ?\((?P<y1>\d{4})\))?")
AGREEMENT = re.compile(rf"\b(?:(?!Agreement\b|Accord\b){CAP}(?: (?:of|and|on|for|the))*[ -]){{1,5}}(?:Agreement|Accord)\b")
UN_MANDATE = re.compile(r"\b(?:our|its|their|the|a|KFOR[’']s) (?P<m>(?:UN|United Nations) mandate)\b")

# Patterns that begin with a capitalised word are tried only near their keyword (much faster than
# scanning the whole text): (pattern, keyword, characters before the keyword, characters after).
_ANCHORS: dict[re.Pattern[str], tuple[re.Pattern[str], int, int]] = {
    ADJ_GOVERNMENT: (re.compile(r"[Gg]overnment\b"), 40, 12),
    MINISTRY: (re.compile(r"Ministry (?:of|for) "), 30, 120),
    FORCES: (re.compile(rf"{_ORG_SUFFIX}\b"), 30, 20),
    ORDINAL_UNIT: (re.compile(r"\d(?:st|nd|rd|th) "), 6, 140),
    INSTITUTION: (re.compile(rf"\b{_HEAD}\b"), 90, 100),
    UNIT_OFFICE: (re.compile(r"\b(?:Public Affairs|Press Office|Public Information Office|PIO)\b"), 20, 30),
    LOW_LANDMARK: (re.compile(r" (?:bridge|monastery|airfield|airport|lake|dam)\b"), 40, 12),
    NATIONAL_GUARD: (re.compile(r"National Guard\b"), 60, 15),
    SETTLEMENT_SUFFIX: (re.compile(r" (?:village|municipality|town)\b"), 45, 14),
    CAMP_SUFFIX: (re.compile(r" Camp\b"), 40, 6),
    BILINGUAL: (re.compile(r"/"), 40, 60),
    LANDMARK: (re.compile(r" (?:Military )?(?:Airport|Airfield|Air Base|Monastery|Bridge|Lake|Dam)\b"), 60, 25),
    STREET_SUFFIX: (re.compile(r" (?:Street|Boulevard|Avenue)\b"), 45, 12),
    RESOLUTION: (re.compile(r"[Rr]esolution (?:[Nn]o\.? ?|[Nn]umber )?\d"), 40, 24),
    AGREEMENT: (re.compile(r"(?:Agreement|Accord)\b"), 60, 2),
}


def matches(regex: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)``, but only around its keyword when it has one (same matches)."""
    anchor = _ANCHORS.get(regex)
    if anchor is None:
        yield from regex.finditer(text)
        return
    keyword, before, after = anchor
    last_end = 0
    for k in keyword.finditer(text):
        if k.start() < last_end:
            continue
        m = regex.search(text, max(last_end, k.start() - before), min(len(text), k.end() + after))
        if m is not None and m.end() > last_end:
            last_end = m.end()
            yield m


_PLACE_KINDS = {"village": PlaceKind.VILLAGE, "hamlet": PlaceKind.VILLAGE, "town": PlaceKind.CITY,
                "city": PlaceKind.CITY, "municipality": PlaceKind.MUNICIPALITY}


def _country(gaz: Gazetteer, word: str) -> str | None:
    """The country/place key a demonym or place name stands for ("Serbian" -> "serbia")."""
    key = name_key(word)
    if key in gaz.demonyms:
        return gaz.demonyms[key]
    ent = gaz.lookup(word, EntityKind.PLACE)
    return ent.key if ent is not None else None


def _org(m: re.Match[str], start: int | None = None, *, label: str | None = None, gov: bool = False,
         origin: str = "pattern") -> Candidate:
    s = m.start() if start is None else start
    text = m.string[s:m.end()]
    return Candidate(s, m.end(), EntityKind.ORGANIZATION, label or text, origin=origin, is_government=gov)


def _has(text: str, *words: str) -> bool:
    """Cheap gate: run a regex only when one of its literal words occurs at all."""
    return any(w in text for w in words)


def _organizations(text: str, gaz: Gazetteer) -> Iterator[Candidate]:
    if not _has(text, "overnment", "Ministry", "Forces", "Army", "Air Force", "Navy", "Police", "Gendarmerie",
                "Carabinieri", "Regiment", "Brigade", "Battalion", "Division", "Company", "Corps", "Squadron",
                "Battery", "Wing", "Group", "Task Force", "KFOR ", "Office", "National Guard", "Team", "Agency",
                "Institute", "Centre", "Center", "Council", "Committee", "Commission", "Command", "Authority",
                "Directorate", "Department", "Service", "Staff", "Unit", "Red Cross", "Red Crescent", "Association",
                "Foundation", "Chamber", "Inspectorate", "Academy", "University", "Hospital", "Clinic", "Court",
                "Assembly", "Parliament", "Union", "PIO", "Public Affairs"):
        return
    for m in matches(GOVERNMENT, text) if "Government of" in text else ():
        place = gaz.lookup(m["x"], EntityKind.PLACE)
        if place is not None or name_key(m["x"]) not in STOP:
            label = f"Government of {place.label if place else m['x']}"
            yield _org(m, label=label, gov=True)
    for m in matches(ADJ_GOVERNMENT, text):
        key = _country(gaz, m["x"])
        place = gaz.get(EntityKind.PLACE, key) if key else None
        if place is not None:
            yield _org(m, label=f"Government of {place.label}", gov=True)
    for m in matches(MINISTRY, text):
        start = m.start() if m["adj"] and _country(gaz, m["adj"]) else m.start() + (len(m["adj"]) + 1 if m["adj"] else 0)
        yield _org(m, start, gov=True)
    for m in matches(FORCES, text):
        if _country(gaz, m["x"]):
            yield _org(m, gov=True)
    gates = {QUOTED_UNIT: ('"', "“", "”"), TASK_FORCE: ("Task Force ",), NATIONAL_GUARD: ("National Guard",),
             OFFICE: ("Office of the ",)}
    for regex in (ORDINAL_UNIT, QUOTED_UNIT, TASK_FORCE, NATIONAL_GUARD, OFFICE):
        if regex in gates and not _has(text, *gates[regex]):
            continue  # a literal the pattern needs is absent: skip the scan
        for m in matches(regex, text):
            yield _org(m)
    for m in matches(UNIT_OFFICE, text) if _has(text, "Public Affairs", "Press Office", "Public Information", "PIO") else ():
        yield _org(m)
    last_end = 0
    for k in _HEAD_WORD.finditer(text):  # like matches(INSTITUTION, ...), but only after a capitalised word
        if k.start() < last_end or not (_CAP_BEFORE.search(text, max(0, k.start() - 40), k.start())
                                        or text.startswith("Red ", k.start())):
            continue
        found = INSTITUTION.search(text, max(last_end, k.start() - 90), min(len(text), k.end() + 100))
        if found is None or found.end() <= last_end:
            continue
        last_end = found.end()
        cand = _institution(found, gaz)
        if cand is not None:
            yield cand
    for m in CONTINGENT.finditer(text):
        yield _org(m, label=f"KFOR {m['n']}")


def _institution(m: re.Match[str], gaz: Gazetteer) -> Candidate | None:
    """An unknown institution named by its head noun, without leading sentence words ("The", "Yesterday")."""
    pre = m["pre"].split()
    start = m.start()
    if re.search(r"\d(?:st|nd|rd|th) $", m.string[max(0, start - 8):start]):
        return None  # "56th Infantry Brigade Combat Team": a numbered unit (ORDINAL_UNIT)
    while pre and (name_key(pre[0]) in _LEAD_STOP or name_key(pre[0]) in _NOT_IN_NAME
                   or re.search(r"-(?:led|based)$", pre[0])):
        start += len(pre[0]) + 1
        pre = pre[1:]
    tail = m["tail"]
    end = m.end()
    if tail and _TAIL_ORG.search(tail):
        end = m.end("tail") - len(tail)  # "... Team of the Texas Army National Guard": two bodies
        tail = None
    if not pre and not (m["head"].startswith("Red ") and tail):
        return None  # "the Police", "Chief of Staff": a head noun alone is no name
    if not tail and not m["dir"] and len(pre) == 1 and name_key(pre[0]) in gaz.demonyms:
        return None  # "Italian Company": a contingent described by nationality
    if not tail and len(pre) == 1 and gaz.lookup(pre[0], EntityKind.PERSON) is not None:
        return None
    return Candidate(start, end, EntityKind.ORGANIZATION, m.string[start:end], origin="pattern")


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
    settlements = _has(text, "village", "town", "city", "municipality", "hamlet")
    for regex in (SETTLEMENT_OF, SETTLEMENT_SUFFIX) if settlements else ():
        for m in matches(regex, text):
            if name_key(m["x"]) not in STOP and name_key(m["x"]) not in gaz.demonyms:
                yield _place(m.start("x"), m.end("x"), m["x"], _PLACE_KINDS[m["t"]])
    for m in SETTLEMENT_LIST.finditer(text) if _has(text, "villages", "hamlets", "towns", "municipalities") else ():
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
    landmarks = _has(text, "Airport", "Airfield", "Air Base", "Monastery", "Bridge", "Lake", "Dam")
    for m in matches(LANDMARK, text) if landmarks else ():
        if name_key(m.group()).split()[0] not in STOP and not _quoted(text, m.start()):
            yield _place(m.start(), m.end(), m.group(), PlaceKind.OTHER)
    for m in matches(LOW_LANDMARK, text) if _has(text, " bridge", " monastery", " airfield", " airport", " lake", " dam") else ():
        if name_key(m["x"]) not in STOP and name_key(m["x"]) not in gaz.demonyms:
            yield _place(m.start(), m.end(), m.group(), PlaceKind.OTHER)
    for regex in (STREET, STREET_SUFFIX) if _has(text, "Boulevard", "Avenue", "Rue ", "Street") else ():
        for m in matches(regex, text):
            yield _place(m.start(), m.end(), m.group(), PlaceKind.OTHER)
    for m in matches(DIRECTIONAL, text) if _has(text, "ern ", "central ") else ():
        if gaz.lookup(m["x"], EntityKind.PLACE) is not None:
            yield _place(m.start(), m.end(), f"{m['d']} {m['x']}", PlaceKind.REGION)


def _mandates(text: str, gaz: Gazetteer) -> Iterator[Candidate]:
    if not _has(text, "esolution", "UNSCR", "S/RES/", "mandate", "Agreement", "Accord"):
        return
    for regex in (RESOLUTION, UNSCR):
        for m in matches(regex, text):
            label = f"UNSCR {m['n']}"
            known = gaz.lookup(label, EntityKind.MANDATE)
            yield Candidate(m.start(), m.end(), EntityKind.MANDATE, label, key=known.key if known else None,
                            origin="pattern")
    for m in matches(AGREEMENT, text) if _has(text, "Agreement", "Accord") else ():
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
    return [*_organizations(text, gaz), *_places(text, gaz), *_mandates(text, gaz)]
