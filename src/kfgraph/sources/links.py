"""A release's ``url``: only absolute http(s) links are kept.

    link = release_link(value, field="url")   # -> Link(url, warning)

A link with another scheme (``javascript:``, ``data:``, ``file:``, a relative
path) is dropped and the release keeps a warning saying so: the release is
still good, only its link is not. A value that claims http(s) but is not a
valid IRI (a space, no host) raises ``ValueError`` with the reason, so the
caller can refuse the record that holds it. Validity is pyoxigraph's own IRI
check: the store that receives the link is the one that decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph as ox

_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class Link:
    """The link to keep (None: none), and why a given value was dropped (None: it was not)."""

    url: str | None
    warning: str | None = None


def release_link(value: str | None, *, field: str = "url") -> Link:
    """Keep ``value`` when it is an absolute http(s) IRI; drop any other scheme with a warning.

    >>> release_link("https://jfcnaples.nato.int/kfor/media-center")
    Link(url='https://jfcnaples.nato.int/kfor/media-center', warning=None)
    >>> release_link("javascript:alert(3)").warning
    "field 'url' dropped: 'javascript:alert(3)' is not an http(s) link"
    """
    if value is None or not value.strip():
        return Link(None)
    url = value.strip()
    shown = url if len(url) <= 80 else url[:77] + "..."
    try:
        parts = urlsplit(url)
    except ValueError as error:  # e.g. "http://[bad" (an unclosed IPv6 bracket)
        raise ValueError(f"field {field!r} is not a valid URL: {shown!r} ({error})") from None
    if parts.scheme.lower() not in _SCHEMES:
        return Link(None, f"field {field!r} dropped: {shown!r} is not an http(s) link")
    if not parts.netloc:
        raise ValueError(f"field {field!r} is not a valid URL: {shown!r} has no host")
    try:
        ox.NamedNode(url)
    except ValueError as error:
        raise ValueError(f"field {field!r} is not a valid URL: {shown!r} ({error})") from None
    return Link(url)
