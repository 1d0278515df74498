"""Force figures: "more than 3,700 personnel from 27 countries" -> 3700 personnel, 27 countries."""

from __future__ import annotations

import re

from kfgraph.models import Figure, Mention

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NUMBER_WORDS = {word: value for value, word in enumerate(_SMALL)} | _TENS
_SCALES = {"hundred": 100, "thousand": 1000}
_UNITS = r"personnel|troops|soldiers|service ?members|vehicles|helicopters|countries|nations|contributing nations"
_WORD = rf"(?i:{'|'.join(sorted([*_NUMBER_WORDS, *_SCALES], key=len, reverse=True))})"
# "one hundred and fifty", "twenty-five", "two thousand"; "and" only after a scale word, so
# "between two and three hundred soldiers" is not read as one number
_SPELLED = rf"{_WORD}(?:(?:[ -]|(?<=[Hh]undred) and |(?<=[Tt]housand) and ){_WORD})*"
# A count, then up to four words, then the unit: "3,700 personnel", "three Hungarian KFOR soldiers".
NUMBER = re.compile(rf"\b(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_SPELLED})\b")
AFTER = re.compile(
    rf"(?P<mid>(?: (?:[A-Z]{{2,6}}|[A-Z][a-z]+|[a-z][a-z-]*)){{0,4}}?) (?P<unit>(?i:{_UNITS}))\b"
)
QUANTIFIER = re.compile(r"(?:[Mm]ore than|[Oo]ver|[Aa]bout|[Aa]round|[Aa]pproximately|[Nn]early|[Aa]lmost|[Ss]ome|[Uu]p to) $")
_NOT_MID = re.compile(rf"\b(?:\d+|{_WORD}|(?i:{_UNITS}))\b")
_KFOR = re.compile(r"\bKFOR\b|Kosovo Force")


def spelled_number(words: str) -> int:
    """``"one hundred and fifty"`` -> 150, ``"twenty-five"`` -> 25, ``"two thousand"`` -> 2000."""
    total = current = 0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if word == "thousand":
                total, current = total + current, 0
        elif word != "and":
            current += _NUMBER_WORDS[word]
    return total + current


def find_figures(text: str, *, subject: str | None) -> tuple[Figure, ...]:
    """Numbers of personnel, troops, vehicles, nations...; ``subject`` (an org key) is set
    on figures in a sentence that names KFOR."""
    figures: list[Figure] = []
    for n in NUMBER.finditer(text):
        m = AFTER.match(text, n.end())
        if m is None or _NOT_MID.search(m["mid"]) or m["mid"].startswith(" of "):
            continue  # "35 vehicles and three helicopters": the unit belongs to the later count; "one of the soldiers"
        q = QUANTIFIER.search(text, max(0, n.start() - 20), n.start())
        start = q.start() if q else n.start()
        raw = n.group().replace(",", "")
        value = int(raw) if raw.isdigit() else spelled_number(raw)
        if 1900 <= value <= 2100 and raw.isdigit() and "," not in n.group():
            continue  # a year, not a count
        unit = " ".join(m["unit"].lower().split())
        unit = {"servicemembers": "service members", "contributing nations": "nations"}.get(unit, unit)
        s0 = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
        s1 = text.find(". ", m.end())
        sentence = text[s0:s1 if s1 >= 0 else len(text)]
        figures.append(Figure(len(figures) + 1, value, unit, Mention(start, m.end(), text[start:m.end()]),
                              subject if subject and _KFOR.search(sentence) else None))
    return tuple(figures)
