"""Figures: what a count in a release counts, and what kind of count it is.

Every sentence here is written for these tests in the style of KFOR releases and agency copy.
"""

from __future__ import annotations

import pytest

from kfgraph.extract.figures import find_figures, spelled_number
from kfgraph.models import FigureKind

K = FigureKind


def figures(text: str, organizations=(), demonyms=None) -> list[tuple[int, str, FigureKind]]:
    found = find_figures(text, organizations, demonyms or {})
    for f in found:
        assert text[f.mention.start:f.mention.end] == f.mention.text
    return [(f.value, f.unit, f.kind) for f in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # why: the size of a force, however it is phrased, is its strength
        ("The mission now numbers some 4,200 personnel.", [(4200, "personnel", K.FORCE_STRENGTH)]),
        ("Altogether about 280 Austrian troops serve with the battle group.", [(280, "troops", K.FORCE_STRENGTH)]),
        ("A 120-strong company from Slovenia arrived at the camp.", [(120, "troops", K.FORCE_STRENGTH)]),
        ("The drawdown will cut the national contingent from 600 to just 150.",
         [(600, "troops", K.FORCE_STRENGTH), (150, "troops", K.FORCE_STRENGTH)]),
        ("The force will shrink from about 9,000 troops to 6,500 by spring.",
         [(9000, "troops", K.FORCE_STRENGTH), (6500, "troops", K.FORCE_STRENGTH)]),
        ("The contingent of 340 rotated home after six months.", [(340, "troops", K.FORCE_STRENGTH)]),
        # why: nations are counted as the contributors to a force
        ("Its soldiers come from 24 nations.", [(24, "nations", K.CONTRIBUTING_NATIONS)]),
        ("Personnel of 31 troop-contributing countries attended.", [(31, "countries", K.CONTRIBUTING_NATIONS)]),
        # why: casualties are never strength, whether the noun is there or not
        ("Four peacekeepers were lightly wounded in the clash.", [(4, "peacekeepers", K.WOUNDED)]),
        ("The blast left two civilians dead and nine injured.", [(2, "civilians", K.KILLED), (9, "people", K.WOUNDED)]),
        ("Officials put the death toll at 14.", [(14, "people", K.KILLED)]),
        ("Of the 40 hurt, six are in serious condition.", [(40, "people", K.WOUNDED), (6, "people", K.WOUNDED)]),
        ("The unrest caused the injuries of over 25 soldiers of the battle group.", [(25, "soldiers", K.WOUNDED)]),
        ("Twelve soldiers were injured, including seven Italians and five Romanians.",
         [(12, "soldiers", K.WOUNDED), (7, "italians", K.WOUNDED), (5, "romanians", K.WOUNDED)]),
        ("Three of the soldiers later died of their wounds.", [(3, "soldiers", K.KILLED)]),
        ("The convoy carried eight casualties back to the camp.", [(8, "casualties", K.CASUALTIES)]),
        # why: in "X and Y were injured" both counts were hurt
        ("Six soldiers and two civilians were hurt by stones.", [(6, "soldiers", K.WOUNDED), (2, "civilians", K.WOUNDED)]),
        ("The ambush was condemned, killing three guards and wounding seven.",
         [(3, "guards", K.KILLED), (7, "people", K.WOUNDED)]),
        # why: the attackers are counted, but they are not the ones hurt
        ("About 20 masked men attacked the post; 15 gunmen killed a guard.",
         [(20, "men", K.OTHER), (15, "gunmen", K.OTHER)]),
        # why: soldiers taking part in an activity are participants, not the force's strength
        ("Over 300 soldiers took part in the live-fire drill.", [(300, "soldiers", K.PARTICIPANTS)]),
        ("Nearly 90 KFOR personnel donated blood at the clinic.", [(90, "personnel", K.PARTICIPANTS)]),
        ("Engineers handed school kits to 240 pupils of the village school.",
         [(240, "pupils", K.PARTICIPANTS)]),
        # why: things counted are equipment; units and activities are other counts
        ("The unit brought 12 armoured vehicles and three helicopters.",
         [(12, "vehicles", K.EQUIPMENT), (3, "helicopters", K.EQUIPMENT)]),
        ("The team destroyed 40 unexploded mortar shells.", [(40, "shells", K.EQUIPMENT)]),
        ("The battalion is made up of four infantry companies.", [(4, "companies", K.OTHER)]),
        ("Engineers have carried out 75 joint demolitions this year.", [(75, "demolitions", K.OTHER)]),
    ],
)
def test_kinds_of_count(sentence, expected):
    assert figures(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # why: counts in words are read, at any size and with "and" after a scale word
        ("Two thousand reservists were called up.", [(2000, "reservists")]),
        ("Some one hundred and twenty soldiers marched.", [(120, "soldiers")]),
        ("Forty-five trucks crossed the border.", [(45, "trucks")]),
        ("A dozen doctors volunteered.", [(12, "doctors")]),
    ],
)
def test_counts_in_words(sentence, expected):
    assert [(v, u) for v, u, _ in figures(sentence)] == expected


def test_spelled_number_values():
    assert spelled_number("one hundred and fifty") == 150
    assert spelled_number("twenty-five") == 25
    assert spelled_number("two thousand three hundred") == 2300
    assert spelled_number("a dozen") == 12


@pytest.mark.parametrize(
    "sentence",
    [
        # why: durations, distances, ages, money and percentages are not counts of the force
        "The exercise lasted fourteen days and covered 300km of roads.",
        "The mission will be extended by a 12-month period.",
        "Pupils aged 7 to 11 years old received the books.",
        "The project cost 45,000 euros and raised turnout by 12 percent.",
        "Guards watch the site 24 hours a day, seven days per week.",
        # why: a number inside a name, a code or a footer is not a figure
        "Resolution 1244 remains in force; the KFOR-27 rotation arrived.",
        "KFOR HQ Pristina\n\n10000, Pristina\n\nTel: +381 38 503 601",
        "Comments (3) and 1.2K reactions.",
        # why: places and stages are numbered, not counted as figures
        "Protesters blocked two border crossing points; the drill had four phases.",
        # why: "hundreds" and "thousands" are not numbers; "one of" is not a count
        "Hundreds of people gathered and thousands watched; one of the soldiers spoke.",
        # why: "the two countries" names a pair already in the text
        "Kosovo and Serbia were urged to talk; the two countries agreed to meet.",
        "The prime minister and the president met; the two leaders agreed on a date.",
    ],
)
def test_not_figures(sentence):
    assert figures(sentence) == []


def test_a_number_said_again_is_one_figure():
    # why: "the five soldiers" and "Of 30 wounded" point back at a figure already given
    text = ("Five soldiers were injured on Monday. The five soldiers are in stable condition. "
            "Thirty people were wounded in total. Of 30 wounded, two remain in hospital.")
    assert [v for v, _, _ in figures(text)] == [5, 30, 2]


def test_a_repeated_lead_paragraph_counts_once():
    # why: agency copy sometimes repeats its lead paragraph verbatim
    lead = "NORTHTOWN, May 3 (Agency) - Eleven soldiers were injured in clashes, the mission said."
    assert [v for v, _, _ in figures(lead + "\n\n" + lead)] == [11]


def test_the_same_number_said_differently_is_two_figures():
    # why: two wordings are two statements of a figure (the answer keys list both)
    text = "About 40 soldiers were injured. The mission later said 40 soldiers were hurt."
    assert [v for v, _, _ in figures(text)] == [40, 40]


def test_hard_wrapped_wire_copy_is_one_sentence():
    # why: wire items break lines mid-sentence; the breakdown still belongs to its count
    text = "Police said 30 people were injured,\n\nincluding 4 police officers and\n\n6 soldiers of the force."
    assert figures(text) == [(30, "people", K.WOUNDED), (4, "officers", K.WOUNDED), (6, "soldiers", K.WOUNDED)]


def test_figure_of_is_the_organization_named_in_the_phrase_or_kfor_in_the_sentence():
    text = "Some 3,900 troops from 26 countries serve in KFOR. Nine EULEX officers were hurt."
    kfor = text.index("KFOR")
    eulex = text.index("EULEX")
    found = find_figures(text, [(kfor, kfor + 4, "kfor"), (eulex, eulex + 5, "eulex")], {})
    assert [(f.value, f.subject) for f in found] == [(3900, "kfor"), (26, "kfor"), (9, "eulex")]


def test_demonym_plurals_are_people():
    assert figures("Among the injured were 14 Slovenes.", demonyms={"slovene": "slovenia"}) == [
        (14, "slovenes", K.WOUNDED)]
