"""The commits that touched a record file, and who last set each of its fields: commits parsed from
``git log`` as it writes them, each one's changes worked out from the versions before and after it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from ...model.kinds import KIND_IN
from ..git import STATUS, decode
from .versions import ABSENT, GONE, FieldChange, Version, _is_table_list, _same, field_changes, field_order, key_of


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
