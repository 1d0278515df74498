"""Finding names in text: word tokens and the gazetteer scan.

A ``Candidate`` is a span that may name an entity, from the gazetteer or from a
pattern; ``rules.py`` resolves overlaps between candidates and merges them into
entities. The gazetteer scan looks up every run of up to ``max_words`` words
(folded, see ``gazetteer.fold``); overlaps are left to the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kfgraph.extract.gazetteer import Gazetteer, folded_words, is_titled
from kfgraph.models import EntityKind, PlaceKind

# between two words of one name: spaces, a hyphen or slash, a dot, a possessive, or a single line break
# (wire copy is hard-wrapped: "Allied Forces Southern\nEurope")
_GAP = re.compile(r"[ \t\u00a0]+|[ \t]*[-–/][ \t]*|\.|['’]s[ \t]+|[ \t]*\n[ \t]*")
# a capitalised name ending in a lower-case landmark noun: "the Decani monastery", "the Ibar bridge"
_LANDMARK_HEAD = re.compile(r"^(?:[A-Z]\S*\s+)+(?:monastery|bridge|lake|airport|airfield|dam|river)$")
# acronyms that news sites write as words ("Nato", "Kfor", "Unmik"); "Shape" is an English word
_NOT_WORD_ACRONYMS = frozenset({"shape"})


def _word_acronym(surface: str, key: str) -> bool:
    """ "Nato", "Kfor": an acronym of four letters or more written in title case, as British and Irish media do."""
    return len(key) >= 4 and key not in _NOT_WORD_ACRONYMS and surface[:1].isupper() and surface[1:].islower()


@dataclass(frozen=True)
class Candidate:
    """A span of the release text that may name an entity."""

    start: int
    end: int
    kind: EntityKind
    label: str
    key: str | None = None  # set when the gazetteer knows the thing
    origin: str = "gazetteer"
    alias: bool = True  # the span's text is a name of the entity (else e.g. "Regional Commands East")
    place_kind: PlaceKind | None = None
    is_government: bool = False

    @property
    def length(self) -> int:
        return self.end - self.start


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of ``text``."""
    return folded_words(text)


# after a dotted abbreviation of single letters a space still joins: "U.S. Army", "U.K. Ministry of Defence"
_AFTER_INITIAL = re.compile(r"\.[ \t\u00a0]+")


def _joined(text: str, left_start: int, left_end: int, right_start: int) -> bool:
    if right_start - left_end == 1 and text[left_end] == " ":
        return True
    if left_end - left_start == 1 and left_start >= 2 and text[left_start - 1] == "." \
            and _AFTER_INITIAL.fullmatch(text, left_end, right_start):
        return True
    return bool(_GAP.fullmatch(text, left_end, right_start))


def scan_gazetteer(text: str, toks: list[tuple[int, int, str]], gaz: Gazetteer) -> list[Candidate]:
    """Every gazetteer name in ``text``, nested ones too ("NATO" in "NATO-led KFOR mission")."""
    found: list[Candidate] = []
    n_toks = len(toks)
    joined = [False] + [_joined(text, toks[j - 1][0], toks[j - 1][1], toks[j][0]) for j in range(1, n_toks)]
    prefixes, forms = gaz.prefixes, gaz.forms
    for i in range(n_toks):
        key = toks[i][2]
        j = i
        while key in prefixes:
            ids = forms.get(key)
            if ids:
                found.extend(_candidates(text, toks[i][0], toks[j][1], key, ids, gaz))
            j += 1
            if j >= n_toks or not joined[j]:
                break
            key = f"{key} {toks[j][2]}"
    return found


def _candidates(text: str, start: int, end: int, key: str, ids: tuple[str, ...], gaz: Gazetteer) -> list[Candidate]:
    surface = text[start:end]
    if key in gaz.acronyms and not surface.replace("-", "").isupper() and not _word_acronym(surface, key):
        return []
    if not surface[:1].isupper() and key not in gaz.lower_initial:
        return []
    if key in gaz.titled and not is_titled(surface) and not _LANDMARK_HEAD.search(surface):
        return []  # "Serbian and Kosovo forces" is not the Kosovo Force; "Decani monastery" is the monastery
    out = []
    for ident in ids:
        proto = gaz.known[ident]
        out.append(Candidate(start, end, proto.kind, proto.label, key=proto.key))
    return out
