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
7. a byline ("Story by ...") is kept as the last paragraph.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kfgraph.errors import UnreadableSourceError
from kfgraph.models import Release
from kfgraph.sources.decoding import checksum as checksum_of
from kfgraph.sources.dates import date_from_name, parse_date_line
from kfgraph.sources.normalize import normalize_text

_BREADCRUMB_SEP = re.compile(r"\s+[/»›>]\s+")

_JUNK = re.compile(
    r"^(?:search our content:?|search|print|print this page|share|share this:?|tweet|email|"
    r"back|back to top|go to homepage|go to index|go to homepage go to index|menu|"
    r"toggle navigation|skip to (?:main )?content|read more|(?:kfor|nato)|"
    r"source: ?\S.{0,40}|screenshot\b.{0,80}|\S+\.(?:jpe?g|png|gif|webp)"
    r")$"
    r"|\bnewsletter\b|\bpassword\b|\bsubscribe\b|download videos|receive a code|send new code"
    r"|\blog (?:in|out)\b|\bsign (?:in|up)\b|cookie policy|accept (?:all )?cookies|uses cookies",
    re.IGNORECASE,
)

# Markers that end the release: everything from the first one on is site furniture.
_FOOTER = re.compile(
    r"^(?:search our content:|check also:?|happening now\.*|leave a (?:reply|comment)|"
    r"\d* ?comments?(?: \(\d+\))?:?|related (?:posts|articles|news|stories):?|"
    r"you may also like:?|more news:?|recommended for you:?)$",
    re.IGNORECASE,
)
_ADDRESS_START = re.compile(r"^(?:address|kfor hq pristina|media operations)$", re.IGNORECASE)
_ADDRESS_BODY = re.compile(r"camp film city|10000,? pristina", re.IGNORECASE)
_TRAILING_CONTACT = re.compile(r"^tel\b.*\bfax\b", re.IGNORECASE)

_BYLINE = re.compile(
    r"^(?:courtesy )?(?:story|text|article|report|photos?|story and photos?|written) by\s+\S.{1,100}$",
    re.IGNORECASE,
)

# "PRISTINA - ", "Pristina – ", "PRISTINA, Nov. 24 (Xinhua) -- ",
# "PRISTINA, Serbia-Montenegro, June 10 (AFP) - ", "CAMP BONDSTEEL, Kosovo – "
_PLACE_WORD = r"[^\W\d_][\w'.\-]*"
_DATELINE_EXTRA = (
    r"(?:, ?[^\W\d_][\w.\-]*(?: [^\W\d_][\w.\-]*)?)*"  # ", Serbia-Montenegro", ", Kosovo"
    r"(?:, ?[A-Z][a-z]{2,8}\.? \d{1,2}|, ?\d{1,2} [A-Z][a-z]{2,8}\.?)?"  # ", Nov. 24"
    r"(?: ?\([A-Za-z .\-]{2,30}\))?"  # " (Xinhua)"
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


_NAV_SEGMENT = re.compile(
    r"^(?:kfor|nato|home|news|archive|media cent(?:er|re)|press releases?|newsroom|(?:19|20)\d\d)$", re.IGNORECASE
)


def _breadcrumb_title(line: str) -> str | None:
    """"KFOR / Media Center / Archive / News / 2019 / TITLE" -> "TITLE"."""
    parts = _BREADCRUMB_SEP.split(line)
    if len(parts) >= 3 and all(parts) and sum(bool(_NAV_SEGMENT.match(p)) for p in parts[:-1]) >= 2:
        return parts[-1]
    return None


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


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """``"PRISTINA – KFOR ..."`` -> ``("PRISTINA", "KFOR ...")``; ``(None, paragraph)`` without one."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    place = match.group("place")
    words = place.split()
    shouted = all(w.isupper() for w in words)  # "PRISTINA", "CAMP FILM CITY"
    named = len(words) <= 3 and all(w[0].isupper() and not w.isupper() for w in words)  # "Pristina"
    if not (shouted or named) or words[0].lower().strip(".") in _NOT_A_PLACE:
        return None, paragraph
    return place, paragraph[match.end():]


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _split_header(
    blocks: list[list[str]], title: str | None
) -> tuple[str | None, dt.date | None, list[list[str]]]:
    """Read date lines and the headline off the top; return the body blocks."""
    date: dt.date | None = None
    captions: list[list[str]] = []
    title_found = title is not None
    for index, block in enumerate(blocks):
        if index >= 8:
            return title, date, captions + blocks[index:]
        kept = []
        for line in block:
            line_date = parse_date_line(line)
            if line_date is not None:
                date = date or line_date
            elif title is not None and line.casefold() == title.casefold():
                continue  # the headline repeated under the breadcrumb or date
            else:
                kept.append(line)
        if not kept:
            continue
        if split_dateline(kept[0])[0] is not None:
            return title, date, captions + [kept] + blocks[index + 1:]
        run = 0
        while run < min(len(kept), 3) and _is_title_line(kept[run]):
            run += 1
        heading = " ".join(kept[:run])
        if not title_found and run and len(heading.split()) <= 25 and len(captions) <= 1:
            title, title_found = heading, True
            captions = [c for c in captions if len(c) > 1 or len(c[0].split()) > 40]
            rest = kept[run:]
            if rest:
                return title, date, captions + [rest] + blocks[index + 1:]
            continue
        if title_found or captions:
            return title, date, captions + [kept] + blocks[index + 1:]
        captions.append(kept)
    return title, date, captions


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
    lines = ["" if _JUNK.search(line) or _breadcrumb_title(line) else line for line in lines]
    found_title, date, body_blocks = _split_header(_blocks(lines), found_title)
    body = _cut_footer([line for block in body_blocks for line in block])
    dateline = None
    if body:
        dateline, first = split_dateline(body[0])
        body[0] = first
    bylines = [line for line in body if _BYLINE.match(line)]
    paragraphs = [line for line in body if line and not _BYLINE.match(line)]
    byline = bylines[-1] if bylines else None
    if byline:
        paragraphs.append(byline)
    return _Parsed(found_title, date, dateline, byline, tuple(paragraphs))


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
