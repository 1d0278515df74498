"""Force figures: "more than 3,700 personnel from 27 countries" -> 3700 personnel, 27 countries."""

from __future__ import annotations

import re

from kfgraph.models import Figure, Mention

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
}
_UNITS = r"personnel|troops|soldiers|service ?members|vehicles|helicopters|countries|nations|contributing nations"
_WORDS = "|".join(w for word in _NUMBER_WORDS for w in (word, word.capitalize()))
# A count, then up to four words, then the unit: "3,700 personnel", "three Hungarian KFOR soldiers".
NUMBER = re.compile(rf"\b(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORDS})\b")
AFTER = re.compile(
    rf"(?P<mid>(?: (?:[A-Z]{{2,6}}|[A-Z][a-z]+|[a-z][a-z-]*)){{0,4}}?) (?P<unit>(?i:{_UNITS}))\b"
)
QUANTIFIER = re.compile(r"(?:[Mm]ore than|[Oo]ver|[Aa]bout|[Aa]round|[Aa]pproximately|[Nn]early|[Aa]lmost|[Ss]ome|[Uu]p to) $")
_NOT_MID = re.compile(rf"\b(?:\d+|(?i:{'|'.join(_NUMBER_WORDS)}|{_UNITS}))\b")
_KFOR = re.compile(r"\bKFOR\b|Kosovo Force")


def find_figures(text: str, *, subject: str | None) -> tuple[Figure, ...]:
    """Numbers of personnel, troops, vehicles, nations...; ``subject`` (an org key) is set
    on figures in a sentence that names KFOR."""
    figures: list[Figure] = []
    for n in NUMBER.finditer(text):
        m = AFTER.match(text, n.end())
        if m is None or _NOT_MID.search(m["mid"]):
            continue  # "35 vehicles and three helicopters": the unit belongs to the later count
        q = QUANTIFIER.search(text, max(0, n.start() - 20), n.start())
        start = q.start() if q else n.start()
        raw = n.group().replace(",", "")
        value = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw.lower()]
        if 1900 <= value <= 2100 and "," not in n.group():
            continue  # a year, not a count
        unit = " ".join(m["unit"].lower().split())
        unit = {"servicemembers": "service members", "contributing nations": "nations"}.get(unit, unit)
        s0 = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
        s1 = text.find(". ", m.end())
        sentence = text[s0:s1 if s1 >= 0 else len(text)]
        figures.append(Figure(len(figures) + 1, value, unit, Mention(start, m.end(), text[start:m.end()]),
                              subject if subject and _KFOR.search(sentence) else None))
    return tuple(figures)
