"""Person mentions: names after a rank, an honorific or a role, and known full names.

    find_person_mentions(text, gazetteer) -> list[PersonMention]

``kfgraph.extract.person_entities`` turns the mentions into entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kfgraph.extract.gazetteer import Gazetteer, folded_words, name_key
from kfgraph.extract.grammar import CAP, LO, STOP, UP
from kfgraph.extract.ranks import CODE_OF, rank_forms, rank_of
from kfgraph.models import EntityKind

_TOK = rf"(?:{CAP}|[{UP}]['’][{UP}][{LO}]+|[{UP}]{{2,}}(?:[-’'][{UP}]+)*|[{UP}]\.)"
_PARTICLE = r"(?:de|da|di|del|della|van|von|der|den|bin|al|le|la|dos|du)"
_NAME = rf"{_TOK}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_TOK}){{0,4}}"
_RANK = "|".join(re.escape(f) for f in rank_forms())
ROLE = (
    r"(?:[Dd]eputy |[Vv]ice |[Aa]cting |[Ss]enior |[Ss]pecial |[Hh]igh |[Ss]upreme |[Cc]ivilian )?"
    r"(?:Secretary General|Secretary-General|[Cc]hief of [Ss]taff|Chief of Defen[cs]e|"
    r"[Pp]rime [Mm]inister|(?:Defen[cs]e|Foreign|Interior|Justice|Finance|Health|Education) [Mm]inister|"
    r"[Pp]resident|[Aa]mbassador|[Ss]pokesperson|[Ss]pokes(?:wo)?man|[Cc]hairman|[Cc]hairwoman|"
    r"[Cc]ommander|[Hh]ead|Director General|[Dd]irector|[Mm]inister|[Mm]ayor|Chief|[Aa]dministrator|"
    r"[Nn]egotiator|[Ee]nvoy|[Rr]epresentative|[Oo]mbudsperson|[Pp]rosecutor|[Gg]overnor|[Cc]oordinator|"
    r"[Aa]dvis[eo]r|[Aa]bbot|[Bb]ishop|[Pp]atriarch|[Ll]eader|[Cc]orrespondent|[Rr]eporter|[Vv]ice [Pp]resident|"
    # credits and staff posts: "Associated Press Writer", "MNTF-C PIO", "EOD instructor"
    r"[Ww]riter|[Ee]ditor|[Pp]hotographer|PIO|[Pp]ublic [Aa]ffairs [Oo]fficer|[Pp]ress [Oo]fficer|[Ii]nstructor)"
)

# "General Sir Mike Jackson", "General Dr. Reinhardt": a knighthood or a doctorate between rank and name;
# "Secretary-General" is no rank
RANKED = re.compile(rf"(?<![\w.-])(?P<rank>{_RANK})[ \t]+(?:(?:Sir|Dame|Dr\.?|Prof\.?)[ \t]+)?(?P<name>{_NAME})")
# Honorifics and titles of nobility and clergy ("Lord Robertson", "His Holiness Irinej", "Archimandrite Sava"):
# the name follows, the title is not part of it.
HONORIFIC = re.compile(
    rf"\b(?:(?:the )?Right Hono(?:u)?rable |Rt\.? Hon\.? )?"
    rf"(?P<h>Mr|Mrs|Ms|Dr|Prof|Mister|Madam|Sir|Dame|Lord|Lady|Baroness|Baron|Father|Fr|Rev|Reverend|Bishop|Imam|"
    rf"Mufti|Sister|His Holiness|His Eminence|His Grace|Archimandrite|Metropolitan|Hieromonk|Abbot|Abbess|Patriarch)"
    rf"\.?[ \t]+(?P<name>{_NAME})"
)
# Credits: "By NEBI QENA, ...", "(Reporting by X; Editing by Y)", "Editor: X", "Photo: Lt. Col. X" (paragraph start)
CREDIT = re.compile(
    rf"\(?(?:(?:Story|Text|Photos?|Reporting|Editing|Writing|Additional reporting)[ \t]+)?"
    rf"(?:[Bb]y|Editor:|Photos?:|Author:|Photographer:)[ \t]+(?P<name>{_NAME})(?=[,;)\n]|$)"
)
# A name followed by its role in apposition: "Milan Radoicic, a former vice president of ..."
APPOSED = re.compile(
    rf"(?P<name>{_NAME}),[ \t]+(?:a|an|the)[ \t]+(?:(?:former|new|current|acting|deputy|local|senior)[ \t]+)*"
    rf"(?:{ROLE})\b"
)
ROLE_NAME = re.compile(rf"\b(?P<role>{ROLE})(?: (?:of|in|for) (?:the )?(?P<of>{CAP}(?: {CAP})*))?")
HEAD_NAMES = (
    re.compile(rf"\b[Hh]ead of [^,.;\n]{{1,40}}?(?P<sep>,[ \t]+)(?P<name>{_NAME})"),  # "Head of X office, Name"
    re.compile(rf"\b[Hh]ead of [^,.;\n]{{1,40}}?(?P<sep>[ \t]+)(?P<name>{_NAME})"),
)
NAME_AFTER = re.compile(rf",?[ \t]+(?P<name>{_NAME})")
ROLE_OF_NAME = re.compile(rf"(?:{ROLE}) (?:of|for) [^,.;\n]{{1,60}}?(?P<sep>,[ \t]+)(?P<name>{_NAME})")
_NOT_RANK_BEFORE = re.compile(
    r"(?:Secretary|Attorney|Director|Inspector|Governor|Consul|Surgeon|Solicitor|Auditor|Advocate|Procurator|Adjutant)[ \t]$"
)
_ORG_WORDS = frozenset(
    "mission office police force forces command council team unit committee agency ministry army brigade "
    "battalion regiment group headquarters centre center service department institute "
    # publications named in credits ("By Eurasia Review", "Source: Balkan Daily")
    "review news times press post media daily radio television journal herald tribune gazette wire online "
    "insight".split()
)
SUFFIXES = frozenset({"ii", "iii", "iv", "jr", "sr"})
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_NOT_NAME = frozenset({*(name_key(r) for r in CODE_OF), "commander", "kfor", "nato", "eulex", "said", "the",
                       "director", "secretary", "head", "chief", "minister", "president", "deputy", "officer",
                       "assembly", "staff", "council", "command", "headquarters", "chambers", "court", "directorate",
                       "secretariat", "elections", "election", "affairs", "public"})


@dataclass(frozen=True)
class PersonMention:
    start: int
    end: int
    words: tuple[str, ...]  # as written
    rank: str | None = None  # spelled-out label
    trigger: int = 0  # where the rank/title/role phrase begins
    known: str | None = None  # gazetteer key for a known full name


def _trim(text: str, start: int, end: int, gaz: Gazetteer) -> tuple[int, list[str]] | None:
    """Drop trailing words that are not name parts (acronyms like KFOR, rank words)."""
    parts = [(m.start() + start, m.group()) for m in re.finditer(r"\S+", text[start:end])]
    while parts:
        word = name_key(parts[-1][1])
        if word in _NOT_NAME or (word in gaz.forms and parts[-1][1].isupper() and len(parts) > 1):
            parts.pop()
        else:
            break
    first = name_key(parts[0][1]) if parts else ""
    if (not parts or first in STOP or first in _NOT_NAME or first in _RANK_STARTS or first in _HONORIFIC_STARTS
            or first in _WEEKDAYS):  # "on Friday Glogovac": a weekday before a place is no first name
        return None  # "Commander Maj Gen X", "the Abbot, Father X": the rank/honorific pattern reads that name
    return parts[-1][0] + len(parts[-1][1]), [p[1] for p in parts]


# First words (folded) of the triggers: the patterns are tried only where one of them starts.
_RANK_STARTS = frozenset(name_key(f).split()[0] for f in rank_forms())
_HONORIFIC_STARTS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "mister", "madam", "sir", "dame", "lord", "lady", "baroness", "baron",
     "father", "fr", "rev", "reverend", "bishop", "imam", "mufti", "sister", "his", "archimandrite", "metropolitan",
     "hieromonk", "abbot", "abbess", "patriarch"}
)
_ROLE_STARTS = frozenset(
    "deputy vice acting secretary chief prime president ambassador spokesperson spokesman spokeswoman "
    "chairman chairwoman commander head director minister mayor negotiator envoy representative ombudsperson "
    "prosecutor governor coordinator adviser advisor abbot bishop patriarch leader correspondent reporter "
    "senior special high supreme civilian defence defense foreign interior justice finance health education "
    "administrator writer editor photographer pio instructor".split()
)


def find_person_mentions(text: str, gaz: Gazetteer,
                         toks: list[tuple[int, int, str]] | None = None) -> list[PersonMention]:
    """Names introduced by a rank, an honorific or a role (spans of the name only).

    ``toks`` are ``folded_words(text)`` when the caller has them already.
    """
    found: dict[int, PersonMention] = {}
    toks = folded_words(text) if toks is None else toks
    starts = [(t[0], t[2]) for t in toks if t[2] in _RANK_STARTS or t[2] in _HONORIFIC_STARTS or t[2] in _ROLE_STARTS]

    def add(m: re.Match[str], rank: str | None, trigger: int, *, min_words: int = 1) -> bool:
        return add_span(m.start("name"), m.end("name"), rank, trigger, min_words=min_words)

    def add_span(name_start: int, name_end: int, rank: str | None, trigger: int, *, min_words: int = 1) -> bool:
        trimmed = _trim(text, name_start, name_end, gaz)
        if trimmed is None:
            return False
        end, parts = trimmed
        if len([p for p in parts if not p.endswith(".")]) < min_words:
            return False
        start = name_start
        if gaz.lookup(text[start:end], EntityKind.PLACE) or gaz.lookup(text[start:end], EntityKind.ORGANIZATION):
            return False
        folded = [name_key(p) for p in parts]
        if any(w in _ORG_WORDS or (w in gaz.acronyms and p.isupper()) for w, p in zip(folded, parts)):
            return False  # "the Head of the OSCE Mission": an organization, not a name
        if start not in found or (rank and not found[start].rank):
            found[start] = PersonMention(start, end, tuple(parts), rank, trigger)
        return True

    covered = 0  # like finditer: a rank inside an earlier match starts no match of its own
    for pos, word in starts:
        m = RANKED.match(text, pos) if word in _RANK_STARTS and pos >= covered else None
        if m is None:
            continue
        covered = m.end()
        if m["rank"] in ("General", "Gen.") and _NOT_RANK_BEFORE.search(text, max(0, m.start() - 14), m.start()):
            continue
        add(m, rank_of(m["rank"]).label, m.start())
    for pos, word in starts:
        m = HONORIFIC.match(text, pos) if word in _HONORIFIC_STARTS else None
        if m is not None:
            add(m, None, m.start())
    for pos in _credit_starts(text):  # credits open a paragraph: try only there
        m = CREDIT.match(text, pos)
        if m is not None and m.start("name") not in found:
            add(m, None, m.start("name"), min_words=2)
    for m in _apposed(text):
        if m.start("name") not in found and not any(p.start < m.end("name") and m.start("name") < p.end
                                                    for p in found.values()):
            add(m, None, m.start("name"), min_words=2)
    covered = 0
    for pos, word in starts:
        if word not in _ROLE_STARTS or pos < covered:
            continue
        for end in _role_ends(text, pos):  # "President of Kosovo | Teuta Hasani", "Minister of Foreign Affairs | X"
            n = NAME_AFTER.match(text, end)
            if n is None or any(p.start < n.end("name") and n.start("name") < p.end for p in found.values()):
                continue  # "the commander, German General X": the rank's match reads the name
            if n.start("name") not in found and add(n, None, n.start("name"), min_words=2):
                covered = n.end()
                break
    return sorted(found.values(), key=lambda p: p.start)




def _credit_starts(text: str) -> list[int]:
    """Where a credit may start: paragraph starts, and after "; " in a paragraph that has " by "."""
    if "by " not in text and "By " not in text and ":" not in text:
        return []
    starts = [0] + [i + 1 for i in _find_all(text, "\n")]
    if "; " in text:
        starts += [i + 2 for i in _find_all(text, "; ")]
    return starts


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


_APPOSED_ROLE = re.compile(rf",[ \t]+(?:a|an|the)[ \t]+(?:(?:former|new|current|acting|deputy|local|senior)[ \t]+)*(?:{ROLE})\b")


def _apposed(text: str) -> list[re.Match[str]]:
    """"Name, a former vice president of ...": tried only where such a role phrase follows a comma."""
    found = []
    for k in _APPOSED_ROLE.finditer(text):
        start = max(0, k.start() - 60)
        for m in APPOSED.finditer(text, start, k.end()):
            if m.end("name") == k.start():
                found.append(m)
                break
    return found


def _role_ends(text: str, pos: int) -> list[int]:
    """Where the role phrase starting at ``pos`` may end: after each word of its "of ..." part, then bare."""
    found: list[int] = []
    m = ROLE_NAME.match(text, pos)
    if m is not None:
        if m["of"]:
            found += [pos + w.end() for w in re.finditer(r"\S+", text[pos:m.end()]) if pos + w.end() > m.start("of")]
        found.append(m.end("role"))
    for regex in HEAD_NAMES:
        h = regex.match(text, pos)
        if h is not None:
            found.append(h.start("sep"))  # "Head of Zvecan municipality, Dragisa Milovic"
    h = ROLE_OF_NAME.match(text, pos)
    if h is not None:
        found.append(h.start("sep"))  # "the mayor of Pejë/Peć, Gazmend Muhaxheri"
    return found


def tidy_name(words: tuple[str, ...] | list[str]) -> str:
    """``("Salvatore", "FARINA")`` -> ``"Salvatore Farina"``; initials and suffixes kept."""
    out = []
    for word in words:
        if word.isupper() and len(word) > 1 and name_key(word) not in SUFFIXES and not word.endswith("."):
            word = re.sub(rf"[{UP}]+", lambda m: m.group()[0] + m.group()[1:].lower(), word)
        out.append(word)
    return " ".join(out)
