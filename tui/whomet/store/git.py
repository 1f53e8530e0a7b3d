"""git, as whomet runs it: the command with settings that a user's configuration cannot turn into
other output, the repository a file is in, and file contents by blob id from one ``git cat-file``."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Literal

__all__ = ["FORMAT", "STATUS", "Blobs", "HistoryUnavailable", "decode", "environment", "first_line", "git_command",
           "git_fields", "is_blob", "locate", "run_git"]


def is_blob(name: str) -> bool:
    """Whether ``name`` names a file's contents: not empty, nor git's all-zero id of no file."""
    return bool(name.strip("0"))


class HistoryUnavailable(Exception):
    """Why there is no history to show: no git, no repository, git refused or failed."""

    def __init__(self, message: str, reason: Literal["no-git", "not-in-git", "refused", "failed"]) -> None:
        super().__init__(message)
        self.reason = reason


def environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(LC_ALL="C", LANGUAGE="C", GIT_PAGER="cat", PAGER="cat", GIT_TERMINAL_PROMPT="0",
                       GIT_OPTIONAL_LOCKS="0", GIT_LITERAL_PATHSPECS="1")
    environment.pop("GIT_DIR", None)
    environment.pop("GIT_WORK_TREE", None)
    return environment


SETTINGS = ("-c", "log.follow=false", "-c", "log.showSignature=false", "-c", "color.ui=never",
             "-c", "core.quotePath=false", "-c", "diff.renames=false", "-c", "log.showRoot=true",
             "-c", "log.diffMerges=separate")
"""Settings a user's configuration could otherwise turn into other output."""


def git_command(where: Path, *arguments: str) -> list[str]:
    return ["git", "--no-pager", "-C", str(where), *SETTINGS, *arguments]


def run_git(where: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(git_command(where, *arguments), check=False, capture_output=True,
                              env=environment(), stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed: no git command was found on the PATH.", "no-git") from None
    except OSError as error:
        raise HistoryUnavailable(f"git could not be started: {error}", "no-git") from None


def first_line(data: bytes) -> str:
    lines = [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    fatal = next((line for line in lines if line.startswith("fatal:")), lines[0] if lines else "")
    return fatal.removeprefix("fatal:").strip()


def locate(file: Path) -> tuple[Path, str]:
    """The repository's working tree that holds ``file``, and the file's path from it."""
    where = file.parent
    if not where.is_dir():
        raise HistoryUnavailable(f"The folder {where} is not there.", "failed")
    done = run_git(where, "rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix")
    if done.returncode != 0:
        message = first_line(done.stderr)
        if "not a git repository" in message:
            raise HistoryUnavailable("This casefile is not in a git repository.", "not-in-git")
        if "dubious ownership" in message or "safe.directory" in done.stderr.decode("utf-8", "replace"):
            raise HistoryUnavailable(
                "git refuses to read this repository: it belongs to another user "
                "(git config --global --add safe.directory names one you trust).", "refused")
        raise HistoryUnavailable(f"git could not read the repository: {message}", "failed")
    lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 3 or lines[0] != "true":
        raise HistoryUnavailable("This casefile is not in a git working tree.", "not-in-git")
    return Path(lines[1]), lines[2] + file.name


class Blobs:
    """File contents by blob id (or ``REV:PATH``), from one ``git cat-file --batch``."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.known: dict[str, bytes | None] = {}
        self._process: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            try:
                self._process = subprocess.Popen(git_command(self.top, "cat-file", "--batch"), stdin=subprocess.PIPE,
                                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                 env=environment())
            except OSError as error:
                raise HistoryUnavailable(f"git could not be started: {error}", "no-git") from None
        return self._process

    def fetch(self, names: Sequence[str]) -> None:
        """Read the contents of ``names`` not known yet (a few hundred at a time, so that neither
        side waits on a full pipe)."""
        wanted = list(dict.fromkeys(name for name in names if name and name not in self.known))
        if not wanted:
            return
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        for start in range(0, len(wanted), 200):
            chunk = wanted[start:start + 200]
            process.stdin.write(b"".join(name.encode("utf-8", "surrogateescape") + b"\n" for name in chunk))
            process.stdin.flush()
            for name in chunk:
                header = process.stdout.readline()
                if not header:
                    raise HistoryUnavailable("git cat-file stopped while reading the file's versions.", "failed")
                parts = header.split()
                if len(parts) == 3 and parts[1] in (b"blob", b"tree", b"commit", b"tag"):
                    size = int(parts[2])
                    data = process.stdout.read(size + 1)[:size]
                    self.known[name] = data if parts[1] == b"blob" else None
                else:  # "missing", "ambiguous"
                    self.known[name] = None

    def get(self, name: str) -> bytes | None:
        if not is_blob(name):
            return None
        if name not in self.known:
            self.fetch([name])
        return self.known.get(name)

    def close(self) -> None:
        if self._process is not None:
            process, self._process = self._process, None
            try:
                if process.stdin is not None:
                    process.stdin.close()
            except OSError:
                pass
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()


FORMAT = "%H%x00%P%x00%aN%x00%aE%x00%aI%x00%B"
STATUS = {"A": "added", "M": "changed", "D": "deleted", "T": "changed"}


def decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def git_fields(where: Path, arguments: Sequence[str], *, cancelled: Callable[[], bool],
               running: Callable[[subprocess.Popen[bytes] | None], None], gentle: bool = False,
               size: int = 1 << 16) -> Iterator[bytes]:
    """The NUL-separated fields of ``git ARGUMENTS`` (which asks for ``-z``), each as soon as git
    has written it. ``running`` is told of git's process (and of None once it has ended), for
    another thread to kill it; ``gentle`` runs it at a low priority. Git is stopped when no more
    fields are wanted: it may walk on for seconds. :class:`HistoryUnavailable` when git cannot be
    started or fails."""
    try:
        process = subprocess.Popen(git_command(where, *arguments), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, env=environment())
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed: no git command was found on the PATH.", "no-git") from None
    except OSError as error:
        raise HistoryUnavailable(f"git could not be started: {error}", "no-git") from None
    running(process)
    if gentle:
        try:
            os.setpriority(os.PRIO_PROCESS, process.pid, 10)
        except OSError:
            pass
    assert process.stdout is not None and process.stderr is not None
    stdout = process.stdout

    def chunks() -> Iterator[bytes]:
        while not cancelled():
            chunk = os.read(stdout.fileno(), size)
            if not chunk:
                return
            yield chunk

    read_all = False
    try:
        pending = b""
        for chunk in chunks():
            pending += chunk
            *complete, pending = pending.split(b"\0")
            yield from complete
        if pending:
            yield pending
        read_all = True
    finally:
        if not read_all and process.poll() is None:
            process.kill()
        stdout.close()
        error = process.stderr.read()
        process.stderr.close()
        code = process.wait()
        running(None)
    if read_all and code != 0 and not cancelled():
        raise HistoryUnavailable(f"git {arguments[0]} failed: {first_line(error)}", "failed")
