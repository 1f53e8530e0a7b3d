"""What the cache derives from more than one record, kept up to date as records change: which
file owns an id that several claim, the counts and flags of the rules (:mod:`whomet.store.rules`),
and the problems between records (:mod:`~whomet.store.cache.checks`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ...model.kinds import KIND_IN
from .. import rules
from ..problems import Problem
from ..validation import duplicate_problem
from ..walk import reading_order
from . import checks
from .rows import UNIT, read_file
from .schema import keep, kept, scope
from .tables import put_row

if TYPE_CHECKING:
    from .casecache import CaseCache


def recompute_around(cache: CaseCache, changed: set[str], targets_before: set[str], old_paths: list[str]) -> None:
    """After the records ``changed`` were changed, added or removed (they named
    ``targets_before``, and were read from ``old_paths``): their counts, flags and problems,
    and those of the records they name now or named before. After a delete, the record of
    another file with the same id may now hold it, naming others: it is counted in."""
    rules.derive(cache.db, changed | targets_before | cache._targets_of(changed))
    checks.recheck_links(cache, changed, old_paths)
    _recheck_duplicates(cache, changed)


def targets_of(cache: CaseCache, record_ids: set[str]) -> set[str]:
    """The ids the records ``record_ids`` name."""
    return {row[0] for record_id in record_ids
            for row in cache.db.execute("SELECT target FROM links WHERE source = ?", (record_id,))}


def claimed_at(paths: list[str]) -> set[str]:
    """The ids the files at ``paths`` are named for, whether their records are the ones kept,
    or are not valid at all (references to an id say whether its file is broken)."""
    return {Path(path).stem for path in paths}


# Which file owns an id

def settle_duplicates(cache: CaseCache, ids: set[str] | None = None) -> bool:
    """The first file in reading order owns an id that several valid files claim; a file that
    comes to own an id (its rival was deleted or broke) is read again. True if any moved.
    ``ids``: only these can have changed hands."""
    db, folder = cache.db, cache.folder
    within, values = scope("record_id", ids)
    contested = db.execute(f"""
        SELECT record_id, group_concat(path, char(31)) FROM files WHERE record_id IS NOT NULL{within}
        GROUP BY record_id HAVING count(*) > 1
        UNION ALL
        SELECT f.record_id, f.path FROM files f LEFT JOIN records r ON r.id = f.record_id
        WHERE f.record_id IS NOT NULL AND r.id IS NULL{within}""", values * 2).fetchall()
    # An id no record holds comes back once per file that claims it: gather them first.
    claims: dict[str, set[str]] = {}
    for record_id, paths in contested:
        claims.setdefault(record_id, set()).update(paths.split(UNIT))
    moved = False
    for record_id, paths in claims.items():
        owner = min(paths, key=reading_order)
        held = db.execute("SELECT path FROM records WHERE id = ?", (record_id,)).fetchone()
        if held is not None and held[0] == owner:
            continue
        try:
            stat = os.stat(folder / owner)
        except OSError:
            continue  # gone since the look: the next refresh forgets it
        result = read_file(folder, owner, KIND_IN[owner.split("/", 1)[0]], stat.st_size, stat.st_mtime_ns)
        db.execute("UPDATE files SET size = ?, mtime_ns = ?, digest = ? WHERE path = ?",
                   (result.size, result.mtime_ns, result.digest, owner))
        if result.row is not None and result.record_id == record_id:
            put_row(db, result.row, result.links)
            moved = True
    return moved


def duplicate_problems(cache: CaseCache) -> list[Problem]:
    """A problem for each file whose id an earlier file holds."""
    # Kept between launches: finding them means going through every file's row.
    rows = kept(cache.db, "duplicates")
    if rows is None:
        rows = _duplicates(cache)
        keep(cache.db, "duplicates", rows)
    return [duplicate_problem(cache.folder / path, record_id, Path(owner)) for path, record_id, owner in rows]


def _duplicates(cache: CaseCache, ids: set[str] | None = None) -> list[list[str]]:
    """(path, id, owner's path) of each file whose id an earlier file holds."""
    within, values = scope("f.record_id", ids)
    return sorted((list(row) for row in cache.db.execute(f"""
        SELECT f.path, f.record_id, r.path FROM files f JOIN records r ON r.id = f.record_id
        WHERE f.path != r.path{within}""", values)), key=lambda row: reading_order(row[0]))


def _recheck_duplicates(cache: CaseCache, ids: set[str]) -> None:
    rows = kept(cache.db, "duplicates")
    if rows is None:
        return  # found in full when next asked for
    rows = [row for row in rows if row[1] not in ids] + _duplicates(cache, ids)
    rows.sort(key=lambda row: reading_order(row[0]))
    keep(cache.db, "duplicates", rows)
