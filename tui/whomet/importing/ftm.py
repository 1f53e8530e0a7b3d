"""FollowTheMoney entities (JSON lines, as Aleph and the ``ftm`` tool write them) read into a casefile.

The entities are read with the ``followthemoney`` library's own model: each line becomes an entity
proxy of its schema, its values cleaned by their property types, and what an entity is (a party, a
document, an event, an interest) is asked of the schema (``is_a``), never read from its name.

- Person → a person; Organization and its schemata (Company, PublicBody, LegalEntity…) → an
  organization.
- Document and its schemata (Article, Page…) → a source, deduplicated by URL.
- Event → a meeting with its involved parties as participants (a statement, when whomet wrote it).
- Membership, Employment, Directorship, Occupancy (of a Position) → a role of the person, with its
  dates and the sources that prove it.
- Documentation → a citation of a meeting or statement (its summary is the excerpt), or a role's
  source; an entity's ``sourceUrl`` → a source.
- UnknownLink from a statement to a meeting (its role a stance) → what the statement says of it.

What whomet cannot place is in the report: entities of other schemata, properties not read, values
FtM could not read, and items that do not make a valid record (rejected, with the entity's id).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from ..model import (About, Citation, DateError, FuzzyDate, Meeting, Organization, Participant, Person, Role,
                     Source, Statement)
from ..model.kinds import MEETING_STATUSES, MEETING_TYPES, SLUG_PATTERN, STATEMENT_SETTINGS
from ..store import Casefile
from .common import Importer
from .spreadsheet import plain_error

ORGANIZATION_TYPES: tuple[str, ...] = get_args(Organization.model_fields["type"].annotation)
"""What an organization's ``type`` may be (an FtM ``classification`` that is one of these is read as it)."""

SOURCE_TYPES: tuple[str, ...] = get_args(Source.model_fields["type"].annotation)

ROLE_TITLES = {"Membership": "Member", "Employment": "Employee", "Directorship": "Director"}
"""A role's title when its entity names none."""

NOTE = re.compile(r"(kind|type|status|date|date as written|setting|occasion|question|nationality|country|published|"
                  r"start|end): (.*)", re.DOTALL)
"""A note whomet's export writes for a field FtM has no property for (see ``export/ftm.py``)."""
CAPACITY = re.compile(r"capacity of (\S+): (.*)", re.DOTALL)


class FtmError(ValueError):
    """A file that is not FollowTheMoney entities at all."""


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


def _hashlike(entity_id: str) -> bool:
    """An id that is a hash or a UUID, as Aleph makes them: no words to keep in a file name."""
    return bool(re.fullmatch(r"[0-9a-f-]{16,}", entity_id)) and any(c.isdigit() for c in entity_id)


def read_entities(path: Path) -> tuple[list[tuple[int, Any]], list[str], list[str]]:
    """The entities of a JSON lines file (or of one JSON list), each with its line; what could not
    be read (rejected) and what was left out of an entity (noted)."""
    try:
        from followthemoney import model
        from followthemoney.exc import InvalidData
    except ImportError as error:  # pragma: no cover - depends on what is installed
        raise FtmError("reading FollowTheMoney needs the followthemoney library: pip install 'whomet[ftm]'") from error
    text = path.read_text(encoding="utf-8-sig")
    stripped = text.lstrip()
    items: list[tuple[int, Any]]
    if stripped.startswith("["):
        try:
            items = [(0, item) for item in json.loads(text)]
        except json.JSONDecodeError as error:
            raise FtmError(f"line {error.lineno}: not JSON: {error.msg}") from None
    else:
        items = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((number, json.loads(line)))
            except json.JSONDecodeError as error:
                if not items:
                    raise FtmError(f"line {number}: not a JSON entity ({error.msg}); FtM entities are "
                                   "one JSON object a line") from None
                items.append((number, error))
    entities: list[tuple[int, Any]] = []
    rejected: list[str] = []
    noted: list[str] = []
    seen: set[str] = set()
    for number, data in items:
        where = f"line {number}" if number else f"item {len(entities) + len(rejected) + 1}"
        if isinstance(data, json.JSONDecodeError):
            rejected.append(f"{where}: not JSON: {data.msg}")
            continue
        if not isinstance(data, dict) or not data.get("id") or not data.get("schema"):
            rejected.append(f"{where}: not an FtM entity (an object with an id, a schema and properties)")
            continue
        if not isinstance(data.get("properties", {}), dict):
            rejected.append(f"{where}: entity {data['id']}: its properties are not an object")
            continue
        try:
            proxy = model.get_proxy(data, cleaned=False)
        except InvalidData:
            rejected.append(f"{where}: entity {data['id']}: FtM has no schema {data['schema']!r}")
            continue
        if not proxy.id:
            rejected.append(f"{where}: not an FtM entity: its id is blank")
            continue
        if proxy.id in seen:
            rejected.append(f"{where}: entity {proxy.id}: a second entity with this id")
            continue
        seen.add(proxy.id)
        noted += _values_left_out(proxy, data.get("properties") or {}, where)
        entities.append((number, proxy))
    return entities, rejected, noted


def _values_left_out(proxy: Any, raw: dict[str, Any], where: str) -> Iterable[str]:
    """What the model did not take from an entity: properties its schema has not, values not of their type."""
    for name, values in raw.items():
        prop = proxy.schema.properties.get(name)
        if prop is None:
            yield f"{where}: entity {proxy.id}: {proxy.schema.name} has no property {name!r}: left out"
            continue
        for value in values if isinstance(values, list) else [values]:
            if prop.type.clean(value, proxy=proxy) is None:
                yield f"{where}: entity {proxy.id}: {name} {value!r} is not a {prop.type.label.lower()}: left out"


def import_ftm(path: Path, casefile: Casefile) -> Importer:
    """The casefile's records from a file of FtM entities; nothing is written yet."""
    entities, rejected, noted = read_entities(path)
    importer = Importer(casefile)
    importer.report.rejected += rejected
    importer.report.skipped += noted
    _Reading(importer, entities).run()
    return importer


class _Reading:
    """One file's entities turned into records, in the order references need: sources, organizations,
    roles and people, meetings, statements."""

    def __init__(self, importer: Importer, entities: list[tuple[int, Any]]) -> None:
        self.importer = importer
        self.report = importer.report
        self.entities = {proxy.id: proxy for _, proxy in entities}
        self.line = {proxy.id: number for number, proxy in entities}
        self.made: dict[str, str] = {}
        """The record each entity became (or was linked to), by the entity's id."""
        self.kind: dict[str, str] = {}
        """What each entity became: person, organization, source, meeting, statement, role."""
        self.read: dict[str, set[str]] = defaultdict(set)
        self.existing: set[str] = set()
        """Entities linked to a record the casefile already had: it is not changed."""
        self.named: dict[str, list[Person | Organization]] | None = None
        """The casefile's people and organizations by each of their names, folded."""
        self.urls: dict[str, Source] | None = None
        """The sources of the casefile and of the file, by URL."""
        self.pointing: dict[str, list[Any]] = defaultdict(list)
        """Documentation and UnknownLink entities, by the entity they are about."""

    # Reading values

    def values(self, entity: Any, *props: str) -> list[str]:
        found: list[str] = []
        for prop in props:
            self.read[entity.id].add(prop)
            found += entity.get(prop, quiet=True)
        return found

    def first(self, entity: Any, *props: str) -> str:
        return next(iter(self.values(entity, *props)), "")

    def where(self, entity: Any) -> str:
        line = self.line.get(entity.id)
        return f"{'line ' + str(line) + ': ' if line else ''}{entity.schema.name} {entity.id}"

    def reject(self, entity: Any, why: str) -> None:
        self.report.rejected.append(f"{self.where(entity)}: {why}")

    def note(self, entity: Any, what: str) -> None:
        self.report.skipped.append(f"{self.where(entity)}: {what}")

    def is_a(self, entity: Any, schema: str) -> bool:
        return bool(entity.schema.is_a(schema))

    def new_id(self, entity: Any, words: str, fallback: str) -> str:
        """The entity's own id when it is one whomet can keep (words, not a hash), else one from ``words``."""
        own = entity.id
        if re.fullmatch(SLUG_PATTERN, own) and len(own) <= 120 and not _hashlike(own) \
                and not self.importer.taken(own):
            return own
        return self.importer.unique_id(words, fallback)

    def date(self, entity: Any, notes: dict[str, str]) -> FuzzyDate | None:
        """The date as whomet wrote it in a note, else from the entity's date, or its start and end."""
        start = self.first(entity, "startDate")[:10]
        end = self.first(entity, "endDate")[:10]
        date = self.first(entity, "date")[:10]
        if "date" in notes:
            try:
                return FuzzyDate.parse(notes["date"])
            except DateError:
                pass
        if start and end:
            return FuzzyDate.parse(start if start == end else f"{start}/{end}")
        if date or start or end:
            return FuzzyDate.parse(date or start or end)
        return None

    def notes(self, entity: Any) -> tuple[dict[str, str], dict[str, str], list[str], bool]:
        """An entity's notes read: whomet's labelled fields, capacities by entity id, the rest, under oath."""
        labelled: dict[str, str] = {}
        capacities: dict[str, str] = {}
        rest: list[str] = []
        oath = False
        for text in self.values(entity, "notes"):
            if text == "under oath":
                oath = True
            elif (match := CAPACITY.fullmatch(text)) is not None:
                capacities[match[1]] = match[2]
            elif (match := NOTE.fullmatch(text)) is not None:
                labelled[match[1]] = match[2]
            else:
                rest.append(text)
        return labelled, capacities, rest, oath

    def country(self, entity: Any, notes: dict[str, str], field: str, *props: str) -> str:
        code = self.first(entity, *props)
        if field in notes:
            return notes[field]
        from followthemoney.types import registry

        return (registry.country.caption(code) or code) if code else ""

    def summary(self, entity: Any, *props: str, rest: Iterable[str] = ()) -> str:
        parts = list(dict.fromkeys(self.values(entity, *props)))
        return "\n\n".join([*parts, *rest])

    def tags(self, entity: Any, model: Any) -> dict[str, Any]:
        """FtM keywords as the record's tags, when the casefile's records have tags."""
        keywords = self.values(entity, "keywords")
        if not keywords or "tags" not in model.model_fields:
            return {}
        tags = [k for k in keywords if k == k.strip() and "\n" not in k and "\r" not in k and 0 < len(k) <= 60]
        if len(tags) < len(keywords):
            left = len(keywords) - len(tags)
            self.note(entity, f"{left} keyword{'s are' if left > 1 else ' is'} not a tag (one line, at most 60 "
                              "characters): left out")
        return {"tags": tags}

    def source_for_url(self, url: str) -> str:
        before = len(self.report.created)
        source = self.importer.source_for(url=url)
        if len(self.report.created) == before:
            self.report.deduplicated.append(f"source {source}: {url} (already a source)")
        return source

    # The run

    def run(self) -> None:
        by_kind: dict[str, list[Any]] = defaultdict(list)
        for entity in self.entities.values():
            by_kind[self.category(entity)].append(entity)
        for entity in by_kind["pointer"]:
            self.read[entity.id].update(("entity", "document", "subject", "object"))
            target = self.first(entity, "entity" if self.is_a(entity, "Documentation") else "subject")
            self.pointing[target].append(entity)
        for entity in by_kind["source"]:
            self.source(entity)
        parents = {entity.id: self.organization(entity) for entity in by_kind["organization"]}
        self.parents(parents)
        names = {entity.id: self.person_names(entity) for entity in by_kind["person"]}
        for entity in by_kind["person"]:
            if names[entity.id] and (found := self.existing_party(entity, names[entity.id], Person)) is not None:
                self.made[entity.id] = found
                self.kind[entity.id] = "person"
        roles = self.roles(by_kind["interest"], {e.id: e for e in by_kind["position"]})
        for entity in by_kind["person"]:
            if entity.id not in self.existing:
                self.person(entity, names[entity.id], roles.pop(entity.id, []))
        events = by_kind["event"]
        said = {e.id for e in events if self.notes(e)[0].get("kind") == "statement"}
        for entity in events:
            if entity.id not in said:
                self.meeting(entity)
        for entity in events:  # after the meetings, which statements speak of
            if entity.id in said:
                self.statement(entity)
        for entity in by_kind["pointer"]:
            self.pointer_unused(entity)
        self.positions_unused(by_kind["position"])
        self.other(by_kind["other"])
        self.unread()

    def category(self, entity: Any) -> str:
        if self.is_a(entity, "Person"):
            return "person"
        if self.is_a(entity, "Organization") or entity.schema.name == "LegalEntity":
            return "organization"
        if self.is_a(entity, "Document"):
            return "source"
        if self.is_a(entity, "Event"):
            return "event"
        if self.is_a(entity, "Position"):
            return "position"
        if any(self.is_a(entity, schema) for schema in ("Membership", "Employment", "Directorship", "Occupancy")):
            return "interest"
        if self.is_a(entity, "Documentation") or self.is_a(entity, "UnknownLink"):
            return "pointer"
        return "other"

    def existing_party(self, entity: Any, names: list[str], kind: type) -> str | None:
        """The casefile's own record of that name, when exactly one has it: linked, not made again."""
        if self.named is None:
            self.named = defaultdict(list)
            for record in self.importer.casefile.records.values():
                if isinstance(record, (Person, Organization)):
                    for name in {_folded(n) for n in (record.name, *record.aliases)}:
                        self.named[name].append(record)
        found = [r.id for r in self.named.get(_folded(names[0]), []) if isinstance(r, kind)]
        if len(found) == 1:
            self.report.linked[names[0]] = found[0]
            self.existing.add(entity.id)
            return found[0]
        if len(found) > 1:
            self.note(entity, f"“{names[0]}” names {len(found)} records ({', '.join(found)}): made anew")
        return None

    def source(self, entity: Any) -> None:
        url = self.first(entity, "sourceUrl")
        title = self.first(entity, "title", "name", "fileName") or url or entity.id
        if self.urls is None:
            self.urls = {r.url: r for r in self.importer.records() if isinstance(r, Source) and r.url}
        if url and (record := self.urls.get(url)) is not None:
            self.made[entity.id] = record.id
            self.kind[entity.id] = "source"
            self.existing.add(entity.id)
            whose = "made from an earlier entity" if record.id in self.importer.new else "of the casefile"
            self.report.deduplicated.append(f"{self.where(entity)}: the source {record.id} {whose}, by its URL {url}")
            return
        if self.already_there(entity, Source, lambda r: r.title == title and r.url == url):
            return
        labelled, _, rest, _ = self.notes(entity)
        kind: Any = labelled["type"] if labelled.get("type") in SOURCE_TYPES else (
            "article" if entity.schema.name == "Article" else "document")
        published = self.first(entity, "publishedAt", "date", "authoredAt")[:10]
        published = labelled.get("published") or published
        try:
            when = FuzzyDate.parse(published) if published else None
        except DateError as error:
            self.note(entity, f"its date is left out: {error}")
            when = None
        try:
            record = Source(
                id=self.new_id(entity, title, "source"), title=title, url=url, type=kind,
                publisher=self.first(entity, "publisher"), authors=self.values(entity, "author"),
                published=when,
                summary=self.summary(entity, "summary", "description", rest=rest), **self.tags(entity, Source))
        except (ValidationError, ValueError) as error:
            self.reject(entity, plain_error(error, {}))
            return
        self.made[entity.id] = self.importer.add(record).id
        self.kind[entity.id] = "source"
        if url:
            self.urls[url] = record  # type: ignore[index]

    def organization(self, entity: Any) -> str | None:
        names = self.values(entity, "name")
        if not names:
            self.reject(entity, "no name")
            return None
        self.kind[entity.id] = "organization"
        if (found := self.existing_party(entity, names, Organization)) is not None:
            self.made[entity.id] = found
            return None
        labelled, _, rest, _ = self.notes(entity)
        classification = self.first(entity, "classification")
        kind: Any
        if classification in ORGANIZATION_TYPES:
            kind = classification
        elif self.is_a(entity, "PublicBody"):
            kind = "public body"
        elif self.is_a(entity, "Company"):
            kind = "company"
        else:
            kind = "other"
        try:
            record = Organization(
                id=self.new_id(entity, names[0], "organization"), name=names[0],
                aliases=list(dict.fromkeys(n for n in (*names[1:], *self.values(entity, "alias", "previousName"))
                                           if n != names[0])),
                type=kind, country=self.country(entity, labelled, "country", "country", "jurisdiction", "mainCountry"),
                summary=self.summary(entity, "summary", "description", rest=rest), **self.tags(entity, Organization))
        except (ValidationError, ValueError) as error:
            del self.kind[entity.id]
            self.reject(entity, plain_error(error, {}))
            return None
        self.made[entity.id] = self.importer.add(record).id
        return self.first(entity, "parent") or None

    def parents(self, parents: dict[str, str | None]) -> None:
        """Each organization's parent, once every organization is made."""
        for entity_id, parent in parents.items():
            if not parent or entity_id not in self.made:
                continue
            record = self.importer.new[self.made[entity_id]]
            if self.kind.get(parent) == "organization":
                self.importer.new[record.id] = updated = record.model_copy(update={"parent": self.made[parent]})
                self.report.created[self.report.created.index(record)] = updated
            else:
                self.note(self.entities[entity_id], f"parent {parent} is not an organization of the file: left out")

    def roles(self, interests: list[Any], positions: dict[str, Any]) -> dict[str, list[Role]]:
        """Each person's roles, by the person's entity id."""
        roles: dict[str, list[Role]] = defaultdict(list)
        for entity in interests:
            schema = entity.schema
            holder = self.first(entity, schema.source_prop.name)
            target = self.first(entity, schema.target_prop.name)
            holder_entity = self.entities.get(holder)
            if holder_entity is None:
                self.reject(entity, f"its {schema.source_prop.label.lower()} {holder} is not in the file")
                continue
            if not self.is_a(holder_entity, "Person"):
                self.note(entity, f"{holder} is not a person: whomet keeps roles of people only")
                continue
            title = self.first(entity, "role")
            organization = target
            if schema.name == "Occupancy":
                post = positions.get(target)
                if post is None:
                    self.reject(entity, f"its post {target} is not a Position of the file")
                    continue
                self.read[post.id].add("used")
                title = self.first(post, "name") or title
                organization = self.first(post, "organization")
            title = title or ROLE_TITLES.get(schema.name, schema.label)
            org_id = None
            if organization:
                if self.kind.get(organization) == "organization":
                    org_id = self.made[organization]
                else:
                    self.note(entity, f"organization {organization} is not an organization of the file: "
                                      "the role is kept without it")
            if holder in self.existing:
                self.note(entity, f"{holder} is already in the casefile as {self.made[holder]}: its roles are "
                                  "not changed")
                continue
            mark = self.importer.mark()
            sources = [self.made[s] for s in self.values(entity, "proof") if self.kind.get(s) == "source"]
            sources += [self.made[d] for d in (self.first(doc, "document") for doc in self.pointing.get(entity.id, [])
                                               if self.is_a(doc, "Documentation"))
                        if self.kind.get(d) == "source"]
            sources += [self.source_for_url(url) for url in self.values(entity, "sourceUrl")]
            descriptions = self.values(entity, "description")
            described = {m[1]: m[2] for m in map(NOTE.fullmatch, descriptions) if m}
            if len(described) < len(descriptions):
                self.read[entity.id].discard("description")  # words a role has no place for: said below
            try:
                start = self.first(entity, "startDate", "date")[:10]
                start = described.get("start") or start
                end = self.first(entity, "endDate")[:10]
                end = described.get("end") or end
                role = Role(title=title, organization=org_id, start=FuzzyDate.parse(start) if start else None,
                            end=FuzzyDate.parse(end) if end else None, sources=list(dict.fromkeys(sources)))
            except (ValidationError, ValueError) as error:
                self.importer.undo_to(mark)
                self.reject(entity, plain_error(error, {}))
                continue
            self.kind[entity.id] = "role"
            for doc in self.pointing.get(entity.id, []):
                self.kind[doc.id] = "used"
            roles[holder].append(role)
        return roles

    def person_names(self, entity: Any) -> list[str]:
        names = self.values(entity, "name")
        if not names:
            whole = " ".join(self.values(entity, "firstName", "middleName", "lastName"))
            names = [whole] if whole else []
        return names

    def person(self, entity: Any, names: list[str], roles: list[Role]) -> None:
        if not names:
            self.reject(entity, "no name")
            return
        self.kind[entity.id] = "person"
        labelled, _, rest, _ = self.notes(entity)
        roles = [*roles, *(Role(title=title) for title in self.values(entity, "position"))]
        try:
            record = Person(
                id=self.new_id(entity, names[0], "person"), name=names[0],
                aliases=list(dict.fromkeys(n for n in (*names[1:], *self.values(entity, "alias", "previousName"))
                                           if n != names[0])),
                nationality=self.country(entity, labelled, "nationality", "nationality", "citizenship"),
                summary=self.summary(entity, "summary", "description", "biography", rest=rest),
                roles=roles, **self.tags(entity, Person))
        except (ValidationError, ValueError) as error:
            del self.kind[entity.id]
            self.reject(entity, plain_error(error, {}) + (f" (and its {len(roles)} roles)" if roles else ""))
            return
        self.made[entity.id] = self.importer.add(record).id

    def citations(self, entity: Any) -> list[Citation]:
        """The Documentation of an event as citations, and its source URLs as sources."""
        citations: list[Citation] = []
        for doc in self.pointing.get(entity.id, []):
            if not self.is_a(doc, "Documentation"):
                continue
            document = self.first(doc, "document")
            self.read[doc.id].update(("role",))
            if self.kind.get(document) != "source":
                self.reject(doc, f"its document {document} is not a source of the file")
                self.kind[doc.id] = "used"
                continue
            excerpt = self.first(doc, "summary")
            description = self.first(doc, "description")
            original = description.removeprefix("original: ") if description.startswith("original: ") else ""
            if not original:
                excerpt = excerpt or description
            self.kind[doc.id] = "used"
            if not excerpt:
                self.note(doc, f"cites {self.made[document]} without its words (no summary): "
                               "a whomet citation needs the excerpt, so it is left out")
                continue
            citations.append(Citation(source=self.made[document], excerpt=excerpt,
                                      original=self.made[original] if self.kind.get(original) == "source" else None))
        for url in self.values(entity, "sourceUrl"):
            source = self.source_for_url(url)
            self.note(entity, f"its source {url} is the source {source}, not cited: a whomet citation "
                              "needs the source's words")
        return citations

    def participants(self, entity: Any, capacities: dict[str, str]) -> list[Participant]:
        participants: dict[str, Participant] = {}
        for party in self.values(entity, "involved", "organizer"):
            if self.kind.get(party) in ("person", "organization"):
                who = self.made[party]
                if who not in participants:
                    participants[who] = Participant(who=who, capacity=capacities.get(party, ""))
            else:
                self.note(entity, f"involved {party} is not a person or organization of the file: left out")
        return list(participants.values())

    def already_there(self, entity: Any, kind: type, same: Callable[[Any], bool]) -> bool:
        """Whether the casefile has this source, meeting or statement already, by the entity's id and
        the same title, or quote and date (the file was exported from it): linked to it, not made again."""
        record = self.importer.casefile.records.get(entity.id)
        if not isinstance(record, kind) or not same(record):
            return False
        self.made[entity.id] = record.id
        self.kind[entity.id] = record.kind
        self.existing.add(entity.id)
        for pointer in self.pointing.get(entity.id, []):
            self.kind[pointer.id] = "used"
        self.report.deduplicated.append(f"{self.where(entity)}: the {record.kind} {record.id} of the casefile")
        return True

    def meeting(self, entity: Any) -> None:
        title = self.first(entity, "name")
        labelled, capacities, rest, _ = self.notes(entity)
        mark = self.importer.mark()
        try:
            date = self.date(entity, labelled)
            if date is None:
                raise ValueError("no date: a meeting needs one (date, or startDate and endDate)")
            if self.already_there(entity, Meeting, lambda r: r.title == title and r.date.edtf() == date.edtf()):
                return
            record = Meeting(
                id=self.new_id(entity, f"{date.start.edtf()[:10]} {title}", "meeting"), title=title, date=date,
                date_text=labelled.get("date as written", ""),
                place=self.first(entity, "location") or self.first(entity, "address"),
                type=labelled["type"] if labelled.get("type") in MEETING_TYPES else "event",
                status=labelled["status"] if labelled.get("status") in MEETING_STATUSES else "confirmed",
                summary=self.summary(entity, "summary", "description", rest=rest),
                participants=self.participants(entity, capacities), citations=self.citations(entity),
                **self.tags(entity, Meeting))
        except (ValidationError, ValueError) as error:
            self.importer.undo_to(mark)
            self.reject(entity, plain_error(error, {}))
            return
        self.made[entity.id] = self.importer.add(record).id
        self.kind[entity.id] = "meeting"

    def statement(self, entity: Any) -> None:
        labelled, _, rest, oath = self.notes(entity)
        speakers = [p for p in self.values(entity, "involved") if self.kind.get(p) in ("person", "organization")]
        self.read[entity.id].add("name")
        about: list[About] = []
        asked_by = None
        for link in self.pointing.get(entity.id, []):
            if not self.is_a(link, "UnknownLink"):
                continue
            target, role = self.first(link, "object"), self.first(link, "role")
            if role in ("denies", "confirms", "amends", "mentions") and self.kind.get(target) == "meeting":
                about.append(About(meeting=self.made[target], stance=role))  # type: ignore[arg-type]
                self.kind[link.id] = "used"
            elif role == "asked by" and self.kind.get(target) in ("person", "organization"):
                asked_by = self.made[target]
                self.kind[link.id] = "used"
        mark = self.importer.mark()
        try:
            if not speakers:
                raise ValueError("involved: no person or organization of the file said it")
            if not self.first(entity, "description"):
                raise ValueError("no description: a statement's words are its description")
            date = self.date(entity, labelled)
            if date is None:
                raise ValueError("no date: a statement needs one")
            quote = self.first(entity, "description")
            if self.already_there(entity, Statement, lambda r: r.quote == quote and r.date.edtf() == date.edtf()):
                return
            speaker = self.made[speakers[0]]
            record = Statement(
                id=self.new_id(entity, f"{date.start.edtf()[:10]} {speaker}", "statement"), speaker=speaker,
                date=date, date_text=labelled.get("date as written", ""),
                setting=labelled["setting"] if labelled.get("setting") in STATEMENT_SETTINGS else "other",
                occasion=labelled.get("occasion", ""), under_oath=oath,
                quote=self.first(entity, "description"), question=labelled.get("question", ""), asked_by=asked_by,
                summary=self.summary(entity, "summary", rest=rest), about=about,
                citations=self.citations(entity), **self.tags(entity, Statement))
        except (ValidationError, ValueError) as error:
            self.importer.undo_to(mark)
            self.reject(entity, plain_error(error, {}))
            return
        self.made[entity.id] = self.importer.add(record).id
        self.kind[entity.id] = "statement"

    # What was not placed

    def pointer_unused(self, entity: Any) -> None:
        if self.kind.get(entity.id) == "used":
            return
        if self.is_a(entity, "Documentation"):
            document, target = self.first(entity, "document"), self.first(entity, "entity")
            if target not in self.entities or document not in self.entities:
                missing = target if target not in self.entities else document
                self.reject(entity, f"names {missing}, which is not in the file")
            elif self.kind.get(target) in ("person", "organization", "source"):
                self.note(entity, f"documents the {self.kind[target]} {self.made[target]}: whomet cites sources "
                                  "for meetings, statements and roles only")
            else:
                self.note(entity, f"documents {target}, which was not imported")
        else:
            subject, target = self.first(entity, "subject"), self.first(entity, "object")
            role = self.first(entity, "role") or "no role"
            missing = next((end for end in (subject, target) if end not in self.entities), None)
            if missing is not None:
                self.note(entity, f"a link from {subject} to {target} ({role}): {missing} is not in the file")
            else:
                self.note(entity, f"a link from {subject} to {target} ({role}): whomet keeps only what a "
                                  "statement says of a meeting, and who asked")

    def positions_unused(self, positions: list[Any]) -> None:
        for entity in positions:
            if "used" not in self.read[entity.id]:
                self.note(entity, "a post nobody holds in the file: whomet keeps a position as a person's role")
            self.read[entity.id].update(("name", "organization", "used"))

    def other(self, entities: list[Any]) -> None:
        by_schema: dict[str, list[str]] = defaultdict(list)
        for entity in entities:
            by_schema[entity.schema.name].append(entity.id)
            self.read[entity.id].update(entity.properties)
        for schema, ids in sorted(by_schema.items()):
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            self.report.skipped.append(f"{len(ids)} {schema} entit{'y' if len(ids) == 1 else 'ies'} ({shown}): "
                                       "whomet has no place for them")

    def unread(self) -> None:
        """The properties whomet did not read, by schema: what the casefile does not keep."""
        counts: Counter[tuple[str, str]] = Counter()
        for entity in self.entities.values():
            if entity.id in self.existing or (
                    entity.id not in self.made and self.kind.get(entity.id) not in ("role", "used")):
                continue  # not imported, or the casefile's own record kept as it is: said already
            for prop in set(entity.properties) - self.read[entity.id]:
                counts[(entity.schema.name, prop)] += 1
        by_schema: dict[str, list[str]] = defaultdict(list)
        for (schema, prop), number in sorted(counts.items()):
            by_schema[schema].append(f"{prop}{f' ×{number}' if number > 1 else ''}")
        for schema, props in by_schema.items():
            self.report.skipped.append(f"{schema} properties not kept: {', '.join(props)}")
