"""Event finding on short releases written for these tests in the KFOR press-release genre."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kfgraph.extract.events import find_events, split_sentences
from kfgraph.models import Entity, EntityKind, EntityRef, EventType, PlaceKind, Release

D = dt.date
T = EventType
FRIDAY = D(2023, 3, 10)


def make_release(*paragraphs: str, published: dt.date | None = FRIDAY) -> Release:
    return Release(
        identifier="test",
        source="test.txt",
        title=None,
        date_published=published,
        dateline=None,
        byline=None,
        paragraphs=paragraphs,
        checksum="0" * 64,
    )


def entity(release: Release, kind: EntityKind, key: str, *names: str, place_kind: PlaceKind | None = None) -> Entity:
    """An entity with a mention at every occurrence of each name (as the entity extractor gives)."""
    from kfgraph.models import Mention

    spans = sorted(
        (m.start(), m.end()) for name in names for m in re.finditer(rf"\b{re.escape(name)}\b", release.text)
    )
    mentions = tuple(Mention(s, e, release.text[s:e]) for s, e in spans)
    return Entity(kind=kind, key=key, label=names[0], mentions=mentions, place_kind=place_kind)


def summary(release: Release, entities=()) -> list[tuple[EventType, dt.date | None]]:
    return [(e.event_type, e.date) for e in find_events(release, entities)]


# One release per event type: (paragraphs, expected type, expected date)
PER_TYPE = [
    (("Troops of Regional Command West held exercise 'Blue Ridge' on 6 March 2023 near the airfield.",), T.EXERCISE, D(2023, 3, 6)),
    (("Twenty police officers completed a mine-awareness training course at the camp on Tuesday.",), T.TRAINING, D(2023, 3, 7)),
    (("An additional reserve battalion was deployed to the northern municipalities yesterday.",), T.DEPLOYMENT, D(2023, 3, 9)),
    (("Soldiers of the battle group conducted a joint patrol with local police along the boundary line.",), T.PATROL, None),
    (("The Chairman of the Military Committee will visit the mission on 14 – 15 March 2023.",), T.VISIT, D(2023, 3, 14)),
    (("The force commander met the mayor of the town on 8 March 2023 to discuss freedom of movement.",), T.MEETING, D(2023, 3, 8)),
    (("Brigadier Stone took over command of the battle group from Colonel Vale on 1 March 2023.",), T.CHANGE_OF_COMMAND, D(2023, 3, 1)),
    (("A wreath-laying ceremony honoured the fallen peacekeepers on Thursday.",), T.CEREMONY, D(2023, 3, 9)),
    (("Engineers donated ten computers to the village school on 2 March 2023.",), T.DONATION, D(2023, 3, 2)),
    (("Two soldiers were injured when stones were thrown at a patrol vehicle on Wednesday night.",), T.INCIDENT, D(2023, 3, 8)),
    (("The mission spokesperson said on Monday that the situation remains calm.",), T.STATEMENT, D(2023, 3, 6)),
    (("A press conference with the commander will take place on 12 March 2023 at the airport.",), T.OTHER, D(2023, 3, 12)),
]


@pytest.mark.parametrize(("paragraphs", "event_type", "date"), PER_TYPE, ids=[t.value for _, t, _ in PER_TYPE])
def test_each_event_type_is_found_with_its_date(paragraphs, event_type, date):
    release = make_release(*paragraphs)
    (event,) = find_events(release, ())
    assert (event.event_type, event.date) == (event_type, date)
    assert event.number == 1
    assert event.evidence.text == release.text[event.evidence.start : event.evidence.end]


def test_every_event_type_is_covered():
    assert {t for _, t, _ in PER_TYPE} == set(EventType)


def test_repeated_descriptions_of_one_happening_merge_and_keep_the_dated_evidence():
    release = make_release(
        "Regional Command East launched a large exercise to rehearse crowd and riot control.",
        "The exercise, held on 6 March 2023 at the training area, involved 300 soldiers.",
        "The commander observed the exercise and praised the units.",
    )
    (event,) = find_events(release, ())
    assert (event.event_type, event.date) == (T.EXERCISE, D(2023, 3, 6))
    assert event.evidence.text.startswith("The exercise, held on 6 March 2023")


def test_same_type_on_different_days_stays_two_events_numbered_in_text_order():
    release = make_release(
        "On 2 March 2023 engineers donated books to a school in the village.",
        "On 6 March 2023 the unit donated a generator to the health centre.",
    )
    events = find_events(release, ())
    assert [(e.number, e.event_type, e.date) for e in events] == [
        (1, T.DONATION, D(2023, 3, 2)),
        (2, T.DONATION, D(2023, 3, 6)),
    ]


def test_habitual_activity_is_not_an_event_but_a_dated_instance_is():
    # why: "regularly conducts exercises" is background; the dated exercise is the news
    release = make_release(
        "The force regularly conducts exercises to keep its readiness.",
        "The latest exercise held on 3 March 2023 started at the camp.",
    )
    assert summary(release) == [(T.EXERCISE, D(2023, 3, 3))]
    assert summary(make_release("The battalion routinely patrols the main road.")) == []


def test_future_and_continued_activity_is_still_an_event():
    # why: modality does not cancel a happening ("will visit", "will continue patrols")
    release = make_release("Soldiers will continue their day and night patrols in the northern villages.")
    assert summary(release) == [(T.PATROL, None)]


def test_negated_mentions_are_not_events():
    # why: "no injuries were reported" reports the absence of an incident
    release = make_release("The crossing reopened after talks. There were no injuries reported.")
    assert T.INCIDENT not in [t for t, _ in summary(release)]


def test_simulated_riots_inside_an_exercise_are_not_an_incident():
    release = make_release("The exercise rehearsed riot control and the evacuation of personnel amidst riots.")
    assert summary(release) == [(T.EXERCISE, None)]


def test_statement_date_beside_its_verb_and_incident_date_in_the_reported_clause():
    # why: agency copy "X stated Thursday that ... on Wednesday" carries two events, two days
    release = make_release(
        "The mission stated Thursday that clashes near the bridge on Wednesday night left four soldiers injured."
    )
    assert summary(release) == [(T.STATEMENT, D(2023, 3, 9)), (T.INCIDENT, D(2023, 3, 8))]


def test_statements_merge_per_speaker_and_a_spokesperson_speaks_for_the_organisation():
    release = make_release(
        "The Peace Force said on Thursday that the road is open.",
        "Traffic is flowing normally, said Peace Force spokesman Karl Brenner.",
        "Mayor Ana Petrovic on Thursday accused the Peace Force of closing the road.",
    )
    entities = (
        entity(release, EntityKind.ORGANIZATION, "peace-force", "Peace Force"),
        entity(release, EntityKind.PERSON, "karl-brenner", "Karl Brenner"),
        entity(release, EntityKind.PERSON, "ana-petrovic", "Ana Petrovic"),
    )
    events = find_events(release, entities)
    assert [(e.event_type, e.date) for e in events] == [(T.STATEMENT, D(2023, 3, 9)), (T.STATEMENT, D(2023, 3, 9))]
    assert EntityRef(EntityKind.PERSON, "karl-brenner") in events[0].participants
    assert events[1].participants == (EntityRef(EntityKind.PERSON, "ana-petrovic"),)


def test_statements_merge_by_name_when_no_entities_are_known():
    release = make_release(
        "The Peace Force said on Thursday that the road is open.",
        "Mayor Ana Petrovic on Thursday accused the Peace Force of closing the road.",
        "The Peace Force added that the bridge stays open.",
    )
    assert summary(release) == [(T.STATEMENT, D(2023, 3, 9)), (T.STATEMENT, D(2023, 3, 9))]


def test_a_body_declaring_in_the_present_is_a_statement_dated_on_publication():
    release = make_release("Following the vote yesterday, the Council reaffirms that the force shall remain.")
    assert summary(release) == [(T.STATEMENT, FRIDAY)]
    undated = make_release("The Council reaffirms that the force shall remain.", published=None)
    assert summary(undated) == [(T.STATEMENT, None)]


def test_remarks_and_ceremony_at_a_handover_fold_into_the_change_of_command():
    # why: speeches and the ceremony are parts of the handover, not separate happenings
    release = make_release(
        "Major General Adams handed over command of the force to Major General Brook on 1 March 2023.",
        "The ceremony was attended by the Chief of Defence.",
        "\u201cIt was an honour to serve,\u201d said General Adams.",
    )
    assert summary(release) == [(T.CHANGE_OF_COMMAND, D(2023, 3, 1))]


def test_remarks_at_a_meeting_fold_into_the_meeting():
    release = make_release(
        "The Secretary General met the President on Tuesday (7 March 2023) to discuss the tensions.",
        "\u201cDialogue is the only way,\u201d the Secretary General said.",
    )
    assert summary(release) == [(T.MEETING, D(2023, 3, 7))]


def test_delivery_ceremony_of_a_donation_is_the_donation():
    release = make_release(
        "Liaison teams delivered school furniture to four villages during last week.",
        "The symbolic delivery ceremonies were attended by pupils and teachers.",
    )
    assert summary(release) == [(T.DONATION, None)]


def test_training_inside_an_exercise_is_the_exercise():
    release = make_release(
        "More than 100 soldiers took part in an exercise at the airfield.",
        "Police units were also involved in the training, which had three phases.",
    )
    assert summary(release) == [(T.EXERCISE, None)]


def test_no_date_is_invented():
    # why: a month, "last week" or "the day before" names no day
    release = make_release(
        "In May this year, twelve soldiers were injured in an attack.",
        "A medical team travelled to the region the day before.",
    )
    assert summary(release) == [(T.INCIDENT, None), (T.DEPLOYMENT, None)]
    weekday_only = make_release("Two soldiers were injured on Monday.", published=None)
    assert summary(weekday_only) == [(T.INCIDENT, None)]


def test_place_prefers_the_most_specific_and_participants_are_organisations_and_persons():
    release = make_release("The Peace Force increased its presence at the Gate Crossing near Northtown in the Region.")
    entities = (
        entity(release, EntityKind.ORGANIZATION, "peace-force", "Peace Force"),
        entity(release, EntityKind.PLACE, "region", "Region", place_kind=PlaceKind.REGION),
        entity(release, EntityKind.PLACE, "northtown", "Northtown", place_kind=PlaceKind.CITY),
        entity(release, EntityKind.PLACE, "gate-crossing", "Gate Crossing", place_kind=PlaceKind.CROSSING),
    )
    (event,) = find_events(release, entities)
    assert event.event_type is T.DEPLOYMENT
    assert event.place == "gate-crossing"
    assert event.participants == (EntityRef(EntityKind.ORGANIZATION, "peace-force"),)


def test_dateline_and_abbreviations_do_not_break_sentences_wrongly():
    text = "NORTHTOWN, Mar. 9 (Agency) -- The unit left. Maj. Gen. A. Brook visited the camp.\n\nNew paragraph here."
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "NORTHTOWN, Mar. 9 (Agency) -- ",
        "The unit left.",
        "Maj. Gen. A. Brook visited the camp.",
        "New paragraph here.",
    ]


def test_empty_release_has_no_events():
    assert find_events(make_release(), ()) == ()


def test_background_years_back_is_not_an_event_but_last_year_is():
    # why: "deployed since 1999" is the mission's history; an agreement of last December is news
    history = make_release("The force, deployed since 1999, keeps a safe environment.", published=D(2023, 3, 10))
    assert summary(history) == []
    recent = make_release("As agreed by Defence Ministers in December 2022, the force stays.", published=D(2023, 3, 10))
    assert summary(recent) == [(T.MEETING, None)]


def test_participants_are_listed_once_even_when_named_twice():
    release = make_release("The Peace Force and the police held a joint patrol; the Peace Force led it.")
    force = entity(release, EntityKind.ORGANIZATION, "peace-force", "Peace Force")
    (event,) = find_events(release, (force,))
    assert event.participants == (force.ref,)


def test_ordnance_found_and_destroyed_is_an_incident():
    release = make_release(
        "An EOD team removed an unexploded mortar round found near the village on 8 March 2023. Nobody was injured."
    )
    assert summary(release) == [(T.INCIDENT, D(2023, 3, 8))]


def test_sports_tournament_is_other():
    release = make_release("The battle group hosted a youth football tournament at the camp on Saturday.")
    assert summary(release) == [(T.OTHER, D(2023, 3, 4))]


def test_handing_over_the_flag_is_the_change_of_command_not_a_donation():
    # why: "handed over" is also a donation verb
    release = make_release(
        "General Adams assumed command from General Brook on 1 March 2023.",
        "General Brook thanked the soldiers and handed over the force flag to his successor.",
    )
    assert summary(release) == [(T.CHANGE_OF_COMMAND, D(2023, 3, 1))]


def test_calls_on_is_a_present_statement():
    release = make_release("The Force calls on all parties to refrain from any provocative action.")
    assert summary(release) == [(T.STATEMENT, FRIDAY)]


def test_a_day_after_since_dates_the_background_not_the_news():
    # why: "increased presence since the clash on 24 September" is not dated by the clash
    release = make_release("The command has increased its presence in the north since the clash on 2 January 2023.")
    assert summary(release) == [(T.DEPLOYMENT, None)]


def test_a_release_titled_as_a_statement_is_a_statement_dated_on_publication():
    # why: the body of a statement often has no speech verb at all
    release = Release(
        identifier="s",
        source="s.txt",
        title="Statement by the Council on the situation in the north",
        date_published=FRIDAY,
        dateline=None,
        byline=None,
        paragraphs=("The Council is following the situation closely and remains ready to act.",),
        checksum="0" * 64,
    )
    assert summary(release) == [(T.STATEMENT, FRIDAY)]
    untitled = make_release("The Council is following the situation closely and remains ready to act.")
    assert summary(untitled) == []


def test_a_date_opening_the_sentence_dates_the_statement():
    release = make_release("On Monday, the mission said that soldiers were injured in a clash.")
    assert summary(release) == [(T.STATEMENT, D(2023, 3, 6)), (T.INCIDENT, None)]


@pytest.mark.parametrize(
    ("sentence", "event_type"),
    [
        ("Medical staff of the camp held a first-aid workshop for local nurses.", T.TRAINING),
        ("Soldiers distributed humanitarian aid to families in the valley.", T.DONATION),
        ("The force marked the 25th anniversary of its arrival with a parade.", T.CEREMONY),
        ("Of course the mission keeps its course of action.", None),
    ],
)
def test_lexicon_variants(sentence, event_type):
    expected = [] if event_type is None else [(event_type, None)]
    assert summary(make_release(sentence)) == expected


# --- genre forms found with the held-out set (tests/fixtures/heldout) --------


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # why: relative days agency and social-media texts use
        ("This morning, the deputy commander visited Camp Example.", [(T.VISIT, FRIDAY)]),
        ("On the 2nd, soldiers conducted a joint patrol with the police.", [(T.PATROL, D(2023, 3, 2))]),
        # why: an attack on a patrol is an incident, the patrol is its target
        ("On 8 March, a grenade was thrown at a police patrol in the town.", [(T.INCIDENT, D(2023, 3, 8))]),
        # why: celebrations, wreaths laid and formal openings are ceremonies
        ("The soldiers celebrated Children's Day with pupils today.", [(T.CEREMONY, FRIDAY)]),
        ("The Prime Minister laid a wreath at the monument this morning.", [(T.CEREMONY, FRIDAY)]),
        ("The new task force was formally established yesterday at its headquarters.", [(T.CEREMONY, D(2023, 3, 9))]),
        # why: "the force entered Kosovo on 12 June" is the 1999 deployment
        ("The ARRC formed the core of the headquarters when the force entered Kosovo on 12 June.", [(T.DEPLOYMENT, D(2022, 6, 12))]),
        # why: barricades and blocked roads are typed Other (dev corpus policy)
        ("Hundreds of protesters blocked roads near the crossing on Friday.", [(T.OTHER, FRIDAY)]),
        ("KFOR soldiers on Monday removed a barricade on the main road.", [(T.OTHER, D(2023, 3, 6))]),
        # why: an ongoing activity "since March" is background, not a happening
        ("The European Union has mediated talks between the two sides since March.", []),
        # why: "a year after" separates the news's day from the earlier event it recalls
        ("Troops stepped up patrols on 9 March, a year after a group attacked the police there.",
         [(T.PATROL, D(2023, 3, 9)), (T.INCIDENT, None)]),
    ],
)
def test_heldout_genre_forms(paragraph, expected):
    assert summary(make_release(paragraph)) == expected


def test_statement_verbs_of_agency_style():
    # why: agency copy reports statements as criticism, denials, "told <outlet>" and "called it a ..."
    assert summary(make_release("The government in Belgrade criticized the move.")) == [(T.STATEMENT, None)]
    assert summary(make_release("The spokesman told Balkan Insight that the road was open.")) == [(T.STATEMENT, None)]
    assert summary(make_release('The negotiator called the operation "a provocation" on Thursday.')) == [(T.STATEMENT, D(2023, 3, 9))]
    assert summary(make_release("The President said in Belgrade on 8 March that his country was not involved.")) == [
        (T.STATEMENT, D(2023, 3, 8))]


def test_visit_where_someone_is_met_is_a_visit():
    # why: the main verb comes first: "visited X on Thursday, where he met Y" is a visit
    assert summary(make_release("The commander visited the brigade on Thursday, where he met its officers.")) == [
        (T.VISIT, D(2023, 3, 9))]


def test_statement_to_the_media_is_not_remarks_at_a_ceremony():
    # why: what a spokesman tells an outlet is not said at the ceremony reported elsewhere in the text
    release = make_release("The Prime Minister laid a wreath at the monument this morning.",
                           "The spokesman told Balkan Insight that the road was open.")
    assert summary(release) == [(T.CEREMONY, FRIDAY), (T.STATEMENT, None)]
