"""Scraped page text -> Release: boilerplate, date line, title, dateline, byline.

The text is read as lines (one paragraph per line, as scraped pages give it).
In order:

1. every line is normalised (``normalize_text``);
2. a breadcrumb ("KFOR / Media Center / ... / TITLE") gives the title, and
   everything above it is page header;
3. junk lines are dropped wherever they are (search box, "Print",
   "Screenshot ...", newsletter/login prompts, "Go to Homepage ...");
4. the header is read block by block: date lines (the first one is the
   publication date), a headline (one to three short lines without closing
   punctuation; a photo caption above it is dropped), a repeated headline;
5. the body starts at the first paragraph after that; a dateline
   ("PRISTINA - ", "PRISTINA, Nov. 24 (Xinhua) -- ") is cut off its first
   paragraph and kept apart;
6. the site footer, comments and teasers are cut from their first marker on;
7. a byline ("Story by ...", "By NAME, Associated Press Writer") is kept as the
   last paragraph; credit lines ("Editor: NAME", "(Reporting by NAME)") in the
   header are kept after the body. Without a byline, the agency a dateline or
   date line names ("PRISTINA, Nov. 24 (Xinhua) --", "2025-12-02 10:13:59 /
   KOSOVA ALFA PRESS") is the byline (it is not added to the paragraphs).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kfgraph.errors import UnreadableSourceError
from kfgraph.models import Release
from kfgraph.sources.decoding import checksum as checksum_of
from kfgraph.sources.dates import date_from_name, is_update_stamp, parse_date_line
from kfgraph.sources.normalize import normalize_text

_BREADCRUMB_SEP = re.compile(r"\s+[/»›>|]\s+")

_JUNK = re.compile(
    r"^(?:search our content:?|search|print|print this page|share|share this:?|tweet|email|"
    r"back|back to top|go to homepage|go to index|go to homepage go to index|menu|"
    r"toggle navigation|skip to (?:main )?content|read more|(?:kfor|nato)|"
    r"screenshot\b.{0,80}|\S+\.(?:jpe?g|png|gif|webp)|"
    r"(?:nato |kfor )?home|news|press releases?|newsroom|back to [\w ]{1,40}"  # navigation lines
    r")$"
    r"|\bnewsletter\b|\bpassword\b|\bsubscribe\b|download videos|receive a code|send new code"
    r"|\blog (?:in|out)\b|\bsign (?:in|up)\b|cookie policy|accept (?:all )?cookies|uses cookies",
    re.IGNORECASE,
)

# Markers that end the release: everything from the first one on is site furniture.
_FOOTER = re.compile(
    r"^(?:search our content:|check also:?|happening now\.*|leave a (?:reply|comment)|"
    r"\d* ?comments?(?: \(\d+\))?:?|related(?: \w+){0,2} (?:posts|articles|news|stories):?|"
    r"you may also like:?|more news:?|recommended for you:?|read more:|see also:?|related:|"
    r"most relevant|newest|all comments|top comments|view (?:more|all) comments|"
    r"(?:(?:copyright|all rights reserved)\b|©|\(c\) ?\d{4}).{0,120})$"
    # a reactions bar ("👍 1.2K 💬 48 ↗ 31"): symbols and counts only
    r"|^(?=.*[\u2190-\u2bff\U0001f000-\U0001faff])[^A-Za-z]*(?:\d+(?:[.,]\d+)?[KkMm]?[^A-Za-z]*)+$",
    re.IGNORECASE,
)
_ADDRESS_START = re.compile(r"^(?:address|kfor hq pristina|media operations)$", re.IGNORECASE)
_ADDRESS_BODY = re.compile(r"camp film city|10000,? pristina", re.IGNORECASE)
_TRAILING_CONTACT = re.compile(r"^tel\b.*\bfax\b", re.IGNORECASE)

_BYLINE = re.compile(
    r"^(?:courtesy )?(?:story|text|article|report|photos?|story and photos?|written) by\s+\S.{1,100}$"
    # "By NEBI QENA, Associated Press Writer", "by Capt. Ioana Popescu, MNTF-C PIO": a capitalised name
    r"|^by\s+(?-i:[A-Z][\w.'’/-]*)(?:\s+(?-i:[A-Z][\w.'’/-]*)){0,4}(?:,\s*[^.]{1,60})?$",
    re.IGNORECASE,
)
# Credits that name persons or bodies: "Editor: Wang Xi", "Photo: Lt. Col. X", "(Reporting by X; Editing by Y)",
# "Source: Xinhua". They are kept after the body, where extraction reads them.
_CREDIT = re.compile(
    r"^\(?(?:(?:additional )?reporting|writing|editing|photos?|video|camera|text)(?: by|:)\s+\S.{1,100}\)?$"
    r"|^(?:editor|author|photo|photos|photographer|correspondent)s?:\s*\S.{1,60}$"
    r"|^source:\s*\S.{1,60}$",  # "Source: Diocese of Raska-Prizren": the body the text comes from
    re.IGNORECASE,
)
_AGENCY = re.compile(r"^[A-Za-z][A-Za-z .&/-]{1,40}$")
_BY_AFTER_DATE = re.compile(r"\s(By\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})\s*$")

# "PRISTINA - ", "Pristina – ", "PRISTINA, Nov. 24 (Xinhua) -- ",
# "PRISTINA, Serbia-Montenegro, June 10 (AFP) - ", "CAMP BONDSTEEL, Kosovo – "
_PLACE_WORD = r"[^\W\d_][\w'.\-]*(?:/[^\W\d_][\w'.\-]*)?"  # "PEJË/PEĆ"
_DATELINE_EXTRA = (
    r"(?:, ?[^\W\d_][\w.\-]*(?: [^\W\d_][\w.\-]*)?)*"  # ", Serbia-Montenegro", ", Kosovo"
    r"(?:, ?[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?|, ?\d{1,2} [A-Z][a-z]{2,8}\.?(?: \d{4})?)?"  # ", Nov. 24", ", 8 October 1999"
    r"(?: ?\((?P<agency>[A-Za-z .\-/]{2,30})\))?"  # " (Xinhua)"
)
_DATELINE = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}})(?P<extra>{_DATELINE_EXTRA}) – (?=\S)")
_NOT_A_PLACE = frozenset(
    "major general colonel lieutenant brigadier admiral captain sergeant mr ms mrs dr president "
    "minister the a an kfor nato in on at for with after during today yesterday this these our we it".split()
)

_CLOSING = "\"')]"


@dataclass(frozen=True)
class _Parsed:
    title: str | None
    date: dt.date | None
    dateline: str | None
    byline: str | None
    paragraphs: tuple[str, ...]


@dataclass
class _Header:
    title: str | None
    date: dt.date | None = None
    agency: str | None = None
    credits: list[str] | None = None  # byline and credit lines read in the header
    date_is_update: bool = False  # the date came from an "Updated:" stamp, which a plain date line overrides


_NAV_SEGMENT = re.compile(
    r"^(?:kfor|nato|home|news|archive|media cent(?:er|re)|press releases?|newsroom|(?:19|20)\d\d)$", re.IGNORECASE
)


def _is_breadcrumb(line: str) -> bool:
    """"KFOR / Media Center / Archive / News / 2019 / TITLE", "Home › News › Kosovo"."""
    parts = _BREADCRUMB_SEP.split(line)
    return len(parts) >= 3 and all(parts) and sum(bool(_NAV_SEGMENT.match(p)) for p in parts[:-1]) >= 2


def _breadcrumb_title(line: str) -> str | None:
    """"KFOR / Media Center / Archive / News / 2019 / TITLE" -> "TITLE" (a one-word section is no title)."""
    if _is_breadcrumb(line):
        last = _BREADCRUMB_SEP.split(line)[-1]
        return last if len(last.split()) >= 2 else None
    return None


_DATE_AGENCY = re.compile(r"\s[/|]\s*(?P<agency>[^/|]{2,40})$")


def _agency_of_date_line(line: str) -> str | None:
    """"2025-12-02 10:13:59 / KOSOVA ALFA PRESS" -> "KOSOVA ALFA PRESS"."""
    m = _DATE_AGENCY.search(line)
    if m is None or not _AGENCY.match(m["agency"].strip()) or parse_date_line(m["agency"]) is not None:
        return None
    return m["agency"].strip()


def _is_credit(line: str) -> bool:
    return bool(_BYLINE.match(line) or _CREDIT.match(line))


def _is_title_line(line: str) -> bool:
    stripped = line.rstrip(_CLOSING)
    words = line.split()
    return (
        2 <= len(words) <= 25
        and bool(stripped)
        and stripped[-1] not in ".,;:"
        and not _BYLINE.match(line)
        and split_dateline(line)[0] is None
    )


def _dateline_match(paragraph: str) -> re.Match[str] | None:
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    words = match.group("place").split()
    shouted = all(w.isupper() for w in words)  # "PRISTINA", "CAMP FILM CITY"
    named = len(words) <= 3 and all(w[0].isupper() and not w.isupper() for w in words)  # "Pristina"
    if not (shouted or named) or words[0].lower().strip(".") in _NOT_A_PLACE:
        return None
    return match


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """``"PRISTINA – KFOR ..."`` -> ``("PRISTINA", "KFOR ...")``; ``(None, paragraph)`` without one."""
    match = _dateline_match(paragraph)
    return (None, paragraph) if match is None else (match.group("place"), paragraph[match.end():])


def _opens_body(line: str) -> bool:
    """A dateline followed by a sentence ("PRISTINA – KFOR held ..."), not a masthead ("Site.hu – Owner")."""
    place, rest = split_dateline(line)
    return place is not None and (len(rest.split()) > 6 or rest.rstrip(_CLOSING)[-1:] in (".", "!", "?"))


def dateline_agency(paragraph: str) -> str | None:
    """``"PRISTINA, Nov. 24 (Xinhua) -- ..."`` -> ``"Xinhua"``; None without an agency in a dateline."""
    match = _dateline_match(paragraph)
    return match.group("agency").strip() if match is not None and match.group("agency") else None


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _split_header(blocks: list[list[str]], header: _Header) -> list[list[str]]:
    """Read date lines, credits and the headline off the top into ``header``; return the body blocks."""
    body = _read_header(blocks, header)
    if header.date is None:  # a date line just under a first paragraph or credit ("June 12, 2009 4:31 PM")
        for block in body[:3]:
            for line in block:
                if len(line.split()) <= 12 and parse_date_line(line) is not None:
                    header.date = parse_date_line(line)
                    header.agency = header.agency or _agency_of_date_line(line)
                    block.remove(line)
                    return [b for b in body if b]
    return body


def _read_header(blocks: list[list[str]], header: _Header) -> list[list[str]]:
    title = header.title
    captions: list[list[str]] = []
    title_found = title is not None
    credits = header.credits if header.credits is not None else []
    header.credits = credits
    for index, block in enumerate(blocks):
        header.title = title
        if index >= 8:
            return captions + blocks[index:]
        kept: list[str] = []
        for line in block:
            line_date = parse_date_line(line)
            if line_date is not None and (by := _BY_AFTER_DATE.search(line)):
                credits.append(by.group(1))  # "date 2021-07-02 By Eurasia Review": a date and a byline on one line
            if line_date is not None:
                if header.date is None:
                    header.date = line_date
                    header.agency = _agency_of_date_line(line)
                    header.date_is_update = is_update_stamp(line)
                elif header.date_is_update and not is_update_stamp(line):
                    # "Updated: 22 October 1999" then "21 Oct. 1999": the page was revised after it was issued
                    header.date, header.date_is_update = line_date, False
            elif _is_credit(line) and not (kept and not title_found):
                credits.append(line)  # "By NEBI QENA, Associated Press Writer", "Editor: Wang Xi"
            elif title is not None and line.casefold() == title.casefold():
                continue  # the headline repeated under the breadcrumb or date
            else:
                kept.append(line)
        if not kept:
            continue
        if _opens_body(kept[0]):
            return captions + [kept] + blocks[index + 1:]
        run = 0
        while run < min(len(kept), 3) and _is_title_line(kept[run]):
            run += 1
        heading = " ".join(kept[:run])
        if not title_found and run and len(heading.split()) <= 25 and len(captions) <= 1:
            title, title_found = heading, True
            header.title = title
            captions = [c for c in captions if len(c) > 1 or len(c[0].split()) > 40]
            rest = kept[run:]
            if rest:
                return captions + [rest] + blocks[index + 1:]
            continue
        if title_found or captions:
            return captions + [kept] + blocks[index + 1:]
        captions.append(kept)
    header.title = title
    return captions


_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’')\]]\s*$|#\w#$")


def _hard_wrapped(block: list[str]) -> bool:
    """Wire copy wrapped at a fixed width: most lines 55-100 characters long, most of them ending mid-sentence
    (a list of short headings or links is not)."""
    wrapped = [line for line in block if 55 <= len(line) <= 100]
    open_ended = [line for line in wrapped if not _ENDS_SENTENCE.search(line)]
    return len(block) >= 3 and len(wrapped) >= 0.6 * len(block) and len(open_ended) >= 0.5 * len(block)


def _unwrap(block: list[str]) -> list[str]:
    """Join the lines of a hard-wrapped paragraph ("... the commander of NATO's Allied Forces Southern" /
    "Europe, Admiral ..."): in such a block a line that ends mid-sentence continues on the next line."""
    if not _hard_wrapped(block):
        return block
    out: list[str] = []
    for line in block:
        if out and not _ENDS_SENTENCE.search(out[-1]) and line[:1] not in "•·*-–—":  # a bullet starts an item
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _cut_footer(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if index == 0:
            continue
        if _FOOTER.match(line):
            return lines[:index]
        if _ADDRESS_START.match(line) and any(_ADDRESS_BODY.search(n) for n in lines[index + 1 : index + 4]):
            return lines[:index]
    while lines and _TRAILING_CONTACT.match(lines[-1]):
        lines = lines[:-1]
    return lines


def parse_page_text(text: str, *, title: str | None = None) -> _Parsed:
    """Clean one page's text; ``title`` (from HTML or JSON) overrides the headline."""
    lines = [normalize_text(line) for line in text.split("\n")]
    found_title = title
    for index, line in enumerate(lines[:25]):
        crumb = _breadcrumb_title(line)
        if crumb is not None:
            found_title = found_title or crumb
            lines = lines[index + 1:]
            break
    lines = ["" if _JUNK.search(line) or _is_breadcrumb(line) else line for line in lines]
    header = _Header(found_title)
    body_blocks = _split_header(_blocks(lines), header)
    body = _cut_footer([line for block in body_blocks for line in _unwrap(block)])
    dateline = agency = None
    if body:
        # the dateline opens the first paragraph, or the second under a headline left in the body
        at = 1 if len(body) > 1 and _is_title_line(body[0]) and _opens_body(body[1]) else 0
        agency = dateline_agency(body[at])
        dateline, first = split_dateline(body[at])
        body[at] = first
    credits = header.credits or []
    bylines = [line for line in [*credits, *body] if _BYLINE.match(line)]
    paragraphs = [line for line in body if line and not _BYLINE.match(line)]
    paragraphs += [line for line in credits if not _BYLINE.match(line)]
    byline = bylines[-1] if bylines else None
    if byline:
        paragraphs.append(byline)
    return _Parsed(header.title, header.date, dateline, byline or agency or header.agency, tuple(paragraphs))


def build_release(
    text: str,
    *,
    identifier: str,
    source: str,
    checksum: str,
    title: str | None = None,
    date: dt.date | None = None,
    url: str | None = None,
) -> Release:
    """The shared end of every source form: clean ``text`` and make the Release.

    ``title``/``date`` given by the container (HTML meta, JSON fields) win over
    what the text shows; the identifier's leading ``YYYY-MM-DD`` is the last
    resort for the date.
    """
    if not text.strip():
        raise UnreadableSourceError(source, "empty: the release has no text")
    parsed = parse_page_text(text, title=normalize_text(title) if title else None)
    if not parsed.paragraphs:
        raise UnreadableSourceError(source, "no release text left after removing page boilerplate")
    return Release(
        identifier=identifier,
        source=source,
        title=parsed.title or None,
        date_published=date or parsed.date or date_from_name(identifier),
        dateline=parsed.dateline,
        byline=parsed.byline,
        paragraphs=parsed.paragraphs,
        checksum=checksum,
        url=url,
    )


def release_from_text(text: str, *, identifier: str, source: str) -> Release:
    """A plain-text release (file body or ``POST /validate`` text/plain).

    The checksum is of the text's UTF-8 bytes.
    """
    return build_release(
        text, identifier=identifier, source=source, checksum=checksum_of(text.encode("utf-8"))
    )
