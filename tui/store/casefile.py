"""Reading a casefile folder: every valid record, and every problem, never stopping at the first."""

from __future__ import annotations

import gc
import hashlib
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..model import FOLDERS, KINDS, Meeting, Organization, Record, Statement
from ..model.records import SLUG_PATTERN
from .problems import Problem, find_line, phrase, problems_from_validation

_SLUG = re.compile(SLUG_PATTERN)
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
        try:
            return cls.of_bytes(path.read_bytes())
        except FileNotFoundError:
            return None


@dataclass
class Casefile:
    """The records of one casefile folder, where each came from, and what is wrong."""

    folder: Path
    records: dict[str, Record] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    stamps: dict[str, FileStamp] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    invalid_ids: dict[str, Path] = field(default_factory=dict)
    """Ids of files that exist but could not be read as records."""

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


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _walk(folder: Path, problems: list[Problem]) -> Iterator[tuple[Path, type[Record] | None]]:
    """Every file of the casefile with the kind its folder gives (None: outside the kind folders)."""

    def on_error(error: OSError) -> None:
        problems.append(Problem("error", Path(error.filename or folder), None, "unreadable",
                                f"cannot read this folder: {error.strerror}"))

    for root, dirs, files in os.walk(folder, onerror=on_error, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(root)
        for linked in [d for d in dirs if (here / d).is_symlink()]:
            problems.append(Problem("warning", here / linked, None, "stray-file",
                                    "not read: a link to a folder; put the records themselves in the casefile"))
            dirs.remove(linked)
        relative = here.relative_to(folder)
        kind = FOLDERS.get(relative.parts[0]) if relative.parts else None
        for name in sorted(files):
            if name.startswith(".") and not (relative.parts and name.endswith(".toml")):
                continue  # editors' and git's own files; a hidden record file is reported below
            if not relative.parts and not name.endswith(".toml"):
                continue  # a README or licence beside the kind folders is the casefile's own business
            yield here / name, kind if len(relative.parts) == 1 else None


def read_record(path: Path, kind: type[Record], problems: list[Problem]) -> tuple[Record | None, FileStamp | None]:
    """One file as a record (None, with its problems added, when it is not one), and the stamp
    of the bytes read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem("error", path, None, "unreadable", f"cannot read this file: {error.strerror}"))
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
        table = tomllib.loads(text)
    except RecursionError:
        problems.append(Problem("error", path, None, "syntax",
                                "not valid TOML for a record: its tables are nested too deeply to read"))
        return None
    except tomllib.TOMLDecodeError as error:
        where = _TOML_LINE.search(str(error))
        message = str(error)
        problems.append(Problem("error", path, int(where.group(1)) if where else None, "syntax",
                                f"not valid TOML: {message}"))
        return None
    record_id = path.stem
    if "id" in table:
        problems.append(Problem(
            "error", path, find_line(text, ("id",)), "unknown-key",
            "unknown key 'id': a record's id is its file name, so it is not written inside the file",
        ))
        return None
    table["id"] = record_id
    try:
        return kind.model_validate(table)
    except ValidationError as error:
        problems.extend(problems_from_validation(error, kind, path, text))
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


def _read_all(casefile: Casefile) -> None:
    problems = casefile.problems
    for path, kind in _walk(casefile.folder, problems):
        if kind is None or path.suffix != ".toml":
            known = ", ".join(f"{name}/" for name in FOLDERS)
            problems.append(Problem(
                "warning", path, None, "stray-file",
                f"not read: records are .toml files directly inside one of {known}",
            ))
            continue
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(casefile.folder.resolve()):
                problems.append(Problem("error", path, None, "unreadable",
                                        f"not read: a link to {target}, outside the casefile"))
                continue
        record_id = path.stem
        if not _SLUG.fullmatch(record_id):
            problems.append(Problem(
                "error", path, None, "bad-id",
                f"the file name {record_id!r} is not a valid id: use lower-case letters, digits and "
                "single hyphens, such as jeff-sessions.toml",
            ))
            continue
        record, stamp = read_record(path, kind, problems)
        if record is None:
            casefile.invalid_ids.setdefault(record_id, path)
            continue
        if record_id in casefile.records:
            first = casefile.paths[record_id]
            problems.append(Problem(
                "error", path, None, "duplicate-id",
                f"the id {record_id!r} is already used by {first.relative_to(casefile.folder)}; "
                "ids must be unique across all kinds: rename one of the files",
            ))
            continue
        casefile.records[record_id] = record
        casefile.paths[record_id] = path
        assert stamp is not None  # a record was read, so its bytes were
        casefile.stamps[record_id] = stamp


def check_links(casefile: Casefile) -> None:
    """Problems between records: references that lead nowhere or to the wrong kind; no citation."""
    records = casefile.records
    for record_id, record in records.items():
        path = casefile.paths[record_id]
        text: str | None = None
        for where, target, kinds in record.references():
            found = records.get(target)
            if found is not None and found.kind in kinds:
                continue
            if text is None:
                text = _read_text(path)
            loc = tuple(int(p) if p.isdigit() else p for p in where.split("."))
            line = find_line(text, loc)
            where_said = phrase(loc)
            wanted = " or ".join(kinds)
            if found is not None:
                casefile.problems.append(Problem(
                    "error", path, line, "wrong-kind-ref",
                    f"{where_said} is {target!r}, a {found.kind}; it must be a {wanted}",
                ))
            elif target in casefile.invalid_ids:
                broken = casefile.invalid_ids[target].relative_to(casefile.folder)
                # The reference is sound; the problem is the other file's, reported there.
                casefile.problems.append(Problem(
                    "warning", path, line, "missing-ref",
                    f"{where_said} is {target!r}, whose file {broken} has errors of its own",
                ))
            else:
                casefile.problems.append(Problem(
                    "error", path, line, "missing-ref",
                    f"{where_said} is {target!r}, but there is no {wanted} with that id "
                    f"(no {KINDS[kinds[0]].folder}/{target}.toml)",
                ))
        if isinstance(record, Organization):
            _check_parent_cycle(casefile, record)
        if isinstance(record, (Meeting, Statement)) and not record.citations:
            casefile.problems.append(Problem(
                "warning", path, None, "no-citation",
                f"this {record.kind} cites no source; add a [[citations]] entry with the source "
                "and the excerpt that supports it",
            ))


def _check_parent_cycle(casefile: Casefile, organization: Organization) -> None:
    """An organization that is, through its parents, part of itself."""
    chain = [organization.id]
    current = organization.parent
    while current is not None and current not in chain:
        chain.append(current)
        parent = casefile.records.get(current)
        current = parent.parent if isinstance(parent, Organization) else None
    if current == organization.id:
        path = casefile.paths[organization.id]
        loop = " → ".join([*chain, organization.id])
        casefile.problems.append(Problem(
            "error", path, find_line(_read_text(path), ("parent",)), "cycle",
            f"'parent' makes this organization part of itself: {loop}",
        ))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
