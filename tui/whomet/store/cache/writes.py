"""A record saved or deleted through the app, taken into the cache with what depends on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ...model.links import links_of
from ..files import FileStamp
from . import derive
from .rows import record_row
from .schema import busy_told
from .tables import forget, put_row

if TYPE_CHECKING:
    from ...model import Record
    from .casecache import CaseCache


def saved(cache: CaseCache, record: Record, path: Path, data: bytes) -> None:
    """Take in a record just written to ``path``, so the cache matches the file."""
    relative = path.relative_to(cache.folder).as_posix()
    stat = path.stat()
    stamp = FileStamp.of_bytes(data)
    with changing(cache, record.id):
        cache.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, NULL)",
                         (relative, stat.st_size, stat.st_mtime_ns, record.id, stamp.digest))
        put_row(cache.db, record_row(record, relative), links_of(record))


def deleted(cache: CaseCache, record_id: str) -> None:
    """Forget a record whose file was just deleted."""
    path = cache.db.execute("SELECT path FROM records WHERE id = ?", (record_id,)).fetchone()
    if path is not None:
        with changing(cache, record_id):
            forget(cache.db, [path[0]])
            derive.settle_duplicates(cache, {record_id})  # another file with this id now holds it


@contextmanager
def changing(cache: CaseCache, record_id: str) -> Iterator[None]:
    """One record changes: afterwards, recompute what depends on it, and only that. Raises
    :class:`~whomet.store.cache.CacheBusy` when another whomet writes the cache for longer than
    whomet waits: the cache is then as it was, and does not know of the change."""
    db = cache.db
    with busy_told():
        db.execute("BEGIN IMMEDIATE")  # the write lock first: waited for once, not mid-change
        try:
            targets_before = cache._targets_of({record_id})
            held = db.execute("SELECT path FROM records WHERE id = ?", (record_id,)).fetchone()
            # The last look's listings no longer describe the files table: the next look
            # compares file by file.
            db.execute("DELETE FROM meta WHERE key = 'listing' OR key LIKE 'until-change:%'")
            yield
            cache.generation += 1
            derive.recompute_around(cache, {record_id}, targets_before, [held[0]] if held else [])
            cache.gather_problems()
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # else SQLite rolled back itself (disk full, I/O error)
                db.execute("ROLLBACK")
            raise
