"""Checking a whole casefile straight from its files, keeping nothing.

``whomet check`` on a casefile that has no cache yet reads each file once and writes nothing: a
cache would cost about half as much again as the reading to fill, for a browse that may never
come. Many files are read by two worker processes (``check_worker``) in two
steps: each reads its share and reports what is wrong inside each file and which files hold no
valid record; once every file is read, the kind of every id is known, and each runs the checks
between records (:mod:`~whomet.store.validation`) over the records it read. Only problems cross the
pipes, never records; the cycles of parents, which reach across the shares, are checked at the end.

The problems are the ones a refresh of the cache finds (``CaseCache.problems``), in its order.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..model.kinds import KIND_IN
from .archives import ArchiveRef, Archives, Quoted, Tally, archive_ref, quoted
from .casefile import read_record
from .problems import Problem
from .validation import Facts, Reference, duplicate_problem, place, validate
from .walk import record_files
from .workers import Worker, WorkerFailed, end_workers, failure_reason, start_workers

PARALLEL_FROM = 2000
"""Files to read before worker processes pay for their start-up."""

WORKERS = 2
"""Worker processes: one per core of a small machine."""

Progress = Callable[[int, int], None]
"""Told (files read, files to read) as a casefile is read."""

Entry = tuple[str, str, "int | None", str, str]
"""A problem as it crosses a pipe: (file inside the casefile, severity, line, code, message)."""


@dataclass
class Read:
    """What one worker found in its files, before any reference is checked."""

    problems: list[Entry] = field(default_factory=list)
    """Each file's own problems, in reading order."""
    invalid: list[str] = field(default_factory=list)
    """Files that hold no valid record."""
    parents: list[tuple[str, str]] = field(default_factory=list)
    """(file, parent's id) of each organization that names a parent."""
    archives: list[tuple[str, ArchiveRef]] = field(default_factory=list)
    """(file, archive) of each source that names an archive."""
    unarchived: int = 0
    """Sources that name no archive."""


@dataclass
class Resolved:
    """What every file read told about ids, for the references to be checked against."""

    kinds: dict[str, str | None]
    """The kind of each id whose first file in reading order holds no valid record (None: no
    file named for it does); any other id is of its first file's kind."""
    invalid_at: dict[str, str]
    """For an id no valid file holds: its first file, which holds errors of its own."""
    skipped: set[str]
    """Valid files whose id an earlier file holds: their references are not checked."""
    archives: dict[str, ArchiveRef] = field(default_factory=dict)
    """The archive each source names, by the source's id."""


class FileChecker:
    """Reads record files and, once told what the others hold, checks their records."""

    def __init__(self, folder: str, first_kind: dict[str, str]) -> None:
        self.folder = Path(folder)
        self.first_kind = first_kind
        """The kind of the first file in reading order named for each id."""
        self._references: list[tuple[str, list[Reference]]] = []
        self._uncited: list[tuple[str, str]] = []
        self._quotes: list[tuple[str, list[Quoted]]] = []
        self._archived: list[tuple[str, str]] = []

    def read(self, files: Iterable[tuple[str, str]], counted: Callable[[int], None] | None = None) -> Read:
        """Read ``files`` ((file inside the casefile, kind) each); ``counted`` is told the number
        read so far every few hundred files."""
        found = Read()
        for number, (relative, kind) in enumerate(files, 1):
            problems: list[Problem] = []
            record, _ = read_record(self.folder / relative, model.KINDS[kind], problems)
            found.problems += [(relative, p.severity, p.line, p.code, p.message) for p in problems]
            if counted is not None and number % 500 == 0:
                counted(number)
            if record is None:
                found.invalid.append(relative)
                continue
            if references := record.references():
                self._references.append((relative, references))
            if isinstance(record, model.Organization) and record.parent:
                found.parents.append((relative, record.parent))
            elif isinstance(record, (model.Meeting, model.Statement)):
                if not record.citations:
                    self._uncited.append((relative, record.kind))
                else:
                    self._quotes.append((relative, quoted(record)))
            elif isinstance(record, model.Source):
                if (ref := archive_ref(record)) is not None:
                    found.archives.append((relative, ref))
                    self._archived.append((relative, record.id))
                else:
                    found.unarchived += 1
        return found

    def check(self, resolved: Resolved) -> tuple[list[Entry], list[int]]:
        """The problems of the records read with the others, every file's kind now known, and
        how many quotes and excerpts were verified against an archive, and how many differ."""
        kinds, first_kind, folder, skipped = resolved.kinds, self.first_kind, self.folder, resolved.skipped

        def kind_of(record_id: str) -> str | None:
            return kinds[record_id] if record_id in kinds else first_kind.get(record_id)

        def invalid_path(record_id: str) -> Path | None:
            relative = resolved.invalid_at.get(record_id)
            return folder / relative if relative is not None else None

        # A record whose every reference leads where it may is left out: most are.
        references = [(folder / relative, references) for relative, references in self._references
                      if relative not in skipped
                      and not all(kind_of(target) in allowed for _, target, allowed in references)]
        uncited = [(folder / relative, kind) for relative, kind in self._uncited if relative not in skipped]
        facts = Facts(folder, kind_of, invalid_path, references=references, uncited=uncited,
                      archives=Archives(folder, resolved.archives),
                      archived=[(folder / relative, record_id) for relative, record_id in self._archived
                                if relative not in skipped],
                      quotes=((folder / relative, quotes) for relative, quotes in self._quotes
                              if relative not in skipped),
                      tally=Tally())
        entries = [(p.path.relative_to(folder).as_posix(), p.severity, p.line, p.code, p.message)
                   for p in validate(facts)]
        return entries, [facts.tally.verified, facts.tally.differ]


@dataclass
class Checked:
    records: int
    problems: list[Problem]
    verified: int = 0
    """Quotes and excerpts checked against their sources' archives."""
    differ: int = 0
    """Of those, the ones not found as written."""
    unarchived: int = 0
    """Sources without an archive."""


def check_folder(folder: str | os.PathLike[str], progress: Progress | None = None) -> Checked:
    """Every problem of the casefile in ``folder``, and how many records it holds. When a worker
    process fails, the files are read again in this process, and a warning says why."""
    folder = Path(folder)
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        return Checked(0, [Problem("error", folder, None, "no-casefile", f"the casefile folder {what}")])
    walk_problems: list[Problem] = []
    files = [(f"{group.relative}/{name}", group.kind) for group in record_files(folder, walk_problems)
             for name in group.names]
    collecting = gc.isenabled()
    gc.disable()  # many small objects, none of them cyclic
    try:
        try:
            checked = _check_files(folder, files, progress, in_workers=len(files) >= PARALLEL_FROM)
        except Exception as error:  # whatever it was, checking here loses only time
            told = Problem("warning", folder, None, "reader-failed",
                           f"a checking process failed ({failure_reason(error)}); "
                           "the files were read in this process instead")
            checked = _check_files(folder, files, progress, in_workers=False)
            walk_problems.append(told)
    finally:
        if collecting:
            gc.enable()
    checked.problems[:0] = walk_problems  # as the cache tells them: the look's first, then the reading's
    return checked


def _check_files(folder: Path, files: list[tuple[str, str]], progress: Progress | None, *,
                 in_workers: bool) -> Checked:
    first_kind: dict[str, str] = {}
    for relative, kind in files:
        first_kind.setdefault(_id_of(relative), kind)
    if progress is not None:
        progress(0, len(files))
    position = _reading_position(files)
    checker: FileChecker | _InWorkers | None = None
    try:
        if in_workers:
            checker = _InWorkers(str(folder), files, first_kind)
            reads = checker.read(progress)
        else:
            checker = FileChecker(str(folder), first_kind)
            reads = [checker.read(files, progress and (lambda number: progress(number, len(files))))]
        if progress is not None:
            progress(len(files), len(files))

        invalid = {relative for read in reads for relative in read.invalid}
        owners: dict[str, str] = {}
        duplicates: list[Problem] = []
        for relative, _ in files:
            if relative in invalid:
                continue
            record_id = _id_of(relative)
            if (owner := owners.setdefault(record_id, relative)) != relative:
                duplicates.append(duplicate_problem(folder / relative, record_id, Path(owner)))
        resolved = Resolved({}, {}, {problem.path.relative_to(folder).as_posix() for problem in duplicates})
        resolved.archives = {_id_of(relative): ref for read in reads for relative, ref in read.archives
                             if relative not in resolved.skipped}
        for relative in sorted(invalid, key=position):
            record_id = _id_of(relative)
            owner = owners.get(record_id)
            resolved.kinds[record_id] = KIND_IN[owner.split("/")[0]] if owner is not None else None
            if owner is None:
                resolved.invalid_at.setdefault(record_id, relative)
        entries, counted = checker.check(resolved)
    finally:
        if isinstance(checker, _InWorkers):
            checker.close()  # when the check stopped early: its workers wait for their second step

    def problem(entry: Entry) -> Problem:
        relative, severity, line, code, message = entry
        return Problem(severity, folder / relative, line, code, message)  # type: ignore[arg-type]

    file_problems = [problem(entry) for read in reads for entry in read.problems]
    file_problems.sort(key=lambda p: position(p.path.relative_to(folder).as_posix()))
    # The cycles of parents reach across the workers' shares: checked here, over all of them.
    parents = {_id_of(relative): parent for read in reads for relative, parent in read.parents
               if relative not in resolved.skipped}
    cycles = validate(Facts(folder, path_of=lambda record_id: folder / owners[record_id], parents=parents))
    links = sorted([problem(entry) for entry in entries] + cycles, key=place)
    unarchived = sum(read.unarchived for read in reads)
    return Checked(len(owners), file_problems + duplicates + links, counted[0], counted[1], unarchived)


def _id_of(relative: str) -> str:
    """A record's id is its file's name."""
    return relative[relative.rindex("/") + 1:-5]


def _reading_position(files: list[tuple[str, str]]) -> Callable[[str], int]:
    """Sorts files inside the casefile into reading order."""
    positions = {relative: number for number, (relative, _) in enumerate(files)}
    return positions.__getitem__


# Worker processes: each answers in frames on its stdout, a line with the number of files read so
# far, or "=N" and N bytes of a pickle.

class _InWorkers:
    """:class:`FileChecker`'s two steps, its files shared among worker processes."""

    def __init__(self, folder: str, files: list[tuple[str, str]], first_kind: dict[str, str]) -> None:
        self.workers = start_workers("whomet.store.check_worker", WORKERS)
        self.heard = [_Heard() for _ in self.workers]
        self.total = len(files)

        def send() -> None:
            for number, worker in enumerate(self.workers):
                pickle.dump((folder, files[number::WORKERS], first_kind), worker.stdin,
                            protocol=pickle.HIGHEST_PROTOCOL)
                worker.stdin.flush()

        self._talk(send)

    def read(self, progress: Progress | None) -> list[Read]:
        def told() -> None:
            if progress is not None:
                progress(sum(said.count for said in self.heard), self.total)

        self._talk(lambda: _hear(self.workers, self.heard, 1, told))
        return [said.frames[0] for said in self.heard]  # type: ignore[misc]

    def check(self, resolved: Resolved) -> tuple[list[Entry], list[int]]:
        def ask() -> None:
            for worker in self.workers:
                pickle.dump(resolved, worker.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                worker.stdin.close()
            _hear(self.workers, self.heard, 2, None)

        self._talk(ask)
        failures = self._end(done=True)
        if failures:
            raise WorkerFailed.of(failures)
        answers = [said.frames[1] for said in self.heard]
        entries = [entry for found, _ in answers for entry in found]  # type: ignore[misc]
        counted = [sum(counts[0] for _, counts in answers), sum(counts[1] for _, counts in answers)]  # type: ignore[misc]
        return entries, counted

    def close(self) -> None:
        """Stop the workers, if they are still at work."""
        self._end(done=False)

    def _end(self, *, done: bool) -> list[str]:
        workers, self.workers = self.workers, []
        return end_workers(workers, done=done)

    def _talk(self, step: Callable[[], object]) -> None:
        """Take a step with the workers; if one has died, say why it did."""
        try:
            step()
        except (OSError, EOFError) as error:
            failures = self._end(done=True)
            if not failures:
                raise
            raise WorkerFailed.of(failures) from error
        except BaseException:
            self._end(done=False)
            raise


class _Heard:
    """What one worker has said so far."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.count = 0
        self.frames: list[object] = []
        self._awaited: int | None = None

    def take(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self._awaited is not None:
                if len(self.buffer) < self._awaited:
                    return
                self.frames.append(pickle.loads(self.buffer[:self._awaited]))
                del self.buffer[:self._awaited]
                self._awaited = None
                continue
            end = self.buffer.find(b"\n")
            if end < 0:
                return
            line = bytes(self.buffer[:end])
            del self.buffer[:end + 1]
            if line.startswith(b"="):
                self._awaited = int(line[1:])
            else:
                self.count = int(line)


def _hear(workers: list[Worker], heard: list[_Heard], frames: int, told: Callable[[], None] | None) -> None:
    """Read the workers' stdout until each has sent ``frames`` frames in all."""
    listening = {worker.stdout.fileno(): said for worker, said in zip(workers, heard) if len(said.frames) < frames}
    with selectors.DefaultSelector() as selector:
        for fd in listening:
            selector.register(fd, selectors.EVENT_READ)
        while listening:
            for key, _ in selector.select():
                said = listening[key.fd]
                data = os.read(key.fd, 1 << 16)
                if not data:
                    raise EOFError("a checking process ended before it was done")
                said.take(data)
                if len(said.frames) >= frames:
                    selector.unregister(key.fd)
                    del listening[key.fd]
                if told is not None:
                    told()
