"""Persons from their mentions: one entity per person, with rank, roles and nationality.

    build_persons(text, mentions, gazetteer, org_spans) -> list[Entity]

Within a release, a surname-only mention ("General Farina", "Mr Stoltenberg")
joins the full-name entity with that surname; failing that, a gazetteer person
with that surname (if only one); failing that, it stands alone. Labels are the
name without rank or title, upper-case surnames in title case; keys are
``slugify(label)``, or the gazetteer's key for a known person.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.grammar import CAP
from kfgraph.extract.command_changes import command_changes
from kfgraph.extract.persons import SUFFIXES, PersonMention, tidy_name
from kfgraph.extract.posts import RoleContext, clause_end, pre_role_of, roles_for, sentence_start
from kfgraph.extract.ranks import rank_of
from kfgraph.iris import slugify
from kfgraph.models import Entity, EntityKind, Mention, RoleHeld

_KNIGHT = re.compile(r"(?:Sir|Dame)\s")
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


def build_persons(text: str, mentions: list[PersonMention], gaz: Gazetteer,
                  org_spans: list[tuple[int, int, str]], *, org_labels: dict[str, str] | None = None,
                  title: str | None = None, published: dt.date | None = None,
                  source_org: str | None = None) -> list[Entity]:
    """One entity per person, with rank, roles (dated where a change of command dates them) and
    nationality as stated in ``text``; ``source_org`` is the agency of the byline or dateline, whose
    reporters and editors the credits name."""
    people: dict[str, _Person] = {}
    owner: dict[int, _Person] = {}
    for pm in sorted(mentions, key=lambda p: -len(_core(p.words))):
        core = _core(pm.words)
        if not core:
            continue
        person = None
        if len(core) >= 2:
            known = gaz.lookup(" ".join(pm.words), EntityKind.PERSON) or _known_by_tail(core, gaz)
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
            if not same and _KNIGHT.match(text, pm.trigger):
                # "Sir Michael said": a knight is called by his first name after his full name
                same = {id(p): p for p in people.values() if len(p.core) > 1 and p.core[0] == core[0]}
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
    ctx = RoleContext(text, sorted(org_spans), gaz, frozenset(p.end for p in ordered), org_labels or {})
    read: dict[int, list[RoleHeld]] = {}
    listed = False  # the previous name had its role before it ("ROLE, NAME, ROLE, NAME")
    for i, pm in enumerate(ordered):
        person = owner.get(pm.start)
        if person is None:
            continue
        next_trigger = ordered[i + 1].trigger if i + 1 < len(ordered) else None
        roles, nationality = roles_for(pm, ctx, listed=listed, next_trigger=next_trigger)
        listed = pre_role_of(pm, ctx) is not None
        person.nationality = person.nationality or nationality
        resp = _RESPECTIVELY.match(text, pm.end, min(len(text), pm.end + 40))
        if resp and i > 0 and owner.get(ordered[i - 1].start):
            orgs = [s for s in org_spans if resp.end() <= s[0] < clause_end(text, resp.end())]
            for holder, org in zip((ordered[i - 1], pm), orgs):
                read.setdefault(holder.start, []).append(RoleHeld("Commander", org[2]))
        read.setdefault(pm.start, []).extend(roles)
    _inherit_staff_posts(text, ordered, read)
    for start, held in _credits(text, ordered, source_org):
        read.setdefault(start, []).append(held)

    def roles_of(start: int) -> list[RoleHeld]:
        person = owner.get(start)
        return [r for pm in ordered if owner.get(pm.start) is person for r in read.get(pm.start, [])]

    for start, held in command_changes(text, title, ordered, ctx, published, roles_of):
        read.setdefault(start, []).append(held)
    for pm in ordered:
        person = owner.get(pm.start)
        if person is not None:
            person.roles = [*(person.roles or []), *read.get(pm.start, [])]
    entities = []
    for person in people.values():
        if gaz.get(EntityKind.PERSON, person.key) is None:
            # one label per key whatever the spelling order: the fullest form with its diacritics
            # ("Dragisa Milovic" then "Dragiša Milović" is labelled "Dragiša Milović")
            forms = [tidy_name(n.split()) for n in person.names]
            forms = [f for f in forms if slugify(f) == person.key]
            if forms:
                person.label = max(forms, key=lambda f: sum(not c.isascii() for c in f))
        rank = person.rank  # as the release writes it: "General Mini" is a General here, whatever he was
        alts = tuple(dict.fromkeys(n for n in person.names if n != person.label))
        entities.append(Entity(
            EntityKind.PERSON, person.key, person.label, alt_labels=alts,
            mentions=tuple(sorted(person.mentions, key=lambda m: m.start)),
            rank=rank_of(rank) if rank else None,
            roles=merge_roles(person.roles or []),
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


def merge_roles(roles: list[RoleHeld]) -> tuple[RoleHeld, ...]:
    """One role per post: "Commander of KFOR" read twice, once with the day it began, is one dated post."""
    merged: dict[tuple[str, str | None], RoleHeld] = {}
    for held in roles:
        key = (held.role, held.organization)
        known = merged.get(key)
        merged[key] = held if known is None else replace(known, start=known.start or held.start, end=known.end or held.end,
                                                         change=known.change or held.change)
    # a post without an organization adds nothing beside the same role in an organization
    return tuple(r for r in merged.values()
                 if r.organization is not None or not any(o.role == r.role and o.organization for o in merged.values()))


# Staff posts listed together take the organization the list names once: "hosted by the Commander of KFOR, X,
# with the Chief of Staff, Y, and the Deputy Commander, Z" (Y and Z hold KFOR posts).
_STAFF_ROLES = frozenset({"Commander", "Deputy Commander", "Chief of Staff", "Chief of Joint Staff",
                          "Spokesperson", "Political Advisor", "Legal Advisor", "Command Sergeant Major"})


def _inherit_staff_posts(text: str, ordered: list[PersonMention], read: dict[int, list[RoleHeld]]) -> None:
    last_org: str | None = None
    last_sentence = -1
    for pm in ordered:
        sentence = sentence_start(text, pm.trigger)
        if sentence != last_sentence:
            last_org, last_sentence = None, sentence
        roles = read.get(pm.start, [])
        for i, held in enumerate(roles):
            if held.organization is None and held.role in _STAFF_ROLES and last_org is not None:
                roles[i] = replace(held, organization=last_org)
        with_org = [r.organization for r in roles if r.organization and r.role in _STAFF_ROLES]
        if with_org:
            last_org = with_org[-1]


# "(Reporting by X; Editing by Y)", "Editor: X": the agency's reporter and editor
_CREDIT_ROLE = re.compile(r"(?:^|[(;]\s*)(?P<what>Reporting|Editing|Writing|Editor|Reporter|Correspondent)(?: by|:)\s+$",
                          re.IGNORECASE | re.MULTILINE)
_CREDIT_LABELS = {"reporting": "Reporter", "reporter": "Reporter", "editing": "Editor", "editor": "Editor",
                  "writing": "Writer", "correspondent": "Correspondent"}


def _credits(text: str, ordered: list[PersonMention], source_org: str | None) -> list[tuple[int, RoleHeld]]:
    if source_org is None:
        return []
    out = []
    for pm in ordered:
        line_start = text.rfind("\n", 0, pm.start) + 1
        m = _CREDIT_ROLE.search(text, max(line_start, pm.start - 30), pm.start)
        if m is not None and m.end() == pm.start:
            out.append((pm.start, RoleHeld(_CREDIT_LABELS[m["what"].lower()], source_org)))
    return out


def _known_by_tail(core: list[str], gaz: Gazetteer) -> Entity | None:
    """A known person written without a first given name ("Paolo Figliuolo" for Francesco Paolo Figliuolo)."""
    keys = gaz.surnames.get(core[-1], ())
    found = [p for k in keys if (p := gaz.get(EntityKind.PERSON, k)) is not None
             and name_key(p.label).split()[-len(core):] == core and len(name_key(p.label).split()) > len(core)]
    return found[0] if len(found) == 1 else None
