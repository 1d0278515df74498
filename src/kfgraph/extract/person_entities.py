"""Persons from their mentions: one entity per person, with rank, roles and nationality.

    build_persons(text, mentions, gazetteer, org_spans) -> list[Entity]

Within a release, a surname-only mention ("General Farina", "Mr Stoltenberg")
joins the full-name entity with that surname; failing that, a gazetteer person
with that surname (if only one); failing that, it stands alone. Labels are the
name without rank or title, upper-case surnames in title case; keys are
``slugify(label)``, or the gazetteer's key for a known person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.grammar import CAP
from kfgraph.extract.persons import ROLE, SUFFIXES, PersonMention, tidy_name
from kfgraph.extract.ranks import rank_of
from kfgraph.iris import slugify
from kfgraph.models import Entity, EntityKind, Mention, RoleHeld

_PRE_ROLE = re.compile(rf"(?P<role>{ROLE}|COM ?KFOR)(?P<of> of [^,;.\n]{{1,60}}?)?,?[ \t]*$")
_POST_ROLE = re.compile(
    rf"(?:,[ \t]*[A-Z]{{2,5}})?,?[ \t]+(?:(?:is|was|as|became|remains)[ \t]+)?(?:the[ \t]+)?"
    rf"(?P<adj>(?:(?:new|current|outgoing|incoming|former|first|second|third|\d+(?:st|nd|rd|th)|[A-Z][\w’'-]*)[ \t]+){{0,3}}?)(?P<role>{ROLE})(?:,[ \t]*|[ \t]+of[ \t]+(?:the[ \t]+)?|[ \t]+|(?=[.;:]))"
)
_RESPECTIVELY = re.compile(r",?[ \t]*who respectively (?:lead|command|head)s?[ \t]")


def _core(words: tuple[str, ...]) -> list[str]:
    """Folded name words without initials and suffixes (used to match surnames)."""
    return [name_key(w) for w in words if not w.endswith(".") and name_key(w) not in SUFFIXES]


@dataclass
class _Person:
    key: str
    label: str
    core: list[str]
    mentions: list[Mention]
    names: list[str]
    rank: str | None = None
    rank_full: bool = False
    nationality: str | None = None
    roles: list[RoleHeld] | None = None


def _role_label(role: str) -> str:
    low = role.lower()
    if low.startswith("spokes"):
        return "Spokesperson"
    if low.replace(" ", "") == "comkfor":
        return "Commander"
    role = role.replace("Secretary-General", "Secretary General")
    return " ".join(w if w in ("of", "the") else w[:1].upper() + w[1:] for w in role.split())


def _org_in(org_spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The longest organization mention inside [start, end)."""
    inside = [s for s in org_spans if s[0] >= start and s[1] <= end]
    return max(inside, key=lambda s: s[1] - s[0])[2] if inside else None


def _sentence_start(text: str, pos: int) -> int:
    cut = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), text.rfind("“", 0, pos), text.rfind('"', 0, pos))
    return cut + 1 if cut >= 0 else 0


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r"[,.;\n]").search(text, pos)
    return m.start() if m else len(text)


_LINKED = re.compile(r"\b(?:and|with|by|from|to|between)[ \t]*$")
_POSSESSIVE_PRONOUN = re.compile(r"\b(?:[Ii]ts|[Tt]heir|[Tt]he unit[’']s|[Tt]he brigade[’']s|[Tt]he battalion[’']s)[ \t]+$")
# After the name, up to its verb (no sentence end, no other name's "and"): "took over (the) command of"
_TOOK_COMMAND = re.compile(
    r"(?:,[^.;]{0,100}?,)?[ \t]+(?:on [A-Z]\w+[ \t]+|today[ \t]+|yesterday[ \t]+|formally[ \t]+|officially[ \t]+)?"
    r"(?:has[ \t]+|had[ \t]+|will[ \t]+)?(?:took|takes|take|taken|assumed|assumes|assume)[ \t]+(?:over[ \t]+)?"
    r"(?:the[ \t]+)?command[ \t]+of[ \t]+"
)


def _previous_subject_org(text: str, sentence_start: int, org_spans: list[tuple[int, int, str]]) -> str | None:
    """The first organization of the sentence before ``sentence_start`` (the subject "its" refers to)."""
    prev_start = _sentence_start(text, max(0, sentence_start - 2))
    inside = [s for s in org_spans if prev_start <= s[0] < sentence_start]
    return inside[0][2] if inside else None
_APPOSITION = re.compile(r",[ \t]*(?:the[ \t]+)?$")


def _roles_for(text: str, pm: PersonMention, org_spans: list[tuple[int, int, str]], gaz: Gazetteer,
               name_ends: set[int]) -> tuple[list[RoleHeld], str | None]:
    """Roles stated around one mention, and a nationality in the role phrase after it.

    A role phrase before the name is skipped when the name follows "and"/"with" (the phrase belongs
    to someone else: "Kujat, Chairman of the Military Committee and General X") or when the phrase is
    itself an apposition to an earlier name ("Foggo, Commander of JFC Naples, Mr. Thaci").
    """
    roles: list[RoleHeld] = []
    nationality = None
    pre_start = max(_sentence_start(text, pm.trigger), pm.trigger - 90)
    pre = text[pre_start:pm.trigger]
    m = _PRE_ROLE.search(pre)
    if m and not _LINKED.search(pre):
        role_start = pre_start + m.start("role")
        head = _APPOSITION.search(text, max(0, role_start - 8), role_start)
        if head is None or head.start() not in name_ends:
            org = "kfor" if "KFOR" in m["role"] else None
            if org is None and m["of"]:
                org = _org_in(org_spans, pre_start + m.start("of"), pre_start + m.end("of"))
            if org is None:
                before = [s for s in org_spans if role_start - 2 <= s[1] <= role_start]
                org = before[-1][2] if before else None
            if org is None and _POSSESSIVE_PRONOUN.search(text, max(0, role_start - 12), role_start):
                org = _previous_subject_org(text, pre_start, org_spans)  # "The unit ... Its commander, Colonel X"
            role = _role_label(m["role"])
            if org is None and m["of"]:
                role = f"{role} of {m['of'][4:].strip()}"  # "Head of Zvecan municipality"
            if role != "Head":
                roles.append(RoleHeld(role, org))
    took = _TOOK_COMMAND.match(text, pm.end, min(len(text), pm.end + 160))
    if took is not None:
        end = _clause_end(text, took.end())
        led = [sp for sp in org_spans if took.end() <= sp[0] and sp[1] <= end and not text.startswith("-led", sp[1])]
        org = max(led, key=lambda sp: sp[1] - sp[0])[2] if led else None  # "the NATO-led force (KFOR)": KFOR
        if org is not None:
            roles.append(RoleHeld("Commander", org))  # "X took over command of KFOR from Y": X commands KFOR
    m = _POST_ROLE.match(text, pm.end, min(len(text), pm.end + 80))
    if m:
        org = _org_in(org_spans, m.start("adj"), _clause_end(text, m.end()))
        roles.append(RoleHeld(_role_label(m["role"]), org))
        demonyms = [gaz.demonyms[name_key(w)] for w in m["adj"].split() if name_key(w) in gaz.demonyms]
        nationality = demonyms[0] if demonyms else None
    return roles, nationality


def build_persons(text: str, mentions: list[PersonMention], gaz: Gazetteer,
                  org_spans: list[tuple[int, int, str]]) -> list[Entity]:
    """One entity per person, with rank, roles and nationality as stated in ``text``."""
    people: dict[str, _Person] = {}
    owner: dict[int, _Person] = {}
    for pm in sorted(mentions, key=lambda p: -len(_core(p.words))):
        core = _core(pm.words)
        if not core:
            continue
        person = None
        if len(core) >= 2:
            known = gaz.lookup(" ".join(pm.words), EntityKind.PERSON)
            for other in people.values():
                if other.core[-len(core):] == core:
                    person = other
                    break
            if person is None and known is not None:
                person = people.get(known.key)
            if person is None:
                label = known.label if known else tidy_name(pm.words)
                key = known.key if known else slugify(label)
                person = people.setdefault(key, _Person(key, label, core, [], []))
        else:
            same = {id(p): p for p in people.values() if p.core[-1] == core[0] or " ".join(p.core).endswith(core[0])}
            if len(same) == 1:
                person = next(iter(same.values()))
            else:
                keys = gaz.surnames.get(core[0], ())
                if len(keys) == 1:
                    known = gaz.get(EntityKind.PERSON, keys[0])
                    assert known is not None
                    person = people.setdefault(known.key, _Person(known.key, known.label, name_key(known.label).split(), [], []))
                else:
                    label = tidy_name(pm.words)
                    person = people.setdefault(slugify(label), _Person(slugify(label), label, core, [], []))
        owner[pm.start] = person
        person.mentions.append(Mention(pm.start, pm.end, text[pm.start:pm.end]))
        person.names.append(" ".join(text[pm.start:pm.end].split()))
        if pm.rank and (not person.rank or (len(core) >= 2 and not person.rank_full)):
            person.rank, person.rank_full = pm.rank, len(core) >= 2
        nationality = _nationality(text, pm, gaz)
        if nationality and not person.nationality:
            person.nationality = nationality
    ordered = sorted(mentions, key=lambda p: p.start)
    name_ends = {p.end for p in ordered}
    for i, pm in enumerate(ordered):
        person = owner.get(pm.start)
        if person is None:
            continue
        roles, nationality = _roles_for(text, pm, org_spans, gaz, name_ends)
        person.nationality = person.nationality or nationality
        resp = _RESPECTIVELY.match(text, pm.end, min(len(text), pm.end + 40))
        if resp and i > 0 and owner.get(ordered[i - 1].start):
            orgs = [s for s in org_spans if resp.end() <= s[0] < _clause_end(text, resp.end())]
            for holder, org in zip((owner[ordered[i - 1].start], person), orgs):
                holder.roles = [*(holder.roles or []), RoleHeld("Commander", org[2])]
        person.roles = [*(person.roles or []), *roles]
    entities = []
    for person in people.values():
        if gaz.get(EntityKind.PERSON, person.key) is None:
            # one label per key whatever the spelling order: the fullest form with its diacritics
            # ("Dragisa Milovic" then "Dragiša Milović" is labelled "Dragiša Milović")
            forms = [tidy_name(n.split()) for n in person.names]
            forms = [f for f in forms if slugify(f) == person.key]
            if forms:
                person.label = max(forms, key=lambda f: sum(not c.isascii() for c in f))
        rank = person.rank
        known_rank = gaz.person_ranks.get(person.key)
        if rank and known_rank and not person.rank_full and known_rank.endswith(rank) and known_rank != rank:
            rank = known_rank  # "General Farina": the known Major General
        alts = tuple(dict.fromkeys(n for n in person.names if n != person.label))
        entities.append(Entity(
            EntityKind.PERSON, person.key, person.label, alt_labels=alts,
            mentions=tuple(sorted(person.mentions, key=lambda m: m.start)),
            rank=rank_of(rank) if rank else None,
            roles=tuple(dict.fromkeys(person.roles or ())),
            nationality=person.nationality,
        ))
    return entities


def _nationality(text: str, pm: PersonMention, gaz: Gazetteer) -> str | None:
    """A demonym in the title phrase just before the name ("the Italian Chief of Defence, Admiral X")."""
    pre = text[max(0, pm.trigger - 50):pm.trigger]
    m = re.search(rf"\b(?P<d>{CAP})(?:[ \t]+(?:{CAP}|of|the))*,?[ \t]*$", pre)
    if m:
        for word in re.findall(CAP, m.group()):
            if name_key(word) in gaz.demonyms:
                return gaz.demonyms[name_key(word)]
    return None
