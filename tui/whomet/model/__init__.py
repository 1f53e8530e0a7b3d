"""Records as pydantic models and fuzzy dates; no I/O and no user interface.

The names below are imported on first use, so that ``whomet.model.kinds`` can be read without
importing pydantic (see that module).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import names_from_modules

_HOME = {
    "DateError": "dates", "DatePoint": "dates", "FuzzyDate": "dates",
    **{name: "records" for name in (
        "FOLDERS", "KINDS", "STANCES", "About", "Citation", "Media", "Meeting", "Organization", "Participant",
        "Person", "Record", "Role", "Source", "Statement", "ValidationError", "slugify",
    )},
    "SLUG_PATTERN": "kinds",
}

__all__ = [
    "FOLDERS", "KINDS", "SLUG_PATTERN", "STANCES", "About", "Citation", "DateError", "DatePoint",
    "FuzzyDate", "Media", "Meeting", "Organization", "Participant", "Person", "Record", "Role", "Source",
    "Statement", "ValidationError", "slugify",
]


__getattr__ = names_from_modules(__name__, _HOME)

if TYPE_CHECKING:
    from .dates import DateError, DatePoint, FuzzyDate
    from .kinds import SLUG_PATTERN
    from .records import (
        FOLDERS, KINDS, STANCES, About, Citation, Media, Meeting, Organization, Participant, Person, Record, Role,
        Source, Statement, ValidationError, slugify,
    )
