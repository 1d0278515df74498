"""Mandates (UN resolutions, the Military Technical Agreement) and force figures."""

from __future__ import annotations

import datetime as dt

from kfgraph.models import EntityKind

MANDATE = EntityKind.MANDATE


def test_every_form_of_1244_is_one_mandate(run, by_key):
    result = run(
        "KFOR acts under UNSCR 1244. The United Nations Security Council Resolution 1244 of 1999 still applies, "
        "and we act in accordance with our UN mandate.")
    mandates = by_key(result, MANDATE)
    assert set(mandates) == {"unscr-1244"}
    mandate = mandates["unscr-1244"]
    assert mandate.label == "UNSCR 1244"
    assert mandate.legislation_identifier == "S/RES/1244 (1999)"
    assert mandate.legislation_date == dt.date(1999, 6, 10)
    assert {"United Nations Security Council Resolution 1244 of 1999", "UN mandate"} <= set(mandate.alt_labels)
    assert len(mandate.mentions) == 3
    assert "un" in by_key(result, EntityKind.ORGANIZATION)  # "UN mandate" names the UN


def test_other_resolutions_by_pattern(run, by_key):
    result = run("The seminar marked Resolution 1325 (2000) and UN Security Council Resolution 2250.")
    mandates = by_key(result, MANDATE)
    assert mandates["unscr-1325"].legislation_date == dt.date(2000, 10, 31)
    assert mandates["unscr-2250"].label == "UNSCR 2250"
    assert mandates["unscr-2250"].legislation_identifier is None  # unknown, not invented


def test_military_technical_agreement(run, by_key):
    result = run("The Military Technical Agreement signed in Kumanovo set the boundary.")
    assert by_key(result, MANDATE)["military-technical-agreement"].legislation_date == dt.date(1999, 6, 9)


def test_an_unnamed_mandate_is_not_a_mandate(run, by_key):
    # "his mandate" (a term of command) names no document
    assert by_key(run("During his mandate KFOR remained impartial."), MANDATE) == {}


def test_force_figures_with_subject(run):
    result = run("The NATO-led KFOR mission consists of more than 4,100 personnel from 29 countries.",
                 "Over 120 KFOR soldiers with 35 vehicles and three helicopters trained.")
    got = [(f.value, f.unit, f.subject, f.mention.text) for f in result.figures]
    assert got == [
        (4100, "personnel", "kfor", "more than 4,100 personnel"),
        (29, "countries", "kfor", "29 countries"),
        (120, "soldiers", "kfor", "Over 120 KFOR soldiers"),
        (35, "vehicles", "kfor", "35 vehicles"),
        (3, "helicopters", "kfor", "three helicopters"),
    ]
    assert [f.number for f in result.figures] == [1, 2, 3, 4, 5]


def test_spelled_out_counts(run):
    result = run("About one hundred and fifty soldiers, twenty-five vehicles and two thousand troops; one of the soldiers spoke.")
    assert [(f.value, f.unit, f.mention.text) for f in result.figures] == [
        (150, "soldiers", "About one hundred and fifty soldiers"),
        (25, "vehicles", "twenty-five vehicles"),
        (2000, "troops", "two thousand troops"),
    ]
    ranged = run("Between two and three hundred soldiers arrived.")
    assert [(f.value, f.mention.text) for f in ranged.figures] == [(300, "three hundred soldiers")]


def test_years_and_ages_are_not_figures(run):
    result = run("Since 1999 troops have served; children from 6 to 13 years old received books.")
    assert result.figures == ()


def test_a_united_nations_mandate_is_1244(run, by_key):
    result = run("The mission has been in place since 1999 under a United Nations mandate.")
    assert "United Nations mandate" in by_key(result, MANDATE)["unscr-1244"].alt_labels


def test_named_agreements_are_mandates(run, by_key):
    result = run("The Brussels Agreement and the Status of Forces Agreement were discussed; an agreement was reached.")
    mandates = by_key(result, MANDATE)
    assert mandates["brussels-agreement"].legislation_date == dt.date(2013, 4, 19)
    assert mandates["status-of-forces-agreement"].label == "Status of Forces Agreement"
    assert len(mandates) == 2
