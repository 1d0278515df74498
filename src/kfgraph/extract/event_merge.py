"""From event mentions to happenings: one event per happening, in text order.

    Candidate            an event mention read from one sentence
    resolve_pronouns     "He said": the speaker of the statement before
    merge                repeated descriptions of one happening become one
    share_frame_dates    "During the visit he met ...": the meeting has the visit's day
    absorb               remarks, a ceremony, training folded into the occasion they belong to
    number               Candidates -> Events, numbered in text order
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kfgraph.extract.event_actors import PRONOUN
from kfgraph.extract.event_lexicon import HOSTS, OWN_OCCASION
from kfgraph.models import EntityRef, Event, EventType, Mention

__all__ = ["Candidate", "absorb", "merge", "number", "resolve_pronouns", "share_frame_dates"]

T = EventType
_TO_MEDIA = re.compile(r"told|in (?:a|an|his|her|its|their) ")


@dataclass
class Candidate:
    """An event mention: its type, where it was read, its day and who and where it involves."""

    event_type: EventType
    sentence: tuple[int, int]
    trigger: tuple[int, int]
    date: dt.date | None
    place: str | None = None
    participants: list[EntityRef] = field(default_factory=list)
    speaker_group: str | None = None
    distinct: bool = False  # "also met ...": another occasion of its type, not the same one again
    framed_by: EventType | None = None  # "during the visit": the occasion this happened at


def resolve_pronouns(candidates: Sequence[Candidate]) -> None:
    """"He said", "she added": the speaker is that of the statement before (unknown if none)."""
    last: Candidate | None = None
    for cand in candidates:
        if cand.event_type is not T.STATEMENT:
            continue
        if cand.speaker_group == PRONOUN:
            cand.speaker_group = last.speaker_group if last else None
            cand.participants = list(last.participants) if last else []
        last = cand


def _compatible(a: dt.date | None, b: dt.date | None) -> bool:
    return a is None or b is None or a == b


def merge(candidates: list[Candidate]) -> list[Candidate]:
    """One event per happening: fold repeated mentions of a type with the same or no date.

    Statements fold per speaker; a mention marked ``distinct`` ("also met the mayor") starts a
    happening of its own unless it names no other participant.
    """
    merged: list[Candidate] = []
    for cand in candidates:
        target = next(
            (
                m
                for m in merged
                if m.event_type is cand.event_type
                and _compatible(m.date, cand.date)
                and (
                    cand.event_type is not T.STATEMENT
                    or m.speaker_group == cand.speaker_group
                    or m.speaker_group is None
                    or cand.speaker_group is None
                )
                and not (cand.distinct and set(cand.participants) - set(m.participants))
            ),
            None,
        )
        if target is None:
            merged.append(cand)
        else:
            fold(target, cand)
    return merged


def fold(target: Candidate, cand: Candidate) -> None:
    """Add what ``cand`` says of a happening to ``target``, the happening's event."""
    if target.date is None and cand.date is not None:
        # the dated description carries the evidence
        target.date, target.sentence, target.trigger = cand.date, cand.sentence, cand.trigger
        target.place = cand.place or target.place
    target.place = target.place or cand.place
    target.speaker_group = target.speaker_group or cand.speaker_group
    target.framed_by = target.framed_by or cand.framed_by
    _add_actors(target, cand)


def _add_actors(target: Candidate, cand: Candidate) -> None:
    """A change of command's actors are its commanders: guests of its ceremony or speakers at it are not."""
    if target.event_type is T.CHANGE_OF_COMMAND and cand.event_type is not T.CHANGE_OF_COMMAND:
        return
    target.participants.extend(p for p in cand.participants if p not in target.participants)


def share_frame_dates(candidates: Sequence[Candidate]) -> None:
    """An undated happening framed by an occasion ("During the visit, he met ...") has the occasion's day."""
    for cand in candidates:
        if cand.date is None and cand.framed_by is not None:
            host = next((h for h in candidates if h.event_type is cand.framed_by and h.date is not None), None)
            if host is not None:
                cand.date = host.date


def _at(text: str, cand: Candidate) -> bool:
    """Whether a statement may be remarks at an occasion: not told to the media ("told RFE/RL that"),
    not said at a press conference or ahead of the occasion."""
    s, e = cand.sentence
    return _TO_MEDIA.match(text, cand.trigger[0]) is None and OWN_OCCASION.search(text, s, e) is None


def absorb(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Fold a statement, ceremony or training into the occasion it happened at.

    Remarks date an occasion that has no day of its own ("Speaking at the gathering on Tuesday,
    the minister ..."); a dated ceremony or training is not folded into an undated occasion.
    """
    out: list[Candidate] = []
    for cand in candidates:
        hosts = HOSTS.get(cand.event_type, ())
        statement = cand.event_type is T.STATEMENT
        host = next((h for h in candidates if h.event_type in hosts
                     and (cand.date is None or cand.date == h.date or (statement and h.date is None))
                     and (not statement or _at(text, cand))), None)
        if host is None:
            out.append(cand)
            continue
        if host.date is None and cand.date is not None:
            host.date = cand.date  # remarks made on a day at an occasion the text does not date
        if cand.event_type is not T.STATEMENT:
            fold(host, cand)
        else:
            _add_actors(host, cand)
    return out


def number(text: str, candidates: list[Candidate]) -> tuple[Event, ...]:
    """Events numbered 1..n in the order their evidence appears."""
    ordered = sorted(candidates, key=lambda c: (c.sentence[0], c.trigger[0]))
    return tuple(
        Event(
            number=i,
            event_type=c.event_type,
            evidence=Mention(c.sentence[0], c.sentence[1], text[c.sentence[0] : c.sentence[1]]),
            date=c.date,
            place=c.place,
            participants=tuple(c.participants),
        )
        for i, c in enumerate(ordered, start=1)
    )
