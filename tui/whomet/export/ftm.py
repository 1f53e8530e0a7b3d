"""FollowTheMoney entities, as Aleph and OpenAleph load them (``alephclient write-entities``).

Entities are built with the ``followthemoney`` library itself, so every value is cleaned
and checked by the model Aleph uses (countries become codes, dates are checked), not by
our reading of it. The library is an optional extra: ``pip install 'whomet[ftm]'``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..index import Index
from ..model import FuzzyDate, Meeting, Organization, Person, Record, Role, Source, Statement


class ExportError(Exception):
    """An export that cannot be made here, with the reason."""


ORGANIZATION_SCHEMA = {
    "public body": "PublicBody", "legislature": "PublicBody", "committee": "PublicBody",
    "embassy": "PublicBody", "government": "PublicBody",
    "company": "Company", "law firm": "Company", "bank": "Company", "news organization": "Company",
}
"""The FtM schema of each organization type; the rest are plain Organizations."""

OFFICE_TYPES = {"public body", "legislature", "committee", "embassy", "government"}
"""Organization types whose roles are public offices: an Occupancy of a Position."""

EMPLOYER_TYPES = {"company", "law firm", "bank", "news organization", "campaign", "think tank"}
"""Organization types whose roles are jobs: an Employment. Other roles are Memberships."""


def _iso(date: Any, precision: str) -> str:
    return date.isoformat()[: {"year": 4, "month": 7, "day": 10}[precision]]


def ftm_dates(when: FuzzyDate) -> dict[str, str]:
    """``date`` at the precision FtM can hold, and for an interval ``startDate`` and ``endDate``.

    FtM dates are ISO prefixes with no qualifiers; an interval's ``date`` is what both its
    bounds share (16–30 Apr 2016 is "2016-04"), left out when they share not even a year.
    """
    if when.end is None:
        return {"date": _iso(when.lower, when.start.precision)}
    dates = {"startDate": _iso(when.lower, when.start.precision), "endDate": _iso(when.upper, when.end.precision)}
    lower, upper = when.lower.isoformat(), when.upper.isoformat()
    shared = next((cut for cut in (10, 7, 4) if lower[:cut] == upper[:cut]), None)
    if shared is not None:
        dates["date"] = lower[:shared]
    return dates


def to_ftm(index: Index) -> Iterator[dict[str, Any]]:
    """Every record (and every citation and role) as FtM entity dicts, references first."""
    try:
        from followthemoney import model
    except ImportError as error:  # pragma: no cover - depends on what is installed
        raise ExportError(
            "the FollowTheMoney export needs the followthemoney library: pip install 'whomet[ftm]'"
        ) from error

    def entity(schema: str, entity_id: str, **properties: Any) -> dict[str, Any]:
        proxy = model.make_entity(schema)
        proxy.id = entity_id
        for name, values in properties.items():
            for value in values if isinstance(values, (list, tuple)) else [values]:
                if value not in (None, ""):
                    proxy.add(name, value, quiet=True)
        return proxy.to_dict()

    ordered: list[Record] = sorted(index.records.values(), key=lambda r: (
        ("source", "organization", "person", "meeting", "statement").index(r.kind), r.id))
    for record in ordered:
        if isinstance(record, Source):
            yield entity("Article", record.id, title=record.title, author=record.authors,
                         publisher=record.publisher, sourceUrl=record.url, summary=record.summary,
                         publishedAt=ftm_dates(record.published).get("date") if record.published else None)
        elif isinstance(record, Organization):
            parent = record.parent if record.parent in index else None
            yield entity(ORGANIZATION_SCHEMA.get(record.type, "Organization"), record.id, name=record.name,
                         alias=record.aliases, country=record.country, summary=record.summary, parent=parent)
        elif isinstance(record, Person):
            yield entity("Person", record.id, name=record.name, alias=record.aliases,
                         nationality=record.nationality, summary=record.summary)
            for number, role in enumerate(record.roles, start=1):
                yield from _role(entity, index, record, role, f"{record.id}.role.{number}")
        elif isinstance(record, Meeting):
            yield entity("Event", record.id, name=record.title, location=record.place,
                         summary=record.summary, involved=[p.who for p in record.participants if p.who in index],
                         notes=[f"{record.type}; {record.status}"] + ([record.date_text] if record.date_text else []),
                         **ftm_dates(record.date))
        elif isinstance(record, Statement):
            yield entity("Event", record.id, name=_statement_name(index, record), description=record.quote,
                         summary=record.summary, involved=[record.speaker] if record.speaker in index else [],
                         notes=[n for n in (record.setting, "under oath" if record.under_oath else "",
                                            f"question: {record.question}" if record.question else "",
                                            record.date_text) if n],
                         **ftm_dates(record.date))
            for number, about in enumerate(record.about, start=1):
                if about.meeting in index:
                    yield entity("UnknownLink", f"{record.id}.about.{number}", subject=record.id,
                                 object=about.meeting, role=about.stance)
        if isinstance(record, (Meeting, Statement)):
            for number, citation in enumerate(record.citations, start=1):
                if citation.source in index:
                    yield entity("Documentation", f"{record.id}.citation.{number}", document=citation.source,
                                 entity=record.id, summary=citation.excerpt, role="citation")


def _statement_name(index: Index, statement: Statement) -> str:
    speaker = index.get(statement.speaker)
    who = speaker.label if speaker is not None else statement.speaker
    return f"{who}: {statement.occasion}" if statement.occasion else f"Statement by {who}"


def _role(entity: Any, index: Index, person: Person, role: Role, role_id: str) -> Iterator[dict[str, Any]]:
    organization = index.get(role.organization) if role.organization else None
    dates = {}
    if role.start is not None:
        dates["startDate"] = _iso(role.start.lower, role.start.start.precision)
    if role.end is not None:
        end = role.end.end or role.end.start
        dates["endDate"] = _iso(role.end.upper, end.precision)
    kind = organization.type if isinstance(organization, Organization) else None
    if organization is None or kind in OFFICE_TYPES:
        yield entity("Position", f"{role_id}.position", name=role.title,
                     organization=organization.id if organization else None)
        yield entity("Occupancy", role_id, holder=person.id, post=f"{role_id}.position", **dates)
    elif kind in EMPLOYER_TYPES:
        yield entity("Employment", role_id, employee=person.id, employer=organization.id, role=role.title, **dates)
    else:
        yield entity("Membership", role_id, member=person.id, organization=organization.id, role=role.title, **dates)
