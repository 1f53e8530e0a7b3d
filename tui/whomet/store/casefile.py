"""Reading a casefile folder: every valid record, and every problem, never stopping at the first."""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import tomli  # the standard library's tomllib, compiled: reading is 2.5 times faster

from .. import model
from .files import UNREADABLE, FileStamp, NotAFile, read_regular, unreadable
from .problems import MOST_PER_FILE, Lines, Problem, problems_from_validation
from .validation import Facts, duplicate_problem, validate
from .walk import record_files

if TYPE_CHECKING:
    from ..model import Record
    from .archives import Tally


def _tally() -> Tally:
    from .archives import Tally

    return Tally()

__all__ = [
    "UNREADABLE", "Casefile", "CasefileBase", "FileStamp", "NotAFile", "Shelf", "load", "read_record",
    "read_regular", "unreadable",
]

_TOML_LINE = re.compile(r"at line (\d+)")
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


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
    tally: Tally = field(default_factory=_tally)
    """The quotes and excerpts verified against their sources' archives, and those that differ."""

    @property
    def unarchived(self) -> int:
        """How many sources have no archive."""
        return sum(1 for record in self.records.values() if record.kind == "source" and not record.archive)

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
    facts = _facts(casefile)
    casefile.problems.extend(validate(facts))
    casefile.tally = facts.tally
    return casefile


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


def _facts(casefile: Casefile) -> Facts:
    """What the checks between records need, from the records read."""
    from .archives import Archives, archive_ref, quoted

    records, paths = casefile.records, casefile.paths
    archives = {record_id: ref for record_id, record in records.items() if (ref := archive_ref(record)) is not None}

    def kind_of(record_id: str) -> str | None:
        found = records.get(record_id)
        return found.kind if found is not None else None

    return Facts(
        casefile.folder, kind_of, casefile.invalid_ids.get, paths.get,
        references=((paths[record_id], record.references()) for record_id, record in records.items()),
        parents={record.id: record.parent for record in records.values()
                 if isinstance(record, model.Organization) and record.parent},
        uncited=[(paths[record_id], record.kind) for record_id, record in records.items()
                 if isinstance(record, (model.Meeting, model.Statement)) and not record.citations],
        archives=Archives(casefile.folder, archives),
        archived=[(paths[record_id], record_id) for record_id in archives],
        quotes=((paths[record_id], quotes) for record_id, record in records.items() if (quotes := quoted(record))),
    )
