"""One test per form of the genre's names (organizations, places, persons) that extraction reads.

Every sentence is written for this test, in the style of the releases; each test says why the form
is general (a comment naming the pattern), not which release showed it.
"""

from __future__ import annotations

import pytest

from kfgraph.models import EntityKind

PERSON, ORG, PLACE, MANDATE = EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.PLACE, EntityKind.MANDATE


def _labels(result, kind):
    return {e.label for e in result.entities if e.kind is kind}


def _names(result, kind):
    return {n for e in result.entities if e.kind is kind for n in (e.label, *e.alt_labels)}


@pytest.mark.parametrize(
    ("text", "org"),
    [
        # why: British and Irish media write word-like acronyms in title case
        ("The Nato-led Kfor mission will stay, the minister said.", "KFOR"),
        ("Nato allies agreed on Tuesday.", "NATO"),
        # why: US wire copy writes the nation as dotted initials before the service's name
        ("Soldiers of the U.S. Army trained with the Kosovo Police.", "U.S. Army"),
        ("Engineers of U.S. Army Europe arrived in Pristina.", "U.S. Army Europe"),
        # why: ordinal battalions belong to a regiment named with "of the ..."
        ("Troops of the 2nd Battalion of the Duke of Lancaster's Regiment arrived.",
         "2nd Battalion of the Duke of Lancaster's Regiment"),
        # why: a unit's own name in quotes, before or after its head noun
        ("Soldiers of the “Pinerolo” Mechanised Brigade held the exercise.", "“Pinerolo” Mechanised Brigade"),
        ("The Mountain Brigade “Taurinense” arrived in Pejë.", "Mountain Brigade “Taurinense”"),
        # why: task forces are named by a word or by an acronym of their trade
        ("Task Force CBRN trained the cadets.", "Task Force CBRN"),
        # why: national contingents and their KFOR rotations
        ("The Slovenian Military Contingent returned home.", "Slovenian Military Contingent"),
        ("Soldiers of the KFOR-14 contingent were decorated.", "KFOR-14 contingent"),
        # why: units named with a direction after a dash
        ("The Multinational Logistics Group - North moved supplies.", "Multinational Logistics Group - North"),
        # why: two name words joined by "and" inside one body's name
        ("The Search and Rescue Team of the brigade trained.", "Search and Rescue Team"),
        # why: bodies named by their "of" part alone
        ("The Department of Veterans Affairs sent a delegation.", "Department of Veterans Affairs"),
        ("The Eparchy of Example blessed the soldiers.", "Eparchy of Example"),
        # why: a comma list joined by "and" with a bracketed acronym, before the head noun
        ("The KFOR Medical, Dental and Veterinary (MDV) Company opened a clinic.",
         "KFOR Medical, Dental and Veterinary (MDV) Company"),
        # why: liaison teams are numbered or coded
        ("Soldiers of LMT K-12 met the mayor.", "LMT K-12"),
        ("The Liaison and Monitoring Team 3 visited the school.", "Liaison and Monitoring Team 3"),
        # why: agencies introduced as such
        ("The state news agency ANA reported the visit.", "ANA"),
        # why: a ministry named by its portfolio before the head noun
        ("The Albanian Defence Ministry confirmed the plan.", "Albanian Defence Ministry"),
        # why: the world's armed forces, commands and organizations as data
        ("Officers of the Hungarian Defence Forces and AFSOUTH met UNESCO experts.", "Allied Forces Southern Europe"),
    ],
)
def test_organization_forms(run, text, org):
    assert org in _labels(run(text), ORG)


def test_unit_garrison_is_not_part_of_its_name(run):
    # why: "Infantry Brigade of Tata" names the brigade and the town it is based in
    result = run("Most soldiers came from the “Bem József” Infantry Brigade of Tata.")
    assert "“Bem József” Infantry Brigade" in _labels(result, ORG)
    assert "Tata" in _labels(result, PLACE)


def test_known_unit_with_its_parent_in_front(run, by_key):
    # why: units are named with their parent's name in front ("Kosovo Force Regional Command-East")
    result = run("Engineers of Kosovo Force Regional Command-East cleared the road.")
    assert set(by_key(result, ORG)) == {"rc-e"}


def test_press_office_names_its_unit(run, by_key):
    # why: "<unit> Public Affairs Office" in a byline names the unit too
    result = run("Story by JFC Naples Public Affairs Office")
    assert "jfc-naples" in by_key(result, ORG)


@pytest.mark.parametrize(
    ("text", "short", "full"),
    [
        # why: the same body in another spelling: HQ and Headquarters
        ("He visited the KFOR Mission Headquarters. The KFOR Mission HQ is in Pristina.", "KFOR Mission HQ",
         "KFOR Mission Headquarters"),
        # why: a portfolio ministry is the Ministry of ... of that portfolio
        ("The Ministry of National Defence of Albania sent aid. The Defence Ministry said so.", "Defence Ministry",
         "Ministry of National Defence of Albania"),
        # why: national forces in full, then shortly
        ("The Irish Defence Forces have served since 1999. The Defence Forces will stay.", "Defence Forces",
         "Irish Defence Forces"),
    ],
)
def test_same_body_in_two_spellings_is_one(run, text, short, full):
    result = run(text)
    org = next(e for e in result.entities if e.kind is ORG and e.label == full)
    assert short in org.alt_labels
    assert short not in _labels(result, ORG)


@pytest.mark.parametrize(
    ("text", "key", "surface"),
    [
        # why: "the Council" after the Council named in full
        ("The North Atlantic Council met in Brussels. The Council then visited Kosovo.", "north-atlantic-council", "Council"),
        # why: "the Alliance" is NATO in NATO's releases
        ("NATO ministers met. The Alliance remains committed.", "nato", "Alliance"),
        # why: initials without brackets after the full name
        ("The Polish Military Contingent KFOR trained. Soldiers of PMC KFOR patrolled.", "polish-military-contingent", "PMC"),
    ],
)
def test_short_forms_name_the_full_body(run, by_key, text, key, surface):
    org = by_key(run(text), ORG)[key]
    assert surface in {m.text for m in org.mentions}


@pytest.mark.parametrize(
    ("text", "place", "kind"),
    [
        # why: a camp named "<site> Base"
        ("The minister met the troops at the Novo Selo Base.", "Camp Novo Selo", "camp"),
        # why: sites named by their "of" part
        ("The patrol passed the Monastery of Sopoćani.", "Monastery of Sopoćani", "other"),
        # why: power plants named by site and unit letter
        ("The training took place near the Kosovo A power plant.", "Kosovo A power plant", "other"),
        # why: schools that receive donations are named in quotes
        ("They gave books to the “Naim Frashëri” primary school.", "“Naim Frashëri” primary school", "other"),
        # why: ranges and training areas
        ("Cadets fired at the Devet Jugovića Firing Range.", "Devet Jugovića Firing Range", "other"),
        # why: world places as data (GeoNames): US states, European cities, historical states
        ("Soldiers from Texas and Bavaria trained in Thessaloníki.", "Texas", "region"),
        ("He served in Serbia-Montenegro and the former Yugoslavia.", "Serbia and Montenegro", "country"),
    ],
)
def test_place_forms(run, text, place, kind):
    found = {e.label: e for e in run(text).entities if e.kind is PLACE}
    assert place in found and found[place].place_kind.value == kind


def test_known_landmark_with_a_lower_case_head(run, by_key):
    # why: "the Decani monastery" is the known Visoki Dečani Monastery
    assert "visoki-decani-monastery" in by_key(run("KFOR guards the Decani monastery."), PLACE)


@pytest.mark.parametrize(
    ("text", "is_place"),
    [
        # why: "US" as an adjective is no mention of the country; as a noun it is
        ("About 200 US soldiers and Polish troops arrived.", False),
        ("Troops from the US, Polish and Greek armies trained.", False),
        ("The Portuguese- and US-led units patrolled.", False),
        ("The US and the EU welcomed the agreement.", True),
    ],
)
def test_us_as_adjective_or_noun(run, text, is_place):
    assert ("United States" in _labels(run(text), PLACE)) is is_place


def test_us_state_inside_a_unit_name_is_not_a_place(run):
    # why: "Texas Army National Guard" names a unit, not the state as a place of the release
    result = run("Soldiers of the Texas Army National Guard took over.", title="TASK FORCE TEXAS TAKES OVER")
    assert "Texas" not in _labels(result, PLACE)


@pytest.mark.parametrize("text", ["The Council of Europe sent observers to Pristina.",
                                  "Admiral Ward of Allied Forces Southern Europe met the commander."])
def test_a_continent_in_a_body_name_is_not_a_place(run, text):
    # why: a body's name gives its scope ("... of Europe", "... Southern Europe"), not a place of the release;
    # Kosovo in "Kosovo Police" still counts (the theatre)
    assert "Europe" not in _labels(run(text), PLACE)
    assert "Kosovo" in _labels(run("Officers of the Kosovo Police patrolled."), PLACE)


def test_names_across_a_wrapped_line(run, by_key):
    # why: wire copy is hard-wrapped, so a known name may break over a line
    result = run("the commander of NATO's Allied Forces Southern\nEurope decided")
    assert "afsouth" in by_key(result, ORG)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # why: Irish and Scottish names with a second capital
        ("Colonel Aoife McDermott leads the contingent.", "Aoife McDermott"),
        # why: titles of nobility and of the Orthodox clergy are not part of the name
        ("The Right Honourable Lord Smythe will visit.", "Smythe"),
        ("He was received by Archimandrite Nikodim at the monastery.", "Nikodim"),
        ("With the blessing of His Holiness Porfirije the visit began.", "Porfirije"),
        # why: a doctorate between rank and name
        ("Commander KFOR General Dr. Hans Mauer met the mayor.", "Hans Mauer"),
    ],
)
def test_person_forms(run, text, name):
    assert name in _labels(run(text), PERSON)


def test_weekday_before_a_place_is_no_person(run):
    # why: "on Friday Rakovica" dates a visit to a village; a weekday is no first name
    assert not _labels(run("The mayor of Rakovica greeted Major General Ivo Rota on Friday Rakovica time."), PERSON) - {"Ivo Rota"}


def test_knight_called_by_first_name_is_the_same_person(run):
    # why: British releases call a knight "Sir Michael" after "Sir Michael Doe"
    result = run("Sir Roger Blake said troops would go. Sir Roger added that it mattered.")
    assert _labels(result, PERSON) == {"Roger Blake"}


def test_name_after_a_role_that_is_a_known_body_is_no_person(run):
    # why: "head of the North Atlantic Alliance" names NATO, not a person "Atlantic Alliance"
    assert not _labels(run("It was his first visit as head of the North Atlantic Alliance."), PERSON)


def test_rank_is_as_written(run):
    # why: releases write the rank of their day ("General X" for a known Major General is a General here)
    person = next(e for e in run("General Farina thanked the troops.").entities if e.kind is PERSON)
    assert person.rank.label == "General"


def test_contributor_rank_spelling(run):
    # why: Italian and French releases in English write "Division General"
    person = next(e for e in run("Division General Marco Bianchi visited the camp.").entities if e.kind is PERSON)
    assert (person.rank.label, person.rank.notation) == ("Division General", "OF-7")


@pytest.mark.parametrize(
    ("text", "mandate"),
    [
        # why: treaties and frameworks named as the basis of a mission are mandates
        ("Poland fulfils its obligations under the North Atlantic Treaty.", "North Atlantic Treaty"),
        ("KFOR supports the Constitutional Framework for Provisional Self-Government.",
         "Constitutional Framework for Provisional Self-Government"),
    ],
)
def test_mandate_forms(run, text, mandate):
    assert mandate in _labels(run(text), MANDATE)
