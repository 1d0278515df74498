"""A saved HTML page -> the article's text lines plus title, date and URL from the markup."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

from kfgraph.sources.dates import parse_date_value

_DROP = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "button", "figcaption", "select", "input",
)
_BLOCKS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "dl", "figure", "address", "time",
)
_SPACE = re.compile(r"\s+")
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{1,40}$")


@dataclass(frozen=True)
class HtmlPage:
    text: str
    title: str | None
    date: dt.date | None
    url: str | None


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag):
            content = tag.get("content")
            if isinstance(content, str) and content.strip():
                return content.strip()
    return None


def _title(soup: BeautifulSoup) -> str | None:
    og = _meta(soup, "og:title")
    if og:
        return og
    h1 = soup.find("h1")
    if isinstance(h1, Tag) and h1.get_text(strip=True):
        return _SPACE.sub(" ", h1.get_text(" ", strip=True))
    if soup.title and soup.title.string and soup.title.string.strip():
        return _TITLE_SUFFIX.sub("", _SPACE.sub(" ", soup.title.string.strip()))
    return None


def _date(soup: BeautifulSoup) -> dt.date | None:
    value = _meta(soup, "article:published_time", "datePublished", "date", "DC.date", "pubdate")
    if value and parse_date_value(value):
        return parse_date_value(value)
    for time in soup.find_all("time"):
        stamp = time.get("datetime") if isinstance(time, Tag) else None
        if isinstance(stamp, str) and parse_date_value(stamp):
            return parse_date_value(stamp)
    return None


def _url(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", attrs={"rel": "canonical"})
    if isinstance(link, Tag) and isinstance(link.get("href"), str):
        return str(link["href"]).strip() or None
    return _meta(soup, "og:url")


def _container(soup: BeautifulSoup) -> Tag:
    for candidate in (soup.find("article"), soup.find(True, attrs={"role": "main"}), soup.find("main"), soup.body):
        if isinstance(candidate, Tag) and candidate.get_text(strip=True):
            return candidate
    return soup


def read_html(markup: str) -> HtmlPage:
    """Parse with lxml; the body is ``<article>`` (else main, else body) minus page furniture."""
    soup = BeautifulSoup(markup, "lxml")
    title, date, url = _title(soup), _date(soup), _url(soup)
    for tag in soup.find_all(_DROP):
        tag.decompose()
    container = _container(soup)
    for time in container.find_all("time"):
        parent = time.parent
        if parent is container or (parent and parent.get_text(strip=True) == time.get_text(strip=True)):
            time.decompose()  # a standalone date stamp, already read from its datetime
    for string in list(container.find_all(string=True)):
        if type(string) is NavigableString and string.parent and string.parent.name != "pre":
            string.replace_with(_SPACE.sub(" ", str(string)))
    for br in container.find_all("br"):
        br.replace_with("\n")
    for block in container.find_all(_BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    text = container.get_text()
    lines = [line.strip() for line in text.split("\n")]
    return HtmlPage(text="\n".join(lines), title=title, date=date, url=url)
