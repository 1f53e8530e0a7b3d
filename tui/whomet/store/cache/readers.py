"""Reading the files that changed: a few in this process, many in reader processes
(``whomet.store.reader``), each writing the rows of its share into a database of its own."""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import cache as tuned  # READERS and start_workers are the package's, where a caller may set them
from ..look import Stale
from ..problems import Problem
from ..workers import Worker, WorkerFailed, end_workers, failure_reason
from .rows import FileResult, read_file

Progress = Callable[[int, int], None]
"""Told (files read, files to read) as a casefile is read."""


def read_here(folder: Path, stale: list[Stale], progress: Progress | None) -> Iterator[FileResult]:
    """Read ``stale`` in this process, one file at a time."""
    if progress is not None:
        progress(0, len(stale))
    collecting = gc.isenabled()
    gc.disable()
    try:
        for number, item in enumerate(stale, 1):
            yield read_file(folder, *item)
            if progress is not None and (number % 500 == 0 or number == len(stale)):
                progress(number, len(stale))
    finally:
        if collecting:
            gc.enable()


def read_in_parts(folder: Path, path: Path | None, stale: list[Stale], progress: Progress | None,
                  told: list[Problem]) -> list[str]:
    """Read ``stale`` with two reader processes; the databases they wrote, one each. When a
    reader cannot start or fails, nothing they wrote is kept and ``told`` is given a warning
    that says why, in a line: the files are then read in this process, as a few files are
    (more slowly, but the casefile is read all the same)."""
    try:
        return _read_by_readers(folder, path, stale, progress)
    except Exception as error:  # whatever it was, reading here loses only time
        told.append(Problem("warning", folder, None, "reader-failed",
                            f"a reader process failed ({failure_reason(error)}); "
                            "the files were read in this process instead"))
        return []


def _read_by_readers(folder: Path, path: Path | None, stale: list[Stale], progress: Progress | None) -> list[str]:
    total = len(stale)
    if progress is not None:
        progress(0, total)
    # Named for this process too: two launches on one casefile must not share scratch files.
    base = str(path) if path is not None else os.path.join(tempfile.gettempdir(), "whomet")
    readers_count = tuned.READERS
    parts = [f"{base}.{os.getpid()}.part{number}" for number in range(readers_count)]
    readers: list[Worker] = []
    counts: dict[int, int] = {}
    finished = False
    broken: OSError | None = None
    try:
        readers = tuned.start_workers("whomet.store.reader", readers_count)
        for number, (reader, part) in enumerate(zip(readers, parts)):
            counts[reader.stdout.fileno()] = 0
            pickle.dump((str(folder), stale[number::readers_count], part), reader.stdin,
                        protocol=pickle.HIGHEST_PROTOCOL)
            reader.stdin.close()
        unsaid = {fd: b"" for fd in counts}
        with selectors.DefaultSelector() as selector:
            for fd in counts:
                selector.register(fd, selectors.EVENT_READ)
            while selector.get_map():
                for key, _ in selector.select():
                    told = os.read(key.fd, 1 << 16)
                    if not told:
                        selector.unregister(key.fd)
                        continue
                    # Each reader says how many files it has read so far, a line at a time.
                    lines = (unsaid[key.fd] + told).split(b"\n")
                    unsaid[key.fd] = lines.pop()
                    if lines:
                        counts[key.fd] = int(lines[-1])
                    if progress is not None:
                        progress(sum(counts.values()), total)
        finished = True
    except OSError as error:  # one could not start, or its pipe broke: it died (its stderr says why)
        broken = error
    finally:
        failures = end_workers(readers, done=finished)
        if not finished or failures or sum(counts.values()) < total:
            for part in parts:
                Path(part).unlink(missing_ok=True)
    if failures:
        raise WorkerFailed.of(failures)
    if broken is not None:
        raise WorkerFailed(str(broken) or type(broken).__name__)
    if sum(counts.values()) < total:
        raise WorkerFailed("it stopped before reading every file")
    return parts
