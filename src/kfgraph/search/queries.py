"""Reading the search index: search, and the browse lists with their totals.

People, organizations, places and mandates matching by name are ranked in
tiers, then by how many releases mention them:

0. a name equals the whole query (``Pristina`` → the place Pristina);
1. every query word is a whole word of a name, in any spelling (``Prishtina``);
2. every query word starts a word of a name (as a user types: ``Prisht``).

Events, named by their type and place ("Patrol at Jarinje"), follow, newest
first. Releases are ranked by BM25 over headline (weight 8) and text (weight
1), or newest first when very many match (``find_releases``).
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
from kfgraph.search.ingest import date_key

KINDS: dict[str, tuple[str, str]] = {
    "person": ("Person", "People"),
    "organization": ("Organization", "Organizations"),
    "place": ("Place", "Places"),
    "event": ("Event", "Events"),
    "mandate": ("Mandate", "Mandates"),
}
"""Searchable kinds of entity → (one, many) in plain words."""
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


def _name_match(words: list[tuple[str, str]]) -> str:
    """An FTS5 query: every word starts a word of some name, as typed or by its spelling key."""
    return " AND ".join(f'(names : "{w}"* OR keys : "{k}"*)' for w, k in words)


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


_COLUMNS = "e.iri, e.kind, e.label, e.detail, e.date, e.place, e.releases, e.mentions, e.names, e.aliases"
_NAMED = "FROM name_fts JOIN entities e ON e.id = name_fts.rowid WHERE name_fts MATCH ?"
_EVENTS = ("FROM event_fts JOIN event_keys k ON k.event = event_fts.rowid JOIN entities e ON e.id = k.entity "
           "WHERE event_fts MATCH ?")


def find_entities(index: SearchIndex, query: str, *, kind: str | None = None, limit: int = 10,
                  offset: int = 0, counted: dict[tuple[str, str, str | None], int] | None = None) -> Page:
    """Entities some release mentions whose names match ``query``, best first.

    People, organizations, places and mandates come in tiers (exact name, whole words, prefixes),
    then by how many releases mention them; events (named by type and place, "Patrol at Jarinje")
    come after them, newest first. ``counted`` shares counts with ``kind_counts`` within one request.
    """
    words = query_words(query)
    if not words:
        return Page(0, (), offset, limit)
    db = index.db
    match = _name_match(words)
    named_total = 0 if kind == "event" else _count(db, _NAMED, match, kind, counted)
    event_total = _count(db, _EVENTS, match, None, counted) if kind in (None, "event") else 0
    rows: list[tuple[Any, ...]] = []
    if offset < named_total:
        rows = _ranked_names(db, match, query, kind, limit, offset)
    if len(rows) < limit and offset + len(rows) < named_total + event_total:
        skip = max(0, offset - named_total)
        rows += db.execute(f"SELECT {_COLUMNS} {_EVENTS} ORDER BY event_fts.rowid DESC LIMIT ? OFFSET ?",
                           (match, limit - len(rows), skip)).fetchall()
    return Page(named_total + event_total, tuple(_entity_hit(db, row) for row in rows), offset, limit)


_RANKED = 500
"""Name matches re-ranked by tier: the most mentioned this many; deeper pages follow mention order."""


def _count(db: sqlite3.Connection, source: str, match: str, kind: str | None,
           counted: dict[tuple[str, str, str | None], int] | None = None) -> int:
    if counted is not None:
        if (source, match, kind) not in counted:
            counted[source, match, kind] = _count(db, source, match, kind)
        return counted[source, match, kind]
    if kind is None:  # every row of both full-text tables is an entity some release mentions: no join
        table = "event_fts" if source is _EVENTS else "name_fts"
        return int(db.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (match,)).fetchone()[0])
    return int(db.execute(f"SELECT COUNT(*) {source} AND e.kind = ?", (match, kind)).fetchone()[0])


def _ranked_names(db: sqlite3.Connection, match: str, query: str, kind: str | None, limit: int,
                  offset: int) -> list[tuple[Any, ...]]:
    where, args = (" AND e.kind = ?", (kind,)) if kind else (" AND e.kind != 'event'", ())
    order = "ORDER BY e.releases DESC, e.mentions DESC, e.label, e.iri"
    if offset + limit > _RANKED:
        return db.execute(f"SELECT {_COLUMNS} {_NAMED}{where} {order} LIMIT ? OFFSET ?",
                          (match, *args, limit, offset)).fetchall()
    rows = db.execute(f"SELECT {_COLUMNS} {_NAMED}{where} {order} LIMIT ?", (match, *args, _RANKED)).fetchall()
    rows.sort(key=lambda row: _tier(row[8], query))  # stable: mention order within a tier
    return rows[offset:offset + limit]


def kind_counts(index: SearchIndex, query: str,
                counted: dict[tuple[str, str, str | None], int] | None = None) -> dict[str, int]:
    """How many entities of each kind match ``query`` (kinds with none are left out)."""
    words = query_words(query)
    if not words:
        return {}
    match = _name_match(words)
    counts = dict(index.db.execute(f"SELECT e.kind, COUNT(*) {_NAMED} GROUP BY e.kind", (match,)).fetchall())
    counts["event"] = _count(index.db, _EVENTS, match, None, counted)
    return {kind: counts[kind] for kind in KINDS if counts.get(kind)}


RANK_LIMIT = 2_000
"""Up to this many matching releases are ranked by BM25; more are listed newest first, headline matches first."""


def _release_match(query: str, *, headline: bool = False) -> str:
    words = [w for w, _ in query_words(query)]
    if not words:
        return ""
    *whole, last = words
    terms = " AND ".join([*(f'"{w}"' for w in whole), f'"{last}"*'])
    return f"headline : ({terms})" if headline else terms


def find_releases(index: SearchIndex, query: str, *, limit: int = 10, offset: int = 0) -> Page:
    """Releases whose headline or text match ``query``, with a snippet of the text.

    BM25 (headline ×8) ranks up to ``RANK_LIMIT`` matches. A query that matches more (a word
    in every release, such as "KFOR") says little about relevance, and scoring every match
    would cost time that grows with the corpus: those are listed newest first, the releases
    whose headline matches before the others (both read in key order, no sorting).
    """
    match = _release_match(query)
    if not match:
        return Page(0, (), offset, limit)
    db = index.db
    total = db.execute("SELECT COUNT(*) FROM release_fts WHERE release_fts MATCH ?", (match,)).fetchone()[0]
    if total <= RANK_LIMIT:
        ids = [r[0] for r in db.execute(
            f"SELECT rowid FROM release_fts WHERE release_fts MATCH ? "
            f"ORDER BY bm25(release_fts, {_HEADLINE_WEIGHT}, {_TEXT_WEIGHT}) LIMIT ? OFFSET ?",
            (match, limit, offset))]
    else:
        headline = _release_match(query, headline=True)
        in_headline = db.execute("SELECT COUNT(*) FROM release_fts WHERE release_fts MATCH ?",
                                 (headline,)).fetchone()[0]
        ids = [r[0] for r in db.execute(
            "SELECT rowid FROM release_fts WHERE release_fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?",
            (headline, limit, offset))] if offset < in_headline else []
        if len(ids) < limit:
            ids += [r[0] for r in db.execute(
                "SELECT rowid FROM release_fts WHERE release_fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?",
                (f"({match}) NOT ({headline})", limit - len(ids), max(0, offset - in_headline)))]
    if not ids:
        return Page(total, (), offset, limit)
    words = [w for w, _ in query_words(query)]
    rows = [db.execute("SELECT iri, identifier, headline, published, events, text FROM releases WHERE id = ?",
                       (rid,)).fetchone() for rid in ids]
    hits = tuple(ReleaseHit(iri, identifier, release_title(headline_text, text, identifier), published, events,
                            snippet_html(text, words))
                 for iri, identifier, headline_text, published, events, text in filter(None, rows))
    return Page(total, hits, offset, limit)


_WORD = re.compile(r"\w+")
SNIPPET_CHARS = 220


def snippet_html(text: str, words: list[str]) -> str:
    """About ``SNIPPET_CHARS`` characters of ``text`` around the first match, matches in ``<mark>``, escaped.

    A word matches when its folded form starts with a query word (or with its first five letters,
    so that "patrols" marks "patrolled", as the stemming index matched it). Only the window is
    tokenized: FTS5's own ``snippet()`` re-reads the match for each row, which costs milliseconds
    per row for a word that every release contains.

    >>> snippet_html("KFOR troops <b>patrolled</b> the Ibar bridge.", ["patrols"])
    'KFOR troops &lt;b&gt;<mark>patrolled</mark>&lt;/b&gt; the Ibar bridge.'
    """
    stems = [w[:5] if len(w) > 5 else w for w in words]
    lower = text.lower()
    found = [i for i in (lower.find(stem) for stem in stems) if i >= 0]
    centre = min(found) if found else 0
    begin = max(0, centre - SNIPPET_CHARS // 4)
    begin = begin if begin == 0 else lower.find(" ", begin) + 1
    end = min(len(text), begin + SNIPPET_CHARS)
    end = end if end == len(text) else max(begin, lower.rfind(" ", begin, end))
    out, cursor = [], begin
    for token in _WORD.finditer(text, begin, end):
        out.append(html.escape(text[cursor:token.start()]))
        word = token.group()
        match = any(fold(word).startswith(stem) for stem in stems)
        out.append(f"<mark>{html.escape(word)}</mark>" if match else html.escape(word))
        cursor = token.end()
    out.append(html.escape(text[cursor:end]))
    return ("…" if begin else "") + " ".join("".join(out).split()) + ("…" if end < len(text) else "")


# ---------------------------------------------------------------------------- lists


def kind_totals(index: SearchIndex) -> dict[str, int]:
    """How many entities of each kind some release mentions."""
    rows = dict(index.db.execute("SELECT kind, COUNT(*) FROM entities WHERE releases > 0 GROUP BY kind").fetchall())
    return {kind: int(rows.get(kind, 0)) for kind in KINDS}


_MOST_MENTIONED = "releases DESC, mentions DESC, label, iri"
_LIST_ORDER = {"event": "date DESC, releases DESC, iri"}
"""Events, each told by one release or two, are listed newest first."""


def list_entities(index: SearchIndex, kind: str, *, limit: int = 50, offset: int = 0) -> Page:
    """The entities of ``kind`` that releases mention, most mentioned first (events: newest first)."""
    db = index.db
    total = db.execute("SELECT COUNT(*) FROM entities WHERE kind = ? AND releases > 0", (kind,)).fetchone()[0]
    rows = db.execute(
        "SELECT iri, kind, label, detail, date, place, releases, mentions, names, aliases FROM entities "
        f"WHERE kind = ? AND releases > 0 ORDER BY {_LIST_ORDER.get(kind, _MOST_MENTIONED)} LIMIT ? OFFSET ?",
        (kind, limit, offset)).fetchall()
    return Page(total, tuple(_entity_hit(db, row) for row in rows), offset, limit)


def release_years(index: SearchIndex) -> list[str]:
    """The years releases were published in, newest first (one index seek per year)."""
    years = []
    row = index.db.execute("SELECT MAX(id) FROM releases").fetchone()
    while row and row[0] and row[0] >= date_key("00010101", 0):
        year = row[0] // date_key("00010000", 0)
        years.append(f"{year:04d}")
        row = index.db.execute("SELECT MAX(id) FROM releases WHERE id < ?", (date_key(f"{year:04d}0101", 0),)).fetchone()
    return years


def list_releases(index: SearchIndex, *, year: int | None = None, event_type: str | None = None,
                  limit: int = 50, offset: int = 0) -> Page:
    """Releases, newest first; ``event_type`` is a concept IRI (releases mentioning an event of that type)."""
    where: list[str] = ["1"]
    args: list[object] = []
    if year is not None:
        where.append("r.id >= ? AND r.id < ?")
        args += [date_key(f"{year:04d}0101", 0), date_key(f"{year + 1:04d}0101", 0)]
    if event_type:
        where.append("r.id IN (SELECT release FROM release_types WHERE type = ?)")
        args.append(event_type)
    condition = " AND ".join(where)
    db = index.db
    total = db.execute(f"SELECT COUNT(*) FROM releases r WHERE {condition}", args).fetchone()[0]
    rows = db.execute(
        f"SELECT r.iri, r.identifier, r.headline, r.published, r.events, substr(r.text, 1, 400) FROM releases r "
        f"WHERE {condition} ORDER BY r.id DESC LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
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
