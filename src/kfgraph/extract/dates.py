"""Dates in press-release English, found with compiled regexes and resolved with ``datetime``.

    find_dates(text, published=d)  ->  [DateMention(start, end, text, date, precision, end_date)]
    parse_date(text)               ->  date | None      (a whole string: "Nov 19 2019", "18 Feb. 2008")
    last_weekday(weekday, published) -> date            ("on Monday" = most recent Monday on/before)

Forms understood (``published`` anchors relative ones; without it they resolve to ``None``):

* day month year: ``19 December 2022``, ``19 Dec. 2022``, ``on the 24th of February 2022``,
  ``19-Jul-2004``; ranges ``19 – 20 July 2004`` / ``19-20 July`` (dated by their first day)
* month day year: ``December 19, 2022``, ``Dec. 19``, ``Nov 19 2019``, ``December 19-20, 2022``
* numeric: ``2022-12-19`` (ISO), ``19.12.2022`` / ``19/12/2022`` (day first, European style)
* month and year only: ``December 2007``, ``May this year`` (precision ``month``, no day)
* relative: ``today``, ``yesterday``, ``tomorrow``, ``this morning``, ``last night``, weekdays
  (``on Wednesday midnight``, ``last Monday``), ``on the 2nd`` (a day of the publication month),
  ``last week`` / ``next week`` (precision ``week``, no day)
* a weekday followed by an explicit date (``Thursday (7 September 2023)``, ``Tuesday, 20 July
  2004``) is one mention dated by the explicit date.

A day without a year takes the publication year, moved back one year if that would fall after
publication; with no publication date it stays unresolved (``date`` is ``None``). Nothing here
invents a day: ``date`` is set only when the text pins one down.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["DateMention", "Precision", "find_dates", "last_weekday", "parse_date"]

Precision = Literal["day", "week", "month", "year"]

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
    start=1,
):
    MONTHS[_name] = _number
    MONTHS[_name[:3]] = _number
MONTHS["sept"] = 9

# Lower-case month names that are usually ordinary words ("may", "march", "sat").
_MONTH_WORDS = frozenset({"may", "march", "mar", "dec", "jan", "sept"})

WEEKDAYS = {name: i for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text: ``text == source[start:end]``.

    ``date`` is the day meant (the first day of a range), or ``None`` when the expression does not
    name a day (``last week``, ``December 2007``) or cannot be resolved (a weekday with no
    publication date). ``month`` holds the first of the month for month-precision mentions.
    """

    start: int
    end: int
    text: str
    date: dt.date | None
    precision: Precision
    end_date: dt.date | None = None
    relative: bool = False
    month: dt.date | None = None


_MONTH = r"(?P<{g}>jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|sep(?:t(?:ember|\.)?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
_DASH = r"\s*(?:-|–|—|to|until)\s*"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:19|20)\d\d)(?!\d)"

_DMY = (
    r"(?:the\s+)?(?P<d1>[0-3]?\d)" + _ORD + r"(?:" + _DASH + r"(?:the\s+)?(?P<d2>[0-3]?\d)" + _ORD + r")?"
    r"(?:\s+of)?[\s-]+" + _MONTH.format(g="m1") + r"(?:,?[\s-]+" + _YEAR.format(g="y1") + r")?"
)
_MDY = (
    _MONTH.format(g="m2") + r"\s+(?P<d3>[0-3]?\d)" + _ORD + r"(?!\d)(?:" + _DASH + r"(?P<d4>[0-3]?\d)" + _ORD + r")?"
    r"(?:,?\s+" + _YEAR.format(g="y2") + r")?"
)
_ISO = r"(?P<iy>(?:19|20)\d\d)-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?!\d)"
_NUM = r"(?P<nd>[0-3]?\d)[./](?P<nm>[01]?\d)[./](?P<ny>(?:19|20)\d\d)(?!\d)"
_MY = _MONTH.format(g="m3") + r"(?:\s+(?:of\s+)?(?P<y3>(?:19|20)\d\d)(?!\d)|\s+(?P<rel3>this|last|next)\s+year)"
_REL = (
    r"(?P<rel>today|yesterday|tomorrow|(?:last|next|this)\s+week|(?:the\s+)?day\s+before\s+yesterday"
    r"|this\s+(?:morning|afternoon|evening)|tonight|earlier\s+today|last\s+night)"
)
# "on the 2nd", "on the 24th": a day of the publication month (or the month before, if it would be later)
_DOM = r"(?<=on\s)the\s+(?P<dom>[0-3]?\d)(?:st|nd|rd|th)(?!\s+(?:of\s+)?[A-Za-z]+\s+(?:19|20)\d\d)"
_WD = r"(?P<wmod>last\s+|this\s+past\s+|past\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

_DATE_RE = re.compile(
    # the lookahead lists every letter a date can start with: it lets the engine skip other words fast
    r"(?<![\w-])(?=[0-9tylnpjfmasodw])(?:" + "|".join(f"(?P<{n}>{p})" for n, p in [
        ("iso", _ISO), ("num", _NUM), ("dmy", _DMY), ("mdy", _MDY), ("my", _MY), ("wdx", _WD), ("relx", _REL),
        ("domx", _DOM),
    ]) + r")(?![\w])",
    re.IGNORECASE,
)
# A weekday directly followed by an explicit date: "Thursday (7 September 2023)", "Tuesday, 20 July".
_WD_BRIDGE = re.compile(r"\s*(?:,|\()?\s*$")
_TAIL = re.compile(r"\s*\)")


def last_weekday(weekday: int, published: dt.date) -> dt.date:
    """The most recent day with ``weekday`` (Monday = 0) on or before ``published``."""
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


def _year_for(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    try:
        if dt.date(year, month, day) > published:
            year -= 1
    except ValueError:
        return None
    return year


def _day(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_number(token: str) -> int:
    return MONTHS[token.lower().rstrip(".")]


def _resolve(m: re.Match[str], published: dt.date | None) -> DateMention | None:
    start, end, text = m.start(), m.end(), m.group(0)
    if m.group("iso"):
        d = _day(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        return DateMention(start, end, text, d, "day") if d else None
    if m.group("num"):
        d = _day(int(m.group("ny")), int(m.group("nm")), int(m.group("nd")))
        return DateMention(start, end, text, d, "day") if d else None
    if m.group("dmy") or m.group("mdy"):
        if m.group("dmy"):
            month, d1, d2, y = m.group("m1"), m.group("d1"), m.group("d2"), m.group("y1")
        else:
            month, d1, d2, y = m.group("m2"), m.group("d3"), m.group("d4"), m.group("y2")
        if month in _MONTH_WORDS:
            return None  # "pupils 6 to 13 may ...": the verb, not the month
        mon, day1 = _month_number(month), int(d1)
        if not 1 <= day1 <= 31:
            return None
        year: int | None = int(y) if y else _year_for(mon, day1, published)
        first = _day(year, mon, day1)
        if first is None and year is not None:
            return None  # 31 February: no such day
        last = _day(year, mon, int(d2)) if d2 else None
        return DateMention(start, end, text, first, "day", end_date=last, relative=not y)
    if m.group("my"):
        mon = _month_number(m.group("m3"))
        if m.group("y3"):
            year = int(m.group("y3"))
        elif published is not None:
            year = published.year + {"this": 0, "last": -1, "next": 1}[m.group("rel3").lower()]
        else:
            year = None
        if m.group("m3") in _MONTH_WORDS:
            return None
        first = dt.date(year, mon, 1) if year else None
        return DateMention(start, end, text, None, "month", relative=not m.group("y3"), month=first)
    if m.group("wdx"):
        if not m.group("wd")[0].isupper():
            return None  # weekdays are capitalised in English; lower case is not a date
        d = last_weekday(WEEKDAYS[m.group("wd").lower()], published) if published else None
        if d is not None and m.group("wmod") and d == published:
            d -= dt.timedelta(days=7)  # "last Monday" said on a Monday is a week back
        return DateMention(start, end, text, d, "day", relative=True)
    if m.group("domx"):
        day = int(m.group("dom"))
        if published is None or not 1 <= day <= 31:
            return DateMention(start, end, text, None, "day", relative=True) if published is None else None
        month_start = published.replace(day=1)
        d = _day(published.year, published.month, day)
        if d is None or d > published:  # "on the 30th", said on the 2nd: last month
            prev = month_start - dt.timedelta(days=1)
            d = _day(prev.year, prev.month, day)
        return DateMention(start, end, text, d, "day", relative=True) if d else None
    rel = " ".join(m.group("rel").lower().split())
    if rel.endswith("week"):
        return DateMention(start, end, text, None, "week", relative=True)
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1, "this morning": 0, "this afternoon": 0,
              "this evening": 0, "tonight": 0, "earlier today": 0, "last night": -1}.get(rel, -2)
    d = published + dt.timedelta(days=offset) if published else None
    return DateMention(start, end, text, d, "day", relative=True)


def find_dates(text: str, *, published: dt.date | None) -> list[DateMention]:
    """Every date expression in ``text``, in order, resolved against ``published``."""
    found: list[DateMention] = []
    for m in _DATE_RE.finditer(text):
        mention = _resolve(m, published)
        if mention is None:
            continue
        prev = found[-1] if found else None
        if (
            prev is not None
            and prev.relative
            and prev.text[:1].isupper()
            and prev.text.split()[-1].lower() in WEEKDAYS
            and not mention.relative
            and mention.precision == "day"
            and _WD_BRIDGE.match(text, prev.end, mention.start)
        ):
            # "Thursday (7 September 2023)": the explicit date wins, one mention for both.
            tail = _TAIL.match(text, mention.end)
            end = tail.end() if tail and "(" in text[prev.end : mention.start] else mention.end
            found[-1] = DateMention(prev.start, end, text[prev.start : end], mention.date, "day", mention.end_date)
            continue
        found.append(mention)
    return found


def parse_date(text: str) -> dt.date | None:
    """The one absolute day a short string names ("Nov 19 2019", "2025-12-02 10:13:59"), else None.

    Only explicit dates with a year count; relative expressions need an anchor and return None.
    """
    for mention in find_dates(text, published=None):
        if mention.date is not None and not mention.relative:
            return mention.date
    return None
