"""The casefile the browser shows, as the forms, the palette and the panels use it: look records
up, suggest them, open one for editing, save, delete and read the files again.

It knows nothing of Textual: the browser gives it what to do when the cache is held by another
whomet (read the files without it, with the progress bar) and when the records changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..index import CachedIndex, Chronology
from ..model.kinds import FOLDER_OF
from ..store import (
    CacheBusy,
    ChangedOnDisk,
    Opened,
    SaveError,
    delete,
    open_record,
    save,
)

if TYPE_CHECKING:
    from ..model import Record
    from ..store import CaseCache


class CasefileSession:
    """One casefile folder, its cache and its index, while the browser shows them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.casefile: CaseCache | None = None
        self._chronology: tuple[CaseCache, int, Chronology] | None = None
        self.index: CachedIndex | None = None
        self.rereading = False
        """Whether the files are being read again without the cache (another whomet holds it):
        saves wait until they are shown, so that none is made to a cache about to be replaced."""
        self.when_busy: Callable[[], None] = lambda: None
        """What to do when another whomet holds the cache for longer than a write waits."""
        self.when_changed: Callable[[], None] = lambda: None
        """What to do once a save or delete changed the records."""

    @property
    def ready(self) -> bool:
        return self.casefile is not None and self.index is not None

    def adopt(self, casefile: CaseCache, index: CachedIndex) -> None:
        self.casefile, self.index = casefile, index

    # looking records up

    def chronology(self) -> Chronology:
        """The casefile's meetings and statements in date order, read once while they stay as they are."""
        assert self.casefile is not None
        held = self._chronology
        if held is None or held[0] is not self.casefile or held[1] != self.casefile.generation:
            held = self._chronology = (self.casefile, self.casefile.generation, Chronology(self.casefile.db))
        return held[2]

    def proposed_id(self, kind: str, values: dict) -> str:
        """The id proposed for a record of ``kind`` with these field values: from the name or
        title, or from the date and the title (a statement: the date, the speaker and its first
        words), one not taken; '' when they give no words."""
        from ..model import slugify

        if kind in ("person", "organization", "source"):
            base = slugify(str(values.get("name") or values.get("title") or ""))
        else:
            words = str(values.get("title") or values.get("occasion") or values.get("quote") or "")
            words = " ".join(words.split()[:8])
            date = str(values.get("date") or "").split("/")[0].rstrip("~?%")
            speaker = str(values.get("speaker") or "") if kind == "statement" else ""
            base = slugify(" ".join(part for part in (date, speaker, words) if part))
        if not base:
            return ""
        candidate, number = base, 2
        while self.id_taken(candidate):
            candidate = f"{base}-{number}"
            number += 1
        return candidate

    def get(self, record_id: str | None) -> Record | None:
        if self.index is None or record_id is None:
            return None
        return self.index.get(record_id)

    def label(self, record_id: str) -> str | None:
        record = self.get(record_id)
        return record.label if record is not None else None

    def id_taken(self, record_id: str) -> bool:
        if self.casefile is None or self.index is None:
            return False
        if record_id in self.index or self.casefile.invalid_path(record_id) is not None:
            return True
        # A file or folder of that name that the casefile could not take in (made since, or not a file).
        return any(os.path.lexists(self.folder / folder / f"{record_id}.toml") for folder in FOLDER_OF.values())

    def suggest(self, text: str, kinds: tuple[str, ...]) -> list[tuple[str, str, str]]:
        """Records of ``kinds`` whose name, alias or title matches ``text``, best first."""
        if self.index is None:
            return []
        return self.index.suggest(text, kinds)

    # changing records

    def open_record(self, record_id: str) -> Opened:
        """The record's file as it is now, for a form or a delete to check against later."""
        if self.casefile is None:
            raise SaveError("the casefile is still loading")
        return open_record(self.casefile, record_id)

    def save(self, record: Record, *, new: bool, opened: Opened | None = None) -> str | None:
        """Write a record through the store; the reason it was not written, if not. An edit of a
        file that changed since ``opened`` raises ChangedOnDisk, for the form to show both."""
        if self.casefile is None or self.index is None:
            return "the casefile is still loading"
        if self.rereading:
            return "the casefile is being read again; save once it is shown (this form keeps what you typed)"
        if self.casefile.pending:
            return ("the casefile's links and flags are being checked after its first reading; save once the "
                    "header stops saying so, in a few seconds (this form keeps what you typed)")
        if new and self.id_taken(record.id):
            return f"the id {record.id!r} is already taken"
        try:
            save(self.casefile, record, opened)
        except ChangedOnDisk as error:
            if opened is not None:
                raise
            return f"{error}. Change the id, or press ctrl+r to read the casefile again."
        except SaveError as error:
            return str(error)
        except CacheBusy:
            # Written to its file, but another whomet writes the cache, which could not take it in.
            self.when_busy()
            return None
        self.index.put(record)
        self.when_changed()
        return None

    def delete(self, record_id: str, opened: Opened | None = None) -> str | None:
        """Remove a record's file; the reason it was not removed, if not."""
        if self.casefile is None or self.index is None:
            return "the casefile is still loading"
        if self.rereading:
            return "the casefile is being read again; delete once it is shown"
        if self.casefile.pending:
            return "the casefile's links and flags are being checked after its first reading; delete in a few seconds"
        try:
            delete(self.casefile, record_id, opened)
        except SaveError as error:
            return str(error)
        except CacheBusy:
            # Its file is gone, but another whomet writes the cache, which could not take that in.
            self.when_busy()
            return None
        self.index.remove(record_id)
        self.when_changed()
        return None

    def reload(self) -> None:
        """Read what changed on disk into the cache, and show it; when another whomet holds the
        cache, ``when_busy`` reads the files without it."""
        if self.casefile is None:
            return
        if self.casefile.pending:
            # The second step of a first reading holds the cache: once it is in, the casefile is
            # looked at again (``Loading``), which takes in what changed meanwhile.
            return
        try:
            self.casefile.refresh()
        except CacheBusy:
            self.when_busy()
            return
        self.index = CachedIndex(self.casefile)
        self.when_changed()
