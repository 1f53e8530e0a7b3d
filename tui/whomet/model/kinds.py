"""The kinds of record, the folders that hold them and what an id may look like.

Kept apart from the models so that a look at a casefile's files can start before pydantic is
imported (that import costs a tenth of a second of every launch).
"""

from __future__ import annotations

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
"""An id: lower-case letters, digits and single hyphens, as in a file name."""

FOLDER_OF: dict[str, str] = {
    "person": "people",
    "organization": "organizations",
    "meeting": "meetings",
    "statement": "statements",
    "source": "sources",
}
"""The folder of each kind of record, by the kind's name."""

KIND_IN: dict[str, str] = {folder: kind for kind, folder in FOLDER_OF.items()}
"""The kind of record each folder holds, by the folder's name."""

MEETING_TYPES: tuple[str, ...] = (
    "in person", "dinner", "reception", "roundtable", "speech", "rally", "call",
    "correspondence", "hearing", "series", "event", "other",
)
MEETING_STATUSES: tuple[str, ...] = ("confirmed", "alleged", "disputed")
STATEMENT_SETTINGS: tuple[str, ...] = (
    "hearing", "testimony", "press conference", "written statement", "interview", "speech",
    "letter", "press briefing", "remarks", "filing", "social media", "other",
)
"""What a meeting's ``type`` and ``status`` and a statement's ``setting`` may be: here, so that the
command line's choices and the chronology's filters need not import the models."""

TYPES_AND_SETTINGS: tuple[str, ...] = tuple(dict.fromkeys((*MEETING_TYPES, *STATEMENT_SETTINGS)))
"""What the chronology's type filter takes: a meeting's type or a statement's setting alike."""
