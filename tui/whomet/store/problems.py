"""Problems found in a casefile, each tied to a file and, where known, a line."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # pydantic is imported by the models; a look at the files needs neither
    from pydantic import BaseModel, ValidationError

Severity = Literal["error", "warning"]

CODES: dict[str, str] = {
    "syntax": "the file is not valid TOML",
    "merge-conflict": "a git merge conflict left in the file",
    "encoding": "the file is not UTF-8 text",
    "unreadable": "the file or folder cannot be read, or is not a file (a folder, a pipe, a loop of links)",
    "unknown-key": "a key the record kind does not have",
    "missing-field": "a required field is missing",
    "wrong-type": "a value of the wrong type",
    "bad-choice": "a value that is not one of the allowed choices",
    "empty-field": "a field that must not be empty",
    "bad-date": "a date that cannot be read or does not exist",
    "date-order": "an end before its start",
    "bad-ref": "a reference that is not written as an id",
    "bad-tag": "a tag that is not a short name on one line",
    "bad-id": "a file name that is not a valid id",
    "duplicate-id": "two records with the same id",
    "missing-ref": "a reference to a record that does not exist",
    "wrong-kind-ref": "a reference to a record of the wrong kind",
    "cycle": "an organization that is, through its parents, part of itself",
    "no-citation": "a meeting or statement that cites no source",
    "stray-file": "a file or folder that is not read: outside the kind folders, too deep, or a save's leftover",
    "no-casefile": "the casefile folder does not exist",
    "archive-outside": "a source's archive named outside the casefile (an absolute path, .., a link out)",
    "archive-missing": "a source's archive file does not exist",
    "archive-unreadable": "a source's archive cannot be read as text (not UTF-8, no article text, a broken PDF, not .txt, .md, .html or .pdf)",
    "archive-changed": "a source's archive no longer matches the digest recorded when it was archived",
    "quote-differs": "a quote or excerpt that the archive of its source does not hold as written",
    "reader-failed": "a process that reads the files failed; they were read in whomet's own process instead, more slowly",
}
"""Every problem code, with what it means. Codes are stable: scripts may match on them."""


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    path: Path
    line: int | None
    code: str
    message: str

    def shown_path(self, base: Path | None = None) -> Path:
        """The file's path relative to ``base`` when it lies under it."""
        if base is not None and self.path.is_relative_to(base):
            return self.path.relative_to(base)
        return self.path

    def location(self, base: Path | None = None) -> str:
        path = self.shown_path(base)
        return f"{path}:{self.line}" if self.line else str(path)

    def format(self, base: Path | None = None) -> str:
        """The problem as one line, ``path:line: severity code: message``."""
        return f"{self.location(base)}: {self.severity} {self.code}: {self.message}"

    def as_json(self, base: Path | None = None) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "path": str(self.shown_path(base)),
            "line": self.line,
            "code": self.code,
            "message": self.message,
        }


_HEADER = re.compile(r"^\s*\[(\[)?\s*([A-Za-z0-9_\-.\"' ]+?)\s*\]?\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*=")


def find_line(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line where the value at ``loc`` is written, as near as can be told.

    Understands top-level keys, ``[table]`` and ``[[array]]`` headers and keys inside
    them; a value written inline points at the line of its top-level key. To find the lines of
    many values of one text, use one :class:`Lines`: it goes through the text once.
    """
    return Lines(text).find(loc)


class Lines:
    """Where the keys and table headers of one TOML text are written, found in one pass over
    the text (on first use), so that finding the line of each of thousands of problems in one
    file takes no longer than reading it once."""

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._top: dict[str, int] = {}
        """Each key written before the first header, and its line."""
        self._tables: dict[str, list[tuple[int, bool, dict[str, int]]]] = {}
        """Each header's name: each of its headers in turn (line, whether it is an [[array]]
        header, and the keys written under it with their lines)."""

    def _scan(self) -> None:
        text, self._text = self._text, None
        if text is None:
            return
        keys: dict[str, int] | None = None  # those of the header above, once there is one
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                keys = {}
                name = header.group(2).strip().strip("\"'")
                self._tables.setdefault(name, []).append((number, header.group(1) is not None, keys))
                continue
            key = _KEY.match(line)
            if key:
                name = key.group(1).strip("\"'")
                (self._top if keys is None else keys).setdefault(name, number)

    def find(self, loc: tuple[str | int, ...]) -> int | None:
        """The line of the value at ``loc`` (see :func:`find_line`)."""
        if not loc:
            return None
        self._scan()
        top = str(loc[0])
        if top in self._top:
            return self._top[top]
        rest = loc[1:]
        # The n-th [[top]] block when loc indexes into an array of tables.
        wanted_block = rest[0] if rest and isinstance(rest[0], int) else 0
        sub = next((str(part) for part in rest if isinstance(part, str)), None)
        blocks = -1
        for number, is_array, keys in self._tables.get(top, ()):
            blocks += is_array
            if is_array and blocks != wanted_block:
                continue
            if sub is None:
                return number
            return keys.get(sub, number)
        return None


def phrase(loc: tuple[str | int, ...]) -> str:
    """A field path as a reader would say it: ``'who' of participants #2``."""
    parts = [p for p in loc]
    if not parts:
        return "the record"
    name = str(parts[-1]) if not isinstance(parts[-1], int) else None
    where: list[str] = []
    index_parts = parts[:-1] if name is not None else parts
    i = 0
    while i < len(index_parts):
        part = index_parts[i]
        if isinstance(part, int):
            i += 1
            continue
        if i + 1 < len(index_parts) and isinstance(index_parts[i + 1], int):
            where.append(f"{part} #{index_parts[i + 1] + 1}")
            i += 2
        else:
            where.append(str(part))
            i += 1
    if name is None:
        return "the entry " + " of ".join(reversed(where)) if where else "the entry"
    if where:
        return f"'{name}' of " + " of ".join(reversed(where))
    return f"'{name}'"


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The nested model class that holds the last key of ``loc``."""
    from pydantic import BaseModel

    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        annotation = field.annotation
        args = getattr(annotation, "__args__", ()) or ()
        candidates = [annotation, *args]
        current = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_TYPE_WORDS = {
    "string_type": "text in quotes",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list [ ... ]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
}


def _type_name(value: Any) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list",
             dict: "a table"}
    return names.get(type(value), type(value).__name__)


MOST_PER_FILE = 100
"""Problems of one kind of check listed for one file; the rest are counted in one more line."""


def more_problems(path: Path, codes: list[str], severity: Severity, after: list[Problem]) -> Problem:
    """One problem that stands for the problems of ``path`` that are not listed (``codes``: the
    code of each), placed ``after`` those that are: on the line of the last of them, so that
    problems put in order of line keep it last."""
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    line = max((problem.line for problem in after if problem.line is not None), default=None)
    if len(counts) == 1:
        return Problem(severity, path, line, codes[0],
                       f"… and {len(codes):,} more {codes[0]} problems in this file, not listed one by one")
    told = ", ".join(f"{count:,} {code}" for code, count in sorted(counts.items(), key=lambda pair: -pair[1]))
    return Problem(severity, path, line, max(counts, key=counts.__getitem__),
                   f"… and {len(codes):,} more problems in this file, not listed one by one: {told}")


def problems_from_validation(
    error: ValidationError, model: type[BaseModel], path: Path, text: str, most: int | None = None
) -> list[Problem]:
    """Each pydantic error as a problem a reporter can act on, one for each; or, past ``most``
    of them, one more problem that counts the rest."""
    found: list[Problem] = []
    items = error.errors(include_url=False)
    rest = items[most:] if most is not None and len(items) > most else []
    lines = Lines(text)
    for item in items[:len(items) - len(rest)]:
        loc = tuple(part for part in item["loc"])
        kind = item["type"]
        code = _code_of(item)
        where = phrase(loc)
        value = item.get("input")
        line = lines.find(loc)
        if code == "unknown-key":
            message = f"unknown key {where}"
            holder = _model_at(model, loc)
            if holder is not None:
                close = difflib.get_close_matches(str(loc[-1]), [f for f in holder.model_fields if f != "id"], n=1)
                if close:
                    message += f"; did you mean '{close[0]}'?"
                else:
                    allowed = ", ".join(f for f in holder.model_fields if f != "id")
                    message += f"; the keys here are: {allowed}"
        elif code == "missing-field":
            message = f"{where} is required"
            if line is None and len(loc) > 1:
                line = lines.find(loc[:-1])
        elif code == "bad-choice":
            message = f"{where} is {value!r}; it must be one of: {item['ctx']['expected']}"
        elif code == "bad-ref":
            message = (
                f"{where} is {value!r}, which is not an id; ids are lower-case letters, digits "
                "and hyphens, the name of the record's file without .toml"
            )
        elif code == "bad-tag":
            message = (f"{where} is {value!r}; a tag is a short name on one line (60 characters at most), "
                       "with no space at either end")
        elif code == "empty-field":
            message = f"{where} must not be empty"
        elif code in ("bad-date", "date-order"):
            message = f"{where}: {_reason(item)}"
        else:
            expected = _TYPE_WORDS.get(kind, item["msg"].lower())
            message = f"{where} should be {expected}, not {_type_name(value)}"
        found.append(Problem("error", path, line, code, message))
    if rest:
        found.append(more_problems(path, [_code_of(item) for item in rest], "error", found))
    return found


_CODE_OF_TYPE = {
    "extra_forbidden": "unknown-key",
    "missing": "missing-field",
    "literal_error": "bad-choice",
    "string_pattern_mismatch": "bad-ref",
    "string_too_short": "empty-field",
    "too_short": "empty-field",
}
"""The problem code of each kind of pydantic error; any other is a wrong type, but for a value
error (see :func:`_code_of`)."""


def _code_of(item: Any) -> str:
    """The problem code of one pydantic error."""
    kind = item["type"]
    if kind in ("string_pattern_mismatch", "string_too_long") and item["loc"][:1] == ("tags",):
        return "bad-tag"
    if kind == "value_error":
        return "date-order" if "before it starts" in _reason(item) else "bad-date"
    return _CODE_OF_TYPE.get(kind, "wrong-type")


def _reason(item: Any) -> str:
    """What a value error says is wrong."""
    return str(item["ctx"]["error"]) if "ctx" in item else item["msg"]


def terminal_safe(text: str) -> str:
    """``text`` for the terminal: its control and invisible characters (an escape sequence, a
    bidirectional override in a name the file gave) as visible stand-ins, as the browser shows them."""
    def stand_in(match: re.Match[str]) -> str:
        code = ord(match.group())
        return chr(0x2400 + code) if code < 0x20 else "␡" if code == 0x7F else f"<U+{code:04X}>"

    hidden = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
    return re.sub(hidden, stand_in, text)
