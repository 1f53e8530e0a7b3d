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
    "unreadable": "the file or folder cannot be read",
    "unknown-key": "a key the record kind does not have",
    "missing-field": "a required field is missing",
    "wrong-type": "a value of the wrong type",
    "bad-choice": "a value that is not one of the allowed choices",
    "empty-field": "a field that must not be empty",
    "bad-date": "a date that cannot be read or does not exist",
    "date-order": "an end before its start",
    "bad-ref": "a reference that is not written as an id",
    "bad-id": "a file name that is not a valid id",
    "duplicate-id": "two records with the same id",
    "missing-ref": "a reference to a record that does not exist",
    "wrong-kind-ref": "a reference to a record of the wrong kind",
    "cycle": "an organization that is, through its parents, part of itself",
    "no-citation": "a meeting or statement that cites no source",
    "stray-file": "a file outside the kind folders",
    "no-casefile": "the casefile folder does not exist",
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
    them; a value written inline points at the line of its top-level key.
    """
    if not loc:
        return None
    lines = text.splitlines()
    top = str(loc[0])
    rest = loc[1:]
    # The n-th [[top]] block when loc indexes into an array of tables.
    wanted_block = rest[0] if rest and isinstance(rest[0], int) else 0
    sub = next((str(part) for part in rest if isinstance(part, str)), None)

    section: str | None = None
    seen_blocks = -1
    in_wanted = False
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            section = header.group(2).strip().strip("\"'")
            if section == top:
                seen_blocks += 1 if header.group(1) else 0
                in_wanted = header.group(1) is None or seen_blocks == wanted_block
                if in_wanted and sub is None:
                    return number
                if in_wanted:
                    header_line = number
            else:
                if in_wanted and sub is not None:
                    return header_line
                in_wanted = False
            continue
        key = _KEY.match(line)
        if not key:
            continue
        name = key.group(1).strip("\"'")
        if section is None and name == top:
            return number
        if in_wanted and sub is not None and name == sub:
            return number
    if in_wanted and sub is not None:
        return header_line
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


def problems_from_validation(
    error: ValidationError, model: type[BaseModel], path: Path, text: str
) -> list[Problem]:
    """Each pydantic error as a problem a reporter can act on."""
    found: list[Problem] = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"])
        kind = item["type"]
        where = phrase(loc)
        value = item.get("input")
        line = find_line(text, loc)
        if kind == "extra_forbidden":
            code = "unknown-key"
            message = f"unknown key {where}"
            holder = _model_at(model, loc)
            if holder is not None:
                close = difflib.get_close_matches(str(loc[-1]), [f for f in holder.model_fields if f != "id"], n=1)
                if close:
                    message += f"; did you mean '{close[0]}'?"
                else:
                    allowed = ", ".join(f for f in holder.model_fields if f != "id")
                    message += f"; the keys here are: {allowed}"
        elif kind == "missing":
            code = "missing-field"
            message = f"{where} is required"
            if line is None and len(loc) > 1:
                line = find_line(text, loc[:-1])
        elif kind == "literal_error":
            code = "bad-choice"
            message = f"{where} is {value!r}; it must be one of: {item['ctx']['expected']}"
        elif kind == "string_pattern_mismatch":
            code = "bad-ref"
            message = (
                f"{where} is {value!r}, which is not an id; ids are lower-case letters, digits "
                "and hyphens, the name of the record's file without .toml"
            )
        elif kind in ("string_too_short", "too_short"):
            code = "empty-field"
            message = f"{where} must not be empty"
        elif kind == "value_error":
            reason = str(item["ctx"]["error"]) if "ctx" in item else item["msg"]
            code = "date-order" if "before it starts" in reason else "bad-date"
            message = f"{where}: {reason}"
        else:
            code = "wrong-type"
            expected = _TYPE_WORDS.get(kind, item["msg"].lower())
            message = f"{where} should be {expected}, not {_type_name(value)}"
        found.append(Problem("error", path, line, code, message))
    return found
