"""FollowTheMoney entities made into a casefile's records, one kind at a time: sources,
organizations and their parents, people and their roles, meetings and statements with their
participants and citations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, get_args

from pydantic import ValidationError

from ..model import (About, Citation, DateError, FuzzyDate, Meeting, Organization, Participant, Person, Role,
                     Source, Statement)
from ..model.kinds import MEETING_STATUSES, MEETING_TYPES, STATEMENT_SETTINGS
from .ftm_entities import NOTE, EntityReader
from .spreadsheet import plain_error

ORGANIZATION_TYPES: tuple[str, ...] = get_args(Organization.model_fields["type"].annotation)
"""What an organization's ``type`` may be (an FtM ``classification`` that is one of these is read as it)."""

SOURCE_TYPES: tuple[str, ...] = get_args(Source.model_fields["type"].annotation)

ROLE_TITLES = {"Membership": "Member", "Employment": "Employee", "Directorship": "Director"}
"""A role's title when its entity names none."""


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


class RecordMaker(EntityReader):
    """Each kind of entity made into its record, or linked to the casefile's own."""

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
