"""The index over a casefile's cache: lists and links from SQLite, whole records from their files."""

from __future__ import annotations

import sqlite3

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..model.kinds import FOLDER_OF
from ..model.links import Link
from ..store.cache import UNIT, CaseCache, field_of, one_line
from .links import BaseIndex, Brief, PartyRow, TimelineRow

if TYPE_CHECKING:
    from ..model import Record

_KEPT = 4096
"""Whole records kept after reading, so going back and forth does not read files again."""

_TIMELINES_KEPT = 16
"""Timelines kept after reading: the busiest at 100,000 records holds about 1,500 items."""


Kept = TypeVar("Kept")


class _Recent(Generic[Kept]):
    """The last ``size`` values read, by key, forgotten whenever the cache takes in changes."""

    def __init__(self, cache: CaseCache, size: int) -> None:
        self._cache = cache
        self._size = size
        self._values: OrderedDict[str, Kept] = OrderedDict()
        self._of = cache.generation

    def get(self, key: str, read: Callable[[str], Kept]) -> Kept:
        values = self._values
        if self._of != self._cache.generation:
            values.clear()  # the cache took in changes since these were read
            self._of = self._cache.generation
        if key in values:
            values.move_to_end(key)
            return values[key]
        value = values[key] = read(key)
        if len(values) > self._size:
            values.popitem(last=False)
        return value

    def forget(self, key: str) -> None:
        self._values.pop(key, None)


class CachedIndex(BaseIndex):
    """Answers from the cache; a record is read from its file the first time it is asked for."""

    def __init__(self, cache: CaseCache) -> None:
        self.cache = cache
        self.db = cache.db
        self._records: _Recent[Record | None] = _Recent(cache, _KEPT)
        self._count: tuple[int, int] | None = None
        self._parties: tuple[int, list[PartyRow]] | None = None
        self._timelines: _Recent[list[TimelineRow]] = _Recent(cache, _TIMELINES_KEPT)
        """The last timelines read (the first screen's is read ahead, while the files are looked
        at), so that a link followed and back again reads neither timeline a second time."""

    def _graph(self) -> sqlite3.Connection:
        return self.db

    # records

    def get(self, record_id: str) -> Record | None:
        return self._records.get(record_id, self.cache.record)

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self.cache.kind_of(record_id) is not None

    def __len__(self) -> int:
        if self._count is None or self._count[0] != self.cache.generation:
            self._count = (self.cache.generation, self.cache.count())
        return self._count[1]

    def summary_of(self, record_id: str) -> str:
        """What a record's summary says, as the cache keeps it for search ('' for none)."""
        row = self.db.execute("SELECT fields FROM records WHERE id = ?", (record_id,)).fetchone()
        return (field_of(row[0], "summary") if row else None) or ""

    def label_of(self, record_id: str) -> str | None:
        row = self.db.execute("SELECT label FROM records WHERE id = ?", (record_id,)).fetchone()
        return row[0] if row else None

    def kind_of(self, record_id: str) -> str | None:
        return self.cache.kind_of(record_id)

    def brief(self, record_id: str) -> Brief | None:
        return self.briefs([record_id]).get(record_id)

    def briefs(self, record_ids: list[str]) -> dict[str, Brief]:
        found: dict[str, Brief] = {}
        for start in range(0, len(record_ids), 500):  # SQLite takes a bounded number of parameters
            part = record_ids[start:start + 500]
            for record_id, kind, when, label, fields, speaker in self.db.execute(f"""
                    SELECT r.id, r.kind, r.when_text, r.label, r.fields, s.label FROM records r
                    LEFT JOIN records s ON s.id = r.speaker WHERE r.id IN ({','.join('?' * len(part))})""", part):
                if kind != "statement":
                    found[record_id] = Brief(kind, when, one_line(label))
                    continue
                quote = field_of(fields, "quote") or ""
                found[record_id] = Brief(kind, when, one_line(f"{speaker}: “{quote}”"))
        return found

    def put(self, record: Record) -> None:
        """The record was saved through the cache; forget what was read of it before."""
        self._records.forget(record.id)

    def remove(self, record_id: str) -> None:
        self._records.forget(record_id)

    # links

    def _incoming_of(self, record_id: str) -> list[Link]:
        return self.cache.incoming(record_id)

    def _sort_key(self, record_id: str) -> tuple[Any, Any]:
        row = self.db.execute("SELECT sort_lo, sort_hi FROM records WHERE id = ?", (record_id,)).fetchone()
        return (row[0], row[1]) if row else ("9999-12-31", "9999-12-31")

    def backlinks(self, record_id: str) -> list[Link]:
        rows = self.db.execute("""
            SELECT l.source, l.target, l.relation, l.detail FROM links l JOIN records r ON r.id = l.source
            WHERE l.target = ? ORDER BY r.sort_lo, r.sort_hi, l.source, l.relation""", (record_id,))
        return [Link(*row) for row in rows]

    # what the panels show

    def party_rows(self) -> list[PartyRow]:
        if self._parties is None or self._parties[0] != self.cache.generation:
            self._parties = (self.cache.generation, self._read_party_rows())
        return self._parties[1]

    def _read_party_rows(self) -> list[PartyRow]:
        query = """SELECT id, kind, label, names, meetings, statements FROM records {}
                   WHERE kind IN ('person', 'organization') ORDER BY sort_name, id"""
        try:
            rows = self.db.execute(query.format("INDEXED BY records_parties"))
        except sqlite3.OperationalError as error:
            if "no such index" not in str(error):
                raise  # a locked cache is not waited for twice
            rows = self.db.execute(query.format(""))  # a cache made before the index, until next written
        return [PartyRow(i, kind, label, tuple(names.split(UNIT)), meetings, statements)
                for i, kind, label, names, meetings, statements in rows]

    def timeline_rows(self, party_id: str) -> list[TimelineRow]:
        return self._timelines.get(party_id, self._read_timeline_rows)

    def _read_timeline_rows(self, party_id: str) -> list[TimelineRow]:
        rows = self.db.execute("""
            SELECT DISTINCT r.id, r.kind, r.when_text, r.what, r.title, r.speaker, r.flag, r.sort_lo, r.sort_hi
            FROM links l JOIN records r ON r.id = l.source
            WHERE l.target = ? AND ((l.relation = 'participant' AND r.kind = 'meeting')
                                    OR (l.relation = 'speaker' AND r.kind = 'statement'))
            ORDER BY r.sort_lo, r.sort_hi, r.id""", (party_id,))
        return [TimelineRow(*row[:7]) for row in rows]

    # finding records

    def _named_like(self, text: str, kinds: tuple[str, ...]) -> Iterable[tuple[str, str, str, tuple[str, ...]]]:
        letters = "%" + "%".join(_like(letter) for letter in text.replace(" ", "")) + "%"
        # People and organizations are read from records_parties, which holds their names and ids
        # (4 ms at 100k), not from the table's long rows (15-40 ms). The kinds are written into the
        # query, not bound: only then can SQLite tell that the index holds every row asked for.
        listed = ", ".join(f"'{kind}'" for kind in kinds if kind in FOLDER_OF)
        parties = bool(kinds) and set(kinds) <= {"person", "organization"}
        rows = self.db.execute(f"""
            SELECT id, kind, label, names FROM records {"INDEXED BY records_parties" if parties else ""}
            WHERE {"kind IN ('person', 'organization') AND " if parties else ""}kind IN ({listed}) AND (names LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')""",
            (letters, letters))
        for record_id, kind, label, names in rows:
            yield record_id, kind, label, tuple(names.split(UNIT))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
