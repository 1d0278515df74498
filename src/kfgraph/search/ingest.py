"""Adding and dropping one graph's rows in the search index, with aggregates kept incrementally.

Per-graph rows (``graph_entities``, ``graph_names``, ``graph_facts``) say what
each graph contributed, so that dropping it takes exactly that back out.
Aggregates are counters moved by each add and drop: an entity's releases,
mentions and stating graphs, and each name's count of graphs stating it
(``entity_names``). So writing a release that mentions KFOR costs the same
whether 10 or 100,000 earlier releases mention it; only an entity whose names,
sentence or visibility changed gets its full-text row rewritten (``refresh``).
"""

from __future__ import annotations

import sqlite3

from kfgraph.search.documents import GraphDocument, concept_name
from kfgraph.search.folding import fold, key
from kfgraph.search.links import SCHEMA_SQL as LINK_SCHEMA, TABLES as LINK_TABLES, add_links, drop_links

NAME_SEPARATOR = " | "
"""Between an entity's folded names in ``entities.names`` (the tokenizer skips it)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graphs(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS releases(
  id INTEGER PRIMARY KEY, graph INTEGER NOT NULL UNIQUE, iri TEXT NOT NULL, identifier TEXT NOT NULL,
  headline TEXT NOT NULL, published TEXT NOT NULL, source_file TEXT NOT NULL, text TEXT NOT NULL,
  events INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS release_fts USING fts5(
  headline, text, content='releases', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS release_types(type TEXT NOT NULL, release INTEGER NOT NULL, PRIMARY KEY(type, release))
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS release_types_by_release ON release_types(release);
CREATE TABLE IF NOT EXISTS entities(
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, label TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '', place TEXT NOT NULL DEFAULT '',
  about TEXT NOT NULL DEFAULT '', releases INTEGER NOT NULL DEFAULT 0, mentions INTEGER NOT NULL DEFAULT 0,
  graphs INTEGER NOT NULL DEFAULT 0, names TEXT NOT NULL DEFAULT '', aliases TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS entities_by_kind ON entities(kind, releases DESC, mentions DESC, label);
CREATE VIRTUAL TABLE IF NOT EXISTS name_fts USING fts5(names, keys, tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS event_fts USING fts5(names, keys, tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS event_keys(event INTEGER PRIMARY KEY, entity INTEGER NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS entity_names(entity INTEGER NOT NULL, name TEXT NOT NULL, graphs INTEGER NOT NULL,
  labels INTEGER NOT NULL, PRIMARY KEY(entity, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS graph_entities(graph INTEGER NOT NULL, entity INTEGER NOT NULL, spans INTEGER NOT NULL,
  PRIMARY KEY(graph, entity)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS graph_names(graph INTEGER NOT NULL, entity INTEGER NOT NULL, name TEXT NOT NULL,
  label INTEGER NOT NULL, PRIMARY KEY(graph, entity, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS graph_facts(graph INTEGER NOT NULL, entity INTEGER NOT NULL, PRIMARY KEY(graph, entity))
  WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS concepts(iri TEXT PRIMARY KEY, label TEXT NOT NULL, graph INTEGER NOT NULL);
""" + LINK_SCHEMA
TABLES = ("graphs", "releases", "release_types", "entities", "entity_names", "graph_entities", "graph_names",
          "graph_facts", "concepts", "event_keys", "name_fts", "event_fts", *LINK_TABLES)


def add_document(db: sqlite3.Connection, document: GraphDocument) -> set[int]:
    """Insert one graph's rows (it must not be indexed); the entities whose full-text row must be rewritten."""
    gid = int(db.execute("INSERT INTO graphs(iri) VALUES (?)", (document.graph,)).lastrowid or 0)
    db.executemany("INSERT OR REPLACE INTO concepts VALUES (?, ?, ?)",
                   [(iri, label, gid) for iri, label in document.concepts.items()])
    touched: set[int] = set()
    ids: dict[str, int] = {}
    for iri, facts in document.entities.items():
        row = db.execute("SELECT id FROM entities WHERE iri = ?", (iri,)).fetchone()
        eid = int(row[0]) if row else int(db.execute(
            "INSERT INTO entities(iri, kind) VALUES (?, ?)", (iri, facts.kind)).lastrowid or 0)
        ids[iri] = eid
        place = ", ".join(n for p in facts.places for n in document.names_of(p))
        actors = " ".join(n for a in facts.actors for n in document.names_of(a))
        about = " ".join(filter(None, [facts.description, place, actors]))
        db.execute("INSERT INTO graph_facts VALUES (?, ?)", (gid, eid))
        # the latest graph's non-empty facts win
        db.execute("UPDATE entities SET kind = ?, graphs = graphs + 1, detail = COALESCE(NULLIF(?, ''), detail), "
                   "date = COALESCE(NULLIF(?, ''), date), place = COALESCE(NULLIF(?, ''), place), "
                   "about = COALESCE(NULLIF(?, ''), about) WHERE id = ?",
                   (facts.kind, facts.detail, facts.date, place, about, eid))
        if facts.kind == "event":
            touched.add(eid)
        for name in facts.names:
            label = int(name == facts.label)
            db.execute("INSERT INTO graph_names VALUES (?, ?, ?, ?)", (gid, eid, name, label))
            new = db.execute("INSERT INTO entity_names VALUES (?, ?, 1, ?) ON CONFLICT DO UPDATE SET "
                             "graphs = graphs + 1, labels = labels + excluded.labels RETURNING graphs",
                             (eid, name, label)).fetchone()[0] == 1
            if new:
                touched.add(eid)
    for iri, spans in document.mentioned.items():
        eid = ids[iri]
        db.execute("INSERT INTO graph_entities VALUES (?, ?, ?)", (gid, eid, spans))
        releases = db.execute("UPDATE entities SET releases = releases + 1, mentions = mentions + ? WHERE id = ? "
                              "RETURNING releases", (max(1, spans), eid)).fetchone()[0]
        if releases == 1:
            touched.add(eid)
    release = document.release
    add_links(db, gid, date_key(release.published if release else "", gid), document.links,
              {iri: eid for iri, eid in ids.items() if document.entities[iri].kind == "event"}, document.predicates)
    if release is not None:
        events = [document.entities[i] for i in document.mentioned if document.entities[i].kind == "event"]
        rid = date_key(release.published, gid)
        db.execute("INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (rid, gid, release.iri, release.identifier, release.headline, release.published,
                    release.source_file, release.text, len(events)))
        db.execute("INSERT INTO release_fts(rowid, headline, text) VALUES (?, ?, ?)",
                   (rid, release.headline, release.text))
        db.executemany("INSERT OR IGNORE INTO release_types VALUES (?, ?)",
                       [(event.detail, rid) for event in events if event.detail])
    return touched


def drop_graph(db: sqlite3.Connection, graph: str) -> set[int]:
    """Take one graph's rows back out; the entities whose full-text row must be rewritten."""
    row = db.execute("SELECT id FROM graphs WHERE iri = ?", (graph,)).fetchone()
    if row is None:
        return set()
    gid = int(row[0])
    touched: set[int] = set()
    for eid, spans in db.execute("SELECT entity, spans FROM graph_entities WHERE graph = ?", (gid,)).fetchall():
        left = db.execute("UPDATE entities SET releases = releases - 1, mentions = mentions - ? WHERE id = ? "
                          "RETURNING releases", (max(1, spans), eid)).fetchone()[0]
        if left == 0:
            touched.add(eid)
    for eid, name, label in db.execute("SELECT entity, name, label FROM graph_names WHERE graph = ?",
                                       (gid,)).fetchall():
        left = db.execute("UPDATE entity_names SET graphs = graphs - 1, labels = labels - ? WHERE entity = ? "
                          "AND name = ? RETURNING graphs", (label, eid, name)).fetchone()[0]
        if left == 0:
            db.execute("DELETE FROM entity_names WHERE entity = ? AND name = ?", (eid, name))
            touched.add(eid)
    for (eid,) in db.execute("SELECT entity FROM graph_facts WHERE graph = ?", (gid,)).fetchall():
        left = db.execute("UPDATE entities SET graphs = graphs - 1 WHERE id = ? RETURNING graphs", (eid,)).fetchone()[0]
        if left == 0:
            touched.add(eid)
    old = db.execute("SELECT id, headline, text FROM releases WHERE graph = ?", (gid,)).fetchone()
    drop_links(db, gid, int(old[0]) if old is not None else date_key("", gid))
    if old is not None:
        db.execute("INSERT INTO release_fts(release_fts, rowid, headline, text) VALUES ('delete', ?, ?, ?)", old)
        db.execute("DELETE FROM releases WHERE id = ?", (old[0],))
        db.execute("DELETE FROM release_types WHERE release = ?", (old[0],))
    for table in ("graph_entities", "graph_names", "graph_facts", "concepts"):
        db.execute(f"DELETE FROM {table} WHERE graph = ?", (gid,))
    db.execute("DELETE FROM graphs WHERE id = ?", (gid,))
    return touched


def refresh(db: sqlite3.Connection, touched: set[int]) -> None:
    """Rewrite label, names and full-text row of each touched entity; delete those no graph states."""
    for eid in touched:
        row = db.execute("SELECT graphs, releases, kind, detail, date, place FROM entities WHERE id = ?",
                         (eid,)).fetchone()
        if row is None:
            continue
        graphs, releases, kind, detail, date, place = row
        db.execute("DELETE FROM name_fts WHERE rowid = ?", (eid,))
        db.execute("DELETE FROM event_fts WHERE rowid IN (SELECT event FROM event_keys WHERE entity = ?)", (eid,))
        db.execute("DELETE FROM event_keys WHERE entity = ?", (eid,))
        if graphs == 0:
            db.execute("DELETE FROM entities WHERE id = ?", (eid,))
            db.execute("DELETE FROM entity_names WHERE entity = ?", (eid,))
            continue
        names = [n for (n,) in db.execute(
            "SELECT name FROM entity_names WHERE entity = ? ORDER BY labels > 0 DESC, name", (eid,))]
        label = names[0] if names else ""
        shown = [label]
        for name in names[1:]:
            if fold(name) not in {fold(n) for n in shown}:
                shown.append(name)
        aliases = NAME_SEPARATOR.join(shown[1:])
        folded = list(dict.fromkeys(fold(n) for n in names))
        db.execute("UPDATE entities SET label = ?, names = ?, aliases = ? WHERE id = ?",
                   (label, NAME_SEPARATOR.join(folded), aliases, eid))
        if releases == 0:  # only what releases mention is searchable
            continue
        if kind == "event":  # named by its type and place: "Patrol at Jarinje"; newest first by its key
            folded = [fold(" ".join([concept_name(detail) if detail else "", place]))]
        name_keys = NAME_SEPARATOR.join(" ".join(key(w) for w in n.split()) for n in folded)
        if kind == "event":
            event = date_key(date, eid)
            db.execute("INSERT INTO event_keys VALUES (?, ?)", (event, eid))
            db.execute("INSERT INTO event_fts(rowid, names, keys) VALUES (?, ?, ?)",
                       (event, NAME_SEPARATOR.join(folded), name_keys))
        else:
            db.execute("INSERT INTO name_fts(rowid, names, keys) VALUES (?, ?, ?)",
                       (eid, NAME_SEPARATOR.join(folded), name_keys))


def date_key(date: str, number: int) -> int:
    """A row key that sorts by date, then by ``number`` (< 10⁹): ``ORDER BY rowid DESC`` is newest first.

    >>> date_key("2024-06-12", 42)
    20240612000000042
    """
    digits = "".join(c for c in date[:10] if c.isdigit())
    return int(digits[:8].ljust(8, "0") if digits else "0") * 1_000_000_000 + number % 1_000_000_000
