"""The gazetteer: known places, organizations, mandates and persons, from ``data/gazetteer/*.csv``.

Each CSV row becomes a prototype ``Entity`` (no mentions); the extractor copies
it for every release that names the thing, so keys and labels are the same in
every release. Lines starting with ``#`` are comments (sources are named there).

    load_gazetteer(folder) -> Gazetteer(known, forms, demonyms, person_ranks, ...)

``forms`` maps a folded name (see ``fold``) to the keys it may denote; the
object holds only plain data, so it pickles cheaply into worker processes.
"""

from __future__ import annotations

import csv
import re
import datetime as dt
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from kfgraph.errors import ConfigurationError
from kfgraph.models import Entity, EntityKind, PlaceKind
from kfgraph.extract.ranks import rank_of

# Cyrillic and Greek letters that look like Latin ones and turn up in releases ("Pejё").
_HOMOGLYPHS = {
    "а": "a", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "А": "A", "Е": "E", "Ё": "E", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J",
    "К": "K", "М": "M", "Н": "H", "В": "B", "ο": "o", "Ο": "O", "Α": "A", "Ε": "E",
    "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "’": "'", "‘": "'", "–": "-", "—": "-",
}


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """One character, lower-cased, without accents or homoglyphs (always one character)."""
    char = _HOMOGLYPHS.get(char, char)
    base = unicodedata.normalize("NFKD", char)[:1] or char
    folded = base.lower()
    return folded if len(folded) == 1 else char


# Latin-1, Latin Extended-A/B and the homoglyphs above, folded once at import.
_FOLD_TABLE = {cp: fold_char(chr(cp)) for cp in [*range(0x250), *map(ord, _HOMOGLYPHS)]
               if fold_char(chr(cp)) != chr(cp)}
_FOLDED_WORD = re.compile(r"[^\W_]+(?:'(?!s\b)[^\W_]+)*")  # a possessive "'s" stays outside the word


def fold(text: str) -> str:
    """``text`` folded character by character: same length, so offsets carry over."""
    return text.translate(_FOLD_TABLE)


# Continents and alliance areas are no theatre: in a body's name they give its scope, not a place of
# the release ("Council of Europe", "Allied Forces Southern Europe", "U.S. Army Europe")
_SCOPE_REGIONS = frozenset({"europe", "southeast-europe", "euro-atlantic-region"})


@dataclass(frozen=True)
class Gazetteer:
    """Known things by key, and their names folded for lookup."""

    known: dict[str, Entity] = field(default_factory=dict)  # "kind:key" -> prototype
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded name -> "kind:key"s
    demonyms: dict[str, str] = field(default_factory=dict)  # folded "italian" -> "italy"
    person_ranks: dict[str, str] = field(default_factory=dict)  # person key -> rank label
    surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)  # folded surname -> person keys
    acronyms: frozenset[str] = frozenset()  # folded forms written only in capitals ("un", "eu")
    lower_initial: frozenset[str] = frozenset()  # folded forms written lower-case first ("northern kosovo")
    titled: frozenset[str] = frozenset()  # folded forms always written with capitals ("kosovo force")
    max_words: int = 1
    prefixes: frozenset[str] = frozenset()  # every leading run of words of a folded form
    # regions of the curated places.csv (Kosovo, the Balkans): named inside a unit's name ("Kosovo Police")
    # they still count as mentioned; a US state inside "Texas Army National Guard" does not
    theatre_regions: frozenset[str] = frozenset()
    extraction_only: frozenset[str] = frozenset()  # "kind:key" of rows from *-world.csv: not in the gazetteer graph

    def entities(self) -> tuple[Entity, ...]:
        """Known places, organizations and mandates (no mentions): the gazetteer graph's content.

        Known persons only help extraction resolve names, and so do the world's places
        (``places-world.csv``): both enter the graph through the releases that name them.
        """
        return tuple(e for ident, e in self.known.items()
                     if e.kind is not EntityKind.PERSON and ident not in self.extraction_only)

    def persons(self) -> tuple[Entity, ...]:
        """Known persons (COMKFORs, office holders), for name resolution."""
        return tuple(e for e in self.known.values() if e.kind is EntityKind.PERSON)

    def get(self, kind: EntityKind, key: str) -> Entity | None:
        return self.known.get(f"{kind.value}:{key}")

    def lookup(self, name: str, kind: EntityKind | None = None) -> Entity | None:
        """The one entity named ``name`` (of ``kind`` if given), or None if unknown or ambiguous."""
        ids = [i for i in self.forms.get(name_key(name), ()) if kind is None or i.startswith(kind.value + ":")]
        return self.known[ids[0]] if len(ids) == 1 else None


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A name folded and reduced to words separated by single spaces: the lookup key.

    A possessive "'s" is not part of a word ("NATO’s" -> "nato"); other apostrophes are dropped
    ("D’Addario" -> "daddario").
    """
    return " ".join(w for _, _, w in folded_words(name))


def folded_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of ``text``; offsets index ``text``."""
    return [(m.start(), m.end(), m.group().replace("'", "")) for m in _FOLDED_WORD.finditer(fold(text))]


_CONNECTORS = frozenset({"of", "the", "and", "in", "for", "on", "i", "e", "de", "di", "da", "del", "la", "le", "s"})


def is_titled(name: str) -> bool:
    """Every word but connectors begins with a capital ("Kosovo Force", "Government of Serbia")."""
    return all(w[0].isupper() or w.lower() in _CONNECTORS or not w[0].isalpha()
               for w in re.findall(r"[^\W_]+", name))


def _rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _float(value: str) -> float | None:
    return float(value) if value else None


def _files(folder: Path, kind: str) -> list[Path]:
    """``places.csv`` first, then ``places-*.csv`` (generated or added data) in name order."""
    main = folder / f"{kind}.csv"
    return ([main] if main.exists() else []) + sorted(folder.glob(f"{kind}-*.csv"))


def _all_rows(folder: Path, kind: str) -> list[dict[str, str]]:
    """Rows of every file of one kind; a key already read (curated rows come first) is not read again.

    Rows of a ``*-world.csv`` file carry ``"_world": "true"``.
    """
    seen: set[str] = set()
    out = []
    for path in _files(folder, kind):
        for row in _rows(path):
            if row["key"] not in seen:
                seen.add(row["key"])
                out.append({**row, "_world": "true" if path.stem.endswith("-world") else ""})
    return out


def load_gazetteer(folder: Path) -> Gazetteer:
    """Read ``places*.csv``, ``organizations*.csv``, ``mandates*.csv``, ``persons*.csv`` (each optional).

    ``places.csv`` is curated; ``places-world.csv`` is written by ``scripts/world_gazetteer.py``.
    """
    entities: dict[str, Entity] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    demonyms: dict[str, str] = {}
    person_ranks: dict[str, str] = {}
    curated_places = {row["key"] for row in _rows(folder / "places.csv")} if (folder / "places.csv").exists() else set()
    world: set[str] = set()
    try:
        for row in _all_rows(folder, "places"):
            if row["_world"]:
                world.add(f"place:{row['key']}")
            ent = Entity(EntityKind.PLACE, row["key"], row["label"], place_kind=PlaceKind(row["kind"]),
                         latitude=_float(row["lat"]), longitude=_float(row["lon"]))
            entities[f"place:{ent.key}"] = ent
            aliases[f"place:{ent.key}"] = _split(row["aliases"])
            for demonym in _split(row.get("demonyms", "")):
                demonyms[name_key(demonym)] = ent.key
        for row in _all_rows(folder, "organizations"):
            ent = Entity(EntityKind.ORGANIZATION, row["key"], row["label"], parent=row["parent"] or None,
                         is_government=row["is_government"].lower() == "true", mandates=_split(row["mandates"]))
            entities[f"organization:{ent.key}"] = ent
            aliases[f"organization:{ent.key}"] = _split(row["aliases"])
        for row in _all_rows(folder, "mandates"):
            ent = Entity(EntityKind.MANDATE, row["key"], row["label"], legislation_identifier=row["identifier"] or None,
                         legislation_date=dt.date.fromisoformat(row["date"]) if row["date"] else None)
            entities[f"mandate:{ent.key}"] = ent
            aliases[f"mandate:{ent.key}"] = _split(row["aliases"])
        for row in _all_rows(folder, "persons"):
            ent = Entity(EntityKind.PERSON, row["key"], row["label"], nationality=row["nationality"] or None)
            entities[f"person:{ent.key}"] = ent
            aliases[f"person:{ent.key}"] = _split(row["aliases"])
            if row["rank"]:
                rank_of(row["rank"])  # unknown rank labels fail at load time
                person_ranks[ent.key] = row["rank"]
    except (KeyError, ValueError) as exc:
        raise ConfigurationError(f"bad gazetteer row in {folder}: {exc}") from exc
    # the gazetteer graph carries every known spelling as an alternative label
    entities = {ident: replace(ent, alt_labels=aliases[ident]) for ident, ent in entities.items()}
    forms: dict[str, list[str]] = {}
    surnames: dict[str, list[str]] = {}
    cased: dict[str, set[str]] = {}
    for ident, ent in entities.items():
        for name in (ent.label, *aliases[ident]):
            ids = forms.setdefault(name_key(name), [])
            if ident not in ids:
                ids.append(ident)
            shape = "upper" if name.isupper() and " " not in name else "lower" if name[:1].islower() else "title"
            if shape == "title" and not is_titled(name):
                shape = "mixed"  # "Rule of Law mission"
            cased.setdefault(name_key(name), set()).add(shape)
        if ent.kind is EntityKind.PERSON:
            for name in (ent.label, *aliases[ident]):
                words = name_key(name).split()
                if len(words) > 1:
                    bucket = surnames.setdefault(words[-1], [])
                    if ent.key not in bucket:
                        bucket.append(ent.key)
    return Gazetteer(
        entities, {k: tuple(v) for k, v in forms.items()}, demonyms, person_ranks,
        {k: tuple(v) for k, v in surnames.items()},
        acronyms=frozenset(k for k, shapes in cased.items() if shapes == {"upper"}),
        lower_initial=frozenset(k for k, shapes in cased.items() if "lower" in shapes),
        titled=frozenset(k for k, shapes in cased.items() if shapes <= {"title", "upper"} and " " in k),
        max_words=max((len(k.split()) for k in forms), default=1),
        prefixes=frozenset(" ".join(k.split()[:n]) for k in forms for n in range(1, len(k.split()) + 1)),
        theatre_regions=frozenset(ent.key for ent in entities.values() if ent.kind is EntityKind.PLACE
                                  and ent.place_kind is PlaceKind.REGION and ent.key in curated_places
                                  and ent.key not in _SCOPE_REGIONS),
        extraction_only=frozenset(world),
    )
