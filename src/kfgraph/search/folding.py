"""How names and queries are folded so that spellings of one name meet.

Two forms of every word go into the index:

* the **folded** word: lower case, accents and special letters removed
  (``Prishtinë`` → ``prishtine``, ``Đakovica`` → ``djakovica``);
* its **key**: the folded word with the spelling differences of Albanian,
  Serbian and English renderings of Kosovo names levelled: the digraphs
  ``sh zh ch xh dh th gj dj nj lj`` lose their second letter, ``q`` and ``ç``
  become ``c``, ``y`` becomes ``i``, doubled letters are single, and a final
  vowel is dropped from words of more than three letters (the Albanian
  definite/indefinite endings: Prishtina/Prishtinë, Mitrovica/Mitrovicë).
  So ``Pristina``, ``Prishtina`` and ``Prishtinë`` share the key ``pristin``.

>>> fold("Prishtinë/Priština")
'prishtine pristina'
>>> [key(w) for w in fold("Pristina Prishtinë Mitrovicë Graçanica").split()]
['pristin', 'pristin', 'mitrovic', 'gracanic']
>>> query_words("  Prishtinë, KFOR! ")
[('prishtine', 'pristin'), ('kfor', 'kfor')]
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({
    "đ": "dj", "Đ": "dj", "ð": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "ß": "ss", "ı": "i", "þ": "th",
})
"""Letters that Unicode decomposition does not reduce to a base letter."""
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_DIGRAPHS = re.compile(r"(?<=[szcxdtgnl])[hj]")
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = "aeiou"


def fold(text: str) -> str:
    """Lower-case words without accents, separated by single spaces (everything else is a separator)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_WORD.sub(" ", plain).strip()


def key(folded_word: str) -> str:
    """The spelling key of one folded word (see the module docstring)."""
    word = folded_word.replace("q", "c").replace("y", "i")
    word = _DIGRAPHS.sub("", word)
    word = _DOUBLED.sub(r"\1", word)
    if len(word) > 3 and word[-1] in _VOWELS and not word[:-1].isdigit():
        word = word[:-1]
    return word


def keys(text: str) -> str:
    """The keys of every word of ``text``, space-separated."""
    return " ".join(key(word) for word in fold(text).split())


def query_words(query: str, *, limit: int = 12) -> list[tuple[str, str]]:
    """(folded word, key) for each word of a user's query, at most ``limit`` of them."""
    return [(word, key(word)) for word in fold(query).split()[:limit]]
