"""Which commits touched which paths, for a whole repository, kept in the cache folder.

``git log -- PATH`` must diff every commit's trees to find the few that touched one file: in a
repository of 100,000 files and 10,000 commits that takes seconds for each record asked about
(``benchmarks/history.py``). This log reads the repository's history once, with one
``git log --raw -M``, and keeps each commit and the paths it changed in SQLite, by the HEAD it
was read to; a record's commits are then one indexed query. After new commits only those are
read (``OLD..HEAD``); when HEAD is no longer a descendant of the log's (another branch checked
out, history rewritten) the log is read again whole, in the background.

Commits are kept as git lists a path's log: a commit that changed the path against its parent; a
merge only where it differs from every parent (what ``git log -- PATH`` shows of a merge). Renames
found by ``-M`` are followed as :class:`~whomet.store.history.HistoryReader` follows them: the
commit that renamed the file is listed, then the old path's commits before it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from .git import FORMAT, STATUS, HistoryUnavailable, decode, git_fields, locate, run_git
from .look import cache_folder

__all__ = ["LOG_FORMAT", "RepositoryLog", "log_of"]

LOG_FORMAT = "whomet-repository-log 1"
MOST_RENAMES = 100
_BATCH = 5000

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commits(seq INTEGER PRIMARY KEY, sha TEXT NOT NULL, parents TEXT NOT NULL, author TEXT NOT NULL,
                     email TEXT NOT NULL, date TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE changes(path BLOB NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL, old_blob TEXT NOT NULL,
                     new_blob TEXT NOT NULL, renamed_from BLOB);
CREATE INDEX changes_by_path ON changes(path, seq);
"""

Entry = tuple[bytes, str, str, str, bytes | None]
"""A path a commit changed: the path, its status, the blobs before and after, the path it was renamed from."""

CommitRow = tuple[str, list[str], str, str, str, str, str, str, str, str, str | None]
"""One commit of a path's log, in the shape of ``Commit.to_json``: sha, parents, author, email,
date, message, path, status, old blob, new blob, the path it was renamed from."""


def _text(path: bytes) -> str:
    return path.decode("utf-8", "surrogateescape")


class RepositoryLog:
    """The log of the repository whose working tree is ``top``; safe to use from one thread at a time,
    ``cancel`` from any."""

    def __init__(self, top: Path) -> None:
        self.top = top.resolve()
        digest = hashlib.blake2b(str(self.top).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        self.file = cache_folder() / "history" / f"log-{digest}.sqlite"
        self._cancelled = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None

    # -------------------------------------------------------------------- reading it

    def _connect(self, file: Path | None = None) -> sqlite3.Connection | None:
        file = file or self.file
        if not file.exists():
            return None
        connection = None
        try:
            connection = sqlite3.connect(file, timeout=5, check_same_thread=False)
            meta = dict(connection.execute("SELECT key, value FROM meta"))
        except sqlite3.Error:
            if connection is not None:
                connection.close()
            return None
        if meta.get("format") != LOG_FORMAT or meta.get("top") != str(self.top):
            connection.close()
            return None
        return connection

    def current_head(self) -> str | None:
        """The repository's HEAD now, None before its first commit."""
        done = run_git(self.top, "rev-parse", "--verify", "-q", "HEAD^{commit}")
        return done.stdout.decode("ascii", "replace").strip() or None if done.returncode == 0 else None

    def head(self) -> str | None:
        """The commit the log was read to, None if there is no log."""
        connection = self._connect()
        if connection is None:
            return None
        try:
            return self._head(connection)
        finally:
            connection.close()

    @staticmethod
    def _head(connection: sqlite3.Connection) -> str | None:
        row = connection.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
        return row[0] if row else None

    def commits_of(self, path: str, head: str) -> list[CommitRow] | None:
        """The commits that touched ``path``, newest first, following renames, if the log is at
        ``head`` or can be brought there by reading the commits since (None: not kept yet)."""
        if not self.update(head, whole=False):
            return None
        connection = self._connect()
        if connection is None:
            return None
        try:
            return self._commits_of(connection, path)
        finally:
            connection.close()

    @staticmethod
    def _commits_of(connection: sqlite3.Connection, path: str) -> list[CommitRow]:
        found: list[CommitRow] = []
        wanted, after = path.encode("utf-8", "surrogateescape"), -(1 << 62)
        for _ in range(MOST_RENAMES):
            renamed: tuple[bytes, int] | None = None
            rows = connection.execute(
                "SELECT c.seq, c.sha, c.parents, c.author, c.email, c.date, c.message, ch.status, ch.old_blob,"
                " ch.new_blob, ch.renamed_from FROM changes ch JOIN commits c ON c.seq = ch.seq"
                " WHERE ch.path = ? AND ch.seq > ? ORDER BY ch.seq", (wanted, after))
            for seq, sha, parents, author, email, date, message, status, old, new, source in rows:
                found.append((sha, parents.split(), author, email, date, message, _text(wanted), status, old, new,
                              _text(source) if source is not None else None))
                if status == "renamed" and source is not None:
                    renamed = (source, seq)
                    break
            if renamed is None:
                break
            wanted, after = renamed
        return found

    # -------------------------------------------------------------------- keeping it

    def cancel(self) -> None:
        self._cancelled.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def update(self, head: str, *, whole: bool = True, gentle: bool = False) -> bool:
        """Bring the log to ``head``: the commits since the head it was read to, or, with ``whole``,
        all of them when there is no log or its head is not an ancestor of ``head``. ``gentle``: git
        runs at a low priority (a log read in the background while the user works). True when the
        log is at ``head`` afterwards."""
        connection = self._connect()
        if connection is not None:
            try:
                since = self._head(connection)
                if since == head:
                    return True
                if since is not None and run_git(self.top, "merge-base", "--is-ancestor", since, head).returncode == 0 \
                        and self._extend(connection, since, head, gentle):
                    return True
            finally:
                connection.close()
        return whole and self._read_whole(head, gentle)

    def _extend(self, connection: sqlite3.Connection, since: str, head: str, gentle: bool) -> bool:
        commits = list(self._read_log([f"{since}..{head}"], gentle))
        if self.cancelled:
            return False
        if any(len(header[1].split()) > 1 for header, _ in commits):
            # A merge brings in commits that git lists among the older ones, by their dates: the
            # new ones cannot simply go first. The log is read whole instead (in the background).
            return False
        try:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                if self._head(connection) != since:  # another whomet extended it meanwhile
                    return self._head(connection) == head
                first = connection.execute("SELECT coalesce(min(seq), 0) FROM commits").fetchone()[0]
                self._store(connection, commits, first - len(commits))
                connection.execute("UPDATE meta SET value = ? WHERE key = 'head'", (head,))
        except sqlite3.Error:
            return False
        return True

    def _read_whole(self, head: str, gentle: bool) -> bool:
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.unlink(missing_ok=True)
        try:
            connection = sqlite3.connect(temporary)
            try:
                connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
                with connection:
                    self._store(connection, self._read_log([head], gentle), 0)
                    if self.cancelled:
                        return False
                    connection.executemany("INSERT INTO meta VALUES (?, ?)",
                                           [("format", LOG_FORMAT), ("top", str(self.top)), ("head", head)])
            finally:
                connection.close()
            if self.cancelled:
                return False
            os.replace(temporary, self.file)
            return True
        except (OSError, sqlite3.Error):
            return False
        finally:
            temporary.unlink(missing_ok=True)

    @staticmethod
    def _store(connection: sqlite3.Connection, commits: Iterator[tuple[list[str], list[Entry]]] | list[
            tuple[list[str], list[Entry]]], first: int) -> None:
        commit_rows: list[tuple[object, ...]] = []
        change_rows: list[tuple[object, ...]] = []
        for seq, (header, entries) in enumerate(commits, start=first):
            commit_rows.append((seq, *header))
            change_rows.extend((path, seq, status, old, new, source) for path, status, old, new, source in entries)
            if len(change_rows) >= _BATCH:
                connection.executemany("INSERT INTO commits VALUES (?, ?, ?, ?, ?, ?, ?)", commit_rows)
                connection.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?)", change_rows)
                commit_rows, change_rows = [], []
        connection.executemany("INSERT INTO commits VALUES (?, ?, ?, ?, ?, ?, ?)", commit_rows)
        connection.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?)", change_rows)

    # -------------------------------------------------------------------- git

    def _read_log(self, revisions: list[str], gentle: bool) -> Iterator[tuple[list[str], list[Entry]]]:
        """Each commit of ``revisions``, newest first: its header (sha, parents, author, email, date,
        message) and the paths it changed as a path's log would list them."""
        if self.cancelled:
            return
        arguments = ["log", "-z", "--raw", "--no-abbrev", "-M", "-m", "--no-color", "--no-show-signature",
                     f"--format={FORMAT}", *revisions, "--"]

        def running(process: subprocess.Popen[bytes] | None) -> None:
            self._process = process

        fields = git_fields(self.top, arguments, cancelled=lambda: self.cancelled, running=running, gentle=gentle,
                            size=1 << 20)
        with closing(fields):
            yield from _commits(fields)


def _commits(stream: Iterator[bytes]) -> Iterator[tuple[list[str], list[Entry]]]:
    """Commits from ``git log -z --raw -M -m --format=FORMAT``; a merge comes once for each parent
    (each time with its header), and keeps the paths that differ from every parent."""
    token = next(stream, None)
    current: list[str] | None = None
    diffs: list[list[Entry]] = []

    def finished() -> tuple[list[str], list[Entry]]:
        assert current is not None
        parents = current[1].split()
        if len(parents) <= 1:
            return current, diffs[0] if diffs else []
        if len(diffs) < len(parents):  # the same as one parent: git leaves that diff out
            return current, []
        others = [{entry[0] for entry in diff} for diff in diffs[1:]]
        return current, [entry for entry in diffs[0] if all(entry[0] in paths for paths in others)]

    while token is not None:
        sha = token.strip().decode("ascii", "replace")
        if not sha:
            token = next(stream, None)
            continue
        header = [sha, *(decode(next(stream, b"")) for _ in range(5))]
        if current is not None and current[0] != sha:
            yield finished()
            diffs = []
        current = header
        entries: list[Entry] = []
        token = next(stream, None)
        while token is not None and token.lstrip(b"\n").startswith(b":"):
            meta = token.lstrip(b"\n")[1:].decode("ascii", "replace").split()
            status = meta[4] if len(meta) > 4 else "M"
            first = next(stream, b"")
            old, new = (meta[2], meta[3]) if len(meta) >= 4 else ("", "")
            if status[:1] == "R":
                target = next(stream, b"")
                entries.append((target, "renamed", old, new, first))
                entries.append((first, "deleted", old, "0" * len(old), None))
            elif status[:1] == "C":
                target = next(stream, b"")
                entries.append((target, "added", "0" * len(old), new, None))
            else:
                entries.append((first, STATUS.get(status[:1], "changed"), old, new, None))
            token = next(stream, None)
        diffs.append(entries)
    if current is not None:
        yield finished()


def log_of(folder: Path) -> RepositoryLog | None:
    """The log of the repository that holds the casefile ``folder``, None outside git (or with no git)."""
    try:
        top, _ = locate(folder / "casefile")
    except HistoryUnavailable:
        return None
    return RepositoryLog(top)
