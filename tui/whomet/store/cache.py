"""What the browser needs of a casefile without reading every file: a SQLite cache.

The TOML files stay the only truth. The cache keeps, per file, the size and modification
time it had when read, the problems found in it, and for each record the few fields the
lists show and the links it makes. Opening a casefile compares every file with the cache
and reads again only what changed (in two processes when there is much to read); whole
records are read from their files when asked for. A cache of another format, or one that
SQLite cannot read, is deleted and rebuilt.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import selectors
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import model
from ..model.kinds import KIND_IN
from ..model.links import RELATION_KINDS, Link, links_of, target_kinds
from . import rules
from .casefile import CasefileBase, FileStamp, read_record
from .look import Look, Stale, cache_path, look_here
from .problems import Problem
from .validation import Facts, Reference, duplicate_problem, validate
from .walk import reading_order
from .workers import Worker, WorkerFailed, end_workers, failure_reason, start_workers

if TYPE_CHECKING:
    from ..model import Record

FORMAT = "whomet-cache 2"
"""Changes whenever the tables or what goes in them change: an older cache is rebuilt."""

PARALLEL_FROM = 2000
"""Files to read before reader processes pay for their start-up."""

READERS = 2
"""Reader processes: one per core of a small machine."""

_PAGE_CACHE = -8192
"""SQLite's page cache, in KiB: searches scan the table from the system's file cache about as
fast, and each MiB kept here is a MiB more of the app's memory. Reading 100k files first took no
longer with it than with 64 MiB (12.6-13.4 s either way), and peaked 60 MB lower."""

_FEW = 500
"""Changed files, or records touched by them, up to which only what they touch is computed again."""

Progress = Callable[[int, int], None]
"""Told (files read, files to read) as a casefile is read."""

_SCHEMA = """
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
    flag TEXT NOT NULL DEFAULT '', meetings INTEGER NOT NULL DEFAULT 0,
    statements INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE links (source TEXT NOT NULL, target TEXT NOT NULL, relation TEXT NOT NULL, detail TEXT NOT NULL);
"""

# links_source and records_kind_of hold all that the checks of a whole casefile's links read
# (what each record names, how, and the kind of what it names): those checks need not visit the
# rows themselves, half a second each at 100k.
_INDEXES = """
CREATE INDEX IF NOT EXISTS records_kind ON records (kind, sort_name);
CREATE INDEX IF NOT EXISTS records_kind_of ON records (id, kind);
CREATE INDEX IF NOT EXISTS links_target ON links (target, relation);
CREATE INDEX IF NOT EXISTS links_source ON links (source, relation, target);
CREATE INDEX IF NOT EXISTS records_parties ON records (sort_name, id, kind, label, names, meetings, statements)
    WHERE kind IN ('person', 'organization');
"""
# records_parties is the people list as the first screen shows it, in its order: read from the
# table, its 15,000 rows at 100k are scattered among long ones and then sorted (55-75 ms at
# launch); from this index, 21 ms.
_NO_INDEXES = """
DROP INDEX IF EXISTS records_kind;
DROP INDEX IF EXISTS records_kind_of;
DROP INDEX IF EXISTS links_target;
DROP INDEX IF EXISTS links_source;
DROP INDEX IF EXISTS records_parties;
"""

_PART_SCHEMA = """
CREATE TABLE files (path TEXT, size INTEGER, mtime_ns INTEGER, record_id TEXT, digest BLOB, problems TEXT);
CREATE TABLE records (id TEXT, kind TEXT, path TEXT, label TEXT, sort_name TEXT, names TEXT, sort_lo TEXT,
                      sort_hi TEXT, when_text TEXT, what TEXT, title TEXT, speaker TEXT, fields TEXT);
CREATE TABLE links (path TEXT, source TEXT, target TEXT, relation TEXT, detail TEXT);
"""
"""What a reader process writes: the rows of the files it read, and the path each link came from."""

_RECORD_COLUMNS = "id, kind, path, label, sort_name, names, sort_lo, sort_hi, when_text, what, title, speaker, fields"

_INSERT_RECORD = f"INSERT OR REPLACE INTO records ({_RECORD_COLUMNS}) VALUES ({', '.join('?' * 13)})"

def _wrong_kind() -> str:
    """SQL true of a link whose target exists but is of a kind its relation does not allow."""
    listed = ", ".join(f"'{relation}'" for relation in RELATION_KINDS)
    clauses = [f"(l.relation = '{relation}' AND t.kind NOT IN ({', '.join(repr(k) for k in kinds)}))"
               for relation, kinds in RELATION_KINDS.items()]
    stances = ", ".join(repr(k) for k in target_kinds("denies"))
    clauses.append(f"(l.relation NOT IN ({listed}) AND t.kind NOT IN ({stances}))")
    return "(" + " OR ".join(clauses) + ")"


_WRONG_KIND = _wrong_kind()

_NO_DATE = date.max.isoformat()
UNIT = "\x1f"
"""Separates names, and search fields, within one column."""
PAIR = "\x1e"
"""Separates a search field's name from its text."""


def _run(db: sqlite3.Connection, script: str) -> None:
    """Several statements inside the open transaction (executescript would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


# What one file yields: computed in a worker process, so plain tuples only.

@dataclass(slots=True)
class FileResult:
    path: str
    size: int
    mtime_ns: int
    record_id: str | None
    digest: bytes | None
    problems: list[tuple[str, int | None, str, str]]
    row: tuple | None = None
    links: list[tuple[str, str, str, str]] = field(default_factory=list)


def record_row(record: Record, path: str) -> tuple:
    """The columns of ``records`` for one record, in table order (without the derived ones)."""
    names = [record.label, *getattr(record, "aliases", ())]
    when = getattr(record, "date", None) or getattr(record, "published", None)
    lower, upper = sort_span(record)
    what, title, speaker = record.kind, record.label, ""
    if isinstance(record, model.Meeting):
        what = "event" if record.type == "event" else "meeting"
        title = record.title
    elif isinstance(record, model.Statement):
        speaker = record.speaker
        title = f"{record.occasion + ': ' if record.occasion else ''}“{one_line(record.quote)}”"
    fields = UNIT.join(f"{name}{PAIR}{text}" for name, text in searchable(record))
    return (record.id, record.kind, path, record.label, record.label.casefold(), UNIT.join(names),
            lower, upper, when.display() if when is not None else "", what, one_line(title)[:500],
            speaker, fields)


def sort_span(record: Record) -> tuple[str, str]:
    """The first and last day a record may be of, as text that sorts as the days do (the last
    day there is, for a record that has no date)."""
    when = getattr(record, "date", None) or getattr(record, "published", None)
    return (when.lower.isoformat(), when.upper.isoformat()) if when is not None else (_NO_DATE, _NO_DATE)


def one_line(text: str) -> str:
    """Text on one line, runs of spaces and line breaks folded to one space."""
    return " ".join(text.split())


def searchable(record: Record) -> list[tuple[str, str]]:
    """The (field, text) pairs of a record that a search looks in, most telling first."""
    found: list[tuple[str, str]] = [("name", record.label)]
    if isinstance(record, (model.Person, model.Organization)):
        found += [("alias", alias) for alias in record.aliases]
        found.append(("summary", record.summary))
    elif isinstance(record, model.Meeting):
        found += [("place", record.place), ("summary", record.summary)]
    elif isinstance(record, model.Statement):
        found += [("quote", record.quote), ("question", record.question), ("summary", record.summary)]
    elif isinstance(record, model.Source):
        found += [("publisher", record.publisher)] + [("author", a) for a in record.authors]
    if isinstance(record, (model.Meeting, model.Statement)):
        found += [("excerpt", c.excerpt) for c in record.citations]
    return [(name, text) for name, text in found if text]


def read_file(folder: str, relative: str, kind_name: str, size: int, mtime_ns: int) -> FileResult:
    """Read one record file into what the cache keeps of it."""
    path = Path(folder) / relative
    problems: list[Problem] = []
    record, stamp = read_record(path, model.KINDS[kind_name], problems)
    result = FileResult(relative, size, mtime_ns, record.id if record is not None else None,
                        stamp.digest if stamp is not None else None,
                        [(p.severity, p.line, p.code, p.message) for p in problems])
    if stamp is not None and stamp.size != size:
        result.size = stamp.size  # written to between the look and the read: keep what was read
        result.mtime_ns = -1
    if record is not None:
        result.row = record_row(record, relative)
        result.links = [(l.source, l.target, l.relation, l.detail) for l in links_of(record)]
    return result


def start_part(path: str) -> sqlite3.Connection:
    """A reader's own database, for the rows of the files it reads: scratch, so not made durable."""
    Path(path).unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(_PART_SCHEMA)
    db.execute("BEGIN")
    return db


def _file_row(result: FileResult) -> tuple:
    """A read file's row in the files table."""
    return (result.path, result.size, result.mtime_ns, result.record_id, result.digest,
            json.dumps(result.problems) if result.problems else None)


def write_part(db: sqlite3.Connection, results: list[FileResult]) -> None:
    db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", [_file_row(r) for r in results])
    valid = [r for r in results if r.row is not None]
    db.executemany(f"INSERT INTO records VALUES ({', '.join('?' * 13)})", [r.row for r in valid])
    db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?)", [(r.path, *link) for r in valid for link in r.links])


# The cache itself

class CacheUnusable(Exception):
    """The cache file is of another format or cannot be read: it is rebuilt."""


class CacheBusy(Exception):
    """Another process (another whomet reading many files into it) holds the cache for longer
    than :data:`BUSY_WAIT`: the cache is sound, only not to be had now."""


BUSY_WAIT = 5.0
"""Seconds to wait for another process's hold on the cache before giving up on it."""


def _log_ahead(db: sqlite3.Connection) -> None:
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
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT * 1000)}")


def _is_busy(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error))


@contextmanager
def _busy_told() -> Iterator[None]:
    """SQLite's "locked" or "busy", once it has waited :data:`BUSY_WAIT`, raised as :class:`CacheBusy`."""
    try:
        yield
    except sqlite3.Error as error:
        if _is_busy(error):
            raise CacheBusy(str(error)) from error
        raise


@dataclass
class Refreshed:
    """What a refresh did: files read again, files forgotten, and every problem now known."""

    read: int = 0
    forgotten: int = 0
    problems: list[Problem] = field(default_factory=list)


class CaseCache(CasefileBase):
    """One casefile's cache, brought up to date with the folder by :meth:`refresh`."""

    def __init__(self, folder: Path, path: Path | None, *, busy: bool = False) -> None:
        self.folder = Path(folder)
        self.path = path
        self.busy = busy
        """Whether this cache is in memory because another process held the cache file."""
        self.problems: list[Problem] = []
        self._walk_problems: list[Problem] = []
        """What the last look found of files and folders that cannot hold records."""
        self.generation = 0
        """Counts the changes taken in, so what was read from the cache can tell it is old; a
        refresh that finds nothing changed leaves it as it is."""
        self.db = self._connect()

    @classmethod
    def open(cls, folder: str | os.PathLike[str], *, in_memory: bool = False) -> CaseCache:
        """The cache of ``folder``, created if need be; in memory when no cache folder is writable."""
        folder = Path(folder)
        if in_memory:
            return cls(folder, None)
        path = cache_path(folder)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(folder, path)
        except CacheBusy:
            return cls(folder, None, busy=True)
        except (OSError, sqlite3.Error):
            return cls(folder, None)

    # connection

    def _connect(self) -> sqlite3.Connection:
        target = str(self.path) if self.path is not None else ":memory:"
        try:
            db = self._attach(target)
        except (CacheUnusable, sqlite3.DatabaseError) as error:
            if self.path is None:
                raise
            if isinstance(error, sqlite3.Error) and _is_busy(error):
                raise CacheBusy(str(error)) from error  # in use, not broken: not to be deleted
            self.path.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = self._attach(target)
        return db

    def _attach(self, target: str) -> sqlite3.Connection:
        # One connection, used by the loading thread and then by the interface, one at a time.
        db = sqlite3.connect(target, check_same_thread=False, isolation_level=None, timeout=BUSY_WAIT)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if target == ":memory:":
                db.execute("PRAGMA journal_mode = MEMORY")
            elif not tables:
                # A rollback journal while the cache is first filled: its pages are then written
                # once, not twice (to the log, then to the database), which takes 15% off a first
                # read of 100k files. The log follows that first filling (see _log_ahead).
                db.execute("PRAGMA journal_mode = DELETE")
            else:
                _log_ahead(db)
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(f"PRAGMA cache_size = {_PAGE_CACHE}")
            db.execute("PRAGMA temp_store = MEMORY")
            if not tables:
                db.executescript(_SCHEMA)
                db.execute("INSERT INTO meta VALUES ('format', ?), ('folder', ?)", (FORMAT, str(self.folder.resolve())))
            else:
                found = dict(db.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
                if found.get("format") != FORMAT:
                    raise CacheUnusable(f"format {found.get('format')!r}")
                db.execute("SELECT id, kind, path, label, sort_name, names, sort_lo, sort_hi, when_text, what, "
                           "title, speaker, fields, flag, meetings, statements FROM records LIMIT 1").fetchall()
                db.execute("SELECT path, size, mtime_ns, record_id, digest, problems FROM files LIMIT 1").fetchall()
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def known(self, record_id: str) -> Record | None:
        return self.record(record_id)

    # bringing the cache up to date

    def refresh(self, progress: Progress | None = None, look: Look | None = None) -> Refreshed:
        """Read again every file that is new or changed, forget the files that are gone, and
        recompute what depends on more than one record. ``look``: what an :class:`EarlyLook` found,
        used if the cache is still as it was when compared. Raises :class:`CacheBusy` when
        another process holds the cache too long; the cache is then as it was."""
        with _busy_told():
            return self._refresh(progress, look)

    def _refresh(self, progress: Progress | None, look: Look | None) -> Refreshed:
        done = Refreshed()
        if not self.folder.is_dir():
            what = "does not exist" if not self.folder.exists() else "is not a folder"
            self.problems = [Problem("error", self.folder, None, "no-casefile", f"the casefile folder {what}")]
            done.problems = self.problems
            return done
        if look is None or not self.agrees(look):
            look = look_here(self.folder, self.db)
        stale, gone = look.stale, look.gone
        db = self.db
        if not stale and not gone and self._holds_listing(look):
            # Nothing changed: no transaction, whose commit waits for the disk (a hundredth of a
            # second of every launch). The last look that wrote stays the line for files
            # written too close to a look, which is as safe, and a look that finds such a file
            # finds it stale and writes.
            self._walk_problems = look.problems
            self._gather_problems()
            done.problems = self.problems
            return done
        # Many files are read by reader processes, each into a database of its own, attached
        # here and copied over in one statement per table; a few are read in this process.
        reading: list[Problem] = []  # what went wrong with the reader processes, if anything
        parts = self._read_in_parts(stale, progress, reading) if len(stale) >= PARALLEL_FROM else []
        attached = 0
        try:
            for number, part in enumerate(parts):
                db.execute(f"ATTACH DATABASE ? AS part{number}", (part,))
                attached += 1
        except BaseException:
            self._drop_parts(parts, attached)
            raise
        # Filling many rows is faster with the lookup indexes built afterwards, in one go.
        bulk = len(stale) > max(1000, look.known // 4)
        # A few files changed: only what they can touch is computed again, as after a save.
        touched = [path for path, *_ in stale] + gone
        few = not bulk and not parts and len(touched) <= _FEW
        # The write lock first: with the log, a transaction that read before another whomet
        # wrote could not write after it, and would fail at once rather than wait.
        db.execute("BEGIN IMMEDIATE")
        try:
            # A record's id is its file's name, so these are the ids the change can touch.
            claimed = self._claimed_at(touched) if few else None
            targets_before = self._targets_of(claimed) if claimed is not None else set()
            if bulk:
                _run(db, _NO_INDEXES)
            if gone:
                self._forget(gone)
            if look.changed:
                self._forget_records(look.changed)
            if parts:
                self._take_parts(len(parts))
            else:
                batch: list[FileResult] = []
                for result in self._read_here(str(self.folder), stale, progress):
                    batch.append(result)
                    if len(batch) == 1000:
                        self._store(batch)
                        batch = []
                self._store(batch)
            _run(db, _INDEXES)
            changed_owners = bool(gone or stale) and self._settle_duplicates(claimed)
            # The files table is now the look's listing: the next look may compare fingerprints.
            db.execute("INSERT OR REPLACE INTO meta VALUES ('looked', ?), ('listing', ?)",
                       (str(look.looked), " ".join(look.digests)))
            if look.walk is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('walk', ?)", (look.walk,))
            if claimed is not None and not changed_owners and touched:
                self._recompute_around(claimed, targets_before, touched)
            elif gone or stale or changed_owners:
                rules.derive(db)
                db.execute("DELETE FROM meta WHERE key IN ('link_problems', 'duplicates')")
            if gone or stale:
                db.execute("DELETE FROM meta WHERE key = 'drawn'")  # it may name or quote what changed
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            self._drop_parts(parts, attached)
        if self.path is not None:
            _log_ahead(db)  # after a first filling; the log is kept from then on
        done.read, done.forgotten = len(stale), len(gone)
        if gone or stale or changed_owners:
            self.generation += 1
        self._walk_problems = look.problems + reading
        self._gather_problems()
        done.problems = self.problems
        return done

    def _holds_listing(self, look: Look) -> bool:
        """Whether the cache keeps the fingerprints ``look`` took, and its walk if it took one."""
        kept = dict(self.db.execute("SELECT key, value FROM meta WHERE key IN ('listing', 'walk')"))
        return kept.get("listing", "") == " ".join(look.digests) and look.walk in (None, kept.get("walk"))

    def _gather_problems(self) -> None:
        self.problems = self._walk_problems + self._file_problems() + self._duplicate_problems() + self.link_problems()

    def agrees(self, look: Look) -> bool:
        """Whether the cache is still as ``look`` saw it (another launch may have changed it since)."""
        last = self.db.execute("SELECT value FROM meta WHERE key = 'looked'").fetchone()
        count = self.db.execute("SELECT count(*) FROM files").fetchone()[0]
        return (last[0] if last else None) == look.basis and count == look.known

    def _read_here(self, folder: str, stale: list[Stale],
                   progress: Progress | None) -> Iterator[FileResult]:
        if progress is not None:
            progress(0, len(stale))
        collecting = gc.isenabled()
        gc.disable()
        try:
            for number, item in enumerate(stale, 1):
                yield read_file(folder, *item)
                if progress is not None and (number % 500 == 0 or number == len(stale)):
                    progress(number, len(stale))
        finally:
            if collecting:
                gc.enable()

    def _read_in_parts(self, stale: list[Stale], progress: Progress | None, told: list[Problem]) -> list[str]:
        """Read ``stale`` with two reader processes; the databases they wrote, one each. When a
        reader cannot start or fails, nothing they wrote is kept and ``told`` is given a warning
        that says why, in a line: the files are then read in this process, as a few files are
        (more slowly, but the casefile is read all the same)."""
        try:
            return self._read_by_readers(stale, progress)
        except Exception as error:  # whatever it was, reading here loses only time
            told.append(Problem("warning", self.folder, None, "reader-failed",
                                f"a reader process failed ({failure_reason(error)}); "
                                "the files were read in this process instead"))
            return []

    def _read_by_readers(self, stale: list[Stale], progress: Progress | None) -> list[str]:
        total = len(stale)
        if progress is not None:
            progress(0, total)
        # Named for this process too: two launches on one casefile must not share scratch files.
        base = str(self.path) if self.path is not None else os.path.join(tempfile.gettempdir(), "whomet")
        parts = [f"{base}.{os.getpid()}.part{number}" for number in range(READERS)]
        readers: list[Worker] = []
        counts: dict[int, int] = {}
        finished = False
        broken: OSError | None = None
        try:
            readers = start_workers("whomet.store.reader", READERS)
            for number, (reader, part) in enumerate(zip(readers, parts)):
                counts[reader.stdout.fileno()] = 0
                pickle.dump((str(self.folder), stale[number::READERS], part), reader.stdin,
                            protocol=pickle.HIGHEST_PROTOCOL)
                reader.stdin.close()
            unsaid = {fd: b"" for fd in counts}
            with selectors.DefaultSelector() as selector:
                for fd in counts:
                    selector.register(fd, selectors.EVENT_READ)
                while selector.get_map():
                    for key, _ in selector.select():
                        told = os.read(key.fd, 1 << 16)
                        if not told:
                            selector.unregister(key.fd)
                            continue
                        # Each reader says how many files it has read so far, a line at a time.
                        lines = (unsaid[key.fd] + told).split(b"\n")
                        unsaid[key.fd] = lines.pop()
                        if lines:
                            counts[key.fd] = int(lines[-1])
                        if progress is not None:
                            progress(sum(counts.values()), total)
            finished = True
        except OSError as error:  # one could not start, or its pipe broke: it died (its stderr says why)
            broken = error
        finally:
            failures = end_workers(readers, done=finished)
            if not finished or failures or sum(counts.values()) < total:
                for part in parts:
                    Path(part).unlink(missing_ok=True)
        if failures:
            raise WorkerFailed.of(failures)
        if broken is not None:
            raise WorkerFailed(str(broken) or type(broken).__name__)
        if sum(counts.values()) < total:
            raise WorkerFailed("it stopped before reading every file")
        return parts

    def _drop_parts(self, parts: list[str], attached: int) -> None:
        for number in range(attached):
            self.db.execute(f"DETACH DATABASE part{number}")
        for part in parts:
            Path(part).unlink(missing_ok=True)

    def _take_parts(self, count: int) -> None:
        """Copy what the readers wrote into the cache's tables. As in :meth:`_store`, a record
        whose id another file holds already is left to :meth:`_settle_duplicates`."""
        db = self.db
        kept = db.execute("SELECT count(*) FROM records").fetchone()[0]
        offered = 0
        for number in range(count):
            db.execute(f"INSERT OR REPLACE INTO files SELECT * FROM part{number}.files")
            db.execute(f"INSERT OR IGNORE INTO records ({_RECORD_COLUMNS}) "
                       f"SELECT {_RECORD_COLUMNS} FROM part{number}.records")
            offered += db.execute(f"SELECT count(*) FROM part{number}.records").fetchone()[0]
        # Usually every record offered was taken (no two files claim an id): then all their links
        # are the kept records' own, and need no checking against them (a third of a second at 100k).
        every_one_taken = db.execute("SELECT count(*) FROM records").fetchone()[0] == kept + offered
        for number in range(count):
            if every_one_taken:
                db.execute(f"INSERT INTO links SELECT source, target, relation, detail FROM part{number}.links")
            else:
                db.execute(f"""INSERT INTO links SELECT l.source, l.target, l.relation, l.detail
                               FROM part{number}.links l JOIN records r ON r.id = l.source AND r.path = l.path""")

    def _forget(self, paths: list[str]) -> None:
        self._forget_records(paths)
        self.db.executemany("DELETE FROM files WHERE path = ?", [(path,) for path in paths])

    def _forget_records(self, paths: list[str]) -> None:
        """Drop the records read from ``paths`` and the links they made."""
        ids = [(row[0],) for path in paths for row in self.db.execute(
            "SELECT r.id FROM files f JOIN records r ON r.id = f.record_id AND r.path = f.path WHERE f.path = ?",
            (path,)).fetchall()]
        self.db.executemany("DELETE FROM links WHERE source = ?", ids)
        self.db.executemany("DELETE FROM records WHERE id = ?", ids)

    def _store(self, results: list[FileResult]) -> None:
        """Keep what was read of files whose records are already forgotten: a record whose id
        another file holds is left to :meth:`_settle_duplicates`."""
        if not results:
            return
        db = self.db
        db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", [_file_row(r) for r in results])
        valid = [r for r in results if r.row is not None]
        wanted = [r.record_id for r in valid]
        taken: set[str | None] = set()
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            taken.update(row[0] for row in db.execute(
                f"SELECT id FROM records WHERE id IN ({','.join('?' * len(part))})", part))
        rows, links = [], []
        for result in valid:
            if result.record_id in taken:
                continue
            taken.add(result.record_id)
            rows.append(result.row)
            links.extend(result.links)
        db.executemany(_INSERT_RECORD, rows)
        db.executemany("INSERT INTO links VALUES (?, ?, ?, ?)", links)

    def _put_row(self, row: tuple, links: Iterable[tuple[str, str, str, str]]) -> None:
        record_id = row[0]
        self.db.execute("DELETE FROM links WHERE source = ?", (record_id,))
        self.db.execute(_INSERT_RECORD, row)
        self.db.executemany("INSERT INTO links VALUES (?, ?, ?, ?)", links)

    def _settle_duplicates(self, ids: set[str] | None = None) -> bool:
        """The first file in reading order owns an id that several valid files claim; a file that
        comes to own an id (its rival was deleted or broke) is read again. True if any moved.
        ``ids``: only these can have changed hands."""
        scope, values = self._scope("record_id", ids)
        contested = self.db.execute(f"""
            SELECT record_id, group_concat(path, char(31)) FROM files WHERE record_id IS NOT NULL{scope}
            GROUP BY record_id HAVING count(*) > 1
            UNION ALL
            SELECT f.record_id, f.path FROM files f LEFT JOIN records r ON r.id = f.record_id
            WHERE f.record_id IS NOT NULL AND r.id IS NULL{scope}""", values * 2).fetchall()
        # An id no record holds comes back once per file that claims it: gather them first.
        claims: dict[str, set[str]] = {}
        for record_id, paths in contested:
            claims.setdefault(record_id, set()).update(paths.split(UNIT))
        moved = False
        for record_id, paths in claims.items():
            owner = min(paths, key=reading_order)
            held = self.db.execute("SELECT path FROM records WHERE id = ?", (record_id,)).fetchone()
            if held is not None and held[0] == owner:
                continue
            try:
                stat = os.stat(self.folder / owner)
            except OSError:
                continue  # gone since the look: the next refresh forgets it
            result = read_file(str(self.folder), owner, KIND_IN[owner.split("/", 1)[0]], stat.st_size, stat.st_mtime_ns)
            self.db.execute("UPDATE files SET size = ?, mtime_ns = ?, digest = ? WHERE path = ?",
                            (result.size, result.mtime_ns, result.digest, owner))
            if result.row is not None and result.record_id == record_id:
                self._put_row(result.row, result.links)
                moved = True
        return moved

    # problems

    def _file_problems(self) -> list[Problem]:
        rows = self.db.execute("SELECT path, problems FROM files WHERE problems IS NOT NULL").fetchall()
        rows.sort(key=lambda row: reading_order(row[0]))
        found: list[Problem] = []
        for path, problems in rows:
            for severity, line, code, message in json.loads(problems):
                found.append(Problem(severity, self.folder / path, line, code, message))
        return found

    def _kept(self, key: str) -> Any:
        """What the meta table keeps as JSON under ``key``; None when nothing is kept."""
        stored = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(stored[0]) if stored is not None else None

    def _keep(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    def _duplicate_problems(self) -> list[Problem]:
        # Kept between launches: finding them means going through every file's row.
        rows = self._kept("duplicates")
        if rows is None:
            rows = self._duplicates()
            self._keep("duplicates", rows)
        return [duplicate_problem(self.folder / path, record_id, Path(owner)) for path, record_id, owner in rows]

    def _duplicates(self, ids: set[str] | None = None) -> list[list[str]]:
        """(path, id, owner's path) of each file whose id an earlier file holds."""
        scope, values = self._scope("f.record_id", ids)
        return sorted((list(row) for row in self.db.execute(f"""
            SELECT f.path, f.record_id, r.path FROM files f JOIN records r ON r.id = f.record_id
            WHERE f.path != r.path{scope}""", values)), key=lambda row: reading_order(row[0]))

    def _recheck_duplicates(self, ids: set[str]) -> None:
        kept = self._kept("duplicates")
        if kept is None:
            return  # found in full when next asked for
        rows = [row for row in kept if row[1] not in ids] + self._duplicates(ids)
        rows.sort(key=lambda row: reading_order(row[0]))
        self._keep("duplicates", rows)

    def invalid_path(self, record_id: str) -> Path | None:
        """The file of ``record_id`` when it exists but holds no valid record."""
        if self.kind_of(record_id) is not None:
            return None
        for folder in sorted(KIND_IN):  # reading order, as a full read meets them
            relative = f"{folder}/{record_id}.toml"
            row = self.db.execute("SELECT record_id FROM files WHERE path = ?", (relative,)).fetchone()
            if row is not None and row[0] != record_id:
                return self.folder / relative
        return None

    def link_problems(self) -> list[Problem]:
        """References that lead nowhere or to the wrong kind, parent cycles, uncited claims."""
        kept = self._kept("link_problems")
        if kept is not None:
            return [Problem(s, self.folder / p, line, code, message) for s, p, line, code, message in kept]
        found = self._check_links()
        self._keep("link_problems", [self._problem_entry(problem) for problem in found])
        return found

    def _check_links(self, sources: list[str] | None = None) -> list[Problem]:
        """The link problems of every record, or of ``sources`` only (cycles are always all found)."""
        db = self.db
        scope, values = self._scope("l.source", sources)
        # Only records with a reference that may be wrong are read again, to say where it is.
        suspects = [row[0] for row in db.execute(f"""
            SELECT DISTINCT l.source FROM links l LEFT JOIN records t INDEXED BY records_kind_of ON t.id = l.target
            WHERE (t.kind IS NULL OR {_WRONG_KIND}){scope} ORDER BY l.source""", values)]
        parents = dict(db.execute("""
            SELECT l.source, l.target FROM links l JOIN records r ON r.id = l.source
            WHERE l.relation = 'part of' AND r.kind = 'organization'""").fetchall())
        scope, values = self._scope("r.id", sources)
        uncited = [(self.folder / path, kind) for kind, path in db.execute(f"""
            SELECT kind, path FROM records r WHERE kind IN ('meeting', 'statement'){scope} AND NOT EXISTS (
                SELECT 1 FROM links l WHERE l.source = r.id AND l.relation = 'citation') ORDER BY path""", values)]
        return validate(Facts(self.folder, self.kind_of, self.invalid_path, self.path_of,
                              references=self._references_of(suspects), parents=parents, uncited=uncited))

    def _references_of(self, record_ids: list[str]) -> Iterator[tuple[Path, list[Reference]]]:
        for record_id in record_ids:
            path, record = self.path_of(record_id), self.record(record_id)
            if path is not None and record is not None:
                yield path, record.references()

    def _recheck_links(self, changed: set[str], old_paths: Iterable[str]) -> None:
        """After a few records changed (``old_paths``: the files they were read from): the kept
        link problems, with those of these records and of the records that name them found again
        (a record that appears or goes mends or breaks their references), instead of every
        record's, which takes a second at 100k."""
        kept = self._kept("link_problems")
        if kept is None:
            return  # found in full when next asked for
        affected = set(changed)
        for record_id in changed:
            affected.update(row[0] for row in self.db.execute("SELECT source FROM links WHERE target = ?", (record_id,)))
        present = sorted(a for a in affected if self.kind_of(a) is not None)
        if len(present) > _FEW * 10:  # a busy person: finding everything again is as quick
            self.db.execute("DELETE FROM meta WHERE key = 'link_problems'")
            return
        paths = {*old_paths, *(self.db.execute("SELECT path FROM records WHERE id = ?", (a,)).fetchone()[0]
                               for a in present)}
        entries = [entry for entry in kept if entry[1] not in paths and entry[3] != "cycle"]
        entries += [self._problem_entry(problem) for problem in self._check_links(present)]
        entries.sort(key=lambda entry: (entry[1], entry[2] or 0))
        self._keep("link_problems", entries)

    @staticmethod
    def _scope(column: str, ids: Iterable[str] | None) -> tuple[str, list[str]]:
        """SQL that keeps the rows whose ``column`` is one of ``ids`` (all rows for None)."""
        if ids is None:
            return "", []
        listed = sorted(ids)
        return f" AND {column} IN ({','.join('?' * len(listed))})", listed

    @staticmethod
    def _claimed_at(paths: list[str]) -> set[str]:
        """The ids the files at ``paths`` are named for, whether their records are the ones kept,
        or are not valid at all (references to an id say whether its file is broken)."""
        return {Path(path).stem for path in paths}

    def _recompute_around(self, changed: set[str], targets_before: set[str], old_paths: list[str]) -> None:
        """After the records ``changed`` were changed, added or removed (they named
        ``targets_before``, and were read from ``old_paths``): their counts, flags and problems,
        and those of the records they name now or named before. After a delete, the record of
        another file with the same id may now hold it, naming others: it is counted in."""
        rules.derive(self.db, changed | targets_before | self._targets_of(changed))
        self._recheck_links(changed, old_paths)
        self._recheck_duplicates(changed)

    def _targets_of(self, record_ids: set[str]) -> set[str]:
        return {row[0] for record_id in record_ids
                for row in self.db.execute("SELECT target FROM links WHERE source = ?", (record_id,))}

    def _problem_entry(self, problem: Problem) -> list:
        return [problem.severity, problem.path.relative_to(self.folder).as_posix(), problem.line, problem.code,
                problem.message]

    # lookups

    def kind_of(self, record_id: str) -> str | None:
        row = self.db.execute("SELECT kind FROM records WHERE id = ?", (record_id,)).fetchone()
        return row[0] if row else None

    def path_of(self, record_id: str) -> Path | None:
        row = self.db.execute("SELECT path FROM records WHERE id = ?", (record_id,)).fetchone()
        return self.folder / row[0] if row else None

    def stamp_of(self, record_id: str) -> FileStamp | None:
        row = self.db.execute("SELECT f.size, f.digest FROM records r JOIN files f ON f.path = r.path "
                              "WHERE r.id = ?", (record_id,)).fetchone()
        return FileStamp(row[0], row[1]) if row and row[1] is not None else None

    def record(self, record_id: str) -> Record | None:
        """The record as its file holds it now, or None when it is not a valid record."""
        row = self.db.execute("SELECT kind, path FROM records WHERE id = ?", (record_id,)).fetchone()
        if row is None:
            return None
        record, _stamp = read_record(self.folder / row[1], model.KINDS[row[0]], [])
        return record if record is not None and record.id == record_id else None

    def drawn(self, record_id: str) -> str | None:
        """What ``keep_drawn`` kept for ``record_id``, unless a record changed since."""
        kept = self._kept("drawn")
        return kept["data"] if isinstance(kept, dict) and kept.get("id") == record_id else None

    def keep_drawn(self, record_id: str, data: str) -> None:
        """Keep a record's detail as the app drew it (in the app's own terms), so that the next
        launch shows it with the lists, before reading the record; any change of a record drops it."""
        try:
            self._keep("drawn", {"id": record_id, "data": data})
        except sqlite3.Error:  # another whomet is writing the cache: the next launch reads the record
            pass

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM records").fetchone()[0]

    def incoming(self, target: str) -> list[Link]:
        return [Link(*row) for row in self.db.execute(
            "SELECT source, target, relation, detail FROM links WHERE target = ?", (target,))]

    # writing through the app

    def saved(self, record: Record, path: Path, data: bytes) -> None:
        """Take in a record just written to ``path``, so the cache matches the file."""
        relative = path.relative_to(self.folder).as_posix()
        stat = path.stat()
        stamp = FileStamp.of_bytes(data)
        links = [(l.source, l.target, l.relation, l.detail) for l in links_of(record)]
        with self._changing(record.id):
            self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, NULL)",
                            (relative, stat.st_size, stat.st_mtime_ns, record.id, stamp.digest))
            self._put_row(record_row(record, relative), links)

    def deleted(self, record_id: str) -> None:
        path = self.db.execute("SELECT path FROM records WHERE id = ?", (record_id,)).fetchone()
        if path is not None:
            with self._changing(record_id):
                self._forget([path[0]])
                self._settle_duplicates({record_id})  # another file with this id now holds it

    @contextmanager
    def _changing(self, record_id: str) -> Iterator[None]:
        """One record changes: afterwards, recompute what depends on it, and only that. Raises
        :class:`CacheBusy` when another whomet writes the cache for longer than :data:`BUSY_WAIT`:
        the cache is then as it was, and does not know of the change."""
        db = self.db
        with _busy_told():
            db.execute("BEGIN IMMEDIATE")  # the write lock first: waited for once, not mid-change
            try:
                targets_before = self._targets_of({record_id})
                held = db.execute("SELECT path FROM records WHERE id = ?", (record_id,)).fetchone()
                # The last look's listings no longer describe the files table: the next look
                # compares file by file.
                db.execute("DELETE FROM meta WHERE key IN ('listing', 'drawn')")
                yield
                self.generation += 1
                self._recompute_around({record_id}, targets_before, [held[0]] if held else [])
                self._gather_problems()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
