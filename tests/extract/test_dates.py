"""Date expressions in press-release English (texts written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from kfgraph.extract.dates import find_dates, last_weekday, parse_date

D = dt.date
PUBLISHED = D(2023, 3, 10)  # a Friday

# (text, published, the one expected mention's text, its date, its precision)
CASES = [
    ("The drill ended on 14 February 2023 at noon.", PUBLISHED, "14 February 2023", D(2023, 2, 14), "day"),
    ("Troops arrived on 2 Feb. 2023.", PUBLISHED, "2 Feb. 2023", D(2023, 2, 2), "day"),
    ("The visit took place on February 14, 2023.", PUBLISHED, "February 14, 2023", D(2023, 2, 14), "day"),
    ("Updated: 05-Mar-2021 Press Advisory", None, "05-Mar-2021", D(2021, 3, 5), "day"),
    ("The report was filed on 2021-06-30.", None, "2021-06-30", D(2021, 6, 30), "day"),
    ("Signed in Skopje, 30.06.2021.", None, "30.06.2021", D(2021, 6, 30), "day"),
    ("A camp open day on the 3rd of March 2023 drew crowds.", PUBLISHED, "the 3rd of March 2023", D(2023, 3, 3), "day"),
    ("Patrols resumed on 8 March.", PUBLISHED, "8 March", D(2023, 3, 8), "day"),
    ("Mar. 9 (Agency) -- the mission said", PUBLISHED, "Mar. 9", D(2023, 3, 9), "day"),
    ("The clinic opened yesterday.", PUBLISHED, "yesterday", D(2023, 3, 9), "day"),
    ("The commander arrives today.", PUBLISHED, "today", D(2023, 3, 10), "day"),
    ("The talks resume tomorrow.", PUBLISHED, "tomorrow", D(2023, 3, 11), "day"),
    ("The unit left on Monday.", PUBLISHED, "Monday", D(2023, 3, 6), "day"),
    ("The bridge reopened Friday.", PUBLISHED, "Friday", D(2023, 3, 10), "day"),
    ("Shots were heard on Wednesday night.", PUBLISHED, "Wednesday", D(2023, 3, 8), "day"),
    ("The minister came on Tuesday (7 March 2023) to the camp.", PUBLISHED, "Tuesday (7 March 2023)", D(2023, 3, 7), "day"),
    ("A briefing follows on Friday, 10 March 2023 at 10h00.", PUBLISHED, "Friday, 10 March 2023", D(2023, 3, 10), "day"),
    ("Ministers agreed in November 2022 to keep the force.", PUBLISHED, "November 2022", None, "month"),
    ("In June this year the bridge was repaired.", PUBLISHED, "June this year", None, "month"),
    ("Engineers worked on the road during last week.", PUBLISHED, "last week", None, "week"),
]


@pytest.mark.parametrize(("text", "published", "surface", "expected", "precision"), CASES)
def test_find_dates_reads_each_form(text, published, surface, expected, precision):
    found = find_dates(text, published=published)
    assert [m.text for m in found] == [surface]
    mention = found[0]
    assert text[mention.start : mention.end] == surface
    assert mention.date == expected
    assert mention.precision == precision


def test_case_table_is_complete():
    assert len(CASES) == 20  # a shrinking table would hide lost coverage


def test_range_is_dated_by_its_first_day_and_keeps_its_end():
    for text in ("On 11 – 12 May 2022, the committee will visit.", "11-12 May 2022", "May 11-12, 2022"):
        (mention,) = find_dates(text, published=None)
        assert (mention.date, mention.end_date) == (D(2022, 5, 11), D(2022, 5, 12)), text


def test_day_without_year_takes_publication_year_moved_back_when_in_the_future():
    # why: a January release mentioning "28 December" means the previous December
    (mention,) = find_dates("The exercise ended on 28 December.", published=D(2023, 1, 4))
    assert mention.date == D(2022, 12, 28)
    (mention,) = find_dates("The exercise ended on 2 January.", published=D(2023, 1, 4))
    assert mention.date == D(2023, 1, 2)


def test_relative_dates_stay_unresolved_without_a_publication_date():
    # why: never invent a day; a weekday needs an anchor
    found = find_dates("On Monday, yesterday and 8 March the patrols went out.", published=None)
    assert [m.text for m in found] == ["Monday", "yesterday", "8 March"]
    assert all(m.date is None for m in found)


def test_weekday_on_publication_day_is_that_day_and_last_weekday_goes_back_a_week():
    assert last_weekday(4, D(2023, 3, 10)) == D(2023, 3, 10)
    assert last_weekday(5, D(2023, 3, 10)) == D(2023, 3, 4)
    (mention,) = find_dates("It happened last Friday.", published=D(2023, 3, 10))
    assert mention.date == D(2023, 3, 3)


def test_numbers_and_words_that_are_not_dates_are_ignored():
    # why: resolution numbers, counts, ages, times and the verb "may" look date-like
    text = "Resolution 1244 of 1999 keeps 3,500 troops from 28 nations; pupils 6 to 13 may 2 or 3 times meet at 11h15."
    assert find_dates(text, published=PUBLISHED) == []
    assert find_dates("visitors arrived monday", published=PUBLISHED) == []  # lower-case weekday is a word


def test_invalid_calendar_day_is_not_a_date():
    assert find_dates("on 31 February 2023", published=PUBLISHED) == []


def test_parse_date_reads_header_lines():
    assert parse_date("Nov 19 2019") == D(2019, 11, 19)
    assert parse_date("18 Feb. 2008") == D(2008, 2, 18)
    assert parse_date("2025-12-02 10:13:59 / AGENCY") == D(2025, 12, 2)
    assert parse_date("08:35, November 25, 2011") == D(2011, 11, 25)
    assert parse_date("last week") is None
    assert parse_date("Thursday") is None
