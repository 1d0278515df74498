"""Organization names the gazetteer does not know, read by the grammar of the genre.

    find_organizations(text, gazetteer) -> Iterator[Candidate]

Each pattern names the form it reads (the comment above it); none is there for one release:

- governments and ministries by pattern ("Government of X", "the Serbian government", "Ministry of
  Defence of Romania", "the Defence Ministry"), a country's armed forces ("Hungarian Defence Forces");
- units by head noun and structure: ordinal units ("2nd Battalion, 136th Infantry Regiment", "1st
  Battalion of the Royal Regiment"), named units in quotes either side of the head ("'Klapka' Infantry
  Brigade", "Alpine Brigade 'Julia'"), "Task Force Falcon" / "Task Force EOD", National Guard units,
  KFOR rotations ("KFOR XIX", "KFOR-11 contingent"), contingents ("Polish Military Contingent",
  "HDF KFOR Contingent"), directional units ("Multinational Combat Group - East");
- institutions by head noun (Agency, Council, Team, Headquarters ...) with their capitalised words before
  and an "of/for ..." part after, offices ("Office of the ...", "RC-W Public Affairs Office"), and news
  agencies named as such ("news agency PAP"), liaison teams with numbers ("LMT K-12").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.grammar import ACR, CAP, STOP, anchored, country, has, matches
from kfgraph.extract.matcher import Candidate
from kfgraph.models import EntityKind, PlaceKind

_ORG_SUFFIX = r"(?:Armed Forces|Defence Forces|Defense Forces|Army|Air Force|Navy|Police|Gendarmerie|Carabinieri|Border Police)"
_UNIT = (r"(?:Brigade Combat Team|Task Force|Regiment|Brigade|Battalion|Division|Company|Corps|Squadron|Battery|Wing|"
         r"Group|Contingent|Detachment)")
_Q = "[\"“”]"
_DIRECTION = r"(?:North|South|East|West|Centre|Center|Northeast|Northwest|Southeast|Southwest|North-East|South-West)"

GOVERNMENT = re.compile(rf"\bGovernment of (?:the )?(?P<x>{CAP}(?: {CAP})?)")
ADJ_GOVERNMENT = anchored(re.compile(rf"\b(?P<x>{CAP}) [Gg]overnment\b"), r"[Gg]overnment\b", 40, 12)
MINISTRY = anchored(re.compile(
    rf"\b(?:(?P<adj>{CAP}) )?Ministry (?:of|for) (?:the )?{CAP}(?:(?: |, | and | of | for )(?!Government\b|Ministry\b){CAP})*"
), r"Ministry (?:of|for) ", 30, 120)
# "the Defence Ministry", "Serbia's Interior Ministry": a ministry named by its portfolio before the head
PORTFOLIO_MINISTRY = anchored(re.compile(
    rf"\b(?:(?P<adj>{CAP}) )?(?P<field>Defen[cs]e|Foreign|Interior|Justice|Finance|Health|Education) Ministry\b"
), r" Ministry\b", 30, 10)
FORCES = anchored(re.compile(rf"\b(?P<x>{CAP}) {_ORG_SUFFIX}\b"), rf"{_ORG_SUFFIX}\b", 30, 20)
# "2nd Battalion, 136th Infantry Regiment" is one unit; so is "1st Battalion of the Princess of Wales's Royal Regiment"
ORDINAL_UNIT = anchored(re.compile(
    rf"\b\d+(?:st|nd|rd|th) (?:{CAP} ){{0,4}}{_UNIT}\b(?:, \d+(?:st|nd|rd|th) (?:{CAP} ){{0,4}}{_UNIT}\b)?"
    rf"(?: of the (?:(?:{CAP}(?:[’']s)?|of) ){{1,6}}(?:Regiment|Brigade|Division|Corps)\b)?"
), r"\d(?:st|nd|rd|th) ", 6, 140)
# a unit's own name in quotes, before or after its head: "“Klapka György” Infantry Brigade", "Alpine Brigade “Julia”"
QUOTED_UNIT = re.compile(rf"{_Q}{CAP}(?: {CAP}){{0,3}}{_Q} (?:{CAP} ){{0,3}}{_UNIT}\b")
UNIT_QUOTED = re.compile(rf"\b(?:{CAP} ){{1,3}}{_UNIT} {_Q}{CAP}(?: {CAP}){{0,2}}{_Q}")
# "Task Force Falcon", "Task Force EOD", "Task Force Texas"
TASK_FORCE = re.compile(rf"\bTask Force (?:{CAP}(?! (?:{_UNIT}|Command)\b)|{ACR}\b)")
NATIONAL_GUARD = anchored(re.compile(rf"\b(?:{CAP} ){{1,3}}National Guard\b"), r"National Guard\b", 60, 15)
# KFOR rotations: "KFOR XIX", and national rotations "KFOR-11 contingent", "KFOR 29 contingent"
CONTINGENT = re.compile(r"\bKFOR (?P<n>[XVIL]{2,7}|[XV])\b(?!-)")
ROTATION = re.compile(r"\bKFOR[- ](?P<n>\d{1,2}) (?P<c>[Cc]ontingent|[Rr]otation)\b")
OFFICE = re.compile(rf"\bOffice of the {CAP}(?: {CAP}){{0,4}}")
# A unit's own press office: "RC-W Public Affairs Office", "MNTF-C PIO" (not the KFOR office)
UNIT_OFFICE = anchored(re.compile(
    r"\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*(?: [A-Z][a-z]+)? (?:Public Affairs(?: Office)?|Press Office|Public Information Office|PIO)\b"
), r"\b(?:Public Affairs|Press Office|Public Information Office|PIO)\b", 30, 30)
# liaison teams with numbers or codes: "LMT K-12", "Liaison and Monitoring Team 3", "LMT Prizren"
NUMBERED_TEAM = re.compile(rf"\b(?:LMT|Liaison (?:and )?Monitoring Team)[ -](?:[A-Z]{{1,2}}-?\d{{1,3}}\b|\d{{1,3}}\b|{CAP}\b)")
# "the Polish state news agency PAP", "Tanjug news agency"
NEWS_AGENCY = re.compile(rf"\b(?:news|press) agency (?P<a>{ACR}|{CAP}(?: {CAP})?)\b|\b(?P<b>{ACR}|{CAP}) news agency\b")

# Institutions the gazetteer does not know, by their head noun: "Kosovo Agency for Protection from Radiation
# and Nuclear Safety", "Red Cross of Kosovo", "Romanian General Staff", "NATO Advisory and Liaison Team".
# Words before the head are capitalised names or acronyms (two may be joined by "and"); a direction
# ("Regional Command-East") or an "of"/"for" part may follow.
_HEAD = (
    r"(?:Agency|Institute|Centre|Center|Council|Committee|Commission|Command|Authority|Directorate|Department|"
    r"Office|Service|Staff|Police|Corps|Unit|Team|Company|Battalion|Regiment|Brigade|Contingent|Red Cross|Red Crescent|"
    r"Association|Foundation|Chamber|Inspectorate|Academy|University|Hospital|Clinic|Court|Assembly|Parliament|Union|"
    r"Synod|Diocese|Eparchy|Headquarters|HQ|Task Force|Battle Group|Group)"
)
INSTITUTION = anchored(re.compile(
    rf"(?<![\w-])(?P<pre>(?:(?:{CAP}|{ACR})(?:,| and(?= {CAP}))? ){{0,6}}(?:\({ACR}\) )?)(?P<head>{_HEAD})\b"
    rf"(?P<dir>(?: ?[-–] ?| ){_DIRECTION}\b)?"
    rf"(?P<tail> (?:of|for) (?:the )?{CAP}(?:(?: (?:and|of|for|from|the))* {CAP})*)?"
), rf"\b{_HEAD}\b", 120, 100)
_HEAD_WORD = re.compile(rf"\b{_HEAD}\b")
_CAP_BEFORE = re.compile(r"(?<![\w-])(?:[A-Z][\w’'-]*|\([A-Z]{2,6}\))[ ]$")
_OF_AFTER = re.compile(r" (?:of|for) (?:the )?[A-Z]")
_TAIL_ORG = re.compile(rf"\b(?:{_HEAD}|Army|Guard|Forces?|Navy|Government|Ministry|Mission)\b")
_LEAD_STOP = STOP - {"kfor", "nato"}  # "KFOR Chemical ... Company", "NATO Press Service" keep them
_NOT_IN_NAME = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december yesterday today soldiers troops members officers representatives "
    "experts personnel staff chief head deputy acting commander director minister president mayor".split()
)
# Heads that name a body by their "of ..." part alone: "Department of Defence", "Diocese of Raska-Prizren"
_NAMED_BY_TAIL = frozenset(
    "agency institute council committee commission authority directorate department association foundation "
    "chamber inspectorate academy university hospital clinic court assembly parliament union synod diocese "
    "eparchy".split()
)
# Military units: "of Tata" after "Infantry Brigade" names the garrison town, not part of the unit's name
_UNIT_HEADS = frozenset("corps unit team company battalion regiment brigade contingent group".split())
# "the Defence Forces": a national ministry's name for its own forces, or the short form of "Irish Defence Forces"
OWN_FORCES = re.compile(r"(?<=\b[Tt]he )(?:Defen[cs]e|Armed) Forces\b")


def _org(m: re.Match[str], start: int | None = None, *, end: int | None = None, label: str | None = None,
         gov: bool = False) -> Candidate:
    s = m.start() if start is None else start
    e = m.end() if end is None else end
    return Candidate(s, e, EntityKind.ORGANIZATION, label or m.string[s:e], origin="pattern", is_government=gov)


_GATE = ("overnment", "Ministry", "Forces", "Army", "Air Force", "Navy", "Police", "Gendarmerie", "Carabinieri",
         "Regiment", "Brigade", "Battalion", "Division", "Company", "Corps", "Squadron", "Battery", "Wing", "Group",
         "Task Force", "KFOR", "Office", "National Guard", "Team", "Agency", "Institute", "Centre", "Center",
         "Council", "Committee", "Commission", "Command", "Authority", "Directorate", "Department", "Service",
         "Staff", "Unit", "Red Cross", "Red Crescent", "Association", "Foundation", "Chamber", "Inspectorate",
         "Academy", "University", "Hospital", "Clinic", "Court", "Assembly", "Parliament", "Union", "PIO",
         "Public Affairs", "Contingent", "Detachment", "Synod", "Diocese", "Eparchy", "Headquarters", "HQ", "agency",
         "LMT")


def find_organizations(text: str, gaz: Gazetteer) -> Iterator[Candidate]:
    """Candidates for organization names (overlaps are resolved by the caller)."""
    if not has(text, *_GATE):
        return
    yield from _governments(text, gaz)
    gates = {QUOTED_UNIT: ('"', "“", "”"), UNIT_QUOTED: ('"', "“", "”"), TASK_FORCE: ("Task Force ",),
             NATIONAL_GUARD: ("National Guard",), OFFICE: ("Office of the ",)}
    for regex in (ORDINAL_UNIT, QUOTED_UNIT, UNIT_QUOTED, TASK_FORCE, NATIONAL_GUARD, OFFICE):
        if regex in gates and not has(text, *gates[regex]):
            continue  # a literal the pattern needs is absent: skip the scan
        for m in matches(regex, text):
            lead = re.match(r"(?:(?:The|A|An|This|Its|Their)\s+)+", m.group()) if regex is UNIT_QUOTED else None
            yield _org(m, m.start() + (lead.end() if lead else 0))  # "The Mountain Brigade 'X'": not "The"
    for m in matches(UNIT_OFFICE, text) if has(text, "Public Affairs", "Press Office", "Public Information", "PIO") else ():
        yield _org(m)
    for m in NEWS_AGENCY.finditer(text) if has(text, "agency") else ():
        group = "a" if m["a"] else "b"
        if name_key(m[group]) not in STOP and name_key(m[group]) not in gaz.demonyms:
            yield _org(m, m.start(group), end=m.end(group))
    yield from _institutions(text, gaz)
    for m in CONTINGENT.finditer(text):
        yield _org(m, label=f"KFOR {m['n']}")
    for m in ROTATION.finditer(text):
        yield _org(m)
    for m in NUMBERED_TEAM.finditer(text) if has(text, "LMT", "Monitoring Team") else ():
        if name_key(m.group().split()[-1]) not in STOP:
            yield _org(m)
    for m in OWN_FORCES.finditer(text) if "Forces" in text else ():
        yield _org(m, gov=True)


def _governments(text: str, gaz: Gazetteer) -> Iterator[Candidate]:
    for m in matches(GOVERNMENT, text) if "Government of" in text else ():
        place = gaz.lookup(m["x"], EntityKind.PLACE)
        if place is not None or name_key(m["x"]) not in STOP:
            label = f"Government of {place.label if place else m['x']}"
            yield _org(m, label=label, gov=True)
    for m in matches(ADJ_GOVERNMENT, text):
        key = country(gaz, m["x"])
        place = gaz.get(EntityKind.PLACE, key) if key else None
        if place is not None:
            yield _org(m, label=f"Government of {place.label}", gov=True)
    for m in matches(MINISTRY, text):
        start = m.start() if m["adj"] and country(gaz, m["adj"]) else m.start() + (len(m["adj"]) + 1 if m["adj"] else 0)
        yield _org(m, start, gov=True)
    for m in matches(PORTFOLIO_MINISTRY, text) if " Ministry" in text else ():
        start = m.start() if m["adj"] and country(gaz, m["adj"]) else m.start("field")
        yield _org(m, start, gov=True)
    for m in matches(FORCES, text):
        if country(gaz, m["x"]):
            yield _org(m, gov=True)


def _institutions(text: str, gaz: Gazetteer) -> Iterator[Candidate]:
    last_end = 0
    for k in _HEAD_WORD.finditer(text):  # like matches(INSTITUTION, ...), but only after a capitalised word
        named_by_tail = k.group().lower() in _NAMED_BY_TAIL and _OF_AFTER.match(text, k.end())
        if k.start() < last_end or not (_CAP_BEFORE.search(text, max(0, k.start() - 40), k.start())
                                        or text.startswith("Red ", k.start()) or named_by_tail):
            continue
        found = INSTITUTION.search(text, max(last_end, k.start() - 120), min(len(text), k.end() + 100))
        while found is not None and found.end() <= k.start():  # a match of an earlier head word: look further
            found = INSTITUTION.search(text, found.end(), min(len(text), k.end() + 100))
        if found is None or found.end() <= last_end:
            continue
        last_end = found.end()
        cand = _institution(found, gaz)
        if cand is not None:
            yield cand


def _drop_leading(pre: list[str], start: int, gaz: Gazetteer) -> tuple[list[str], int]:
    """Leading sentence words ("The", "Yesterday"), "-led" descriptions and a list's first member
    ("KFOR and Kosovo Police": "and" joins two bodies unless both sides are plain name words)."""
    while pre and (name_key(pre[0]) in _LEAD_STOP or name_key(pre[0]) in _NOT_IN_NAME
                   or re.search(r"-(?:led|based)$", pre[0])):
        start += len(pre[0]) + 1
        pre = pre[1:]
    if any(w.endswith(",") for w in pre):
        # "Chemical, Biological, Radiological and Nuclear": a list joined by "and" is one name; otherwise
        # a comma ends the sentence's words before the name
        last = max(i for i, w in enumerate(pre) if w.endswith(","))
        if "and" not in pre[last:]:
            start += sum(len(w) + 1 for w in pre[:last + 1])
            pre = pre[last + 1:]
        else:
            return pre, start
    while "and" in pre:
        i = pre.index("and")
        left = pre[i - 1] if i else ""
        plain = (left[:1].isupper() and not left.isupper() and name_key(left) not in gaz.demonyms
                 and name_key(left) not in gaz.forms)
        if plain and i + 1 < len(pre):
            break
        start += sum(len(w) + 1 for w in pre[:i + 1])
        pre = pre[i + 1:]
    return pre, start


def _institution(m: re.Match[str], gaz: Gazetteer) -> Candidate | None:
    """An unknown institution named by its head noun, without leading sentence words ("The", "Yesterday")."""
    start = m.start()
    if re.search(r"\d(?:st|nd|rd|th) $", m.string[max(0, start - 8):start]):
        return None  # "56th Infantry Brigade Combat Team": a numbered unit (ORDINAL_UNIT)
    pre, start = _drop_leading(m["pre"].split(), start, gaz)
    head = m["head"]
    tail = m["tail"]
    end = m.end()
    if tail and _TAIL_ORG.search(tail):
        end = m.end("tail") - len(tail)  # "... Team of the Texas Army National Guard": two bodies
        tail = None
    if tail and head.lower() in _UNIT_HEADS:
        place = gaz.lookup(re.sub(r"^ (?:of|for) (?:the )?", "", tail), EntityKind.PLACE)
        if place is not None and place.place_kind in (PlaceKind.CITY, PlaceKind.VILLAGE, PlaceKind.MUNICIPALITY):
            end = m.end("tail") - len(tail)  # "Infantry Brigade of Tata": the garrison town
            tail = None
    if not pre and not ((head.startswith("Red ") or head.lower() in _NAMED_BY_TAIL) and tail):
        return None  # "the Police", "Chief of Staff": a head noun alone is no name
    if not tail and not m["dir"] and len(pre) == 1 and name_key(pre[0]) in gaz.demonyms:
        return None  # "Italian Company": a contingent described by nationality
    if not tail and len(pre) == 1 and gaz.lookup(pre[0], EntityKind.PERSON) is not None:
        return None
    if head in ("HQ", "Headquarters") and not tail and all(name_key(w) in gaz.forms for w in pre):
        return None  # "KFOR HQ", "NATO Headquarters": the gazetteer's, or a known body's seat
    return Candidate(start, end, EntityKind.ORGANIZATION, m.string[start:end], origin="pattern")
