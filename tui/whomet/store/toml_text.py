"""TOML text of our own making: a value written in the style of the item it replaces, and the
comments of a text found without parsing it (an edit must keep every one it does not remove)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Value = Any
"""A TOML-shaped value: a string, a boolean, a number, a list or a dict of those."""

MISSING = object()
"""A key a record does not have."""


def cleared(value: Value) -> bool:
    """Whether a value is one a file leaves out: missing, none, or empty."""
    return value is MISSING or value is None or value == "" or value == []


def value_like(value: Value, like: Any) -> Any:
    """A TOML item for ``value``, in the style of the item it replaces where it can be."""
    import tomlkit
    from tomlkit.items import String, StringType

    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        tables = tomlkit.aot()
        for entry in value:
            table = tomlkit.table()
            for key, inner in entry.items():
                if not cleared(inner):
                    table[key] = value_like(inner, None)
            tables.append(table)
        return tables
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        for key, inner in value.items():
            if not cleared(inner):
                table[key] = value_like(inner, None)
        return table
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(value)
        return array
    if isinstance(value, str):
        kind = like.type if isinstance(like, String) else None
        if "\n" in value or (kind is not None and kind.is_multiline()):
            folded = isinstance(like, String) and "\\\n" in like.as_string()
            item = tomlkit.string(value, multiline=True)
            return String(StringType.MLB, value, _multiline_basic(value, fold=folded), item.trivia)
        literal = kind is not None and kind.is_literal() and _literal_ok(value)
        return tomlkit.string(value, literal=literal)
    return tomlkit.item(value)


def _literal_ok(value: str) -> bool:
    return "'" not in value and not any(ord(c) < 32 or ord(c) == 127 for c in value if c != "\t")


_CONTROL = re.compile(r'[\x00-\x08\x0b-\x1f\x7f\\]')


def _escape_multiline(value: str) -> str:
    escaped = _CONTROL.sub(lambda m: "\\\\" if m.group() == "\\" else f"\\u{ord(m.group()):04x}", value)
    # Every straight quote escaped: no run of three can close the string early, nor one at its end.
    return escaped.replace('"', '\\"')


def _multiline_basic(value: str, *, fold: bool, width: int = 95) -> str:
    """The text inside the quotes of ``value`` as a multi-line basic string opening on its own
    line; ``fold``: long lines are wrapped at spaces with a line-ending backslash, as the file did."""
    lines = _escape_multiline(value).split("\n")
    if fold:
        lines = [wrapped for line in lines for wrapped in _fold(line, width)]
    return "\n" + "\n".join(lines)


def _fold(line: str, width: int) -> list[str]:
    """A line cut at single spaces into pieces ending in ``" \\"``, which TOML reads as one line."""
    pieces: list[str] = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        while cut > 0 and (line[cut - 1] == " " or line[cut + 1: cut + 2] in (" ", "")):
            cut = line.rfind(" ", 0, cut)
        if cut <= 0:
            break
        pieces.append(line[: cut + 1] + "\\")
        line = line[cut + 1:]
    pieces.append(line)
    return pieces


def comments_in(text: str) -> Iterator[str]:
    """Every comment of a TOML text (``# ...`` outside strings), stripped."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            yield text[i:end].strip()
            i = end
        elif text.startswith('"""', i) or text.startswith("'''", i):
            quote = text[i:i + 3]
            j = i + 3
            while True:
                j = text.find(quote, j)
                if j < 0:
                    return
                if quote == '"""' and _escaped(text, j):
                    j += 1
                    continue
                break
            while text.startswith(quote[0], j + 3):
                j += 1  # up to two quotes may end the content itself
            i = j + 3
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if c == '"' and text[j] == "\\" else 1
            i = j + 1
        else:
            i += 1


def _escaped(text: str, at: int) -> bool:
    backslashes = 0
    while at - backslashes - 1 >= 0 and text[at - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
