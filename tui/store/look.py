"""Which record files are new, changed or gone since a casefile's cache last looked.

A look stats every file of the casefile: at 100,000 files that is the largest part of opening a
casefile whose cache is filled. :class:`EarlyLook` takes it in a child process started first
thing at launch, so that it runs on another core while the interface is being imported. This
module imports neither the models nor pydantic, which keeps that child quick to start.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import select
import sqlite3
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .walk import RecordFolder, Stamp, record_files

SHARES = max(1, min(3, (os.cpu_count() or 2) - 1))
"""Runs a look is taken in, each by a process at launch: one core is left to the interface's
start-up, which runs at the same time (on two cores, one look process opened a warm 100k
casefile about 0.1 s sooner than two)."""

RACY_NS = 2_000_000_000
"""How close to the last look a file's modification time must be to be read again anyway."""


def cache_folder() -> Path:
    """Where caches live: $WHOMET_CACHE_DIR, else the user's cache folder."""
    chosen = os.environ.get("WHOMET_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "whomet"


def cache_path(folder: Path) -> Path:
    """One cache file per casefile folder, named so a person can tell whose it is."""
    resolved = folder.resolve()
    digest = hashlib.blake2b(str(resolved).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in resolved.name)[:40]
    return cache_folder() / f"{name or 'casefile'}-{digest}.sqlite"


Stale = tuple[str, str, int, int]
"""A file to read: its path inside the casefile, its kind, size and modification time."""


@dataclass(slots=True)
class Look:
    """What a look found, and the state of the cache it was compared with."""

    looked: int
    """When the look began (nanoseconds since the epoch): the next look's "racily clean" line."""
    stale: list[Stale] = field(default_factory=list)
    """New and changed files, and files written too close to the last look to trust, in reading order."""
    changed: list[str] = field(default_factory=list)
    """The stale files the cache knew: what it holds of them is to be forgotten."""
    gone: list[str] = field(default_factory=list)
    """Files the cache knows that are no longer there."""
    problems: list[Problem] = field(default_factory=list)
    """Files and folders that cannot hold records."""
    known: int = 0
    """How many files the cache knew."""
    basis: str | None = None
    """The cache's own time of its last look, to tell that the cache did not change since."""
    walk: str | None = None
    """What to keep of the walk of the casefile's folders, if one was taken (see :func:`files_of`)."""
    digests: list[str] = field(default_factory=list)
    """A fingerprint of each run's listing (names, sizes, times), for the next look to compare
    with; none for a run with a file that could not be stat-ed."""


def take_look(folder: Path, db: sqlite3.Connection | None, share: tuple[int, int] = (0, 1),
              walked: tuple[list[RecordFolder], list[Problem]] | None = None) -> Look:
    """Stat the record files of ``folder`` and compare them with the files table of ``db`` (None:
    an empty cache). ``share``: (k, n) looks at the k-th of n equal runs of the files in reading
    order, so that n processes can share a look. ``walked``: what :func:`record_files` found
    (the files, and the problems to report with this share), if it was called already."""
    look = Look(time.time_ns())
    which, shares = share
    if walked is None:
        problems: list[Problem] = []
        walked = (record_files(folder, problems), problems)
    groups, found_problems = walked
    look.problems = list(found_problems)
    total = sum(len(group.names) for group in groups)
    first, last = total * which // shares, total * (which + 1) // shares

    def path_at(position: int) -> str:
        for group in groups:
            if position < len(group.names):
                return f"{group.relative}/{group.names[position]}"
            position -= len(group.names)
        return "\U0010ffff"

    # The run answers for the paths after the previous run's last file, up to its own last file
    # (the last run: to the end), so that the runs' ranges cover every path the cache may hold.
    lower = path_at(first - 1) if first > 0 else ""
    upper = None if which == shares - 1 else path_at(last - 1) if last > 0 else ""

    # The run's files, stat-ed, and a listing of its range and of the files' names, sizes and
    # times to fingerprint.
    seen: list[tuple[RecordFolder, list[str], array[int], array[int]]] = []
    fingerprint = hashlib.blake2b(f"{lower}\0{upper}\n".encode("utf-8", "surrogateescape"), digest_size=16)
    position = 0
    for group in groups:
        start, stop = max(first - position, 0), min(last - position, len(group.names))
        position += len(group.names)
        if start >= stop:
            continue
        names = group.names[start:stop]
        sizes, mtimes = _stat_each(group.path, names, look.problems)
        seen.append((group, names, sizes, mtimes))
        for part in (group.relative, "/", "\n".join(names), "\n"):
            fingerprint.update(part.encode("utf-8", "surrogateescape"))
        fingerprint.update(sizes)
        fingerprint.update(mtimes)
    counted = sum(len(sizes) - sizes.count(-1) for _, _, sizes, _ in seen)
    if counted == last - first:  # a file that could not be stat-ed is compared one by one
        look.digests = [fingerprint.hexdigest()]
    newest = max((max(mtimes, default=0) for *_, mtimes in seen), default=0)

    racy = 0
    if db is not None:
        kept = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('looked', 'listing')"))
        if "looked" in kept:
            look.basis = kept["looked"]
            # A file written within the clock's resolution of the last look may have changed again
            # since, keeping its size and time: such files are read again (git's "racily clean").
            racy = int(kept["looked"]) - RACY_NS
        # The same range and listing as one of the last look's runs, none of it written near that
        # look: the cache holds every file of the range as it is, without comparing file by file.
        if look.digests and look.digests[0] in kept.get("listing", "").split() and newest < racy:
            look.known = counted
            return look

    on_disk: list[Stale] = [
        (f"{group.relative}/{name}", group.kind, size, mtime)
        for group, names, sizes, mtimes in seen for name, size, mtime in zip(names, sizes, mtimes) if size >= 0
    ]
    known: set[tuple[str, int, int]] = set()
    if db is not None:
        # Reading order is the paths' own order, so a run of files is a range of paths in the table.
        where, values = "path > ?", [lower]
        if upper is not None:
            where, values = f"{where} AND path <= ?", [lower, upper]
        known = set(db.execute(f"SELECT path, size, mtime_ns FROM files WHERE {where}", values))
    look.known = len(known)
    known_paths = {path for path, _, _ in known}
    look.stale = [(path, kind, size, mtime) for path, kind, size, mtime in on_disk
                  if (path, size, mtime) not in known or mtime >= racy]
    look.changed = [path for path, *_ in look.stale if path in known_paths]
    look.gone = sorted(known_paths.difference(path for path, *_ in on_disk))
    return look


def look_here(folder: Path, db: sqlite3.Connection | None) -> Look:
    """A look taken in this process, in the runs an :class:`EarlyLook` takes it in, so that the
    next launch's look finds the same listings."""
    groups, problems, walk = files_of(folder, db)
    look = merged([take_look(folder, db, (which, SHARES), (groups, problems if which == 0 else []))
                   for which in range(SHARES)])
    look.walk = walk
    return look


def files_of(folder: Path, db: sqlite3.Connection | None) -> tuple[list[RecordFolder], list[Problem], str | None]:
    """The casefile's record files and the problems of its folders: recalled from the walk the
    cache keeps when none of the folders changed since, else walked. Also, for a walk taken, what
    to keep of it ("" when it cannot be recalled later: it found problems or followed links)."""
    kept = db.execute("SELECT value FROM meta WHERE key = 'walk'").fetchone() if db is not None else None
    if kept is not None:
        recalled = _recalled(folder, kept[0])
        if recalled is not None:
            return recalled, [], None
    began = time.time_ns()
    problems: list[Problem] = []
    stamps: list[Stamp] = []
    groups = record_files(folder, problems, stamps)
    if problems or any(mtime < 0 for _, mtime, _ in stamps):
        return groups, problems, ""
    walk = {"began": began, "stamps": stamps,
            "folders": [[group.kind, group.path[len(str(folder)):], "\n".join(group.names)] for group in groups]}
    return groups, problems, json.dumps(walk, ensure_ascii=False)


def _recalled(folder: Path, kept: str) -> list[RecordFolder] | None:
    try:
        walk = json.loads(kept)
        root = str(folder)
        # A folder changed within the clock's resolution of the walk may have changed again since.
        line = walk["began"] - RACY_NS
        for below, mtime, ctime in walk["stamps"]:
            status = os.stat(root + below)
            if (status.st_mtime_ns, status.st_ctime_ns) != (mtime, ctime) or max(mtime, ctime) >= line:
                return None
        return [RecordFolder(kind, root + below, names.split("\n") if names else [])
                for kind, below, names in walk["folders"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _stat_each(here: str, names: list[str], problems: list[Problem]) -> tuple[array[int], array[int]]:
    """Each file's size and modification time (following links); -1 for those that cannot be stat-ed."""
    sizes, mtimes = array("q"), array("q")
    try:
        # Named from their folder, files are found without walking the whole path each time.
        directory = os.open(here, os.O_RDONLY) if os.stat in os.supports_dir_fd else None
    except OSError:
        directory = None
    try:
        for name in names:
            try:
                stat = os.stat(name, dir_fd=directory) if directory is not None else os.stat(os.path.join(here, name))
            except OSError as error:
                problems.append(Problem("error", Path(here, name), None, "unreadable",
                                        f"cannot read this file: {error.strerror}"))
                sizes.append(-1)
                mtimes.append(-1)
                continue
            sizes.append(stat.st_size)
            mtimes.append(stat.st_mtime_ns)
    finally:
        if directory is not None:
            os.close(directory)
    return sizes, mtimes


def merged(looks: list[Look]) -> Look:
    """One look out of the shares of several, taken in order."""
    whole = Look(min(look.looked for look in looks), basis=looks[0].basis, walk=looks[0].walk)
    for look in looks:
        whole.stale += look.stale
        whole.changed += look.changed
        whole.gone += look.gone
        whole.problems += look.problems
        whole.known += look.known
        whole.digests += look.digests
    return whole


class EarlyLook:
    """A look taken by child processes while the parent goes on starting."""

    def __init__(self, pid: int, pipes: list[int]) -> None:
        self._pid: int | None = pid
        """The first child, until it has been waited for."""
        self._pipes = pipes
        """The read end of each share's pipe, in share order."""

    @classmethod
    def start(cls, folder: str | os.PathLike[str]) -> EarlyLook | None:
        """Start looking at ``folder``; None where processes cannot be forked (the caller then
        looks for itself). Call before any thread is started: a fork copies only the caller's."""
        folder = Path(folder)
        if not hasattr(os, "fork") or not folder.is_dir():
            return None
        pipes = [os.pipe() for _ in range(SHARES)]
        try:
            pid = os.fork()
        except OSError:
            for ends in pipes:
                os.close(ends[0])
                os.close(ends[1])
            return None
        if pid == 0:
            _look_in_child(folder, pipes)  # never returns
        for _, writing in pipes:
            os.close(writing)
        return cls(pid, [reading for reading, _ in pipes])

    def close(self) -> None:
        """Stop looking, if the children still are, and let them go (the result is not wanted)."""
        pipes, self._pipes = self._pipes, []
        for pipe in pipes:
            os.close(pipe)  # a child still writing gets a broken pipe and leaves
        self._reap()

    def _reap(self) -> None:
        if self._pid is not None:
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass
            self._pid = None

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the children to be done; whether they are (then
        :meth:`result` takes no longer than reading what they found).

        A share says what it found in one write, at its end, or closes its pipe if it fails: its
        pipe is readable from then on. A large result fills the pipe before the child can exit,
        so it is the pipes that are watched, not the children."""
        waiting = list(self._pipes)
        deadline = time.monotonic() + timeout
        while waiting:
            ready, _, _ = select.select(waiting, [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return False
            waiting = [pipe for pipe in waiting if pipe not in ready]
        return True

    def result(self) -> Look | None:
        """What the children found (waiting for them); None if one failed, and the caller looks itself."""
        pipes, self._pipes = self._pipes, []
        if not pipes:
            return None
        looks: list[Look] = []
        try:
            for pipe in pipes:
                with os.fdopen(pipe, "rb") as stream:
                    data = stream.read()
                try:
                    found = pickle.loads(data)
                except Exception:  # the child died before it had said it all
                    found = None
                if isinstance(found, Look):
                    looks.append(found)
        finally:
            self._reap()
        if len(looks) != len(pipes) or len({look.basis for look in looks}) != 1:
            return None  # a share missing, or the cache changed between two of them
        return merged(looks)


def _look_in_child(folder: Path, pipes: list[tuple[int, int]]) -> None:
    """The first child walks the folders once, then forks a helper for each further share; each
    process stats its share, compares it with the cache and sends what it found down its pipe."""
    status = 1
    helpers: list[int] = []
    # A short life that frees nothing it makes: the collector would only rescan the growing list.
    gc.disable()
    try:
        for reading, _ in pipes:
            os.close(reading)
        db = _open_cache(folder)
        try:  # closed before the fork: a connection is not to be shared between processes
            files, problems, walk = files_of(folder, db)
        finally:
            if db is not None:
                db.close()
        which = 0
        for share in range(1, len(pipes)):
            pid = os.fork()
            if pid == 0:
                which, helpers = share, []
                break
            helpers.append(pid)
        for share, (_, writing) in enumerate(pipes):
            if share != which:
                os.close(writing)
        look = _look_with_cache(folder, (which, len(pipes)), (files, problems if which == 0 else []))
        if which == 0:
            look.walk = walk
        with os.fdopen(pipes[which][1], "wb") as out:
            out.write(pickle.dumps(look, pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        for pid in helpers:  # waited for even when this one failed: no helper is left unreaped
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        os._exit(status)  # no cleanup of the parent's: its files and buffers are its own


def _open_cache(folder: Path) -> sqlite3.Connection | None:
    path = cache_path(folder)
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        db.execute("SELECT path, size, mtime_ns FROM files LIMIT 1").fetchall()
        return db
    except sqlite3.Error:
        return None  # the app's own connection will find out what is wrong, and rebuild


def _look_with_cache(folder: Path, share: tuple[int, int],
                     walked: tuple[list[RecordFolder], list[Problem]]) -> Look:
    db = _open_cache(folder)
    try:
        return take_look(folder, db, share, walked)
    finally:
        if db is not None:
            db.close()
