"""What the cache keeps of one record file: computed in a reader process, so plain tuples only."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ... import model
from ...model.links import Link, links_of
from ..casefile import read_record
from ..problems import Problem
from ..rules import COUNTED
from .schema import PART_SCHEMA, RECORD_VALUES

if TYPE_CHECKING:
    from ...model import FuzzyDate, Record

UNIT = "\x1f"
"""Separates names, and search fields, within one column."""
PAIR = "\x1e"
"""Separates a search field's name from its text."""

_NO_DATE = date.max.isoformat()


@dataclass(slots=True)
class FileResult:
    path: str
    size: int
    mtime_ns: int
    record_id: str | None
    digest: bytes | None
    problems: list[tuple[str, int | None, str, str]]
    row: tuple | None = None
    links: list[Link] = field(default_factory=list)


def record_row(record: Record, path: str) -> tuple:
    """The columns of ``records`` for one record, in table order (without the derived ones)."""
    kind = record.kind
    label = record.label
    # Told apart by kind, and each field read only where the kind has it: a field a pydantic
    # model lacks costs it an exception to say so, and every reader makes a row per file.
    aliases = record.aliases if kind in _ALIASED else ()  # type: ignore[attr-defined]
    when = _when(record)
    lower, upper = _span(when)
    what, title, speaker = kind, label, ""
    type = status = roles = capacities = ""
    under_oath: bool | None = None
    if kind == "meeting":
        what = "event" if record.type == "event" else "meeting"  # type: ignore[attr-defined]
        title, type, status = record.title, record.type, record.status  # type: ignore[attr-defined]
        capacities = UNIT.join([p.capacity for p in record.participants if p.capacity])  # type: ignore[attr-defined]
    elif kind == "statement":
        speaker, type, under_oath = record.speaker, record.setting, record.under_oath  # type: ignore[attr-defined]
        occasion = record.occasion  # type: ignore[attr-defined]
        title = f"{occasion + ': ' if occasion else ''}“{one_line(record.quote)}”"  # type: ignore[attr-defined]
    elif kind == "person" and record.roles:  # type: ignore[attr-defined]
        roles = json.dumps([[role.title, role.organization or "",
                             role.start.lower.isoformat() if role.start else "",
                             role.end.upper.isoformat() if role.end else ""]
                            for role in record.roles], ensure_ascii=False)  # type: ignore[attr-defined]
    fields = UNIT.join([f"{name}{PAIR}{text}" for name, text in searchable(record)])
    return (record.id, kind, path, label, label.casefold(), UNIT.join([label, *aliases]),
            lower, upper, when.display() if when is not None else "", what, _shortened(one_line(title)),
            speaker, fields, type, status, under_oath, roles, capacities, tags_column(_tags(record)))


_ALIASED = frozenset(("person", "organization"))
_DATED = {"meeting": "date", "statement": "date", "source": "published"}
"""The field that dates a record, by kind: the others have none."""


def tags_column(tags: Sequence[str]) -> str:
    """The tags as the records table keeps them: each between two UNIT separators."""
    return f"{UNIT}{UNIT.join(tags)}{UNIT}" if tags else ""


def sort_span(record: Record) -> tuple[str, str]:
    """The first and last day a record may be of, as text that sorts as the days do (the last
    day there is, for a record that has no date)."""
    return _span(_when(record))


def _when(record: Record) -> FuzzyDate | None:
    dated_by = _DATED.get(record.kind)
    return getattr(record, dated_by) if dated_by is not None else None


def _tags(record: Record) -> Sequence[str]:
    return record.tags if record.kind != "source" else ()  # type: ignore[attr-defined]


def _span(when: FuzzyDate | None) -> tuple[str, str]:
    return (when.lower.isoformat(), when.upper.isoformat()) if when is not None else (_NO_DATE, _NO_DATE)


def _shortened(title: str, most: int = 500) -> str:
    """A title the lists can hold: a long quote cut, and said to be."""
    return title if len(title) <= most else title[:most - 1].rstrip() + "…"


def one_line(text: str) -> str:
    """Text on one line, runs of spaces and line breaks folded to one space."""
    return " ".join(text.split())


def field_of(fields: str, name: str) -> str | None:
    """A record's field among its searched fields, as the records table keeps them (see
    :func:`searchable`): the first of that name, or None."""
    for pair in fields.split(UNIT):
        key, _, text = pair.partition(PAIR)
        if key == name:
            return text
    return None


def searchable(record: Record) -> list[tuple[str, str]]:
    """The (field, text) pairs of a record that a search looks in, most telling first."""
    kind = record.kind
    found: list[tuple[str, str]] = [("name", record.label)]
    if kind in _ALIASED:
        found += [("alias", alias) for alias in record.aliases]  # type: ignore[attr-defined]
        found.append(("summary", record.summary))  # type: ignore[attr-defined]
        if kind == "person":
            found += [("role", role.title) for role in record.roles]  # type: ignore[attr-defined]
    elif kind == "meeting":
        found += [("place", record.place), ("summary", record.summary)]  # type: ignore[attr-defined]
    elif kind == "statement":
        found += [("quote", record.quote), ("question", record.question),  # type: ignore[attr-defined]
                  ("summary", record.summary)]  # type: ignore[attr-defined]
    elif kind == "source":
        found.append(("publisher", record.publisher))  # type: ignore[attr-defined]
        found += [("author", a) for a in record.authors]  # type: ignore[attr-defined]
    if kind == "meeting" or kind == "statement":
        found += [("excerpt", c.excerpt) for c in record.citations]  # type: ignore[attr-defined]
    found += [("tag", tag) for tag in _tags(record)]
    return [(name, text) for name, text in found if text]


def read_file(folder: Path, relative: str, kind_name: str, size: int, mtime_ns: int) -> FileResult:
    """Read one record file into what the cache keeps of it."""
    path = folder / relative
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
        result.links = links_of(record)
    return result


def start_part(path: str) -> sqlite3.Connection:
    """A reader's own database, for the rows of the files it reads: scratch, so not made durable."""
    Path(path).unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(PART_SCHEMA)
    db.execute("BEGIN")
    return db


def file_row(result: FileResult) -> tuple:
    """A read file's row in the files table."""
    return (result.path, result.size, result.mtime_ns, result.record_id, result.digest,
            json.dumps(result.problems) if result.problems else None)


_COUNTED_RELATIONS = frozenset(relation for relation, _ in COUNTED)


def count_parties(counts: dict[tuple[str, str], int], results: list[FileResult]) -> None:
    """Add to ``counts`` the records of ``results`` that name each party as :data:`~whomet.store.rules.COUNTED`
    says, by (party, relation): each record once, as the rules count them."""
    for result in results:
        if result.row is not None:
            for named in {(link[1], link[2]) for link in result.links if link[2] in _COUNTED_RELATIONS}:
                counts[named] = counts.get(named, 0) + 1


def write_counts(db: sqlite3.Connection, counts: dict[tuple[str, str], int]) -> None:
    db.executemany("INSERT INTO counts VALUES (?, ?, ?)", [(*named, n) for named, n in counts.items()])


def write_part(db: sqlite3.Connection, results: list[FileResult]) -> None:
    db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)", [file_row(r) for r in results])
    valid = [r for r in results if r.row is not None]
    db.executemany(f"INSERT INTO records VALUES {RECORD_VALUES}", [r.row for r in valid])
    db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?)", [(r.path, *link) for r in valid for link in r.links])
