"""A source's archived copy: the file its record names, the text it holds, and the checks of the
quotes and excerpts that cite it against that text.

A source names its archive by a path inside the casefile (``archive = "sources/<id>.txt"``; also
``.md``, ``.html`` or ``.pdf``), with the time it was fetched or saved (``archived_at``) and the
SHA-256 digest of the file (``archive_sha256``). An HTML archive is read through trafilatura (the
page's main text), a PDF through pypdf; both are imported on first use only.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .files import read_regular, read_text
from .problems import Lines, Problem, phrase
from .verbatim import find, normal, parts_of

if TYPE_CHECKING:
    from ..model import Record

SUFFIXES = (".txt", ".md", ".html", ".pdf")
"""The kinds of file an archive may be."""

Quoted = tuple[tuple[str | int, ...], str, tuple[str, ...]]
"""A quote or excerpt to verify: where it is in its record (``("citations", 0, "excerpt")``), its
text, and the sources it may be found in (the cited source first, then the original it relays)."""


class ArchiveError(Exception):
    """An archive that cannot be had: outside the casefile, missing, unreadable; said in words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class ArchiveRef:
    """What a source's record says of its archive."""

    archive: str
    sha256: str = ""
    archived_at: str = ""


def quoted(record: Record) -> list[Quoted]:
    """The quote (of a statement) and the excerpts (of its citations) a record asks to be checked
    against the archives of its sources."""
    citations = getattr(record, "citations", None)
    if not citations:
        return []
    found: list[Quoted] = [(("citations", i, "excerpt"), c.excerpt, tuple(c.sources())) for i, c in enumerate(citations)]
    if record.kind == "statement":
        sources = tuple(dict.fromkeys(s for c in citations for s in c.sources()))
        found.insert(0, (("quote",), record.quote, sources))
    return found


def archive_ref(record: Record) -> ArchiveRef | None:
    """What a source says of its archive; None when it names none."""
    archive = getattr(record, "archive", "")
    if not archive:
        return None
    return ArchiveRef(archive, record.archive_sha256, record.archived_at)  # type: ignore[attr-defined]


def locate(folder: Path, archive: str, resolved: Path | None = None, inside: dict[str, bool] | None = None) -> Path:
    """The file an ``archive`` value names inside the casefile ``folder``; :class:`ArchiveError`
    when it lies outside it (an absolute path, ``..``, a link out) or is no kind of archive.
    ``resolved``: the folder's real path, when the caller has it already; ``inside``: whether each
    folder an archive was found in lies inside the casefile, kept by the caller for the next one
    (only a file that is a link is then followed again: checking thousands of archives, resolving
    each path in full was half the time)."""
    if (archive.startswith(("/", "\\", "~")) or "\\" in archive or os.path.isabs(archive)
            or ".." in archive.split("/")):
        raise ArchiveError("archive-outside", f"the archive {archive!r} is outside the casefile; "
                           "name a file inside it, such as sources/<id>.txt")
    path = folder / archive
    parent, _, _ = archive.rpartition("/")
    known = inside.get(parent) if inside is not None else None
    if known is None or os.path.islink(path):
        try:
            real_folder = resolved or folder.resolve()
            within = path.resolve().is_relative_to(real_folder)
            if inside is not None and not os.path.islink(path):
                inside[parent] = (folder / parent).resolve().is_relative_to(real_folder)
        except (OSError, RuntimeError):
            within = False
    else:
        within = known
    if not within:
        raise ArchiveError("archive-outside", f"the archive {archive!r} leads outside the casefile (a link?); "
                           "name a file inside it, such as sources/<id>.txt")
    if not archive.lower().endswith(SUFFIXES):
        raise ArchiveError("archive-unreadable", f"the archive {archive!r} is not a .txt, .md, .html or .pdf file")
    return path


def digest(data: bytes) -> str:
    import hashlib  # imported when an archive is first read: a launch need not pay for it

    return hashlib.sha256(data).hexdigest()


def text_of(path: Path, data: bytes) -> str:
    """The text an archive's bytes hold: as written for .txt and .md, the page's main text for
    .html (trafilatura), the pages' text for .pdf (pypdf). :class:`ArchiveError` when there is none."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_text(data, path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArchiveError("archive-unreadable", f"the archive {path.name} is not UTF-8 text "
                           f"(byte {error.start + 1}); save it as UTF-8") from None
    return html_text(text, path) if suffix == ".html" else text


def html_text(html: str, path: Path | str = "the page") -> str:
    """The main text of an HTML page (its article, without navigation, ads and footers)."""
    import trafilatura  # imported on first use: only an HTML archive needs it

    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_precision=True)
    if not text:
        name = path.name if isinstance(path, Path) else path
        raise ArchiveError("archive-unreadable", f"no article text found in {name}")
    return text


def pdf_text(data: bytes, path: Path | str = "the PDF") -> str:
    """The text of a PDF's pages, a blank line between pages."""
    import io

    import pypdf  # imported on first use: only a PDF archive needs it

    name = path.name if isinstance(path, Path) else path
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:  # pypdf raises many kinds on a broken file
        raise ArchiveError("archive-unreadable", f"{name} is not a readable PDF ({error})") from None
    if not text.strip():
        raise ArchiveError("archive-unreadable", f"{name} holds no text (a scan? run it through OCR first)")
    return text


def read_archive(folder: Path, archive: str, resolved: Path | None = None,
                 inside: dict[str, bool] | None = None) -> tuple[Path, bytes, str]:
    """The archive's file, its bytes and its text; :class:`ArchiveError` when it cannot be had.
    ``inside``: what is known of the folders archives lie in, kept from one archive to the next."""
    path = locate(folder, archive, resolved, inside)
    try:
        data = read_regular(path)
    except FileNotFoundError:
        raise ArchiveError("archive-missing", f"the archive {archive} does not exist; "
                           "run 'whomet archive' to make it, or remove the 'archive' key") from None
    except OSError as error:
        raise ArchiveError("archive-unreadable", f"cannot read the archive {archive}: "
                           f"{error.strerror or error}") from None
    return path, data, text_of(path, data)


@dataclass
class Tally:
    """How many quotes and excerpts were checked against an archive, and how many differ, by file."""

    files: dict[str, list[int]] = field(default_factory=dict)

    def add(self, path: Path | str, verified: int, differ: int) -> None:
        counts = self.files.setdefault(str(path), [0, 0])
        counts[0] += verified
        counts[1] += differ

    @property
    def verified(self) -> int:
        return sum(counts[0] for counts in self.files.values())

    @property
    def differ(self) -> int:
        return sum(counts[1] for counts in self.files.values())


def summary(verified: int, differ: int, unarchived: int) -> str:
    """"142 excerpts verified, 3 differ, 20 sources without an archive"."""
    return (f"{verified:,} excerpt{'s' * (verified != 1)} verified, {differ:,} differ{'s' * (differ == 1)}, "
            f"{unarchived:,} source{'s' * (unarchived != 1)} without an archive")


archive_summary = summary
"""The summary, by the name the store's package gives it."""


class Archives:
    """The archives of a casefile's sources, each read once when first asked for."""

    def __init__(self, folder: Path, refs: Mapping[str, ArchiveRef]) -> None:
        self.folder = folder
        self.refs = refs
        self._texts: dict[str, str | ArchiveError] = {}
        self._digests: dict[str, str] = {}
        self._resolved: Path | None = None
        self._inside: dict[str, bool] = {}
        """Of each folder archives were found in, whether it lies inside the casefile."""

    def normal_text(self, source_id: str) -> str | None:
        """The source's archived text in normal form; None when it has none it can be checked against."""
        text = self._read(source_id)
        return text if isinstance(text, str) else None

    def _read(self, source_id: str) -> str | ArchiveError | None:
        if source_id in self._texts:
            return self._texts[source_id]
        ref = self.refs.get(source_id)
        if ref is None:
            return None
        try:
            _, data, text = read_archive(self.folder, ref.archive, self._resolved, self._inside)
            self._digests[source_id] = digest(data)
            found: str | ArchiveError = normal(text)
        except ArchiveError as error:
            found = error
        self._texts[source_id] = found
        return found

    def problems_of(self, path: Path, source_id: str) -> list[Problem]:
        """What is wrong with the archive the source in ``path`` names: outside the casefile,
        missing, unreadable, or no longer matching its digest."""
        ref = self.refs.get(source_id)
        if ref is None:
            return []
        found = self._read(source_id)
        if isinstance(found, ArchiveError):
            return [Problem("error", path, Lines(read_text(path)).find(("archive",)), found.code, str(found))]
        if ref.sha256 and self._digests.get(source_id) != ref.sha256.lower():
            return [Problem("warning", path, Lines(read_text(path)).find(("archive_sha256",)), "archive-changed",
                            f"the archive {ref.archive} no longer matches its digest: it changed after it was "
                            f"archived{' on ' + ref.archived_at if ref.archived_at else ''}; archive it again "
                            "or restore it")]
        return []

    def verify(self, path: Path, quotes: Iterable[Quoted], tally: Tally) -> list[Problem]:
        """The quotes and excerpts of the record in ``path`` that are not in their sources'
        archives as written (each checked against every archived source it names, found in one
        is enough); each one checked is counted in ``tally``."""
        found: list[Problem] = []
        lines: Lines | None = None
        verified = differ = 0
        for loc, text, sources in quotes:
            archived = [(source, archived) for source in sources
                        if (archived := self.normal_text(source)) is not None]
            if not archived:
                continue
            parts = parts_of(text)
            if not parts:  # only an ellipsis: no words to find, so none verified
                continue
            mismatch = None
            for source, archived_text in archived:
                if (mismatch := find(parts, archived_text)) is None:
                    break
            verified += 1
            if mismatch is None:
                continue
            differ += 1
            if lines is None:
                lines = Lines(read_text(path))
            source = archived[0][0]
            found.append(Problem("error", path, lines.find(loc), "quote-differs",
                                 f"{phrase(loc)} is not in the archive of {source!r} ({self.refs[source].archive}) "
                                 f"as written: {mismatch.told()}"))
        if verified:
            tally.add(path, verified, differ)
        return found


def archive_file_name(source_id: str, suffix: str) -> str:
    """Where ``whomet archive`` keeps a source's archive, inside the casefile."""
    return f"sources/{source_id}{suffix}"


def earlier_name(archive: str, archived_at: str) -> str:
    """Where an earlier version of an archive is kept beside it: its name with the time it was
    fetched (``sources/x.txt`` fetched 2026-12-07T16:53:25Z: ``sources/x.2026-12-07T165325Z.txt``)."""
    stem, suffix = os.path.splitext(archive)
    stamp = "".join(ch for ch in archived_at if ch.isalnum() or ch == "-") or "earlier"
    return f"{stem}.{stamp}{suffix}"


@dataclass
class Passage:
    """A quote or excerpt in its source's archived text, for reading it in context."""

    source_id: str
    archive: str
    text: str
    """The archived text, its paragraphs a blank line apart."""
    occurrences: list[list[tuple[int, int]]]
    """Each place the quote is in ``text``: the (start, end) in ``text`` of each of its parts."""
    closest: tuple[int, int] | None = None
    """When the quote is nowhere as written: where the closest passage is in ``text``."""
    told: str = ""
    """When the quote is nowhere as written: what differs."""


def passage(folder: Path, source_id: str, ref: ArchiveRef, quote: str) -> Passage:
    """Where ``quote`` is in the archive ``ref`` of ``source_id`` (:class:`ArchiveError` when the
    archive cannot be had), or, if nowhere, the closest passage to it and what differs."""
    import re

    from .verbatim import closest_span, mapped, occurrences

    _, _, raw = read_archive(folder, ref.archive)
    lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n\n".join(line for line in lines if line))
    normal_text, spots = mapped(text)
    parts = parts_of(quote)

    def back(start: int, end: int) -> tuple[int, int]:
        return spots[start], spots[end - 1] + 1 if end > start else spots[start]

    found = [[back(start, end) for start, end in place] for place in occurrences(parts, normal_text)]
    if found:
        return Passage(source_id, ref.archive, text, found)
    mismatch = find(parts, normal_text)
    where = None
    if mismatch is not None and (span := closest_span(mismatch.part, normal_text)) is not None:
        where = back(*span)
    return Passage(source_id, ref.archive, text, [], where, mismatch.told() if mismatch is not None else "")


def archive_state(folder: Path, ref: ArchiveRef) -> tuple[str, bool]:
    """How the archive's file stands, in words, and whether that is as it should be: it matches
    its digest, it changed since, it is missing, or it cannot be had."""
    try:
        path = locate(folder, ref.archive)
        status = path.stat()
        stamp = (str(path), status.st_size, status.st_mtime_ns, ref.sha256.lower())
        if stamp in _STATES:  # the file as it was when last hashed: the same answer
            return _STATES[stamp]
        data = read_regular(path)
    except ArchiveError as error:
        return str(error), False
    except FileNotFoundError:
        return "the file is missing", False
    except OSError as error:
        return f"cannot be read: {error.strerror or error}", False
    if not ref.sha256:
        state = "no digest recorded to compare it with", False
    elif digest(data) == ref.sha256.lower():
        state = "the file matches its digest", True
    else:
        state = "the file changed since it was archived: it no longer matches its digest", False
    if len(_STATES) > 256:
        _STATES.clear()
    _STATES[stamp] = state
    return state


_STATES: dict[tuple[str, int, int, str], tuple[str, bool]] = {}
"""Each archive's state by its file's path, size and time of change and the digest it is held to:
a source's detail is drawn again at every move to it, and hashing its archive (up to 50 MB) each
time would be felt."""
