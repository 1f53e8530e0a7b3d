"""Reading a casefile folder: every valid record, and every problem, never stopping at the first."""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import tomli  # the standard library's tomllib, compiled: reading is 2.5 times faster

from .. import model
from ..model.kinds import FOLDER_OF
from .problems import MOST_PER_FILE, Lines, Problem, Severity, more_problems, phrase, problems_from_validation
from .walk import record_files

if TYPE_CHECKING:
    from ..model import Record

_TOML_LINE = re.compile(r"at line (\d+)")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a file held when it was read, to notice a change made behind our back.

    The digest matters: two saves within one tick of the file system's clock, of the
    same size, leave modification time and size alike.
    """

    size: int
    digest: bytes

    @classmethod
    def of_bytes(cls, data: bytes) -> FileStamp:
        return cls(len(data), hashlib.blake2b(data, digest_size=16).digest())

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        """The stamp of the file at ``path`` now; None when there is none. Something there that
        cannot be read as a file (a folder, a pipe, a loop of links) has a stamp no file read has."""
        try:
            return cls.of_bytes(read_regular(path))
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError:
            return UNREADABLE


UNREADABLE = FileStamp(-1, b"")
"""The stamp of what cannot be read as a file."""


_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
"""Opening for reading never waits (a named pipe put in place of a file between the look at it
and the opening, with no writer, would hold the reader for ever), nor takes a terminal over."""

_WHAT_IT_IS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


class NotAFile(OSError):
    """Something that is not a regular file where a file was to be read: it is never opened
    (or, put in place while being opened, never read)."""

    def __init__(self, path: Path, mode: int) -> None:
        what = next((what for test, what in _WHAT_IT_IS if test(mode)), None)
        super().__init__(errno.EINVAL, f"this is {what}, not a file" if what else "this is not a plain file", str(path))


def read_regular(path: Path) -> bytes:
    """The bytes of the regular file at ``path`` (links followed). Anything else raises
    :class:`NotAFile` without being opened, and a loop of links or a missing file the
    ``OSError`` of any file that cannot be read."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotAFile(path, mode)
    handle = os.open(path, _O_READ)
    with open(handle, "rb", closefd=True) as stream:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):  # put in place since the look
            raise NotAFile(path, mode)
        return stream.read()


def unreadable(path: Path, error: OSError) -> Problem:
    """The problem of a record file that could not be read."""
    if isinstance(error, NotAFile):
        message = f"not read: {error.strerror}; a record is a plain .toml file"
    elif error.errno == errno.ELOOP:
        message = "not read: a link that leads, through links, back to itself"
    else:
        message = f"cannot read this file: {error.strerror or error}"
    return Problem("error", path, None, "unreadable", message)


class Shelf(Protocol):
    """Where saved records go: the in-memory casefile of the command line tools, or the cache
    behind the browser. Both answer what a save must check and take in what it wrote."""

    folder: Path

    def path_for(self, record: Record) -> Path: ...
    def known(self, record_id: str) -> Record | None: ...
    def invalid_path(self, record_id: str) -> Path | None: ...
    def stamp_of(self, record_id: str) -> FileStamp | None: ...
    def path_of(self, record_id: str) -> Path | None: ...
    def saved(self, record: Record, path: Path, data: bytes) -> None: ...
    def deleted(self, record_id: str) -> None: ...


class CasefileBase:
    """What the in-memory casefile and the cache both say of a casefile folder."""

    folder: Path
    problems: list[Problem]

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def path_for(self, record: Record) -> Path:
        return self.folder / record.folder / f"{record.id}.toml"


@dataclass
class Casefile(CasefileBase):
    """The records of one casefile folder, where each came from, and what is wrong."""

    folder: Path
    records: dict[str, Record] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    stamps: dict[str, FileStamp] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    invalid_ids: dict[str, Path] = field(default_factory=dict)
    """Ids of files that exist but could not be read as records."""

    def known(self, record_id: str) -> Record | None:
        return self.records.get(record_id)

    def invalid_path(self, record_id: str) -> Path | None:
        return self.invalid_ids.get(record_id)

    def stamp_of(self, record_id: str) -> FileStamp | None:
        return self.stamps.get(record_id)

    def path_of(self, record_id: str) -> Path | None:
        return self.paths.get(record_id)

    def saved(self, record: Record, path: Path, data: bytes) -> None:
        self.records[record.id] = record
        self.paths[record.id] = path
        self.stamps[record.id] = FileStamp.of_bytes(data)

    def deleted(self, record_id: str) -> None:
        del self.records[record_id]
        del self.paths[record_id]
        self.stamps.pop(record_id, None)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_record(path: Path, kind: type[Record], problems: list[Problem]) -> tuple[Record | None, FileStamp | None]:
    """One file as a record (None, with its problems added, when it is not one), and the stamp
    of the bytes read."""
    try:
        data = read_regular(path)
    except OSError as error:
        problems.append(unreadable(path, error))
        return None, None
    return _parse_record(path, data, kind, problems), FileStamp.of_bytes(data)


def _parse_record(path: Path, data: bytes, kind: type[Record], problems: list[Problem]) -> Record | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(
            "error", path, _line_of_offset(data, error.start), "encoding",
            f"not UTF-8 text (byte {error.start + 1} is 0x{data[error.start]:02x}); "
            "save the file as UTF-8",
        ))
        return None
    text = text.removeprefix("\ufeff")
    conflict = _CONFLICT.search(text)
    if conflict is not None:
        problems.append(Problem(
            "error", path, text.count("\n", 0, conflict.start()) + 1, "merge-conflict",
            "a git merge conflict was left in this file (a line of <<<<<<<, ======= or >>>>>>>): "
            "keep the right version and delete the markers",
        ))
        return None
    try:
        table = tomli.loads(text)
    except RecursionError:
        problems.append(Problem("error", path, None, "syntax",
                                "not valid TOML for a record: its tables are nested too deeply to read"))
        return None
    except tomli.TOMLDecodeError as error:
        where = _TOML_LINE.search(str(error))
        message = str(error)
        problems.append(Problem("error", path, int(where.group(1)) if where else None, "syntax",
                                f"not valid TOML: {message}"))
        return None
    record_id = path.stem
    if "id" in table:
        problems.append(Problem(
            "error", path, Lines(text).find(("id",)), "unknown-key",
            "unknown key 'id': a record's id is its file name, so it is not written inside the file",
        ))
        return None
    table["id"] = record_id
    try:
        return kind.model_validate(table)
    except model.ValidationError as error:
        problems.extend(problems_from_validation(error, kind, path, text, MOST_PER_FILE))
        return None


def load(folder: str | os.PathLike[str]) -> Casefile:
    """Read every record under ``folder``; what cannot be read becomes a problem."""
    folder = Path(folder)
    casefile = Casefile(folder)
    problems = casefile.problems
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        problems.append(Problem("error", folder, None, "no-casefile", f"the casefile folder {what}"))
        return casefile

    # A bulk load grows the heap by many small objects; letting the cyclic collector
    # rescan it over and over costs more than the parsing itself.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _read_all(casefile)
    finally:
        if collecting:
            gc.enable()
    check_links(casefile)
    return casefile


def duplicate_problem(path: Path, record_id: str, first: Path) -> Problem:
    return Problem("error", path, None, "duplicate-id",
                   f"the id {record_id!r} is already used by {first}; "
                   "ids must be unique across all kinds: rename one of the files")


def _read_all(casefile: Casefile) -> None:
    problems = casefile.problems
    files = record_files(casefile.folder, problems)
    for path, kind in ((Path(group.path, name), group.kind) for group in files for name in group.names):
        record_id = path.stem
        record, stamp = read_record(path, model.KINDS[kind], problems)
        if record is None:
            casefile.invalid_ids.setdefault(record_id, path)
            continue
        if record_id in casefile.records:
            problems.append(duplicate_problem(path, record_id, casefile.paths[record_id].relative_to(casefile.folder)))
            continue
        casefile.records[record_id] = record
        casefile.paths[record_id] = path
        assert stamp is not None  # a record was read, so its bytes were
        casefile.stamps[record_id] = stamp


def check_links(casefile: Casefile) -> None:
    """Problems between records: references that lead nowhere or to the wrong kind; no citation."""
    records = casefile.records

    def kind_of(record_id: str) -> str | None:
        found = records.get(record_id)
        return found.kind if found is not None else None

    def parent_of(record_id: str) -> str | None:
        found = records.get(record_id)
        return found.parent if isinstance(found, model.Organization) else None

    for record_id, record in records.items():
        path = casefile.paths[record_id]
        casefile.problems.extend(reference_problems(
            casefile.folder, path, record.references(), kind_of, casefile.invalid_ids.get))
        if isinstance(record, model.Organization) and (chain := cycle_of(record.id, parent_of)):
            casefile.problems.append(cycle_problem(path, chain))
        if isinstance(record, (model.Meeting, model.Statement)) and not record.citations:
            casefile.problems.append(no_citation_problem(path, record.kind))


def reference_problems(folder: Path, path: Path, references: list[tuple[str, str, tuple[str, ...]]],
                       kind_of: Callable[[str], str | None],
                       invalid_path: Callable[[str], Path | None]) -> list[Problem]:
    """The ``references`` of the record in ``path`` (what its ``references()`` gives) that lead to
    no record or to one of the wrong kind; past :data:`MOST_PER_FILE` of them, one more problem
    that counts the rest."""
    found: list[Problem] = []
    lines: Lines | None = None
    left_out: list[str] = []
    left_an_error = False
    for where, target, kinds in references:
        target_kind = kind_of(target)
        if target_kind in kinds:
            continue
        code = "wrong-kind-ref" if target_kind is not None else "missing-ref"
        if len(found) >= MOST_PER_FILE:
            left_out.append(code)
            # Whether one is an error, asked only until one is.
            left_an_error = left_an_error or target_kind is not None or invalid_path(target) is None
            continue
        if lines is None:
            lines = Lines(_read_text(path))
        loc = tuple(int(p) if p.isdigit() else p for p in where.split("."))
        where_said = phrase(loc)
        wanted = " or ".join(kinds)
        severity: Severity = "error"
        if target_kind is not None:
            message = f"{where_said} is {target!r}, a {target_kind}; it must be a {wanted}"
        elif (broken := invalid_path(target)) is not None:
            # The reference is sound; the problem is the other file's, reported there.
            severity = "warning"
            message = f"{where_said} is {target!r}, whose file {broken.relative_to(folder)} has errors of its own"
        else:
            message = (f"{where_said} is {target!r}, but there is no {wanted} with that id "
                       f"(no {FOLDER_OF[kinds[0]]}/{target}.toml)")
        found.append(Problem(severity, path, lines.find(loc), code, message))
    if left_out:
        found.append(more_problems(path, left_out, "error" if left_an_error else "warning", found))
    return found


def cycle_of(organization: str, parent_of: Callable[[str], str | None]) -> list[str] | None:
    """The organization and the parents that lead it back to itself, or None if they do not."""
    chain, seen = [organization], {organization}
    current = parent_of(organization)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parent_of(current)
    return chain if current == organization else None


def cycle_problem(path: Path, chain: list[str]) -> Problem:
    """The organization ``chain[0]`` is, through the parents in ``chain``, part of itself."""
    loop = " → ".join([*chain, chain[0]])
    return Problem("error", path, Lines(_read_text(path)).find(("parent",)), "cycle",
                   f"'parent' makes this organization part of itself: {loop}")


def no_citation_problem(path: Path, kind: str) -> Problem:
    return Problem("warning", path, None, "no-citation",
                   f"this {kind} cites no source; add a [[citations]] entry with the source "
                   "and the excerpt that supports it")


def _read_text(path: Path) -> str:
    try:
        return read_regular(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
