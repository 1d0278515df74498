"""Posts: the role a person holds in an organization, read from the words around one mention.

    roles_for(mention, context) -> (roles, nationality)

The role phrases of the genre, before the name:

- "Commander of KFOR, Major General X", "the Head of the United Nations Mission in Kosovo, X";
- "KFOR Commander Maj Gen X", "the KFOR Force Commander, X", "the KFOR chief commander, German General X";
- "Commander KFOR General X", "COMKFOR Lt. Gen. X", "Deputy COMKFOR Brig. Gen. X";
- "Contingent Commander Lt Col X": a role named by its unit's head noun is held in the release's unit
  with that head noun; "Its commander, Colonel X": in the unit the previous sentence is about;

and after it: "X, commander of the battle group's 2nd Battalion, 136th Infantry Regiment", "X, the first
MNTF-S commander", "X, the brigade commander", "X, the JRD-N chief of staff", "X, MNTF-C PIO",
"X, Associated Press Writer", "X, COMKFOR".

The organization of a role is the first one its "of" part names (not a "NATO-led" description; in
"UNMIK's Regional Office" the post is UNMIK's), else one just before the role. A minister's post is in
the ministry of the same portfolio the release names; "Chief of the Serbian Armed Forces General Staff"
heads the Serbian Armed Forces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kfgraph.extract.gazetteer import Gazetteer, name_key
from kfgraph.extract.grammar import CAP
from kfgraph.extract.persons import ROLE, PersonMention
from kfgraph.models import RoleHeld

OrgSpan = tuple[int, int, str]  # start, end, organization key

_COMKFOR = r"(?:Deputy |D)?COM ?KFOR"
# unit head nouns that name a role's unit: "the brigade commander", "Contingent Commander"
_UNIT_WORD = (r"(?:[Cc]ontingent|[Bb]rigade|[Bb]attalion|[Rr]egiment|[Cc]ompany|[Bb]attle [Gg]roup|[Tt]ask [Ff]orce|"
              r"[Dd]etachment|[Ss]quadron|[Dd]ivision|[Gg]roup|[Uu]nit)")
_PRE_ROLE = re.compile(
    rf"(?:(?P<unit>{_UNIT_WORD}) )?(?P<role>{ROLE}|{_COMKFOR})(?P<of> (?:of|for|in) (?:[^,;.\n]|\n(?!\n)){{1,60}}?)?"
    rf"(?P<after> (?:KFOR|[A-Z]{{2,}}(?:-[A-Z]+)?))?(?P<sep>,[ \t]*(?:the Right Hono(?:u)?rable[ \t]+|{CAP}[ \t]+)?| (?:is|was) (?:now )?)?[ \t]*$"
)
# "The XXXVIII rotation of PMC KFOR is commanded by Lt. Col. X": the post is in the sentence's first organization
_PASSIVE = re.compile(r"\b(?:is|was|are|were|has been|will be) (?:currently |now )?(?:commanded|led|headed) by[ \t]+$")
_POST_ROLE = re.compile(
    rf"(?:,[ \t]*[A-Z]{{2,5}})?,?[ \t]+(?:(?:is|was|as|became|remains)[ \t]+)?(?:(?:the|a|an)[ \t]+)?"
    rf"(?P<adj>(?:(?:new|current|outgoing|incoming|former|first|second|third|\d+(?:st|nd|rd|th)|{_UNIT_WORD}|"
    rf"[A-Z][\w’'-]*)[ \t]+){{0,3}}?)"
    rf"(?P<role>{ROLE}|{_COMKFOR}|PIO)(?:,[ \t]*|[ \t]+(?P<of>of|for)[ \t]+(?:the[ \t]+)?|[ \t]+|(?=[.;:)\n])|$)"
)
# a cheap test before the role regex: the words a role phrase can end on
_ROLE_WORD = re.compile(r"(?i:commander|chief|head|director|minister|president|secretary|representative|spokes|"
                        r"chairman|chairwoman|mayor|ambassador|envoy|advis|leader|officer|administrator|governor|"
                        r"coordinator|negotiator|prosecutor|ombudsperson|abbot|bishop|patriarch|correspondent|"
                        r"reporter|writer|editor|photographer|instructor|pio|com ?kfor|staff|defen[cs]e)")
_LINKED = re.compile(r"\b(?:and|with|by|from|to|between)[ \t]*$")
_APPOSITION = re.compile(r",[ \t]*(?:the[ \t]+)?$")
_POSSESSIVE_PRONOUN = re.compile(r"\b(?:[Ii]ts|[Tt]heir|[Tt]he unit[’']s|[Tt]he brigade[’']s|[Tt]he battalion[’']s)[ \t]+$")
# words between an organization and its role: "KFOR Force Commander", "the KFOR chief commander"
_ROLE_MODIFIERS = re.compile(r"[ \t]+(?:(?:[Cc]hief|[Dd]eputy|Force|[Ss]enior|[Tt]op|[Nn]ew|[Oo]utgoing|[Ii]ncoming|"
                             r"[Ff]ormer|[Aa]cting|[A-Z]{2,6})[ \t]+)*")  # "KSF EOD instructor": a branch's acronym
_PORTFOLIOS = ("defence", "foreign", "interior", "justice", "finance", "health", "education")
_OF_WORDS = re.compile(rf"{CAP}(?: (?:and )?{CAP}){{0,3}}")
_OWNED = re.compile(r"(?:the )?(?:[a-z]+ ){1,2}[a-z]+['’]s ")  # "the battle group's 2nd Battalion"
_FORCES = re.compile(r"\b(?:Armed Forces|Army|Defen[cs]e Forces)\b")


@dataclass(frozen=True)
class RoleContext:
    """What role reading needs besides the mention: the text, its organization spans and labels."""

    text: str
    org_spans: list[OrgSpan]  # sorted by start
    gaz: Gazetteer
    name_ends: frozenset[int]
    org_labels: dict[str, str]  # organization key -> label
    pre_roles: dict[int, re.Match[str] | None] = field(default_factory=dict)  # trigger -> role phrase before it


def role_label(role: str) -> str:
    """The role's canonical wording: "spokesman" -> "Spokesperson", "KFOR Force Commander" -> "Commander"."""
    low = role.lower()
    if low.startswith("spokes"):
        return "Spokesperson"
    if low.replace(" ", "") in ("comkfor", "forcecommander"):
        return "Commander"
    if low.replace(" ", "") in ("deputycomkfor", "dcomkfor"):
        return "Deputy Commander"
    if role.isupper():
        return role  # "PIO", as written
    role = role.replace("Secretary-General", "Secretary General")
    return " ".join(w if w in ("of", "the", "for") else w[:1].upper() + w[1:] for w in role.split())


# a full stop after these ends no sentence: "Brig. Gen. John Roe", "Mr. Thaci", "Mark E. Ferguson"
_ABBREVIATION = re.compile(r"(?:\b(?:Gen|Brig|Col|Lt|Maj|Capt|Cpt|Sgt|Adm|Cdr|Dr|Mr|Mrs|Ms|Prof|St|No|Rev|Fr)|\b[A-Z])$")


def sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (after a full stop that ends a sentence, a line break or
    an opening quote)."""
    stop = text.rfind(". ", 0, pos)
    while stop > 0 and _ABBREVIATION.search(text, max(0, stop - 6), stop):
        stop = text.rfind(". ", 0, stop)
    cut = max(stop, text.rfind("\n", 0, pos), text.rfind("“", 0, pos), text.rfind('"', 0, pos))
    return cut + 1 if cut >= 0 else 0


def clause_end(text: str, pos: int, spans: list[OrgSpan] = ()) -> int:  # type: ignore[assignment]
    """The next comma, full stop, semicolon or line break, skipping commas inside organization names."""
    for m in re.finditer(r"[,.;\n]", text[pos:]):
        at = pos + m.start()
        if m.group() == "," and any(s < at < e for s, e, _ in spans):
            continue  # "2nd Battalion, 136th Infantry Regiment"
        return at
    return len(text)


def _first_org(ctx: RoleContext, start: int, end: int) -> str | None:
    """The organization the words from ``start`` name first: the longest span starting earliest, skipping
    "NATO-led" descriptions; a possessive names the post's organization ("UNMIK's Regional Office")."""
    inside = [s for s in ctx.org_spans if start <= s[0] and s[1] <= end and not ctx.text.startswith(("-led", "–led"), s[1])]
    if not inside:
        return None
    first = min(s[0] for s in inside)
    chosen = max((s for s in inside if s[0] == first), key=lambda s: s[1] - s[0])
    owned = [s for s in inside if s[0] in (chosen[1] + 3, chosen[1] + 2) and ctx.text.startswith(("'s ", "’s "), chosen[1])]
    if owned:
        return max(owned, key=lambda s: s[1] - s[0])[2]  # "commander of NATO's Allied Joint Force Command Naples"
    return chosen[2]


def _org_before(ctx: RoleContext, role_start: int) -> str | None:
    """An organization just before the role, perhaps with modifiers between ("KFOR Force Commander")."""
    for start, end, key in reversed(ctx.org_spans):
        if end > role_start:
            continue
        gap = ctx.text[end:role_start]
        if gap == "" or gap.isspace() or _ROLE_MODIFIERS.fullmatch(gap):
            return key
        return None
    return None


def _unit_org(ctx: RoleContext, unit: str, near: int) -> str | None:
    """The release's organization with the unit's head noun, the nearest one before ``near`` first."""
    word = unit.lower()
    owning = [s for s in ctx.org_spans if word in ctx.org_labels.get(s[2], "").lower()]
    before = [s for s in owning if s[1] <= near]
    chosen = before[-1] if before else (owning[0] if owning else None)
    return chosen[2] if chosen else None


def _previous_subject_org(ctx: RoleContext, start: int) -> str | None:
    """The first organization of the sentence before ``start`` (the subject "its" refers to)."""
    prev_start = sentence_start(ctx.text, max(0, start - 2))
    inside = [s for s in ctx.org_spans if prev_start <= s[0] < start]
    return inside[0][2] if inside else None


_DEFINITE = re.compile(r"\b[Tt]he $")
_UNIT_LABEL = re.compile(r"\b(?:Task Force|Brigade|Battalion|Regiment|Group|Contingent|Command|Detachment|Company|Division)\b")


def _previous_unit(ctx: RoleContext, start: int) -> str | None:
    """The last unit named in the sentence before ``start`` (what "the commander" there refers to)."""
    prev_start = sentence_start(ctx.text, max(0, start - 2))
    units = [s for s in ctx.org_spans if prev_start <= s[0] < start and _UNIT_LABEL.search(ctx.org_labels.get(s[2], ""))]
    return units[-1][2] if units else None


def _ministry(ctx: RoleContext, role: str) -> str | None:
    """A minister's ministry: the release's one ministry of the same portfolio ("Defence Minister" and
    "the Ministry of National Defense")."""
    words = name_key(role).replace("defense", "defence").split()
    field = next((w for w in words if w in _PORTFOLIOS), None)
    if field is None:
        return None
    found = {key for _, _, key in ctx.org_spans
             if "ministry" in (label := name_key(ctx.org_labels.get(key, "")).replace("defense", "defence"))
             and field in label.split()}
    return found.pop() if len(found) == 1 else None


def _general_staff(ctx: RoleContext, role: str, org: str | None, start: int, end: int) -> tuple[str, str | None]:
    """ "Chief of the Serbian Armed Forces General Staff": Chief of General Staff of the armed forces."""
    if org is None or not role.lower().startswith("chief") or not ctx.org_labels.get(org, "").endswith("General Staff"):
        return role, org
    forces = ctx.org_labels[org][:-len(" General Staff")]
    owner = next((key for key, label in ctx.org_labels.items() if label == forces and _FORCES.search(label)), None)
    return "Chief of General Staff", owner or org


def _finish(ctx: RoleContext, role: str, org: str | None, start: int, end: int) -> RoleHeld | None:
    role, org = _general_staff(ctx, role, org, start, end)
    if org is None and "minister" in role.lower():
        org = _ministry(ctx, role)
    if role == "Head" and org is None:
        return None  # "head" alone is no post
    return RoleHeld(role, org)


def roles_for(pm: PersonMention, ctx: RoleContext, *, listed: bool = False,
              next_trigger: int | None = None) -> tuple[list[RoleHeld], str | None]:
    """Roles stated around one mention, and a nationality in the role phrase after it.

    A role phrase before the name is skipped when the name follows "and"/"with" (the phrase belongs
    to someone else: "Kujat, Chairman of the Military Committee and General X") or when the phrase is
    an apposition to an earlier name ("Foggo, Commander of JFC Naples, Mr. Thaci"). In a list of
    "ROLE, NAME" pairs (``listed``: the earlier name had its role before it: "the Commander of KFOR,
    General Mini, the Head of UNMIK, Michael Steiner") the phrase is the next name's, and so is a
    phrase that runs into the next name without a comma ("Dr. Kouchner, Commander KFOR General Reinhardt").
    """
    text = ctx.text
    roles: list[RoleHeld] = []
    pre_start = max(sentence_start(text, pm.trigger), pm.trigger - 90)
    pre = text[pre_start:pm.trigger]
    m = pre_role_of(pm, ctx)
    if m is not None:
        held = _pre_role(ctx, m, pre_start, listed=listed)
        if held is not None:
            roles.append(held)
    elif _PASSIVE.search(pre):
        subject = [s for s in ctx.org_spans if pre_start <= s[0] < pm.trigger]
        if subject:
            roles.append(RoleHeld("Commander", subject[0][2]))
    nationality = None
    window_end = min(len(text), pm.end + 100)
    m = _POST_ROLE.match(text, pm.end, window_end) if _ROLE_WORD.search(text, pm.end, window_end) else None
    if m and next_trigger is not None and _runs_into(ctx, m, next_trigger, has_pre_role=bool(roles)):
        m = None
    if m:
        held = _post_role(ctx, m)
        if held is not None:
            roles.append(held)
        demonyms = [ctx.gaz.demonyms[name_key(w)] for w in m["adj"].split() if name_key(w) in ctx.gaz.demonyms]
        nationality = demonyms[0] if demonyms else None
    return roles, nationality


def pre_role_of(pm: PersonMention, ctx: RoleContext) -> re.Match[str] | None:
    """The role phrase just before a name ("Commander of KFOR, Major General"), if there is one."""
    if pm.trigger in ctx.pre_roles:
        return ctx.pre_roles[pm.trigger]
    pre_start = max(sentence_start(ctx.text, pm.trigger), pm.trigger - 90)
    pre = ctx.text[pre_start:pm.trigger]
    m = _PRE_ROLE.search(pre) if _ROLE_WORD.search(pre) else None
    found = m if m is not None and not _LINKED.search(pre) else None
    ctx.pre_roles[pm.trigger] = found
    return found


def _runs_into(ctx: RoleContext, m: re.Match[str], next_trigger: int, *, has_pre_role: bool) -> bool:
    """Whether the role phrase after a name is the next name's: it runs into it without a comma, or the
    names come in "ROLE, NAME" pairs and a comma alone separates them."""
    reach = m.end()
    for start, end, _ in ctx.org_spans:
        if start == reach:
            reach = end  # "Commander KFOR": the role's organization
    if 0 <= next_trigger - reach <= 1:
        return True  # "Dr. Kouchner, Commander KFOR General Reinhardt"
    end = clause_end(ctx.text, m.end("role"), ctx.org_spans)
    after = ctx.text[end:next_trigger] if next_trigger >= end else None
    return has_pre_role and after is not None and re.fullmatch(r",[ \t]*(?:the[ \t]+)?", after) is not None


def _pre_role(ctx: RoleContext, m: re.Match[str], offset: int, *, listed: bool = False) -> RoleHeld | None:
    text = ctx.text
    role_start = offset + m.start("role")
    head = _APPOSITION.search(text, max(0, role_start - 8), role_start)
    if head is not None and head.start() in ctx.name_ends and not listed and (m["sep"] or "").startswith(","):
        return None  # "Foggo, Commander of JFC Naples, Mr. Thaci": the phrase is Foggo's
    org = "kfor" if "KFOR" in m["role"] else None
    if org is None and m["of"]:
        org = _first_org(ctx, offset + m.start("of"), offset + m.end("of"))
    if org is None and m["after"]:
        org = _first_org(ctx, offset + m.start("after"), offset + m.end("after"))  # "Commander KFOR General X"
    if org is None and m["unit"]:
        org = _unit_org(ctx, m["unit"], role_start)  # "Contingent Commander Lt Col X"
    if org is None:
        org = _org_before(ctx, offset + m.start("unit") if m["unit"] else role_start)
    if org is None and _POSSESSIVE_PRONOUN.search(text, max(0, role_start - 12), role_start):
        org = _previous_subject_org(ctx, offset)  # "The unit ... Its commander, Colonel X"
    if org is None and (m["sep"] or "").startswith(" ") and _DEFINITE.search(text, max(0, role_start - 4), role_start):
        org = _previous_unit(ctx, offset)  # "... the Multi-National Task Force. The commander was General X"
    role = role_label(m["role"])
    if org is None and m["of"]:
        role = f"{role} {' '.join(m['of'].split())}"  # "Head of Zvecan municipality", "Minister of Defence of Romania"
    return _finish(ctx, role, org, offset + m.start("role"), offset + m.end())


def _post_role(ctx: RoleContext, m: re.Match[str]) -> RoleHeld | None:
    text = ctx.text
    adj_orgs = [s for s in ctx.org_spans if m.start("adj") <= s[0] and s[1] <= m.start("role")]
    org = max(adj_orgs, key=lambda s: s[1] - s[0])[2] if adj_orgs else None  # "the first MNTF-S commander"
    if org is None and "KFOR" in m["role"]:
        org = "kfor"  # "X, COMKFOR"
    end = clause_end(text, m.end("role"), ctx.org_spans)
    role = role_label(m["role"])
    if org is None and m["of"]:
        if _starts_org(ctx, m.end()):
            org = _first_org(ctx, m.end(), end)  # "commander of the battle group's 2nd Battalion, 136th ..."
        elif (own := _OWNED.match(text, m.end())) is not None:
            org = _first_org(ctx, own.end(), end)
        elif (words := _OF_WORDS.match(text, m.end())) is not None:
            role = f"{role} of {words.group()}"  # "the Minister of National Defense": a portfolio, not a body
    if org is None:
        unit = re.search(_UNIT_WORD, m["adj"])
        if unit is not None:
            org = _unit_org(ctx, unit.group(), m.start())  # "the brigade commander"
    if org is None and not m["of"] and _starts_org(ctx, m.end()):
        org = _first_org(ctx, m.end(), clause_end(text, m.end(), ctx.org_spans))  # "X, Commander, KFOR"
    return _finish(ctx, role, org, m.start("role"), end)


def _starts_org(ctx: RoleContext, pos: int) -> bool:
    """An organization name starts right here ("X, Commander KFOR")."""
    return any(s == pos for s, _, _ in ctx.org_spans)
