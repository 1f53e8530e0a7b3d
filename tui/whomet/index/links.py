"""What the records say of each other: links, backlinks, timelines, roles, contradictions."""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import model
from ..model.links import Link, links_of
from ..store import rules
from ..store.cache import one_line, record_row, sort_span
from .search import Hit, best_fuzzy_score, search

if TYPE_CHECKING:
    from ..model import FuzzyDate, Meeting, Record, Role, Statement


@dataclass(frozen=True, slots=True)
class Contradiction:
    """A statement that denies a meeting which at least one cited source reports."""

    statement: str
    meeting: str
    sources: tuple[str, ...]


class PartyRow(NamedTuple):
    """A line of the people panel."""

    id: str
    kind: str
    label: str
    names: tuple[str, ...]
    meetings: int
    statements: int


class TimelineRow(NamedTuple):
    """A line of a timeline: when, what, and whether it is denied or contradicts the record."""

    id: str
    kind: str
    when: str
    what: str
    title: str
    speaker: str
    flag: str


class Brief(NamedTuple):
    """A record in one line: its kind, its date as shown, and a label that tells it apart."""

    kind: str
    when: str
    short: str


class BaseIndex(ABC):
    """Lookups over a casefile's records, whether all of them are in memory or in a cache. What
    records say taken together (counts, denials, contradictions) is answered by the rules of
    :mod:`whomet.store.rules`, over the index's database."""

    @abstractmethod
    def _graph(self) -> sqlite3.Connection:
        """The database the rules are answered from: the cache's, or one of the index's own."""

    @abstractmethod
    def get(self, record_id: str) -> Record | None:
        """The record with this id, or None."""

    @abstractmethod
    def __contains__(self, record_id: object) -> bool: ...

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def label_of(self, record_id: str) -> str | None:
        """A record's name or title, without reading the whole record."""

    @abstractmethod
    def _incoming_of(self, record_id: str) -> list[Link]: ...

    @abstractmethod
    def _sort_key(self, record_id: str) -> tuple[Any, Any]: ...

    @abstractmethod
    def party_rows(self) -> list[PartyRow]:
        """Every person and organization with its counts, by name."""

    @abstractmethod
    def timeline_rows(self, party_id: str) -> list[TimelineRow]:
        """What the timeline of a person or organization shows, oldest first."""

    @abstractmethod
    def put(self, record: Record) -> None:
        """Take in a new or changed record."""

    @abstractmethod
    def remove(self, record_id: str) -> None: ...

    def _outgoing_of(self, record_id: str) -> list[Link]:
        record = self.get(record_id)
        return links_of(record) if record is not None else []

    def brief(self, record_id: str) -> Brief | None:
        """What a line naming a record shows of it."""
        record = self.get(record_id)
        if record is None:
            return None
        when = getattr(record, "date", None) or getattr(record, "published", None)
        return Brief(record.kind, when.display() if when is not None else "", self.short_of(record))

    def briefs(self, record_ids: list[str]) -> dict[str, Brief]:
        """:meth:`brief` of each record that exists, by id."""
        found = {record_id: self.brief(record_id) for record_id in record_ids}
        return {record_id: brief for record_id, brief in found.items() if brief is not None}

    def short_of(self, record: Record) -> str:
        """One line that tells records apart: a statement by its speaker and words."""
        if isinstance(record, model.Statement):
            return one_line(f"{self.label_of(record.speaker) or record.speaker}: “{record.quote}”")
        return one_line(record.label)

    @abstractmethod
    def _named_like(self, text: str, kinds: tuple[str, ...]) -> Iterable[tuple[str, str, str, tuple[str, ...]]]:
        """(id, kind, label, names) of records of ``kinds`` that may match ``text``."""

    def suggest(self, text: str, kinds: tuple[str, ...]) -> list[tuple[str, str, str]]:
        """(id, kind, label) of the records of ``kinds`` whose name, alias or id matches ``text``, best first."""
        scored: list[tuple[float, str, str, str]] = []
        for record_id, kind, label, names in self._named_like(text, kinds):
            score = best_fuzzy_score(text, (*names, record_id))
            if score is not None:
                scored.append((score, record_id, kind, label))
        scored.sort(key=lambda item: (-item[0], item[3].casefold()))
        return [(record_id, kind, label) for _, record_id, kind, label in scored]

    def spelled_in(self, text: str, kinds: tuple[str, ...]) -> list[tuple[float, str, str, str]]:
        """(score, id, kind, label) of the records of ``kinds`` whose name or an alias holds the
        letters of ``text`` in order ("jsess": Jeff Sessions), best first."""
        found = [(score, record_id, kind, label) for record_id, kind, label, names in self._named_like(text, kinds)
                 if (score := best_fuzzy_score(text, names)) is not None]
        found.sort(key=lambda item: -item[0])
        return found

    def links(self, record_id: str) -> list[Link]:
        """The links from a record to others that exist."""
        return [l for l in self._outgoing_of(record_id) if l.target in self]

    def backlinks(self, record_id: str) -> list[Link]:
        """The links from other records to this one, oldest source first."""
        links = [l for l in self._incoming_of(record_id) if l.source in self]
        return sorted(links, key=lambda l: (self._sort_key(l.source), l.source, l.relation))

    def timeline(self, party_id: str) -> list[Meeting | Statement]:
        """The meetings a person or organization took part in and the statements they made, oldest first."""
        items: dict[str, Meeting | Statement] = {}
        for link in self._incoming_of(party_id):
            record = self.get(link.source)
            if isinstance(record, model.Meeting) and link.relation == "participant":
                items[record.id] = record
            elif isinstance(record, model.Statement) and link.relation == "speaker":
                items[record.id] = record
        return sorted(items.values(), key=lambda r: (r.date.sort_key, r.id))

    def counts(self, party_id: str) -> tuple[int, int]:
        """How many meetings and statements a person or organization has."""
        return rules.counts_of(self._graph(), party_id)

    def participants(self, meeting: Meeting) -> list[Record]:
        return [r for p in meeting.participants if (r := self.get(p.who)) is not None]

    def roles_on(self, person_id: str, when: FuzzyDate) -> list[Role]:
        """The roles a person may have held at some point of ``when``."""
        person = self.get(person_id)
        if not isinstance(person, model.Person):
            return []
        return [role for role in person.roles if role.held_during(when)]

    def statements_about(self, meeting_id: str) -> list[tuple[Statement, str]]:
        """The statements that speak of a meeting, with the stance each takes, oldest first."""
        found: list[tuple[Statement, str]] = []
        for statement_id in dict.fromkeys(l.source for l in self._incoming_of(meeting_id)):
            statement = self.get(statement_id)
            if isinstance(statement, model.Statement):
                for about in statement.about:
                    if about.meeting == meeting_id:
                        found.append((statement, about.stance))
        return sorted(found, key=lambda pair: (pair[0].date.sort_key, pair[0].id))

    def contradictions_of(self, record_id: str) -> list[Contradiction]:
        """For a statement, the meetings it denies that sources report; for a meeting, its denials."""
        return [Contradiction(*found) for found in rules.contradictions_of(self._graph(), record_id)]

    def is_denied(self, meeting_id: str) -> bool:
        return rules.flag_of(self._graph(), meeting_id) == "denied"


class Index(BaseIndex):
    """Every record of a casefile in memory: for tools that read the whole casefile anyway."""

    def __init__(self, records: dict[str, Record] | None = None) -> None:
        self.records: dict[str, Record] = {}
        self._outgoing: dict[str, list[Link]] = {}
        self._incoming: dict[str, list[Link]] = defaultdict(list)
        self._db: sqlite3.Connection | None = None
        """The records and links for the rules, made when first asked and again after a change."""
        for record in (records or {}).values():
            self._add(record)

    def _graph(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = rules.graph(
                ((record.id, record.kind, *sort_span(record)) for record in self.records.values()),
                ((l.source, l.target, l.relation) for links in self._outgoing.values() for l in links))
        return self._db

    # building
    def _add(self, record: Record) -> None:
        self._db = None
        self.records[record.id] = record
        outgoing = links_of(record)
        self._outgoing[record.id] = outgoing
        for link in outgoing:
            self._incoming[link.target].append(link)

    def _remove(self, record_id: str) -> None:
        self._db = None
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

    def get(self, record_id: str) -> Record | None:
        return self.records.get(record_id)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.records

    def __len__(self) -> int:
        return len(self.records)

    def label_of(self, record_id: str) -> str | None:
        record = self.records.get(record_id)
        return record.label if record is not None else None

    def _incoming_of(self, record_id: str) -> list[Link]:
        return self._incoming.get(record_id, [])

    def _outgoing_of(self, record_id: str) -> list[Link]:
        return self._outgoing.get(record_id, [])

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records.values() if r.kind == kind]

    def parties(self) -> list[Record]:
        """People and organizations, by name."""
        found = [r for r in self.records.values() if isinstance(r, (model.Person, model.Organization))]
        return sorted(found, key=lambda r: (r.label.casefold(), r.id))

    def _sort_key(self, record_id: str) -> tuple[date, date]:
        record = self.get(record_id)
        when = getattr(record, "date", None) or getattr(record, "published", None)
        if isinstance(when, model.FuzzyDate):
            return when.sort_key
        return (date.max, date.max)

    def contradictions(self) -> list[Contradiction]:
        found: list[Contradiction] = []
        for record in self.records.values():
            if isinstance(record, model.Statement):
                found.extend(self.contradictions_of(record.id))
        return found

    def find(self, query: str, limit: int = 50) -> list[Hit]:
        return search(self.records, query, limit)

    def _named_like(self, text: str, kinds: tuple[str, ...]) -> Iterable[tuple[str, str, str, tuple[str, ...]]]:
        for record in self.records.values():
            if record.kind in kinds:
                yield record.id, record.kind, record.label, (record.label, *getattr(record, "aliases", ()))

    def party_rows(self) -> list[PartyRow]:
        counted = {row[0]: row[1:] for row in self._graph().execute(
            "SELECT id, meetings, statements FROM records WHERE meetings OR statements")}
        return [PartyRow(p.id, p.kind, p.label, (p.label, *getattr(p, "aliases", ())), *counted.get(p.id, (0, 0)))
                for p in self.parties()]

    def timeline_rows(self, party_id: str) -> list[TimelineRow]:
        rows: list[TimelineRow] = []
        graph = self._graph()
        for record in self.timeline(party_id):
            _, kind, _, _, _, _, _, _, when_text, what, title, speaker, *_ = record_row(record, "")
            rows.append(TimelineRow(record.id, kind, when_text, what, title, speaker, rules.flag_of(graph, record.id)))
        return rows
