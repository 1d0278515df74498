"""Events in a press release, read sentence by sentence from trigger lexicons.

    find_events(release, entities) -> (Event(1, ...), Event(2, ...), ...)   in text order

How it reads (one pass per compiled pattern over ``release.text``, no per-word loops):

1. Split the text into sentences (paragraph breaks, sentence ends that are not abbreviations,
   a leading dateline ``PRISTINA, Nov. 24 (Xinhua) --``).
2. Find triggers: per event type a regex of verbs and nouns (``took over command``, ``joint
   patrol``, ``donated``, ``were injured``). Where two triggers overlap the longer wins
   (``press conference`` over ``conference``); within a sentence a more specific type silences
   its generic sibling (a change-of-command ceremony is not also a Ceremony, an exercise with
   riots is not an Incident).
3. Drop mentions that are not happenings: habitual (``regularly conducts exercises``, unless a
   day is given), negated (``no injuries``), hypothetical (``if ... could``).
4. Date each mention from ``dates.find_dates``: the nearest day in its sentence; a day right
   beside a statement verb (``stated Thursday``, ``on Thursday blamed``) belongs to the
   statement; a present-tense statement (``NATO reaffirms``) is dated on publication.
5. Merge repeated descriptions of one happening: same type and the same or an unknown date.
   Statements merge per speaker (an organisation and its spokesperson are one speaker).
   A Statement, a Ceremony or a Training with no other date is folded into the occasion it
   belongs to (remarks at a meeting, the ceremony of a handover, training within an exercise).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

from kfgraph.extract.dates import DateMention, find_dates
from kfgraph.extract.event_lexicon import HOSTS, PRESENT_STATEMENT, SILENCES, TRIGGERS
from kfgraph.models import Entity, EntityKind, EntityRef, Event, EventType, Mention, PlaceKind, Release

__all__ = ["find_events", "split_sentences"]

T = EventType
_I = re.IGNORECASE

_HABITUAL = re.compile(r"\b(?:regularly|routinely|usually|often|frequently|periodically|normally|every (?:day|week|month|year))\b", _I)
_PAST_YEAR = re.compile(
    r"\b(?:since|in|from|until)\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+\s+)?((?:19|20)\d\d)\b"
)
_TITLE_STATEMENT = re.compile(r"\b(?:statement|communiqu[eé]|declaration)\b", _I)
_SINCE = re.compile(r"\bsince\b[^,;]*$", _I)
_NEGATION = re.compile(r"\b(?:no|not|without|nobody|none|never|avoid|prevent(?:ing)?|risk)\b[^.;,]{0,30}$", _I)
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|in case of|could|would|might)\b[^.;]{0,40}$", _I)
_SPOKES = re.compile(r"\bspokes(?:man|woman|person)\b|\bcommander\b|\bpress officer\b", _I)
_INVERTED = re.compile(r"[,\"”’']\s*$")
_STATEMENT_DATE_GAP = re.compile(r"^\s*,?\s*(?:(?:in|at) [A-Z][\w’'-]*(?: [A-Z][\w’'-]*)? )?(?:on\s+)?$")
# "talks ... since March", "barricades since late July": a state of affairs, not a happening
_PERFECT = re.compile(r"\b(?:has|have)\b", _I)
_SINCE_AFTER = re.compile(
    r"[^,;.]{0,40}\bsince (?:(?:early|late|mid-?) ?)?(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December|(?:19|20)\d\d|last (?:year|month|week))\b"
)
# "on 24 September, a year after a group attacked": the day dates the sentence's news, not the earlier event
_DISTANCE = re.compile(r"\b(?:a|an|one|two|three|\d+) (?:years?|months?|weeks?|days?) (?:after|before|since)\b", _I)
_SUBJECT_NAME = re.compile(r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\)?\s*(?:,\s*)?(?:on\s+\w+\s+)?$")
_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*")

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen maj lt col adm brig capt cpt sgt cpl st no nos jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.n e.g i.e etc vs approx inc ltd co corp gov sen rep prof fig".split()
)
_SENT_END = re.compile(r"[.!?…][\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])|\n+")
_DATELINE = re.compile(
    r"[A-Z][A-Za-z’'/.]+(?:[ /][A-Z][A-Za-z’'/.]+){0,3}(?:,[^\n]{1,40}?)?\s+(?:--|—|–|-)\s+(?=\S)"
)
_PLACE_RANK = {
    PlaceKind.CAMP: 0, PlaceKind.CROSSING: 0, PlaceKind.VILLAGE: 1, PlaceKind.MUNICIPALITY: 2, PlaceKind.CITY: 3,
    PlaceKind.OTHER: 4, PlaceKind.REGION: 5, PlaceKind.COUNTRY: 6, None: 7,
}


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text``, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group(0)[0] != "\n":
            word = text[max(start, m.start() - 12) : m.start()].split()
            last = word[-1].lower().lstrip("(\"“") if word else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        spans.append((start, m.start() + (0 if m.group(0)[0] == "\n" else 1)))
        start = m.end()
    spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if (s == 0 or text[s - 1] == "\n") and (d := _DATELINE.match(text, s, e)) and d.end() - s <= 60:
            out.append((s, d.end()))  # the dateline is not part of the first sentence
            s = d.end()
        out.append((s, e))
    return out


@dataclass
class _Candidate:
    event_type: EventType
    sentence: tuple[int, int]
    trigger: tuple[int, int]
    date: dt.date | None
    place: str | None = None
    participants: list[EntityRef] = field(default_factory=list)
    speaker_group: str | None = None


@dataclass(frozen=True)
class _EntityMention:
    start: int
    end: int
    entity: Entity


def find_events(release: Release, entities: Sequence[Entity]) -> tuple[Event, ...]:
    """The events reported in ``release``, one per happening, numbered 1..n in text order."""
    text = release.text
    published = release.date_published
    sentences = split_sentences(text)
    if not sentences:
        return ()
    starts = [s for s, _ in sentences]
    dates = [d for d in find_dates(text, published=published) if d.precision == "day" and d.date is not None]
    mentions = sorted(
        (_EntityMention(m.start, m.end, e) for e in entities for m in e.mentions),
        key=lambda em: em.start,
    )

    hits: dict[int, list[tuple[EventType, int, int]]] = {}
    lowered = text.lower()
    for event_type, trigger in TRIGGERS.items():
        if not any(k in lowered for k in trigger.keywords):
            continue  # a substring test is far cheaper than running the regex
        for m in trigger.pattern.finditer(text):
            hits.setdefault(_sentence_index(starts, m.start()), []).append((event_type, m.start(), m.end()))

    # each sentence is given only the dates and mentions that start inside it (found by bisection:
    # filtering the whole lists per sentence made a long text quadratic)
    dates.sort(key=lambda d: d.start)
    date_starts = [d.start for d in dates]
    mention_starts = [m.start for m in mentions]
    candidates: list[_Candidate] = []
    for index, found in sorted(hits.items()):
        s, e = sentence = sentences[index]
        near_dates = dates[bisect_left(date_starts, s) : bisect_left(date_starts, e)]
        near_mentions = mentions[bisect_left(mention_starts, s) : bisect_left(mention_starts, e)]
        candidates.extend(_read_sentence(text, sentence, found, near_dates, near_mentions, published))
    events = _absorb(_merge(candidates), text)
    if release.title and _TITLE_STATEMENT.search(release.title):
        _date_release_statement(events, sentences[0], published)
    return _number(text, events)


def _date_release_statement(events: list[_Candidate], first: tuple[int, int], published: dt.date | None) -> None:
    """A release that is itself a statement ("Statement by the Council ...") is dated on publication."""
    own = next((c for c in events if c.event_type is T.STATEMENT and c.speaker_group in ("org", None)), None)
    if own is None:
        events.append(_Candidate(T.STATEMENT, first, first, published, speaker_group="org"))
    elif own.date is None:
        own.date = published


def _sentence_index(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return max(lo - 1, 0)


def _read_sentence(
    text: str,
    sentence: tuple[int, int],
    found: list[tuple[EventType, int, int]],
    dates: list[DateMention],
    mentions: list[_EntityMention],
    published: dt.date | None,
) -> list[_Candidate]:
    s, e = sentence
    # Longer trigger wins where two overlap ("press conference" over "conference").
    found = sorted((h for h in found if s <= h[1] < e), key=lambda h: (h[1], -(h[2] - h[1])))
    kept: list[tuple[EventType, int, int]] = []
    for hit in found:
        if kept and hit[1] < kept[-1][2]:
            if hit[2] - hit[1] > kept[-1][2] - kept[-1][1]:
                kept[-1] = hit
            continue
        kept.append(hit)
    types = {h[0] for h in kept}
    silenced = {t for k in types for t in SILENCES.get(k, ())}
    if T.VISIT in types and T.MEETING in types:
        # "visited the brigade, where he met ..." is a visit; "met ... during his visit" a meeting
        first = next(h[0] for h in kept if h[0] in (T.VISIT, T.MEETING))
        silenced.discard(first)
        silenced.add(T.MEETING if first is T.VISIT else T.VISIT)
    # "since the clash on 24 September": that day dates the background, not this sentence's news
    day_dates = [d for d in dates if s <= d.start < e and not _SINCE.search(text, max(s, d.start - 40), d.start)]
    has_explicit_day = any(not d.relative for d in day_dates)
    in_sentence = [m for m in mentions if s <= m.start < e]

    claimed: dict[int, DateMention] = {}
    for event_type, ts, te in kept:
        if event_type is T.STATEMENT:
            for d in day_dates:
                if (d.end <= ts and _STATEMENT_DATE_GAP.match(text[d.end : ts])) or (
                    d.start >= te and _STATEMENT_DATE_GAP.match(text[te : d.start])
                ):
                    claimed[ts] = d
        if event_type is T.STATEMENT and ts not in claimed and day_dates and day_dates[0].start - s <= 12:
            opening = day_dates[0]
            if not any(o[0] is not T.STATEMENT and opening.end <= o[1] < ts for o in kept):
                claimed[ts] = opening  # "On Monday, the mission said that ..."
    statements = [h for h in kept if h[0] is T.STATEMENT]
    if (len(statements) == 1 and len(kept) == 1 and len(day_dates) == 1 and statements[0][1] not in claimed
            and not PRESENT_STATEMENT.match(text[statements[0][1]:statements[0][2]])):
        claimed[statements[0][1]] = day_dates[0]  # "X called it a provocation on Thursday": the one day, the one act
    free_dates = [d for d in day_dates if d not in claimed.values()]

    out: dict[EventType, _Candidate] = {}
    for event_type, ts, te in kept:
        if event_type in silenced or event_type in out:
            continue
        before = text[max(s, ts - 60) : ts]
        if _NEGATION.search(before[-35:]) or _HYPOTHETICAL.search(before) or _SINCE.search(before[-25:]):
            continue
        if event_type is not T.STATEMENT and _SINCE_AFTER.match(text, te, e) and _PERFECT.search(before):
            continue  # "The EU has mediated talks ... since March": ongoing, not a happening
        if event_type is not T.STATEMENT and not has_explicit_day:
            if _HABITUAL.search(text[s:e]):
                continue  # "KFOR regularly conducts exercises": a habit, not a happening
            if published and any(int(y) < published.year - 1 for y in _PAST_YEAR.findall(text, s, e)):
                continue  # "deployed since 1999", "declared in February 2008": background, years back
        if event_type is T.STATEMENT:
            date = claimed[ts].date if ts in claimed else None
            if date is None and PRESENT_STATEMENT.match(text[ts:te]):
                date = published
            speaker, refs = _speaker(text, ts, te, in_sentence)
            cand = _Candidate(event_type, sentence, (ts, te), date, None, refs, speaker)
        else:
            usable = [d for d in free_dates
                      if not _DISTANCE.search(text, min(d.end, ts), max(d.start, te))]
            nearest = min(usable, key=lambda d: min(abs(d.start - te), abs(ts - d.end)), default=None)
            cand = _Candidate(event_type, sentence, (ts, te), nearest.date if nearest else None)
            cand.place = _place(in_sentence, ts)
            cand.participants = list(
                dict.fromkeys(
                    m.entity.ref for m in in_sentence if m.entity.kind in (EntityKind.ORGANIZATION, EntityKind.PERSON)
                )
            )
        out[event_type] = cand
    return list(out.values())


def _speaker(text: str, ts: int, te: int, in_sentence: list[_EntityMention]) -> tuple[str | None, list[EntityRef]]:
    """Who made a statement: the nearest organisation or person to the verb (``None`` if unknown).

    The group is ``person:KEY`` for a person speaking for themself and ``org`` for an
    organisation or its spokesperson/commander, so a body's statements merge into one.
    """
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


def _place(in_sentence: list[_EntityMention], trigger: int) -> str | None:
    places = [m for m in in_sentence if m.entity.kind is EntityKind.PLACE]
    if not places:
        return None
    best = min(places, key=lambda m: (_PLACE_RANK.get(m.entity.place_kind, 7), abs(m.start - trigger)))
    return best.entity.key


def _compatible(a: dt.date | None, b: dt.date | None) -> bool:
    return a is None or b is None or a == b


def _merge(candidates: list[_Candidate]) -> list[_Candidate]:
    """One event per happening: fold repeated mentions of a type with the same or no date."""
    merged: list[_Candidate] = []
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
            ),
            None,
        )
        if target is None:
            merged.append(cand)
        else:
            _fold(target, cand)
    return merged


def _fold(target: _Candidate, cand: _Candidate) -> None:
    if target.date is None and cand.date is not None:
        # the dated description carries the evidence
        target.date, target.sentence, target.trigger = cand.date, cand.sentence, cand.trigger
        target.place = cand.place or target.place
    target.place = target.place or cand.place
    target.speaker_group = target.speaker_group or cand.speaker_group
    target.participants.extend(p for p in cand.participants if p not in target.participants)


_TO_MEDIA = re.compile(r"told|in (?:a|an|his|her|its|their) ")


def _at(text: str, cand: _Candidate) -> bool:
    """Whether a statement may be remarks at an occasion: not one told to the media ("told RFE/RL that")."""
    return _TO_MEDIA.match(text, cand.trigger[0]) is None


def _absorb(candidates: list[_Candidate], text: str) -> list[_Candidate]:
    """Fold a statement, ceremony or training into the occasion it happened at."""
    out: list[_Candidate] = []
    for cand in candidates:
        hosts = HOSTS.get(cand.event_type, ())
        host = next((h for h in candidates if h.event_type in hosts and (cand.date is None or cand.date == h.date)
                     and (cand.event_type is not T.STATEMENT or _at(text, cand))), None)
        if host is None:
            out.append(cand)
        elif cand.event_type is not T.STATEMENT:
            _fold(host, cand)
        else:
            host.participants.extend(p for p in cand.participants if p not in host.participants)
    return out


def _number(text: str, candidates: list[_Candidate]) -> tuple[Event, ...]:
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
