"""Sentences of a release's text, as character spans.

    split_sentences(text) -> [(start, end), ...]   whitespace trimmed, in order

A sentence ends at ``.``, ``!``, ``?`` or ``…`` before a capital or a digit (not after an
abbreviation such as ``Gen.`` or ``Jan.`` or an initial), and at a line break, except where the
break only wraps a line: wire copy is often hard-wrapped ("... the commander of the Kosovo
Force\\n(KFOR) said"), so a break followed by a lower-case word, a bracket or a digit, or after
a comma or a little word ("of", "the"), continues the sentence. A dateline that opens a
paragraph (``PRISTINA, Nov. 24 (Xinhua) --``) is a sentence of its own.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen maj lt col adm brig capt cpt sgt cpl st no nos jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.n e.g i.e etc vs approx inc ltd co corp gov sen rep prof fig".split()
)
_SENT_END = re.compile(r"[.!?…][\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*")
_DATELINE = re.compile(
    r"[A-Z][A-Za-z’'/.]+(?:[ /][A-Z][A-Za-z’'/.]+){0,3}(?:,[^\n]{1,40}?)?\s+(?:--|—|–|-)\s+(?=\S)"
)
# A line that goes on: it ends in a comma or a little word, or the next starts lower case, with "(" or a digit.
_WRAP_BEFORE = re.compile(
    r"(?:[,\-–]|\b(?:the|a|an|of|and|or|to|in|on|at|for|with|by|from|as|that|which|who|its|their|his|her))\s*$"
)
_WRAP_AFTER = re.compile(r"[a-z(0-9]")


def _wraps(text: str, start: int, end: int) -> bool:
    """Whether the line break ``text[start:end]`` continues a sentence."""
    before = text[max(0, start - 12):start]
    if not before or before.rstrip()[-1:] in (".", "!", "?", ":", ";", "\"", "”", "…", "•"):
        return False
    return bool(_WRAP_AFTER.match(text, end) or _WRAP_BEFORE.search(before))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text``, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group(0)[0] == "\n":
            if _wraps(text, m.start(), m.end()):
                continue
        else:
            word = text[max(start, m.start() - 12) : m.start()].split()
            last = word[-1].lower().lstrip("(\"“") if word else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        spans.append((start, m.start() + (0 if m.group(0)[0] == "\n" else 1)))
        start = m.end()
    spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if (s == 0 or text[s - 1] == "\n") and (d := _DATELINE.match(text, s, e)) and d.end() - s <= 60:
            out.append((s, d.end()))  # the dateline is not part of the first sentence
            s = d.end()
        out.append((s, e))
    return out
