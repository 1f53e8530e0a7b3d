"""Reading a casefile folder with its problems, and writing one record safely.

The names below are imported on first use, so that ``whomet.store.look`` can start before the
models and pydantic are imported (see that module).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import names_from_modules

_HOME = {
    **{name: "cache" for name in ("CacheBusy", "CaseCache", "open_casefile", "read_without_cache")},
    **{name: "casefile" for name in ("Casefile", "FileStamp", "load", "read_record")},
    **{name: "problems" for name in ("CODES", "Problem", "problems_from_validation")},
    **{name: "look" for name in ("EarlyLook", "Look", "cache_path")},
    **{name: "archives" for name in ("ArchiveError", "Passage", "archive_ref", "archive_state", "archive_summary", "passage", "quoted")},
    **{name: "history" for name in ("ABSENT", "HistoryReader", "HistoryUnavailable", "is_reference", "locate")},
    **{name: "repository_log" for name in ("RepositoryLog", "log_of")},
    "is_record_file": "walk",
    **{name: "saving" for name in (
        "ChangedOnDisk", "Opened", "SaveError", "WouldLoseComments", "delete", "open_record", "opened_from", "save",
        "to_toml", "write_atomically",
    )},
}

__all__ = [
    "CODES", "CacheBusy", "CaseCache", "Casefile", "ChangedOnDisk", "EarlyLook", "FileStamp", "Look", "Opened",
    "Problem", "SaveError", "cache_path", "load", "open_casefile", "open_record", "opened_from",
    "problems_from_validation", "read_record", "read_without_cache", "save", "to_toml", "write_atomically",
    "WouldLoseComments", "delete", "ABSENT", "HistoryReader", "HistoryUnavailable", "is_reference", "locate",
    "RepositoryLog", "log_of", "is_record_file",
    "ArchiveError", "Passage", "archive_ref", "archive_state", "archive_summary", "passage", "quoted",
]

__getattr__ = names_from_modules(__name__, _HOME)

if TYPE_CHECKING:
    from .archives import ArchiveError, Passage, archive_ref, archive_state, archive_summary, passage, quoted
    from .cache import CacheBusy, CaseCache, open_casefile, read_without_cache
    from .casefile import Casefile, FileStamp, load, read_record
    from .history import ABSENT, HistoryReader, HistoryUnavailable, is_reference, locate
    from .look import EarlyLook, Look, cache_path
    from .repository_log import RepositoryLog, log_of
    from .walk import is_record_file
    from .problems import CODES, Problem, problems_from_validation
    from .saving import (
        ChangedOnDisk, Opened, SaveError, WouldLoseComments, delete, open_record, opened_from, save, to_toml,
        write_atomically,
    )
