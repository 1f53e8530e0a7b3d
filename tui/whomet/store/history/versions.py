"""The versions of a record file and what changed from one to another: a version read as TOML (or
why it could not be), and the changes between two versions key by key, the entries of a list
paired by their names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import tomli

KEY_FIELDS: dict[str, str] = {"participants": "who", "citations": "source", "roles": "title", "about": "meeting"}
"""The key that names an entry of each list of tables: a participant by who, a citation by its source."""

_REFERENCES = frozenset({"organization", "parent", "sources", "source", "original", "who", "speaker", "asked_by",
                         "meeting"})
"""The keys whose values are ids of other records (``model.records.REFERENCE_KINDS``)."""

_ORDER: dict[str, tuple[str, ...]] = {
    "people": ("name", "aliases", "summary", "nationality", "roles"),
    "organizations": ("name", "aliases", "type", "country", "parent", "summary"),
    "meetings": ("title", "date", "date_text", "place", "type", "status", "summary", "participants", "citations"),
    "statements": ("speaker", "date", "date_text", "setting", "occasion", "under_oath", "quote", "question",
                   "asked_by", "summary", "about", "citations"),
    "sources": ("title", "publisher", "authors", "published", "url", "type", "summary"),
}
"""Each kind's fields in the order of its model (``model.records``), for listing them."""

_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = " (at end of document)"
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def is_reference(key: str) -> bool:
    """Whether values of ``key`` are ids of other records (shown by their names)."""
    return key in _REFERENCES


class _Absent:
    """A field a version does not have (its one value is ``ABSENT``)."""

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()
"""The value of a field that a version does not have."""


@dataclass(frozen=True, slots=True)
class Version:
    """The file at one commit: its keys when it is TOML, else why it could not be read."""

    fields: dict[str, Any] | None = None
    error: str | None = None
    """"line 3: Expected '=' after a key…" when the file is there but not TOML."""
    exists: bool = True

    @property
    def readable(self) -> bool:
        return self.fields is not None


GONE = Version(exists=False)


def read_version(data: bytes | None) -> Version:
    """A version from the file's bytes (None: the file is not there at that commit)."""
    if data is None:
        return GONE
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Version(error=f"line {line}: not UTF-8 text (byte {error.start + 1} is 0x{data[error.start]:02x})")
    text = text.removeprefix("\ufeff")
    conflict = _CONFLICT.search(text)
    if conflict is not None:
        line = text.count("\n", 0, conflict.start()) + 1
        return Version(error=f"line {line}: a git merge conflict was left in it")
    try:
        return Version(fields=tomli.loads(text))
    except tomli.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_WHERE.search(message)
        if where is not None:
            return Version(error=f"line {where.group(1)}: {message[:where.start()]}")
        if message.endswith(_AT_END):
            return Version(error=f"line {text.count(chr(10)) + 1}: {message.removesuffix(_AT_END)} at the end of the file")
        return Version(error=message)
    except RecursionError:
        return Version(error="its tables are nested too deeply to read")


@dataclass(frozen=True, slots=True)
class EntryChange:
    """An entry of a list that a commit added (``+``), removed (``-``) or changed (``~``)."""

    sign: Literal["+", "-", "~"]
    value: Any
    """The entry (after the change, for ``~``): a table, or a plain value."""
    key: str | None = None
    """The key that names a table entry (``who`` for a participant), None for a plain value."""
    changes: tuple[FieldChange, ...] = ()
    """For ``~``: the entry's keys that changed."""

    @property
    def name(self) -> Any:
        """What the entry is called: its key's value, or the value itself."""
        if self.key is not None and isinstance(self.value, dict):
            return self.value.get(self.key, ABSENT)
        return self.value


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One key of a record, as a commit changed it."""

    field: str
    before: Any = ABSENT
    after: Any = ABSENT
    entries: tuple[EntryChange, ...] = ()
    """For a list: the entries added, removed and changed (none when only their order changed);
    a list added or removed whole has each of its entries added or removed."""

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        if self.before is ABSENT:
            return "added"
        if self.after is ABSENT:
            return "removed"
        return "changed"

    @property
    def is_list(self) -> bool:
        return isinstance(self.before, list) and isinstance(self.after, list)


def field_order(folder: str, *tables: dict[str, Any]) -> list[str]:
    """The keys of ``tables``: the kind's fields in the model's order, then any others as found."""
    keys = dict.fromkeys(key for table in tables for key in table)
    known = [key for key in _ORDER.get(folder, ()) if key in keys]
    return known + [key for key in keys if key not in known]


def field_changes(before: dict[str, Any], after: dict[str, Any], folder: str = "") -> tuple[FieldChange, ...]:
    """What changed from ``before`` to ``after``, key by key, in the kind's field order."""
    changes = []
    for key in field_order(folder, after, before):
        old, new = before.get(key, ABSENT), after.get(key, ABSENT)
        if _same(old, new):
            continue
        entries: tuple[EntryChange, ...] = ()
        if isinstance(old, list) or isinstance(new, list):
            entries = list_changes(key, old if isinstance(old, list) else [], new if isinstance(new, list) else [])
        changes.append(FieldChange(key, old, new, entries))
    return tuple(changes)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _is_table_list(values: Sequence[Any]) -> bool:
    return bool(values) and all(isinstance(value, dict) for value in values)


def key_of(key: str, entries: Sequence[Any]) -> str | None:
    """The key that names the tables of the list ``key``: its known one, else the first key of its first table."""
    if key in KEY_FIELDS:
        return KEY_FIELDS[key]
    first = next((entry for entry in entries if isinstance(entry, dict) and entry), None)
    return next(iter(first)) if first is not None else None


def pair_entries(key: str | None, old: Sequence[Any], new: Sequence[Any]) -> tuple[
        list[tuple[int, int]], list[tuple[int, int]], list[int], list[int]]:
    """How the entries of two versions of a list correspond: (pairs of equal entries, pairs of
    changed entries of the same name, entries only in ``old``, entries only in ``new``), by position.

    Equal entries are paired first, in order; of the rest, tables of the same name (their ``key``'s
    value) in order; what is left was removed or added."""
    unmatched_old = list(range(len(old)))
    equal: list[tuple[int, int]] = []
    left_new: list[int] = []
    for j, value in enumerate(new):
        i = next((i for i in unmatched_old if _same(old[i], value)), None)
        if i is None:
            left_new.append(j)
        else:
            unmatched_old.remove(i)
            equal.append((i, j))
    changed: list[tuple[int, int]] = []
    if key is not None:
        still_new = []
        for j in left_new:
            name = new[j].get(key, ABSENT) if isinstance(new[j], dict) else ABSENT
            i = next((i for i in unmatched_old if name is not ABSENT and isinstance(old[i], dict)
                      and _same(old[i].get(key, ABSENT), name)), None)
            if i is None:
                still_new.append(j)
            else:
                unmatched_old.remove(i)
                changed.append((i, j))
        left_new = still_new
    return equal, changed, unmatched_old, left_new


def list_changes(key: str, old: list[Any], new: list[Any]) -> tuple[EntryChange, ...]:
    """The entries of a list that were removed, changed and added (by their place in the list)."""
    tables = _is_table_list(old) or _is_table_list(new)
    name = key_of(key, [*new, *old]) if tables else None
    _equal, changed, removed, added = pair_entries(name, old, new)
    placed: list[tuple[float, EntryChange]] = []
    for i in removed:
        placed.append((i - 0.5, EntryChange("-", old[i], name if isinstance(old[i], dict) else None)))
    for i, j in changed:
        placed.append((j, EntryChange("~", new[j], name, field_changes(old[i], new[j]))))
    for j in added:
        placed.append((j, EntryChange("+", new[j], name if isinstance(new[j], dict) else None)))
    placed.sort(key=lambda item: item[0])
    return tuple(entry for _, entry in placed)
