"""Force figures: "more than 3,700 personnel from 27 countries" -> 3700 personnel, 27 countries."""

from __future__ import annotations

import re

from kfgraph.models import Figure, Mention

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
}
_UNITS = r"personnel|troops|soldiers|service ?members|vehicles|helicopters|countries|nations|contributing nations"
_UNIT = re.compile(rf"\b(?i:{_UNITS})\b")
# Read backwards from a unit word: "[more than] N [up to four words] UNIT".
FIGURE = re.compile(
    rf"(?:(?:[Mm]ore than|[Oo]ver|[Aa]bout|[Aa]round|[Aa]pproximately|[Nn]early|[Aa]lmost|[Ss]ome|[Uu]p to) )?"
    rf"\b(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|(?i:{'|'.join(_NUMBER_WORDS)}))"
    rf"(?P<mid>(?: (?:[A-Z]{{2,6}}|[A-Z][a-z]+|[a-z][a-z-]*)){{0,4}}?) (?P<unit>(?i:{_UNITS}))$"
)
_NOT_MID = re.compile(rf"\b(?:\d+|(?i:{'|'.join(_NUMBER_WORDS)}|{_UNITS}))\b")
_KFOR = re.compile(r"\bKFOR\b|Kosovo Force")


def find_figures(text: str, *, subject: str | None) -> tuple[Figure, ...]:
    """Numbers of personnel, troops, vehicles, nations...; ``subject`` (an org key) is set
    on figures in a sentence that names KFOR."""
    figures = []
    for u in _UNIT.finditer(text):
        window = max(0, u.start() - 80)
        head = text[:u.end()]
        m = FIGURE.search(head, window)
        while m is not None and _NOT_MID.search(m["mid"]):
            m = FIGURE.search(head, m.start() + 1)  # "35 vehicles and three helicopters": start later
        if m is None:
            continue
        raw = m["n"].replace(",", "")
        value = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw.lower()]
        if 1900 <= value <= 2100 and "," not in m["n"]:
            continue  # a year, not a count
        unit = " ".join(m["unit"].lower().split())
        unit = {"servicemembers": "service members", "contributing nations": "nations"}.get(unit, unit)
        s0 = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        s1 = text.find(". ", m.end())
        sentence = text[s0:s1 if s1 >= 0 else len(text)]
        figures.append(Figure(len(figures) + 1, value, unit, Mention(m.start(), m.end(), m.group()),
                              subject if subject and _KFOR.search(sentence) else None))
    return tuple(figures)
