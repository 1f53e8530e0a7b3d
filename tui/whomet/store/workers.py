"""Worker processes of our own that read record files, fed and heard through pipes.

multiprocessing's pools need a usable stderr and an importable ``__main__``, neither of which a
terminal app can promise; these are plain children of the running interpreter, each running one
module as ``python -m`` would, but without the current folder on the import path (``-P``): ``-m``
puts it first, and a folder holding a ``whomet.py`` or a ``whomet`` package of its own (a project of the
user's) would have its ``whomet`` imported instead, and the children fail.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

_HOME = str(Path(__file__).parents[2])
"""The folder holding the ``whomet`` package, last on the children's path: an installed whomet
is found where it is installed, and one run from its source folder, not installed, is found too."""

_RUN = ("import runpy, sys; sys.path.append(sys.argv.pop(1)); "
        "runpy.run_module(sys.argv.pop(1), run_name='__main__', alter_sys=True)")
"""What each child runs: the module given, as ``python -m`` would."""


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    errors: IO[bytes]
    """Where its stderr goes: a pipe nobody reads until the end could fill and stall it."""

    @property
    def stdin(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def stdout(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout


def start_workers(module: str, count: int) -> list[Worker]:
    """``count`` processes running ``module`` as ``python -m`` would, with pipes to their stdin
    and stdout."""
    workers: list[Worker] = []
    try:
        for _ in range(count):
            errors = tempfile.TemporaryFile()
            try:
                process = subprocess.Popen([sys.executable, "-P", "-c", _RUN, _HOME, module],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
            except BaseException:
                errors.close()
                raise
            workers.append(Worker(process, errors))
    except BaseException:
        end_workers(workers, done=False)
        raise
    return workers


def end_workers(workers: list[Worker], *, done: bool) -> list[str]:
    """Wait for the workers to end, after stopping them unless their caller is ``done`` with
    them (it stopped early otherwise); what each failed one wrote on its stderr (the end of it)."""
    failures = []
    for worker in workers:
        process = worker.process
        if not done and process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass  # a pipe to a killed process
        if process.returncode:
            worker.errors.seek(0)
            said = worker.errors.read().decode("utf-8", "replace").strip()[-500:]
            failures.append(said or f"exit status {process.returncode}")
        worker.errors.close()
    return failures


class WorkerFailed(Exception):
    """A worker process failed; the message is the last line it wrote on its stderr."""

    @classmethod
    def of(cls, failures: list[str]) -> WorkerFailed:
        """What the workers that failed said (see :func:`end_workers`), as one failure: the last
        line a failed worker wrote says what went wrong (a traceback's last line), rather than
        another's, stopped when the first failed."""
        said = next((failure for failure in failures if not failure.startswith("exit status -")), failures[0])
        return cls(said.splitlines()[-1])


def failure_reason(error: Exception) -> str:
    """Why worker processes could not be used, in one line short enough for a problem's message."""
    reason = " ".join(str(error).split())[:300] or type(error).__name__
    return reason if isinstance(error, WorkerFailed) else f"{type(error).__name__}: {reason}"
