"""Bringing the cache up to date with the folder: the files a look found new or changed are read
again (many by reader processes), those gone are forgotten, and what depends on more than one
record is derived again, all of it when much changed, else only what the change can touch.

A cache filled from nothing can be written in two steps, each committed (``derive_later``): the
rows, which file owns an id that several claim, each party's counts (as the readers took them,
or counted here when an id is claimed twice) and the indexes the lists read; then what is
derived from them (the other indexes, the full-text index, the flags, the problems between
records). Between the two, the meta table says the derived facts
are pending, so that a whomet stopped in between derives them when it next opens the cache."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import cache as tuned  # PARALLEL_FROM is the package's, where a caller may set it
from .. import rules
from ..look import Look, look_here
from ..problems import Problem
from . import checks, derive
from .checks import FEW
from .readers import Progress, read_here, read_in_parts
from .rows import FileResult
from .schema import (
    INDEXES, LIST_INDEXES, NO_INDEXES, NO_WORD_TRIGGERS, REBUILD_WORDS, WORD_TRIGGERS, busy_told, log_ahead, run,
)
from .tables import attach_parts, count_from_parts, drop_parts, forget, forget_records, store, take_parts

if TYPE_CHECKING:
    from .casecache import CaseCache


@dataclass
class Refreshed:
    """What a refresh did: files read again, files forgotten, and every problem now known."""

    read: int = 0
    forgotten: int = 0
    problems: list[Problem] = field(default_factory=list)


def refresh(cache: CaseCache, progress: Progress | None, look: Look | None, *, derive_later: bool = False) -> Refreshed:
    """See :meth:`CaseCache.refresh <whomet.store.cache.CaseCache.refresh>`."""
    done = _refresh(cache, progress, look, derive_later=derive_later)
    # Derived later only beside a write-ahead log: with a rollback journal, the second step's
    # writes would lock the lists out of the cache for seconds.
    if cache.pending and not (derive_later and cache.path is not None and _logged_ahead(cache.db)):
        derive_pending(cache)  # left by a whomet stopped between the two steps, or asked now
        cache.gather_problems()
        done.problems = cache.problems
    return done


def _refresh(cache: CaseCache, progress: Progress | None, look: Look | None, *, derive_later: bool) -> Refreshed:
    done = Refreshed()
    folder, db = cache.folder, cache.db
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        cache.problems = [Problem("error", folder, None, "no-casefile", f"the casefile folder {what}")]
        done.problems = cache.problems
        return done
    if look is None or not agrees(db, look):
        look = look_here(folder, db)
    stale, gone = look.stale, look.gone
    if not stale and not gone and _holds_listing(db, look):
        # Nothing changed: no transaction, whose commit waits for the disk (a hundredth of a
        # second of every launch). The last look that wrote stays the line for files
        # written too close to a look, which is as safe, and a look that finds such a file
        # finds it stale and writes.
        cache.pending = _pending(db)
        cache.walk_problems = look.problems
        cache.gather_problems()
        done.problems = cache.problems
        return done
    # Many files are read by reader processes, each into a database of its own, attached
    # here and copied over in one statement per table; a few are read in this process.
    reading: list[Problem] = []  # what went wrong with the reader processes, if anything
    parts = read_in_parts(folder, cache.path, stale, progress, reading) if len(stale) >= tuned.PARALLEL_FROM else []
    attached = attach_parts(db, parts)
    # Filling many rows is faster with the lookup indexes built afterwards, in one go.
    bulk = len(stale) > max(1000, look.known // 4)
    # A few files changed: only what they can touch is computed again, as after a save.
    touched = [path for path, *_ in stale] + gone
    few = not bulk and not parts and len(touched) <= FEW
    # Filled from nothing by the readers (many files), with a second connection to derive on:
    # the lists first.
    split = derive_later and bool(parts) and look.known == 0 and cache.path is not None
    # The write lock first: with the log, a transaction that read before another whomet
    # wrote could not write after it, and would fail at once rather than wait.
    db.execute("BEGIN IMMEDIATE")
    try:
        # A record's id is its file's name, so these are the ids the change can touch.
        claimed = derive.claimed_at(touched) if few else None
        targets_before = cache._targets_of(claimed) if claimed is not None else set()
        if bulk:
            run(db, NO_INDEXES)
            for statement in NO_WORD_TRIGGERS:
                db.execute(statement)
        if gone:
            forget(db, gone)
        if look.changed:
            forget_records(db, look.changed)
        if parts:
            take_parts(db, len(parts))
        else:
            batch: list[FileResult] = []
            for result in read_here(folder, stale, progress):
                batch.append(result)
                if len(batch) == 1000:
                    store(db, batch)
                    batch = []
            store(db, batch)
        # The files table is now the look's listing: the next look may compare fingerprints.
        db.execute("INSERT OR REPLACE INTO meta VALUES ('looked', ?), ('listing', ?)",
                   (str(look.looked), " ".join(look.digests)))
        if look.walk is not None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('walk', ?)", (look.walk,))
        if split:
            # Which file owns an id several claim, now: the lists show no record its file does not own.
            # (Usually none is claimed twice: every valid file's record was taken in.)
            if _contested(db):
                if derive.settle_duplicates(cache, None):
                    cache.generation += 1
                rules.count(db)  # the readers counted the links of every file that claims an id
            else:
                count_from_parts(db, len(parts))
            run(db, LIST_INDEXES)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('derived', 'pending')")
        else:
            _derive(cache, claimed, targets_before, touched, bulk=bulk, changed=bool(gone or stale))
        if gone or stale:
            db.execute("DELETE FROM meta WHERE key LIKE 'until-change:%'")  # it may name or quote what changed
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # else SQLite rolled back itself (disk full, I/O error)
            db.execute("ROLLBACK")
        raise
    finally:
        drop_parts(db, parts, attached)
    if cache.path is not None:
        log_ahead(db)  # after a first filling; the log is kept from then on
    done.read, done.forgotten = len(stale), len(gone)
    if gone or stale:
        cache.generation += 1
    cache.pending = split or _pending(db)
    cache.walk_problems = look.problems + reading
    cache.gather_problems()
    done.problems = cache.problems
    return done


def _derive(cache: CaseCache, claimed: set[str] | None, targets_before: set[str], touched: list[str], *,
            bulk: bool, changed: bool) -> None:
    """Inside a refresh's transaction, once the rows are in: what depends on more than one record.
    ``touched``: the files read again or gone; ``claimed``: the ids they can touch, when only what
    is around them is to be derived again (they named ``targets_before``), else None."""
    db = cache.db
    run(db, INDEXES)
    if bulk:
        _rebuild_words(db)
    changed_owners = changed and derive.settle_duplicates(cache, claimed)
    if changed_owners:
        cache.generation += 1
    if claimed is not None and not changed_owners and touched:
        derive.recompute_around(cache, claimed, targets_before, touched)
    elif changed or changed_owners:
        _derive_all(db)


def _rebuild_words(db: sqlite3.Connection) -> None:
    """The full-text index made again in one go, and kept in step from then on."""
    db.execute(REBUILD_WORDS)
    for trigger in WORD_TRIGGERS:
        db.execute(trigger)


def _derive_all(db: sqlite3.Connection, *, counts: bool = True) -> None:
    """Every record's counts (unless ``counts`` is False) and flags; the problems between records,
    found again when next asked."""
    rules.derive(db, counts=counts)
    db.execute("DELETE FROM meta WHERE key IN ('link_problems', 'duplicates')")


def derive_pending(cache: CaseCache, beside: CaseCache | None = None) -> None:
    """The second step of a cache filled in two (see the module): whatever the first left pending,
    on ``cache``'s own connection (the app's lists read the first step's rows on another meanwhile).
    Nothing, if another whomet derived it first. With ``beside`` (the same cache on a connection
    of its own), the problems between records are found on it meanwhile, in another thread."""
    db = cache.db
    with busy_told():
        # The indexes first, in a commit of their own: the lists read faster with them, and they
        # are most of what the lists wait for.
        _in_one_transaction(db, lambda: run(db, INDEXES) if _pending(db) else None)
        # SQLite builds the full-text index and the flags without holding Python's lock, so the
        # links are checked on the other core meanwhile, from the rows the indexes were built on.
        checking = _LinksChecked(beside, db) if beside is not None and _pending(db) else None
        try:
            _in_one_transaction(db, lambda: _derive_whole(cache) if _pending(db) else None)
        finally:
            if checking is not None:
                checking.join()
        if checking is not None:
            checking.keep_in(db)
    cache.pending = False
    cache.generation += 1


class _LinksChecked:
    """The problems between records found on another connection, in a thread, while ``db``
    derives the rest: kept in the cache by ``db`` after, unless another connection wrote to the
    cache meanwhile (they are then found again when next asked for)."""

    def __init__(self, beside: CaseCache, db: sqlite3.Connection) -> None:
        self.version = _data_version(db)
        self.found: dict[str, object] | None = None
        self.thread = threading.Thread(target=self._check, args=(beside,), name="whomet-links", daemon=True)
        self.thread.start()

    def _check(self, beside: CaseCache) -> None:
        try:
            beside.db.execute("BEGIN")  # one snapshot of the rows for the whole check
            try:
                self.found = checks.find_link_problems(beside)[1]
            finally:
                beside.db.execute("COMMIT")
        except Exception:  # nothing kept: the writing connection finds them when asked, later
            self.found = None

    def join(self) -> None:
        self.thread.join()

    def keep_in(self, db: sqlite3.Connection) -> None:
        found = self.found
        if found is None:
            return

        def keep() -> None:
            # Asked once the write lock is held: a writer that held it a moment before has
            # committed by then, and its commit is seen.
            if _data_version(db) == self.version:
                checks.keep_found(db, found)

        _in_one_transaction(db, keep)


def _data_version(db: sqlite3.Connection) -> int:
    """Changes when another connection commits to the cache (not when this one does)."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def _derive_whole(cache: CaseCache) -> None:
    """What the first step left, once the indexes are in: the full-text index and the flags (the
    first step's counts are exact: the readers' where no two files claim an id, else counted)."""
    db = cache.db
    _rebuild_words(db)
    _derive_all(db, counts=False)
    db.execute("DELETE FROM meta WHERE key = 'derived'")


def _in_one_transaction(db: sqlite3.Connection, work: Callable[[], None]) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        work()
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # else SQLite rolled back itself (disk full, I/O error)
            db.execute("ROLLBACK")
        raise


def _contested(db: sqlite3.Connection) -> bool:
    """Whether some file holds a valid record whose id another file owns."""
    claims = db.execute("SELECT count(*) FROM files WHERE record_id IS NOT NULL").fetchone()[0]
    return claims != db.execute("SELECT count(*) FROM records").fetchone()[0]


def _logged_ahead(db: sqlite3.Connection) -> bool:
    return db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _pending(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM meta WHERE key = 'derived'").fetchone() is not None


def agrees(db: sqlite3.Connection, look: Look) -> bool:
    """Whether the cache is still as ``look`` saw it (another launch may have changed it since)."""
    last = db.execute("SELECT value FROM meta WHERE key = 'looked'").fetchone()
    count = db.execute("SELECT count(*) FROM files").fetchone()[0]
    return (last[0] if last else None) == look.basis and count == look.known


def _holds_listing(db: sqlite3.Connection, look: Look) -> bool:
    """Whether the cache keeps the fingerprints ``look`` took, and its walk if it took one."""
    kept = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('listing', 'walk')"))
    return kept.get("listing", "") == " ".join(look.digests) and look.walk in (None, kept.get("walk"))
