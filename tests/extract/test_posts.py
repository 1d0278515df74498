"""Posts (a person's role in an organization) and changes of command, one test per form of the genre.

Every sentence is written for this test; the comment says why the form is general.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kfgraph.extract.rules import RuleExtractor
from kfgraph.models import EntityKind, EventType, Release

PERSON = EntityKind.PERSON


def _posts(result, key):
    person = next(e for e in result.entities if e.kind is PERSON and e.key == key)
    return {(r.role, r.organization) for r in person.roles}


@pytest.mark.parametrize(
    ("text", "key", "post"),
    [
        # why: "ROLE ORG RANK NAME" with no "of": the role's organization follows it
        ("Among the guests was Commander KFOR General Dr. Hans Mauer.", "hans-mauer", ("Commander", "kfor")),
        # why: modifiers between an organization and its role
        ("The KFOR Force Commander, Major General Ivo Rota, spoke.", "ivo-rota", ("Commander", "kfor")),
        ("The KFOR chief commander, German General Lutz Bern, said so.", "lutz-bern", ("Commander", "kfor")),
        # why: COMKFOR and its deputy as titles
        ("Deputy COMKFOR Brig. Gen. Aldo Serra visited the camp.", "aldo-serra", ("Deputy Commander", "kfor")),
        ("Lt. Gen. Pierre Dax, COMKFOR, thanked the troops.", "pierre-dax", ("Commander", "kfor")),
        # why: a role named by its unit's head noun is held in the release's unit of that kind
        ("The HDF KFOR Contingent was decorated. Contingent Commander Lieutenant Colonel Adam Kis spoke.",
         "adam-kis", ("Commander", "hdf-kfor-contingent")),
        ("He met Multinational Brigade Northeast and Brig. Gen. Paul Ney, the brigade commander.",
         "paul-ney", ("Commander", "mnb-ne")),
        # why: the organization after "of" may be owned ("the battle group's ...") or a possessive ("NATO's ...")
        ("Lt Col Dan Cole, commander of the battle group's 1st Battalion, 120th Infantry Regiment, spoke.",
         "dan-cole", ("Commander", "1st-battalion-120th-infantry-regiment")),
        ("Admiral Rob Kane, commander of NATO's Joint Force Command Naples, attended.", "rob-kane",
         ("Commander", "jfc-naples")),
        # why: a lower-case staff role after a unit's acronym
        ("Lieutenant Colonel Jan Ott, the JRD-N chief of staff, told reporters.", "jan-ott",
         ("Chief of Staff", "jrd-n")),
        # why: credits name the writer's post in the agency or unit
        ("By MARK HALE, Associated Press Writer", "mark-hale", ("Writer", "associated-press")),
        ("by Capt. Eva Lind, MNTF-C PIO", "eva-lind", ("PIO", "mntf-c")),
        # why: ministers hold their post in the ministry of their portfolio named in the release
        ("The Ministry of National Defence sent aid, said Ana Vuk, the Minister of National Defence.", "ana-vuk",
         ("Minister of National Defence", "ministry-of-national-defence")),
        # why: the Chief of General Staff heads the armed forces
        ("Chief of the Serbian Armed Forces General Staff, General Milo Vid, met KFOR. The Serbian Armed Forces agreed.",
         "milo-vid", ("Chief of General Staff", "serbian-armed-forces")),
        # why: "is commanded by": the post is in the sentence's first organization
        ("The Slovak Military Contingent KFOR is commanded by Lt. Col. Ivan Hrib.", "ivan-hrib",
         ("Commander", "slovak-military-contingent")),
        # why: "The commander was X": the unit the previous sentence ends on
        ("Ireland led the Multinational Task Force Centre. The commander was Brigadier General Sean Daly.",
         "sean-daly", ("Commander", "mntf-c")),
        # why: lists of "ROLE, NAME" pairs: each role is the next name's
        ("He met the Commander of KFOR, General Ivo Rota, the Head of UNMIK, Paul Mertz, and others.",
         "paul-mertz", ("Head", "unmik")),
        # why: staff posts listed after one that names the organization share it
        ("It was hosted by the Commander of KFOR, Major General Ivo Rota, with the Chief of Staff, "
         "Brig. Gen. Tom Ray, in attendance.", "tom-ray", ("Chief of Staff", "kfor")),
        # why: "the Agency" after the agency named in full
        ("The Kosovo Agency for Food Safety inspected the kitchen. The Director of the Agency, Mr. Leka Dema, "
         "was present.", "leka-dema", ("Director", "kosovo-agency-for-food-safety")),
    ],
)
def test_post_forms(run, text, key, post):
    assert post in _posts(run(text, byline=text if text.lower().startswith("by ") else None), key)


def test_apposition_keeps_its_role_with_the_earlier_name(run):
    # why: "X, ROLE of ORG, Mr. Y": the role is X's (Y had no role before him)
    result = run("The ceremony was attended by Admiral Rob Kane, Commander of JFC Naples, Mr. Ilir Hoxha and others.")
    assert ("Commander", "jfc-naples") in _posts(result, "rob-kane")
    assert not _posts(result, "ilir-hoxha")


def test_credit_lines_give_the_agency_posts(run):
    # why: agency credits name the reporter and the editor of the agency the byline names
    result = run("KFOR patrolled the north.", "(Reporting by Lea Fox; Editing by Tim Hart)", byline="Reuters")
    assert ("Reporter", "reuters") in _posts(result, "lea-fox")
    assert ("Editor", "reuters") in _posts(result, "tim-hart")


def _extract(extractor: RuleExtractor, text: str, title: str | None = None, date: dt.date | None = None):
    release = Release(identifier="t", source="t.txt", title=title, date_published=date, dateline=None, byline=None,
                      paragraphs=tuple(text.split("\n\n")), checksum="sha256:0")
    return extractor.extract(release)


def _dated(result, key):
    person = next(e for e in result.entities if e.kind is PERSON and e.key == key)
    return {(r.organization, r.change, r.start, r.end) for r in person.roles if r.change}


@pytest.mark.parametrize(
    ("text", "incoming", "outgoing"),
    [
        # why: "X took over (the) command of ORG from Y" on a stated day
        ("Major General Ivo Rota took over command of the NATO-led Kosovo Force (KFOR) from Major General Carl "
         "Beck on 10 October 2030.", "ivo-rota", "carl-beck"),
        # why: "X handed over command of ORG to Y"
        ("Major General Carl Beck handed over command of KFOR to Major General Ivo Rota on 10 October 2030.",
         "ivo-rota", "carl-beck"),
        # why: "a change of command ceremony between X and Y" (X leaves)
        ("KFOR held a change of command ceremony between Major General Carl Beck and Major General Ivo Rota "
         "on 10 October 2030.", "ivo-rota", "carl-beck"),
        # why: "He replaced Y" after "X took over command of ORG"
        ("Major General Ivo Rota took over command of KFOR on 10 October 2030. He replaced Major General Carl Beck.",
         "ivo-rota", "carl-beck"),
    ],
)
def test_change_of_command_dates_both_posts(extractor, text, incoming, outgoing):
    result = _extract(extractor, text, date=dt.date(2030, 10, 10))
    day = dt.date(2030, 10, 10)
    assert ("kfor", "incoming", day, None) in _dated(result, incoming)
    assert ("kfor", "outgoing", None, day) in _dated(result, outgoing)


def test_pronoun_takes_over_from_the_named_commander(extractor):
    # why: "X is the new Commander of ORG. He took over command from Y."
    text = "Major General Ivo Rota is the new Commander of the NATO-led Kosovo Force. He took over command from Major General Carl Beck."
    result = _extract(extractor, text)
    assert ("kfor", "incoming", None, None) in _dated(result, "ivo-rota")
    assert ("kfor", "outgoing", None, None) in _dated(result, "carl-beck")


def test_outgoing_and_incoming_commanders(extractor):
    # why: "the outgoing KFOR commander, X" / "X, the incoming commander"
    text = "The outgoing KFOR commander, Major General Carl Beck, thanked the troops."
    assert ("kfor", "outgoing", None, None) in _dated(_extract(extractor, text), "carl-beck")


def test_headline_names_the_new_commander(extractor):
    # why: headlines state the change ("X TAKES OVER") that the body reports without the verb
    text = "Major General Ivo Rota thanked Major General Carl Beck, the Commander of KFOR, at Camp Film City."
    result = _extract(extractor, text, title="KFOR CHANGE OF COMMAND: MAJOR GENERAL ROTA TAKES OVER")
    assert any(change == "incoming" for _, change, _, _ in _dated(result, "ivo-rota"))


def test_change_of_command_event_has_both_commanders_and_dates_their_posts(extractor):
    # why: the posts take the day of the ChangeOfCommand event when their sentence gives none, and both
    # commanders are its actors
    text = ("KFOR held a change of command ceremony at Camp Film City on 10 October 2030.\n\n"
            "Major General Ivo Rota took over command from Major General Carl Beck, the Commander of KFOR.")
    result = _extract(extractor, text, date=dt.date(2030, 10, 10))
    coc = next(e for e in result.events if e.event_type is EventType.CHANGE_OF_COMMAND)
    actors = {p.key for p in coc.participants}
    assert {"ivo-rota", "carl-beck"} <= actors
    assert ("kfor", "incoming", dt.date(2030, 10, 10), None) in _dated(result, "ivo-rota")
