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
5. Merge repeated descriptions of one happening (``event_merge``): same type and the same or
   an unknown date. Statements merge per speaker (an organisation and its spokesperson are one
   speaker; "he said" is the speaker before). A happening framed by an occasion ("During the
   visit, the minister met ...") has the occasion's day. A Statement, a Ceremony or a Training
   is folded into the occasion it belongs to (remarks at a meeting, the ceremony of a handover,
   training within an exercise).

Genre patterns that keep a mention from being an event of its own: a topic ("briefed on the
patrols"), standing duties ("their duties were to carry out patrols"), a force described
("troops deployed abroad"), a noun pointing back ("the meeting") at an occasion already typed.
A meeting with one's own troops is a visit to them; a change of command has the incoming and
outgoing commanders as actors (``event_actors``).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

from kfgraph.extract.dates import DateMention, find_dates
from kfgraph.extract.event_actors import EntityMention, handover_actors, place, speaker, speaks_for_an_organization
from kfgraph.extract.event_lexicon import (
    ALSO, ANAPHORIC, DESCRIPTIVE, DUTIES, FRAME, FRAME_TYPES, PRESENT_STATEMENT, SILENCES, TOPIC, TRIGGERS,
    TROOP_OBJECT,
)
from kfgraph.extract.event_merge import Candidate, absorb, merge, number, resolve_pronouns, share_frame_dates
from kfgraph.extract.sentences import split_sentences
from kfgraph.models import Entity, EntityKind, Event, EventType, Release

__all__ = ["find_events", "split_sentences"]

T = EventType
_I = re.IGNORECASE

_HABITUAL = re.compile(
    r"\b(?:regularly|routinely|usually|often|frequently|periodically|normally|every (?:day|week|month|year))\b",
    _I)
_PAST_YEAR = re.compile(
    r"\b(?:since|in|from|until|during|after|before|the)\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+\s+)?((?:19|20)\d\d)\b"
)
_TITLE_STATEMENT = re.compile(r"\b(?:statement|communiqu[eé]|declaration)\b", _I)
_SINCE = re.compile(r"\bsince\b[^,;]*$", _I)
_NEGATION = re.compile(r"\b(?:no|not|without|nobody|none|never|avoid|prevent(?:ing)?|risk)\b[^.;,]{0,30}$", _I)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|in case of|could|would|might|(?-i:may)|ready to|prepared to|threaten(?:ed|s|ing)? to)\b[^.;]{0,40}$", _I)
_STATEMENT_DATE_GAP = re.compile(r"^\s*,?\s*(?:(?:in|at) [A-Z][\w’'-]*(?: [A-Z][\w’'-]*)? )?(?:on\s+)?$")
# "talks ... since March", "barricades since late July": a state of affairs, not a happening
_PERFECT = re.compile(r"\b(?:has|have)\b", _I)
_SINCE_AFTER = re.compile(
    r"[^,;.]{0,40}\bsince (?:(?:early|late|mid-?) ?)?(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December|(?:19|20)\d\d|last (?:year|month|week))\b"
)
# "on 24 September, a year after a group attacked": the day dates the sentence's news, not the earlier event
_DISTANCE = re.compile(r"\b(?:a|an|one|two|three|\d+) (?:years?|months?|weeks?|days?) (?:after|before|since)\b", _I)
_TOPIC_WORDS = re.compile(r"brief|inform|told|talk|spok|report|learn|heard|discuss", _I)
# How far back a month named without a day makes a mention background rather than news.
_BACKGROUND_DAYS = 183
_QUOTATION = re.compile(r"“[^”]{1,2000}”|\"[^\"\n]{1,2000}\"")
# A statement verb after a quotation: "...,” said X", "... - said X".
_QUOTED = re.compile(r"(?:[,\"”’']|\s[-–—])\s*$")
_NOUN_TRIGGER = re.compile(r"(?:visit|meeting|ceremony|exercise|patrol|training|parade)s?$", _I)


def find_events(release: Release, entities: Sequence[Entity]) -> tuple[Event, ...]:
    """The events reported in ``release``, one per happening, numbered 1..n in text order."""
    text = release.text
    published = release.date_published
    sentences = split_sentences(text)
    if not sentences:
        return ()
    starts = [s for s, _ in sentences]
    all_dates = find_dates(text, published=published)
    quotes = [(m.start(), m.end()) for m in _QUOTATION.finditer(text)]
    # "“Today we thank you,” the minister said": a relative day inside a quotation is the speaker's day
    dates = [d for d in all_dates if d.precision == "day" and d.date is not None
             and not (d.relative and any(qs < d.start < qe for qs, qe in quotes))]
    # months named more than half a year before publication: "decided in August 2005" (published May 2006)
    old_months = [d.start for d in all_dates if d.precision == "month" and d.month is not None
                  and published is not None and (published - d.month).days > _BACKGROUND_DAYS]
    mentions = sorted(
        (EntityMention(m.start, m.end, e) for e in entities for m in e.mentions),
        key=lambda em: em.start,
    )
    reader = _SentenceReader(text, dates, mentions, published, entities, old_months)

    hits: dict[int, list[tuple[EventType, int, int]]] = {}
    flat, to_text = _single_spaced(text)
    lowered = flat.lower()
    for event_type, trigger in TRIGGERS.items():
        if not any(k in lowered for k in trigger.keywords):
            continue  # a substring test is far cheaper than running the regex
        for m in trigger.pattern.finditer(flat):
            start, end = to_text(m.start()), to_text(m.end() - 1) + 1
            hits.setdefault(_sentence_index(starts, start), []).append((event_type, start, end))

    candidates: list[Candidate] = []
    for index, found in sorted(hits.items()):
        candidates.extend(reader.read(sentences[index], found))
    reader.retype_anaphora(candidates)
    resolve_pronouns(candidates)
    merged = merge(candidates)
    share_frame_dates(merged)
    events = absorb(merged, text)
    if release.title and _TITLE_STATEMENT.search(release.title):
        _date_release_statement(events, sentences[0], published)
    return number(text, events)


def _date_release_statement(events: list[Candidate], first: tuple[int, int], published: dt.date | None) -> None:
    """A release that is itself a statement ("Statement by the Council ...") is dated on publication."""
    own = next((c for c in events if c.event_type is T.STATEMENT and c.speaker_group in ("org", None)), None)
    if own is None:
        events.append(Candidate(T.STATEMENT, first, first, published, speaker_group="org"))
    elif own.date is None:
        own.date = published


_BREAK = re.compile(r"[ \t]*\n\s*|[ \t]{2,}")


def _single_spaced(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` with every line break and run of spaces as one space (wrapped wire copy reads "news
    conference" across lines), and the function from its offsets back to ``text``'s."""
    breaks = list(_BREAK.finditer(text))
    if not breaks:
        return text, lambda i: i
    pieces: list[str] = []
    starts: list[int] = []  # offset in the flat text where each kept piece starts
    origins: list[int] = []  # its offset in ``text``
    pos = flat = 0
    for m in breaks:
        pieces.append(text[pos:m.start()])
        starts.append(flat)
        origins.append(pos)
        flat += m.start() - pos
        pieces.append(" ")
        starts.append(flat)
        origins.append(m.start())
        flat += 1
        pos = m.end()
    pieces.append(text[pos:])
    starts.append(flat)
    origins.append(pos)

    def to_text(i: int) -> int:
        k = bisect_right(starts, i) - 1
        return origins[k] + (i - starts[k])

    return "".join(pieces), to_text


def _sentence_index(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return max(lo - 1, 0)


class _SentenceReader:
    """Reads the event mentions of one sentence at a time; shares the release's dates and mentions."""

    def __init__(self, text: str, dates: list[DateMention], mentions: list[EntityMention],
                 published: dt.date | None, entities: Sequence[Entity], old_months: Sequence[int] = ()) -> None:
        self.text = text
        # sorted by start, so each sentence takes its own dates and mentions by bisection
        # (filtering the whole lists per sentence made a long text quadratic)
        self.dates = sorted(dates, key=lambda d: d.start)
        self._date_starts = [d.start for d in self.dates]
        self.old_months = old_months
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]
        self.published = published
        self.spokespeople = {e.key for e in entities if e.kind is EntityKind.PERSON and speaks_for_an_organization(e)}
        self.persons = [m for m in mentions if m.entity.kind is EntityKind.PERSON]
        self.frames = [(m.start(), m.end(), FRAME_TYPES[(m["noun"] or m["noun2"]).lower()]) for m in FRAME.finditer(text)]
        self.troop_visit = False  # a meeting with one's own troops was read as a visit
        self.anaphoric: list[Candidate] = []

    def read(self, sentence: tuple[int, int], found: list[tuple[EventType, int, int]]) -> list[Candidate]:
        text = self.text
        s, e = sentence
        kept = _longest(found, s, e)
        types = {h[0] for h in kept}
        silenced = {t for k in types for t in SILENCES.get(k, ())}
        frames = [f for f in self.frames if s <= f[0] < e]
        if T.VISIT in types and T.MEETING in types:
            # "During his visit, he met the mayor": the visit named as a frame does not silence the meeting;
            # otherwise the main verb comes first: "visited the brigade, where he met ..." is a visit
            told = [h[0] for h in kept if h[0] in (T.VISIT, T.MEETING) and not _inside(h, frames)]
            if len(set(told)) < 2:
                silenced -= {T.VISIT, T.MEETING}
            else:
                silenced.discard(told[0])
                silenced.add(T.MEETING if told[0] is T.VISIT else T.VISIT)
        if any(h[0] is T.STATEMENT for h in kept) and any(
                h[0] is T.OTHER and "conference" in text[h[1]:h[2]].lower() for h in kept):
            silenced.add(T.OTHER)  # "said at a press conference": the statement is the news
        # "since the clash on 24 September": that day dates the background, not this sentence's news
        near_dates = self.dates[bisect_left(self._date_starts, s):bisect_left(self._date_starts, e)]
        day_dates = [d for d in near_dates if not _SINCE.search(text, max(s, d.start - 40), d.start)]
        has_explicit_day = any(not d.relative for d in day_dates)
        in_sentence = self.mentions[bisect_left(self._mention_starts, s):bisect_left(self._mention_starts, e)]
        claimed = self._claim_statement_dates([h for h in kept if h[0] not in silenced], day_dates, s)
        free_dates = [d for d in day_dates if d not in claimed.values()]
        duties = DUTIES.search(text, s, e) is not None

        out: dict[EventType, Candidate] = {}
        for event_type, ts, te in kept:
            if event_type in silenced or event_type in out:
                continue
            before = text[max(s, ts - 60) : ts]
            if _NEGATION.search(before[-35:]) or _HYPOTHETICAL.search(before) or _SINCE.search(before[-25:]):
                continue
            if te - ts > 20 and _SINCE.search(text, max(s, ts - 25), te):
                continue  # "since the mission entered Kosovo": the background of the news
            if event_type is not T.STATEMENT and self._not_a_happening(event_type, ts, te, sentence, before,
                                                                        has_explicit_day, duties):
                continue
            if event_type is T.MEETING and TROOP_OBJECT.match(text, te, e):
                event_type = T.VISIT  # "met with Polish soldiers serving in ...": a visit to the troops
                self.troop_visit = True
                if event_type in out:
                    continue
            if event_type is T.STATEMENT:
                date = claimed[ts].date if ts in claimed else None
                if date is None and PRESENT_STATEMENT.match(text[ts:te]):
                    date = self.published
                group, refs = speaker(text, ts, te, in_sentence, self.spokespeople)
                cand = Candidate(event_type, sentence, (ts, te), date, None, refs, group)
            else:
                usable = [d for d in free_dates if not _DISTANCE.search(text, min(d.end, ts), max(d.start, te))]
                nearest = min(usable, key=lambda d: min(abs(d.start - te), abs(ts - d.end)), default=None)
                cand = Candidate(event_type, sentence, (ts, te), nearest.date if nearest else None)
                cand.place = place(in_sentence, ts)
                if event_type is T.CHANGE_OF_COMMAND:
                    before_persons = [m.entity.ref for m in self.persons if m.end <= s]
                    cand.participants = handover_actors(text, sentence, (ts, te), in_sentence, before_persons,
                                                        self.persons)
                else:
                    cand.participants = list(dict.fromkeys(
                        m.entity.ref for m in in_sentence if m.entity.kind in (EntityKind.ORGANIZATION, EntityKind.PERSON)))
                cand.distinct = event_type is T.MEETING and ALSO.search(text, max(s, ts - 20), ts) is not None
                if _NOUN_TRIGGER.match(text, ts, te) and ANAPHORIC.search(text, max(s, ts - 6), ts):
                    self.anaphoric.append(cand)  # "The meeting took place in ...": typed like what it points at
            cand.framed_by = next((t for fs, fe, t in frames if t is not event_type and not fs <= ts < fe), None)
            out[event_type] = cand
        return list(out.values())

    def _claim_statement_dates(self, kept: list[tuple[EventType, int, int]], day_dates: list[DateMention],
                               s: int) -> dict[int, DateMention]:
        """The day each statement verb of the sentence is dated by ("stated Thursday", "On Monday, X said")."""
        text = self.text
        claimed: dict[int, DateMention] = {}
        for event_type, ts, te in kept:
            if event_type is T.STATEMENT and _QUOTED.search(text, max(s, ts - 4), ts):
                # "“Today we thank you,” said the minister": a day inside the quotation is the speaker's
                day_dates = [d for d in day_dates if not (d.relative and d.end <= ts)]
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
        return claimed

    def _not_a_happening(self, event_type: EventType, ts: int, te: int, sentence: tuple[int, int], before: str,
                         has_explicit_day: bool, duties: bool) -> bool:
        """A mention that reports no happening: ongoing, habitual, background, a topic, a duty, a description."""
        text = self.text
        s, e = sentence
        if event_type is not T.DEPLOYMENT and _SINCE_AFTER.match(text, te, e) and _PERFECT.search(before):
            return True  # "The EU has mediated talks ... since March": ongoing (troops "deployed since" arrived then)
        if _TOPIC_WORDS.search(before) and TOPIC.search(before):
            return True  # "briefed on the contingent's patrols": what was talked about
        if event_type is T.DEPLOYMENT and text[ts:te].lower() == "deployed" and DESCRIPTIVE.search(before):
            return True  # "forces deployed abroad": a force described, not sent
        if not has_explicit_day:
            if duties:
                return True  # "Their duties were to ... carry out patrols"
            if _HABITUAL.search(text, s, e):
                return True  # "KFOR regularly conducts exercises": a habit, not a happening
            if self.published and any(int(y) < self.published.year - 1 for y in _PAST_YEAR.findall(text, s, e)):
                return True  # "deployed since 1999", "declared in February 2008": background, years back
            if any(s <= m < e for m in self.old_months):
                return True  # "decided by the Council in August 2005", published in May 2006: background
        return False

    def retype_anaphora(self, candidates: list[Candidate]) -> None:
        """"The meeting, held at the base, ...": after a meeting with troops read as a visit, the meeting is that visit."""
        if not self.troop_visit:
            return
        for cand in self.anaphoric:
            if cand.event_type is T.MEETING:
                cand.event_type = T.VISIT
        for cand in candidates:
            if cand.framed_by is T.MEETING:
                cand.framed_by = T.VISIT  # "The meeting was also an opportunity to award medals"


def _longest(found: list[tuple[EventType, int, int]], s: int, e: int) -> list[tuple[EventType, int, int]]:
    """The triggers of a sentence; where two overlap the longer wins ("press conference" over "conference")."""
    ordered = sorted((h for h in found if s <= h[1] < e), key=lambda h: (h[1], -(h[2] - h[1])))
    kept: list[tuple[EventType, int, int]] = []
    for hit in ordered:
        if kept and hit[1] < kept[-1][2]:
            if hit[2] - hit[1] > kept[-1][2] - kept[-1][1]:
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


def _inside(hit: tuple[EventType, int, int], frames: list[tuple[int, int, EventType]]) -> bool:
    return any(fs <= hit[1] < fe for fs, fe, _ in frames)
