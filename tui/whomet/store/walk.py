"""Which files of a casefile folder may hold records, and of what kind.

Imports neither the models nor pydantic, so that a launch can start looking at the files
while the rest of the program is still being imported (see ``look``).
"""

from __future__ import annotations

import os
import re
import stat
import time
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from ..model.kinds import FOLDER_OF, KIND_IN, SLUG_PATTERN
from .problems import Problem

SLUG = re.compile(SLUG_PATTERN)
_RECORD_NAME = SLUG_PATTERN.strip("^$") + r"\.toml"
# The same, its repeats possessive: no part of a name can match where another part does, so the
# engine need never give back what a repeat took, and not keeping the means to is 3-4 times
# quicker over a folder of 40,000 names (13 ms, not 49).
_RECORD_NAME_POSSESSIVE = r"[a-z0-9]++(?:-[a-z0-9]++)*+\.toml"
_RECORD_NAMES = re.compile(rf"(?:{_RECORD_NAME_POSSESSIVE}\n)*+{_RECORD_NAME_POSSESSIVE}")
"""A folder's names, one per line, when every one is an id followed by .toml."""
_NOT_RECORD_NAME = re.compile(rf"^(?!{_RECORD_NAME}$).*$", re.MULTILINE)
"""In a folder's names, one per line: each name that is not an id followed by .toml."""
_NAME = attrgetter("name")

_KNOWN = ", ".join(f"{name}/" for name in KIND_IN)

ARCHIVE_SUFFIXES = (".txt", ".md", ".html", ".pdf")
"""The files a sources folder may hold beside its records: archived copies of the sources (the
same as :data:`whomet.store.archives.SUFFIXES`, which this module does not import, to start quick)."""


def _listing(here: str, problems: list[Problem]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(here) as listing:
            return list(listing)
    except OSError as error:
        problems.append(Problem("error", Path(error.filename or here), None, "unreadable",
                                f"cannot read this folder: {error.strerror}"))
        return []


def _stray(entry: os.DirEntry[str], problems: list[Problem]) -> None:
    problems.append(Problem("warning", Path(entry.path), None, "stray-file",
                            f"not read: records are .toml files directly inside one of {_KNOWN}"))


@dataclass(slots=True)
class RecordFolder:
    """The files of one kind folder that may hold records."""

    kind: str
    """The kind's name (``person``, ``meeting``...)."""
    path: str
    """The folder on disk."""
    names: list[str] = field(default_factory=list)
    """The files' names, in reading order."""

    @property
    def relative(self) -> str:
        """The folder's path inside the casefile."""
        return FOLDER_OF[self.kind]


Stamp = tuple[str, int, int]
"""A folder (its path after the casefile's) and its modification and change times: while they
are the same, the folder holds the same names."""


MOST_DEPTH = 64
"""Folders below the casefile that are looked into: records lie one deep, and what lies deeper
is only looked at to report it, which a tree thousands deep would make endless."""

_LEFTOVER = re.compile(rf"\.{_RECORD_NAME}\.[a-z0-9_]{{8}}\.tmp")
"""The name of the temporary file a save writes before it takes the record file's place."""

LEFTOVER_AGE_NS = 60 * 10**9
"""How old a save's temporary file must be to be taken for one left by a save that did not finish
(a younger one may be a save under way in another whomet)."""


def record_files(folder: Path, problems: list[Problem], stamps: list[Stamp] | None = None) -> list[RecordFolder]:
    """Every file of the casefile that may hold a record, by kind folder, in reading order
    (folders and files in name order); the files that cannot (stray files, bad names, links out
    of the casefile) become problems. Whatever bears a record file's name in a kind folder is
    one of these, folders, pipes and links that lead nowhere included: reading it tells what it
    is, and its id is taken. ``stamps``: gets the stamp of every folder listed, and a stamp that
    never holds for a link followed (where it leads can change without its folder).

    Temporary files left by saves that did not finish are removed, and reported."""
    root = str(folder)
    found: list[RecordFolder] = []
    resolved: list[Path] = []

    def inside(entry: os.DirEntry[str]) -> bool:
        if not resolved:
            resolved.append(folder.resolve())
        try:
            target = Path(entry.path).resolve()
        except (OSError, RuntimeError):  # a loop of links: reading it says so, and never opens it
            return True
        if target.is_relative_to(resolved[0]):
            return True
        problems.append(Problem("error", Path(entry.path), None, "unreadable",
                                f"not read: a link to {target}, outside the casefile"))
        return False

    def visit(here: str, depth: int, kind: str | None) -> list[tuple[str, int, str | None]]:
        """Look at one folder; the folders in it to look at next, in name order."""
        if stamps is not None:
            # Taken before the listing, so that a change made while listing shows in the next stamp.
            try:
                status = os.stat(here)
                stamps.append((here[len(root):], status.st_mtime_ns, status.st_ctime_ns))
            except OSError:
                stamps.append((here[len(root):], -1, -1))
        listing = _listing(here, problems)
        # Only these can be folders, links, pipes and the like; the rest are plain files.
        try:
            unusual = sorted((entry for entry in listing if not entry.is_file(follow_symlinks=False)), key=_NAME)
        except OSError:  # an entry the system could not say the type of, and could not look at
            unusual = sorted((entry for entry in listing if not _is_plain_file(entry)), key=_NAME)
        names: list[str] | None = None
        if depth == 1 and kind is not None:
            names = sorted(entry.name for entry in listing)
            found.append(RecordFolder(kind, here, names))
            # Nearly every file is a record file: one pass of a pattern over all the names tells so
            # far quicker than a match per name.
            joined = "\n".join(names)
            if joined.count("\n") != len(names) - 1:  # some name holds a line break
                odd = set(names)
            elif names and _RECORD_NAMES.fullmatch(joined):
                odd = set()
            else:
                odd = set(_NOT_RECORD_NAME.findall(joined))
            odd.update(entry.name for entry in unusual)
            if not odd:
                return []
            names[:] = [name for name in names if name not in odd]
            listing = [entry for entry in listing if entry.name in odd]
        listing.sort(key=_NAME)
        for entry in listing:
            name = entry.name
            hidden = name.startswith(".")
            record_name = names is not None and name.endswith(".toml")
            if _is_folder(entry) and not record_name:
                continue  # looked into below
            if depth == 0:
                # A README or licence beside the kind folders is the casefile's own business; a
                # record file there is misplaced.
                if name.endswith(".toml") and not hidden:
                    _stray(entry, problems)
                continue
            if names is not None and hidden and _LEFTOVER.fullmatch(name):
                _leftover(entry, problems)
                continue
            if hidden and not name.endswith(".toml"):
                continue  # editors' and git's own files; a hidden record file is reported
            if kind == "source" and name.lower().endswith(ARCHIVE_SUFFIXES) and _is_file(entry):
                continue  # a source's archived copy, or an earlier version of one: checked with its source
            if names is None or not record_name:
                _stray(entry, problems)
                continue
            if entry.is_symlink():
                if stamps is not None:
                    stamps.append((entry.path[len(root):], -1, -1))
                if not inside(entry):
                    continue
            stem = name[:-5]
            if not SLUG.fullmatch(stem):
                problems.append(Problem(
                    "error", Path(entry.path), None, "bad-id",
                    f"the file name {stem!r} is not a valid id: use lower-case letters, digits and "
                    "single hyphens, such as jeff-sessions.toml",
                ))
                continue
            names.append(name)
        if names is not None:
            names.sort()  # the odd ones that hold records go back in their places
        below: list[tuple[str, int, str | None]] = []
        for entry in unusual:
            name = entry.name
            if name.startswith(".") or (names is not None and name.endswith(".toml")):
                continue
            if entry.is_symlink():
                if _is_folder(entry):
                    problems.append(Problem("warning", Path(entry.path), None, "stray-file",
                                            "not read: a link to a folder; put the records themselves in the casefile"))
            elif _is_folder(entry, follow=False):
                if depth == MOST_DEPTH:
                    problems.append(Problem(
                        "warning", Path(entry.path), None, "stray-file",
                        f"not read: folders nested more than {MOST_DEPTH} deep; records are .toml files "
                        f"directly inside one of {_KNOWN}"))
                    continue
                below.append((entry.path, depth + 1, KIND_IN.get(name) if depth == 0 else kind))
        return below

    # Folder by folder, each before the folders in it, those in name order: the order of the
    # problems. A stack, not calls within calls, so that no depth of folders runs out of stack.
    waiting: list[tuple[str, int, str | None]] = [(root, 0, None)]
    while waiting:
        waiting += reversed(visit(*waiting.pop()))
    return found


def _is_plain_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a file, or a link to one (whose archive check tells whether it leads out)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_folder(entry: os.DirEntry[str], follow: bool = True) -> bool:
    """Whether ``entry`` is a folder (or, ``follow``-ing links, a link to one); not for a link
    that leads nowhere or to itself."""
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _leftover(entry: os.DirEntry[str], problems: list[Problem]) -> None:
    """Remove a temporary file left by a save that did not finish, and say so; only a plain file,
    and only one old enough not to be a save under way."""
    try:
        status = entry.stat(follow_symlinks=False)
    except OSError:
        return
    if not stat.S_ISREG(status.st_mode) or time.time_ns() - status.st_mtime_ns < LEFTOVER_AGE_NS:
        return
    try:
        os.unlink(entry.path)
    except FileNotFoundError:
        return
    except OSError as error:
        message = f"the temporary file of a save that did not finish; it could not be removed: {error.strerror}"
    else:
        message = "removed: the temporary file of a save that did not finish"
    problems.append(Problem("warning", Path(entry.path), None, "stray-file", message))


def is_record_file(folder: Path, path: str | Path) -> bool:
    """Whether ``path`` (absolute, inside ``folder``) is a record's file: a .toml file right inside
    a kind's folder."""
    relative = Path(path).relative_to(folder)
    return len(relative.parts) == 2 and relative.parts[0] in KIND_IN and relative.suffix == ".toml"


def reading_order(relative: str) -> tuple[str, ...]:
    """Sorts record files (``folder/name.toml``) the way :func:`record_files` finds them."""
    return tuple(relative.split("/"))
