"""One casefile's cache, as the app and ``whomet check`` hold it, and the one way to open it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...model.links import Link
from ..casefile import CasefileBase
from ..files import FileStamp
from ..look import Look, cache_path
from ..problems import Problem
from . import checks, derive, queries, writes
from . import refresh as refreshing
from .readers import Progress
from .schema import CacheBusy, busy_told, connect

if TYPE_CHECKING:
    from ...model import Record


class CaseCache(CasefileBase):
    """One casefile's cache, brought up to date with the folder by :meth:`refresh`. What it does
    is done in the modules of this package, by concern: this holds the connection and what the
    last refresh found."""

    def __init__(self, folder: Path, path: Path | None, *, busy: bool = False) -> None:
        self.folder = Path(folder)
        self.path = path
        self.busy = busy
        """Whether this cache is in memory because another process held the cache file."""
        self.problems: list[Problem] = []
        self.walk_problems: list[Problem] = []
        """What the last look found of files and folders that cannot hold records, and of the
        reader processes when they failed."""
        self.pending = False
        """Whether what is derived from many records (the flags, the full-text index, the problems
        between records) is still to come: see :meth:`derive_pending`."""
        self.generation = 0
        """Counts the changes taken in, so what was read from the cache can tell it is old; a
        refresh that finds nothing changed leaves it as it is."""
        self.db = connect(self.folder, path)

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

    def close(self) -> None:
        self.db.close()

    def refresh(self, progress: Progress | None = None, look: Look | None = None, *,
                derive_later: bool = False) -> refreshing.Refreshed:
        """Read again every file that is new or changed, forget the files that are gone, and
        recompute what depends on more than one record. ``look``: what an :class:`EarlyLook` found,
        used if the cache is still as it was when compared. Raises :class:`CacheBusy` when
        another process holds the cache too long; the cache is then as it was.

        ``derive_later``: a cache filled from nothing (or left with derived facts pending) is
        :attr:`pending` after this, its rows and lists ready: :meth:`derive_pending` then derives
        the rest, in another thread if need be, while this connection reads the lists."""
        with busy_told():
            return refreshing.refresh(self, progress, look, derive_later=derive_later)

    def derive_pending(self) -> list[Problem]:
        """What a refresh left :attr:`pending`, derived on a connection of its own (so that this
        cache's may go on reading the lists meanwhile, from another thread); every problem then
        known. :meth:`take_derived` with them, on the thread that reads this cache, shows it."""
        with busy_told():
            other = CaseCache(self.folder, self.path)
            beside: CaseCache | None = None
            try:
                beside = CaseCache(self.folder, self.path)
                refreshing.derive_pending(other, beside)
                other.walk_problems = self.walk_problems
                other.gather_problems()  # it keeps what it found, for the next launch: a write too
                return other.problems
            finally:
                if beside is not None:
                    beside.close()
                other.close()

    def take_derived(self, problems: list[Problem]) -> None:
        """What :meth:`derive_pending` derived, taken in: what was read of the cache before is old."""
        self.problems = problems
        self.pending = False
        self.generation += 1

    def agrees(self, look: Look) -> bool:
        """Whether the cache is still as ``look`` saw it (another launch may have changed it since)."""
        return refreshing.agrees(self.db, look)

    def gather_problems(self) -> None:
        """Every problem now known, in the order a full read tells them."""
        self.problems = self.walk_problems + queries.file_problems(self.db, self.folder)
        if not self.pending:  # else they follow, with what is derived
            self.problems += derive.duplicate_problems(self) + checks.link_problems(self)

    def link_problems(self) -> list[Problem]:
        """References that lead nowhere or to the wrong kind, parent cycles, uncited claims."""
        return checks.link_problems(self)

    def verification(self) -> tuple[int, int, int]:
        """(quotes and excerpts verified against their sources' archives, how many differ, sources
        with no archive)."""
        return checks.verification(self)

    def _targets_of(self, record_ids: set[str]) -> set[str]:
        # Asked through the cache, inside the refresh's transaction, so that a test can step in there.
        return derive.targets_of(self, record_ids)

    # lookups

    def kind_of(self, record_id: str) -> str | None:
        return queries.kind_of(self.db, record_id)

    def path_of(self, record_id: str) -> Path | None:
        return queries.path_of(self.db, self.folder, record_id)

    def stamp_of(self, record_id: str) -> FileStamp | None:
        return queries.stamp_of(self.db, record_id)

    def record(self, record_id: str) -> Record | None:
        """The record as its file holds it now, or None when it is not a valid record."""
        return queries.record(self.db, self.folder, record_id)

    def known(self, record_id: str) -> Record | None:
        return self.record(record_id)

    def invalid_path(self, record_id: str) -> Path | None:
        """The file of ``record_id`` when it exists but holds no valid record."""
        return queries.invalid_path(self.db, self.folder, record_id)

    def count(self) -> int:
        return queries.count(self.db)

    def incoming(self, target: str) -> list[Link]:
        return queries.incoming(self.db, target)

    def kept_until_change(self, key: str) -> Any:
        """What :meth:`keep_until_change` kept under ``key``, or None when a record changed since."""
        return queries.kept_until_change(self.db, key)

    def keep_until_change(self, key: str, value: Any) -> None:
        """Keep ``value`` (JSON) for the next launch, as long as no record changes."""
        queries.keep_until_change(self.db, key, value)

    # writing through the app

    def saved(self, record: Record, path: Path, data: bytes) -> None:
        """Take in a record just written to ``path``, so the cache matches the file."""
        writes.saved(self, record, path, data)

    def deleted(self, record_id: str) -> None:
        writes.deleted(self, record_id)


def open_casefile(folder: str | os.PathLike[str], progress: Progress | None = None, *,
                  cache: CaseCache | None = None, look: Look | None = None, derive_later: bool = False) -> CaseCache:
    """The casefile in ``folder`` through its cache, brought up to date (``progress`` is told the
    files read). ``cache``: one opened already, to bring up to date (it is closed if it cannot
    be); ``look``, ``derive_later``: see :meth:`CaseCache.refresh`. When another
    whomet holds the cache for longer than whomet waits, the files are read into a cache in
    memory instead, marked :attr:`~CaseCache.busy`; the one way every caller falls back."""
    cache = cache if cache is not None else CaseCache.open(folder)
    try:
        cache.refresh(progress, look=look, derive_later=derive_later)
    except CacheBusy:
        cache.close()
        return read_without_cache(folder, progress)
    return cache


def read_without_cache(folder: str | os.PathLike[str], progress: Progress | None = None) -> CaseCache:
    """The casefile read into a cache in memory, as when another whomet holds its cache file:
    marked :attr:`~CaseCache.busy`, so that a caller can say so."""
    cache = CaseCache(Path(folder), None, busy=True)
    cache.refresh(progress)
    return cache
