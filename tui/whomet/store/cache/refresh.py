"""Bringing the cache up to date with the folder: the files a look found new or changed are read
again (many by reader processes), those gone are forgotten, and what depends on more than one
record is derived again, all of it when much changed, else only what the change can touch."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import cache as tuned  # PARALLEL_FROM is the package's, where a caller may set it
from .. import rules
from ..look import Look, look_here
from ..problems import Problem
from . import derive
from .checks import FEW
from .readers import Progress, read_here, read_in_parts
from .rows import FileResult
from .schema import INDEXES, NO_INDEXES, NO_WORD_TRIGGERS, REBUILD_WORDS, WORD_TRIGGERS, log_ahead, run
from .tables import attach_parts, drop_parts, forget, forget_records, store, take_parts

if TYPE_CHECKING:
    from .casecache import CaseCache


@dataclass
class Refreshed:
    """What a refresh did: files read again, files forgotten, and every problem now known."""

    read: int = 0
    forgotten: int = 0
    problems: list[Problem] = field(default_factory=list)


def refresh(cache: CaseCache, progress: Progress | None, look: Look | None) -> Refreshed:
    """See :meth:`CaseCache.refresh <whomet.store.cache.CaseCache.refresh>`."""
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
            for result in read_here(str(folder), stale, progress):
                batch.append(result)
                if len(batch) == 1000:
                    store(db, batch)
                    batch = []
            store(db, batch)
        run(db, INDEXES)
        if bulk:
            db.execute(REBUILD_WORDS)
            for trigger in WORD_TRIGGERS:
                db.execute(trigger)
        changed_owners = bool(gone or stale) and derive.settle_duplicates(cache, claimed)
        # The files table is now the look's listing: the next look may compare fingerprints.
        db.execute("INSERT OR REPLACE INTO meta VALUES ('looked', ?), ('listing', ?)",
                   (str(look.looked), " ".join(look.digests)))
        if look.walk is not None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('walk', ?)", (look.walk,))
        if claimed is not None and not changed_owners and touched:
            derive.recompute_around(cache, claimed, targets_before, touched)
        elif gone or stale or changed_owners:
            rules.derive(db)
            db.execute("DELETE FROM meta WHERE key IN ('link_problems', 'duplicates')")
        if gone or stale:
            db.execute("DELETE FROM meta WHERE key LIKE 'until-change:%'")  # it may name or quote what changed
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        drop_parts(db, parts, attached)
    if cache.path is not None:
        log_ahead(db)  # after a first filling; the log is kept from then on
    done.read, done.forgotten = len(stale), len(gone)
    if gone or stale or changed_owners:
        cache.generation += 1
    cache.walk_problems = look.problems + reading
    cache.gather_problems()
    done.problems = cache.problems
    return done


def agrees(db: sqlite3.Connection, look: Look) -> bool:
    """Whether the cache is still as ``look`` saw it (another launch may have changed it since)."""
    last = db.execute("SELECT value FROM meta WHERE key = 'looked'").fetchone()
    count = db.execute("SELECT count(*) FROM files").fetchone()[0]
    return (last[0] if last else None) == look.basis and count == look.known


def _holds_listing(db: sqlite3.Connection, look: Look) -> bool:
    """Whether the cache keeps the fingerprints ``look`` took, and its walk if it took one."""
    kept = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('listing', 'walk')"))
    return kept.get("listing", "") == " ".join(look.digests) and look.walk in (None, kept.get("walk"))
