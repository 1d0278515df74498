"""Text normalisation shared by every source form and by the extractor.

>>> normalize_text("#NATO–led #KFOR in Pejё")
'NATO-led KFOR in Pejë'
>>> normalize_text("KFOR’s  “Western Storm”")
'KFOR\\'s "Western Storm"'
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters that look like Latin ones; applied only inside
# words that also contain Latin letters (a wholly Cyrillic word is left alone).
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic lower case
        "а": "a", "в": "b", "е": "e", "ё": "ë", "і": "i", "ї": "ï", "ј": "j", "к": "k",
        "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
        "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
        # Cyrillic upper case
        "А": "A", "В": "B", "Е": "E", "Ё": "Ë", "І": "I", "Ї": "Ï", "Ј": "J", "К": "K",
        "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X",
        "Ѕ": "S", "Ԛ": "Q", "Ԝ": "W",
        # Greek
        "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I",
        "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)

_QUOTES = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    }
)

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_ODD_SPACE = re.compile(r"[^\S\n]+")  # any whitespace except newline, incl. NBSP
_WORD = re.compile(r"[^\W\d_]+")
_HASHTAG = re.compile(r"(?<![\w&/])#(?=[^\W\d_])")
_JOINING_DASH = re.compile(r"(?<=\w)[\u2010\u2011\u2012\u2013\u2014\u2015\u2212](?=\w)")
_SPACED_DASH = re.compile(r"(?<=\S) (?:-{1,2}|[\u2012\u2013\u2014\u2015]) (?=\S)")


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0]


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    scripts = {_script(c) for c in word}
    if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
        return word.translate(_HOMOGLYPHS)
    return word


def normalize_text(text: str) -> str:
    """NFKC, homoglyphs folded inside Latin words, hashtags dropped, dashes,
    quotes and spaces made uniform; newlines are kept, each line is stripped.

    Joining dashes (``NATO–led``, ``19–20``) become ``-``; spaced dashes of any
    kind (``a - b``, ``a -- b``, ``a — b``) become `` – ``.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ODD_SPACE.sub(" ", text)
    text = _WORD.sub(_fold_word, text)
    text = text.translate(_QUOTES)
    text = _HASHTAG.sub("", text)
    text = _JOINING_DASH.sub("-", text)
    text = _SPACED_DASH.sub(" \u2013 ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()
