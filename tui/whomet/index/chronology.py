"""Every meeting and statement of a casefile in date order, as filters choose them: who was there
(all of them, or any), the kind, the stance a statement takes, a span of dates, words."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

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

    def said(self) -> str:
        """The filters in force, in words, for a title."""
        parts = []
        if self.parties:
            parts.append((" & " if self.every_party else " | ").join(self.parties))
        if self.kinds:
            parts.append(" or ".join(f"{kind}s" for kind in self.kinds))
        if self.stances:
            parts.append(" or ".join(self.stances))
        if self.first_day or self.last_day:
            parts.append(f"{self.first_day or '…'} – {self.last_day or '…'}")
        if self.words:
            parts.append(f"“{self.words}”")
        return " · ".join(parts)


_WITH = ("EXISTS (SELECT 1 FROM links l WHERE l.source = r.id AND l.target = ? "
         "AND l.relation IN ('participant', 'speaker'))")


def chronology_of(db: sqlite3.Connection, filters: Filters = Filters()) -> list[TimelineRow]:
    """The meetings and statements that pass ``filters``, by their earliest possible day."""
    where = ["r.kind IN ('meeting', 'statement')"]
    values: list[object] = []
    if filters.kinds:
        where.append(f"r.kind IN ({', '.join('?' * len(filters.kinds))})")
        values += filters.kinds
    if filters.parties:
        joined = " AND " if filters.every_party else " OR "
        where.append("(" + joined.join([_WITH] * len(filters.parties)) + ")")
        values += filters.parties
    if filters.stances:
        where.append("EXISTS (SELECT 1 FROM links s WHERE s.source = r.id AND s.relation IN "
                     f"({', '.join('?' * len(filters.stances))}))")
        values += filters.stances
    if filters.first_day:
        where.append("r.sort_lo >= ?")
        values.append(filters.first_day)
    if filters.last_day:
        where.append("r.sort_hi <= ?")
        values.append(filters.last_day)
    if filters.words:
        # instr, not LIKE: the words typed are words, never a pattern.
        where.append("(instr(lower(r.title), lower(?)) > 0 OR instr(lower(r.fields), lower(?)) > 0)")
        values += [filters.words, filters.words]
    rows = db.execute(f"""
        SELECT r.id, r.kind, r.when_text, r.what, r.title, r.speaker, r.flag
        FROM records r WHERE {' AND '.join(where)}
        ORDER BY r.sort_lo, r.sort_hi, r.id""", values)
    return [TimelineRow(*row) for row in rows]
