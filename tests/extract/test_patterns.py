"""Pattern machinery: keyword-anchored search finds exactly what a full scan finds."""

from __future__ import annotations

import pytest

from kfgraph.extract.patterns import ANCHORS as _ANCHORS, matches

TEXTS = [
    "Schools in Jagode/Jagoda, Banje/Banja and Gjakova/Djakovica airfield; the Serbian Government and the "
    "Italian Army met the Kosovo Ministry of Health and Welfare near Rakoc village and Film City Camp.",
    "The 3rd Alpine Infantry Regiment, the 56th Infantry Brigade Combat Team and the Texas Army National Guard "
    "crossed Slatina Military Airport and the Ibar Bridge on Mother Teresa Street under UN Security Council "
    "Resolution 1244 of 1999 and Resolution 1325 (2000).",
    "No keywords here at all, only KFOR and Pristina. The Brussels Agreement and the Status of Forces Agreement.",
    "The RC-W Public Affairs Office and the MNTF-C PIO said troops crossed the Ibar bridge near the Gazivode lake "
    "with the Red Cross of Kosovo and the Kosovo Agency for Protection from Radiation and Nuclear Safety.",
    "The Albanian Defence Ministry sent cadets to the Dobra Base, then to the Monastery of Sopoćani and the "
    "Vrelo Demolition Range.",
]


@pytest.mark.parametrize("regex", list(_ANCHORS), ids=lambda r: r.pattern[:30])
def test_anchored_search_equals_full_scan(regex):
    for text in TEXTS:
        assert [m.span() for m in matches(regex, text)] == [m.span() for m in regex.finditer(text)]


def test_every_anchored_pattern_is_exercised():
    hit = {regex for regex in _ANCHORS for text in TEXTS if regex.search(text)}
    assert hit == set(_ANCHORS)


def test_quoted_exercise_name_is_not_a_place(run, by_key):
    # regression: exercise "Iron Bridge" became a landmark place
    from kfgraph.models import EntityKind

    result = run('Troops took part in exercise "Iron Bridge" at Camp Bondsteel.')
    assert set(by_key(result, EntityKind.PLACE)) == {"camp-bondsteel"}


def test_role_then_abbreviated_rank(run, by_key):
    # regression: "KFOR Commander Maj Gen Salvatore CUOCI" gave a person labelled "Maj Gen Salvatore Cuoci"
    from kfgraph.models import EntityKind

    result = run("KFOR Commander Maj Gen Salvatore CUOCI said that violence is unacceptable.")
    people = by_key(result, EntityKind.PERSON)
    assert set(people) == {"salvatore-cuoci"}
    assert people["salvatore-cuoci"].rank is not None and people["salvatore-cuoci"].rank.label == "Major General"
