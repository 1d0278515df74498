"""Publication-date lines as scraped pages show them.

A *date line* is a line that is only a date, perhaps with a time, a prefix
("Updated:", "Published:") or an agency after a slash:

>>> parse_date_line("Dec 21 2022")
datetime.date(2022, 12, 21)
>>> parse_date_line("08:35, November 25, 2011")
datetime.date(2011, 11, 25)
>>> parse_date_line("2025-12-02 10:13:59 / KOSOVA ALFA PRESS")
datetime.date(2025, 12, 2)
>>> parse_date_line("19-20 July 2004")
datetime.date(2004, 7, 19)
>>> parse_date_line("Published: 07/09/2012 14:20")  # slashes: day first, as European sites write it
datetime.date(2012, 9, 7)
>>> parse_date_line("2021. 10. 15.")
datetime.date(2021, 10, 15)
>>> parse_date_line("03 Jun 13")
datetime.date(2013, 6, 3)
>>> parse_date_line("KFOR soldiers met on 19 July 2004 in Pristina") is None
True
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DASH = r"\s*[-–]\s*"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DAY_RANGE = _DAY + rf"(?:{_DASH}\d{{1,2}}(?:st|nd|rd|th)?)?"  # "19-20 July": the first day
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME = r"\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:CET|CEST|GMT|UTC|EST|EDT|[+-]\d{2}:?\d{2}))?"

_DATE_SHAPES = [
    rf"{_YEAR}-(?P<nmonth>\d{{2}})-(?P<day>\d{{2}})(?:[T ]{_TIME})?",  # 2025-12-02 10:13:59
    rf"{_DAY_RANGE}[\s-]+{_MONTH}[\s,-]+{_YEAR}",  # 18 Feb. 2008, 19-Jul-2004, 19-20 July 2004
    rf"{_MONTH}\s+{_DAY_RANGE},?\s+{_YEAR}",  # Dec 21 2022, November 25, 2011
    rf"(?P<day>\d{{1,2}})\.(?P<nmonth>\d{{1,2}})\.{_YEAR}",  # 21.12.2022 (day first)
    rf"(?P<day>\d{{1,2}})/(?P<nmonth>\d{{1,2}})/{_YEAR}",  # 07/09/2012 (day first, as European sites write it)
    rf"{_YEAR}\. ?(?P<nmonth>\d{{1,2}})\. ?(?P<day>\d{{1,2}})\.?",  # 2021. 10. 15. (Hungarian order)
    rf"(?P<day>\d{{1,2}}) {_MONTH} (?P<year2>\d{{2}})",  # 03 Jun 13 (two-digit year)
]
_PREFIX = r"(?:(?:last\s+)?updated|published|posted(?:\s+on)?|date|released)\s*:?\s*"

_DATE_LINE = [
    # optional prefix, weekday, time; the date; then a time and/or "/ AGENCY"
    re.compile(
        rf"^(?:{_PREFIX})?(?:{_TIME},?\s+)?{_WEEKDAY}{shape}"
        rf"(?:,?\s*(?:at\s+)?{_TIME})?(?:\s*[/|–-]\s*[^\n]{{0,60}})?\s*[·•]?\s*$",
        re.IGNORECASE,
    )
    for shape in _DATE_SHAPES
] + [
    # "Updated: 19-Jul-2004 IMS Press Advisory": after a prefix, any trailing words
    re.compile(rf"^{_PREFIX}{_WEEKDAY}{shape}\b[^\n]{{0,60}}$", re.IGNORECASE) for shape in _DATE_SHAPES
]

_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _to_date(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    if groups.get("month"):
        month = _MONTHS[groups["month"][:3].lower()]
    else:
        month = int(groups["nmonth"])
    year = int(groups["year"]) if groups.get("year") else 2000 + int(groups["year2"])
    try:
        return dt.date(year, month, int(groups["day"]))
    except ValueError:
        return None


def parse_date_line(line: str) -> dt.date | None:
    """The date a whole line states, or None when the line is anything else."""
    line = line.strip()
    if len(line) > 100:
        return None
    for pattern in _DATE_LINE:
        match = pattern.match(line)
        if match:
            return _to_date(match)
    return None


_UPDATE_STAMP = re.compile(r"^\s*(?:last\s+)?(?:updated|modified)\b", re.IGNORECASE)


def is_update_stamp(line: str) -> bool:
    """An "Updated: 22 October 1999" line dates a page revision, not the release.

    >>> is_update_stamp("Updated: 01-Jul-2003 June 2003"), is_update_stamp("26 June 2003")
    (True, False)
    """
    return bool(_UPDATE_STAMP.match(line))


def parse_date_value(value: str) -> dt.date | None:
    """A date field (JSON record, HTML meta): ISO date/date-time first, then any date-line shape."""
    value = value.strip()
    iso = _ISO_PREFIX.match(value)
    if iso:
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    return parse_date_line(value)


def date_from_name(name: str) -> dt.date | None:
    """``2022-12-21-kfor-jarinje-presence`` -> 2022-12-21; None without a full leading date."""
    iso = _ISO_PREFIX.match(name)
    if not iso:
        return None
    try:
        return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        return None
