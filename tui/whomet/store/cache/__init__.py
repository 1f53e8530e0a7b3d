"""What the browser needs of a casefile without reading every file: a SQLite cache.

The TOML files stay the only truth. The cache keeps, per file, the size and modification
time it had when read, the problems found in it, and for each record the few fields the
lists show and the links it makes. Opening a casefile compares every file with the cache
and reads again only what changed (in two processes when there is much to read); whole
records are read from their files when asked for. A cache of another format, or one that
SQLite cannot read, is deleted and rebuilt.

The package is laid out by concern: ``schema`` (the tables and the connection), ``rows`` (what
the cache keeps of one file, as a reader process makes it), ``readers`` (reading many files in
reader processes), ``tables`` (rows put in and taken out), ``refresh`` (bringing the cache up to
date), ``derive`` (ids several files claim; the rules' counts and flags, kept up to date),
``checks`` (the problems between records), ``queries`` (what the cache answers), ``writes``
(a save or delete through the app) and ``casecache`` (:class:`CaseCache`, which holds the
connection, and :func:`open_casefile`).
"""

from __future__ import annotations

from ..workers import start_workers

# Set here, and read from here when used, so that a caller (a test, a benchmark) can change them.
PARALLEL_FROM = 2000
"""Files to read before reader processes pay for their start-up."""

READERS = 2
"""Reader processes: one per core of a small machine."""

BUSY_WAIT = 5.0
"""Seconds to wait for another process's hold on the cache before giving up on it."""

from ..look import cache_path  # noqa: E402
from .casecache import CaseCache, open_casefile, read_without_cache  # noqa: E402
from .readers import Progress  # noqa: E402
from .refresh import Refreshed  # noqa: E402
from .rows import PAIR, UNIT, FileResult, field_of, one_line, read_file, record_row, searchable, sort_span, start_part, write_part  # noqa: E402
from .schema import FORMAT, CacheBusy, CacheUnusable  # noqa: E402

__all__ = [
    "BUSY_WAIT", "FORMAT", "PAIR", "PARALLEL_FROM", "READERS", "UNIT", "CacheBusy", "CacheUnusable", "CaseCache",
    "FileResult", "Progress", "Refreshed", "cache_path", "field_of", "one_line", "open_casefile", "read_file",
    "read_without_cache", "record_row", "searchable", "sort_span", "start_part", "start_workers", "write_part",
]
