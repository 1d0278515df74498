"""Building blocks of the name grammar shared by the pattern modules.

    CAP, UP, LO, ACR     regex pieces: a capitalised word, upper/lower letters, an acronym
    STOP                 capitalised words that open sentences or describe, never names
    anchored(...)        a regex tried only near a keyword (much faster than a full scan)
    matches(regex, text) ``regex.finditer(text)`` through its anchor when it has one
    country(gaz, word)   the country a demonym or a place name stands for

Each regex is compiled once per process, at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.models import EntityKind

UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
LO = "a-zß-öø-ÿāăąćčďđēėęěğģīįıķĺļľłńņňōőœŕřśşšţťūůűųźżžёë"
# A capitalised word; "McKevitt", "DeLuca" (a second capital after a short prefix), "Ruszin-Szendi",
# "D'Addario" are one word; a possessive "'s" is not part of it.
CAP = rf"[{UP}][{LO}]+(?:(?<=\b[{UP}][{LO}])[{UP}][{LO}]+|(?<=\b[{UP}][{LO}]{{2}})[{UP}][{LO}]+)?(?:-[{UP}]?[{LO}]+|[’'](?!s\b)[{UP}]?[{LO}]+)*"
ACR = r"[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*"

STOP = frozenset(
    "the this that these those each every a an in on at of local other nearby small large new old main "
    "several many some all both our their his her its former next last first second third kfor nato "
    "commander deputy chief director head staff general colonel major captain lieutenant exercise operation".split()
)

# Patterns that begin with a capitalised word are tried only near their keyword: regex -> (keyword,
# characters before the keyword, characters after). Filled at import by ``anchored``.
ANCHORS: dict[re.Pattern[str], tuple[re.Pattern[str], int, int]] = {}


def anchored(regex: re.Pattern[str], keyword: str, before: int, after: int) -> re.Pattern[str]:
    """``regex``, registered to be searched only within ``before``/``after`` characters of ``keyword``."""
    ANCHORS[regex] = (re.compile(keyword), before, after)
    return regex


def matches(regex: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)``, but only around its keyword when it has one (same matches)."""
    anchor = ANCHORS.get(regex)
    if anchor is None:
        yield from regex.finditer(text)
        return
    keyword, before, after = anchor
    last_end = 0
    for k in keyword.finditer(text):
        if k.start() < last_end:
            continue
        m = regex.search(text, max(last_end, k.start() - before), min(len(text), k.end() + after))
        if m is not None and m.end() > last_end:
            last_end = m.end()
            yield m


def has(text: str, *words: str) -> bool:
    """Cheap gate: run a regex only when one of its literal words occurs at all."""
    return any(w in text for w in words)


def country(gaz: Gazetteer, word: str) -> str | None:
    """The country/place key a demonym or place name stands for ("Serbian" -> "serbia")."""
    key = name_key(word)
    if key in gaz.demonyms:
        return gaz.demonyms[key]
    ent = gaz.lookup(word, EntityKind.PLACE)
    return ent.key if ent is not None else None
