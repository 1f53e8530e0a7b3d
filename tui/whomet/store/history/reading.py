"""Reading a record file's history with git: from the repository's log in the cache folder where it is
kept, else from the history kept from the last reading and the commits made since, else from ``git log``
with renames followed by hand."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from pathlib import Path

from ..git import FORMAT, Blobs, HistoryUnavailable, git_fields, is_blob, locate, run_git
from ..look import cache_folder
from ..repository_log import RepositoryLog
from .commits import Commit, FileHistory, _parse_log, settle
from .versions import GONE, read_version

PROGRESS_SECONDS = 0.1
MOST_RENAMES = 100


class HistoryReader:
    """Reads one file's history with git; ``cancel`` (from another thread) stops it."""

    def __init__(self, file: Path, *, cache: bool = True, located: tuple[Path, str] | None = None) -> None:
        """``located``: the repository and the file's path in it, if :func:`locate` found them already."""
        self.file = file
        self.use_cache = cache
        self.located = located
        self._cancelled = threading.Event()
        self._log: subprocess.Popen[bytes] | None = None
        self._repository_log: RepositoryLog | None = None

    def cancel(self) -> None:
        self._cancelled.set()
        repository_log = self._repository_log
        if repository_log is not None:
            repository_log.cancel()
        log = self._log
        if log is not None and log.poll() is None:
            log.kill()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def read(self, progress: Callable[[FileHistory], None] | None = None) -> FileHistory:
        """The whole history; ``progress`` is given it as it is found (at most every tenth of a
        second), and the same object, complete, is returned."""
        started = time.monotonic()
        top, path = self.located or locate(self.file)
        history = FileHistory(top, path)
        blobs = Blobs(top)
        try:
            self._read(history, blobs, progress)
        finally:
            blobs.close()
        history.seconds = time.monotonic() - started
        return history

    def _read(self, history: FileHistory, blobs: Blobs, progress: Callable[[FileHistory], None] | None) -> None:
        top, path = history.top, history.path
        head = run_git(top, "rev-parse", "--verify", "-q", "HEAD^{commit}")
        head_sha = head.stdout.decode().strip() if head.returncode == 0 else ""
        data = self._working_copy()
        history.current = read_version(data)
        commits: list[Commit] = []
        history.commits = commits

        def newest(commit: Commit | None) -> None:
            """The changes not committed yet first: the file on disk against the newest commit's version."""
            at_head = blobs.get(commit.new_blob) if commit is not None else None
            uncommitted = self._uncommitted(path, data, at_head)
            if uncommitted is not None:
                commits.insert(0, uncommitted)

        if not head_sha:  # a repository with no commit yet
            newest(None)
            self._finish(history, blobs)
            return
        logged = self._logged(top, path, head_sha) if self.use_cache else None
        kept = _Kept(top, path) if self.use_cache and logged is None else None
        cached = kept.load(head_sha) if kept is not None else None
        last_shown = -PROGRESS_SECONDS  # the first commit found is shown at once

        def found(commit: Commit) -> None:
            nonlocal last_shown
            if not commits:
                newest(commit)
            commits.append(commit)
            if progress is not None and time.monotonic() - last_shown >= PROGRESS_SECONDS:
                self._finish(history, blobs, complete=False)
                progress(history)
                last_shown = time.monotonic()

        if logged is not None:
            for commit in logged:
                found(commit)
        elif cached is not None:
            since, old_commits = cached
            if since != head_sha:
                for commit in self._log_of(top, [f"{since}..{head_sha}"], path):
                    found(commit)
            for commit in old_commits:
                found(commit)
        else:
            for commit in self._follow(top, path):
                found(commit)
        if self.cancelled:
            return
        if not any(commit.sha for commit in commits):
            newest(None)
        if kept is not None:
            kept.save(head_sha, [commit for commit in commits if commit.sha])
        self._finish(history, blobs)

    def _logged(self, top: Path, path: str, head: str) -> list[Commit] | None:
        """The file's commits from the repository's log in the cache folder, if it is kept."""
        log = RepositoryLog(top)
        self._repository_log = log
        try:
            rows = log.commits_of(path, head)
        except HistoryUnavailable:
            return None
        finally:
            self._repository_log = None
        return [Commit.from_json(list(row)) for row in rows] if rows is not None else None

    def _working_copy(self) -> bytes | None:
        try:
            return self.file.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            return None

    def _uncommitted(self, path: str, data: bytes | None, at_head: bytes | None) -> Commit | None:
        """The pseudo-commit of the file's changes not committed yet, if it differs from HEAD's."""
        if data == at_head or (data is not None and at_head is not None
                               and data.replace(b"\r\n", b"\n") == at_head.replace(b"\r\n", b"\n")):
            return None
        commit = Commit("", (), "", "", None, "not committed yet", path, "uncommitted")
        commit.before = read_version(at_head)
        commit.after = read_version(data)
        return commit

    def _log_of(self, top: Path, revisions: list[str], path: str) -> Generator[Commit, None, None]:
        """The commits of ``revisions`` that touched ``path``, newest first."""
        if self.cancelled:
            return
        arguments = ["log", "-z", "--raw", "--no-abbrev", "--no-renames", "--no-color", "--no-show-signature", "-m",
                     f"--format={FORMAT}", *revisions, "--", path]

        def running(process: subprocess.Popen[bytes] | None) -> None:
            self._log = process

        fields = git_fields(top, arguments, cancelled=lambda: self.cancelled, running=running)
        merge: Commit | None = None
        diffs = 0
        with closing(fields):  # no more wanted: git is stopped
            # A merge comes once for each parent it differs from in the path (-m; git before 2.31 has
            # no --diff-merges=first-parent): it is kept, with its diff against its first parent, only
            # where it differs from every parent. Else it brought in a change listed in its own commit.
            for commit in _parse_log(fields):
                if not commit.path:
                    continue
                if merge is not None and commit.sha == merge.sha:
                    diffs += 1
                    continue
                if merge is not None and diffs >= len(merge.parents):
                    yield merge
                merge = None
                if len(commit.parents) > 1:
                    merge, diffs = commit, 1
                    continue
                yield commit
            if merge is not None and diffs >= len(merge.parents):
                yield merge

    def _follow(self, top: Path, path: str) -> Iterator[Commit]:
        """Every commit that touched the file, and before a rename those that touched its old path.

        Where a commit adds the file, it alone is diffed with rename detection; if it renamed the
        file, the log stops there (git would walk on to the first commit for nothing) and a log of
        the old path goes on from the commit's parent."""
        revision, seen = "HEAD", set[tuple[str, str]]()
        for _ in range(MOST_RENAMES):
            renamed = False
            with closing(self._log_of(top, [revision], path)) as commits:
                for commit in commits:
                    if commit.status == "added" and commit.parents and not self.cancelled:
                        source = self._renamed_from(top, commit)
                        if source is not None and (commit.sha, source[0]) not in seen:
                            seen.add((commit.sha, source[0]))
                            commit.status, commit.renamed_from, commit.old_blob = "renamed", source[0], source[1]
                            revision, path, renamed = commit.parents[0], source[0], True
                    yield commit
                    if renamed:
                        break
            if not renamed:
                return

    def _renamed_from(self, top: Path, commit: Commit) -> tuple[str, str] | None:
        """The path (and blob) a commit renamed the file from, if it did."""
        done = run_git(top, "diff-tree", "-z", "-r", "-M", "--raw", "--no-abbrev", "--no-color", commit.parents[0],
                    commit.sha)
        if done.returncode != 0:
            return None
        parts = done.stdout.split(b"\0")
        at = 0
        while at < len(parts):
            meta = parts[at].lstrip(b"\n")
            if not meta.startswith(b":"):
                at += 1
                continue
            fields = meta[1:].decode("ascii", "replace").split()
            status = fields[4] if len(fields) > 4 else ""
            if status.startswith("R") and at + 2 < len(parts):
                source, target = (parts[at + 1].decode("utf-8", "surrogateescape"),
                                  parts[at + 2].decode("utf-8", "surrogateescape"))
                if target == commit.path:
                    return source, fields[2]
                at += 3
            else:
                at += 2
        return None

    def _finish(self, history: FileHistory, blobs: Blobs, *, complete: bool = True) -> None:
        """Read the versions of the commits found, and work out what they changed."""
        commits = [commit for commit in history.commits if commit.sha]
        blobs.fetch([name for commit in commits for name in (commit.old_blob, commit.new_blob)
                     if is_blob(name)])
        for commit in commits:
            if commit.before is GONE and is_blob(commit.old_blob):
                commit.before = read_version(blobs.get(commit.old_blob))
            if commit.after is GONE and is_blob(commit.new_blob):
                commit.after = read_version(blobs.get(commit.new_blob))
        history.complete = complete
        settle(history)


class _Kept:
    """A file's history as last read, in the cache folder: the commits up to the HEAD it was read at."""

    def __init__(self, top: Path, path: str) -> None:
        digest = hashlib.blake2b(f"{top.resolve()}\0{path}".encode("utf-8", "surrogateescape"),
                                 digest_size=12).hexdigest()
        self.file = cache_folder() / "history" / f"{digest}.json"
        self.top, self.path = str(top.resolve()), path

    def load(self, head: str) -> tuple[str, list[Commit]] | None:
        """The HEAD the kept history was read at and its commits, if that HEAD is in HEAD's history."""
        try:
            kept = json.loads(self.file.read_text(encoding="utf-8"))
            if kept.get("top") != self.top or kept.get("path") != self.path:
                return None
            since = kept["head"]
            commits = [Commit.from_json(item) for item in kept["commits"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if since != head:
            ancestor = run_git(Path(self.top), "merge-base", "--is-ancestor", since, head)
            if ancestor.returncode != 0:  # history rewritten (or the commit gone): read it all again
                return None
        return since, commits

    def save(self, head: str, commits: list[Commit]) -> None:
        data = json.dumps({"top": self.top, "path": self.path, "head": head,
                           "commits": [commit.to_json() for commit in commits]})
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
            temporary.write_text(data, encoding="utf-8")
            os.replace(temporary, self.file)
        except OSError:
            pass  # a history not kept is read again next time


def file_history(file: Path, *, progress: Callable[[FileHistory], None] | None = None,
                 cache: bool = True) -> FileHistory:
    """The history of the record file ``file`` (see :class:`HistoryReader`)."""
    return HistoryReader(file, cache=cache).read(progress)
