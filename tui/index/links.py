"""What the records say of each other: links, backlinks, timelines, roles, contradictions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..model import FuzzyDate, Meeting, Organization, Person, Record, Role, Source, Statement


@dataclass(frozen=True, slots=True)
class Link:
    """``source`` names ``target``; ``relation`` says how (participant, speaker, denies, citation...)."""

    source: str
    target: str
    relation: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Contradiction:
    """A statement that denies a meeting which at least one cited source reports."""

    statement: str
    meeting: str
    sources: tuple[str, ...]


def links_of(record: Record) -> list[Link]:
    """Every link that starts at ``record``, in the order its fields give them."""
    links: list[Link] = []
    add = links.append
    if isinstance(record, Person):
        for role in record.roles:
            if role.organization:
                add(Link(record.id, role.organization, "role", role.title))
            for source in role.sources:
                add(Link(record.id, source, "role source", role.title))
    elif isinstance(record, Organization):
        if record.parent:
            add(Link(record.id, record.parent, "part of"))
    elif isinstance(record, Meeting):
        for participant in record.participants:
            add(Link(record.id, participant.who, "participant", participant.capacity))
    elif isinstance(record, Statement):
        add(Link(record.id, record.speaker, "speaker"))
        if record.asked_by:
            add(Link(record.id, record.asked_by, "asked by"))
        for about in record.about:
            add(Link(record.id, about.meeting, about.stance))
    if isinstance(record, (Meeting, Statement)):
        for citation in record.citations:
            add(Link(record.id, citation.source, "citation", citation.excerpt))
            if citation.original:
                add(Link(record.id, citation.original, "original report", citation.excerpt))
    return links


class Index:
    """Lookups over a casefile's records, built once and updated record by record."""

    def __init__(self, records: dict[str, Record] | None = None) -> None:
        self.records: dict[str, Record] = {}
        self._outgoing: dict[str, list[Link]] = {}
        self._incoming: dict[str, list[Link]] = defaultdict(list)
        for record in (records or {}).values():
            self._add(record)

    # building
    def _add(self, record: Record) -> None:
        self.records[record.id] = record
        outgoing = links_of(record)
        self._outgoing[record.id] = outgoing
        for link in outgoing:
            self._incoming[link.target].append(link)

    def _remove(self, record_id: str) -> None:
        self.records.pop(record_id, None)
        for link in self._outgoing.pop(record_id, []):
            incoming = self._incoming.get(link.target)
            if incoming:
                incoming[:] = [l for l in incoming if l.source != record_id]

    def put(self, record: Record) -> None:
        """Take in a new or changed record."""
        self._remove(record.id)
        self._add(record)

    def remove(self, record_id: str) -> None:
        self._remove(record_id)

    # lookups
    def get(self, record_id: str) -> Record | None:
        return self.records.get(record_id)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.records

    def __len__(self) -> int:
        return len(self.records)

    def links(self, record_id: str) -> list[Link]:
        """The links from a record to others that exist."""
        return [l for l in self._outgoing.get(record_id, []) if l.target in self.records]

    def backlinks(self, record_id: str) -> list[Link]:
        """The links from other records to this one, oldest source first."""
        links = [l for l in self._incoming.get(record_id, []) if l.source in self.records]
        return sorted(links, key=lambda l: (self._sort_key(l.source), l.source, l.relation))

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records.values() if r.kind == kind]

    def parties(self) -> list[Record]:
        """People and organizations, by name."""
        found = [r for r in self.records.values() if isinstance(r, (Person, Organization))]
        return sorted(found, key=lambda r: (r.label.casefold(), r.id))

    def _sort_key(self, record_id: str) -> tuple[date, date]:
        record = self.records.get(record_id)
        when = getattr(record, "date", None) or getattr(record, "published", None)
        if isinstance(when, FuzzyDate):
            return when.sort_key
        return (date.max, date.max)

    def timeline(self, party_id: str) -> list[Meeting | Statement]:
        """The meetings a person or organization took part in and the statements they made, oldest first."""
        items: dict[str, Meeting | Statement] = {}
        for link in self._incoming.get(party_id, []):
            record = self.records.get(link.source)
            if isinstance(record, Meeting) and link.relation == "participant":
                items[record.id] = record
            elif isinstance(record, Statement) and link.relation == "speaker":
                items[record.id] = record
        return sorted(items.values(), key=lambda r: (r.date.sort_key, r.id))

    def counts(self, party_id: str) -> tuple[int, int]:
        """How many meetings and statements a person or organization has."""
        meetings: set[str] = set()
        statements: set[str] = set()
        for link in self._incoming.get(party_id, []):
            if link.relation == "participant" and link.source in self.records:
                meetings.add(link.source)
            elif link.relation == "speaker" and link.source in self.records:
                statements.add(link.source)
        return len(meetings), len(statements)

    def participants(self, meeting: Meeting) -> list[Record]:
        return [self.records[p.who] for p in meeting.participants if p.who in self.records]

    def roles_on(self, person_id: str, when: FuzzyDate) -> list[Role]:
        """The roles a person may have held at some point of ``when``."""
        person = self.records.get(person_id)
        if not isinstance(person, Person):
            return []
        return [role for role in person.roles if role.held_during(when)]

    def statements_about(self, meeting_id: str) -> list[tuple[Statement, str]]:
        """The statements that speak of a meeting, with the stance each takes, oldest first."""
        found: list[tuple[Statement, str]] = []
        for statement_id in dict.fromkeys(l.source for l in self._incoming.get(meeting_id, [])):
            statement = self.records.get(statement_id)
            if isinstance(statement, Statement):
                for about in statement.about:
                    if about.meeting == meeting_id:
                        found.append((statement, about.stance))
        return sorted(found, key=lambda pair: (pair[0].date.sort_key, pair[0].id))

    def reporting_sources(self, meeting: Meeting) -> tuple[str, ...]:
        """The sources whose cited words report the meeting."""
        ids: dict[str, None] = {}
        for citation in meeting.citations:
            for source in citation.sources():
                if isinstance(self.records.get(source), Source):
                    ids[source] = None
        return tuple(ids)

    def contradictions_of(self, record_id: str) -> list[Contradiction]:
        """For a statement, the meetings it denies that sources report; for a meeting, its denials."""
        record = self.records.get(record_id)
        found: list[Contradiction] = []
        if isinstance(record, Statement):
            for about in record.about:
                meeting = self.records.get(about.meeting)
                if about.stance == "denies" and isinstance(meeting, Meeting):
                    sources = self.reporting_sources(meeting)
                    if sources:
                        found.append(Contradiction(record.id, meeting.id, sources))
        elif isinstance(record, Meeting):
            sources = self.reporting_sources(record)
            if sources:
                for statement, stance in self.statements_about(record.id):
                    if stance == "denies":
                        found.append(Contradiction(statement.id, record.id, sources))
        return found

    def contradictions(self) -> list[Contradiction]:
        found: list[Contradiction] = []
        for record in self.records.values():
            if isinstance(record, Statement):
                found.extend(self.contradictions_of(record.id))
        return found

    def is_denied(self, meeting_id: str) -> bool:
        return any(stance == "denies" for _, stance in self.statements_about(meeting_id))
