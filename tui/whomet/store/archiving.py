"""Making a source's archive: its page fetched (only when asked: nothing else in whomet touches the
network) or a file the user saved, its main text kept beside the source's record, and the record
told where, when and with what digest, through the store's edit, which changes only those keys.

A refresh that finds the text changed keeps the earlier version beside the new one, under its
name with the time it was fetched, and tells which quotes and excerpts the change touches.
"""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .archives import (
    SUFFIXES, ArchiveError, archive_file_name, digest, earlier_name, html_text, locate, pdf_text, quoted,
    text_of,
)
from .files import read_regular
from .saving import save, write_atomically
from .verbatim import find, normal, parts_of

if TYPE_CHECKING:
    from .casefile import Casefile

MOST_BYTES = 50 * 1024 * 1024
"""The largest page or file archived."""

TIMEOUT = 30
"""Seconds to wait for a page."""


class ArchiveRefused(Exception):
    """What the command line asked cannot be done (an unknown id, no URL, a file missing)."""


class ArchiveFailed(Exception):
    """The archive could not be made: the page could not be fetched, or held no text."""


@dataclass
class Archived:
    """What archiving a source did."""

    archive: str
    """The archive's file, inside the casefile."""
    characters: int
    digest: str
    archived_at: str
    changed: bool = True
    """Whether the text differs from the archive there was before (always, for a first one)."""
    earlier: str | None = None
    """Where the earlier version was kept, when a refresh found the text changed."""
    now_differ: list[tuple[str, str, str]] = field(default_factory=list)
    """(record id, field, what differs) of each quote or excerpt the earlier text held as written
    and the new one does not."""
    still_differ: int = 0
    """Quotes and excerpts neither version holds as written."""


Fetcher = Callable[[str], tuple[bytes, str]]
"""Gets a URL: the bytes and the content type."""


def fetch(url: str) -> tuple[bytes, str]:
    """The page at ``url`` (http or https only) and its content type."""
    import urllib.error
    import urllib.request

    if not url.lower().startswith(("http://", "https://")):
        raise ArchiveRefused(f"the source's url {url!r} is not an http or https address; use --from FILE")
    request = urllib.request.Request(url, headers={"User-Agent": "whomet (archiving a cited source)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only, checked above
            data = response.read(MOST_BYTES + 1)
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        raise ArchiveFailed(f"could not fetch {url}: the server answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ArchiveFailed(f"could not fetch {url}: {reason}") from None
    if len(data) > MOST_BYTES:
        raise ArchiveFailed(f"{url} is larger than {MOST_BYTES // 2**20} MiB; save it and use --from FILE")
    return data, kind


def text_from(data: bytes, kind: str, name: str) -> tuple[str, str]:
    """The text to archive from a page or file's bytes, and the suffix of its archive: an HTML
    page's main text (trafilatura), a PDF's text (pypdf), plain text and Markdown as they are."""
    lowered = name.lower()
    try:
        if kind == "application/pdf" or lowered.endswith(".pdf") or data[:5] == b"%PDF-":
            return pdf_text(data, name), ".txt"
        if lowered.endswith(".md"):
            return data.decode("utf-8-sig"), ".md"
        if lowered.endswith(".txt") or kind == "text/plain":
            return data.decode("utf-8-sig"), ".txt"
        return html_text(decoded_html(data), name), ".txt"
    except UnicodeDecodeError as error:
        raise ArchiveFailed(f"{name} is not UTF-8 text (byte {error.start + 1})") from None
    except ArchiveError as error:
        raise ArchiveFailed(str(error)) from None


def decoded_html(data: bytes) -> str:
    """A page's text in the encoding it declares (its ``<meta charset>``), or the one its bytes
    show (trafilatura's detection): a page in windows-1252 read as UTF-8 loses every accent."""
    from trafilatura.utils import decode_file

    return decode_file(data)


def now() -> str:
    """The time, as ``archived_at`` keeps it: ISO 8601, UTC, to the second."""
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def archive_source(casefile: Casefile, source_id: str, *, from_file: Path | None = None, refresh: bool = False,
                   fetcher: Fetcher = fetch) -> Archived:
    """Archive the source ``source_id`` of ``casefile``: from ``from_file`` when given, else its
    URL fetched. An archive already made is made again only with ``refresh`` or ``from_file``."""
    record = casefile.records.get(source_id)
    if record is None or record.kind != "source":
        what = f"a {record.kind}" if record is not None else "no record"
        raise ArchiveRefused(f"{source_id!r} is {what}, not a source of {casefile.folder}")
    folder = casefile.folder
    previous = record.archive  # type: ignore[attr-defined]
    if previous:
        try:
            locate(folder, previous)
        except ArchiveError as error:
            raise ArchiveRefused(f"{casefile.paths[source_id]}: {error}") from None
        if from_file is None and not refresh and (folder / previous).exists():
            raise ArchiveRefused(f"{source_id} is archived already ({previous}, {record.archived_at or 'time unknown'}); "  # type: ignore[attr-defined]
                                 "--refresh fetches it again")
    if from_file is not None:
        try:
            data = read_regular(from_file)
        except OSError as error:
            raise ArchiveRefused(f"cannot read {from_file}: {error.strerror or error}") from None
        text, suffix = text_from(data, "", from_file.name)
    else:
        url = record.url  # type: ignore[attr-defined]
        if not url:
            raise ArchiveRefused(f"{source_id} has no url to fetch; save the page and use --from FILE")
        data, kind = fetcher(url)
        text, suffix = text_from(data, kind, url.rstrip("/").rsplit("/", 1)[-1] or url)
    if not text.strip():
        raise ArchiveFailed("no text to archive")
    if not text.endswith("\n"):
        text += "\n"
    # The archive keeps its name when it is text; one named as the page or PDF it was (.html, .pdf)
    # gives way to the text taken from it.
    archive = previous if previous and Path(previous).suffix.lower() == suffix else archive_file_name(source_id, suffix)
    path = locate(folder, archive)
    encoded = text.encode("utf-8")
    done = Archived(archive, len(text), digest(encoded), now())
    old_path = folder / previous if previous else None
    if old_path is not None and old_path.is_file():
        try:
            old_text = text_of(old_path, read_regular(old_path))
        except (ArchiveError, OSError):
            old_text = None
        if old_text is not None and normal(old_text) == normal(text):
            done.changed = False
        else:
            when = record.archived_at or _modified(old_path)  # type: ignore[attr-defined]
            kept = locate(folder, earlier_name(previous, when))
            if archive == previous:  # a copy: the new text then replaces the old in one step
                shutil.copy2(old_path, kept)
            else:
                os.replace(old_path, kept)
            done.earlier = kept.relative_to(folder).as_posix()
            if old_text is not None:
                _compare(casefile, source_id, normal(old_text), normal(text), done)
    if done.changed or archive != previous:
        write_atomically(path, encoded)
    else:
        done.digest = digest(read_regular(path))
    updated = record.model_copy(update={"archive": archive, "archived_at": done.archived_at,
                                        "archive_sha256": done.digest})
    save(casefile, updated)
    return done


def _modified(path: Path) -> str:
    stamp = datetime.datetime.fromtimestamp(path.stat().st_mtime, datetime.UTC).replace(microsecond=0)
    return stamp.isoformat().replace("+00:00", "Z")


def _compare(casefile: Casefile, source_id: str, old: str, new: str, done: Archived) -> None:
    """Which quotes and excerpts citing the source the old text held and the new one does not."""
    for record_id, record in casefile.records.items():
        for loc, text, sources in quoted(record):
            if source_id not in sources:
                continue
            parts = parts_of(text)
            before, after = find(parts, old), find(parts, new)
            if after is None:
                continue
            if before is None:
                field = ".".join(str(part + 1 if isinstance(part, int) else part) for part in loc)
                done.now_differ.append((record_id, field, after.told()))
            else:
                done.still_differ += 1


__all__ = ["SUFFIXES", "ArchiveFailed", "ArchiveRefused", "Archived", "archive_source", "fetch", "text_from"]
