"""kfgraph.sources: files, HTML pages and JSON records -> Release."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from kfgraph.errors import ConfigurationError, UnreadableSourceError, UnsupportedSourceError
from kfgraph.sources import discover, normalize_text, read_releases, release_from_text
from kfgraph.sources.dates import parse_date_line
from kfgraph.sources.plaintext import split_dateline

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
DATA = Path(__file__).resolve().parents[1] / "data" / "releases"
SEED = DATA / "2022-12-21-kfor-jarinje-presence.txt"


def _one(path: Path):
    releases = read_releases(path)
    assert len(releases) == 1
    return releases[0]


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# --- the seed release -------------------------------------------------------


def test_seed_release() -> None:
    release = _one(SEED)
    assert release.identifier == "2022-12-21-kfor-jarinje-presence"
    assert release.source == str(SEED)
    assert release.date_published == dt.date(2022, 12, 21)
    assert release.dateline == "PRISTINA"
    assert release.title is None
    assert release.byline == "Story by KFOR Public Affairs Office"
    assert release.paragraphs[-1] == release.byline
    assert release.paragraphs[0].startswith("KFOR's recent increased presence in Jarinje")
    assert release.checksum == _sha(SEED.read_bytes())
    for footer in ("10000", "Media Operations", "Search our content", "KFOR HQ Pristina"):
        assert footer not in release.text
    assert "3,700 personnel from 27 countries" in release.text


# --- plain text: boilerplate, title, dateline, byline ----------------------


def test_kfor_site_page_boilerplate() -> None:
    release = _one(FIXTURES / "kfor-site-page.txt")
    assert release.title == "KFOR SOLDIERS CLEAN THE RIVER BANK IN VUSHTRRI"  # breadcrumb; repeated headline dropped
    assert release.date_published == dt.date(2023, 7, 4)  # from the text: the file name has no date
    assert release.dateline == "VUSHTRRI"
    assert release.byline == "Story by KFOR Public Affairs Office"  # double space collapsed
    assert release.paragraphs == (
        "Soldiers of KFOR joined local volunteers to clean the bank of the Sitnica river in Vushtrri/Vučitrn on 3 July 2023.",
        "Note for the Media:",  # a contact block in the body is part of the release
        "Point of contact: KFOR Spokesperson, Camp Film City",
        "Story by KFOR Public Affairs Office",
    )


def test_agency_rewrite_comments_and_teasers_dropped() -> None:
    release = _one(FIXTURES / "agency-rewrite.txt")
    assert release.title == "KFOR helicopter lands safely after technical fault"
    assert release.date_published == dt.date(2021, 3, 2)  # the date line, not the dateline's "March 1"
    assert release.dateline == "PRISTINA"
    assert release.byline == "Tanjug"  # the dateline's agency stands in for a missing byline (it is the author)
    assert release.paragraphs == (
        "A KFOR helicopter made a precautionary landing near Lipjan on Monday, the mission said.",
        "Nobody was injured.",
    )


@pytest.mark.parametrize(
    ("junk", "kind"),
    [
        ("Search our content", "search box"),
        ("KFOR / Media Center / Archive / News / 2019 / SOME TITLE", "breadcrumb"),
        ("Print", "print link"),
        ("Screenshot 46 2 1161x720 1 1100x620", "image caption"),
        ("If you would also like to subscribe to the newsletter, click below.", "newsletter"),
        ("Enter the email address you registered with and we will send you a code to reset your password.", "login"),
        ("Go to Homepage Go to Index", "navigation"),
    ],
)
def test_junk_lines_dropped(junk: str, kind: str) -> None:
    text = f"{junk}\n\nPRISTINA - KFOR soldiers visited a school in Obiliq.\n\n{junk}\n\nThey brought books."
    release = release_from_text(text, identifier="x", source="inline")
    assert all(junk not in p for p in release.paragraphs), kind
    assert release.paragraphs == ("KFOR soldiers visited a school in Obiliq.", "They brought books.")


@pytest.mark.parametrize(
    "footer",
    [
        "Search our content:\n\nKFOR HQ Pristina\nCamp Film City\n10000, Pristina",
        "KFOR HQ Pristina\nCamp Film City\n10000, Pristina",
        "Media Operations\n\nPublic Affairs Office\nCamp Film City\n10000, Pristina",
        "Check Also\n\nKFOR Commander visits Prizren\nMar 15 2021",
        "Happening now...\n\nKFOR Commander meets the Mayor of Zvečan",
        "3 Comments\nReader - What about Merdare?",
        "Leave a Reply\nYour email address will not be published.",
    ],
)
def test_footers_cut(footer: str) -> None:
    text = f"Title of the release\n\nPRISTINA – KFOR held a ceremony.\n\nStory by KFOR Public Affairs Office\n\n{footer}\n"
    release = release_from_text(text, identifier="x", source="inline")
    assert release.paragraphs == ("KFOR held a ceremony.", "Story by KFOR Public Affairs Office")


def test_byline_moved_last_and_contact_block_kept() -> None:
    text = (
        "PRISTINA - KFOR opened a clinic.\n\nStory by KFOR Public Affairs Office\n\n"
        "Note for the Media:\nPoint of contact for media opportunities: KFOR Spokesperson\n"
    )
    release = release_from_text(text, identifier="x", source="inline")
    assert release.byline == "Story by KFOR Public Affairs Office"
    assert release.paragraphs[-1] == release.byline
    assert "Note for the Media:" in release.paragraphs
    assert "Point of contact for media opportunities: KFOR Spokesperson" in release.paragraphs


def test_multiline_headline_and_caption() -> None:
    text = (
        "Updated: 19-Jul-2004 IMS Press Advisory\n\n\n19-20 July 2004\n\n"
        "Visit of the Military Committee to KFOR\non 19 – 20 JULY 2004\n\n"
        "On 19 – 20 July 2004, the Military Committee will visit KFOR.\n"
    )
    release = release_from_text(text, identifier="advisory", source="inline")
    assert release.title == "Visit of the Military Committee to KFOR on 19 – 20 JULY 2004"
    assert release.date_published == dt.date(2004, 7, 19)
    assert release.paragraphs == ("On 19 – 20 July 2004, the Military Committee will visit KFOR.",)
    captioned = release_from_text(
        "The soldiers during the patrol near the border.\n\nJoint patrol near the border\n\n"
        "The soldiers of RC-W patrolled the boundary line with the Kosovo Police for two days.\n",
        identifier="c",
        source="inline",
    )
    assert captioned.title == "Joint patrol near the border"
    assert captioned.paragraphs == ("The soldiers of RC-W patrolled the boundary line with the Kosovo Police for two days.",)


def test_update_stamp_gives_way_to_the_issue_date() -> None:
    # why: archived pages show when they were last revised above the day the release was issued
    text = "Updated: 03 March 2001 Press Releases\n\n\n27 Feb. 2001\n\nCommander visits the brigade\n\nThe commander visited the brigade.\n"
    assert release_from_text(text, identifier="x", source="inline").date_published == dt.date(2001, 2, 27)
    only_stamp = "Updated: 03 March 2001\n\nThe commander visited the brigade.\n"
    assert release_from_text(only_stamp, identifier="x", source="inline").date_published == dt.date(2001, 3, 3)


def test_no_title_when_body_starts_at_once() -> None:
    text = "PRISTINA - KFOR stated that the situation is calm.\n\nKFOR will continue its patrols.\n"
    release = release_from_text(text, identifier="x", source="inline")
    assert release.title is None
    assert release.date_published is None
    assert release.paragraphs == ("KFOR stated that the situation is calm.", "KFOR will continue its patrols.")


def test_date_from_file_name_only_as_fallback() -> None:
    body = "PRISTINA - KFOR held a ceremony.\n"
    assert release_from_text(body, identifier="2020-01-02-x", source="s").date_published == dt.date(2020, 1, 2)
    dated = release_from_text("Dec 21 2022\n\n" + body, identifier="2020-01-02-x", source="s")
    assert dated.date_published == dt.date(2022, 12, 21)  # the text wins over the file name
    assert release_from_text(body, identifier="2017-undated", source="s").date_published is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Dec 21 2022", dt.date(2022, 12, 21)),
        ("Dec\u00a021\u00a02022", dt.date(2022, 12, 21)),
        ("Nov 19 2019", dt.date(2019, 11, 19)),
        ("Updated: 19-Jul-2004 IMS Press Advisory", dt.date(2004, 7, 19)),
        ("18 Feb. 2008", dt.date(2008, 2, 18)),
        ("08:35, November 25, 2011", dt.date(2011, 11, 25)),
        ("2025-12-02 10:13:59 / KOSOVA ALFA PRESS", dt.date(2025, 12, 2)),
        ("19-20 July 2004", dt.date(2004, 7, 19)),
        ("19 – 20 July 2004", dt.date(2004, 7, 19)),
        ("Tuesday, 20 July 2004", dt.date(2004, 7, 20)),
        ("September 3, 2014", dt.date(2014, 9, 3)),
        ("Sept. 3, 2014", dt.date(2014, 9, 3)),
        ("Published: 4 March 2025", dt.date(2025, 3, 4)),
        ("November 14, 2023 | 09:12", dt.date(2023, 11, 14)),
        ("21.12.2022", dt.date(2022, 12, 21)),
        ("1st June 2021 at 10:00 CET", dt.date(2021, 6, 1)),
        ("On 19 July 2004 the Committee visited KFOR.", None),
        ("June 2021", None),
        ("Feb 30 2021", None),
        ("KFOR Regional Command West", None),
    ],
)
def test_date_line_shapes(line: str, expected: dt.date | None) -> None:
    assert parse_date_line(normalize_text(line)) == expected


@pytest.mark.parametrize(
    ("paragraph", "place", "rest"),
    [
        ("PRISTINA - KFOR held", "PRISTINA", "KFOR held"),
        ("Pristina – Major General Risi", "Pristina", "Major General Risi"),
        ("PRISTINA, Nov. 24 (Xinhua) -- NATO troops", "PRISTINA", "NATO troops"),
        ("PRISTINA, Serbia-Montenegro, June 10 (AFP) - KFOR", "PRISTINA", "KFOR"),
        ("CAMP BONDSTEEL, Kosovo — Soldiers", "CAMP BONDSTEEL", "Soldiers"),
        ("GRAČANICA – The team", "GRAČANICA", "The team"),
        ("Major General Risi – the new commander", None, "Major General Risi – the new commander"),
        ("The exercise – a success – ended", None, "The exercise – a success – ended"),
        ("In Pristina – the capital", None, "In Pristina – the capital"),
    ],
)
def test_datelines(paragraph: str, place: str | None, rest: str) -> None:
    assert split_dateline(normalize_text(paragraph)) == (place, rest)


# --- normalisation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Pej\u0451", "Pejë"),  # Cyrillic ё inside a Latin word
        ("K\u043eSOVO", "KoSOVO"),  # Cyrillic о inside a Latin word
        ("\u041f\u0440\u0438\u0448\u0442\u0438\u043d\u0430", "\u041f\u0440\u0438\u0448\u0442\u0438\u043d\u0430"),  # wholly Cyrillic: kept
        ("#NATO–led #KFOR", "NATO-led KFOR"),
        ("NATO—led", "NATO-led"),
        ("19–20 July", "19-20 July"),
        ("Pristina - KFOR", "Pristina – KFOR"),
        ("Pristina -- KFOR", "Pristina – KFOR"),
        ("Pristina — KFOR", "Pristina – KFOR"),
        ("KFOR’s “mission”", "KFOR's \"mission\""),
        ("D‘Addario", "D'Addario"),
        ("a\u00a0b\u202fc\u2009d", "a b c d"),
        ("a   b\t\tc", "a b c"),
        ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
        ("ﬁnal", "final"),  # NFKC ligature
        ("Resolution #1244", "Resolution #1244"),  # not a hashtag
        ("  line one  \n  line two ", "line one\nline two"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalisation_applies_to_all_fields() -> None:
    text = "#KFOR’s “Steel” Day\n\nPEJË – Soldiers met in Pej\u0451.\n\nStory by RC\u2013W Public Affairs Office\n"
    release = release_from_text(text, identifier="n", source="inline")
    assert release.title == "KFOR's \"Steel\" Day"
    assert release.paragraphs == ("Soldiers met in Pejë.", "Story by RC-W Public Affairs Office")
    assert release.byline == "Story by RC-W Public Affairs Office"


# --- HTML --------------------------------------------------------------------


def test_saved_html_page() -> None:
    path = FIXTURES / "saved-page.html"
    release = _one(path)
    assert release.identifier == "saved-page"
    assert release.title == "KFOR donates books to a library in Gjilan"  # og:title; the h1 repeat is dropped
    assert release.date_published == dt.date(2021, 11, 5)  # article:published_time
    assert release.url == "https://example.org/news/kfor-donates-books"
    assert release.dateline == "GJILAN"
    assert release.checksum == _sha(path.read_bytes())
    assert release.paragraphs == (
        "Soldiers of Regional Command-East donated two hundred books to the city library in Gjilan/Gnjilane on 4 November 2021.",
        "The library director thanked KFOR for the books.",
        "The books are in three languages.",
    )
    for furniture in ("script text", "navigation bar", "aside", "10000", "color"):
        assert furniture not in release.text


def test_html_fallbacks_time_element_and_h1(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_text(
        "<html><body><main><h1>KFOR opens clinic</h1><time datetime='2020-03-04T10:00'>4 March</time>"
        "<p>KFOR opened a clinic in Prizren.</p></main></body></html>",
        encoding="utf-8",
    )
    release = _one(page)
    assert (release.title, release.date_published) == ("KFOR opens clinic", dt.date(2020, 3, 4))
    assert release.paragraphs == ("KFOR opened a clinic in Prizren.",)
    page.write_text("<html><head><title>Camp news | KFOR</title></head><body><p>Mar 5 2020</p>"
                    "<p>KFOR opened a road.</p></body></html>", encoding="utf-8")
    release = _one(page)
    assert (release.title, release.date_published) == ("Camp news", dt.date(2020, 3, 5))  # <title>, date line


def test_html_without_body_text() -> None:
    with pytest.raises(UnreadableSourceError, match="HTML page has no body text"):
        read_releases(FIXTURES / "no-body.html")


# --- JSON records ----------------------------------------------------------------


def test_json_list_of_records() -> None:
    path = FIXTURES / "records.json"
    first, second = read_releases(path)
    assert (first.identifier, first.title, first.date_published) == ("rec-one", "First record", dt.date(2020, 5, 1))
    assert (first.url, first.dateline, first.byline) == ("https://example.org/rec-one", "PRISTINA", "Story by KFOR Public Affairs Office")
    assert first.paragraphs == ("KFOR opened a new clinic.", "Story by KFOR Public Affairs Office")
    assert second.identifier == "rec-two-draft"  # not IRI-safe: slugified
    assert second.title == "Second record headline"  # from the body when the record has none
    assert second.date_published == dt.date(2020, 5, 2)
    record = json.loads(path.read_text(encoding="utf-8"))[0]
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert first.checksum == _sha(canonical.encode("utf-8"))
    assert first.checksum != second.checksum
    assert {first.source, second.source} == {str(path)}


def test_single_json_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "solo", "title": "Solo", "date": "2022-02-02", "body": "KFOR met."}), encoding="utf-8")
    (release,) = read_releases(path)
    assert (release.identifier, release.paragraphs, release.url) == ("solo", ("KFOR met.",), None)


def test_jsonl_records() -> None:
    first, second = read_releases(FIXTURES / "briefs.jsonl")
    assert (first.identifier, first.date_published, first.title) == ("line-one", dt.date(2021, 1, 10), "Line one")
    assert (second.identifier, second.date_published, second.title) == ("line-two", None, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"id": "a", "title": "t"}]', "record 0 (id \"a\"): missing field 'body'"),
        ('[{"body": "KFOR met."}]', "record 0: missing field 'id'"),
        ('{"id": "a", "body": 3}', "field 'body' must be a string"),
        ('{"id": "a", "body": "KFOR met.", "date": "someday"}', "field 'date' is not a date: 'someday'"),
        ('[{"id": "a", "body": "x."}, {"id": "a", "body": "y."}]', "record 1 (id \"a\"): duplicate id"),
        ("[1]", "record 0: expected a JSON object"),
        ("[]", "no records"),
    ],
)
def test_json_record_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableSourceError) as caught:
        read_releases(path)
    assert message in caught.value.reason
    assert caught.value.source == str(path)


def test_truncated_json() -> None:
    with pytest.raises(UnreadableSourceError, match=r"not valid JSON: .* \(the file looks truncated\)"):
        read_releases(FIXTURES / "truncated.json")


def test_bad_jsonl_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "body": "KFOR met."}\n{"id": "b", "body": \n', encoding="utf-8")
    with pytest.raises(UnreadableSourceError, match="line 2 is not valid JSON"):
        read_releases(path)


# --- unreadable and unsupported files ------------------------------------------


def test_not_utf8_reports_byte_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(b"PRISTINA - KFOR visited Pej" + "\u00eb".encode("cp1252") + b".\n")
    with pytest.raises(UnreadableSourceError) as caught:
        read_releases(path)
    assert caught.value.reason == "not UTF-8: invalid byte 0xeb at offset 27"


def test_utf8_bom_accepted_and_offset_counts_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfPRISTINA - KFOR met.\n")
    assert _one(path).paragraphs == ("KFOR met.",)
    path.write_bytes(b"\xef\xbb\xbfKFOR \xe9\n")
    with pytest.raises(UnreadableSourceError, match="invalid byte 0xe9 at offset 8"):
        read_releases(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty: whitespace only"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file: NUL byte at offset 8"),
        (bytes(range(1, 32)) * 4 + b"KFOR", "binary file: "),
        ("\ufeffKFOR".encode("utf-16"), "UTF-16 text is not supported"),
        (b"Search our content\n\nPrint\n", "no release text left after removing page boilerplate"),
    ],
)
def test_unreadable_files(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(UnreadableSourceError) as caught:
        read_releases(path)
    assert message in caught.value.reason
    assert str(caught.value) == f"{path}: {caught.value.reason}"


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "release.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(UnsupportedSourceError, match=r"unsupported file type \(\.pdf\)"):
        read_releases(path)


def test_release_from_text_empty() -> None:
    with pytest.raises(UnreadableSourceError, match="empty"):
        release_from_text("  \n ", identifier="x", source="post")


# --- discover ---------------------------------------------------------------------


def test_discover(tmp_path: Path) -> None:
    root = tmp_path / "data"
    (root / "releases" / "sub").mkdir(parents=True)
    (root / "gazetteer").mkdir()
    (root / ".hidden").mkdir()
    files = {
        "releases/b.txt": "x",
        "releases/b.json": "{}",  # answer key beside b.txt
        "releases/a.html": "x",
        "releases/sub/c.jsonl": "x",
        "releases/records.json": "[]",  # no b-side .txt: a release file
        "releases/.draft.txt": "x",
        "releases/notes.md": "x",
        "gazetteer/places.json": "{}",
        ".hidden/d.txt": "x",
        "README.md": "x",
    }
    for name, content in files.items():
        (root / name).write_text(content, encoding="utf-8")
    found = [p.relative_to(root).as_posix() for p in discover([root, root / "releases" / "b.txt", root / "README.md"])]
    assert found == ["releases/a.html", "releases/b.txt", "releases/records.json", "releases/sub/c.jsonl", "README.md"]


def test_discover_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no such file or folder"):
        list(discover([tmp_path / "nope"]))


def test_identifier_kept_or_slugified(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "Jarinje presence (copy).txt")
    assert _one(tmp_path / "Jarinje presence (copy).txt").identifier == "jarinje-presence-copy"
    assert _one(SEED).identifier == SEED.stem


# --- the sample data in data/releases --------------------------------------------


def test_sample_data_reads_cleanly() -> None:
    files = list(discover([DATA]))
    releases = [r for f in files for r in read_releases(f)]
    assert len(files) == 11 and len(releases) == 13
    assert len({r.identifier for r in releases}) == 13
    years = {r.date_published.year for r in releases if r.date_published}
    assert years == set(range(2019, 2026))
    by_id = {r.identifier: r for r in releases}
    assert "Pejë/Peć" in by_id["2024-04-17-rcw-exercise-steel-falcon"].text
    assert by_id["2025-03-04-kfor-statement-northern-kosovo"].paragraphs[0].startswith("NATO-led KFOR remains")
    assert "Major General Enrico BARDUANI" in by_id["2024-10-11-kfor-change-of-command-barduani"].text
    for release in releases:
        assert not any(marker in release.text for marker in ("10000", "Media Operations", "Comments", "Check Also"))


def test_doctests_in_sources() -> None:
    import doctest

    from kfgraph.sources import dates, identifiers, links, normalize

    for module in (dates, identifiers, links, normalize):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_slash_names_are_not_breadcrumbs() -> None:
    text = "Pristina / Prishtinë / Priština hosts a fair\n\nKFOR soldiers visited the fair in the city.\n"
    release = release_from_text(text, identifier="x", source="inline")
    assert release.title == "Pristina / Prishtinë / Priština hosts a fair"


# --- held-out genre forms (tests/fixtures/heldout) ---------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 07/09/2012 14:20", dt.date(2012, 9, 7)),  # European sites write day/month/year
        ("2021. 10. 15.", dt.date(2021, 10, 15)),  # Hungarian order
        ("03 Jun 13", dt.date(2013, 6, 3)),  # two-digit year (Balkan Insight)
        ("March 7, 2023 ·", dt.date(2023, 3, 7)),  # Facebook post header
        ("Fri Sep 16, 2011 10:42am EDT", dt.date(2011, 9, 16)),
    ],
)
def test_more_date_line_shapes(line: str, expected: dt.date) -> None:
    assert parse_date_line(line) == expected


def test_agency_byline_and_date_under_it() -> None:
    # why: a byline line between headline and date used to open the body, losing date and dateline
    text = ("NATO to cut force\n\nBy JANE ROE, Associated Press Writer\n\nJune 12, 2009 4:31 PM\n\n"
            "PRISTINA, Kosovo (AP) — NATO will reduce its force in Kosovo, the commander said Friday.\n")
    release = release_from_text(text, identifier="x", source="s")
    assert (release.title, release.date_published, release.dateline) == ("NATO to cut force", dt.date(2009, 6, 12), "PRISTINA")
    assert release.byline == "By JANE ROE, Associated Press Writer"
    assert release.paragraphs[0].startswith("NATO will reduce")


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("Title here\n\n2024-06-12 14:05:10 / TELEGRAFI\n\nKFOR held a long training with local experts today.\n", "TELEGRAFI"),
        ("Title here\n\nPRISTINA, Oct. 3 (Xinhua) -- KFOR got a new commander on Friday at a ceremony.\n", "Xinhua"),
        ("Title here\n\nPristina (AFP) - A German general took over KFOR on Friday at a ceremony.\n", "AFP"),
    ],
)
def test_agency_is_the_byline_when_there_is_none(text: str, agency: str) -> None:
    # why: the publishing agency is an organization of the release (dev keys list Xinhua, KOSOVA ALFA PRESS)
    assert release_from_text(text, identifier="x", source="s").byline == agency


def test_credits_in_header_are_kept_after_the_body() -> None:
    # why: "Editor: NAME" under the source line opened the body, so the dateline was not cut off
    text = ("Turkish general takes command\n\nSource: Xinhua\nEditor: Wang Xi\n2025-10-04 01:15:30\n\n"
            "PRISTINA, Oct. 3 (Xinhua) -- A Turkish general took over KFOR on Friday at Camp Film City.\n")
    release = release_from_text(text, identifier="x", source="s")
    assert release.dateline == "PRISTINA" and release.date_published == dt.date(2025, 10, 4)
    assert release.paragraphs == ("A Turkish general took over KFOR on Friday at Camp Film City.", "Source: Xinhua",
                                  "Editor: Wang Xi")


def test_source_line_names_a_body_of_the_release() -> None:
    # why: church, ministry and agency pages end or open with "Source: <body>", which keys list as an organization
    text = "PRISTINA - The bishop welcomed the general at the monastery.\n\nSource: Eparchy of Example\n"
    assert release_from_text(text, identifier="x", source="s").paragraphs[-1] == "Source: Eparchy of Example"


def test_byline_on_the_date_line_is_kept() -> None:
    # why: some page stores print "date 2021-07-02 By Site Name" as one line
    text = " date 2021-07-02 By Balkan Daily\n\nThe commander met the mayor on Thursday.\n"
    release = release_from_text(text, identifier="x", source="s")
    assert release.date_published == dt.date(2021, 7, 2) and release.byline == "By Balkan Daily"


def test_masthead_with_a_dash_is_not_a_dateline() -> None:
    # why: "Site.hu – Owner" matched the dateline shape and the headline was lost
    text = "Honvédelem.hu – Hungarian Defence Forces\n\n2021. 10. 15.\n\nFirst Hungarian commander\n\nGeneral X took over command.\n"
    release = release_from_text(text, identifier="x", source="s")
    assert release.dateline is None and release.date_published == dt.date(2021, 10, 15)


@pytest.mark.parametrize(
    ("tail", "dropped"),
    [
        ("Read more:\nKosovo Police arrest suspects in Leposavic", "Leposavic"),
        ("Most relevant\nArdit\nBravo KFOR! Greetings from Kamenica", "Kamenica"),
        ("All rights reserved. Ministry of National Defence, Ankara", "Ankara"),
        ("© 2012 AFP", "AFP"),
        ("👍 1.2K   💬 48   ↗ 31", "1.2K"),
    ],
)
def test_more_footer_markers(tail: str, dropped: str) -> None:
    # why: teasers, comments and copyright lines are not part of the release (corpus README policy)
    text = f"Title here\n\nPRISTINA – KFOR patrolled the area today.\n\n{tail}\n"
    assert all(dropped not in p for p in release_from_text(text, identifier="x", source="s").paragraphs)


def test_dateline_with_bilingual_place_and_year() -> None:
    # why: "PEJË/PEĆ – " and "PRISTINA, 8 October 1999 - " are datelines too
    assert split_dateline("PEJË/PEĆ – Regional Command West completed")[0] == "PEJË/PEĆ"
    assert split_dateline("PRISTINA, 8 October 1999 – General X handed over")[0] == "PRISTINA"


def test_one_word_breadcrumb_section_is_not_the_title() -> None:
    text = "Home › News › Kosovo\n\nKFOR Removes Barricade\n\n03 Jun 13\n\nKFOR soldiers removed a barricade on Monday.\n"
    release = release_from_text(text, identifier="x", source="s")
    assert release.title == "KFOR Removes Barricade" and release.date_published == dt.date(2013, 6, 3)
