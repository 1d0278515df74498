"""NATO rank codes (STANAG 2116) and the spellings releases use for them.

``RANKS`` is the table the ontology's rank scheme uses too: one row per
spelled-out rank with its code; a rank concept's IRI local name is
``{code}-{slugify(label)}``. ``ABBREVIATIONS`` maps short forms ("Maj. Gen.",
"MG") to a label in ``RANKS``. "Division General", "Brigade General" and "Army Corps
General" are the English forms Italian, French, Spanish and Turkish releases give their
generals (Generale di Divisione, général de brigade, Tümgeneral ...); they keep their
wording and share the NATO code of Major, Brigadier and Lieutenant General.
"""

from __future__ import annotations

from kfgraph.models import Rank

RANKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("OF-10", ("Field Marshal", "Admiral of the Fleet")),
    ("OF-9", ("General", "Admiral", "Air Chief Marshal")),
    ("OF-8", ("Lieutenant General", "Vice Admiral", "Air Marshal", "Army Corps General")),
    ("OF-7", ("Major General", "Rear Admiral", "Air Vice-Marshal", "Division General")),
    ("OF-6", ("Brigadier General", "Brigadier", "Commodore", "Air Commodore", "Brigade General")),
    ("OF-5", ("Colonel", "Group Captain")),
    ("OF-4", ("Lieutenant Colonel", "Wing Commander")),
    ("OF-3", ("Major", "Lieutenant Commander", "Squadron Leader")),
    ("OF-2", ("Captain", "Flight Lieutenant")),
    ("OF-1", ("First Lieutenant", "Lieutenant", "Second Lieutenant", "Flying Officer")),
    ("OR-9", ("Sergeant Major", "Command Sergeant Major", "Chief Master Sergeant",
              "Master Chief Petty Officer", "Warrant Officer")),
    ("OR-8", ("Master Sergeant", "First Sergeant", "Senior Chief Petty Officer")),
    ("OR-7", ("Sergeant First Class", "Chief Petty Officer")),
    ("OR-6", ("Staff Sergeant", "Technical Sergeant", "Petty Officer First Class")),
    ("OR-5", ("Sergeant", "Petty Officer")),
    ("OR-4", ("Corporal", "Specialist")),
    ("OR-3", ("Lance Corporal", "Private First Class")),
    ("OR-2", ("Private",)),
)

CODE_OF: dict[str, str] = {label: code for code, labels in RANKS for label in labels}

ABBREVIATIONS: dict[str, str] = {
    "Gen.": "General", "Gen": "General", "GEN": "General",
    "Lt. Gen.": "Lieutenant General", "Lt Gen": "Lieutenant General", "Lt.Gen.": "Lieutenant General",
    "LTG": "Lieutenant General", "Lt. General": "Lieutenant General",
    "Maj. Gen.": "Major General", "Maj Gen": "Major General", "Maj.Gen.": "Major General", "MG": "Major General",
    "Brig. Gen.": "Brigadier General", "Brig Gen": "Brigadier General", "Brig.Gen.": "Brigadier General",
    "BG": "Brigadier General", "Brig.": "Brigadier",
    "Col.": "Colonel", "Col": "Colonel", "COL": "Colonel",
    "Lt. Col.": "Lieutenant Colonel", "Lt Col": "Lieutenant Colonel", "Lt.Col.": "Lieutenant Colonel",
    "LTC": "Lieutenant Colonel",
    "Maj.": "Major", "Maj": "Major", "MAJ": "Major",
    "Capt.": "Captain", "Capt": "Captain", "CPT": "Captain",
    "Lt.": "Lieutenant", "1st Lt.": "First Lieutenant", "1st Lt": "First Lieutenant", "1LT": "First Lieutenant",
    "2nd Lt.": "Second Lieutenant", "2LT": "Second Lieutenant",
    "Sgt.": "Sergeant", "Sgt": "Sergeant", "SGT": "Sergeant",
    "SSgt.": "Staff Sergeant", "SSG": "Staff Sergeant", "Staff Sgt.": "Staff Sergeant",
    "Sgt. Maj.": "Sergeant Major", "SGM": "Sergeant Major", "CSM": "Command Sergeant Major",
    "Sgt. 1st Class": "Sergeant First Class", "SFC": "Sergeant First Class",
    "Master Sgt.": "Master Sergeant", "MSG": "Master Sergeant",
    "Cpl.": "Corporal", "Cpl": "Corporal", "CPL": "Corporal",
    "Spc.": "Specialist", "SPC": "Specialist",
    "Pvt.": "Private", "PVT": "Private", "Pfc.": "Private First Class", "PFC": "Private First Class",
    "Adm.": "Admiral", "Vice Adm.": "Vice Admiral", "Rear Adm.": "Rear Admiral",
    "VADM": "Vice Admiral", "RADM": "Rear Admiral", "ADM": "Admiral",
    # more English spellings (hyphenated British forms, "Cpt.", dotless and spaced variants)
    "Lieutenant-General": "Lieutenant General", "Major-General": "Major General",
    "Brigadier-General": "Brigadier General", "Lieutenant-Colonel": "Lieutenant Colonel",
    "Lt-Gen": "Lieutenant General", "Lt.-Gen.": "Lieutenant General", "Maj-Gen": "Major General",
    "Maj.-Gen.": "Major General", "Brig-Gen": "Brigadier General", "Lt-Col": "Lieutenant Colonel",
    "Lt.-Col.": "Lieutenant Colonel", "Lt. Col": "Lieutenant Colonel", "Lt Gen.": "Lieutenant General",
    "Maj Gen.": "Major General", "Brig Gen.": "Brigadier General", "Lt Col.": "Lieutenant Colonel",
    "Cpt.": "Captain", "Cpt": "Captain", "Capt": "Captain", "1st Lieutenant": "First Lieutenant",
    "Sgt 1st Class": "Sergeant First Class", "Sgt. First Class": "Sergeant First Class",
    "1st Sgt.": "First Sergeant", "1st Sgt": "First Sergeant", "Staff Sgt": "Staff Sergeant",
    "Sgt. Major": "Sergeant Major", "Command Sgt. Maj.": "Command Sergeant Major",
    "Master Sgt": "Master Sergeant", "WO": "Warrant Officer", "Pte": "Private", "Pte.": "Private",
    "L/Cpl": "Lance Corporal", "LCpl": "Lance Corporal",
    # national spellings seen in contributor releases (German, Italian, Turkish)
    "Generalmajor": "Major General", "Generalleutnant": "Lieutenant General", "Brigadegeneral": "Brigadier General",
    "Oberst": "Colonel", "Oberstleutnant": "Lieutenant Colonel",
    "Generale di Divisione": "Major General", "Generale di Brigata": "Brigadier General",
    "Generale di Corpo d'Armata": "Lieutenant General", "Colonnello": "Colonel",
    "Tümgeneral": "Major General", "Korgeneral": "Lieutenant General", "Tuğgeneral": "Brigadier General",
    "Albay": "Colonel",
}


def rank_of(label: str) -> Rank:
    """The ``Rank`` for a spelled-out label or an abbreviation (KeyError if unknown)."""
    full = ABBREVIATIONS.get(label, label)
    return Rank(label=full, notation=CODE_OF[full])


def rank_forms() -> list[str]:
    """Every surface form of a rank, longest first (for building a regex)."""
    forms = set(CODE_OF) | set(ABBREVIATIONS)
    return sorted(forms, key=len, reverse=True)
