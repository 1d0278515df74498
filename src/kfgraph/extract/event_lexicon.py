"""The event-trigger lexicons: per type, the verbs and nouns that report a happening.

Read by ``kfgraph.extract.events``. Each type has lower-case ``keywords`` (cheap substring
tests that gate the regex) and a ``pattern``; tense and modality are left open on purpose
("will visit" is a Visit). Also here: which types silence which within one sentence, and
which types fold into an occasion (``HOSTS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kfgraph.models import EventType

__all__ = [
    "ALSO", "ANAPHORIC", "DESCRIPTIVE", "DUTIES", "FRAME", "FRAME_TYPES", "HOSTS", "OWN_OCCASION", "PRESENT_STATEMENT",
    "PRONOUN_INVERTED", "PRONOUN_SUBJECT", "SILENCES", "TOPIC", "TRIGGERS", "TROOP_OBJECT", "Trigger",
]

T = EventType
_I = re.IGNORECASE


@dataclass(frozen=True)
class Trigger:
    """A type's lexicon: ``pattern`` is only run when one of ``keywords`` (lower case) occurs."""

    keywords: tuple[str, ...]
    pattern: re.Pattern[str]


def _trigger(keywords: tuple[str, ...], pattern: str, flags: int = 0) -> Trigger:
    return Trigger(keywords, re.compile(pattern, flags))


# Trigger lexicons: verbs (any tense or modality: "will visit" is a Visit) and nouns per type.
TRIGGERS: dict[EventType, Trigger] = {
    T.CHANGE_OF_COMMAND: _trigger(
        ('command', 'authority', 'took over', 'take over', 'takes over', 'taking over', 'leadership'),
        r"\b(?:change[- ]of[- ]command|hand(?:ed|s|ing)?[- ]?over (?:of )?(?:the )?(?:command|authority|leadership)"
        r"|(?:took|take|takes|taking) over (?:the )?(?:command|leadership|helm)"
        r"|(?:took|take|takes|taking) over (?:from|as (?:the )?(?:new )?commander)"
        r"|assum(?:ed|es|ing) (?:the )?(?:command|authority|leadership)|relinquish(?:ed|es|ing)? (?:the )?command"
        r"|transfer of (?:authority|command)|(?:is|as|became) the new commander"
        r"|hand(?:ed|s|ing)? over (?:the )?(?:[\w-]+ )?(?:flag|colou?rs) to (?:his|her|the) successor)\b",
        _I,
    ),
    T.EXERCISE: _trigger(
        ('exercis', 'drill', 'manoeuv', 'maneuv'),
        r"\b(?:exercises?|drills?|manoeuvres|maneuvers)\b(?!\s+(?:restraint|caution|its|their|the right|control))", _I
    ),
    T.TRAINING: _trigger(
        ("train", "workshop", "seminar", "course", "certif"),
        r"\b(?:training|trainings|trained|workshops?|seminars?|(?<!of )courses?(?! of)|certification|certified)\b"
        r"(?!\s+(?:area|centre|center|ground|range|facility))",
        _I,
    ),
    T.DEPLOYMENT: _trigger(
        ('deploy', 'presence', 'reinforc', 'rotation', 'arriv', 'travel', 'sen', 'flew', 'entered', 'dispatch',
         'withdr', 'pull', 'home'),
        r"\b(?:(?:re)?deploy(?:ed|s|ing|ment|ments)?|increased (?:its |their |the |our )?(?:recent )?(?:increased )?presence"
        r"|increase[ds]? (?:its |their |the |our )?presence|reinforcements?"
        r"|(?:beef(?:ed|s|ing)? up|boost(?:ed|s|ing)?|bolster(?:ed|s|ing)?|strengthen(?:ed|s|ing)?) (?:its |their |the |our )?"
        r"(?:[\w-]+ ){0,2}presence"
        r"|rotation of (?:[\w-]+ ){0,2}(?:troops|soldiers|forces|personnel|units|contingents?)"
        # sending forces and taking them home: "decided to send reserve forces", "set to fly home"
        r"|(?:send|sends|sending|sent|dispatch(?:es|ed|ing)?) (?:[\w-]+ ){0,4}?(?:forces|troops|soldiers|reinforcements"
        r"|personnel|units|peacekeepers|battalions?|compan(?:y|ies)|contingents?)"
        r"|withdr[ae]w[ns]? from|withdrawing from|withdrawal (?:of (?:[\w-]+ ){1,4})?from|pull(?:ed|s|ing)? out of"
        r"|(?:fly|flies|flew|flown|flying) home"
        r"|(?:team|troops|unit|contingent|soldiers|personnel|battalion|company|platoon|peacekeepers|force|KFOR)\b[^.;]{0,40}?"
        r"\b(?:arrived|arrives|travell?ed|(?:was|were|has been|have been) sent|flew|entered (?:Kosovo|the province)))\b",
        _I,
    ),
    T.PATROL: _trigger(
        ('patrol', 'checkpoint', 'escort'),
        r"\b(?=[Pp]atrol)(?<!\bat a )(?<!\bat the )(?<!\bon a )(?<!\bon the )(?<!\bagainst a )(?<!\bagainst the )"
        r"(?<!police )(?<!\bat a police )"
        r"\bpatroll?(?:s|ed|ing)?\b(?!\s+(?:vehicles?|cars?|boats?|bases?|routes?))"
        # checkpoints set up and convoys escorted are security operations too
        r"|\b(?:set up|established|manned|erected) (?:a |an |new |several |mobile |temporary |vehicle )?checkpoints?\b"
        r"|\bescort(?:ed|s|ing)? (?:a |an |the )?(?:[\w-]+ )?(?:convoys?|buses|pilgrims|delegation)\b", _I),
    T.VISIT: _trigger(
        ('visit', 'tour', 'travel'),
        r"\b(?:visit(?:s|ed|ing)?|toured?|(?:is |was )?travell?(?:ed|s|ing)? (?:on \w+ |today |yesterday )?to"
        r"(?! (?:join|support|help|assist|attend|take|serve|reinforce)\b))\b"
        r"(?!\s+(?:card|page|website|our (?:website|page|site)|the (?:website|page|site)|www|http))", _I),  # "visit our website"
    T.MEETING: _trigger(
        ('met', 'meet', 'talks', 'summit', 'conference', 'agreed', 'decided', 'decision'),
        r"\b(?:met|meets?|meeting|meetings|talks|summit|conference"
        r"|agreed (?:by|at)|(?:ministers|council|leaders|heads of state and government) (?:also )?(?:agreed|decided)"
        r"|decision was (?:taken|made) by (?:[\w-]+ ){0,3}(?:ministers|council|leaders|allies))\b",
        _I,
    ),
    T.CEREMONY: _trigger(
        ('ceremon', 'commemor', 'wreath', 'memorial', 'medal', 'award', 'inaugur', 'anniversary', 'celebrat', 'funeral',
         'silence',
         'established', 'opened'),
        r"\b(?:ceremon(?:y|ies)|commemorat(?:ion|ions|ed|es|ing)|wreath[- ]laying|memorial service|medal parade"
        r"|awarded|inaugurat(?:ed|ion)|marked (?:the|its) [\w-]+ anniversary|celebrat(?:ed|es|ing|ion|ions)"
        r"|(?:laid|lay|lays|laying) (?:a )?(?:floral )?wreaths?|(?:formally|officially) (?:established|opened)"
        r"|award(?:s|ing)? (?:[\w-]+ ){0,3}(?:with )?medals?|(?:received|receive|presented) (?:[\w-]+ ){0,3}medals?"
        r"|funeral|minute of silence)\b",
        _I,
    ),
    T.DONATION: _trigger(
        ('donat', 'donor', 'handed over', 'deliver', 'gift', 'received', 'distribut', 'humanitarian'),
        r"\b(?:donat(?:ed|es|ing|ion|ions)|donors?|handed over(?! (?:the )?(?:[\w-]+ )?(?:flag|colou?rs|command|authority|responsibility|duties))"
        r"|deliver(?:ed|y|ies)(?! (?:a |an |the |his |her |its |their )?(?:[\w-]+ )?(?:message|speech|address|remarks"
        r"|statement|lecture|presentation|briefing|keynote))|gifted|distribut(?:ed|ion of) (?:[\w-]+ ){0,3}(?:aid|food|packages|parcels|toys|gifts|clothes"
        r"|clothing|supplies|materials|books|equipment|kits)|humanitarian aid"
        r"|received (?:new )?(?:[\w-]+ ){0,3}(?:equipment|furniture|supplies|materials|aid|kits?))\b",
        _I,
    ),
    T.INCIDENT: _trigger(
        ('injur', 'wound', 'killed', 'clash', 'attack', 'violent', 'riot', 'gunfire', 'shooting', 'fire', 'explosi', 'ambush', 'gas', 'casualt', 'ordnance', 'detonation', 'device', 'grenade', 'arson', 'torched', 'accident', 'crash', 'shots', 'stabbed', 'threw', 'thrown', 'throwing', 'hurled'),
        r"\b(?:injur(?:ed|ies|y|ing)|wounded|killed|clash(?:es|ed)?|attack(?:s|ed)?"
        r"|violent (?:protests?|clash(?:es)?|incidents?|acts?|attacks?|riots?|demonstrations?)|riots?(?! control)"
        r"|gunfire|shooting|opened fire|explosions?|ambush(?:ed)?|warning shots|tear ?gas|casualt(?:y|ies)"
        r"|(?:traffic |road |helicopter |vehicle )?accident|crash(?:ed)?|shots (?:were )?fired|fired shots|stabbed"
        r"|(?:threw|thrown|throwing|hurled) (?:[\w-]+ )?(?:stones|rocks|bottles|molotov cocktails|petrol bombs)"
        # one device found is an incident; "disposed of 16 unexploded ordnance munitions" in training is not
        r"|\ban? unexploded (?:[\w-]+ )?(?:ordnance|mortar|shell|grenade|bomb|device|munition|round|rocket)"
        r"|unexploded (?:[\w-]+ ){0,3}(?:was|were) (?:found|discovered)|(?:explosive|improvised) (?:ordnance(?! disposal)|devices?)"
        # a grenade thrown or exploding is an attack; "munitions ranging from hand grenades to ..." is not
        r"|controlled detonation|grenade attacks?|(?:threw|thrown|hurled|tossed) (?:an? |the )?(?:hand )?grenades?"
        r"|(?:hand )?grenades? (?:was |were )?(?:thrown|hurled|tossed|explod\w*|detonat\w*)|arson|set (?:on )?fire"
        r"|torched)\b",
        _I,
    ),
    T.STATEMENT: _trigger(
        ('said', 'says', 'stated', 'states', 'told', 'added', 'stress', 'pointed out', 'explained', 'assured', 'appealed',
         'insisted', 'reported', 'expressed', 'emphasi', 'underline', 'highlight', 'note', 'reaffirm', 'reiterat', 'condemn', 'urge', 'warn', 'announc', 'blame', 'accuse', 'claim', 'confirm', 'conclude', 'informed', 'statement', 'release', 'communiqu', 'call', 'critici', 'denied', 'denies'),
        r"\b(?:said|says|stated|states|told (?:the |a )?(?:media|press|reporters|journalists|(?:press|news) conference)"
        r"|added|stressed|stresses|pointed out|explained|assured|appealed|insisted|reported that"
        r"|expressed (?:his |her |their |its |deep |strong )?(?:concern|satisfaction|gratitude|support|condolences|regret)"
        r"|emphasi[sz](?:ed|es)|underlined|underlines|highlighted|highlights|noted|notes|reaffirm(?:s|ed)"
        r"|reiterat(?:es|ed)|condemn(?:s|ed)|urged|urges|warned|warns|announced|announces|blamed|blames"
        r"|accused|accuses|claimed|claims|confirmed|confirms|concluded|informed the (?:media|press|public)|call(?:s|ed) (?:on|upon)"
        r"|in a (?:press )?(?:statement|release|communiqu[eé])|in (?:his|her|their|its) (?:first |final )?statement"
        r"|critici[sz](?:ed|es)|denied|denies"
        r"|told (?-i:[A-Z][\w/]+)(?: (?-i:[A-Z]\w+))?(?= that\b|[,.]| on\b| in an?\b)"  # "told RFE/RL that", "told Reuters on"
        r"|call(?:s|ed) (?:it|this|that|the [\w-]+(?: [\w-]+)?) [\"“]?an? )\b",
        # lower case only: "States" in "United States" is a name
    ),
    T.OTHER: _trigger(
        ('conference', 'briefing', 'independence', 'barricade', 'block', 'request', 'tournament', 'competition', 'concert', 'open day', 'festival', 'marathon', 'exhibition', 'roadblock', 'reshuffle', 'restructur', 'reorgani', 'protest', 'demonstration', 'rall'),
        r"\b(?:press conference|news conference|press briefing"
        r"|declar(?:ation|ed) (?:of )?independence|independence declared"
        r"|(?:set up|erected|put up|built|removed|cleared|dismantled) (?:a |the |new )?(?:barricades?|road ?blocks?)"
        r"|(?:barricades?|road ?blocks?) (?:were |was )?(?:set up|erected|removed)|blocked (?:the )?(?:main )?roads?"
        r"|tournaments?|competitions?|concerts?|open day|festival|marathon|exhibition"
        r"|(?:analy[sz]ing|reviewing|considering|examining) (?:the |a )?[\w’' -]{0,40}?request"
        r"|reshuffle|restructuring|reorgani[sz]ation"
        # a protest held peacefully (a violent one is an incident)
        r"|(?:held|staged|organi[sz]ed|hold|stage) (?:a |an )?(?:[\w-]+ )?(?:protests?|demonstrations?|rally|rallies))\b",
        _I,
    ),
}

# Present-tense statement verbs: a body's own declaration, dated on publication.
PRESENT_STATEMENT = re.compile(
    r"^(?:says|states|calls (?:on|upon)|stresses|emphasi[sz]es|underlines|highlights|notes|reaffirms|reiterates|condemns|urges|warns|announces|blames|accuses|claims|confirms)$"
)
# Types that describe one occasion and so absorb remarks or a ceremony held at it.
HOSTS: dict[EventType, tuple[EventType, ...]] = {
    T.STATEMENT: (T.MEETING, T.CEREMONY, T.CHANGE_OF_COMMAND, T.VISIT),
    T.CEREMONY: (T.CHANGE_OF_COMMAND, T.DONATION),
    T.TRAINING: (T.EXERCISE,),
}
# Within one sentence, a specific type silences a generic one.
SILENCES: dict[EventType, tuple[EventType, ...]] = {
    T.CHANGE_OF_COMMAND: (T.CEREMONY, T.MEETING),
    T.DONATION: (T.CEREMONY,),
    T.EXERCISE: (T.TRAINING, T.INCIDENT),
    T.TRAINING: (T.INCIDENT,),
    T.OTHER: (T.MEETING,),
    T.MEETING: (T.VISIT,),
    T.INCIDENT: (T.OTHER,),  # barricades set up in a clash are part of the clash
}

# --- cues around a trigger (genre patterns; each names the form it reads) -----------------

# "During his visit, ...", "Following the visit to ...", "This visit will be an opportunity to meet ...":
# an occasion named as the frame of what the sentence reports. The framed happening shares its day.
FRAME = re.compile(
    r"\b(?:(?:during|after|following|at the end of|in the course of|on the occasion of|as part of|on the day of)\s+"
    r"(?:the|his|her|their|this|its|that)\s+(?:[\w-]+\s+){0,2}(?P<noun>visit|meeting|ceremony|parade|exercise|trip)"
    r"|(?:the|this)\s+(?P<noun2>visit|meeting|ceremony|parade)\b(?:\s+[\w,-]+){0,6}?\s+(?:was|is|will be)\s+(?:also\s+)?"
    r"an?\s+(?:opportunity|occasion|chance))\b",
    re.IGNORECASE,
)
FRAME_TYPES: dict[str, EventType] = {
    "visit": T.VISIT, "trip": T.VISIT, "meeting": T.MEETING, "ceremony": T.CEREMONY, "parade": T.CEREMONY,
    "exercise": T.EXERCISE,
}
# "briefed on the contingent's patrols", "discussed the exercise": a topic, not a happening.
TOPIC = re.compile(
    r"\b(?:briefed|briefing|informed|told|talked|spoke|spoken|reported|learned|heard) (?:him |her |them )?(?:on|about)"
    r"\s+(?:(?!that\b|which\b|when\b)[\w’'-]+\s+){0,4}$"  # not "reported on Friday that troops patrolled"
    r"|\bdiscuss(?:ed|es|ing)?\s+(?:(?!that\b|which\b|when\b)[\w’'-]+\s+){0,4}$",
    re.IGNORECASE,
)
# "Their duties were to ... carry out patrols": the standing tasks of a unit, not happenings.
DUTIES = re.compile(r"\b(?:duties|tasks)\s+(?:were|was|are|is|included?|include)\s+(?:to\b|the\b)", re.IGNORECASE)
# A meeting with one's own troops is a visit to them ("met with Polish soldiers serving in ...").
TROOP_OBJECT = re.compile(
    r"\s*(?:with\s+)?(?:the\s+)?(?:[\w-]+\s+(?:and\s+)?){0,3}?(?:soldiers|troops|personnel|servicemen|service members"
    r"|peacekeepers|contingent|members of (?:the |their |his |her )?(?:[\w-]+\s+){0,4}?(?:contingent|battalion|unit"
    r"|forces?|mission|troops))\b",
    re.IGNORECASE,
)
# "the meeting", "this visit": a noun that points back at an occasion already reported.
ANAPHORIC = re.compile(r"\b(?:the|this|that)\s+$", re.IGNORECASE)
# "forces deployed abroad", "1,500 soldiers deployed in nine contingents", "police, also deployed in":
# a participle describing a force, not a deployment that happens.
DESCRIPTIVE = re.compile(
    r"(?:\b(?:forces|troops|soldiers|personnel|units|police|peacekeepers|officers|contingents?)\s+(?:currently\s+|now\s+|also\s+)?"
    r"|,\s*(?:also\s+|currently\s+)?)$",
    re.IGNORECASE,
)
# "He said", "she added", "..., he said": the speaker is the one just quoted.
PRONOUN_SUBJECT = re.compile(r"(?:^|[\s,\"”’])(?:he|she|they)\s+(?:\w+ly\s+|also\s+|then\s+)?$", re.IGNORECASE)
PRONOUN_INVERTED = re.compile(r"\s+(?:he|she|they)\b", re.IGNORECASE)
# Remarks made at a press conference, or ahead of an occasion, are not part of the occasion.
OWN_OCCASION = re.compile(
    r"\b(?:press|news) conference\b|\b(?:in advance of|ahead of|before) (?:the|his|her|their|this) ",
    re.IGNORECASE,
)
# "also visited ...", "will also meet ...": another occasion of the same kind, not the same one again.
ALSO = re.compile(r"\b(?:also|then|later|subsequently|afterwards)\s+(?:(?:will|would|to)\s+)?$", re.IGNORECASE)
