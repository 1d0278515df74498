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

__all__ = ["HOSTS", "PRESENT_STATEMENT", "SILENCES", "TRIGGERS", "Trigger"]

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
        ('command', 'authority'),
        r"\b(?:change[- ]of[- ]command|hand(?:ed|s|ing)?[- ]?over (?:of )?(?:the )?(?:command|authority)"
        r"|(?:took|take|takes|taking) over (?:the )?command|assum(?:ed|es|ing) (?:the )?command"
        r"|transfer of (?:authority|command)|(?:is|as|became) the new commander"
        r"|hand(?:ed|s|ing)? over (?:the )?(?:[\w-]+ )?(?:flag|colou?rs) to (?:his|her|the) successor)\b",
        _I,
    ),
    T.EXERCISE: _trigger(
        ('exercis', 'drill', 'manoeuv', 'maneuv'),
        r"\b(?:exercises?|drills?|manoeuvres|maneuvers)\b(?!\s+(?:restraint|caution|its|their|the right|control))", _I
    ),
    T.TRAINING: _trigger(
        ("train", "workshop", "seminar", "course"),
        r"\b(?:training|trainings|trained|workshops?|seminars?|(?<!of )courses?(?! of))\b"
        r"(?!\s+(?:area|centre|center|ground|range|facility))",
        _I,
    ),
    T.DEPLOYMENT: _trigger(
        ('deploy', 'presence', 'reinforc', 'rotation', 'arriv', 'travel', 'sent', 'flew', 'entered'),
        r"\b(?:(?:re)?deploy(?:ed|s|ing|ment|ments)?|increased (?:its |their |the |our )?(?:recent )?(?:increased )?presence"
        r"|increase[ds]? (?:its |their |the |our )?presence|reinforcements?|rotation of"
        r"|(?:team|troops|unit|contingent|soldiers|personnel|battalion|company|platoon|peacekeepers|force|KFOR)\b[^.;]{0,40}?"
        r"\b(?:arrived|arrives|travell?ed|(?:was|were|has been|have been) sent|flew|entered (?:Kosovo|the province)))\b",
        _I,
    ),
    T.PATROL: _trigger(
        ('patrol',),
        r"\b(?=[Pp]atrol)(?<!\bat a )(?<!\bat the )(?<!\bon a )(?<!\bon the )(?<!\bagainst a )(?<!\bagainst the )"
        r"(?<!police )(?<!\bat a police )"
        r"\bpatroll?(?:s|ed|ing)?\b(?!\s+(?:vehicles?|cars?|boats?|bases?|routes?))", _I),
    T.VISIT: _trigger(
        ('visit', 'tour'),r"\b(?:visit(?:s|ed|ing)?|toured?)\b(?!\s+(?:card|page|website))", _I),
    T.MEETING: _trigger(
        ('met', 'meet', 'talks', 'summit', 'conference', 'agreed'),
        r"\b(?:met|meets?|meeting|meetings|talks|summit|conference"
        r"|agreed (?:by|at)|(?:ministers|council|leaders|heads of state and government) (?:also )?agreed)\b",
        _I,
    ),
    T.CEREMONY: _trigger(
        ('ceremon', 'commemor', 'wreath', 'memorial', 'medal', 'awarded', 'inaugur', 'anniversary', 'celebrat',
         'established', 'opened'),
        r"\b(?:ceremon(?:y|ies)|commemorat(?:ion|ions|ed|es|ing)|wreath[- ]laying|memorial service|medal parade"
        r"|awarded|inaugurat(?:ed|ion)|marked (?:the|its) [\w-]+ anniversary|celebrat(?:ed|es|ing|ion|ions)"
        r"|(?:laid|lay|lays|laying) (?:a )?(?:floral )?wreaths?|(?:formally|officially) (?:established|opened))\b",
        _I,
    ),
    T.DONATION: _trigger(
        ('donat', 'donor', 'handed over', 'deliver', 'gift', 'received', 'distribut', 'humanitarian'),
        r"\b(?:donat(?:ed|es|ing|ion|ions)|donors?|handed over(?! (?:the )?(?:[\w-]+ )?(?:flag|colou?rs|command|authority|responsibility|duties))"
        r"|deliver(?:ed|y|ies)|gifted|distribut(?:ed|ion of) (?:[\w-]+ ){0,3}(?:aid|food|packages|parcels|toys|gifts|clothes"
        r"|clothing|supplies|materials|books|equipment|kits)|humanitarian aid"
        r"|received (?:new )?(?:[\w-]+ ){0,3}(?:equipment|furniture|supplies|materials|aid|kits?))\b",
        _I,
    ),
    T.INCIDENT: _trigger(
        ('injur', 'wound', 'killed', 'clash', 'attack', 'violent', 'riot', 'gunfire', 'shooting', 'fire', 'explosi', 'ambush', 'gas', 'casualt', 'ordnance', 'detonation', 'device', 'grenade', 'arson', 'torched'),
        r"\b(?:injur(?:ed|ies|y|ing)|wounded|killed|clash(?:es|ed)?|attack(?:s|ed)?"
        r"|violent (?:protests?|clash(?:es)?|incidents?|acts?|attacks?|riots?|demonstrations?)|riots?(?! control)"
        r"|gunfire|shooting|opened fire|explosions?|ambush(?:ed)?|warning shots|tear ?gas|casualt(?:y|ies)"
        r"|unexploded (?:ordnance|mortar|shell|grenade|bomb|device|munition)s?|(?:explosive|improvised) (?:ordnance|devices?)"
        r"|controlled detonation|(?:hand )?grenades?(?! launchers?)|arson|set (?:on )?fire|torched)\b",
        _I,
    ),
    T.STATEMENT: _trigger(
        ('said', 'says', 'stated', 'states', 'told', 'added', 'stress', 'emphasi', 'underline', 'highlight', 'note', 'reaffirm', 'reiterat', 'condemn', 'urge', 'warn', 'announc', 'blame', 'accuse', 'claim', 'confirm', 'conclude', 'informed', 'statement', 'release', 'communiqu', 'call', 'critici', 'denied', 'denies'),
        r"\b(?:said|says|stated|states|told (?:the )?(?:media|press|reporters|journalists)|added|stressed|stresses"
        r"|emphasi[sz](?:ed|es)|underlined|underlines|highlighted|highlights|noted|notes|reaffirm(?:s|ed)"
        r"|reiterat(?:es|ed)|condemn(?:s|ed)|urged|urges|warned|warns|announced|announces|blamed|blames"
        r"|accused|accuses|claimed|claims|confirmed|confirms|concluded|informed the (?:media|press|public)|call(?:s|ed) (?:on|upon)"
        r"|in a (?:press )?(?:statement|release|communiqu[eé])|in (?:his|her|their|its) (?:first |final )?statement"
        r"|critici[sz](?:ed|es)|denied|denies"
        r"|told (?-i:[A-Z][\w/]+)(?: (?-i:[A-Z]\w+))?(?= that\b|[,.])"  # "told RFE/RL that", "told Balkan Insight."
        r"|call(?:s|ed) (?:it|this|that|the [\w-]+(?: [\w-]+)?) [\"“]?an? )\b",
        # lower case only: "States" in "United States" is a name
    ),
    T.OTHER: _trigger(
        ('conference', 'briefing', 'independence', 'barricade', 'block', 'request', 'tournament', 'competition', 'concert', 'open day', 'festival', 'marathon', 'exhibition', 'roadblock'),
        r"\b(?:press conference|news conference|press briefing"
        r"|declar(?:ation|ed) (?:of )?independence|independence declared"
        r"|(?:set up|erected|put up|built|removed|cleared|dismantled) (?:a |the |new )?(?:barricades?|road ?blocks?)"
        r"|(?:barricades?|road ?blocks?) (?:were |was )?(?:set up|erected|removed)|blocked (?:the )?(?:main )?roads?"
        r"|tournaments?|competitions?|concerts?|open day|festival|marathon|exhibition"
        r"|(?:analy[sz]ing|reviewing|considering|examining) (?:the |a )?[\w’' -]{0,40}?request)\b",
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
}
