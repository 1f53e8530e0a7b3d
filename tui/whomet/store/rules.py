"""What records say taken together: how many meetings and statements each person or organization
has, which meetings a statement denies, and which denials contradict what a source reports.

Each rule is written here once, in SQL over the two tables that every index of a casefile has::

    records (id, kind, sort_lo, sort_hi, flag, meetings, statements, ...)
    links (source, target, relation, ...)

The cache keeps them on disk (:mod:`whomet.store.cache`); an index of records held in memory
(:class:`whomet.index.Index`) keeps them in a database in memory of its own (:func:`graph`). The
counts and flags are derived into their columns by :func:`derive`, for every record or for those
a change can touch; :func:`contradictions_of` lists a record's contradictions with their sources.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterable

PARTIES = ("person", "organization")
"""The kinds of record that take part in meetings and make statements."""

COUNTED = (("participant", "meetings"), ("speaker", "statements"))
"""What a party's counts count: the records that name it so (each once), by the column they go in."""

# The kinds are looked up in records_kind_of, which holds both columns: the planner would
# otherwise read each record's whole row from the table, a third slower at 100k in the cache.
DENIALS = """
    SELECT d.rowid AS denial, d.source AS statement, d.target AS meeting FROM links d
    JOIN records s INDEXED BY records_kind_of ON s.id = d.source AND s.kind = 'statement'
    JOIN records m INDEXED BY records_kind_of ON m.id = d.target AND m.kind = 'meeting'
    WHERE d.relation = 'denies'"""
"""A denial: a statement that denies a meeting (one row per time it says so)."""

REPORTS = """
    SELECT c.rowid AS report, c.source AS meeting, c.target AS source FROM links c
    JOIN records s INDEXED BY records_kind_of ON s.id = c.target AND s.kind = 'source'
    WHERE c.relation IN ('citation', 'original report')"""
"""A report: a source that a meeting's citations name, as the source or the original report."""

CONTRADICTIONS = f"""
    SELECT d.denial, d.statement, d.meeting, r.report, r.source
    FROM ({DENIALS}) d JOIN ({REPORTS}) r ON r.meeting = d.meeting"""
"""A contradiction: a denial of a meeting that a source reports (one row per such source)."""

GRAPH = """
CREATE TABLE records (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, sort_lo TEXT NOT NULL, sort_hi TEXT NOT NULL,
    flag TEXT NOT NULL DEFAULT '', meetings INTEGER NOT NULL DEFAULT 0, statements INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE links (source TEXT NOT NULL, target TEXT NOT NULL, relation TEXT NOT NULL);
"""
"""The least an index's database holds for the rules: the cache's tables have these columns and more."""

_GRAPH_INDEXES = """
CREATE INDEX records_kind_of ON records (id, kind);
CREATE INDEX links_target ON links (target, relation);
CREATE INDEX links_source ON links (source, relation, target);
"""


def graph(records: Iterable[tuple[str, str, str, str]], links: Iterable[tuple[str, str, str]]) -> sqlite3.Connection:
    """A database in memory of ``records`` ((id, kind, sort_lo, sort_hi) each) and the ``links``
    they make ((source, target, relation) each, in the order each record gives them), with
    everything the rules derive."""
    db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    db.executescript(GRAPH)
    collecting = gc.isenabled()
    gc.disable()  # many small tuples, none of them cyclic: a third of the time otherwise
    try:
        db.execute("BEGIN")
        db.executemany("INSERT INTO records (id, kind, sort_lo, sort_hi) VALUES (?, ?, ?, ?)", records)
        db.executemany("INSERT INTO links VALUES (?, ?, ?)", links)
        db.execute("COMMIT")
        db.executescript(_GRAPH_INDEXES)  # built once, after the rows: quicker than kept up
        db.execute("BEGIN")
        derive(db)
        db.execute("COMMIT")
    finally:
        if collecting:
            gc.enable()
    return db


def derive(db: sqlite3.Connection, around: Iterable[str] | None = None, *, counts: bool = True) -> None:
    """Set the counts and flags of every record, or of those a change to the records ``around``
    can have touched: theirs, those of the meetings that cite one of them, and those of the
    statements that deny one of these. ``counts`` False: the flags only (the counts are right)."""
    def within(column: str) -> str:
        return f" AND {column} IN (SELECT id FROM touched)" if around is not None else ""

    def only(column: str) -> str:
        return f" WHERE {column} IN (SELECT id FROM touched)" if around is not None else ""

    if around is not None:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS touched (id TEXT PRIMARY KEY)")
        db.execute("DELETE FROM touched")
        db.executemany("INSERT OR IGNORE INTO touched VALUES (?)", [(record_id,) for record_id in around])
        db.execute("""INSERT OR IGNORE INTO touched SELECT l.source FROM links l
                      WHERE l.target IN (SELECT id FROM touched) AND l.relation IN ('citation', 'original report')""")
        db.execute("""INSERT OR IGNORE INTO touched SELECT l.source FROM links l
                      WHERE l.target IN (SELECT id FROM touched) AND l.relation = 'denies'""")
    if counts:
        db.execute("UPDATE records SET flag = '', meetings = 0, statements = 0 "
                   "WHERE (flag != '' OR meetings != 0 OR statements != 0)" + within("id"))
        _count(db, within("target"))
    else:
        db.execute("UPDATE records SET flag = '' WHERE flag != ''" + within("id"))
    # Each rule found once for all the records it flags (not asked again of each record): at 100k
    # in the cache, half the time.
    db.execute(f"""UPDATE records SET flag = 'denied'
                   WHERE id IN (SELECT meeting FROM ({DENIALS}){only('meeting')})""")
    db.execute(f"""UPDATE records SET flag = 'contradicts'
                   WHERE id IN (SELECT statement FROM ({CONTRADICTIONS}){only('statement')})""")


def count(db: sqlite3.Connection) -> None:
    """Set every party's counts (and no flag): what the lists show beside each name."""
    db.execute("UPDATE records SET meetings = 0, statements = 0 WHERE meetings != 0 OR statements != 0")
    _count(db, "")


def _count(db: sqlite3.Connection, within: str) -> None:
    set_counts(db, f"SELECT target, count(DISTINCT source) AS n FROM links WHERE relation = ?{within} GROUP BY target")


def set_counts(db: sqlite3.Connection, counted: str) -> None:
    """Each party's counts, as :data:`COUNTED` says, from ``counted``: SQL of (target, n) rows for
    the one relation it is given as its parameter."""
    parties = ", ".join(f"'{kind}'" for kind in PARTIES)
    for relation, column in COUNTED:
        db.execute(f"""
            WITH counted AS ({counted})
            UPDATE records SET {column} = counted.n FROM counted
            WHERE records.id = counted.target AND records.kind IN ({parties})""", (relation,))


def contradictions_of(db: sqlite3.Connection, record_id: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(statement, meeting, the sources that report the meeting) of each contradiction: for a
    statement, of each meeting it denies that a source reports, in the order it says so; for such
    a meeting, of each of its denials, the oldest statement first."""
    kind = db.execute("SELECT kind FROM records WHERE id = ?", (record_id,)).fetchone()
    if kind is None or kind[0] not in ("statement", "meeting"):
        return []
    rows = db.execute(f"""
        SELECT c.denial, c.statement, c.meeting, c.source FROM ({CONTRADICTIONS}) c
        JOIN records s ON s.id = c.statement WHERE c.{kind[0]} = ?
        ORDER BY s.sort_lo, s.sort_hi, c.statement, c.denial, c.report""", (record_id,))
    found: dict[int, tuple[str, str, dict[str, None]]] = {}
    for denial, statement, meeting, source in rows:
        found.setdefault(denial, (statement, meeting, {}))[2][source] = None
    return [(statement, meeting, tuple(sources)) for statement, meeting, sources in found.values()]


def counts_of(db: sqlite3.Connection, party_id: str) -> tuple[int, int]:
    """How many meetings and statements a person or organization has."""
    row = db.execute("SELECT meetings, statements FROM records WHERE id = ?", (party_id,)).fetchone()
    return (row[0], row[1]) if row else (0, 0)


def flag_of(db: sqlite3.Connection, record_id: str) -> str:
    """'denied' for a meeting a statement denies, 'contradicts' for a statement with a
    contradiction, else ''."""
    row = db.execute("SELECT flag FROM records WHERE id = ?", (record_id,)).fetchone()
    return row[0] if row else ""
