"""Changes of command: who took a post over from whom, and on which day.

    command_changes(text, title, mentions, context, published) -> [(mention start, RoleHeld)]

The incoming commander holds the post from the day of the change, the outgoing one until that day
(``RoleHeld.start`` / ``RoleHeld.end``; no day is set when the sentence gives none). The forms:

- "X took over (the) command of ORG from Y", "X assumed command of ORG", "He took over command from Y"
  (the pronoun is the person the release just named in the post);
- "X handed over (the) command of ORG to Y", "X hands over to Y";
- "X replaced / succeeded Y";
- "a change of command (ceremony) between X and Y" (X leaves, Y arrives);
- "the outgoing (ORG) commander, X", "X, the outgoing commander" and "incoming" alike;
- headlines: "X TAKES OVER", "X takes command of ORG", "command passes from X to Y", matched to the
  body's persons by surname.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from kfgraph.extract.dates import DateMention, find_dates
from kfgraph.extract.gazetteer import name_key
from kfgraph.extract.persons import PersonMention
from kfgraph.extract.posts import RoleContext, sentence_start
from kfgraph.models import RoleHeld

_ADVERBS = r"(?:(?:on [A-Z]\w+|today|yesterday|formally|officially|also|then|now|this (?:morning|week))[ \t]+|(?:,[^.;]{0,100}?,)?[ \t]*)"
_TOOK = re.compile(
    rf"^[ \t]*{_ADVERBS}(?:has[ \t]+|had[ \t]+|will[ \t]+|formally[ \t]+)?"
    r"(?:took|takes|taken|take|assumed|assumes|assume)[ \t]+(?:over[ \t]+)?(?:the[ \t]+)?command\b"
    r"(?P<of>[ \t]+(?:of|over)[ \t]+[^.;]{1,120}?)?"
    r"(?=[ \t]+from[ \t]|[.;]|,[ \t]+(?:becoming|replacing|succeeding|who|which|at|in|on)\b|$)"
)
_HANDED = re.compile(
    rf"^[ \t]*{_ADVERBS}(?:has[ \t]+|had[ \t]+|will[ \t]+)?(?:handed|hands|hand|passed|passes|relinquished|relinquishes)"
    r"[ \t]+(?:over[ \t]+)?(?:(?:the[ \t]+)?command(?P<of>[ \t]+of[ \t]+[^.;]{1,120}?)?[ \t]+)?to[ \t]+"
)
_REPLACED = re.compile(rf"^[ \t]*{_ADVERBS}(?:has[ \t]+)?(?:replaced|replaces|succeeded|succeeds|relieved|relieves)[ \t]+")
_BETWEEN = re.compile(r"\bchange of command(?: ceremony)? between[ \t]+")
_OUTGOING = re.compile(r"\b(?P<which>outgoing|incoming)[ \t]+(?:[A-Z][\w-]*[ \t]+)?(?:[Cc]ommander|COMKFOR)\b")

Change = tuple[int, RoleHeld]  # the start of the person's mention, the post with its start or end


def _incoming(org: str, day: dt.date | None) -> RoleHeld:
    return RoleHeld("Commander", org, start=day, change="incoming")


def _outgoing_post(org: str, day: dt.date | None) -> RoleHeld:
    return RoleHeld("Commander", org, end=day, change="outgoing")


def command_changes(text: str, title: str | None, mentions: list[PersonMention], ctx: RoleContext,
                    published: dt.date | None, roles_of: Callable[[int], list[RoleHeld]]) -> list[Change]:
    """Posts taken over and handed over, read from the body and the headline.

    ``roles_of(mention start)`` gives the roles already read for that person (to know the post a
    pronoun or a "replaced" refers to).
    """
    ordered = sorted(mentions, key=lambda p: p.start)
    out: list[Change] = []
    if not ordered or not (_KEYWORDS.search(text) or (title and _KEYWORDS.search(title))):
        return out  # no change of command is reported (most releases): skip the patterns
    days = _Days(text, published)

    def known(start: int) -> list[RoleHeld]:
        # what the release said of this person so far, changes included ("He replaced X" after "took over")
        owner_start = {p.start for p in ordered if p.words and name_key(p.words[-1]) == _surname(ordered, start)}
        return [*roles_of(start), *(held for s, held in out if s in owner_start or s == start)]

    for i in range(len(ordered)):
        out.extend(_from_subject(text, i, ordered, ctx, days, known))
    out.extend(_between(text, ordered, ctx, days))
    out.extend(_outgoing(text, ordered, ctx, days))
    if title:
        out.extend(_headline(title, ordered, text, ctx, roles_of))
    return out


def _surname(ordered: list[PersonMention], start: int) -> str:
    pm = next((p for p in ordered if p.start == start), None)
    return name_key(pm.words[-1]) if pm is not None and pm.words else ""


_KEYWORDS = re.compile(r"(?i:\bcommand\b|\breplace[ds]\b|\bsucceed|\brelieve[ds]\b|\boutgoing\b|\bincoming\b|"
                       r"\btakes? over\b|\btook over\b|\bhand(?:s|ed)? over\b)")


class _Days:
    """The release's dates with a day, read only when a change of command needs one."""

    def __init__(self, text: str, published: dt.date | None) -> None:
        self.text, self.published = text, published
        self._found: list[DateMention] | None = None

    def all(self) -> list[DateMention]:
        if self._found is None:
            self._found = [d for d in find_dates(self.text, published=self.published)
                           if d.precision == "day" and d.date is not None]
        return self._found


def _day(text: str, pos: int, days: _Days) -> dt.date | None:
    """The day the sentence around ``pos`` gives, if it gives one."""
    start = sentence_start(text, pos)
    end = text.find(". ", pos)
    end = len(text) if end < 0 else end
    inside = [d for d in days.all() if start <= d.start < end]
    return inside[0].date if inside else None


def _person_at(ordered: list[PersonMention], pos: int, limit: int = 45) -> PersonMention | None:
    """The person mention whose rank, title or name starts within ``limit`` characters after ``pos``."""
    return next((p for p in ordered if pos <= p.trigger <= pos + limit or pos <= p.start <= pos + limit), None)


def _post(ctx: RoleContext, start: int, end: int, fallback: list[RoleHeld]) -> str | None:
    """The organization a "command of ..." part names, else the one of the subject's commander role."""
    if end > start:
        inside = [s for s in ctx.org_spans if start <= s[0] and s[1] <= end
                  and not ctx.text.startswith(("-led", "–led"), s[1])]
        if inside:
            first = min(s[0] for s in inside)  # "of the NATO-led peacekeeping force in Kosovo (KFOR)": KFOR
            return max((s for s in inside if s[0] == first), key=lambda s: s[1] - s[0])[2]
    return next((r.organization for r in fallback if r.organization and "ommander" in r.role), None)


def _from_subject(text: str, i: int, ordered: list[PersonMention], ctx: RoleContext, days: _Days,
                  roles_of: Callable[[int], list[RoleHeld]]) -> Iterator[Change]:
    pm = ordered[i]
    yield from _verbs(text, pm, pm.end, ordered, ctx, days, roles_of)
    # "He took over command from Y": the pronoun opening the next sentence is this person
    nxt = text.find(". ", pm.end)
    if nxt >= 0 and (i + 1 == len(ordered) or ordered[i + 1].start > nxt):
        m = re.match(r"\.\s+(?:He|She)\b", text[nxt:nxt + 6])
        if m is not None:
            yield from _verbs(text, pm, nxt + m.end(), ordered, ctx, days, roles_of)


def _verbs(text: str, pm: PersonMention, at: int, ordered: list[PersonMention], ctx: RoleContext,
           days: _Days, roles_of: Callable[[int], list[RoleHeld]]) -> Iterator[Change]:
    window = text[at:min(len(text), at + 220)]
    took = _TOOK.match(window)
    if took is None and _HANDED.match(window) is None and _REPLACED.match(window) is None:
        return  # most names are followed by no change of command
    day = _day(text, at, days)
    if took is not None:
        of = (at + took.start("of"), at + took.end("of")) if took["of"] else (at, at)
        rest = at + took.end()
        src = re.match(r"[ \t]+from[ \t]+", text[rest:rest + 12])
        other = _person_at(ordered, rest + src.end()) if src is not None else None
        if other is not None and other.start == pm.start:
            other = None
        org = _post(ctx, *of, roles_of(pm.start))
        if org is None and took["of"] is None and other is not None:
            org = _post(ctx, at, at, roles_of(other.start))  # "took over command from Y, the Commander of KFOR"
        if org is not None:
            yield pm.start, _incoming(org, day)
            if other is not None:
                yield other.start, _outgoing_post(org, day)
        return
    handed = _HANDED.match(window)
    if handed is not None:
        of = (at + handed.start("of"), at + handed.end("of")) if handed["of"] else (at, at)
        org = _post(ctx, *of, roles_of(pm.start))
        other = _person_at(ordered, at + handed.end())
        if org is not None and other is not None and other.start != pm.start:
            yield pm.start, _outgoing_post(org, day)
            yield other.start, _incoming(org, day)
        return
    replaced = _REPLACED.match(window)
    if replaced is not None:
        org = _post(ctx, at, at, roles_of(pm.start))
        other = _person_at(ordered, at + replaced.end())
        if org is not None and other is not None and other.start != pm.start:
            yield pm.start, _incoming(org, day)
            yield other.start, _outgoing_post(org, day)


def _between(text: str, ordered: list[PersonMention], ctx: RoleContext, days: _Days) -> Iterator[Change]:
    """ "KFOR conducted a change of command ceremony between X and Y": X hands over to Y."""
    for m in _BETWEEN.finditer(text):
        first = _person_at(ordered, m.end())
        if first is None:
            continue
        second = next((p for p in ordered if p.start > first.end and re.match(r"[ \t]+and[ \t]+", text[first.end:p.trigger])), None)
        start = sentence_start(text, m.start())
        subject = [s for s in ctx.org_spans if start <= s[0] < m.start()]
        if second is None or not subject:
            continue
        org = subject[0][2]
        day = _day(text, m.start(), days)
        yield first.start, _outgoing_post(org, day)
        yield second.start, _incoming(org, day)


def _outgoing(text: str, ordered: list[PersonMention], ctx: RoleContext, days: _Days) -> Iterator[Change]:
    """ "the outgoing KFOR commander, X" / "X, the incoming commander"."""
    for m in _OUTGOING.finditer(text):
        after = _person_at(ordered, m.end(), 30)
        before = next((p for p in reversed(ordered) if p.end <= m.start() and re.fullmatch(
            r",[ \t]*(?:the[ \t]+)?", text[p.end:m.start()])), None)
        person = before or after
        if person is None:
            continue
        inside = [s for s in ctx.org_spans if m.start() <= s[0] and s[1] <= m.end()]
        org = inside[0][2] if inside else ("kfor" if "KFOR" in m.group() else None)
        if org is None:
            continue
        day = _day(text, m.start(), days)
        held = _outgoing_post(org, day) if m["which"] == "outgoing" else _incoming(org, day)
        yield person.start, held


_HEADLINE_TAKES = re.compile(r"\b(?P<x>[^\W\d_][\w’'-]+)[ \t]+(?:TAKES|takes|Takes|ASSUMES|assumes|Assumes)[ \t]+"
                             r"(?:OVER|over|Over|COMMAND|command|Command)\b")
_HEADLINE_PASSES = re.compile(r"\b(?:from|FROM)[ \t]+(?:[^\W\d_][\w.’'-]*[ \t]+){0,3}?(?P<y>[^\W\d_][\w’'-]+)[ \t]+"
                              r"(?:to|TO)[ \t]+(?:[^\W\d_][\w.’'-]*[ \t]+){0,3}?(?P<x>[^\W\d_][\w’'-]+)\s*$")


def _headline(title: str, ordered: list[PersonMention], text: str, ctx: RoleContext,
              roles_of: Callable[[int], list[RoleHeld]]) -> Iterator[Change]:
    """A change of command stated only in the headline, for persons the body names."""
    by_surname: dict[str, PersonMention] = {}
    for pm in ordered:
        if pm.words:
            by_surname.setdefault(name_key(pm.words[-1]), pm)
    orgs = [key for _, _, key in ctx.org_spans]
    main = "kfor" if "kfor" in orgs else (orgs[0] if orgs else None)
    m = _HEADLINE_TAKES.search(title)
    taker = by_surname.get(name_key(m["x"])) if m is not None else None
    if taker is not None:
        org = next((r.organization for r in roles_of(taker.start) if r.organization and "ommander" in r.role), None) or main
        if org is not None:
            yield taker.start, _incoming(org, None)
    m = _HEADLINE_PASSES.search(title)
    if m is not None and "ommand" in title.lower():
        incoming, outgoing = by_surname.get(name_key(m["x"])), by_surname.get(name_key(m["y"]))
        if main is not None and incoming is not None and outgoing is not None:
            yield incoming.start, _incoming(main, None)
            yield outgoing.start, _outgoing_post(main, None)
