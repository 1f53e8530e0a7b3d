"""Fuzzy dates: the subset of EDTF (Library of Congress) that reporting needs.

Accepted forms: ``2016``, ``2016-09``, ``2016-09-08``, each optionally followed by
``~`` (approximate), ``?`` (uncertain) or ``%`` (both), and an interval of two of
them, ``2016-04-16/2016-04-30``.

The parser is our own rather than the ``edtf`` package's because importing that
package costs more than half of the app's start-up budget (pyparsing); the test
suite checks that both agree on every form accepted here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_POINT = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qualifier>[~?%])?")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DateError(ValueError):
    """A date string that is not a date whomet can read."""


@dataclass(frozen=True, slots=True)
class DatePoint:
    """One end of a date: a year, a month or a day, perhaps qualified."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def lower(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def upper(self) -> date:
        if self.day is not None:
            return date(self.year, self.month or 1, self.day)
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    def edtf(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + _qualifier(self.approximate, self.uncertain)

    def display(self, *, with_year: bool = True, with_month: bool = True) -> str:
        parts: list[str] = []
        if self.day is not None:
            parts.append(str(self.day))
        if self.month is not None and with_month:
            parts.append(MONTHS[self.month - 1])
        if with_year:
            parts.append(str(self.year))
        text = " ".join(parts)
        if self.approximate:
            text = "c. " + text
        if self.uncertain:
            text += "?"
        return text


def _qualifier(approximate: bool, uncertain: bool) -> str:
    if approximate and uncertain:
        return "%"
    if approximate:
        return "~"
    if uncertain:
        return "?"
    return ""


def _parse_point(text: str, whole: str) -> DatePoint:
    match = _POINT.fullmatch(text)
    if match is None:
        raise DateError(
            f"{whole!r} is not a date; write it as 2016, 2016-09, 2016-09-08, "
            "an interval 2016-04-16/2016-04-30, with ~ for approximate or ? for uncertain"
        )
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if year == 0:
        raise DateError(f"{whole!r}: there is no year 0")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{whole!r}: there is no month {month}")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(f"{whole!r}: {MONTHS[month - 1]} {year} has {last} days, not {day}")
    qualifier = match["qualifier"] or ""
    return DatePoint(year, month, day, approximate=qualifier in "~%" and bool(qualifier),
                     uncertain=qualifier in "?%" and bool(qualifier))


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date at the precision the source gives, or an interval of two."""

    start: DatePoint
    end: DatePoint | None = None

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        if not isinstance(text, str):
            raise DateError(f"{text!r} is not a date string")
        text = text.strip()
        if "/" in text:
            first, _, second = text.partition("/")
            start, end = _parse_point(first, text), _parse_point(second, text)
            if end.upper < start.lower:
                raise DateError(f"{text!r}: the interval ends before it starts")
            return cls(start, end)
        return cls(_parse_point(text, text))

    @property
    def lower(self) -> date:
        return self.start.lower

    @property
    def upper(self) -> date:
        return (self.end or self.start).upper

    @property
    def sort_key(self) -> tuple[date, date]:
        return (self.lower, self.upper)

    def overlaps(self, lower: date | None, upper: date | None) -> bool:
        """Whether this date could fall within [lower, upper]; ``None`` is open."""
        if lower is not None and self.upper < lower:
            return False
        if upper is not None and self.lower > upper:
            return False
        return True

    def edtf(self) -> str:
        if self.end is None:
            return self.start.edtf()
        return f"{self.start.edtf()}/{self.end.edtf()}"

    def __str__(self) -> str:
        return self.edtf()

    def display(self) -> str:
        """The date as a reader would write it, never more precise than it is."""
        start, end = self.start, self.end
        if end is None:
            return start.display()
        plain = not (start.approximate or start.uncertain or end.approximate or end.uncertain)
        if plain and start.precision == end.precision and start.year == end.year:
            if start.precision == "day" and start.month == end.month:
                return f"{start.day}–{end.display()}"
            if start.precision == "day":
                return f"{start.display(with_year=False)} – {end.display()}"
            if start.precision == "month":
                return f"{start.display(with_year=False)}–{end.display()}"
        return f"{start.display()} – {end.display()}"

    # pydantic integration: validated from a string (or a TOML date), stored as EDTF text.
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def validate(value: Any) -> FuzzyDate:
            if isinstance(value, FuzzyDate):
                return value
            if isinstance(value, date):
                return cls.parse(value.isoformat())
            if isinstance(value, str):
                try:
                    return cls.parse(value)
                except DateError as error:
                    raise ValueError(str(error)) from None
            raise ValueError(f"a date must be text such as \"2016-09\", not {type(value).__name__}")

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda d: d.edtf()),
            json_schema_input_schema=core_schema.str_schema(),
        )
