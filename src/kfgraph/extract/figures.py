"""Figures: the counts a release reports, what they count and what kind of count they are.

    find_figures(text, organizations, demonyms) -> (Figure(1, 3700, "personnel", kind=ForceStrength), ...)

How a count is read (press-release English; the lexicon is ``figure_lexicon``):

1. A number: digits (``3,700``) or words (``two thousand``, ``one hundred and fifty``,
   ``twenty-five``, ``a dozen``). Not a year, a time, a phone number, a code (``KFOR-11``),
   a name's number (``Resolution 1244``, ``KFOR 29``), a compound (``12-month``), nor 0 or 1.
2. What it counts: the noun heading the phrase after it, over at most four modifiers
   (``more than 200 KFOR Soldiers``, ``35 ISO sea containers``, ``over 30 Italian and Hungarian
   KFOR soldiers``), or after ``of the`` (``Two of the soldiers``), or a plural demonym
   (``19 Hungarians``). Without a noun only the casualty form counts (``almost 500 were
   injured``, ``the death toll was 22``) and the size of a force changing (``reducing the
   contingent from 240 to just 50``).
3. The kind: casualties when a casualty word is right beside the phrase (wounded or killed),
   participants when the people took part in or received an activity, force strength for
   soldiers otherwise, contributing nations for the countries a force comes from; equipment,
   other. A breakdown (``including 19 Hungarians``) takes the kind of the count it breaks down.
4. Once: a number said again as the same thing (``the three soldiers``, ``Of 600 wounded``,
   a paragraph repeated verbatim) is not a second figure.

``subject`` (what the figure is a figure of) is an organization named inside the phrase
(``11 KFOR soldiers``), else KFOR when the sentence names it and soldiers or nations are counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kfgraph.extract.figure_lexicon import (
    ACTIVITY, CASUALTY_AFTER, CASUALTY_BEFORE, CONTRIBUTION, EQUIPMENT, FORCE_CUE, INHERIT, MILITARY, NATIONS,
    PARTICIPATION, PERSONS, STOP_WORDS, UNITS, casualty_kind,
)
from kfgraph.extract.sentences import split_sentences
from kfgraph.models import Figure, FigureKind, Mention

__all__ = ["find_figures", "spelled_number"]

K = FigureKind
_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_NUMBER_WORDS = {word: value for value, word in enumerate(_SMALL)} | _TENS | {"dozen": 12}
_SCALES = {"hundred": 100, "thousand": 1000}
_WORD = rf"(?i:{'|'.join(sorted([*_NUMBER_WORDS, *_SCALES], key=len, reverse=True))})"
# "one hundred and fifty", "twenty-five", "two thousand", "a dozen"; "and" only after a scale word,
# so "between two and three hundred soldiers" is not read as one number
_SPELLED = rf"(?:[Aa] (?=hundred|thousand|dozen))?{_WORD}(?:(?:[ -]|(?<=[Hh]undred) and |(?<=[Tt]housand) and ){_WORD})*"
# Not inside a code, time, phone number or decimal: "KFOR-11", "12:15", "+32 2 707", "1.2K".
_NUMBER = re.compile(rf"(?<![\w.,/:+#-])(?:\d{{1,3}}(?:,\d{{3}})+|\d+|{_SPELLED})(?![\w/:%]|[.,]\d|-(?!(?:strong|man|member|person)\b))")
_QUANTIFIER = re.compile(
    r"(?:more than|over|about|around|approximately|roughly|nearly|almost|some|up to|at least|as many as"
    r"|an estimated|just over|just under|fewer than|less than)\s+$",
    re.IGNORECASE,
)
_MONTH = re.compile(
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TOKEN = re.compile(r"\s*((?:[A-Z]\.){2,}|[^\W\d_][\w’'-]*|\S)")
# "a 200-strong contingent", "a 30-member team", "a 12-man patrol"
_COMPOUND = re.compile(r"-(?P<what>strong|man|member|person)\b")
# A bare number that is a force's size: "a contingent of 250", "its strength stands at 3,700".
_FORCE_BARE = re.compile(
    r"\b(?:contingent|force|strength|presence|troop (?:levels?|numbers?)|number of (?:troops|soldiers|personnel))\b"
    r"[^.;\d]{0,25}?"
    r"\b(?:of|at|to|numbering|numbers|totals|totalling|totaling|reached|is|was)\s+$",
    re.IGNORECASE,
)
# Before the number: a currency, "No.", or a word that makes it part of a name ("Resolution 1244").
_BEFORE = re.compile(r"(?P<word>[^\W\d_][\w’'.-]*|[€$£])\s*$")
_OPENERS = frozenset(
    "the a an some about around over more than nearly almost approximately roughly only just all altogether "
    "another and with of from by in on at to for including total estimated least up as of".split()
)
_ANAPHORA = re.compile(r"(?:\b(?i:the|these|those|both|all|its|their|our)|(?:^|[.;:,]\s*|\n)[Oo]f)\s+$")
_BARE_CASUALTY = re.compile(
    r"\s+(?:(?:were|was|are|have been|had been|got|reportedly|also|remain|remains|remained|still)\s+)*"
    r"(?:(?:seriously|severely|critically|slightly|lightly|badly|fatally)\s+)?(?P<cue>injured|wounded|hurt|killed"
    r"|dead|died|hospitali[sz]ed|in hospital|in (?:a )?(?:critical|serious|stable) condition)\b"
)
_RANGE = re.compile(
    rf"\bfrom\s+(?:about |around |some |nearly |almost |roughly |approximately )?(?P<a>\d{{1,3}}(?:,\d{{3}})+|\d+|{_SPELLED})"
    rf"(?:\s+(?P<unit>[a-z]+))?\s+to\s+(?:just |only |about |around |some |roughly |approximately )?"
    rf"(?P<b>\d{{1,3}}(?:,\d{{3}})+|\d+|{_SPELLED})\b(?![ ,]*(?:%|per ?cent|years?|months?|weeks?|days?|hours?|km))"
)


def spelled_number(words: str) -> int:
    """``"one hundred and fifty"`` -> 150, ``"twenty-five"`` -> 25, ``"a dozen"`` -> 12."""
    total = current = 0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if word == "thousand":
                total, current = total + current, 0
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word not in ("and", "a"):
            current += _NUMBER_WORDS[word]
    return total + current


def _value(raw: str) -> int:
    digits = raw.replace(",", "")
    return int(digits) if digits.isdigit() else spelled_number(raw)


@dataclass
class _Read:
    """A count found in the text before it becomes a ``Figure``."""

    start: int  # where the mention starts (a quantifier included)
    num_start: int
    end: int  # end of the counted phrase
    value: int
    unit: str
    head: str  # the counted noun, lower case ("" when the text names none)
    kind: FigureKind
    subject: str | None = None
    cls: str = ""  # the class of the counted noun (figure_lexicon), "" when the text names none


def _sentence(text: str, pos: int, bounds: list[tuple[int, int]]) -> tuple[int, int]:
    for s, e in bounds:
        if s <= pos < e:
            return s, e
    return 0, len(text)


class _Reader:
    """Reads the figures of one text; a class only to share the text and its sentences."""

    def __init__(self, text: str, organizations: Sequence[tuple[int, int, str]], demonyms: Mapping[str, str]) -> None:
        self.text = text
        self.organizations = organizations
        self.demonyms = demonyms
        self.bounds = split_sentences(text)

    def is_head(self, token: str) -> str | None:
        """The noun class of ``token`` if a number may count it, else None."""
        low = token.lower()
        for name, nouns in (("military", MILITARY), ("persons", PERSONS), ("nations", NATIONS), ("units", UNITS),
                            ("equipment", EQUIPMENT), ("activity", ACTIVITY)):
            if low in nouns:
                if name == "units" and token[0].isupper():
                    return None  # "the five Multinational Brigades": part of a name, not a count
                return name
        if token[0].isupper() and low.endswith("s") and (low[:-1] in self.demonyms or low.endswith(("ians", "ans"))):
            return "persons"  # "19 Hungarians", "11 Italians"
        return None

    def head_after(self, end: int, limit: int) -> tuple[int, str, str] | None:
        """(end, noun, class) of the noun a number ending at ``end`` counts (before ``limit``), or None."""
        tokens = [(m.start(1), m.end(1), m.group(1)) for m in _TOKEN.finditer(self.text, end, min(limit, end + 90))]
        if tokens and tokens[0][2] == "of" and len(tokens) > 2 and tokens[1][2].lower() in ("the", "those", "these"):
            tokens = tokens[2:]  # "Two of the soldiers"
        if tokens and _MONTH.fullmatch(tokens[0][2]):
            return None  # "on 12 June troops entered": a date, not a count
        modifiers = 0
        for i, (s, e, token) in enumerate(tokens):
            cls = self.is_head(token) if token[0].isalpha() else None
            if cls is not None:
                nxt = tokens[i + 1][2] if i + 1 < len(tokens) else ""
                if nxt[:1].isalpha() and self.is_head(nxt) is not None and nxt.lower() not in STOP_WORDS:
                    continue  # "police officers": the last noun heads the phrase
                if nxt[:1].islower() and len(nxt) > 3 and nxt.endswith("s") and not nxt.endswith(("ss", "us", "is")) \
                        and nxt not in STOP_WORDS:
                    return None  # "three police stations": the noun counted is not one we count
                return e, token, cls
            low = token.lower()
            if not token[0].isalpha() and token not in (",",):
                return None
            if token[0].islower() and len(token) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is")):
                return None  # "13 years", "two border crossing points": a plural we do not count heads the phrase
            if low in STOP_WORDS and not (low == "and" and modifiers and i + 1 < len(tokens)
                                          and tokens[i + 1][2][0].isalpha() and not _NUMBER.match(tokens[i + 1][2])):
                return None
            if token == "," and not (i + 1 < len(tokens) and tokens[i + 1][2][0].isupper()):
                return None
            if _NUMBER.fullmatch(token):
                return None
            modifiers += 1
            if modifiers > 5:
                return None
        return None

    def subject_in(self, start: int, end: int) -> str | None:
        return next((key for s, e, key in self.organizations if start <= s and e <= end), None)

    def kfor_in(self, start: int, end: int) -> bool:
        return any(key == "kfor" and start <= s < end for s, _, key in self.organizations)

    def kind(self, num_start: int, head_end: int, cls: str, head: str, sentence: tuple[int, int],
             previous: _Read | None) -> FigureKind:
        text = self.text
        s, e = sentence
        before = text[max(s, num_start - 40):num_start]
        q = _QUANTIFIER.search(before)
        before_q = before[:q.start()] if q else before
        people = cls in ("military", "persons")
        if people:
            if head.lower() == "casualties":
                return K.CASUALTIES
            after = CASUALTY_AFTER.match(text, head_end, e)
            prior = CASUALTY_BEFORE.search(before_q)
            cue = after["cue"] if after else (prior["cue"] or prior["cue2"]) if prior else None
            if cue is not None:
                return {"killed": K.KILLED, "wounded": K.WOUNDED}.get(casualty_kind(cue), K.CASUALTIES)
        same_class = previous is not None and (previous.cls == cls or {previous.cls, cls} <= {"military", "persons", ""})
        if previous is not None and previous.start >= s and (INHERIT.search(before_q) or (
                same_class and re.fullmatch(r"[\s,]*(?:and|or)?\s*", text[previous.end:num_start]))):
            return previous.kind  # "including 21 police officers and 11 KFOR soldiers": the count broken down
        if people:
            window = text[max(s, num_start - 60):min(e, head_end + 70)]
            if PARTICIPATION.search(window) or (cls == "persons" and re.search(r"\b(?:to|for)\s+$", before_q)):
                return K.PARTICIPANTS  # "took part", "donated blood"; "toys to 320 pupils" (who received)
            return K.FORCE_STRENGTH if cls == "military" else K.OTHER
        if cls == "nations":
            lead = text[max(s, num_start - 25):num_start].lower()
            phrase = text[num_start:head_end].lower()
            if re.search(r"\bfrom\s+(?:\w+\s+)?$", lead) or "contribut" in phrase or CONTRIBUTION.search(text, s, e):
                return K.CONTRIBUTING_NATIONS
            return K.OTHER
        return K.EQUIPMENT if cls == "equipment" else K.OTHER

    def read(self) -> list[_Read]:
        text = self.text
        found: list[_Read] = []
        for n in _NUMBER.finditer(text):
            raw = n.group()
            if raw.isdigit() and 1900 <= int(raw) <= 2100:
                continue  # a year, not a count
            value = _value(raw)
            if value < 2:
                continue  # "one of the", "a soldier": not a count a release reports as a figure
            before = _BEFORE.search(text, max(0, n.start() - 30), n.start())
            if before and self.names_number(before, n.start()):
                continue
            sentence = _sentence(text, n.start(), self.bounds)
            q = _QUANTIFIER.search(text, max(sentence[0], n.start() - 20), n.start())
            start = q.start() if q else n.start()
            previous = found[-1] if found else None
            compound = _COMPOUND.match(text, n.end())
            if compound:  # "a 200-strong contingent", "a 30-member team"
                strength = compound["what"] in ("strong", "man")
                found.append(_Read(start, n.start(), compound.end(), value, "troops" if strength else "members", "",
                                   K.FORCE_STRENGTH if strength else K.OTHER,
                                   "kfor" if strength and self.kfor_in(*sentence) else None))
                continue
            head = self.head_after(n.end(), sentence[1])
            if head is not None:
                head_end, noun, cls = head
                unit = " ".join(noun.lower().split())
                unit = {"servicemembers": "service members"}.get(unit, unit)
                if cls in ("nations", "persons") and value == 2 and re.search(r"\b(?i:the)\s+$", text[max(0, start - 8):start]):
                    continue  # "the two countries", "the two leaders": the pair just named, not a count
                kind = self.kind(n.start(), head_end, cls, noun, sentence, previous)
                subject = self.subject_in(n.end(), head_end)
                if subject is None and cls in ("military", "nations", "equipment") and self.kfor_in(*sentence):
                    subject = "kfor"
                if subject is None and previous is not None and kind is previous.kind and INHERIT.search(
                        text, max(0, n.start() - 20), start):
                    subject = previous.subject
                found.append(_Read(start, n.start(), head_end, value, unit, noun.lower(), kind, subject, cls))
                continue
            if _FORCE_BARE.search(text, max(sentence[0], start - 50), start):
                found.append(_Read(start, n.start(), n.end(), value, "troops", "", K.FORCE_STRENGTH,
                                   "kfor" if self.kfor_in(*sentence) else None))
                continue
            bare = _BARE_CASUALTY.match(text, n.end())
            prior = CASUALTY_BEFORE.search(text, max(sentence[0], start - 40), start)
            if bare or prior:
                cue = bare["cue"] if bare else (prior["cue"] or prior["cue2"])  # type: ignore[index]
                kind = {"killed": K.KILLED, "wounded": K.WOUNDED}.get(casualty_kind(cue), K.CASUALTIES)
                end = bare.end() if bare else n.end()
                if previous is not None and INHERIT.search(text, max(0, start - 20), start):
                    kind = previous.kind
                found.append(_Read(start, n.start(), end, value, "people", "", kind))
        found.extend(self.ranges(found))
        found.sort(key=lambda r: r.num_start)
        self.share_casualty_kinds(found)
        return self.once(found)

    def share_casualty_kinds(self, found: list[_Read]) -> None:
        """"12 soldiers and two civilians were injured": the first count of the pair was hurt too."""
        casualties = (K.WOUNDED, K.KILLED, K.CASUALTIES)
        for first, second in zip(reversed(found[:-1]), reversed(found[1:])):
            if (second.kind in casualties and first.kind in (K.OTHER, K.FORCE_STRENGTH)
                    and first.cls in ("military", "persons")
                    and re.fullmatch(r"[\s,]*(?:and|or)\s*", self.text[first.end:second.start])):
                first.kind = second.kind

    def names_number(self, before: re.Match[str], at: int) -> bool:
        """Whether the word before a number makes it a code or part of a name ("KFOR 29", "No. 5")."""
        word = before["word"]
        if word.endswith((".", "'s", "’s")) and word.rstrip(".").lower() not in ("no", "nr"):
            return False  # a sentence's last word, or a possessive ("KFOR's 3,700 troops")
        if word in "€$£" or word.rstrip(".").lower() in ("no", "nr", "number", "page", "tel", "fax", "phone"):
            return True
        if word.lower() in _OPENERS or not word[0].isupper():
            return False
        gap = self.text[before.end():at]
        if "\n" in gap:
            return False  # a headline's last word, then the body's first number
        opening = self.text[max(0, before.start() - 3):before.start()]
        if before.start() == 0 or re.search(r"(?:[.!?\"“]\s*|\n\s*)$", opening):
            return word.isupper() and len(word) > 1 and gap.strip() == ""  # "UNSCR 1244" at a line's start
        return gap.strip() == ""

    def ranges(self, found: list[_Read]) -> list[_Read]:
        """"reducing the Irish contingent from 240 to just 50": both ends are the force's size."""
        out: list[_Read] = []
        taken = {r.num_start for r in found}
        for m in _RANGE.finditer(self.text):
            s, e = _sentence(self.text, m.start(), self.bounds)
            if not FORCE_CUE.search(self.text, s, e):
                continue
            named = next((r for r in found if r.num_start in (m.start("a"), m.start("b"))), None)
            unit = named.unit if named else "troops"
            subject = named.subject if named else ("kfor" if self.kfor_in(s, e) else None)
            for g in ("a", "b"):
                if m.start(g) not in taken and not (g == "a" and m["unit"] and self.is_head(m["unit"])):
                    value = _value(m[g])
                    if value >= 2 and not (1900 <= value <= 2100 and m[g].isdigit()):
                        out.append(_Read(m.start(g), m.start(g), m.end(g), value, unit, "", K.FORCE_STRENGTH, subject))
        return out

    def once(self, found: list[_Read]) -> list[_Read]:
        """Drop a number said again as the same thing: "the three soldiers", "Of 600 wounded", a repeated lead."""
        out: list[_Read] = []
        seen_contexts: set[tuple[int, str]] = set()
        for r in found:
            s, e = _sentence(self.text, r.num_start, self.bounds)
            context = " ".join(self.text[s:e].split())
            if (r.value, context) in seen_contexts:
                continue  # the same words again: a lead paragraph repeated
            seen_contexts.add((r.value, context))
            if any(o.value == r.value for o in out) and _ANAPHORA.search(self.text, max(0, r.start - 12), r.start):
                continue
            out.append(r)
        return out


def find_figures(text: str, organizations: Sequence[tuple[int, int, str]] = (),
                 demonyms: Mapping[str, str] | None = None) -> tuple[Figure, ...]:
    """The figures of ``text`` in text order.

    ``organizations`` are ``(start, end, key)`` spans of organization mentions; ``demonyms`` maps
    a folded adjective ("hungarian") to its country, so "19 Hungarians" counts people.
    """
    reads = _Reader(text, organizations, demonyms or {}).read()
    return tuple(
        Figure(i, r.value, r.unit, Mention(r.start, r.end, text[r.start:r.end]), r.subject, r.kind)
        for i, r in enumerate(reads, start=1)
    )
