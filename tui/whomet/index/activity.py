"""How many meetings (and statements) a person, an organization or the whole casefile has per
month, ISO week or year, read from the cache's dates, and the days a person's roles began and ended.

A record is counted in a bar only when every day it may have happened on lies in that bar: one
known only to the year has no month bar. Such records are counted apart, per the span of days they
may fall in ("2016, month unknown: 4"), so that no bar claims what the records do not say.
"""

from __future__ import annotations

import calendar
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from ..model.dates import MONTHS, DatePoint, FuzzyDate

if TYPE_CHECKING:
    from ..model import Record

Period = Literal["month", "week", "year"]
PERIODS: tuple[Period, ...] = ("month", "week", "year")

_NO_DATE = date.max.isoformat()
"""What the cache holds as the day of a record without one."""

Key = tuple[int, int]
"""A bar: (year, month), (ISO year, ISO week) or (year, 0)."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One month, week or year, and what happened in it for certain."""

    key: str
    """``2016-03``, ``2016-W09`` or ``2016``."""
    label: str
    """``Mar 2016``, ``W9 2016`` (the week of 29 Feb 2016) or ``2016``."""
    first: date
    last: date
    meetings: int = 0
    statements: int = 0

    @property
    def total(self) -> int:
        return self.meetings + self.statements


@dataclass(frozen=True, slots=True)
class Apart:
    """Records whose dates span more than one bar, counted together per the days they may fall in."""

    label: str
    """The span and what is not known of it: ``2016, month unknown``, ``28 Jun – 31 Dec 2016, month unknown``."""
    first: date | None
    """The span's first day; None for records with no date at all."""
    last: date | None
    meetings: int = 0
    statements: int = 0

    @property
    def total(self) -> int:
        return self.meetings + self.statements


@dataclass(frozen=True, slots=True)
class Mark:
    """A role of the person beginning or ending, for the time axis."""

    change: Literal["starts", "ends"]
    title: str
    when: str
    """The date as the records give it (``3 Mar 2016``, ``2016``)."""
    first: date
    last: date
    bar: str | None
    """The key of the bar the day falls in; None when it may fall in more than one bar, or in none
    of those shown: such a mark is listed, never drawn at a place it may not be."""


@dataclass(frozen=True, slots=True)
class Activity:
    """The bars from the first to the last counted (empty ones too), the records counted apart and
    the role marks."""

    party: str | None
    """The person or organization; None for the whole casefile."""
    label: str
    period: Period
    statements: bool
    """Whether statements are counted as well as meetings."""
    bars: tuple[Bar, ...]
    apart: tuple[Apart, ...]
    marks: tuple[Mark, ...] = field(default=())

    @property
    def counted(self) -> int:
        return sum(bar.total for bar in self.bars)

    @property
    def counted_apart(self) -> int:
        return sum(group.total for group in self.apart)

    def to_json(self) -> dict:
        return {
            "party": self.party, "label": self.label, "by": self.period, "statements": self.statements,
            "bars": [{"key": b.key, "label": b.label, "first": b.first.isoformat(), "last": b.last.isoformat(),
                      "meetings": b.meetings, **({"statements": b.statements} if self.statements else {})}
                     for b in self.bars],
            # Records whose dates span more than one bar: counted in none, per the span they may fall in.
            "not_in_any_bar": [{"label": a.label, "first": a.first and a.first.isoformat(),
                       "last": a.last and a.last.isoformat(), "meetings": a.meetings,
                       **({"statements": a.statements} if self.statements else {})} for a in self.apart],
            "marks": [{"change": m.change, "title": m.title, "when": m.when, "first": m.first.isoformat(),
                       "last": m.last.isoformat(), "bar": m.bar} for m in self.marks],
        }


# ---------------------------------------------------------------- the periods


def key_of(day: date, period: Period) -> Key:
    if period == "month":
        return (day.year, day.month)
    if period == "week":
        year, week, _ = day.isocalendar()
        return (year, week)
    return (day.year, 0)


def days_of(key: Key, period: Period) -> tuple[date, date]:
    """The first and last day of a bar."""
    year, part = key
    if period == "month":
        return date(year, part, 1), date(year, part, calendar.monthrange(year, part)[1])
    if period == "week":
        monday = date.fromisocalendar(year, part, 1)
        return monday, monday + timedelta(days=6)
    return date(year, 1, 1), date(year, 12, 31)


def _next(key: Key, period: Period) -> Key:
    return key_of(days_of(key, period)[1] + timedelta(days=1), period)


def _named(key: Key, period: Period) -> tuple[str, str]:
    year, part = key
    if period == "month":
        return f"{year}-{part:02d}", f"{MONTHS[part - 1]} {year}"
    if period == "week":
        return f"{year}-W{part:02d}", f"W{part} {year}"
    return str(year), str(year)


def span_text(first: date, last: date) -> str:
    """The days from ``first`` to ``last`` as a reader writes them: ``2016``, ``Apr–Jun 2016``,
    ``28 Jun – 31 Dec 2016``."""
    whole_years = (first.month, first.day, last.month, last.day) == (1, 1, 12, 31)
    whole_months = first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]
    if whole_years:
        start, end = DatePoint(first.year), DatePoint(last.year)
    elif whole_months:
        start, end = DatePoint(first.year, first.month), DatePoint(last.year, last.month)
    else:
        start, end = DatePoint(first.year, first.month, first.day), DatePoint(last.year, last.month, last.day)
    return FuzzyDate(start, None if start == end else end).display()


# ---------------------------------------------------------------- counting


def count(dated: Iterable[tuple[str, str, str, int]], period: Period, *, party: str | None = None,
          label: str = "", statements: bool = False, roles: Iterable[tuple[str, FuzzyDate | None, FuzzyDate | None]] = (),
          ) -> Activity:
    """The activity of ``dated``: (kind, first day, last day, how many) with the days as the cache
    holds them (ISO dates), kind ``meeting`` or ``statement``. ``roles``: (title, start, end)."""
    per_bar: dict[Key, list[int]] = {}
    per_span: dict[tuple[str, str], list[int]] = {}
    which = {"meeting": 0, "statement": 1}
    for kind, lo, hi, how_many in dated:
        if kind not in which or (kind == "statement" and not statements):
            continue
        if lo == _NO_DATE:
            per_span.setdefault(("", ""), [0, 0])[which[kind]] += how_many
            continue
        first, last = key_of(date.fromisoformat(lo), period), key_of(date.fromisoformat(hi), period)
        if first == last:
            per_bar.setdefault(first, [0, 0])[which[kind]] += how_many
        else:
            per_span.setdefault((lo, hi), [0, 0])[which[kind]] += how_many
    bars: list[Bar] = []
    if per_bar:
        key, last_key = min(per_bar), max(per_bar)
        while key <= last_key:
            meetings, said = per_bar.get(key, (0, 0))
            bars.append(Bar(*_named(key, period), *days_of(key, period), meetings, said))
            key = _next(key, period)
    apart = [_apart(lo, hi, period, meetings, said) for (lo, hi), (meetings, said) in sorted(
        per_span.items(), key=lambda item: (item[0][0] or _NO_DATE, item[0][1] or _NO_DATE))]
    return Activity(party, label, period, statements, tuple(bars), tuple(apart), tuple(_marks(roles, period, bars)))


def _apart(lo: str, hi: str, period: Period, meetings: int, said: int) -> Apart:
    if not lo:
        return Apart("date unknown", None, None, meetings, said)
    first, last = date.fromisoformat(lo), date.fromisoformat(hi)
    return Apart(f"{span_text(first, last)}, {period} unknown", first, last, meetings, said)


def _marks(roles: Iterable[tuple[str, FuzzyDate | None, FuzzyDate | None]], period: Period,
           bars: list[Bar]) -> list[Mark]:
    shown = {bar.key for bar in bars}
    made: list[Mark] = []
    for title, start, end in roles:
        for change, when in (("starts", start), ("ends", end)):
            if when is None:
                continue
            first, last = key_of(when.lower, period), key_of(when.upper, period)
            key = _named(first, period)[0] if first == last else None
            made.append(Mark(change, title, when.display(), when.lower, when.upper,  # type: ignore[arg-type]
                             key if key in shown else None))
    made.sort(key=lambda mark: (mark.first, mark.last))
    return made


# ---------------------------------------------------------------- from the cache

_OF_PARTY = """
SELECT r.kind, r.sort_lo, r.sort_hi, count(DISTINCT r.id)
FROM links l JOIN records r ON r.id = l.source
WHERE l.target = ? AND ((l.relation = 'participant' AND r.kind = 'meeting')
                        OR (l.relation = 'speaker' AND r.kind = 'statement'))
GROUP BY r.kind, r.sort_lo, r.sort_hi
"""

_OF_CASEFILE = """
SELECT kind, sort_lo, sort_hi, count(*) FROM records
WHERE kind IN ('meeting', 'statement')
GROUP BY kind, sort_lo, sort_hi
"""


def read_dates(db: sqlite3.Connection, party: str | None) -> list[tuple[str, str, str, int]]:
    """(kind, first day, last day, how many) of the meetings ``party`` took part in and the
    statements they made; of the whole casefile when ``party`` is None."""
    if party is None:
        return db.execute(_OF_CASEFILE).fetchall()
    return db.execute(_OF_PARTY, (party,)).fetchall()


def roles_of(record: Record | None) -> list[tuple[str, FuzzyDate | None, FuzzyDate | None]]:
    """(title, start, end) of each role of a person; none for other records."""
    return [(role.title, role.start, role.end) for role in getattr(record, "roles", None) or ()]


def activity_of(cache, party: str | None = None, *, by: Period = "month", statements: bool = False,  # noqa: ANN001
             dates: list[tuple[str, str, str, int]] | None = None, label: str = "the casefile") -> Activity:
    """The activity of ``party`` (None: the whole casefile, or the records ``dates`` gives, under
    ``label``) in ``cache`` (a CaseCache, or anything with its ``db`` and ``record``). ``dates``:
    what :func:`read_dates` (or :func:`~whomet.index.chronology.dates_of`) read, when read before
    (it depends neither on ``by`` nor on ``statements``)."""
    if dates is None:
        dates = read_dates(cache.db, party)
    if party is None:
        return count(dates, by, label=label, statements=statements)
    record = cache.record(party)
    label = record.label if record is not None else party
    return count(dates, by, party=party, label=label, statements=statements, roles=roles_of(record))
