"""FollowTheMoney entities, as Aleph and OpenAleph load them (``alephclient write-entities``).

Entities are built with the ``followthemoney`` library itself, so every value is cleaned
and checked by the model Aleph uses (countries become codes, dates are checked), not by
our reading of it. The library is an optional extra: ``pip install 'whomet[ftm]'``.

What FtM has no property for travels in the entity's ``notes`` as "label: value" lines (a
meeting's type and status, the date as the source wrote it, a participant's capacity, a
statement's setting), so that ``whomet import ftm`` gives the casefile back: see NOTE_LABELS.
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


NOTE_LABELS = {
    "kind": "kind", "type": "type", "status": "status", "date": "date", "date_text": "date as written",
    "setting": "setting", "occasion": "occasion", "question": "question", "nationality": "nationality",
    "country": "country", "published": "published", "start": "start", "end": "end",
}
"""The label of each note that carries a field FtM has no property for ("status: alleged"); a
statement's Event carries "kind: statement", a participant's capacity "capacity of ID: …". A
role's start and end that FtM's dates cannot hold go in its interest's ``description``."""


def note(field: str, value: str) -> str:
    return f"{NOTE_LABELS[field]}: {value}"


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


def _from_ftm_dates(dates: dict[str, str]) -> str | None:
    """The EDTF that ``whomet import ftm`` reads back from ``ftm_dates``."""
    if "startDate" in dates:
        start, end = dates["startDate"], dates.get("endDate", dates["startDate"])
        return start if start == end else f"{start}/{end}"
    return dates.get("date")


def _date_notes(when: FuzzyDate) -> list[str]:
    """A note with the date as written when FtM's dates cannot hold it (a qualifier, ~ or ?)."""
    return [] if _from_ftm_dates(ftm_dates(when)) == when.edtf() else [note("date", when.edtf())]


def _published_notes(when: FuzzyDate | None) -> list[str]:
    """A note with a source's date as written when FtM's ``publishedAt`` (one ISO date) cannot hold it."""
    return [] if when is None or ftm_dates(when).get("date") == when.edtf() else [note("published", when.edtf())]


def _place_notes(field: str, text: str, clean: Any) -> list[str]:
    """A note with a nationality or country as written when FtM's country code would not give it back."""
    if not text:
        return []
    code = clean(text)
    return [] if code is not None and _country_name(code) == text else [note(field, text)]


def _country_name(code: str) -> str:
    from followthemoney.types import registry

    return registry.country.caption(code) or code


def to_ftm(index: Index) -> Iterator[dict[str, Any]]:
    """Every record (and every citation and role) as FtM entity dicts, references first."""
    try:
        from followthemoney import model
    except ImportError as error:  # pragma: no cover - depends on what is installed
        raise ExportError(
            "the FollowTheMoney export needs the followthemoney library: pip install 'whomet[ftm]'"
        ) from error

    from followthemoney.types import registry

    def country(text: str) -> str | None:
        return registry.country.clean(text) if text else None

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
        tags = list(getattr(record, "tags", None) or [])
        if isinstance(record, Source):
            yield entity("Article", record.id, title=record.title, author=record.authors,
                         publisher=record.publisher, sourceUrl=record.url, summary=record.summary,
                         keywords=tags, notes=([note("type", record.type)] if record.type != "article" else [])
                         + _published_notes(record.published),
                         publishedAt=ftm_dates(record.published).get("date") if record.published else None)
        elif isinstance(record, Organization):
            parent = record.parent if record.parent in index else None
            yield entity(ORGANIZATION_SCHEMA.get(record.type, "Organization"), record.id, name=record.name,
                         alias=record.aliases, country=country(record.country), summary=record.summary,
                         parent=parent, classification=record.type, keywords=tags,
                         notes=_place_notes("country", record.country, country))
        elif isinstance(record, Person):
            yield entity("Person", record.id, name=record.name, alias=record.aliases,
                         nationality=country(record.nationality), summary=record.summary, keywords=tags,
                         notes=_place_notes("nationality", record.nationality, country))
            for number, role in enumerate(record.roles, start=1):
                yield from _role(entity, index, record, role, f"{record.id}.role.{number}")
        elif isinstance(record, Meeting):
            participants = [p for p in record.participants if p.who in index]
            yield entity("Event", record.id, name=record.title, location=record.place,
                         summary=record.summary, involved=[p.who for p in participants], keywords=tags,
                         notes=[note("type", record.type), note("status", record.status)]
                         + ([note("date_text", record.date_text)] if record.date_text else [])
                         + _date_notes(record.date)
                         + [f"capacity of {p.who}: {p.capacity}" for p in participants if p.capacity],
                         **ftm_dates(record.date))
        elif isinstance(record, Statement):
            yield entity("Event", record.id, name=_statement_name(index, record), description=record.quote,
                         summary=record.summary, involved=[record.speaker] if record.speaker in index else [],
                         keywords=tags,
                         notes=[note("kind", "statement"), note("setting", record.setting)]
                         + (["under oath"] if record.under_oath else [])
                         + [note(field, value) for field, value in (
                             ("occasion", record.occasion), ("question", record.question),
                             ("date_text", record.date_text)) if value]
                         + _date_notes(record.date),
                         **ftm_dates(record.date))
            for number, about in enumerate(record.about, start=1):
                if about.meeting in index:
                    yield entity("UnknownLink", f"{record.id}.about.{number}", subject=record.id,
                                 object=about.meeting, role=about.stance)
            if record.asked_by and record.asked_by in index:
                yield entity("UnknownLink", f"{record.id}.asked-by", subject=record.id, object=record.asked_by,
                             role="asked by")
        if isinstance(record, (Meeting, Statement)):
            for number, citation in enumerate(record.citations, start=1):
                if citation.source in index:
                    original = citation.original if citation.original in index else None
                    yield entity("Documentation", f"{record.id}.citation.{number}", document=citation.source,
                                 entity=record.id, summary=citation.excerpt, role="citation",
                                 description=f"original: {original}" if original else None)


def _statement_name(index: Index, statement: Statement) -> str:
    speaker = index.get(statement.speaker)
    who = speaker.label if speaker is not None else statement.speaker
    return f"{who}: {statement.occasion}" if statement.occasion else f"Statement by {who}"


def _role(entity: Any, index: Index, person: Person, role: Role, role_id: str) -> Iterator[dict[str, Any]]:
    organization = index.get(role.organization) if role.organization else None
    dates: dict[str, Any] = {}
    if role.start is not None:
        dates["startDate"] = _iso(role.start.lower, role.start.start.precision)
    if role.end is not None:
        end = role.end.end or role.end.start
        dates["endDate"] = _iso(role.end.upper, end.precision)
    # What startDate and endDate cannot hold (a qualifier, an interval) is said in the description.
    described = [note(field, when.edtf()) for field, when in (("start", role.start), ("end", role.end))
                 if when is not None and dates[f"{field}Date"] != when.edtf()]
    if described:
        dates["description"] = described
    kind = organization.type if isinstance(organization, Organization) else None
    proof = [source for source in role.sources if source in index]
    if organization is None or kind in OFFICE_TYPES:
        yield entity("Position", f"{role_id}.position", name=role.title,
                     organization=organization.id if organization else None)
        yield entity("Occupancy", role_id, holder=person.id, post=f"{role_id}.position", proof=proof, **dates)
    elif kind in EMPLOYER_TYPES:
        yield entity("Employment", role_id, employee=person.id, employer=organization.id, role=role.title,
                     proof=proof, **dates)
    else:
        yield entity("Membership", role_id, member=person.id, organization=organization.id, role=role.title,
                     proof=proof, **dates)
