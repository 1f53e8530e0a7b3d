"""The five kinds of record in a casefile, as pydantic models.

A record's id is not written in its file: it is the file's name. Unknown keys are
refused so that a misspelt field is reported instead of silently dropped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from .dates import FuzzyDate
from .kinds import FOLDER_OF, MEETING_STATUSES, MEETING_TYPES, SLUG_PATTERN, STATEMENT_SETTINGS

__all__ = [
    "FOLDERS", "KINDS", "STANCES", "About", "Citation", "Media", "Meeting", "Organization", "Participant", "Person",
    "Record", "Role", "Source", "Statement", "ValidationError", "slugify",
]
"""What ``whomet.model`` offers from here; ``ValidationError`` is what validating a record raises."""


def slugify(text: str, limit: int = 80) -> str:
    """An id made from words: lower-case ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:limit].strip("-")


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
"""An id: lower-case letters, digits and single hyphens, as in a file name."""

Ref = Slug
"""The id of another record in the casefile."""

Text = Annotated[str, StringConstraints(strip_whitespace=False)]
Name = Annotated[str, StringConstraints(min_length=1)]
Tag = Annotated[str, StringConstraints(pattern=r"^\S(?:[^\n\r]*\S)?$", max_length=60)]
"""A thread of the reporting a record belongs to (``Flynn``, ``Manafort and Gates``): a short name
on one line, with no space at either end."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class Citation(_Strict):
    """Where a claim comes from: a source and the words in it that support the claim."""

    source: Ref
    excerpt: Text = Field(min_length=1)
    original: Ref | None = None
    """The earlier report the excerpt credits, when the source relays another's reporting."""

    def sources(self) -> list[str]:
        return [self.source] + ([self.original] if self.original else [])


class Media(_Strict):
    """An illustration of a record (a photograph, a document's scan): not a report, no source."""

    url: Name
    credit: Text = ""
    caption: Text = ""


class Role(_Strict):
    """A position a person held, with the dates the sources give for it."""

    title: Name
    organization: Ref | None = None
    start: FuzzyDate | None = None
    end: FuzzyDate | None = None
    sources: list[Ref] = Field(default_factory=list)

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Role:
        if self.start is not None and self.end is not None and self.end.upper < self.start.lower:
            raise ValueError(f"the role ends ({self.end.display()}) before it starts ({self.start.display()})")
        return self

    def held_during(self, when: FuzzyDate) -> bool:
        """Whether the role could have been held at some point of ``when``."""
        if self.start is not None and when.upper < self.start.lower:
            return False
        if self.end is not None and when.lower > self.end.upper:
            return False
        return True


class Participant(_Strict):
    who: Ref
    capacity: Text = ""
    """The capacity claimed or reported, such as "as senator"."""


Stance = Literal["denies", "confirms", "amends", "mentions"]
STANCES: tuple[str, ...] = ("denies", "confirms", "amends", "mentions")


class About(_Strict):
    """A meeting a statement speaks of, and what the statement says of it."""

    meeting: Ref
    stance: Stance


class Record(_Strict):
    """What every kind shares: the id, taken from the file name."""

    kind: ClassVar[str]
    folder: ClassVar[str]
    id: Slug

    @property
    def label(self) -> str:
        """A one-line name for lists; each kind has its own."""
        return self.id

    def references(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """Every id this record names: (field path, id, kinds it may be)."""
        return []

    def to_toml_dict(self) -> dict[str, Any]:
        """The record as it is written to its file: no id, no empty optional fields."""
        return self.model_dump(mode="json", exclude={"id"}, exclude_defaults=True)

    def field_values(self) -> dict[str, Any]:
        """Every field as TOML has it, defaults included, in the model's order (no id): what two
        versions of a record are compared by, field by field."""
        return self.model_dump(mode="json", exclude={"id"})


PARTY_KINDS = ("person", "organization")

REFERENCE_KINDS: dict[str, tuple[str, ...]] = {
    "organization": ("organization",),
    "parent": ("organization",),
    "sources": ("source",),
    "source": ("source",),
    "original": ("source",),
    "who": PARTY_KINDS,
    "speaker": PARTY_KINDS,
    "asked_by": PARTY_KINDS,
    "meeting": ("meeting",),
}
"""The kinds of record each reference field may name, by field name."""


class Person(Record):
    kind: ClassVar[str] = "person"
    folder: ClassVar[str] = FOLDER_OF[kind]

    name: Name
    aliases: list[Name] = Field(default_factory=list)
    summary: Text = ""
    nationality: Text = ""
    roles: list[Role] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name

    def references(self) -> list[tuple[str, str, tuple[str, ...]]]:
        refs: list[tuple[str, str, tuple[str, ...]]] = []
        for i, role in enumerate(self.roles):
            if role.organization:
                refs.append((f"roles.{i}.organization", role.organization, ("organization",)))
            refs += [(f"roles.{i}.sources.{j}", s, ("source",)) for j, s in enumerate(role.sources)]
        return refs


OrganizationKind = Literal[
    "public body", "legislature", "committee", "embassy", "government", "campaign",
    "political party", "company", "law firm", "bank", "think tank", "news organization",
    "club", "venue", "other",
]


class Organization(Record):
    kind: ClassVar[str] = "organization"
    folder: ClassVar[str] = FOLDER_OF[kind]

    name: Name
    aliases: list[Name] = Field(default_factory=list)
    type: OrganizationKind = "other"
    country: Text = ""
    parent: Ref | None = None
    summary: Text = ""
    tags: list[Tag] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name

    def references(self) -> list[tuple[str, str, tuple[str, ...]]]:
        return [("parent", self.parent, ("organization",))] if self.parent else []


MeetingKind = Literal[MEETING_TYPES]  # type: ignore[valid-type]
MeetingStatus = Literal[MEETING_STATUSES]  # type: ignore[valid-type]


def _citation_refs(citations: list[Citation]) -> list[tuple[str, str, tuple[str, ...]]]:
    refs: list[tuple[str, str, tuple[str, ...]]] = []
    for i, citation in enumerate(citations):
        refs.append((f"citations.{i}.source", citation.source, ("source",)))
        if citation.original:
            refs.append((f"citations.{i}.original", citation.original, ("source",)))
    return refs


class Meeting(Record):
    """An encounter, reported or alleged; ``type = "event"`` for one that was not a meeting."""

    kind: ClassVar[str] = "meeting"
    folder: ClassVar[str] = FOLDER_OF[kind]

    title: Name
    date: FuzzyDate
    date_text: Text = ""
    place: Text = ""
    type: MeetingKind = "in person"
    status: MeetingStatus = "confirmed"
    summary: Text = ""
    participants: list[Participant] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)
    media: list[Media] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.title

    def references(self) -> list[tuple[str, str, tuple[str, ...]]]:
        refs = [(f"participants.{i}.who", p.who, PARTY_KINDS) for i, p in enumerate(self.participants)]
        return refs + _citation_refs(self.citations)


StatementSetting = Literal[STATEMENT_SETTINGS]  # type: ignore[valid-type]


class Statement(Record):
    """Words someone said or wrote, verbatim, and the meetings they speak of."""

    kind: ClassVar[str] = "statement"
    folder: ClassVar[str] = FOLDER_OF[kind]

    speaker: Ref
    date: FuzzyDate
    date_text: Text = ""
    setting: StatementSetting = "other"
    occasion: Text = ""
    under_oath: bool = False
    quote: Text = Field(min_length=1)
    question: Text = ""
    asked_by: Ref | None = None
    summary: Text = ""
    about: list[About] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)
    media: list[Media] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.occasion or _first_line(self.quote)

    def references(self) -> list[tuple[str, str, tuple[str, ...]]]:
        refs: list[tuple[str, str, tuple[str, ...]]] = [("speaker", self.speaker, PARTY_KINDS)]
        if self.asked_by:
            refs.append(("asked_by", self.asked_by, PARTY_KINDS))
        refs += [(f"about.{i}.meeting", a.meeting, ("meeting",)) for i, a in enumerate(self.about)]
        return refs + _citation_refs(self.citations)


SourceKind = Literal[
    "article", "transcript", "letter", "filing", "report", "broadcast", "statement", "document", "other",
]


class Source(Record):
    kind: ClassVar[str] = "source"
    folder: ClassVar[str] = FOLDER_OF[kind]

    title: Name
    publisher: Text = ""
    authors: list[Name] = Field(default_factory=list)
    published: FuzzyDate | None = None
    url: Text = ""
    type: SourceKind = "article"
    summary: Text = ""
    archive: Text = ""
    """The source's archived copy: a file inside the casefile (``sources/<id>.txt``, .md, .html or
    .pdf) that quotes and excerpts citing it are checked against."""
    archived_at: Text = ""
    """When the archive was fetched or saved (ISO 8601, UTC)."""
    archive_sha256: Text = ""
    """The SHA-256 digest of the archive's file when it was archived."""

    @property
    def label(self) -> str:
        return self.title


def _first_line(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


KINDS: dict[str, type[Record]] = {
    cls.kind: cls for cls in (Person, Organization, Meeting, Statement, Source)
}
"""Every kind of record by its name."""

FOLDERS: dict[str, type[Record]] = {cls.folder: cls for cls in KINDS.values()}
"""Every kind of record by the folder that holds it."""
