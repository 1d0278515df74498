"""The links that grow with every release, counted and ordered in the search index for descriptions.

An organization such as KFOR is named by nearly every release: at 100,000
releases it has ~100,000 ``schema:mentions`` and ~160,000 ``sem:hasActor``
links. Oxigraph counts a group, or finds its newest items, only by reading
all of it, so a description that did so live would take seconds. These links
(``LINKS``) are the ones whose other end is minted for one release (the
release itself, its events, figures and text spans): each is stated by
exactly one graph, so the index can keep, per node and link, an exact count
(``link_totals``) and the items newest first (``dated_links``, for links
from a release or an event), moved by every graph it adds or drops. The
index also keeps every predicate any graph uses (``predicates``), so a
description counts its other groups live by looking each predicate up,
never by reading the large groups.

A dated item's date is the publication date of the release that states it
(for an event: the release that reports it, as the summaries count it);
ties come newest graph first, then newest item.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from kfgraph.vocab import KFG, SCHEMA, SEM


@dataclass(frozen=True)
class Link:
    """One kind of growing link: its predicate, its direction from the node, and whether it is dated."""

    code: int
    predicate: str
    incoming: bool
    from_release: bool = False
    """The other end is the release of the graph (dated by its publication)."""
    from_event: bool = False
    """The other end is an event of the graph (dated by its release's publication)."""

    @property
    def dated(self) -> bool:
        return self.from_release or self.from_event


LINKS: tuple[Link, ...] = (
    Link(1, str(SCHEMA.mentions), True, from_release=True),
    Link(2, str(SCHEMA.locationCreated), True, from_release=True),
    Link(3, str(SEM.hasActor), True, from_event=True),
    Link(4, str(SEM.hasPlace), True, from_event=True),
    Link(5, str(SCHEMA.location), True, from_event=True),
    Link(6, str(KFG.eventType), True, from_event=True),
    Link(7, str(KFG.figureOf), True),
    Link(8, str(KFG.hasMention), False),
)
BY_PREDICATE = {link.predicate: link for link in LINKS}
BY_CODE = {link.code: link for link in LINKS}

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS predicates(iri TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS link_nodes(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS link_totals(node INTEGER NOT NULL, link INTEGER NOT NULL, total INTEGER NOT NULL,
  listed INTEGER NOT NULL, PRIMARY KEY(node, link)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS graph_links(graph INTEGER NOT NULL, node INTEGER NOT NULL, link INTEGER NOT NULL,
  total INTEGER NOT NULL, listed INTEGER NOT NULL, PRIMARY KEY(graph, node, link)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dated_links(node INTEGER NOT NULL, link INTEGER NOT NULL, key INTEGER NOT NULL,
  item INTEGER NOT NULL, PRIMARY KEY(node, link, key, item)) WITHOUT ROWID;
"""
TABLES = ("predicates", "link_nodes", "link_totals", "graph_links", "dated_links")


@dataclass
class LinkFacts:
    """What one graph states of the growing links: counts per (node, link), and the dated items."""

    totals: dict[tuple[str, int], int]
    items: dict[tuple[str, int], list[str]]
    """Per (node, link): the events (IRIs) listed, or ``[""]`` per link from the graph's release."""


def _node_id(db: sqlite3.Connection, iri: str) -> int:
    row = db.execute("SELECT id FROM link_nodes WHERE iri = ?", (iri,)).fetchone()
    if row:
        return int(row[0])
    return int(db.execute("INSERT INTO link_nodes(iri) VALUES (?)", (iri,)).lastrowid or 0)


def add_links(db: sqlite3.Connection, gid: int, key: int, facts: LinkFacts, event_ids: dict[str, int],
              predicates: Iterable[str]) -> None:
    """Add one graph's growing links (``key``: its release's date key) and the predicates it uses."""
    db.executemany("INSERT OR IGNORE INTO predicates VALUES (?)", ((p,) for p in predicates))
    for (node, code), total in facts.totals.items():
        nid = _node_id(db, node)
        rows = []
        for item in facts.items.get((node, code), ()):
            if item == "":
                rows.append((nid, code, key, 0))
            elif item in event_ids:
                rows.append((nid, code, key, event_ids[item]))
        db.executemany("INSERT OR IGNORE INTO dated_links VALUES (?, ?, ?, ?)", rows)
        listed = len(rows)  # items of dated links only
        db.execute("INSERT INTO graph_links VALUES (?, ?, ?, ?, ?)", (gid, nid, code, total, listed))
        db.execute("INSERT INTO link_totals VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                   "total = total + excluded.total, listed = listed + excluded.listed", (nid, code, total, listed))


def drop_links(db: sqlite3.Connection, gid: int, key: int) -> None:
    """Take one graph's growing links back out (``key``: the date key its links were added with)."""
    for nid, code, total, listed in db.execute(
            "SELECT node, link, total, listed FROM graph_links WHERE graph = ?", (gid,)).fetchall():
        db.execute("UPDATE link_totals SET total = total - ?, listed = listed - ? WHERE node = ? AND link = ?",
                   (total, listed, nid, code))
        if listed:
            db.execute("DELETE FROM dated_links WHERE node = ? AND link = ? AND key = ?", (nid, code, key))
    db.execute("DELETE FROM graph_links WHERE graph = ?", (gid,))
    db.execute("DELETE FROM link_totals WHERE total <= 0")


@dataclass(frozen=True)
class LinkCounts:
    """What the index knows of one node's growing links."""

    totals: dict[Link, int]
    listed: frozenset[Link]
    """Dated links whose every item the index lists newest first."""


def predicates(db: sqlite3.Connection) -> list[str]:
    return [row[0] for row in db.execute("SELECT iri FROM predicates ORDER BY iri")]


def counts(db: sqlite3.Connection, iri: str) -> LinkCounts:
    rows = db.execute("SELECT t.link, t.total, t.listed FROM link_totals t JOIN link_nodes n ON n.id = t.node "
                      "WHERE n.iri = ?", (iri,)).fetchall()
    totals = {BY_CODE[code]: total for code, total, _ in rows if total > 0 and code in BY_CODE}
    listed = frozenset(BY_CODE[code] for code, total, listed in rows
                       if code in BY_CODE and BY_CODE[code].dated and listed == total)
    return LinkCounts(totals, listed)


def newest(db: sqlite3.Connection, iri: str, link: Link, *, limit: int, offset: int) -> list[str]:
    """The IRIs of ``link``'s items of ``iri``, newest first (see the module docstring)."""
    if link.from_release:
        sql = ("SELECT r.iri FROM dated_links d JOIN link_nodes n ON n.id = d.node "
               "JOIN releases r ON r.graph = d.key % 1000000000 WHERE n.iri = ? AND d.link = ? "
               "ORDER BY d.key DESC, d.item DESC LIMIT ? OFFSET ?")
    else:
        sql = ("SELECT e.iri FROM dated_links d JOIN link_nodes n ON n.id = d.node "
               "JOIN entities e ON e.id = d.item WHERE n.iri = ? AND d.link = ? "
               "ORDER BY d.key DESC, d.item DESC LIMIT ? OFFSET ?")
    return [row[0] for row in db.execute(sql, (iri, link.code, limit, offset))]
