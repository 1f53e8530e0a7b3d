"""Which files of a casefile folder may hold records, and of what kind.

Imports neither the models nor pydantic, so that a launch can start looking at the files
while the rest of the program is still being imported (see ``look``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..model.kinds import KIND_IN, SLUG_PATTERN
from .problems import Problem

SLUG = re.compile(SLUG_PATTERN)
_NOT_RECORD_NAME = re.compile(r"^(?!" + SLUG_PATTERN.strip("^$") + r"\.toml$).*$", re.MULTILINE)
"""In a folder's names, one per line: each name that is not an id followed by .toml."""

_KNOWN = ", ".join(f"{name}/" for name in KIND_IN)


def _listing(here: str, problems: list[Problem]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(here) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        problems.append(Problem("error", Path(error.filename or here), None, "unreadable",
                                f"cannot read this folder: {error.strerror}"))
        return []


def _stray(entry: os.DirEntry[str], problems: list[Problem]) -> None:
    problems.append(Problem("warning", Path(entry.path), None, "stray-file",
                            f"not read: records are .toml files directly inside one of {_KNOWN}"))


def record_files(folder: Path, problems: list[Problem]) -> list[tuple[os.DirEntry[str], str]]:
    """Every file of the casefile that may hold a record, with its kind's name, in reading order
    (folders and files in name order, a folder's files before its subfolders); the files that
    cannot (stray files, bad names, links out of the casefile) become problems."""
    found: list[tuple[os.DirEntry[str], str]] = []
    resolved: list[Path] = []

    def inside(entry: os.DirEntry[str]) -> bool:
        if not resolved:
            resolved.append(folder.resolve())
        target = Path(entry.path).resolve()
        if target.is_relative_to(resolved[0]):
            return True
        problems.append(Problem("error", Path(entry.path), None, "unreadable",
                                f"not read: a link to {target}, outside the casefile"))
        return False

    def visit(here: str, depth: int, kind: str | None) -> None:
        listing = _listing(here, problems)
        # Nearly every file is a record file: one pass of the pattern over all the names finds the
        # odd ones quicker than a match per name.
        odd: set[str] | None = None
        if depth == 1 and kind is not None:
            names = "\n".join(entry.name for entry in listing)
            if names.count("\n") == len(listing) - 1:  # else some name holds a line break
                odd = set(_NOT_RECORD_NAME.findall(names))
        for entry in listing:
            name = entry.name
            if odd is not None and name not in odd and not entry.is_symlink() \
                    and not entry.is_dir(follow_symlinks=False):
                found.append((entry, kind))  # type: ignore[arg-type]  # kind is set where odd is
                continue
            if entry.is_dir():
                continue
            hidden = name.startswith(".")
            if depth == 0:
                # A README or licence beside the kind folders is the casefile's own business; a
                # record file there is misplaced.
                if name.endswith(".toml") and not hidden:
                    _stray(entry, problems)
                continue
            if hidden and not name.endswith(".toml"):
                continue  # editors' and git's own files; a hidden record file is reported
            if depth > 1 or kind is None or not name.endswith(".toml"):
                _stray(entry, problems)
                continue
            if entry.is_symlink() and not inside(entry):
                continue
            stem = name[:-5]
            if not SLUG.fullmatch(stem):
                problems.append(Problem(
                    "error", Path(entry.path), None, "bad-id",
                    f"the file name {stem!r} is not a valid id: use lower-case letters, digits and "
                    "single hyphens, such as jeff-sessions.toml",
                ))
                continue
            found.append((entry, kind))
        for entry in listing:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_symlink() and entry.is_dir():
                problems.append(Problem("warning", Path(entry.path), None, "stray-file",
                                        "not read: a link to a folder; put the records themselves in the casefile"))
            elif entry.is_dir(follow_symlinks=False):
                visit(entry.path, depth + 1, KIND_IN.get(name) if depth == 0 else kind)

    visit(str(folder), 0, None)
    return found


def reading_order(relative: str) -> tuple[str, ...]:
    """Sorts record files (``folder/name.toml``) the way :func:`record_files` finds them."""
    return tuple(relative.split("/"))
