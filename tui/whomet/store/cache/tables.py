"""The rows of files, records and links, put into the cache and taken out of it, as read.

A record whose id another file holds already is not taken in here: which file owns an id is
settled afterwards (:func:`~whomet.store.cache.derive.settle_duplicates`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..rules import set_counts
from .rows import FileResult, file_row
from .schema import INSERT_RECORD, RECORD_COLUMNS


def store(db: sqlite3.Connection, results: list[FileResult]) -> None:
    """Keep what was read of files whose records are already forgotten."""
    if not results:
        return
    db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", [file_row(r) for r in results])
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
    db.executemany(INSERT_RECORD, rows)
    db.executemany("INSERT INTO links VALUES (?, ?, ?, ?)", links)


def take_parts(db: sqlite3.Connection, count: int) -> None:
    """Copy what the readers wrote (attached as ``part0``, ``part1``...) into the cache's tables."""
    kept = db.execute("SELECT count(*) FROM records").fetchone()[0]
    offered = 0
    for number in range(count):
        db.execute(f"INSERT OR REPLACE INTO files SELECT * FROM part{number}.files")
        db.execute(f"INSERT OR IGNORE INTO records ({RECORD_COLUMNS}) "
                   f"SELECT {RECORD_COLUMNS} FROM part{number}.records")
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


def count_from_parts(db: sqlite3.Connection, count: int) -> None:
    """The parties' counts as the readers took them (``part0``, ``part1``... attached), into a cache
    that held nothing before: the people are listed with them before the links are counted here."""
    taken = " UNION ALL ".join(f"SELECT target, relation, n FROM part{number}.counts" for number in range(count))
    set_counts(db, f"SELECT target, sum(n) AS n FROM ({taken}) WHERE relation = ? GROUP BY target")


def attach_parts(db: sqlite3.Connection, parts: list[str]) -> int:
    """Attach the readers' databases as ``part0``, ``part1``...; how many were attached (all of
    them, unless this raises: then they are detached and deleted)."""
    attached = 0
    try:
        for number, part in enumerate(parts):
            db.execute(f"ATTACH DATABASE ? AS part{number}", (part,))
            attached += 1
    except BaseException:
        drop_parts(db, parts, attached)
        raise
    return attached


def drop_parts(db: sqlite3.Connection, parts: list[str], attached: int) -> None:
    for number in range(attached):
        db.execute(f"DETACH DATABASE part{number}")
    for part in parts:
        Path(part).unlink(missing_ok=True)


def put_row(db: sqlite3.Connection, row: tuple, links: Iterable[tuple[str, str, str, str]]) -> None:
    """A record's row, and the links it makes, in place of those it had."""
    record_id = row[0]
    db.execute("DELETE FROM links WHERE source = ?", (record_id,))
    db.execute(INSERT_RECORD, row)
    db.executemany("INSERT INTO links VALUES (?, ?, ?, ?)", links)


def forget(db: sqlite3.Connection, paths: list[str]) -> None:
    """Drop the files at ``paths``, with their records and links."""
    forget_records(db, paths)
    db.executemany("DELETE FROM files WHERE path = ?", [(path,) for path in paths])


def forget_records(db: sqlite3.Connection, paths: list[str]) -> None:
    """Drop the records read from ``paths`` and the links they made."""
    ids = [(row[0],) for path in paths for row in db.execute(
        "SELECT r.id FROM files f JOIN records r ON r.id = f.record_id AND r.path = f.path WHERE f.path = ?",
        (path,)).fetchall()]
    db.executemany("DELETE FROM links WHERE source = ?", ids)
    db.executemany("DELETE FROM records WHERE id = ?", ids)
