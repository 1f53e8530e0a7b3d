"""Every meeting and statement of a casefile in date order, as filters choose them: who was there
(all of them, or any), the kind, a meeting's type and status, a statement's setting and oath, the
stance a statement takes, a role someone there held on the day, a span of dates, words."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ..store.cache import UNIT
from .activity import span_text
from .links import TimelineRow


@dataclass(frozen=True, slots=True)
class Filters:
    """What the chronology shows; the default is everything."""

    parties: tuple[str, ...] = ()
    every_party: bool = True
    """With several parties: records with all of them (True) or with any of them."""
    kinds: tuple[str, ...] = ()
    """'meeting', 'statement'; none: both."""
    stances: tuple[str, ...] = ()
    """Statements that deny, confirm, amend or mention a meeting."""
    first_day: str | None = None
    last_day: str | None = None
    """ISO days: only records that certainly fall between them (a record known only to the year is
    not within a span of months)."""
    words: str = ""
    types: tuple[str, ...] = ()
    """A meeting's type ('dinner', 'call'...) or a statement's setting ('testimony'...): any of them."""
    statuses: tuple[str, ...] = ()
    """Meetings 'confirmed', 'alleged' or 'disputed': any of them (statements have none)."""
    under_oath: bool | None = None
    """Statements made under oath (True), or not (False); None: either, and meetings too."""
    roles: tuple[str, ...] = ()
    """Words of a role (``ambassador``): a participant or the speaker held a role titled so on a
    day the record may be of, or was there in a capacity that says so. Several: each of them."""
    tags: tuple[str, ...] = ()
    """Tags the records carry (any case): several, each of them."""

    def said(self) -> str:
        """The filters in force, in words, for a title."""
        parts = []
        if self.parties:
            parts.append((" & " if self.every_party else " | ").join(self.parties))
        if self.kinds:
            parts.append(" or ".join(f"{kind}s" for kind in self.kinds))
        if self.types:
            parts.append(" or ".join(self.types))
        if self.statuses:
            parts.append(" or ".join(self.statuses))
        if self.under_oath is not None:
            parts.append("under oath" if self.under_oath else "not under oath")
        if self.stances:
            parts.append(" or ".join(self.stances))
        parts += [f"then {role}" for role in self.roles]
        parts += [f"#{tag}" for tag in self.tags]
        if self.first_day and self.last_day:
            parts.append(span_text(date.fromisoformat(self.first_day), date.fromisoformat(self.last_day)))
        elif self.first_day or self.last_day:
            parts.append(f"{self.first_day or '…'} – {self.last_day or '…'}")
        if self.words:
            parts.append(f"“{self.words}”")
        return " · ".join(parts)


class Entry(NamedTuple):
    """What the chronology keeps in memory of a meeting or statement: what the filters that need
    no index look at, and where the rest of the row is."""

    rowid: int
    id: str
    kind: str
    lo: str
    hi: str
    type: str
    status: str
    under_oath: int | None
    tags: str


_ROW = "SELECT rowid, id, kind, when_text, what, title, speaker, flag FROM records WHERE rowid IN ({})"

# Each filter below names the rows it lets through, found from an index; the others look at the
# entries in memory, already in date order.
_PRESENT = "SELECT source, target FROM links WHERE target IN ({}) AND relation IN ('participant', 'speaker')"
_STANCE = "SELECT source FROM links WHERE relation IN ({})"
_WORDS = "SELECT rowid FROM words WHERE words MATCH ?"


KEPT = 24
"""How many filters' findings a chronology keeps: the last few of each word typed."""


class Chronology:
    """The meetings and statements of a cache in date order, filtered: the entries are read once
    (a third of a second at 100k records), and each filter then costs what its index does."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._entries: list[Entry] | None = None
        self._roles: list[tuple[str, str, str, str]] | None = None
        self._by_id: dict[str, Entry] | None = None
        self._found: dict[tuple, set[int]] = {}

    @property
    def entries(self) -> list[Entry]:
        if self._entries is None:
            self._entries = [Entry(*row) for row in self.db.execute(
                "SELECT rowid, id, kind, sort_lo, sort_hi, type, status, under_oath, tags FROM records "
                "WHERE kind IN ('meeting', 'statement') ORDER BY sort_lo, sort_hi, id")]
        return self._entries

    @property
    def by_id(self) -> dict[str, Entry]:
        if self._by_id is None:
            self._by_id = {entry.id: entry for entry in self.entries}
        return self._by_id

    def tags(self) -> list[tuple[str, int]]:
        """The tags the meetings and statements carry, with how many carry each, most used first
        (a tag written in several cases counted as one, in its most used spelling)."""
        counted: Counter[str] = Counter(
            tag for entry in self.entries if entry.tags for tag in entry.tags.strip(UNIT).split(UNIT))
        folded: dict[str, tuple[str, int]] = {}
        for tag, count in counted.most_common():
            key = tag.casefold()
            spelling, total = folded.get(key, (tag, 0))
            folded[key] = (spelling, total + count)
        return sorted(folded.values(), key=lambda item: (-item[1], item[0].casefold()))

    def matching(self, filters: Filters) -> list[Entry]:
        """The entries that pass ``filters``, in date order."""
        allowed = self._allowed(filters)
        kinds, types, statuses = set(filters.kinds), set(filters.types), set(filters.statuses)
        oath = None if filters.under_oath is None else int(filters.under_oath)
        first, last = filters.first_day, filters.last_day
        tags = [f"{UNIT}{tag.casefold()}{UNIT}" for tag in filters.tags]
        return [entry for entry in self.entries if (
            (allowed is None or entry.rowid in allowed)
            and (not tags or all(tag in entry.tags.casefold() for tag in tags))
            and (not kinds or entry.kind in kinds) and (not types or entry.type in types)
            and (not statuses or entry.status in statuses) and (oath is None or entry.under_oath == oath)
            and (first is None or entry.lo >= first) and (last is None or entry.hi <= last))]

    def rows(self, entries: list[Entry]) -> list[TimelineRow]:
        """The rows of ``entries``, as a list shows them."""
        found: dict[int, TimelineRow] = {}
        for start in range(0, len(entries), 500):
            chunk = [entry.rowid for entry in entries[start:start + 500]]
            for rowid, *row in self.db.execute(_ROW.format(",".join("?" * len(chunk))), chunk):
                found[rowid] = TimelineRow(*row)
        return [found[entry.rowid] for entry in entries]

    def _allowed(self, filters: Filters) -> set[int] | None:
        """The rows the filters that need an index let through; None when none of them is in force."""
        sets: list[set[int]] = []
        if filters.parties and filters.every_party:
            sets += [self._of_ids(_PRESENT.format("?"), party) for party in filters.parties]
        elif filters.parties:
            sets.append(self._of_ids(_PRESENT.format(",".join("?" * len(filters.parties))), *filters.parties))
        if filters.stances:
            sets.append(self._of_ids(_STANCE.format(",".join("?" * len(filters.stances))), *filters.stances))
        sets += [self._holding(role) for role in filters.roles]
        if filters.words:
            query = words_query(filters.words)
            sets.append(self._rowids(_WORDS, query) if query is not None else self._rowids(
                "SELECT rowid FROM records WHERE instr(title, ?) > 0 OR instr(fields, ?) > 0",
                filters.words, filters.words))  # nothing but signs: looked for as they are
        if not sets:
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def _rowids(self, query: str, *values: object) -> set[int]:
        return self._kept(("rows", query, values), lambda: {row[0] for row in self.db.execute(query, values)})

    def _of_ids(self, query: str, *values: object) -> set[int]:
        """The rows of the meetings and statements whose ids ``query`` gives first in each row."""
        by_id = self.by_id
        return self._kept(("ids", query, values), lambda: {
            by_id[row[0]].rowid for row in self.db.execute(query, values) if row[0] in by_id})

    def _kept(self, key: tuple, find: Callable[[], set[int]]) -> set[int]:
        """What ``find`` finds, kept for the next keys typed: while one word of the filter line
        is typed, the filters before it are not looked up again."""
        found = self._found.pop(key, None)
        if found is None:
            found = find()
            while len(self._found) >= KEPT:
                del self._found[next(iter(self._found))]
        self._found[key] = found  # the most recently used last
        return found

    def _holding(self, words: str) -> set[int]:
        """The rows with someone who held a role titled with ``words`` on a day the record may be
        of, or who was at a meeting in a capacity that says so."""
        return self._kept(("role", words), lambda: self._find_holding(words))

    def _find_holding(self, words: str) -> set[int]:
        if self._roles is None:
            self._roles = [(person, title.casefold(), lo, hi) for person, roles in self.db.execute(
                "SELECT id, roles FROM records WHERE kind = 'person' AND roles != ''")
                for title, _, lo, hi in json.loads(roles)]
        folded = words.casefold()
        spans: dict[str, list[tuple[str, str]]] = {}
        for person, title, lo, hi in self._roles:
            if folded in title:
                spans.setdefault(person, []).append((lo, hi))
        found: set[int] = set()
        people, by_id = list(spans), self.by_id
        for start in range(0, len(people), 500):
            chunk = people[start:start + 500]
            for source, person in self.db.execute(_PRESENT.format(",".join("?" * len(chunk))), chunk):
                entry = by_id.get(source)
                if entry is not None and any((not first or first <= entry.hi) and (not last or last >= entry.lo)
                                             for first, last in spans[person]):
                    found.add(entry.rowid)
        in_capacity = words_query(words, "capacities")
        if in_capacity is not None:
            found |= self._rowids(_WORDS, in_capacity)
        return found


def words_query(typed: str, column: str | None = None) -> str | None:
    """An FTS5 query for records holding each word typed, as the start of one of their words, in
    any order; None when nothing typed is a word. A word is a run of letters and digits, as the
    index cuts them: ``o'brien`` is two, each looked for alone (the index keeps no places, so no
    phrase can be asked for), and signs and FTS5's own words (AND, NOT) are only ever text."""
    words = _WORD.findall(typed)
    if not words:
        return None
    query = " AND ".join(f'"{word}"*' for word in words)
    return f"{column or TEXTS} : ({query})"


TEXTS = "{title fields capacities}"
"""The index's columns of text (its last, the kind, is no text to search)."""


_WORD = re.compile(r"[^\W_]+")


def chronology_of(db: sqlite3.Connection, filters: Filters = Filters()) -> list[TimelineRow]:
    """The meetings and statements that pass ``filters``, by their earliest possible day."""
    chronology = Chronology(db)
    return chronology.rows(chronology.matching(filters))


def dates_of(db: sqlite3.Connection, filters: Filters, chronology: Chronology | None = None,
             ) -> list[tuple[str, str, str, int]]:
    """(kind, first day, last day, how many) of the records that pass ``filters``: what an
    activity chart of them counts."""
    counted: Counter[tuple[str, str, str]] = Counter(
        (entry.kind, entry.lo, entry.hi) for entry in (chronology or Chronology(db)).matching(filters))
    return [(*key, count) for key, count in counted.items()]
