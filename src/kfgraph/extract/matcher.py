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

_GAP = re.compile(r"[ \t\u00a0]+|[ \t]*[-–/][ \t]*|\.|['’]s[ \t]+")


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


def _joined(text: str, left_end: int, right_start: int) -> bool:
    if right_start - left_end == 1 and text[left_end] == " ":
        return True
    return bool(_GAP.fullmatch(text, left_end, right_start))


def scan_gazetteer(text: str, toks: list[tuple[int, int, str]], gaz: Gazetteer) -> list[Candidate]:
    """Every gazetteer name in ``text``, nested ones too ("NATO" in "NATO-led KFOR mission")."""
    found: list[Candidate] = []
    n_toks = len(toks)
    joined = [False] + [_joined(text, toks[j - 1][1], toks[j][0]) for j in range(1, n_toks)]
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
    if key in gaz.acronyms and not surface.replace("-", "").isupper():
        return []
    if not surface[:1].isupper() and key not in gaz.lower_initial:
        return []
    if key in gaz.titled and not is_titled(surface):
        return []  # "Serbian and Kosovo forces" is not the Kosovo Force
    out = []
    for ident in ids:
        proto = gaz.known[ident]
        out.append(Candidate(start, end, proto.kind, proto.label, key=proto.key))
    return out
