"""What figures in press releases count: the nouns a number may count, and the cues that say
whether a count is a force's strength, casualties, participants or something else.

Read by ``kfgraph.extract.figures``. Nouns are lower-case plurals; a number counts a noun when
the noun heads the phrase after it ("more than 3,700 personnel", "two multi-role helicopters").
Nouns not listed here are not counted on purpose: releases number places ("two border crossing
points"), stages ("four phases"), time ("12-month", "fourteen days") and distances ("300km")
too, and none of those is a figure of the force or of what happened.
"""

from __future__ import annotations

import re

__all__ = [
    "ACTIVITY", "CASUALTY_AFTER", "CASUALTY_BEFORE", "CONTRIBUTION", "EQUIPMENT", "FORCE_CUE", "INHERIT",
    "MILITARY", "NATIONS", "PARTICIPATION", "PERSONS", "STOP_WORDS", "UNITS", "casualty_kind",
]

# Members of an armed force: their count is a strength unless the text says they were hurt or took part.
MILITARY = frozenset(
    "soldiers troops personnel peacekeepers servicemen servicewomen marines sailors airmen paratroopers "
    "reservists gendarmes carabinieri guardsmen infantrymen".split()
) | {"service members", "servicemembers", "troopers"}
# Other people a release counts: victims, attackers, pupils, experts, officials.
PERSONS = frozenset(
    "people persons civilians officers policemen policewomen police members cadets students pupils children "
    "youths participants representatives delegates ambassadors ministers experts specialists instructors "
    "trainees doctors medics nurses volunteers donors guests visitors journalists gunmen attackers assailants "
    "protesters protestors demonstrators rioters refugees migrants families residents villagers inhabitants "
    "workers employees engineers pilots crews observers monitors advisers advisors commanders generals "
    "officials men women boys girls patients victims casualties staff teachers athletes runners players "
    "serbs albanians suspects detainees prisoners hostages guards interpreters contractors drivers firefighters "
    "mayors leaders households recruits veterans".split()
)
# Who contributes to a mission: "troops from 27 countries", "28 nations".
NATIONS = frozenset("nations countries allies partners states".split())
# Formations counted as formations: "nine contingents", "two manoeuvre companies".
UNITS = frozenset(
    "contingents companies battalions brigades regiments platoons squads squadrons units teams detachments "
    "formations".split()
)
# Things: vehicles, aircraft, weapons, ordnance, supplies handed over.
EQUIPMENT = frozenset(
    "vehicles helicopters aircraft planes jets drones tanks trucks lorries ambulances buses cars boats ships "
    "vessels containers weapons rifles guns pistols grenades mines munitions shells rounds bombs explosives "
    "devices items pieces kits generators computers laptops beds desks chairs tables stoves heaters boxes "
    "packages parcels bags blankets radios cameras tents uniforms toys books".split()
)
# Things done: "three joint demolitions", "22 unit deployments", "3,500 tours of duty".
ACTIVITY = frozenset(
    "patrols demolitions calls deployments tours missions operations exercises projects flights sorties "
    "incidents attacks arrests checkpoints donations rotations".split()
)

# Words that end the phrase after a number before its noun: the noun, if any, came earlier.
STOP_WORDS = frozenset(
    "of from in at on to for with by into onto during per than as the a an this that these those their its his "
    "her our your my were was are is be been being have has had will would shall should can could may might "
    "who whom which whose where when while and or but nor so if including each every all both some any no "
    "not more less most least about around over under up down out off since until after before between "
    "among against within without across through via".split()
)

# A casualty word right after the counted phrase: "21 soldiers injured", "three gunmen were killed",
# "four people dead", "22 persons lost their lives", "20 are in critical condition".
CASUALTY_AFTER = re.compile(
    r"[\s,]*(?:(?:who|that)\s+)?(?:(?:were|was|are|is|have|has|had|got|been|being|reportedly|also|later|all|remain|remained|still"
    r"|seriously|severely|critically|slightly|lightly|badly|fatally|mortally)\s+){0,4}"
    r"(?P<cue>injur\w*|wound\w*|hurt|killed|dead|died|lost their lives?|hospitali[sz]ed|in hospital|in (?:a )?(?:critical"
    r"|serious|stable) condition|casualt\w*)"
    # "gunmen killed a police officer": the counted people did the killing
    r"(?!\s+(?:a|an|the|his|her|their|its|him|them|two|three|four|five|several|dozens|at least|\d)\b)",
    re.IGNORECASE,
)
# A casualty word right before the number: "the injuries of over 30 soldiers", "killing three", "600 wounded".
CASUALTY_BEFORE = re.compile(
    r"(?P<cue>death toll)[^.;\d]{0,40}?\b(?:was|is|at|of|to|reached)\s+"
    r"(?:(?:some|about|around|at least|nearly|almost|over|more than|an estimated)\s+)?$"
    r"|(?P<cue2>injur\w*|wound\w*|killing|killed|deaths?|casualt\w*)"
    r"(?:\s+(?:of|to|at|was|were|is|rose to|reached|stood at|climbed to|totall?ed|included?))?"
    r"(?:\s+(?:some|about|around|at least|nearly|almost|over|more than|up to|an estimated))?\s*$",
    re.IGNORECASE,
)
# "including 19 Hungarians and 11 Italians": a breakdown of the count just before, same kind.
INHERIT = re.compile(r"(?:including|among them|among whom|of whom|of which|of them|of these)\s+$", re.IGNORECASE)
# Taking part in or receiving an activity: participants, not strength.
PARTICIPATION = re.compile(
    r"\b(?:took part|take part|takes part|taking part|participat\w*|attend\w*|involved|trained|were trained"
    r"|completed|graduated|donated|gathered|competed|certif\w*|benefit\w*|joined (?:the|an?|in) "
    r"(?:[\w-]+ ){0,2}(?:exercise|training|course|event|ceremony|patrol|competition|race|march|activity))\b",
    re.IGNORECASE,
)
# Nations counted as the contributors to a force: "from 27 countries", "27 troop contributing nations",
# "28 nations contribute", "troops representing 28 nations".
CONTRIBUTION = re.compile(
    r"\b(?:contribut\w*|represent(?:s|ed|ing)|participat\w*|make up|made up|comprise\w*|consist\w*"
    r"|serv(?:e|es|ing))\b",
    re.IGNORECASE,
)
# A sentence about the size of a force: "cutting the contingent from 240 to 50".
FORCE_CUE = re.compile(
    r"\b(?:contingent|force|forces|troops|soldiers|personnel|peacekeepers|presence|strength|battalion)\b",
    re.IGNORECASE,
)


def casualty_kind(cue: str) -> str:
    """``"killed"`` for deaths, ``"wounded"`` for injuries, ``"casualties"`` for the word casualties."""
    cue = cue.lower()
    if cue.startswith(("kill", "dead", "die", "death", "lost")):
        return "killed"
    if cue.startswith("casualt"):
        return "casualties"
    return "wounded"
