"""Which record files are new, changed or gone since a casefile's cache last looked.

A look stats every file of the casefile: at 100,000 files that is the largest part of opening a
casefile whose cache is filled. :class:`~whomet.store.early.EarlyLook` takes it in child
processes started first thing at launch, so that it runs on other cores while the interface is
being imported: this module holds the look itself, and the settings that module reads from here.
Neither imports the models nor pydantic, which keeps the children quick to start.
"""

from __future__ import annotations

import hashlib
import json
import os
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

FILE_SECONDS = 3e-6
"""About what looking at one unchanged file costs (a stat, its share of a fingerprint): 2.6 µs
on a 2-core machine, from the system's file cache. It bounds what the app takes on in a look."""

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


BLOCK = 2048
"""Files fingerprinted together, in reading order. The work of a look is shared out a block at a
time, and a block's fingerprint is the same whichever process took it: the next look knows an
unchanged block by it however the work was shared then."""


@dataclass(slots=True)
class Stretch:
    """Whole blocks of a casefile's files, in reading order: what one process looks at."""

    runs: list[RecordFolder]
    """Each kind folder the stretch reaches into, with only the names of its files there."""
    before: str
    """The path of the file just before the stretch ("" at the casefile's start)."""
    to_end: bool
    """Whether the stretch runs to the casefile's last file (and so answers for any path after it)."""


def blocks_in(groups: list[RecordFolder]) -> int:
    """How many blocks the files of ``groups`` make (one, empty, when there are none)."""
    return max(1, -(-sum(len(group.names) for group in groups) // BLOCK))


def stretch_of(groups: list[RecordFolder], first: int, stop: int) -> Stretch:
    """Blocks ``first`` to ``stop - 1`` of the files of ``groups``."""
    total = sum(len(group.names) for group in groups)
    count = blocks_in(groups)
    low, high = first * BLOCK, total if stop >= count else stop * BLOCK
    runs: list[RecordFolder] = []
    before = ""
    position = 0
    for group in groups:
        size = len(group.names)
        if position < low <= position + size:
            before = f"{group.relative}/{group.names[low - 1 - position]}"
        start, end = max(low - position, 0), min(high - position, size)
        if start < end:
            runs.append(RecordFolder(group.kind, group.path, group.names[start:end]))
        position += size
    return Stretch(runs, before, first < stop and stop >= count)


def blocks_of(stretch: Stretch) -> list[Stretch]:
    """``stretch`` cut into its blocks, each a stretch of its own (the last runs to the end if
    it does); none for an empty stretch that does not."""
    blocks: list[Stretch] = []
    before, runs, filled = stretch.before, [], 0
    for run in stretch.runs:
        taken = 0
        while taken < len(run.names):
            end = min(len(run.names), taken + BLOCK - filled)
            runs.append(RecordFolder(run.kind, run.path, run.names[taken:end]))
            filled += end - taken
            taken = end
            if filled == BLOCK:
                blocks.append(Stretch(runs, before, False))
                before, runs, filled = f"{run.relative}/{run.names[end - 1]}", [], 0
    if runs or (stretch.to_end and not blocks):  # the last block, short of a whole one (or empty)
        blocks.append(Stretch(runs, before, stretch.to_end))
    elif stretch.to_end:  # the files end on a block's edge: the last block answers for what follows
        blocks[-1].to_end = True
    return blocks


def take_look(folder: Path, db: sqlite3.Connection | None,
              walked: tuple[list[RecordFolder], list[Problem]] | None = None) -> Look:
    """Stat the record files of ``folder`` and compare them with the files table of ``db`` (None:
    an empty cache). ``walked``: what :func:`record_files` found (the files, and the problems to
    report with this look), if it was called already."""
    if walked is None:
        problems: list[Problem] = []
        walked = (record_files(folder, problems), problems)
    groups, found_problems = walked
    return look_at(db, stretch_of(groups, 0, blocks_in(groups)), list(found_problems))


def look_at(db: sqlite3.Connection | None, stretch: Stretch, problems: list[Problem]) -> Look:
    """Stat the files of ``stretch`` and compare them with the files table of ``db``; the look
    reports ``problems`` first, then the files that could not be stat-ed."""
    look = Look(time.time_ns(), problems=problems)
    racy = 0
    listing: set[str] = set()
    if db is not None:
        kept = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('looked', 'listing')"))
        if "looked" in kept:
            look.basis = kept["looked"]
            # A file written within the clock's resolution of the last look may have changed again
            # since, keeping its size and time: such files are read again (git's "racily clean").
            racy = int(kept["looked"]) - RACY_NS
        listing = set(kept.get("listing", "").split())

    # Each block answers for a range of paths: after the file before it, up to its last file (the
    # casefile's last block, to no end). A block whose listing (its range, and its files' names,
    # sizes and times) is one the last look found, none of it written near that look, holds every
    # file of its range as the cache does: not compared file by file. The others are, in runs of
    # neighbouring blocks.
    compare: list[tuple[str, str | None, list[tuple[RecordFolder, array[int], array[int]]]]] = []
    for block in blocks_of(stretch):
        last = block.runs[-1] if block.runs else None
        lower = block.before
        upper = None if block.to_end else f"{last.relative}/{last.names[-1]}" if last else lower
        pieces = [(run, *_stat_each(run.path, run.names, look.problems)) for run in block.runs]
        fingerprint = hashlib.blake2b(f"{lower}\0{upper}\n".encode("utf-8", "surrogateescape"), digest_size=16)
        counted = newest = 0
        for run, sizes, mtimes in pieces:
            for part in (run.relative, "/", "\n".join(run.names), "\n"):
                fingerprint.update(part.encode("utf-8", "surrogateescape"))
            fingerprint.update(sizes)
            fingerprint.update(mtimes)
            counted += len(mtimes) - mtimes.count(-1)
            newest = max(newest, max(mtimes, default=0))
        whole = counted == sum(len(run.names) for run, _, _ in pieces)
        # A file not stat-ed, or a link that leads nowhere: compared one by one.
        digest = fingerprint.hexdigest() if whole else None
        if digest is not None:
            look.digests.append(digest)
            if digest in listing and newest < racy:
                look.known += counted
                continue
        if compare and compare[-1][1] == lower:
            compare[-1] = (compare[-1][0], upper, compare[-1][2] + pieces)
        else:
            compare.append((lower, upper, list(pieces)))

    for lower, upper, pieces in compare:
        on_disk: list[Stale] = [
            (f"{run.relative}/{name}", run.kind, size, mtime)
            for run, sizes, mtimes in pieces for name, size, mtime in zip(run.names, sizes, mtimes) if size >= 0
        ]
        known: set[tuple[str, int, int]] = set()
        if db is not None:
            # Reading order is the paths' own order, so a run of files is a range of paths in the table.
            where, values = "path > ?", [lower]
            if upper is not None:
                where, values = f"{where} AND path <= ?", [lower, upper]
            known = set(db.execute(f"SELECT path, size, mtime_ns FROM files WHERE {where}", values))
        look.known += len(known)
        known_paths = {path for path, _, _ in known}
        # Nothing kept of this range (a cache filled from nothing): every file is stale, and the
        # list of them is not made twice (7 MB at 100,000 files).
        stale = on_disk if not known else [
            (path, kind, size, mtime) for path, kind, size, mtime in on_disk
            if (path, size, mtime) not in known or mtime >= racy or mtime < 0]
        look.stale += stale
        look.changed += [path for path, *_ in stale if path in known_paths]
        look.gone += sorted(known_paths.difference(path for path, *_ in on_disk))
    return look


def look_here(folder: Path, db: sqlite3.Connection | None) -> Look:
    """A look taken in this process, the folders' walk recalled from the cache when it can be."""
    groups, problems, walk = files_of(folder, db)
    look = take_look(folder, db, walked=(groups, problems))
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
    """Each file's size and modification time (following links). A link that leads nowhere, or
    back to itself, has its own size and a time of -1, which no look trusts: it is read each time,
    and reading it says what is wrong (and takes its id). -1 for both for those that cannot be
    stat-ed at all (gone since the walk)."""
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
                try:
                    link = os.lstat(name, dir_fd=directory) if directory is not None else os.lstat(os.path.join(here, name))
                except OSError:
                    problems.append(Problem("error", Path(here, name), None, "unreadable",
                                            f"cannot read this file: {error.strerror}"))
                    sizes.append(-1)
                    mtimes.append(-1)
                    continue
                sizes.append(link.st_size)
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


def __getattr__(name: str) -> object:
    # EarlyLook lives in .early, which reads this module's settings and functions when it runs
    # (so that setting them here reaches it); named here too, where its callers look for it.
    if name == "EarlyLook":
        from .early import EarlyLook

        return EarlyLook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
