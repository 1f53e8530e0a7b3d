"""Records as pydantic models and fuzzy dates; no I/O and no user interface."""

from .dates import DateError, DatePoint, FuzzyDate
from .records import (
    FOLDERS, KINDS, SLUG_PATTERN, STANCES, About, Citation, Meeting, Organization, Participant,
    Person, Record, Role, Source, Statement, slugify,
)

__all__ = [
    "FOLDERS", "KINDS", "SLUG_PATTERN", "STANCES", "About", "Citation", "DateError", "DatePoint",
    "FuzzyDate", "Meeting", "Organization", "Participant", "Person", "Record", "Role", "Source",
    "Statement", "slugify",
]
