"""What the cache answers of the records it holds, without reading their files, and a record
read from its file when asked for."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import model
from ...model.kinds import KIND_IN
from ...model.links import Link
from ..casefile import read_record
from ..files import FileStamp
from ..problems import Problem
from ..walk import reading_order
from .schema import keep, kept

if TYPE_CHECKING:
    from ...model import Record


def kind_of(db: sqlite3.Connection, record_id: str) -> str | None:
    row = db.execute("SELECT kind FROM records WHERE id = ?", (record_id,)).fetchone()
    return row[0] if row else None


def path_of(db: sqlite3.Connection, folder: Path, record_id: str) -> Path | None:
    row = db.execute("SELECT path FROM records WHERE id = ?", (record_id,)).fetchone()
    return folder / row[0] if row else None


def stamp_of(db: sqlite3.Connection, record_id: str) -> FileStamp | None:
    row = db.execute("SELECT f.size, f.digest FROM records r JOIN files f ON f.path = r.path "
                     "WHERE r.id = ?", (record_id,)).fetchone()
    return FileStamp(row[0], row[1]) if row and row[1] is not None else None


def record(db: sqlite3.Connection, folder: Path, record_id: str) -> Record | None:
    """The record as its file holds it now, or None when it is not a valid record."""
    row = db.execute("SELECT kind, path FROM records WHERE id = ?", (record_id,)).fetchone()
    if row is None:
        return None
    found, _stamp = read_record(folder / row[1], model.KINDS[row[0]], [])
    return found if found is not None and found.id == record_id else None


def invalid_path(db: sqlite3.Connection, folder: Path, record_id: str) -> Path | None:
    """The file of ``record_id`` when it exists but holds no valid record."""
    if kind_of(db, record_id) is not None:
        return None
    for kind_folder in sorted(KIND_IN):  # reading order, as a full read meets them
        relative = f"{kind_folder}/{record_id}.toml"
        row = db.execute("SELECT record_id FROM files WHERE path = ?", (relative,)).fetchone()
        if row is not None and row[0] != record_id:
            return folder / relative
    return None


def count(db: sqlite3.Connection) -> int:
    return db.execute("SELECT count(*) FROM records").fetchone()[0]


def incoming(db: sqlite3.Connection, target: str) -> list[Link]:
    return [Link(*row) for row in db.execute(
        "SELECT source, target, relation, detail FROM links WHERE target = ?", (target,))]


def file_problems(db: sqlite3.Connection, folder: Path) -> list[Problem]:
    """What is wrong inside each file, as found when it was read, in reading order."""
    rows = db.execute("SELECT path, problems FROM files WHERE problems IS NOT NULL").fetchall()
    rows.sort(key=lambda row: reading_order(row[0]))
    found: list[Problem] = []
    for path, problems in rows:
        for severity, line, code, message in json.loads(problems):
            found.append(Problem(severity, folder / path, line, code, message))
    return found


# What a caller keeps for the next launch as long as no record changes (the app keeps the record
# in detail as it drew it, so that the next first paint need not read the record, nor import the
# models). A change of any record drops it all: it may name or quote what changed.

UNTIL_CHANGE = "until-change:"
"""The prefix of the meta keys that a change of any record drops."""


def kept_until_change(db: sqlite3.Connection, key: str) -> Any:
    """What :func:`keep_until_change` kept under ``key``, or None when a record changed since."""
    return kept(db, UNTIL_CHANGE + key)


def keep_until_change(db: sqlite3.Connection, key: str, value: Any) -> None:
    """Keep ``value`` (JSON) under ``key`` until a record changes; nothing when another whomet
    is writing the cache (the next launch then does without it)."""
    try:
        keep(db, UNTIL_CHANGE + key, value)
    except sqlite3.Error:
        pass
