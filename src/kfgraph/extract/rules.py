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
from dataclasses import replace

from kfgraph.extract.builder import EntityBuilder
from kfgraph.extract.command_events import date_command_changes
from kfgraph.extract.events import find_events
from kfgraph.extract.figures import find_figures
from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.matcher import Candidate, scan_gazetteer, words
from kfgraph.extract.grammar import CAP
from kfgraph.extract.patterns import find_patterns
from kfgraph.extract.person_entities import build_persons
from kfgraph.extract.persons import PersonMention, find_person_mentions
from kfgraph.extract.resolution import Spans, adjectival, as_site, in_title_phrase, in_unit_name, resolve
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
_BYLINE_JOB = re.compile(r"\s+(?:Staff )?(?:Writer|Correspondent|Reporter|Editor|Photographer)s?$", re.IGNORECASE)
_ORGISH = re.compile(r"\b(?:Office|Press|Agency|News|Command|Affairs|Media|Radio|Television|Headquarters|Review|"
                     r"Times|Post|Daily|Journal|Herald|Tribune|Gazette|Wire|Online|Insight|Service)\b")
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "in"})
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


def _bare_surnames(text: str, toks: list[tuple[int, int, str]], persons: list[Entity],
                   taken: list[tuple[int, int]]) -> list[Entity]:
    """"Rutte said": a bare surname of a person named in full in the release is a mention of them."""
    surnames: dict[str, list[Entity]] = {}
    for person in persons:
        words = name_key(person.label).split()
        if len(words) > 1:
            surnames.setdefault(words[-1], []).append(person)
    extra: dict[str, list[Mention]] = {}
    taken_spans = Spans(taken)
    named: dict[str, Spans] = {}  # each person's own mentions, indexed when first needed
    for start, end, word in toks:
        owners = surnames.get(word)
        if (owners and len(owners) == 1 and text[start].isupper()
                and not taken_spans.overlaps(start, end)
                and not named.setdefault(owners[0].key, Spans([(m.start, m.end) for m in owners[0].mentions]))
                .overlaps(start, end)):
            extra.setdefault(owners[0].key, []).append(Mention(start, end, text[start:end]))
    return [replace(p, mentions=tuple(sorted((*p.mentions, *extra[p.key]), key=lambda m: m.start)))
            if p.key in extra else p for p in persons]


def _names_a_body(person: PersonMention, named: list[Candidate]) -> bool:
    """A name read after a role ("head of the North | Atlantic Alliance") that the gazetteer knows as an
    organization or place is not a person; a ranked or titled name always is."""
    return person.rank is None and person.trigger == person.start and any(
        c.start <= person.start and person.end <= c.end for c in named)


def _with_known_names(text: str, people: list[PersonMention], known: list[Candidate]) -> list[PersonMention]:
    """Add full names of known persons written without a rank or title ("Albin Kurti said")."""
    out = list(people)
    for cand in known:
        if not any(p.start < cand.end and cand.start < p.end for p in out):
            out.append(PersonMention(cand.start, cand.end, tuple(text[cand.start:cand.end].split()),
                                     trigger=cand.start, known=cand.key))
    return sorted(out, key=lambda p: p.start)


class RuleExtractor:
    """Gazetteer lookup plus patterns; one instance per process, reused for every release."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def extract(self, release: Release) -> Extraction:
        gaz = self.gazetteer
        text = release.text
        toks = words(text)
        known = scan_gazetteer(text, toks, gaz)
        named = [c for c in known if c.kind is not EntityKind.PERSON]
        people = _with_known_names(text, [p for p in find_person_mentions(text, gaz, toks) if not _names_a_body(p, named)],
                                   [c for c in known if c.kind is EntityKind.PERSON])
        candidates = [*(c for c in known if c.kind is not EntityKind.PERSON), *find_patterns(text, gaz),
                      *_plural_units(text, gaz), *_definitions(text, gaz)]
        accepted = [as_site(c, text) for c in resolve(candidates, [(p.start, p.end) for p in people], text, gaz)
                    if not (c.kind is EntityKind.PLACE and (in_title_phrase(c, text) or adjectival(c, text, gaz)))]
        builder = EntityBuilder(gaz, text)
        org_spans: list[tuple[int, int, str]] = []
        taken = [(c.start, c.end) for c in accepted] + [(p.start, p.end) for p in people]
        for cand in accepted:
            kind, key = builder.add(cand, text)
            if kind is EntityKind.ORGANIZATION:
                org_spans.append((cand.start, cand.end, key))
                self._acronym_mentions(text, cand, builder, taken, org_spans)
        merged = builder.merge_variants()
        org_spans = [(s, e, merged.get(k, k)) for s, e, k in org_spans]
        org_spans += builder.add_short_forms(taken)
        self._title(release, builder)
        source_org = self._byline(release, builder, [text[p.start:p.end] for p in people])
        dateline_place = self._dateline(release, builder)
        entities = builder.entities()
        org_labels = {key: proto.label for (kind, key), proto in builder.protos.items() if kind is EntityKind.ORGANIZATION}
        persons = build_persons(text, people, gaz, sorted(org_spans), org_labels=org_labels, title=release.title,
                                published=release.date_published, source_org=source_org)
        entities += _bare_surnames(text, toks, persons, taken)
        organizations = sorted((m.start, m.end, e.key) for e in entities
                               if e.kind is EntityKind.ORGANIZATION for m in e.mentions)
        figures = find_figures(text, organizations, gaz.demonyms)
        events = find_events(release, entities)
        entities, events = date_command_changes(entities, events)
        return Extraction(release, tuple(entities), events, figures, dateline_place)

    @staticmethod
    def _acronym_mentions(text: str, cand: Candidate, builder: EntityBuilder, taken: list[tuple[int, int]],
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

    def _title(self, release: Release, builder: EntityBuilder) -> None:
        """Organizations, places and mandates named only in the headline (no span in the text)."""
        title = release.title
        if not title:
            return
        gaz = self.gazetteer
        found = resolve([*scan_gazetteer(title, words(title), gaz), *find_patterns(title, gaz)], [], title, gaz)
        for cand in found:
            if cand.kind is EntityKind.PERSON:
                continue  # persons need the body's rank and role context
            if title.isupper() and cand.kind is EntityKind.PLACE and (cand.length <= 3 or in_unit_name(title, cand)):
                continue  # "KFOR SOLDIERS HELP US", "TASK FORCE TEXAS": not a place of a shouted headline
            if cand.origin == "gazetteer" or not title.isupper():
                label = title[cand.start:cand.end] if cand.key is None and title.isupper() else cand.label
                kind_key = builder.ident(replace(cand, label=label), title[cand.start:cand.end])
                if kind_key not in builder.mentions:
                    builder.add_unmentioned(replace(cand, label=builder.protos[kind_key].label))

    def _byline(self, release: Release, builder: EntityBuilder, person_names: list[str]) -> str | None:
        """The author organization of the byline (no span in the text).

        "Story by KFOR Public Affairs Office"; "By NAME, Associated Press Writer" (the person's part is
        skipped); a bare agency name standing in for a byline ("Xinhua", "Beta").
        """
        if not release.byline:
            return None
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
                return builder.add_unmentioned(Candidate(0, 0, EntityKind.ORGANIZATION, label,
                                                         key=known.key if known else None))[1]
        return None

    def _dateline(self, release: Release, builder: EntityBuilder) -> str | None:
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
