"""What a record names: the links from it to other records, with how it names them."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .records import Record


class Link(NamedTuple):
    """``source`` names ``target``; ``relation`` says how (participant, speaker, denies, citation...).

    A tuple, as the cache writes it: every record's links are made each time its file is read,
    and a tuple is made in a third of the time a frozen dataclass takes."""

    source: str
    target: str
    relation: str
    detail: str = ""


def links_of(record: Record) -> list[Link]:
    """Every link that starts at ``record``, in the order its fields give them.

    Records are told apart by their kind, not their class, so that this module does not import
    the models (and pydantic): the first screen is drawn from the cache without them."""
    links: list[Link] = []
    add = links.append
    kind = record.kind
    if kind == "person":
        for role in record.roles:
            if role.organization:
                add(Link(record.id, role.organization, "role", role.title))
            for source in role.sources:
                add(Link(record.id, source, "role source", role.title))
    elif kind == "organization":
        if record.parent:
            add(Link(record.id, record.parent, "part of"))
    elif kind == "meeting":
        for participant in record.participants:
            add(Link(record.id, participant.who, "participant", participant.capacity))
    elif kind == "statement":
        add(Link(record.id, record.speaker, "speaker"))
        if record.asked_by:
            add(Link(record.id, record.asked_by, "asked by"))
        for about in record.about:
            add(Link(record.id, about.meeting, about.stance))
    if kind in ("meeting", "statement"):
        for citation in record.citations:
            add(Link(record.id, citation.source, "citation", citation.excerpt))
            if citation.original:
                add(Link(record.id, citation.original, "original report", citation.excerpt))
    return links


RELATION_KINDS: dict[str, tuple[str, ...]] = {
    "role": ("organization",),
    "role source": ("source",),
    "part of": ("organization",),
    "participant": ("person", "organization"),
    "speaker": ("person", "organization"),
    "asked by": ("person", "organization"),
    "citation": ("source",),
    "original report": ("source",),
}
"""The kinds a link's target may be, by relation; a statement's stances name meetings."""


def target_kinds(relation: str) -> tuple[str, ...]:
    return RELATION_KINDS.get(relation, ("meeting",))
