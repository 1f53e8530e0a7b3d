"""Every edit a form can make to a record, and what an edit may change in a file."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from whomet.model import Record

CANDIDATES = ("{} edited", "other-id", "2015-03", "Edited")
"""What a changed text field is tried with, first that validates wins (text, id, date, name)."""


def _changed_text(value: str) -> list[str]:
    return [c.format(value) if "{}" in c else c for c in CANDIDATES]


def _valid(cls: type[Record], data: dict[str, Any]) -> Record | None:
    try:
        return cls.model_validate(data)
    except ValidationError:
        return None


def _value_edits(value: Any, choices: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """(what, new value) for one value: changed, cleared, and for lists each entry added,
    removed and changed."""
    if isinstance(value, bool):
        yield "flip", not value
    elif isinstance(value, str) or value is None:
        for choice in choices:
            if choice != value:
                yield f"choose {choice}", choice
        for candidate in _changed_text(value or ""):
            yield "change", candidate
        yield "clear", ""
        yield "clear", None
    elif isinstance(value, list):
        yield "add", [*value, *(_new_entry(value))]
        yield "clear", []
        for i, entry in enumerate(value):
            yield f"remove {i}", value[:i] + value[i + 1:]
            for what, changed in _entry_edits(entry):
                yield f"change {i} {what}", [*value[:i], changed, *value[i + 1:]]


def _new_entry(value: list[Any]) -> list[Any]:
    if not value:
        return ["added-entry"]
    if isinstance(value[0], dict):
        entry = dict(value[-1])
        key = next((k for k, v in entry.items() if isinstance(v, str) and v), None)
        if key is not None:
            entry[key] = entry[key] + " added" if " " in entry[key] else entry[key] + "-added"
        return [entry]
    return [f"{value[-1]}-added" if " " not in value[-1] else f"{value[-1]} Added"]


def _entry_edits(entry: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(entry, dict):
        for key, inner in entry.items():
            if isinstance(inner, list):
                for what, changed in _value_edits(inner, ()):
                    yield f"{key} {what}", {**entry, key: changed}
            elif isinstance(inner, (str, type(None))):
                for candidate in _changed_text(inner or ""):
                    yield key, {**entry, key: candidate}
                yield f"{key} clear", {**entry, key: None}
                yield f"{key} clear", {**entry, key: ""}
    elif isinstance(entry, str):
        for candidate in _changed_text(entry):
            yield "change", candidate


def _choices(cls: type[Record], name: str) -> tuple[str, ...]:
    import typing

    annotation = cls.model_fields[name].annotation
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(typing.get_args(annotation))
    return ()


def record_edits(record: Record) -> Iterator[tuple[str, str, Record]]:
    """(field, what was done, edited record) for every field: each distinct valid edit once."""
    cls = type(record)
    data = record.model_dump(mode="json")
    for name in cls.model_fields:
        if name == "id":
            continue
        seen: set[str] = set()
        for what, value in _value_edits(data[name], _choices(cls, name)):
            edited = _valid(cls, {**data, name: value} if value is not None else
                            {k: v for k, v in data.items() if k != name})
            if edited is None or edited == record:
                continue
            key = repr(edited.model_dump(mode="json")[name])
            if key in seen:
                continue
            seen.add(key)
            yield name, what, edited


_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")


def key_region(text: str, key: str) -> tuple[int, int] | None:
    """The lines [start, end) of ``key`` in a record file (its line and any it continues on, or
    every entry of its list of tables), widened over the blank lines around it."""
    lines = text.splitlines()
    start = end = None
    in_tables = False
    for number, line in enumerate(lines):
        header = _HEADER.match(line)
        if header:
            if header.group(1) == key:
                start = number if start is None else start
                in_tables = True
                end = number + 1
            elif in_tables:
                break
            else:
                in_tables = False
            continue
        if in_tables:
            end = number + 1
            continue
        found = _KEY_LINE.match(line)
        if found and start is None and found.group(1) == key and not _inside_table(lines, number):
            start, end = number, number + 1
            while end < len(lines) and not _starts_item(lines[end]) and lines[end].strip():
                end += 1
    if start is None or end is None:
        return None
    while in_tables and end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1  # what leads into the next table is not the list's
    while start > 0 and not lines[start - 1].strip():
        start -= 1
    while end < len(lines) and not lines[end].strip():
        end += 1
    return start, end


def _inside_table(lines: list[str], number: int) -> bool:
    return any(_HEADER.match(line) for line in lines[:number])


def _starts_item(line: str) -> bool:
    return bool(_KEY_LINE.match(line) or _HEADER.match(line) or line.lstrip().startswith("#"))


def changed_outside(before: str, after: str, *keys: str) -> list[str]:
    """The lines of ``before`` that ``after`` changed or removed outside the regions of ``keys``
    (an added key may only add lines)."""
    regions = [region for key in keys if (region := key_region(before, key)) is not None]
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    outside = []
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag in ("equal", "insert"):
            continue
        for number in range(i1, i2):
            if not any(start <= number < end for start, end in regions):
                outside.append(f"{number + 1}: {old[number]!r}")
    return outside


def changed_keys(before: Record, after: Record) -> list[str]:
    """The fields whose value differs between two versions of a record."""
    old, new = before.field_values(), after.field_values()
    return [key for key in new if old.get(key) != new[key]]
