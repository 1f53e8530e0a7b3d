"""A record's history in git: the commits that touched its file, what each changed field by field,
and who last set each field of it.

Everything comes from the ``git`` command (no shell, ``-z`` output, the file read at each commit
with one ``git cat-file --batch``); each version is parsed as TOML and compared with the one
before it key by key. A version that is not TOML is kept as such, with the reason, and the next
readable one is compared with the last readable one before it.

Where the repository's log is kept in the cache folder (``repository_log``: every commit and the
paths it changed, read once in the background), a file's commits are one query of it. Until it is,
they are found with ``git log --raw -- PATH``, and renames are followed by hand: where a
commit adds the file, that commit alone is diffed with rename detection, and if it renamed the
file from another path the log goes on with that path from its parent. ``git log --follow`` does
the same but cannot use the commit-graph's changed-path Bloom filters, which make a path's log
several times faster in a large repository (see ``benchmarks/history.py``).

The log is read as git writes it, newest commit first: a reader given ``progress`` hears of the
history found so far every tenth of a second, so that a long history shows while it is read.
Each history found is also kept in the cache folder, by the repository and path, up to the commit
it was read to: the next look at the record reads only the commits made since.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import tomli

from ..model.kinds import KIND_IN
from .git import FORMAT, STATUS, Blobs, HistoryUnavailable, decode, git_fields, is_blob, locate, run_git
from .look import cache_folder
from .repository_log import RepositoryLog

__all__ = [
    "ABSENT", "KEY_FIELDS", "Commit", "EntryChange", "EntryOrigin", "FieldChange", "FieldOrigin", "FileHistory",
    "HistoryReader", "HistoryUnavailable", "Version", "file_history", "is_reference", "locate",
]

KEY_FIELDS: dict[str, str] = {"participants": "who", "citations": "source", "roles": "title", "about": "meeting"}
"""The key that names an entry of each list of tables: a participant by who, a citation by its source."""

_REFERENCES = frozenset({"organization", "parent", "sources", "source", "original", "who", "speaker", "asked_by",
                         "meeting"})
"""The keys whose values are ids of other records (``model.records.REFERENCE_KINDS``)."""

_ORDER: dict[str, tuple[str, ...]] = {
    "people": ("name", "aliases", "summary", "nationality", "roles"),
    "organizations": ("name", "aliases", "type", "country", "parent", "summary"),
    "meetings": ("title", "date", "date_text", "place", "type", "status", "summary", "participants", "citations"),
    "statements": ("speaker", "date", "date_text", "setting", "occasion", "under_oath", "quote", "question",
                   "asked_by", "summary", "about", "citations"),
    "sources": ("title", "publisher", "authors", "published", "url", "type", "summary"),
}
"""Each kind's fields in the order of its model (``model.records``), for listing them."""

PROGRESS_SECONDS = 0.1
MOST_RENAMES = 100
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = " (at end of document)"
_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def is_reference(key: str) -> bool:
    """Whether values of ``key`` are ids of other records (shown by their names)."""
    return key in _REFERENCES


class _Absent:
    """A field a version does not have (its one value is ``ABSENT``)."""

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()
"""The value of a field that a version does not have."""


# --------------------------------------------------------------------------- versions and changes


@dataclass(frozen=True, slots=True)
class Version:
    """The file at one commit: its keys when it is TOML, else why it could not be read."""

    fields: dict[str, Any] | None = None
    error: str | None = None
    """"line 3: Expected '=' after a key…" when the file is there but not TOML."""
    exists: bool = True

    @property
    def readable(self) -> bool:
        return self.fields is not None


GONE = Version(exists=False)


def read_version(data: bytes | None) -> Version:
    """A version from the file's bytes (None: the file is not there at that commit)."""
    if data is None:
        return GONE
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Version(error=f"line {line}: not UTF-8 text (byte {error.start + 1} is 0x{data[error.start]:02x})")
    text = text.removeprefix("\ufeff")
    conflict = _CONFLICT.search(text)
    if conflict is not None:
        line = text.count("\n", 0, conflict.start()) + 1
        return Version(error=f"line {line}: a git merge conflict was left in it")
    try:
        return Version(fields=tomli.loads(text))
    except tomli.TOMLDecodeError as error:
        message = str(error)
        where = _TOML_WHERE.search(message)
        if where is not None:
            return Version(error=f"line {where.group(1)}: {message[:where.start()]}")
        if message.endswith(_AT_END):
            return Version(error=f"line {text.count(chr(10)) + 1}: {message.removesuffix(_AT_END)} at the end of the file")
        return Version(error=message)
    except RecursionError:
        return Version(error="its tables are nested too deeply to read")


@dataclass(frozen=True, slots=True)
class EntryChange:
    """An entry of a list that a commit added (``+``), removed (``-``) or changed (``~``)."""

    sign: Literal["+", "-", "~"]
    value: Any
    """The entry (after the change, for ``~``): a table, or a plain value."""
    key: str | None = None
    """The key that names a table entry (``who`` for a participant), None for a plain value."""
    changes: tuple[FieldChange, ...] = ()
    """For ``~``: the entry's keys that changed."""

    @property
    def name(self) -> Any:
        """What the entry is called: its key's value, or the value itself."""
        if self.key is not None and isinstance(self.value, dict):
            return self.value.get(self.key, ABSENT)
        return self.value


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One key of a record, as a commit changed it."""

    field: str
    before: Any = ABSENT
    after: Any = ABSENT
    entries: tuple[EntryChange, ...] = ()
    """For a list: the entries added, removed and changed (none when only their order changed);
    a list added or removed whole has each of its entries added or removed."""

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        if self.before is ABSENT:
            return "added"
        if self.after is ABSENT:
            return "removed"
        return "changed"

    @property
    def is_list(self) -> bool:
        return isinstance(self.before, list) and isinstance(self.after, list)


def field_order(folder: str, *tables: dict[str, Any]) -> list[str]:
    """The keys of ``tables``: the kind's fields in the model's order, then any others as found."""
    keys = dict.fromkeys(key for table in tables for key in table)
    known = [key for key in _ORDER.get(folder, ()) if key in keys]
    return known + [key for key in keys if key not in known]


def field_changes(before: dict[str, Any], after: dict[str, Any], folder: str = "") -> tuple[FieldChange, ...]:
    """What changed from ``before`` to ``after``, key by key, in the kind's field order."""
    changes = []
    for key in field_order(folder, after, before):
        old, new = before.get(key, ABSENT), after.get(key, ABSENT)
        if _same(old, new):
            continue
        entries: tuple[EntryChange, ...] = ()
        if isinstance(old, list) or isinstance(new, list):
            entries = list_changes(key, old if isinstance(old, list) else [], new if isinstance(new, list) else [])
        changes.append(FieldChange(key, old, new, entries))
    return tuple(changes)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _is_table_list(values: Sequence[Any]) -> bool:
    return bool(values) and all(isinstance(value, dict) for value in values)


def key_of(key: str, entries: Sequence[Any]) -> str | None:
    """The key that names the tables of the list ``key``: its known one, else the first key of its first table."""
    if key in KEY_FIELDS:
        return KEY_FIELDS[key]
    first = next((entry for entry in entries if isinstance(entry, dict) and entry), None)
    return next(iter(first)) if first is not None else None


def pair_entries(key: str | None, old: Sequence[Any], new: Sequence[Any]) -> tuple[
        list[tuple[int, int]], list[tuple[int, int]], list[int], list[int]]:
    """How the entries of two versions of a list correspond: (pairs of equal entries, pairs of
    changed entries of the same name, entries only in ``old``, entries only in ``new``), by position.

    Equal entries are paired first, in order; of the rest, tables of the same name (their ``key``'s
    value) in order; what is left was removed or added."""
    unmatched_old = list(range(len(old)))
    equal: list[tuple[int, int]] = []
    left_new: list[int] = []
    for j, value in enumerate(new):
        i = next((i for i in unmatched_old if _same(old[i], value)), None)
        if i is None:
            left_new.append(j)
        else:
            unmatched_old.remove(i)
            equal.append((i, j))
    changed: list[tuple[int, int]] = []
    if key is not None:
        still_new = []
        for j in left_new:
            name = new[j].get(key, ABSENT) if isinstance(new[j], dict) else ABSENT
            i = next((i for i in unmatched_old if name is not ABSENT and isinstance(old[i], dict)
                      and _same(old[i].get(key, ABSENT), name)), None)
            if i is None:
                still_new.append(j)
            else:
                unmatched_old.remove(i)
                changed.append((i, j))
        left_new = still_new
    return equal, changed, unmatched_old, left_new


def list_changes(key: str, old: list[Any], new: list[Any]) -> tuple[EntryChange, ...]:
    """The entries of a list that were removed, changed and added (by their place in the list)."""
    tables = _is_table_list(old) or _is_table_list(new)
    name = key_of(key, [*new, *old]) if tables else None
    _equal, changed, removed, added = pair_entries(name, old, new)
    placed: list[tuple[float, EntryChange]] = []
    for i in removed:
        placed.append((i - 0.5, EntryChange("-", old[i], name if isinstance(old[i], dict) else None)))
    for i, j in changed:
        placed.append((j, EntryChange("~", new[j], name, field_changes(old[i], new[j]))))
    for j in added:
        placed.append((j, EntryChange("+", new[j], name if isinstance(new[j], dict) else None)))
    placed.sort(key=lambda item: item[0])
    return tuple(entry for _, entry in placed)


# --------------------------------------------------------------------------- commits


@dataclass(slots=True)
class Commit:
    """A commit that touched the record's file (or, with no sha, the changes not committed yet)."""

    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: datetime | None
    message: str
    path: str
    """The file's path from the repository's top, after this commit."""
    status: Literal["added", "changed", "deleted", "renamed", "uncommitted"]
    old_blob: str = ""
    new_blob: str = ""
    renamed_from: str | None = None
    before: Version = GONE
    after: Version = GONE
    changes: tuple[FieldChange, ...] = ()
    compared_with: Commit | None = None
    """When the version before this commit could not be read: the commit whose version the
    changes are counted from (the last readable one before), None if there is none."""

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def subject(self) -> str:
        """The message's first paragraph, on one line."""
        return " ".join(self.message.strip().split("\n\n", 1)[0].split())

    @property
    def body(self) -> str:
        parts = self.message.strip().split("\n\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""

    def to_json(self) -> list[Any]:
        return [self.sha, list(self.parents), self.author, self.email,
                self.date.isoformat() if self.date else None, self.message, self.path, self.status,
                self.old_blob, self.new_blob, self.renamed_from]

    @classmethod
    def from_json(cls, item: list[Any]) -> Commit:
        sha, parents, author, email, date, message, path, status, old_blob, new_blob, renamed_from = item
        return cls(sha, tuple(parents), author, email, datetime.fromisoformat(date) if date else None, message,
                   path, status, old_blob, new_blob, renamed_from)


@dataclass(frozen=True, slots=True)
class EntryOrigin:
    """The commit that last set one entry of a list of tables (a participant, a citation)."""

    name: Any
    """The entry's name: its key's value (a participant's who)."""
    key: str | None
    """The key that names it (``who``)."""
    commit: Commit | None


@dataclass(frozen=True, slots=True)
class FieldOrigin:
    """The commit that last set a field of the record, or that removed it."""

    field: str
    commit: Commit | None
    """None while the history is still read and no commit found so far set it."""
    removed: bool = False
    """The field is not in the record now: ``commit`` removed it."""
    entries: tuple[EntryOrigin, ...] = ()
    """For a list of tables: who last set each of its entries, in the list's order."""


@dataclass(slots=True)
class FileHistory:
    """A record file's history: newest first, the changes not committed yet first of all."""

    top: Path
    """The repository's working tree."""
    path: str
    """The file's path from ``top``."""
    commits: list[Commit] = field(default_factory=list)
    complete: bool = False
    """False while older commits are still being read."""
    origins: list[FieldOrigin] = field(default_factory=list)
    """Who last set each field of the newest readable version, then the fields since removed."""
    current: Version = GONE
    """The file as it is on disk now."""
    seconds: float = 0.0
    """How long reading it took, once complete."""

    @property
    def committed(self) -> bool:
        """Whether any commit holds the file."""
        return any(commit.sha for commit in self.commits)

    @property
    def folder(self) -> str:
        """The kind folder the file is in (``meetings``), "" when none."""
        parts = self.path.split("/")
        return parts[-2] if len(parts) > 1 and parts[-2] in KIND_IN else ""


def settle(history: FileHistory) -> None:
    """Work out each commit's changes and who last set each field, from the versions read."""
    folder = history.folder
    oldest_first = list(reversed(history.commits))
    last_readable: Commit | None = None
    for commit in oldest_first:
        before, after = commit.before, commit.after
        commit.compared_with = None
        base: dict[str, Any] | None
        if not before.exists:
            base = {}
        elif before.readable:
            base = before.fields
        else:  # the version before was not TOML: count from the last one that was
            commit.compared_with = last_readable
            base = last_readable.after.fields if last_readable is not None else None
        if base is None or (after.exists and not after.readable):
            commit.changes = ()
        else:
            commit.changes = field_changes(base, after.fields or {}, folder)
        if after.readable:
            last_readable = commit
    history.origins = _origins(history, oldest_first)


def _origins(history: FileHistory, oldest_first: list[Commit]) -> list[FieldOrigin]:
    """Who last set each field of the newest readable version: the newest commit whose own change
    (from the version before it) gave the field the value it has now.

    Judged by each commit's own change, not by the versions in the log's order, which are not one
    after the other where branches were merged; a merge counts only for what no commit of a branch
    set, so that a change is credited to who made it rather than to who merged it."""
    folder = history.folder
    newest_first = list(reversed(oldest_first))
    latest = next((commit for commit in newest_first if commit.after.readable), None)
    if latest is None:
        return []
    fields = latest.after.fields or {}
    by_field: dict[str, list[tuple[Commit, FieldChange]]] = {}
    for commit in newest_first:
        for change in commit.changes:
            by_field.setdefault(change.field, []).append((commit, change))

    def newest(key: str, sets: Callable[[FieldChange], bool]) -> Commit | None:
        found = [commit for commit, change in by_field.get(key, ()) if sets(change)]
        return next((commit for commit in found if len(commit.parents) < 2), found[0] if found else None)

    def setting(value: Any) -> Callable[[FieldChange], bool]:
        """Whether a change gave the field ``value``."""
        return lambda change: _same(change.after, value)

    def adding(entry: Any) -> Callable[[FieldChange], bool]:
        """Whether a change added ``entry`` to a list, or changed one of its entries into it."""
        return lambda change: any(e.sign != "-" and _same(e.value, entry) for e in change.entries)

    def removing(change: FieldChange) -> bool:
        return change.after is ABSENT

    origins = []
    for key in field_order(folder, fields):
        value = fields[key]
        entries: tuple[EntryOrigin, ...] = ()
        if isinstance(value, list) and _is_table_list(value):
            name = key_of(key, value)
            entries = tuple(EntryOrigin(entry.get(name, ABSENT) if name else ABSENT, name, newest(key, adding(entry)))
                            for entry in value)
        origins.append(FieldOrigin(key, newest(key, setting(value)), False, entries))
    ever = field_order(folder, *(commit.before.fields or {} for commit in newest_first if commit.before.readable),
                       *(commit.after.fields or {} for commit in newest_first if commit.after.readable))
    for key in ever:
        remover = newest(key, removing) if key not in fields else None
        if remover is not None:
            origins.append(FieldOrigin(key, remover, True))
    return origins


def _parse_log(stream: Iterator[bytes]) -> Iterator[Commit]:
    """Commits from the fields of ``git log -z --raw --format=FORMAT`` as they are read."""
    token = next(stream, None)
    while token is not None:
        sha = token.strip().decode("ascii", "replace")
        if not sha:
            token = next(stream, None)
            continue
        header = [next(stream, b"") for _ in range(5)]
        parents, author, email, date, message = header
        commit = Commit(sha, tuple(decode(parents).split()), decode(author), decode(email),
                        _parse_date(decode(date)), decode(message), "", "changed")
        # The log is of one path: a commit has one line of it, and is given as soon as that is
        # read, before git has found the next (which may take it seconds).
        token = next(stream, None)
        first = True
        while token is not None and token.lstrip(b"\n").startswith(b":"):
            meta = token.lstrip(b"\n")[1:].decode("ascii", "replace").split()
            status = meta[4] if len(meta) > 4 else "M"
            paths = [next(stream, b"")]
            if status[:1] in ("R", "C"):
                paths.append(next(stream, b""))
            if first and len(meta) >= 4:
                commit.old_blob, commit.new_blob = meta[2], meta[3]
                commit.path = paths[-1].decode("utf-8", "surrogateescape")
                commit.status = STATUS.get(status[:1], "changed")  # type: ignore[assignment]
                yield commit
            first = False
            token = next(stream, None)
        if first:
            yield commit


def _parse_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


# --------------------------------------------------------------------------- reading a history


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
