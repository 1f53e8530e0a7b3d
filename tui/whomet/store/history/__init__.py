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

from ..git import HistoryUnavailable, locate
from .commits import Commit, EntryOrigin, FieldOrigin, FileHistory
from .reading import HistoryReader, file_history
from .versions import ABSENT, KEY_FIELDS, EntryChange, FieldChange, Version, is_reference, read_version

__all__ = [
    "ABSENT", "KEY_FIELDS", "Commit", "EntryChange", "EntryOrigin", "FieldChange", "FieldOrigin", "FileHistory",
    "HistoryReader", "HistoryUnavailable", "Version", "file_history", "is_reference", "locate", "read_version",
]
