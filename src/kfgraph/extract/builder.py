"""One release's entities from their candidate mentions: one entity per kind and key.

    EntityBuilder(gazetteer, text): add(candidate) / add_unmentioned(candidate) -> (kind, key)
    merge_variants()      one body in two spellings of the same release is one entity
    add_short_forms(...)  "the Council", "PMC": short forms of the release's own organizations
    entities()            the entities, with aliases, mentions and the mandates the release ties to them
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.matcher import Candidate
from kfgraph.extract.short_forms import short_form_mentions
from kfgraph.iris import slugify
from kfgraph.models import Entity, EntityKind, Mention, PlaceKind

_MANDATE_CUE = re.compile(
    r"\b(?:mandated?|mandates|under|in accordance with|pursuant to|based on|according to|in line with|"
    r"authori[sz]ed by|in compliance with)\b", re.IGNORECASE)
_PARENT_PREFIX = re.compile(r"^(?:KFOR|Kosovo Force|NATO|NATO[’']s|Kfor|Nato)[ -]+(?=\S)")
# spellings that name one body: "KFOR Mission HQ" and "KFOR Mission Headquarters", "Centre" and "Center"
_VARIANT_WORDS = {"hq": "headquarters", "centre": "center", "defense": "defence", "organisation": "organization"}
_PORTFOLIO = re.compile(r"^(?:(?P<adj>\S+) )?(?P<field>\S+) ministry$")


class EntityBuilder:
    """Collects mentions per (kind, key) and turns them into entities."""

    def __init__(self, gaz: Gazetteer, text: str = "") -> None:
        self.gaz = gaz
        self.text = text
        self.protos: dict[tuple[EntityKind, str], Entity] = {}
        self.mentions: dict[tuple[EntityKind, str], list[Mention]] = {}
        self.names: dict[tuple[EntityKind, str], list[str]] = {}
        self.merged_away: set[str] = set()

    def ident(self, cand: Candidate, surface: str) -> tuple[EntityKind, str]:
        gaz = self.gaz
        proto = gaz.get(cand.kind, cand.key) if cand.key else None
        if proto is None:
            proto = gaz.lookup(cand.label, cand.kind) or gaz.lookup(surface, cand.kind)
            if proto is None and cand.kind is EntityKind.PLACE and "/" in surface and cand.place_kind is not PlaceKind.OTHER:
                halves = [gaz.lookup(h, EntityKind.PLACE) for h in surface.split("/")]
                keys = {h.key for h in halves if h is not None}
                proto = gaz.get(EntityKind.PLACE, keys.pop()) if len(keys) == 1 else None
        if proto is None and cand.kind is EntityKind.ORGANIZATION:
            # "Kosovo Force Regional Command-East", "NATO's Joint Force Command Naples": a known unit with its
            # parent's name in front
            m = _PARENT_PREFIX.match(surface)
            proto = gaz.lookup(surface[m.end():], EntityKind.ORGANIZATION) if m else None
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
            return [_VARIANT_WORDS.get(w, w) for w in name_key(label).split()]

        unknown = sorted((ident for ident in self.protos if ident[0] is EntityKind.ORGANIZATION
                          and self.gaz.get(*ident) is None), key=lambda i: len(fold(self.protos[i].label)))
        merged: dict[str, str] = {}
        for i, short in enumerate(unknown):
            words = fold(self.protos[short].label)
            if short[1] in self.merged_away:
                continue
            into = self._same_body(short, words, [*unknown, *self._known_orgs()], fold)
            if into is not None:
                self._merge(short, into, merged)
                continue
            if len(words) < 3:
                continue
            into = next((long for long in unknown[i + 1:] if long[1] not in merged
                         and len(fold(self.protos[long].label)) > len(words)
                         and fold(self.protos[long].label)[:len(words)] == words
                         # only a place part differs ("... of Kosovo"); "X Forces Joint Force Command" is a unit of X
                         and fold(self.protos[long].label)[len(words)] in ("of", "for", "in")), None)
            if into is not None:
                self._merge(short, into, merged)
        return merged

    def add_short_forms(self, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Mentions of organizations by a short form ("the Council", "PMC"); returns their spans."""
        orgs = {key: proto.label for (kind, key), proto in self.protos.items() if kind is EntityKind.ORGANIZATION}
        found = short_form_mentions(self.text, orgs, taken)
        for start, end, key in found:
            surface = self.text[start:end]
            self.mentions.setdefault((EntityKind.ORGANIZATION, key), []).append(Mention(start, end, surface))
            if surface.isupper():
                self.names.setdefault((EntityKind.ORGANIZATION, key), []).append(surface)  # "PMC": a name of its own
        return found

    def _known_orgs(self) -> list[tuple[EntityKind, str]]:
        return [i for i in self.protos if i[0] is EntityKind.ORGANIZATION and self.gaz.get(*i) is not None]

    def _same_body(self, short: tuple[EntityKind, str], words: list[str], others: list[tuple[EntityKind, str]],
                   fold: Callable[[str], list[str]]) -> tuple[EntityKind, str] | None:
        """Another organization of the release that ``short`` names in another spelling: the same words but
        for HQ/Headquarters-like variants, or "the Defence Ministry" beside "Ministry of National Defence"."""
        portfolio = _PORTFOLIO.match(" ".join(words))
        for other in others:
            if other == short or other[1] in self.merged_away:
                continue
            long = fold(self.protos[other].label)
            if long == words and len(self.protos[other].label) > len(self.protos[short].label):
                return other  # "KFOR Mission HQ" is "KFOR Mission Headquarters", spelled out
            if (len(long) > len(words) >= 2 and long[-len(words):] == words
                    and (long[0] in self.gaz.demonyms or self.gaz.lookup(long[0], EntityKind.PLACE) is not None)):
                return other  # "the Defence Forces" after "the Irish Defence Forces"
            if len(long) >= 4 and len(words) == len(long) + 1 and self.gaz.get(*other) is not None and any(
                    words[:i] + words[i + 1:] == long for i in range(1, len(words) - 1)):
                return other  # "Multinational Manoeuvre Battle Group West": a known unit with a word put in
            if portfolio and long[:1] == ["ministry"] and portfolio["field"] in long and (
                    portfolio["adj"] is None or portfolio["adj"] in long or portfolio["adj"] in self.gaz.demonyms):
                return other
        return None

    def _merge(self, short: tuple[EntityKind, str], into: tuple[EntityKind, str], merged: dict[str, str]) -> None:
        self.mentions.setdefault(into, []).extend(self.mentions.pop(short, []))
        self.names.setdefault(into, []).extend([self.protos[short].label, *self.names.pop(short, [])])
        del self.protos[short]
        merged[short[1]] = into[1]
        self.merged_away.add(short[1])

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


