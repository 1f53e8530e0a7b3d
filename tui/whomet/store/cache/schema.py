"""The cache's tables, and the connection to them: opened, checked, rebuilt when unusable, and
never waited on for longer than :data:`~whomet.store.cache.BUSY_WAIT`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import cache as tuned  # BUSY_WAIT is the package's, where a caller may set it

FORMAT = "whomet-cache 7"
"""Changes whenever the tables or what goes in them change: an older cache is rebuilt."""

PAGE_CACHE = -8192
"""SQLite's page cache, in KiB: searches scan the table from the system's file cache about as
fast, and each MiB kept here is a MiB more of the app's memory. Reading 100k files first took no
longer with it than with 64 MiB (12.6-13.4 s either way), and peaked 60 MB lower."""

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    record_id TEXT, digest BLOB, problems TEXT
);
CREATE TABLE records (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, path TEXT NOT NULL,
    label TEXT NOT NULL, sort_name TEXT NOT NULL, names TEXT NOT NULL,
    sort_lo TEXT NOT NULL, sort_hi TEXT NOT NULL, when_text TEXT NOT NULL,
    what TEXT NOT NULL, title TEXT NOT NULL, speaker TEXT NOT NULL, fields TEXT NOT NULL,
    type TEXT NOT NULL, status TEXT NOT NULL, under_oath INTEGER, roles TEXT NOT NULL,
    capacities TEXT NOT NULL, tags TEXT NOT NULL,
    flag TEXT NOT NULL DEFAULT '', meetings INTEGER NOT NULL DEFAULT 0,
    statements INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE links (source TEXT NOT NULL, target TEXT NOT NULL, relation TEXT NOT NULL, detail TEXT NOT NULL);
CREATE VIRTUAL TABLE words USING fts5(
    title, fields, capacities, kind, content='records', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', detail=column, prefix='1'
);
"""
"""The records table holds what the lists show, what the chronology filters by (a meeting's type
and status, a statement's setting as its type and whether it was under oath, a person's roles as
JSON ``[title, organization, first day, last day]`` with '' for a day not known, the capacities
a meeting's participants were there in, the record's tags each between two UNIT separators so that
one is found whole), and the columns the rules derive
(:mod:`whomet.store.rules`): flag, meetings, statements.

``words`` is the full-text index of the records' texts (SQLite FTS5 over the records table's own
columns, so the text is not kept twice): words, not substrings, each matched as the start of a
word, which is how people look for names and places; accents and case are not told apart. Only
the words' columns are indexed, not their places within them, which keeps it small (16 MB and
0.8 s to build at 100k records). Every word's first letter is indexed too (``prefix='1'``, 6 MB
more): a search for one letter, which every search starts as, then reads that letter's list
instead of merging the lists of every word that starts with it (200 ms at 100k, then 20 ms). The
record's kind is indexed too, so that a search asks the index itself for people only, or for
anything but people."""

WORD_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS records_words_in AFTER INSERT ON records BEGIN
        INSERT INTO words (rowid, title, fields, capacities, kind)
        VALUES (new.rowid, new.title, new.fields, new.capacities, new.kind);
    END""",
    """CREATE TRIGGER IF NOT EXISTS records_words_out AFTER DELETE ON records BEGIN
        INSERT INTO words (words, rowid, title, fields, capacities, kind)
        VALUES ('delete', old.rowid, old.title, old.fields, old.capacities, old.kind);
    END""",
)
"""What keeps ``words`` in step with the records, row by row. A row's texts are only ever
replaced whole (INSERT OR REPLACE, whose deletion fires the trigger with recursive triggers on)."""
NO_WORD_TRIGGERS = ("DROP TRIGGER IF EXISTS records_words_in", "DROP TRIGGER IF EXISTS records_words_out")
REBUILD_WORDS = "INSERT INTO words (words) VALUES ('rebuild')"
"""After many rows were filled without the triggers: the index made again in one go."""

LIST_INDEXES = """
CREATE INDEX IF NOT EXISTS records_parties ON records (sort_name, id, kind, label, names, meetings, statements)
    WHERE kind IN ('person', 'organization');
CREATE INDEX IF NOT EXISTS records_kind_of ON records (id, kind);
"""
# records_parties is the people list in its order: read from the table, the 15,000 parties at 100k
# are scattered among long rows and then sorted (55-75 ms at launch); from this index, 21 ms.
# records_kind_of is named by the rules' queries (a record's contradictions, in its detail). A
# cold launch builds only these before the lists are shown (a tenth of a second each at 100k), the
# others after: until links_target is built (0.7 s), a party's timeline is read by a scan of the
# links, 50 ms.

# links_source and records_kind_of hold all that the checks of a whole casefile's links read
# (what each record names, how, and the kind of what it names): those checks need not visit the
# rows themselves, half a second each at 100k. records_dates is what a chart of the whole casefile
# counts: the meetings and statements of 100k records by their days, 280 ms from the table, 30 ms
# from it (and 0.1 s more to the first reading).
INDEXES = LIST_INDEXES + """
CREATE INDEX IF NOT EXISTS links_target ON links (target, relation);
CREATE INDEX IF NOT EXISTS records_kind ON records (kind, sort_name);
CREATE INDEX IF NOT EXISTS links_source ON links (source, relation, target);
CREATE INDEX IF NOT EXISTS records_dates ON records (kind, sort_lo, sort_hi);
"""
NO_INDEXES = """
DROP INDEX IF EXISTS records_kind;
DROP INDEX IF EXISTS records_kind_of;
DROP INDEX IF EXISTS links_target;
DROP INDEX IF EXISTS links_source;
DROP INDEX IF EXISTS records_parties;
DROP INDEX IF EXISTS records_dates;
"""

PART_SCHEMA = """
CREATE TABLE files (path TEXT, size INTEGER, mtime_ns INTEGER, record_id TEXT, digest BLOB, problems TEXT);
CREATE TABLE records (id TEXT, kind TEXT, path TEXT, label TEXT, sort_name TEXT, names TEXT, sort_lo TEXT,
                      sort_hi TEXT, when_text TEXT, what TEXT, title TEXT, speaker TEXT, fields TEXT,
                      type TEXT, status TEXT, under_oath INTEGER, roles TEXT, capacities TEXT, tags TEXT);
CREATE TABLE links (path TEXT, source TEXT, target TEXT, relation TEXT, detail TEXT);
CREATE TABLE counts (target TEXT, relation TEXT, n INTEGER);
"""
"""What a reader process writes: the rows of the files it read, the path each link came from,
and how many of its records name each party as a participant or a speaker (so that a cold launch
can list people with their counts before the links are counted in the cache)."""

RECORD_COLUMNS = ("id, kind, path, label, sort_name, names, sort_lo, sort_hi, when_text, what, title, speaker, "
                  "fields, type, status, under_oath, roles, capacities, tags")

RECORD_VALUES = f"({', '.join('?' * (RECORD_COLUMNS.count(',') + 1))})"

INSERT_RECORD = f"INSERT OR REPLACE INTO records ({RECORD_COLUMNS}) VALUES {RECORD_VALUES}"


class CacheUnusable(Exception):
    """The cache file is of another format or cannot be read: it is rebuilt."""


class CacheBusy(Exception):
    """Another process (another whomet reading many files into it) holds the cache for longer
    than :data:`~whomet.store.cache.BUSY_WAIT`: the cache is sound, only not to be had now."""


def connect(folder: Path, path: Path | None) -> sqlite3.Connection:
    """The cache of ``folder`` at ``path`` (None: in memory), its tables made if it has none. A
    cache of another format, or one SQLite cannot read, is deleted and made again; one that
    another process holds raises :class:`CacheBusy`."""
    target = str(path) if path is not None else ":memory:"
    try:
        db = _attach(folder, target)
    except (CacheUnusable, sqlite3.DatabaseError) as error:
        if path is None:
            raise
        if isinstance(error, sqlite3.Error) and is_busy(error):
            raise CacheBusy(str(error)) from error  # in use, not broken: not to be deleted
        path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db = _attach(folder, target)
    return db


def _attach(folder: Path, target: str) -> sqlite3.Connection:
    # One connection, used by the loading thread and then by the interface, one at a time.
    db = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=tuned.BUSY_WAIT)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if target == ":memory:":
            db.execute("PRAGMA journal_mode = MEMORY")
        elif not tables:
            # A rollback journal while the cache is first filled: its pages are then written
            # once, not twice (to the log, then to the database), which takes 15% off a first
            # read of 100k files. The log follows that first filling (see log_ahead).
            db.execute("PRAGMA journal_mode = DELETE")
        else:
            log_ahead(db)
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA cache_size = {PAGE_CACHE}")
        # Sorts and temporary tables stay in memory up to the page cache's size, and go to a
        # temporary file beyond it: kept wholly in memory, the sorts that build the indexes of a
        # cache filled from nothing took 34 MB more at 100k, and were no quicker.
        db.execute("PRAGMA temp_store = FILE")
        db.execute("PRAGMA recursive_triggers = ON")  # see WORD_TRIGGERS
        if not tables:
            db.executescript(SCHEMA)
            for trigger in WORD_TRIGGERS:
                db.execute(trigger)
            db.execute("INSERT INTO meta VALUES ('format', ?), ('folder', ?)", (FORMAT, str(folder.resolve())))
        else:
            found = dict(db.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
            if found.get("format") != FORMAT:
                raise CacheUnusable(f"format {found.get('format')!r}")
            db.execute(f"SELECT {RECORD_COLUMNS}, flag, meetings, statements FROM records LIMIT 1").fetchall()
            db.execute("SELECT rowid FROM words WHERE words MATCH 'a' LIMIT 1").fetchall()
            db.execute("SELECT path, size, mtime_ns, record_id, digest, problems FROM files LIMIT 1").fetchall()
    except BaseException:
        db.close()
        raise
    return db


def log_ahead(db: sqlite3.Connection) -> None:
    """Keep the cache's changes in a write-ahead log, so that one whomet reading the cache is
    never stopped by another writing it (a save, or a refresh of many files): with a rollback
    journal, a writer that outgrows its page cache locks readers out until it commits, seconds at
    100,000 records, and the reader failed. The switch needs the cache to itself for a moment; if
    another whomet has it open, the log waits for a later opening; where the file system cannot
    hold a log's shared memory (some network and shared folders), the journal stays."""
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error:
        pass  # a way to read faster together, not to read at all
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(tuned.BUSY_WAIT * 1000)}")


def is_busy(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error))


@contextmanager
def busy_told() -> Iterator[None]:
    """SQLite's "locked" or "busy", once it has waited, raised as :class:`CacheBusy`."""
    try:
        yield
    except sqlite3.Error as error:
        if is_busy(error):
            raise CacheBusy(str(error)) from error
        raise


def run(db: sqlite3.Connection, script: str) -> None:
    """Several statements inside the open transaction (executescript would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def kept(db: sqlite3.Connection, key: str) -> Any:
    """What the meta table keeps as JSON under ``key``; None when nothing is kept."""
    stored = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(stored[0]) if stored is not None else None


def keep(db: sqlite3.Connection, key: str, value: Any) -> None:
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))


def scope(column: str, ids: Iterable[str] | None) -> tuple[str, list[str]]:
    """SQL that keeps the rows whose ``column`` is one of ``ids`` (all rows for None)."""
    if ids is None:
        return "", []
    listed = sorted(ids)
    return f" AND {column} IN ({','.join('?' * len(listed))})", listed
