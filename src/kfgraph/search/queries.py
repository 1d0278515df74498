"""Reading the search index: search, and the browse lists with their totals.

Entity matches are ranked in tiers, then by how many releases mention them:

0. a name equals the whole query (``Pristina`` → the place Pristina);
1. every query word is a whole word of a name, in any spelling (``Prishtina``);
2. every query word starts a word of a name (as a user types: ``Prisht``);
3. the words occur only in what the entity is *about* (an event's sentence, places and actors).

Releases are ranked by BM25 over headline (weight 8) and text (weight 1).
Every function takes the index and returns plain data; none blocks for long
(each is one or two SQLite statements on indexed columns).
"""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from kfgraph.search.documents import concept_name
from kfgraph.search.folding import fold, key, query_words
from kfgraph.search.index import NAME_SEPARATOR, SearchIndex

KINDS: dict[str, tuple[str, str]] = {
    "person": ("Person", "People"),
    "organization": ("Organization", "Organizations"),
    "place": ("Place", "Places"),
    "event": ("Event", "Events"),
    "mandate": ("Mandate", "Mandates"),
}
"""Searchable kinds of entity → (one, many) in plain words."""
_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"
_HEADLINE_WEIGHT, _TEXT_WEIGHT = 8.0, 1.0


@dataclass(frozen=True)
class EntityHit:
    iri: str
    kind: str
    kind_label: str
    label: str
    detail: str
    releases: int
    mentions: int
    also: tuple[str, ...]
    """Other names it goes by (display form, at most a few)."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["also"] = list(self.also)
        return data


@dataclass(frozen=True)
class ReleaseHit:
    iri: str
    identifier: str
    title: str
    published: str
    events: int
    snippet_html: str = ""
    """Matching words of the text in ``<mark>``, HTML-escaped; empty when listing."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, and how many there are in all."""

    total: int
    items: tuple[Any, ...]
    offset: int
    limit: int

    @property
    def first(self) -> int:
        return self.offset + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.items)

    @property
    def has_next(self) -> bool:
        return self.last < self.total

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "offset": self.offset, "limit": self.limit,
                "items": [item.to_json() for item in self.items]}


# ---------------------------------------------------------------------------- search


def _entity_match(words: list[tuple[str, str]], *, about: bool) -> str:
    """An FTS5 query: every word starts a word of the names (or of ``about``), as typed or by its key."""
    columns = "{names about}" if about else "names"
    return " AND ".join(f'({columns} : "{w}"* OR keys : "{k}"*)' for w, k in words)


def _tier(names: str, query: str) -> int:
    """0 exact name, 1 whole words, 2 prefixes (see the module docstring)."""
    words = query_words(query)
    folded = " ".join(w for w, _ in words)
    wanted_keys = " ".join(k for _, k in words)
    all_names = names.split(NAME_SEPARATOR)
    if any(n == folded or " ".join(key(w) for w in n.split()) == wanted_keys for n in all_names):
        return 0
    tokens = {t for n in all_names for t in n.split()}
    token_keys = {key(t) for t in tokens}
    if all(w in tokens or k in token_keys for w, k in words):
        return 1
    return 2


def _connection(index: SearchIndex) -> sqlite3.Connection:
    db = index.db
    db.create_function("kfg_tier", 2, _tier, deterministic=True)
    return db


def _kind_filter(kind: str | None) -> tuple[str, tuple[str, ...]]:
    return (" AND e.kind = ?", (kind,)) if kind else ("", ())


def find_entities(index: SearchIndex, query: str, *, kind: str | None = None, limit: int = 10,
                  offset: int = 0) -> Page:
    """Entities some release mentions whose names (or, for events, sentence) match ``query``."""
    words = query_words(query)
    if not words:
        return Page(0, (), offset, limit)
    db = _connection(index)
    strict, loose = _entity_match(words, about=False), _entity_match(words, about=True)
    where, args = _kind_filter(kind)
    join = "FROM entity_fts JOIN entities e ON e.id = entity_fts.rowid WHERE entity_fts MATCH ?"
    strict_total = db.execute(f"SELECT COUNT(*) {join}{where}", (strict, *args)).fetchone()[0]
    loose_total = db.execute(f"SELECT COUNT(*) {join}{where}", (loose, *args)).fetchone()[0]
    rows: list[tuple[Any, ...]] = []
    columns = "e.iri, e.kind, e.label, e.detail, e.date, e.place, e.releases, e.mentions, e.names, e.aliases"
    if offset < strict_total:
        rows = db.execute(
            f"SELECT {columns} {join}{where} ORDER BY kfg_tier(e.names, ?), e.releases DESC, e.mentions DESC, "
            "e.label LIMIT ? OFFSET ?", (strict, *args, query, limit, offset)).fetchall()
    if len(rows) < limit and loose_total > strict_total:
        skip = max(0, offset - strict_total)
        rows += db.execute(
            f"SELECT {columns} {join}{where} AND entity_fts.rowid NOT IN "
            "(SELECT rowid FROM entity_fts WHERE entity_fts MATCH ?) "
            "ORDER BY e.releases DESC, e.date DESC, e.iri LIMIT ? OFFSET ?",
            (loose, *args, strict, limit - len(rows), skip)).fetchall()
    return Page(loose_total, tuple(_entity_hit(db, row) for row in rows), offset, limit)


def kind_counts(index: SearchIndex, query: str) -> dict[str, int]:
    """How many entities of each kind match ``query`` (kinds with none are left out)."""
    words = query_words(query)
    if not words:
        return {}
    rows = index.db.execute(
        "SELECT e.kind, COUNT(*) FROM entity_fts JOIN entities e ON e.id = entity_fts.rowid "
        "WHERE entity_fts MATCH ? GROUP BY e.kind", (_entity_match(words, about=True),)).fetchall()
    counts = dict(rows)
    return {kind: counts[kind] for kind in KINDS if counts.get(kind)}


def _release_match(query: str) -> str:
    words = [w for w, _ in query_words(query)]
    if not words:
        return ""
    *whole, last = words
    return " AND ".join([*(f'"{w}"' for w in whole), f'"{last}"*'])


def find_releases(index: SearchIndex, query: str, *, limit: int = 10, offset: int = 0) -> Page:
    """Releases whose headline or text match ``query``, best first, with a snippet of the text."""
    match = _release_match(query)
    if not match:
        return Page(0, (), offset, limit)
    db = index.db
    total = db.execute("SELECT COUNT(*) FROM release_fts WHERE release_fts MATCH ?", (match,)).fetchone()[0]
    rows = db.execute(
        "SELECT r.iri, r.identifier, r.headline, r.published, r.events, r.text, "
        f"snippet(release_fts, 1, '{_MARK_OPEN}', '{_MARK_CLOSE}', '…', 16) "
        "FROM release_fts JOIN releases r ON r.id = release_fts.rowid WHERE release_fts MATCH ? "
        f"ORDER BY bm25(release_fts, {_HEADLINE_WEIGHT}, {_TEXT_WEIGHT}) LIMIT ? OFFSET ?",
        (match, limit, offset)).fetchall()
    hits = tuple(ReleaseHit(iri, identifier, release_title(headline, text, identifier), published, events,
                            _marked(snippet)) for iri, identifier, headline, published, events, text, snippet in rows)
    return Page(total, hits, offset, limit)


def _marked(snippet: str) -> str:
    return html.escape(snippet).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")


# ---------------------------------------------------------------------------- lists


def kind_totals(index: SearchIndex) -> dict[str, int]:
    """How many entities of each kind some release mentions."""
    rows = dict(index.db.execute("SELECT kind, COUNT(*) FROM entities WHERE releases > 0 GROUP BY kind").fetchall())
    return {kind: int(rows.get(kind, 0)) for kind in KINDS}


def list_entities(index: SearchIndex, kind: str, *, limit: int = 50, offset: int = 0) -> Page:
    """The entities of ``kind`` that releases mention, most mentioned first."""
    db = index.db
    total = db.execute("SELECT COUNT(*) FROM entities WHERE kind = ? AND releases > 0", (kind,)).fetchone()[0]
    rows = db.execute(
        "SELECT iri, kind, label, detail, date, place, releases, mentions, names, aliases FROM entities "
        "WHERE kind = ? AND releases > 0 ORDER BY releases DESC, mentions DESC, label, iri LIMIT ? OFFSET ?",
        (kind, limit, offset)).fetchall()
    return Page(total, tuple(_entity_hit(db, row) for row in rows), offset, limit)


def release_years(index: SearchIndex) -> list[str]:
    rows = index.db.execute("SELECT DISTINCT substr(published, 1, 4) AS y FROM releases WHERE published != '' "
                            "ORDER BY y DESC").fetchall()
    return [row[0] for row in rows]


def list_releases(index: SearchIndex, *, year: int | None = None, event_type: str | None = None,
                  limit: int = 50, offset: int = 0) -> Page:
    """Releases, newest first; ``event_type`` is a concept IRI (releases mentioning an event of that type)."""
    where, args = ["1"], []
    if year is not None:
        where.append("r.published >= ? AND r.published < ?")
        args += [f"{year:04d}", f"{year + 1:04d}"]
    if event_type:
        where.append("r.id IN (SELECT release FROM release_types WHERE type = ?)")
        args.append(event_type)
    condition = " AND ".join(where)
    db = index.db
    total = db.execute(f"SELECT COUNT(*) FROM releases r WHERE {condition}", args).fetchone()[0]
    rows = db.execute(
        f"SELECT r.iri, r.identifier, r.headline, r.published, r.events, substr(r.text, 1, 400) FROM releases r "
        f"WHERE {condition} ORDER BY r.published DESC, r.iri LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
    hits = tuple(ReleaseHit(iri, identifier, release_title(headline, text, identifier), published, events)
                 for iri, identifier, headline, published, events, text in rows)
    return Page(total, hits, offset, limit)


# ---------------------------------------------------------------------------- display


def release_title(headline: str, text: str, identifier: str) -> str:
    """The headline; without one, the text's first sentence (shortened); without text, the identifier.

    >>> release_title("", "KFOR troops patrolled the Ibar bridge on Monday. More followed.", "x")
    'KFOR troops patrolled the Ibar bridge on Monday.'
    """
    if headline.strip():
        return headline.strip()
    first = re.split(r"(?<=[.!?])\s+|\n", text.strip(), maxsplit=1)[0].strip() if text.strip() else ""
    if not first:
        return identifier
    return first if len(first) <= 110 else first[:107].rsplit(" ", 1)[0] + "…"


def _concept_label(db: sqlite3.Connection, iri: str) -> str:
    if not iri.startswith(("http://", "https://")):
        return iri
    row = db.execute("SELECT label FROM concepts WHERE iri = ?", (iri,)).fetchone()
    if row is None or (" " not in row[0] and re.search("[a-z][A-Z]", row[0])):  # "ChangeOfCommand"
        return concept_name(iri)
    return str(row[0])


def _entity_hit(db: sqlite3.Connection, row: tuple[Any, ...]) -> EntityHit:
    iri, kind, label, detail, date, place, releases, mentions, _, aliases = row
    detail_label = _concept_label(db, detail) if detail else ""
    if kind == "event":
        label = detail_label or "Event"
        if place:
            label += f" at {place}"
        detail_label = date
    also = () if kind == "event" else tuple(n for n in aliases.split(NAME_SEPARATOR) if n)[:4]
    singular = KINDS.get(kind, (kind.capitalize(), ""))[0]
    return EntityHit(iri, kind, singular, label or iri.rsplit("/", 1)[-1], detail_label, int(releases), int(mentions),
                     also)
