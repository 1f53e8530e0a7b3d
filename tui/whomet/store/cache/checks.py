"""The problems between records, as the cache finds them: the checks of
:mod:`whomet.store.validation`, over facts from the cache's tables. Only the records whose
references may be wrong are read again, to say where; what is found is kept, and after a few
changes only what they touch is checked again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...model.links import RELATION_KINDS, target_kinds
from ..files import read_regular
from ..problems import Problem
from ..validation import Facts, Reference, validate
from .rows import field_of
from .schema import keep, kept, scope

if TYPE_CHECKING:
    from ..archives import ArchiveRef, Tally
    from .casecache import CaseCache

FEW = 500
"""Changed files, or records touched by them, up to which only what they touch is computed again."""


def _wrong_kind() -> str:
    """SQL true of a link whose target exists but is of a kind its relation does not allow."""
    listed = ", ".join(f"'{relation}'" for relation in RELATION_KINDS)
    clauses = [f"(l.relation = '{relation}' AND t.kind NOT IN ({', '.join(repr(k) for k in kinds)}))"
               for relation, kinds in RELATION_KINDS.items()]
    stances = ", ".join(repr(k) for k in target_kinds("denies"))
    clauses.append(f"(l.relation NOT IN ({listed}) AND t.kind NOT IN ({stances}))")
    return "(" + " OR ".join(clauses) + ")"


_WRONG_KIND = _wrong_kind()


def link_problems(cache: CaseCache) -> list[Problem]:
    """References that lead nowhere or to the wrong kind, parent cycles, uncited claims."""
    found = kept(cache.db, "link_problems")
    if found is not None and kept(cache.db, "archive_stamps") == _archive_stamps(cache, _kept_refs(cache)):
        return [Problem(s, cache.folder / p, line, code, message) for s, p, line, code, message in found]
    problems, keeping = find_link_problems(cache)
    if not cache.pending:  # else the second step keeps its own, and holds the cache to write meanwhile
        keep_found(cache.db, keeping)
    return problems


def find_link_problems(cache: CaseCache) -> tuple[list[Problem], dict[str, Any]]:
    """Every record's link problems, found without writing to the cache, and what the cache
    keeps of them (by key of the meta table): for a connection that reads beside the one that
    writes, until :func:`keep_found` on that one."""
    from ..archives import Tally

    tally, keeping = Tally(), {}
    problems = check_links(cache, tally=tally, keeping=keeping)
    keeping["link_problems"] = [_entry(cache, problem) for problem in problems]
    keeping["quote_tally"] = {_inside(cache, Path(path)): counts for path, counts in tally.files.items()}
    return problems, keeping


def keep_found(db: sqlite3.Connection, keeping: dict[str, Any]) -> None:
    """What :func:`find_link_problems` found, kept."""
    for key, value in keeping.items():
        keep(db, key, value)


def verification(cache: CaseCache) -> tuple[int, int, int]:
    """(quotes and excerpts verified against an archive, how many of them differ, sources with
    no archive), as the last check of the links found them."""
    if not cache.folder.is_dir():  # no casefile: nothing read, nothing to verify
        return 0, 0, 0
    link_problems(cache)
    counts = (kept(cache.db, "quote_tally") or {}).values()
    sources = cache.db.execute("SELECT count(*) FROM records WHERE kind = 'source'").fetchone()[0]
    return sum(c[0] for c in counts), sum(c[1] for c in counts), sources - len(_kept_refs(cache))


def _kept_refs(cache: CaseCache) -> dict[str, ArchiveRef]:
    refs = kept(cache.db, "archive_refs")
    if not refs:
        return {}  # the archives' module is not imported for a casefile that names none
    from ..archives import ArchiveRef

    return {source: ArchiveRef(*ref) for source, ref in refs.items()}


def _archive_refs(cache: CaseCache, sources: list[str] | None) -> dict[str, ArchiveRef]:
    """The archive each source names, by source: read from every source's file, or, with
    ``sources``, from theirs only, the others' as kept."""
    from ..archives import archive_ref

    db = cache.db
    refs = _kept_refs(cache) if sources is not None and kept(db, "archive_refs") is not None else {}
    within, values = scope("id", sources if refs or sources is None else None)
    for source in sources or ():
        refs.pop(source, None)
    if refs:  # a source deleted since is no longer one
        refs = {source: ref for source, ref in refs.items() if cache.kind_of(source) == "source"}
    for source, path in db.execute(f"SELECT id, path FROM records WHERE kind = 'source'{within}", values):
        try:
            if b"archive" not in read_regular(cache.folder / path):
                continue  # most sources name none: their files are not parsed again
        except OSError:
            continue
        record = cache.record(source)
        if record is not None and (ref := archive_ref(record)) is not None:
            refs[source] = ref
    return refs


def _archive_stamps(cache: CaseCache, refs: dict[str, ArchiveRef]) -> dict[str, list[int]]:
    """The size and time of change of each archive's file: while they hold, so do the archives."""
    stamps: dict[str, list[int]] = {}
    for ref in refs.values():
        try:
            status = (cache.folder / ref.archive).stat()
            stamps[ref.archive] = [status.st_size, status.st_mtime_ns]
        except (OSError, ValueError):
            stamps[ref.archive] = [-1, -1]
    return stamps


def check_links(cache: CaseCache, sources: list[str] | None = None, tally: Tally | None = None,
                keeping: dict[str, Any] | None = None) -> list[Problem]:
    """The link problems of every record, or of ``sources`` only (cycles are always all found);
    the quotes and excerpts verified are counted in ``tally``. The archives named, and their
    files' stamps, are kept in the cache, or put in ``keeping`` to be kept (see
    :func:`find_link_problems`)."""
    from ..archives import Archives, Tally

    db, folder = cache.db, cache.folder
    within, values = scope("l.source", sources)
    # Only records with a reference that may be wrong are read again, to say where it is.
    suspects = [row[0] for row in db.execute(f"""
        SELECT DISTINCT l.source FROM links l LEFT JOIN records t INDEXED BY records_kind_of ON t.id = l.target
        WHERE (t.kind IS NULL OR {_WRONG_KIND}){within} ORDER BY l.source""", values)]
    parents = dict(db.execute("""
        SELECT l.source, l.target FROM links l JOIN records r ON r.id = l.source
        WHERE l.relation = 'part of' AND r.kind = 'organization'""").fetchall())
    within, values = scope("r.id", sources)
    uncited = [(folder / path, kind) for kind, path in db.execute(f"""
        SELECT kind, path FROM records r WHERE kind IN ('meeting', 'statement'){within} AND NOT EXISTS (
            SELECT 1 FROM links l WHERE l.source = r.id AND l.relation = 'citation') ORDER BY path""", values)]
    refs = _archive_refs(cache, sources)
    archives = {"archive_refs": {source: [ref.archive, ref.sha256, ref.archived_at] for source, ref in sorted(refs.items())},
                "archive_stamps": _archive_stamps(cache, refs)}
    if keeping is None:
        keep_found(db, archives)
    else:
        keeping.update(archives)
    archived = [(path, source) for source in sorted(refs) if (sources is None or source in sources)
                and (path := cache.path_of(source)) is not None]
    return validate(Facts(folder, cache.kind_of, cache.invalid_path, cache.path_of,
                          references=_references_of(cache, suspects), parents=parents, uncited=uncited,
                          archives=Archives(folder, refs), archived=archived,
                          quotes=_quotes_of(cache, refs, sources) if refs else (),
                          tally=tally if tally is not None else Tally()))


def _quotes_of(cache: CaseCache, refs: dict[str, ArchiveRef], sources: list[str] | None) -> Iterator[tuple[Path, list]]:
    """The quote and excerpts of each record (of ``sources`` only, when given) that cites an
    archived source, as :func:`~whomet.store.archives.quoted` gives them, from the cache's tables:
    its citations' links hold their excerpts, a statement's searched fields its quote; no file is
    read again (at 100,000 records, reading them took as long as the first reading of the casefile)."""
    within, values = scope("l.source", sources)
    rows = cache.db.execute(f"""
        SELECT l.source, l.relation, l.target, l.detail, r.path, r.kind, r.fields
        FROM links l JOIN records r ON r.id = l.source
        WHERE l.relation IN ('citation', 'original report'){within} ORDER BY l.source, l.rowid""", values)
    current: str | None = None
    citations: list[list] = []
    held: tuple[str, str, str] = ("", "", "")

    def told() -> Iterator[tuple[Path, list]]:
        if current is None or not any(source in refs for citation in citations for source in citation[1]):
            return
        path, kind, fields = held
        found = [(("citations", number, "excerpt"), excerpt, tuple(named))
                 for number, (excerpt, named) in enumerate(citations)]
        if kind == "statement" and (quote := field_of(fields, "quote")) is not None:
            found.insert(0, (("quote",), quote, tuple(dict.fromkeys(s for _, named in citations for s in named))))
        yield cache.folder / path, found

    for record_id, relation, target, excerpt, path, kind, fields in rows:
        if record_id != current:
            yield from told()
            current, citations, held = record_id, [], (path, kind, fields)
        if relation == "citation" or not citations:
            citations.append([excerpt, [target]])
        else:
            citations[-1][1].append(target)
    yield from told()


def _inside(cache: CaseCache, path: Path) -> str:
    return path.relative_to(cache.folder).as_posix()


def _references_of(cache: CaseCache, record_ids: list[str]) -> Iterator[tuple[Path, list[Reference]]]:
    for record_id in record_ids:
        path, record = cache.path_of(record_id), cache.record(record_id)
        if path is not None and record is not None:
            yield path, record.references()


def recheck_links(cache: CaseCache, changed: set[str], old_paths: Iterable[str]) -> None:
    """After a few records changed (``old_paths``: the files they were read from): the kept
    link problems, with those of these records and of the records that name them found again
    (a record that appears or goes mends or breaks their references), instead of every
    record's, which takes a second at 100k."""
    db = cache.db
    entries = kept(db, "link_problems")
    if entries is None:
        return  # found in full when next asked for
    affected = set(changed)
    for record_id in changed:
        affected.update(row[0] for row in db.execute("SELECT source FROM links WHERE target = ?", (record_id,)))
    present = sorted(a for a in affected if cache.kind_of(a) is not None)
    if len(present) > FEW * 10:  # a busy person: finding everything again is as quick
        db.execute("DELETE FROM meta WHERE key = 'link_problems'")
        return
    paths = {*old_paths, *(db.execute("SELECT path FROM records WHERE id = ?", (a,)).fetchone()[0] for a in present)}
    entries = [entry for entry in entries if entry[1] not in paths and entry[3] != "cycle"]
    from ..archives import Tally

    tally = Tally()
    entries += [_entry(cache, problem) for problem in check_links(cache, present, tally)]
    entries.sort(key=lambda entry: (entry[1], entry[2] or 0))
    keep(db, "link_problems", entries)
    counts = {path: kept_counts for path, kept_counts in (kept(db, "quote_tally") or {}).items() if path not in paths}
    counts.update({_inside(cache, Path(path)): new for path, new in tally.files.items()})
    keep(db, "quote_tally", counts)


def _entry(cache: CaseCache, problem: Problem) -> list:
    """A problem as the cache keeps it, its file inside the casefile."""
    return [problem.severity, problem.path.relative_to(cache.folder).as_posix(), problem.line, problem.code,
            problem.message]
