"""An edit as a change of the keys that changed, made in the file's own text.

Everything else of the file stays as written: keys whose value equals the default, comments,
key order, quoting, blank lines and line ends. A list of tables (``[[participants]]``) is changed
entry by entry: the entries added, removed or changed, matched by sequence alignment, and the
others keep their text and comments.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from .toml_text import MISSING, Value, cleared, comments_in, value_like


class UnkeepableLayout(Exception):
    """The file is laid out in a way that an edit of it would not keep as written."""


class LostComments(Exception):
    """The edit of ``field`` would drop comments that are not part of what was removed."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def edited_text(original: str, before: dict[str, Value], after: dict[str, Value]) -> str:
    """``original`` (the text of a file that reads as ``before``) changed so that it reads as
    ``after``: only the keys whose value differs are rewritten. Both dicts hold every field of the
    record, defaults included, in the model's order."""
    import tomlkit

    crlf = original.count("\r\n")
    if crlf and crlf != original.count("\n"):
        raise UnkeepableLayout("its lines end both in CRLF and in LF")
    newline = "\r\n" if crlf else "\n"
    bom = "\ufeff" if original.startswith("\ufeff") else ""
    text = original.removeprefix("\ufeff").replace("\r\n", "\n")
    document = tomlkit.parse(text)
    if tomlkit.dumps(document) != text:
        # tomlkit would move parts of it (a list of tables split by another table, say).
        raise UnkeepableLayout("its tables are laid out in an order an edit cannot keep")
    rendered = text
    comments = Counter(comments_in(text))
    for key in _keys(before, after):
        old, new = before.get(key, MISSING), after.get(key, MISSING)
        if old == new:
            continue
        removed: Counter[str] = Counter()
        _change(document, key, old, new, removed)
        rendered = tomlkit.dumps(document)
        now = Counter(comments_in(rendered))
        if comments - removed - now:
            raise LostComments(key)
        comments = now
    if newline != "\n":
        rendered = rendered.replace("\n", newline)
    return bom + rendered


def _keys(before: dict[str, Value], after: dict[str, Value]) -> list[str]:
    return list(after) + [key for key in before if key not in after]


def _change(container: Any, key: str, old: Value, new: Value, removed: Counter[str]) -> None:
    """Make ``container[key]`` read as ``new`` (it read as ``old``), touching as little as it can."""
    present = key in container
    if cleared(new):
        if present:
            _remove(container, key, removed)
        return
    if not present:
        _insert(container, key, new)
        return
    from tomlkit.items import AoT, Array, InlineTable, Table

    item = container[key]
    if isinstance(item, AoT) and isinstance(new, list) and all(isinstance(v, dict) for v in new):
        _edit_tables(container, key, item, old if isinstance(old, list) else [], new, removed)
    elif isinstance(item, Array) and isinstance(new, list):
        _edit_array(item, old if isinstance(old, list) else [], new, removed)
    elif isinstance(item, (Table, InlineTable)) and isinstance(new, dict):
        _edit_mapping(item, old if isinstance(old, dict) else {}, new, removed)
    else:
        container[key] = value_like(new, item)


def _edit_mapping(mapping: Any, old: dict[str, Value], new: dict[str, Value], removed: Counter[str]) -> None:
    for key in _keys(old, new):
        before, after = old.get(key, MISSING), new.get(key, MISSING)
        if before != after:
            _change(mapping, key, before, after, removed)


def _identity(value: Value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _alignment(old: list[Value], new: list[Value]) -> Iterator[tuple[int | None, int | None]]:
    """Pairs (old index, new index) in order: both for an entry kept or changed in place, one
    side None for an entry removed or added."""
    matcher = difflib.SequenceMatcher(a=[_identity(v) for v in old], b=[_identity(v) for v in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(range(i1, i2), range(j1, j2))
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        yield from zip(range(i1, i1 + paired), range(j1, j1 + paired))
        for i in range(i1 + paired, i2):
            yield i, None
        for j in range(j1 + paired, j2):
            yield None, j


def _edit_array(array: Any, old: list[Value], new: list[Value], removed: Counter[str]) -> None:
    from tomlkit.items import InlineTable

    steps = list(_alignment(old, new))
    # Removals first, from the end, so that the indices still to come stay right.
    for i, j in reversed(steps):
        if j is None and i is not None:
            removed.update(comments_in(array[i].as_string()))
            del array[i]
    position = 0
    for i, j in steps:
        if j is None:
            continue
        if i is None:
            array.insert(position, value_like(new[j], None))
        elif old[i] != new[j]:
            current = array[position]
            if isinstance(current, InlineTable) and isinstance(new[j], dict):
                _edit_mapping(current, old[i], new[j], removed)
            else:
                array[position] = value_like(new[j], current)
        position += 1


def _trailing(table: Any) -> list[tuple[Any, Any]]:
    """The blank lines and comments at the end of a table's body: they stand before what follows."""
    from tomlkit.items import Comment, Whitespace

    body = table.value.body
    start = len(body)
    while start and body[start - 1][0] is None and isinstance(body[start - 1][1], (Comment, Whitespace)):
        start -= 1
    return body[start:]


def _take_trailing(table: Any) -> str:
    """Remove the trailing blank lines and comments of ``table`` and give back their text."""
    tail = _trailing(table)
    if not tail:
        return ""
    text = "".join(item.as_string() for _, item in tail)
    body = table.value.body
    del body[len(body) - len(tail):]
    return text


def _edit_tables(container: Any, key: str, aot: Any, old: list[dict[str, Value]],
                 new: list[dict[str, Value]], removed: Counter[str]) -> None:
    import tomlkit
    from tomlkit.items import AoT

    tables = list(aot.body)
    # What stands between two entries belongs to the one after it: move it into that entry's
    # lead, so that an entry removed takes its own comment and leaves its neighbours' alone.
    for before, after in zip(tables, tables[1:]):
        after.trivia.indent = _take_trailing(before) + after.trivia.indent
    tail = _take_trailing(tables[-1]) if tables else ""
    separator = _separator(tables)

    kept: list[Any] = []
    for i, j in _alignment(old, new):
        if j is None:
            assert i is not None
            table = tables[i]
            removed.update(comments_in(table.trivia.indent + table.trivia.comment + "\n" + table.as_string()))
            continue
        if i is None:
            table = tomlkit.table()
            for name, value in new[j].items():
                if not cleared(value):
                    table[name] = value_like(value, None)
            table.trivia.indent = separator if kept or tables else ""
            kept.append(table)
            continue
        table = tables[i]
        if old[i] != new[j]:
            _edit_mapping(table, old[i], new[j], removed)
        kept.append(table)
    if kept and tables:
        # The first entry keeps the lead the list had in the file, whichever entry it now is.
        first_lead = tables[0].trivia.indent
        if kept[0] is not tables[0]:
            lead = _lead_comments(kept[0].trivia.indent)
            kept[0].trivia.indent = first_lead + lead
            if tables[0] in kept:
                tables[0].trivia.indent = separator
    if tail:
        if kept:
            kept[-1].append(None, _raw(tail))
        else:
            _leave_before_next(container, key, tail)
            return
    container[key] = AoT(kept)


def _lead_comments(indent: str) -> str:
    """The comment lines of an entry's lead, without the blank lines that separated it."""
    return indent.lstrip("\n") if "#" in indent else ""


def _separator(tables: list[Any]) -> str:
    """What the file puts between two entries of a list (a blank line, most often)."""
    for table in tables[1:]:
        indent = table.trivia.indent
        return indent[: len(indent) - len(indent.lstrip("\n"))] or "\n"
    return "\n"


def _raw(text: str) -> Any:
    """Text of the file kept as it was written (blank lines and comments), as an item."""
    from tomlkit.items import Whitespace

    return Whitespace(text)


def _leave_before_next(container: Any, key: str, text: str) -> None:
    """Remove the list ``key``; ``text``, which stood after its last entry, stays where it was:
    before the table that follows, or at the end."""
    from tomlkit.items import AoT, Table

    body = container.body
    index = next(i for i, (k, _) in enumerate(body) if k is not None and k.key == key)
    following = next((item for k, item in body[index + 1:] if k is not None), None)
    del container[key]
    if isinstance(following, AoT) and following.body:
        following = following.body[0]
    if isinstance(following, Table):
        following.trivia.indent = text + following.trivia.indent
    else:
        container.append(None, _raw(text))


def _remove(container: Any, key: str, removed: Counter[str]) -> None:
    from tomlkit.items import AoT

    item = container[key]
    if isinstance(item, AoT):
        tables = list(item.body)
        tail = _take_trailing(tables[-1]) if tables else ""
        for table in tables:
            removed.update(comments_in(table.as_string()))
        if "#" in tail:
            _leave_before_next(container, key, tail)
            return
    else:
        removed.update(comments_in(item.as_string()))
    del container[key]


def _insert(container: Any, key: str, value: Value) -> None:
    """Add ``key``, before the first table of the container when it is a plain value."""
    from tomlkit.items import AoT, Table

    item = value_like(value, None)
    if isinstance(item, AoT) or not hasattr(container, "_insert_at"):
        container[key] = item
        return
    body = container.body
    first_table = next((index for index, (k, v) in enumerate(body)
                        if k is not None and isinstance(v, (Table, AoT))), None)
    if first_table is None:
        container[key] = item
        return
    # Before the blank lines and comments that lead into the first table.
    index = first_table
    while index and body[index - 1][0] is None:
        index -= 1
    if index >= len(body):
        container[key] = item
        return
    container._insert_at(index, key, item)
