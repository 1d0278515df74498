"""Genre patterns of event reporting, one test each, on sentences written for these tests.

Each test names the pattern of KFOR releases and agency copy it covers; none is taken from a release.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kfgraph.extract.events import find_events
from kfgraph.models import Entity, EntityKind, EntityRef, EventType, Mention, Release, RoleHeld

D = dt.date
T = EventType
FRIDAY = D(2023, 3, 10)
PERSON, ORG = EntityKind.PERSON, EntityKind.ORGANIZATION


def release(*paragraphs: str, published: dt.date | None = FRIDAY) -> Release:
    return Release(identifier="test", source="test.txt", title=None, date_published=published, dateline=None,
                   byline=None, paragraphs=paragraphs, checksum="0" * 64)


def entity(rel: Release, kind: EntityKind, key: str, *names: str, roles: tuple[RoleHeld, ...] = ()) -> Entity:
    spans = sorted((m.start(), m.end()) for n in names for m in re.finditer(rf"\b{re.escape(n)}\b", rel.text))
    return Entity(kind=kind, key=key, label=names[0], roles=roles,
                  mentions=tuple(Mention(s, e, rel.text[s:e]) for s, e in spans))


def summary(rel: Release, entities=()) -> list[tuple[EventType, dt.date | None]]:
    return [(e.event_type, e.date) for e in find_events(rel, entities)]


# --- reading the text --------------------------------------------------------------------------------


def test_hard_wrapped_wire_copy_reads_across_line_breaks():
    # why: wire items arrive with a line break in mid-sentence, even inside "news conference"
    rel = release("The administrator, who held a news", "conference with the commander, urged calm on Thursday.")
    assert summary(rel) == [(T.STATEMENT, D(2023, 3, 9))]


# --- visits and meetings ---------------------------------------------------------------------------------


def test_a_meeting_framed_by_the_visit_is_its_own_event_on_the_visits_day():
    # why: "During the visit, X met Y" reports a meeting held on the day of the visit
    rel = release("The Chief of Defence visited the camp on Tuesday.",
                  "During the visit, he met the mayor of the town.")
    assert summary(rel) == [(T.VISIT, D(2023, 3, 7)), (T.MEETING, D(2023, 3, 7))]


def test_also_met_someone_else_is_another_meeting():
    # why: a programme lists several meetings of one visit: "will also meet the minister"
    rel = release("During his visit on 6 March 2023 the minister will meet the force commander.",
                  "During the visit, the minister will also meet the Prime Minister of the host nation.")
    entities = (entity(rel, PERSON, "commander", "force commander"), entity(rel, PERSON, "pm", "Prime Minister"))
    assert summary(rel, entities) == [(T.VISIT, D(2023, 3, 6)), (T.MEETING, D(2023, 3, 6)), (T.MEETING, D(2023, 3, 6))]


def test_meeting_ones_own_troops_is_a_visit():
    # why: a minister "met with soldiers serving in the mission" is visiting them
    rel = release("On Wednesday, the minister met with soldiers serving in the contingent.",
                  "The meeting took place at the northern base.")
    assert summary(rel) == [(T.VISIT, D(2023, 3, 8))]


def test_meeting_members_of_parliament_is_a_meeting():
    # why: only one's own troops make a meeting a visit
    rel = release("The commander met with members of the municipal assembly on Monday.")
    assert summary(rel) == [(T.MEETING, D(2023, 3, 6))]


def test_reported_on_a_day_is_not_a_topic():
    # why: "reported on Friday that troops patrolled" reports a patrol; "briefed on the patrols" does not
    rel = release("The mission reported on Friday that troops patrolled the border.")
    assert (T.PATROL, FRIDAY) in summary(rel)


def test_a_person_travelling_to_a_place_is_visiting_it():
    rel = release("The Secretary General travelled on Thursday to the mission's headquarters.")
    assert summary(rel) == [(T.VISIT, D(2023, 3, 9))]


# --- mentions that are not happenings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        # why: what someone was briefed on is a topic
        "The guests were briefed on the battalion's patrols in the valley.",
        # why: a unit's standing duties are not happenings
        "Their duties were to carry out patrols and to run checkpoints.",
        # why: a force described by a participle is not being deployed
        "Of all the troops deployed abroad, the largest group serves here.",
        "The country has 900 soldiers deployed in six missions.",
        # why: "during the 12th rotation" names a period, not troops rotating
        "During the 12th rotation of the battalion, the engineers built two bridges.",
        # why: the explosive ordnance disposal speciality and a list of munitions are not an explosion
        "Explosive ordnance disposal teams trained cadets on munitions ranging from hand grenades to shells.",
        # why: a page's invitation to visit a website is not a visit
        "For more information, visit www.example.org or visit our website.",
        # why: a message is delivered, not donated
        "The minister delivered a strong message of support to the population.",
    ],
)
def test_not_a_happening(sentence):
    assert [t for t, _ in summary(release(sentence))] in ([], [T.TRAINING])


@pytest.mark.parametrize(
    "sentence",
    [
        # why: readiness and threats are not happenings
        "The alliance is ready to deploy more troops if tensions rise.",
        "Protesters threatened to block the main road.",
        "The force may send reinforcements.",
        # why: the war years and the mission's arrival are the background of today's news
        "Relations have been tense since the 1999 bombing campaign ended.",
        "The unit has supported the schools since the mission entered Kosovo on 12 June 1999.",
    ],
)
def test_hypothetical_and_background_mentions_are_not_events(sentence):
    assert summary(release(sentence)) == []


def test_the_month_may_is_not_the_verb_may():
    assert summary(release("In May this year, nine soldiers were injured in a clash.")) == [(T.INCIDENT, None)]


def test_a_month_long_before_publication_is_background():
    # why: news is recent; "decided in May of the year before" is history
    assert summary(release("The reorganisation of the force was decided by the Council in May 2022.")) == []
    assert summary(release("The reorganisation of the force began in January 2023.")) == [(T.OTHER, None)]


# --- statements ----------------------------------------------------------------------------------------


def test_he_said_is_the_speaker_before():
    # why: agency copy names the speaker once and then writes "he said", "he added"
    rel = release("Mayor Ana Petrovic said on Thursday that the road was closed.",
                  "He added that the police would reopen it.")
    ana = entity(rel, PERSON, "ana-petrovic", "Ana Petrovic")
    events = find_events(rel, (ana,))
    assert [(e.event_type, e.date) for e in events] == [(T.STATEMENT, D(2023, 3, 9))]


def test_a_commander_speaks_for_the_force_in_every_sentence():
    # why: a person known as the force's commander speaks for it even where the title is not repeated
    rel = release("The Peace Force called on both sides to show restraint on Friday.",
                  "\u201cViolence helps nobody,\u201d Brook said.")
    force = entity(rel, ORG, "peace-force", "Peace Force")
    brook = entity(rel, PERSON, "brook", "Brook", roles=(RoleHeld("Commander", "peace-force"),))
    assert summary(rel, (force, brook)) == [(T.STATEMENT, FRIDAY)]


def test_remarks_at_a_press_conference_are_a_statement_not_part_of_the_visit():
    # why: what is said at a press conference is reported as the statement, not as the visit's remarks
    rel = release("The Council visited the region on 8 March 2023.",
                  "\u201cWe will stay,\u201d said the Secretary General at a press conference.")
    assert summary(rel) == [(T.VISIT, D(2023, 3, 8)), (T.STATEMENT, None)]


def test_remarks_made_ahead_of_the_visit_are_a_statement():
    rel = release("The minister is travelling to the camp today.",
                  "Speaking in advance of the visit, the minister said the troops do valuable work.")
    assert summary(rel) == [(T.VISIT, FRIDAY), (T.STATEMENT, None)]


def test_remarks_at_an_undated_visit_give_it_their_day():
    # why: "Speaking at a gathering on Tuesday" dates the visit the release reports without a day
    rel = release("The defence minister has visited the troops of the contingent.",
                  "Speaking at a gathering with the soldiers on Tuesday, the minister stressed their work.")
    assert summary(rel) == [(T.VISIT, D(2023, 3, 7))]


def test_a_day_inside_a_quotation_is_the_speakers_not_the_publications():
    # why: "today" in a quoted speech means the day of the speech
    rel = release("The general visited the base on Wednesday.",
                  "Today we thank you for your service - said the general.")
    assert summary(rel) == [(T.VISIT, D(2023, 3, 8))]


def test_a_day_inside_quotation_marks_does_not_date_the_event():
    # why: "“My message today is ...,” the Secretary General pointed out" was said on the visit's day
    rel = release("The Secretary General visited the troops on Thursday.",
                  "\u201cMy message today is one of thanks,\u201d the Secretary General pointed out.")
    assert summary(rel) == [(T.VISIT, D(2023, 3, 9))]


def test_told_a_news_conference_is_a_statement():
    assert summary(release("The commander told a news conference that the bridge would open.")) == [(T.STATEMENT, None)]


# --- lexicon of the genre ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # why: sending forces, and taking them home, are deployments
        ("The regional commander decided to send two reserve companies to the north.", [(T.DEPLOYMENT, None)]),
        ("The main body of the contingent is set to fly home next week.", [(T.DEPLOYMENT, None)]),
        ("The battalion withdrew from the sector on Monday.", [(T.DEPLOYMENT, D(2023, 3, 6))]),
        ("The alliance bolstered its presence near the crossing with an extra company.", [(T.DEPLOYMENT, None)]),
        # why: decisions of ministers or councils are taken at their meetings
        ("The decision was taken by defence ministers in Brussels on Thursday.", [(T.MEETING, D(2023, 3, 9))]),
        # why: medals presented or received are a ceremony
        ("The soldiers received their NATO medals at the camp on Monday.", [(T.CEREMONY, D(2023, 3, 6))]),
        ("The parade was an opportunity to award the engineers with medals.", [(T.CEREMONY, None)]),
        # why: a certification course is training
        ("Eight cadets completed their demining certification at the range.", [(T.TRAINING, None)]),
        # why: restructuring a force is reported as its own happening
        ("The force will begin a reorganisation of its headquarters in the autumn.", [(T.OTHER, None)]),
        # why: an attack with a grenade is an incident
        ("Unknown persons threw a hand grenade at the police station overnight.", [(T.INCIDENT, None)]),
        # why: accidents, shots and stones thrown are incidents
        ("Two soldiers were hurt when their vehicle crashed near the village on Monday.", [(T.INCIDENT, D(2023, 3, 6))]),
        ("Shots were fired at a patrol near the bridge.", [(T.INCIDENT, None)]),
        ("Youths threw stones at the convoy.", [(T.INCIDENT, None)]),
        # why: checkpoints set up and convoys escorted are security operations, typed as patrols
        ("The battle group set up mobile checkpoints along the main road.", [(T.PATROL, None)]),
        ("Soldiers escorted a convoy of pilgrims to the monastery on Sunday.", [(T.PATROL, D(2023, 3, 5))]),
        # why: a funeral or a minute of silence is a ceremony
        ("The contingent held a minute of silence for the fallen on Thursday.", [(T.CEREMONY, D(2023, 3, 9))]),
        # why: reporting verbs beyond "said"
        ("The ambassador expressed concern about the closure of the crossing.", [(T.STATEMENT, None)]),
        ("The spokesperson pointed out that the road remains open.", [(T.STATEMENT, None)]),
        # why: a protest held is reported as its own happening (a violent one is an incident)
        ("Residents staged a protest in the town centre on Tuesday.", [(T.OTHER, D(2023, 3, 7))]),
        # why: a commander takes over, assumes authority or relinquishes command
        ("The task force assumed authority for the eastern sector on Wednesday.", [(T.CHANGE_OF_COMMAND, D(2023, 3, 8))]),
        ("Colonel Vale relinquished command of the battalion.", [(T.CHANGE_OF_COMMAND, None)]),
        ("The general took over from his predecessor at the headquarters.", [(T.CHANGE_OF_COMMAND, None)]),
    ],
)
def test_genre_lexicon(sentence, expected):
    assert summary(release(sentence)) == expected


# --- change of command -------------------------------------------------------------------------------


def _actors(rel: Release, entities) -> list[str]:
    (event,) = [e for e in find_events(rel, entities) if e.event_type is T.CHANGE_OF_COMMAND]
    return [r.key for r in event.participants]


def test_a_handover_names_both_commanders_as_actors():
    rel = release("Brigadier General Ana Stone took over command of the Peace Force from Major General Tom Vale "
                  "on 1 March 2023.", "The ceremony was attended by the Chief of Defence, General Lee Park.")
    people = [entity(rel, PERSON, k, n) for k, n in (("ana-stone", "Ana Stone"), ("tom-vale", "Tom Vale"),
                                                      ("lee-park", "Lee Park"))]
    force = entity(rel, ORG, "peace-force", "Peace Force")
    assert _actors(rel, (*people, force)) == ["ana-stone", "tom-vale", "peace-force"]


def test_he_took_over_from_names_the_new_commander_of_the_sentence_before():
    rel = release("Major General Ana Stone is the new commander of the Peace Force.",
                  "She took over command from Major General Tom Vale, in the presence of General Lee Park.")
    people = [entity(rel, PERSON, k, n) for k, n in (("ana-stone", "Ana Stone"), ("tom-vale", "Tom Vale"),
                                                      ("lee-park", "Lee Park"))]
    assert _actors(rel, people) == ["ana-stone", "tom-vale"]


def test_a_ceremony_between_two_commanders_and_a_successor_named_later():
    rel = release("The force held a change of command ceremony between Colonel Tom Vale and Colonel Ana Stone.")
    people = [entity(rel, PERSON, "tom-vale", "Tom Vale"), entity(rel, PERSON, "ana-stone", "Ana Stone")]
    assert _actors(rel, people) == ["tom-vale", "ana-stone"]
    later = release("Colonel Ana Stone took over command of the battle group on Friday.",
                    "She replaced Colonel Tom Vale of the engineer corps.")
    people = [entity(later, PERSON, "ana-stone", "Ana Stone"), entity(later, PERSON, "tom-vale", "Tom Vale")]
    assert set(_actors(later, people)) == {"ana-stone", "tom-vale"}
    assert EntityRef(PERSON, "tom-vale") in find_events(later, people)[0].participants
