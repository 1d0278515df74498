"""The rule/gazetteer extractor.

    RuleExtractor(gazetteer).extract(release) -> Extraction

Steps: person names (rank/title/role triggers) -> gazetteer and pattern
candidates -> overlap resolution (longest wins; an organization may sit inside
a mandate, an acronym inside "NATO-led ...") -> "Name (ACR)" definitions ->
one entity per kind and key -> persons with roles -> byline and dateline ->
force figures -> events (``kfgraph.extract.events.find_events``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from kfgraph.extract.events import find_events
from kfgraph.extract.figures import find_figures
from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.matcher import Candidate, scan_gazetteer, words
from kfgraph.extract.patterns import CAP, find_patterns
from kfgraph.extract.person_entities import build_persons
from kfgraph.extract.persons import PersonMention, find_person_mentions
from kfgraph.iris import slugify
from kfgraph.models import Entity, EntityKind, Extraction, Mention, PlaceKind, Release


_PLURAL_UNITS = re.compile(
    r"\b(?:KFOR )?(?P<base>Regional Command|Multinational Battle Group|Joint Regional Detachment|Multinational Task Force)s"
    r" (?P<a>East|West|North|South|Centre|Center)(?:,? and | & )(?P<b>East|West|North|South|Centre|Center)\b"
)
_DEFINITION = re.compile(
    rf"(?P<name>{CAP}(?:(?: | of | for | and | of the | on | in ){CAP}){{1,8}}) \((?P<acr>[A-Z][A-Za-z]{{1,8}})\)"
)
_DEFINED = re.compile(r" \([A-Z][A-Za-z]{1,8}\)")
_ACRONYM_AFTER = re.compile(r"[ \t]*\((?P<acr>[A-Z][A-Z0-9]{1,8})\)")
_BYLINE_PREFIX = re.compile(r"^(?:(?:Story|Text|Article|Photos?|Report)(?: and photos?)? )?[Bb]y[: ]+")
_MANDATE_CUE = re.compile(
    r"\b(?:mandated?|mandates|under|in accordance with|pursuant to|based on|according to|in line with|"
    r"authori[sz]ed by|in compliance with)\b", re.IGNORECASE)
_BYLINE_JOB = re.compile(r"\s+(?:Staff )?(?:Writer|Correspondent|Reporter|Editor|Photographer)s?$", re.IGNORECASE)
_ORGISH = re.compile(r"\b(?:Office|Press|Agency|News|Command|Affairs|Media|Radio|Television|Headquarters)\b")
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "in"})
# A defined acronym names an organization only if its name has an organization's head noun:
# "National Blood Transfusion Centre of Kosovo (NBTCK)" does, "Explosive Ordnance Disposal (EOD)" does not.
_ORG_HEADS = re.compile(
    r"\b(?:Centre|Center|Agency|Office|Institute|Council|Committee|Commission|Mission|Forces?|Command|Unit|"
    r"Team|Group|Battalion|Regiment|Brigade|Service|Police|Ministry|Authority|Organi[sz]ation|Association|Bureau|"
    r"Department|Directorate|Headquarters|Detachment|Company|Corps|Union|Fund|Programme|Program|Foundation|"
    r"University|School|Hospital|Court|Assembly|Parliament|Government|Administration|Staff|Secretariat|Board|"
    r"Society|Party|Alliance|Federation|Network|Red Cross|Guard|Army|Navy)\b"
)


def _initials(name: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()[0]) for m in re.finditer(r"\S+", name) if m.group() not in _CONNECTORS]


def _definitions(text: str, gaz: Gazetteer) -> list[Candidate]:
    """Unknown "Long Name (ACR)" pairs whose initials spell the acronym: new organizations."""
    found = []
    last_end = 0
    for k in _DEFINED.finditer(text):  # only near "(ACR)": much faster than scanning the text
        m = _DEFINITION.search(text, max(last_end, k.start() - 160), k.end())
        if m is None:
            continue
        last_end = m.end()
        acr = m["acr"]
        if name_key(acr) in gaz.forms:
            continue
        letters = _initials(m["name"])
        for i in range(len(letters)):
            if "".join(c for _, c in letters[i:]).upper() == acr.upper():
                start = m.start("name") + letters[i][0]
                name = text[start:m.end("name")]
                if gaz.lookup(name) is None and _ORG_HEADS.search(name):
                    found.append(Candidate(start, m.end("name"), EntityKind.ORGANIZATION, name, origin="definition"))
                break
    return found


def _plural_units(text: str, gaz: Gazetteer) -> list[Candidate]:
    """"KFOR Regional Commands East and West" names two units."""
    found: list[Candidate] = []
    if not any(w in text for w in ("Commands ", "Groups ", "Detachments ", "Forces ")):
        return found
    for m in _PLURAL_UNITS.finditer(text):
        for part, start, end in (("a", m.start(), m.end("a")), ("b", m.start("b"), m.end("b"))):
            label = f"{m['base']} {m[part]}"
            known = gaz.lookup(label, EntityKind.ORGANIZATION)
            found.append(Candidate(start, end, EntityKind.ORGANIZATION, known.label if known else label,
                                   key=known.key if known else None, origin="pattern", alias=False))
    return found


def _may_nest(inner: Candidate, outer: Candidate, text: str, gaz: Gazetteer) -> bool:
    """Whether ``inner`` counts as a mention of its own although ``outer`` contains it."""
    if not (outer.start <= inner.start and inner.end <= outer.end) or inner.length == outer.length:
        return False
    if outer.kind is EntityKind.MANDATE and inner.kind is EntityKind.ORGANIZATION:
        return True  # "UN Security Council Resolution 1244" names the Council too
    if outer.kind is EntityKind.ORGANIZATION and inner.kind is EntityKind.PLACE:
        return inner.place_kind is PlaceKind.REGION or _place_kind(inner, gaz) is PlaceKind.REGION
    if outer.kind is EntityKind.ORGANIZATION and inner.kind is EntityKind.ORGANIZATION:
        # "NATO-led KFOR mission", "EU-led Rule of Law mission" name NATO and the EU; the UN in
        # "UN Security Council" is the parent in the unit's own name, not a mention of its own.
        if text[inner.end:inner.end + 2] in ("'s", "’s") and inner.start == outer.start:
            return True  # "the European Union's rule of law mission": EULEX, and the EU itself
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


def _in_title_phrase(cand: Candidate, text: str) -> bool:
    """"Supreme Allied Commander Europe": Europe names a post, not a place of the release."""
    if "Allied Command" not in text[max(0, cand.start - 40):cand.end]:
        return False  # only the window: testing the whole text for each place was quadratic
    return any(m.start() <= cand.start and cand.end <= m.end()
               for m in _TITLE_PHRASE.finditer(text, max(0, cand.start - 40), cand.end))


def _place_kind(cand: Candidate, gaz: Gazetteer) -> PlaceKind | None:
    proto = gaz.get(EntityKind.PLACE, cand.key) if cand.key else None
    return proto.place_kind if proto else cand.place_kind


def resolve(candidates: list[Candidate], blocked: list[tuple[int, int]], text: str, gaz: Gazetteer) -> list[Candidate]:
    """Keep the longest of overlapping candidates (gazetteer before pattern on ties).

    Overlaps are found by bisection over sorted starts, so a long text costs n log n, not n²
    (a 2 MB release took 52 s when every candidate was compared with every accepted one).
    """
    order = {"definition": 0, "gazetteer": 1, "pattern": 2}
    blocking = _Spans(blocked)
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


class _Spans:
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


def _as_site(cand: Candidate, text: str) -> Candidate:
    """"at NATO Headquarters": a headquarters named as where something happens is a place."""
    if (cand.kind is EntityKind.ORGANIZATION and re.search(r"\b(?:Headquarters|HQ)$", cand.label)
            and text[max(0, cand.start - 3):cand.start] == "at "):
        return replace(cand, kind=EntityKind.PLACE, key=None, label=text[cand.start:cand.end],
                       place_kind=PlaceKind.OTHER, origin="pattern")
    return cand


def _bare_surnames(text: str, toks: list[tuple[int, int, str]], persons: list[Entity],
                   taken: list[tuple[int, int]]) -> list[Entity]:
    """"Rutte said": a bare surname of a person named in full in the release is a mention of them."""
    surnames: dict[str, list[Entity]] = {}
    for person in persons:
        words = name_key(person.label).split()
        if len(words) > 1:
            surnames.setdefault(words[-1], []).append(person)
    extra: dict[str, list[Mention]] = {}
    taken_spans = _Spans(taken)
    named: dict[str, _Spans] = {}  # each person's own mentions, indexed when first needed
    for start, end, word in toks:
        owners = surnames.get(word)
        if (owners and len(owners) == 1 and text[start].isupper()
                and not taken_spans.overlaps(start, end)
                and not named.setdefault(owners[0].key, _Spans([(m.start, m.end) for m in owners[0].mentions]))
                .overlaps(start, end)):
            extra.setdefault(owners[0].key, []).append(Mention(start, end, text[start:end]))
    return [replace(p, mentions=tuple(sorted((*p.mentions, *extra[p.key]), key=lambda m: m.start)))
            if p.key in extra else p for p in persons]


def _with_known_names(text: str, people: list[PersonMention], known: list[Candidate]) -> list[PersonMention]:
    """Add full names of known persons written without a rank or title ("Albin Kurti said")."""
    out = list(people)
    for cand in known:
        if not any(p.start < cand.end and cand.start < p.end for p in out):
            out.append(PersonMention(cand.start, cand.end, tuple(text[cand.start:cand.end].split()),
                                     trigger=cand.start, known=cand.key))
    return sorted(out, key=lambda p: p.start)


class _Builder:
    """Collects mentions per (kind, key) and turns them into entities."""

    def __init__(self, gaz: Gazetteer, text: str = "") -> None:
        self.gaz = gaz
        self.text = text
        self.protos: dict[tuple[EntityKind, str], Entity] = {}
        self.mentions: dict[tuple[EntityKind, str], list[Mention]] = {}
        self.names: dict[tuple[EntityKind, str], list[str]] = {}

    def ident(self, cand: Candidate, surface: str) -> tuple[EntityKind, str]:
        gaz = self.gaz
        proto = gaz.get(cand.kind, cand.key) if cand.key else None
        if proto is None:
            proto = gaz.lookup(cand.label, cand.kind) or gaz.lookup(surface, cand.kind)
            if proto is None and cand.kind is EntityKind.PLACE and "/" in surface and cand.place_kind is not PlaceKind.OTHER:
                halves = [gaz.lookup(h, EntityKind.PLACE) for h in surface.split("/")]
                keys = {h.key for h in halves if h is not None}
                proto = gaz.get(EntityKind.PLACE, keys.pop()) if len(keys) == 1 else None
        if proto is None:
            proto = Entity(cand.kind, slugify(cand.label), cand.label, place_kind=cand.place_kind,
                           is_government=cand.is_government,
                           parent="kfor" if cand.label.startswith("KFOR ") else None)
        ident = (proto.kind, proto.key)
        self.protos.setdefault(ident, proto)
        return ident

    def add(self, cand: Candidate, text: str) -> tuple[EntityKind, str]:
        surface = text[cand.start:cand.end]
        ident = self.ident(cand, surface)
        self.mentions.setdefault(ident, []).append(Mention(cand.start, cand.end, surface))
        names = self.names.setdefault(ident, [])
        if cand.alias:
            names.append(" ".join(surface.split()))
            if cand.kind is EntityKind.PLACE and "/" in surface and cand.place_kind is not PlaceKind.OTHER:
                names.extend(h.strip() for h in surface.split("/"))
        return ident

    def add_unmentioned(self, cand: Candidate) -> tuple[EntityKind, str]:
        ident = self.ident(cand, cand.label)
        self.mentions.setdefault(ident, [])
        self.names.setdefault(ident, []).append(cand.label)
        return ident

    def merge_variants(self) -> dict[str, str]:
        """Unknown organizations named in short and in full ("National Blood Transfusion Center" beside
        "National Blood Transfusion Centre of Kosovo") are one: the shorter name becomes an alias.

        Returns the keys merged away (old key -> new key).
        """
        def fold(label: str) -> list[str]:
            return name_key(label).replace("centre", "center").split()

        unknown = sorted((ident for ident in self.protos if ident[0] is EntityKind.ORGANIZATION
                          and self.gaz.get(*ident) is None), key=lambda i: len(fold(self.protos[i].label)))
        merged: dict[str, str] = {}
        for i, short in enumerate(unknown):
            words = fold(self.protos[short].label)
            if len(words) < 3:
                continue
            into = next((long for long in unknown[i + 1:] if long[1] not in merged
                         and len(fold(self.protos[long].label)) > len(words)
                         and fold(self.protos[long].label)[:len(words)] == words
                         # only a place part differs ("... of Kosovo"); "X Forces Joint Force Command" is a unit of X
                         and fold(self.protos[long].label)[len(words)] in ("of", "for", "in")), None)
            if into is not None:
                self.mentions.setdefault(into, []).extend(self.mentions.pop(short, []))
                self.names.setdefault(into, []).extend([self.protos[short].label, *self.names.pop(short, [])])
                del self.protos[short]
                merged[short[1]] = into[1]
        return merged

    def _tied(self, org: tuple[EntityKind, str], mandate: tuple[EntityKind, str]) -> bool:
        """An organization operates under a mandate the release ties to it: both named in one sentence,
        or the mandate named with a mandate cue ("as mandated by", "under", "in accordance with")."""
        text = self.text
        org_mentions = self.mentions.get(org, [])
        for m in self.mentions.get(mandate, []):
            start = max(text.rfind(". ", 0, m.start), text.rfind("\n", 0, m.start)) + 1
            ends = [i for i in (text.find(". ", m.end), text.find("\n", m.end)) if i >= 0]
            end = min(ends) if ends else len(text)
            if any(start <= o.start < end for o in org_mentions) or _MANDATE_CUE.search(text, start, end):
                return True
        return False

    def entities(self) -> list[Entity]:
        out = []
        have = set(self.protos)
        for ident, proto in self.protos.items():
            alts = tuple(dict.fromkeys(n for n in self.names.get(ident, ()) if n != proto.label))
            mentions = tuple(sorted(set(self.mentions.get(ident, ())), key=lambda m: (m.start, m.end)))
            mandates = tuple(m for m in proto.mandates
                             if (EntityKind.MANDATE, m) in have and self._tied(ident, (EntityKind.MANDATE, m)))
            out.append(replace(proto, alt_labels=alts, mentions=mentions, mandates=mandates))
        return out


class RuleExtractor:
    """Gazetteer lookup plus patterns; one instance per process, reused for every release."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def extract(self, release: Release) -> Extraction:
        gaz = self.gazetteer
        text = release.text
        toks = words(text)
        known = scan_gazetteer(text, toks, gaz)
        people = _with_known_names(text, find_person_mentions(text, gaz, toks),
                                   [c for c in known if c.kind is EntityKind.PERSON])
        candidates = [*(c for c in known if c.kind is not EntityKind.PERSON), *find_patterns(text, gaz),
                      *_plural_units(text, gaz), *_definitions(text, gaz)]
        accepted = [_as_site(c, text) for c in resolve(candidates, [(p.start, p.end) for p in people], text, gaz)
                    if not (c.kind is EntityKind.PLACE and _in_title_phrase(c, text))]
        builder = _Builder(gaz, text)
        org_spans: list[tuple[int, int, str]] = []
        taken = [(c.start, c.end) for c in accepted] + [(p.start, p.end) for p in people]
        for cand in accepted:
            kind, key = builder.add(cand, text)
            if kind is EntityKind.ORGANIZATION:
                org_spans.append((cand.start, cand.end, key))
                self._acronym_mentions(text, cand, builder, taken, org_spans)
        merged = builder.merge_variants()
        org_spans = [(s, e, merged.get(k, k)) for s, e, k in org_spans]
        self._title(release, builder)
        self._byline(release, builder, [text[p.start:p.end] for p in people])
        dateline_place = self._dateline(release, builder)
        entities = builder.entities()
        persons = build_persons(text, people, gaz, sorted(org_spans))
        entities += _bare_surnames(text, toks, persons, taken)
        has_kfor = any(e.kind is EntityKind.ORGANIZATION and e.key == "kfor" for e in entities)
        figures = find_figures(text, subject="kfor" if has_kfor else None)
        events = find_events(release, entities)
        return Extraction(release, tuple(entities), events, figures, dateline_place)

    @staticmethod
    def _acronym_mentions(text: str, cand: Candidate, builder: _Builder, taken: list[tuple[int, int]],
                          org_spans: list[tuple[int, int, str]]) -> None:
        """After "National X Centre (NBTCK)", the acronym and its later uses name the same organization."""
        m = _ACRONYM_AFTER.match(text, cand.end)
        if not m or name_key(m["acr"]) in builder.gaz.forms:
            return
        for use in re.finditer(rf"\b{re.escape(m['acr'])}\b", text):
            span = (use.start(), use.end())
            if not any(s < span[1] and span[0] < e for s, e in taken):
                kind_key = builder.ident(cand, text[cand.start:cand.end])
                builder.mentions[kind_key].append(Mention(span[0], span[1], use.group()))
                builder.names[kind_key].append(use.group())
                taken.append(span)
                org_spans.append((span[0], span[1], kind_key[1]))

    def _title(self, release: Release, builder: _Builder) -> None:
        """Organizations, places and mandates named only in the headline (no span in the text)."""
        title = release.title
        if not title:
            return
        gaz = self.gazetteer
        found = resolve([*scan_gazetteer(title, words(title), gaz), *find_patterns(title, gaz)], [], title, gaz)
        for cand in found:
            if cand.kind is EntityKind.PERSON:
                continue  # persons need the body's rank and role context
            if title.isupper() and cand.kind is EntityKind.PLACE and cand.length <= 3:
                continue  # "KFOR SOLDIERS HELP US": a short word in a shouted headline, not a country
            if cand.origin == "gazetteer" or not title.isupper():
                label = title[cand.start:cand.end] if cand.key is None and title.isupper() else cand.label
                kind_key = builder.ident(replace(cand, label=label), title[cand.start:cand.end])
                if kind_key not in builder.mentions:
                    builder.add_unmentioned(replace(cand, label=builder.protos[kind_key].label))

    def _byline(self, release: Release, builder: _Builder, person_names: list[str]) -> None:
        """The author organization of the byline (no span in the text).

        "Story by KFOR Public Affairs Office"; "By NAME, Associated Press Writer" (the person's part is
        skipped); a bare agency name standing in for a byline ("Xinhua", "Beta").
        """
        if not release.byline:
            return
        byline = " ".join(release.byline.split())
        bare = _BYLINE_PREFIX.match(byline) is None
        parts = [p.strip() for p in re.split(r"[,;]", _BYLINE_PREFIX.sub("", byline)) if p.strip()]
        for part in parts:
            if any(n and n in part for n in person_names):
                continue  # "Capt. Ioana Popescu": a person, not the author organization
            name = _BYLINE_JOB.sub("", part)
            known = self.gazetteer.lookup(name, EntityKind.ORGANIZATION)
            agency = bare and len(parts) == 1 and len(name.split()) <= 4
            if known is not None or _ORGISH.search(name) or (name.isupper() and len(name) > 3) or agency:
                label = known.label if known else name
                builder.add_unmentioned(Candidate(0, 0, EntityKind.ORGANIZATION, label,
                                                  key=known.key if known else None))
                return

    def _dateline(self, release: Release, builder: _Builder) -> str | None:
        """The key of the place the dateline names ("PRISTINA" -> "pristina").

        An unknown dateline ("RASKA") still names a place: a city labelled in title case.
        """
        if not release.dateline:
            return None
        parts = [p.strip() for p in re.split(r"[,(–/-]", release.dateline) if p.strip()]
        for part in [release.dateline.strip(), *parts]:
            place = self.gazetteer.lookup(part, EntityKind.PLACE)
            if place is not None:
                if (EntityKind.PLACE, place.key) not in builder.protos:
                    builder.add_unmentioned(Candidate(0, 0, EntityKind.PLACE, place.label, key=place.key))
                return place.key
        if not parts or not re.fullmatch(r"[^\W\d_]+(?:[ '’.-][^\W\d_]+){0,3}", parts[0]):
            return None
        label = " ".join(w[:1].upper() + w[1:].lower() if w.isupper() else w for w in parts[0].split())
        for ident in builder.protos:  # named in the body too ("RASKA - ... in Raska")
            if ident[0] is EntityKind.PLACE and name_key(builder.protos[ident].label) == name_key(label):
                return ident[1]
        return builder.add_unmentioned(Candidate(0, 0, EntityKind.PLACE, label, place_kind=PlaceKind.CITY))[1]
