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

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ..model import Person
from ..store import Casefile
from .common import Importer
from .ftm_entities import read_entities
from .ftm_records import RecordMaker


def import_ftm(path: Path, casefile: Casefile) -> Importer:
    """The casefile's records from a file of FtM entities; nothing is written yet."""
    entities, rejected, noted = read_entities(path)
    importer = Importer(casefile)
    importer.report.rejected += rejected
    importer.report.skipped += noted
    _Reading(importer, entities).run()
    return importer


class _Reading(RecordMaker):
    """One file's entities turned into records, in the order references need: sources, organizations,
    roles and people, meetings, statements."""

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
