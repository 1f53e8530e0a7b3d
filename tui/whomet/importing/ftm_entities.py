"""FollowTheMoney entities read from a file with the ``followthemoney`` library's own model, and
what is read of each entity: its values, notes and dates, and what it is, asked of its schema (``is_a``)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model import DateError, FuzzyDate, Organization, Person, Source
from ..model.kinds import SLUG_PATTERN
from .common import Importer

NOTE = re.compile(r"(kind|type|status|date|date as written|setting|occasion|question|nationality|country|published|"
                  r"start|end): (.*)", re.DOTALL)
"""A note whomet's export writes for a field FtM has no property for (see ``export/ftm.py``)."""
CAPACITY = re.compile(r"capacity of (\S+): (.*)", re.DOTALL)


class FtmError(ValueError):
    """A file that is not FollowTheMoney entities at all."""


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


class EntityReader:
    """One file's entities by id, what is read of each, and the record each became."""

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
