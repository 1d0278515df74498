"""Who and where an event involves: a statement's speaker, a handover's two commanders, the place.

    speaker(text, ts, te, in_sentence, spokespeople) -> (group, refs)
    handover_actors(text, sentence, trigger, in_sentence, persons_before) -> refs
    place(in_sentence, trigger) -> place key | None

``in_sentence`` are the entity mentions of the event's sentence (``EntityMention``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from kfgraph.extract.event_lexicon import PRONOUN_INVERTED, PRONOUN_SUBJECT
from kfgraph.models import Entity, EntityKind, EntityRef, PlaceKind

__all__ = ["PRONOUN", "EntityMention", "handover_actors", "place", "speaker", "speaks_for_an_organization"]

PRONOUN = "pronoun"
"""The group of a statement whose subject is "he" or "she": resolved to the statement before it."""

_I = re.IGNORECASE
_SPOKES = re.compile(r"\bspokes(?:man|woman|person)\b|\bcommander\b|\bpress officer\b|\bCOMKFOR\b", _I)
_INVERTED = re.compile(r"[,\"”’']\s*$")
_SUBJECT_NAME = re.compile(r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\)?\s*(?:,\s*)?(?:on\s+\w+\s+)?$")
_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*")
_PLACE_RANK = {
    PlaceKind.CAMP: 0, PlaceKind.CROSSING: 0, PlaceKind.VILLAGE: 1, PlaceKind.MUNICIPALITY: 2, PlaceKind.CITY: 3,
    PlaceKind.OTHER: 4, PlaceKind.REGION: 5, PlaceKind.COUNTRY: 6, None: 7,
}
# Ranks and titles between a cue and a name: "from Major General", "to Lt. Gen.", "replacing Italian Maj. Gen.",
# "from compatriot Maj. Gen.", "from his predecessor, General".
_TITLES = r"(?:[a-z]+,?\s+){0,2}(?:[A-Z][\w.’'-]*,?\s+|of\s+|the\s+){0,6}$"
# A handover's outgoing commander: "took over command from X", "replacing X", "the outgoing commander X".
_OUTGOING = re.compile(r"(?i:\b(?:from|replac(?:ed|es|ing)|succeed(?:ed|s|ing)|reliev(?:ed|es|ing)|predecessor"
                       r"|outgoing(?: commander)?))[\s,]+" + _TITLES)
# Its incoming commander: "handed over command to Y", "the incoming commander Y", "his successor Y".
_INCOMING = re.compile(r"(?i:\b(?:to|incoming(?: commander)?|successor|new commander))[\s,]+" + _TITLES)
# Cues strong enough to name a commander anywhere in a release that reports a handover.
_ANYWHERE = re.compile(r"(?i:\b(?:replac(?:ed|es|ing)|succeed(?:ed|s|ing)|reliev(?:ed|es|ing)|predecessor|successor"
                       r"|outgoing(?: commander)?|incoming(?: commander)?))[\s,]+" + _TITLES)
_BETWEEN = re.compile(r"(?i:\bbetween)\s+" + _TITLES)
_AND = re.compile(r"(?i:\band)\s+" + _TITLES)
# Who attended a ceremony is not who handed over command.
_GUESTS = re.compile(r"\b(?:attended by|(?:in|at) the presence of|presided (?:over )?by|witnessed by|hosted by)\b", _I)
_SUBJECT_PRONOUN = re.compile(r"(?:^|[.;]\s*|\n)\s*(?:He|She)\s+(?:\w+\s+)?$")


@dataclass(frozen=True)
class EntityMention:
    """One mention of an entity, for looking entities up by position."""

    start: int
    end: int
    entity: Entity


def speaks_for_an_organization(entity: Entity) -> bool:
    """A commander or spokesperson of an organization speaks for it ("KFOR Commander ... stated")."""
    return any(r.organization and _SPOKES.search(r.role) for r in entity.roles)


def speaker(text: str, ts: int, te: int, in_sentence: Sequence[EntityMention],
            spokespeople: Collection[str] = ()) -> tuple[str | None, list[EntityRef]]:
    """Who made a statement: the nearest organisation or person to the verb (``None`` if unknown).

    The group is ``person:KEY`` for a person speaking for themself and ``org`` for an
    organisation or its spokesperson/commander (``spokespeople`` are such persons' keys), so a
    body's statements merge into one; ``PRONOUN`` for "he said", resolved by the caller.
    """
    start = max(0, ts - 40)
    if PRONOUN_SUBJECT.search(text, start, ts) or (
            _INVERTED.search(text, max(0, ts - 3), ts) and PRONOUN_INVERTED.match(text, te)):
        return PRONOUN, []  # "He said", "..., he added"
    speakers = [m for m in in_sentence if m.entity.kind in (EntityKind.ORGANIZATION, EntityKind.PERSON)]
    if speakers:
        # The subject before the verb speaks ("X said", "X on Thursday accused Y"), unless the
        # verb is inverted after a quote or comma ("..., said X"): then the name after it does.
        inverted = _INVERTED.search(text, max(0, ts - 3), ts) is not None
        before = [m for m in speakers if m.end <= ts]
        after = [m for m in speakers if m.start >= te]
        if before and not (inverted and after):
            best = before[-1]
        elif after:
            best = after[0]
        else:
            best = min(speakers, key=lambda m: min(abs(ts - m.end), abs(m.start - te)))
        refs = [best.entity.ref]
        if best.entity.kind is EntityKind.PERSON:
            lead = text[max(0, best.start - 40) : best.start]
            orgs = [m for m in speakers if m.entity.kind is EntityKind.ORGANIZATION and best.start - 40 <= m.end <= best.start]
            if _SPOKES.search(lead) and orgs:
                return "org", [orgs[-1].entity.ref, *refs]
            if best.entity.key in spokespeople:
                return "org", refs
            return f"person:{best.entity.key}", refs
        voice = next(
            (
                m
                for m in speakers
                if m.entity.kind is EntityKind.PERSON
                and best.end <= m.start <= best.end + 30
                and _SPOKES.search(text, best.end, m.start)
            ),
            None,
        )  # "said the Force spokesman Karl Brenner": the organisation speaks through him
        return "org", refs + ([voice.entity.ref] if voice else [])
    # No entity known: fall back on a capitalised name right before or after the verb.
    subject = _SUBJECT_NAME.search(text[max(0, ts - 60) : ts])
    inverted_name = _CAPITALISED_RUN.match(text, te + 1) if te + 1 < len(text) else None
    name = (subject.group(1) if subject else None) or (inverted_name.group(0) if inverted_name else None)
    if not name or name.split()[-1].isupper():
        return ("org" if name else None), []
    return f"name:{name.split()[-1].lower()}", []


def handover_actors(text: str, sentence: tuple[int, int], trigger: tuple[int, int],
                    in_sentence: Sequence[EntityMention], persons_before: Sequence[EntityRef],
                    persons_anywhere: Sequence[EntityMention] = ()) -> list[EntityRef]:
    """The commanders a change of command names, outgoing and incoming, and the organizations named with it.

    From the sentence: the subject of "took over / assumed / handed over command" (or "he": the
    person named last before the sentence), the person after "from" or "to", both of "between X
    and Y"; from anywhere in the release (``persons_anywhere``), a person after "replacing",
    "succeeding", "outgoing", "incoming", "predecessor" or "successor". Guests at the ceremony
    ("attended by ...", "at the presence of ...") are not actors.
    """
    s, _ = sentence
    ts, te = trigger
    persons = [m for m in in_sentence if m.entity.kind is EntityKind.PERSON]
    actors: list[EntityRef] = []
    subject = [m for m in persons if m.end <= ts]
    if subject and not re.search(r";|\battended\b|\bpresence\b", text[subject[-1].end:ts]):
        actors.append(subject[-1].entity.ref)
    elif _SUBJECT_PRONOUN.search(text, max(0, s - 2), ts) and persons_before:
        actors.append(persons_before[-1])  # "He took over command from ..."
    after_between = False
    for m in persons:
        if m.start < te:
            continue
        lead = text[max(s, m.start - 40):m.start]
        if _BETWEEN.search(lead):
            after_between = True
            actors.append(m.entity.ref)
        elif (after_between and _AND.search(lead)) or _OUTGOING.search(lead) or _INCOMING.search(lead):
            actors.append(m.entity.ref)
    for m in persons_anywhere:
        if _ANYWHERE.search(text, max(0, m.start - 40), m.start):
            actors.append(m.entity.ref)
    guests = _GUESTS.search(text, s, sentence[1])
    cut = guests.start() if guests else sentence[1]
    orgs = [m.entity.ref for m in in_sentence if m.entity.kind is EntityKind.ORGANIZATION and m.start < cut]
    return list(dict.fromkeys([*actors, *orgs]))


def place(in_sentence: Sequence[EntityMention], trigger: int) -> str | None:
    """The most specific place named in the sentence, the nearest to the trigger among equals."""
    places = [m for m in in_sentence if m.entity.kind is EntityKind.PLACE]
    if not places:
        return None
    best = min(places, key=lambda m: (_PLACE_RANK.get(m.entity.place_kind, 7), abs(m.start - trigger)))
    return best.entity.key
