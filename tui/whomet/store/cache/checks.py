"""The problems between records, as the cache finds them: the checks of
:mod:`whomet.store.validation`, over facts from the cache's tables. Only the records whose
references may be wrong are read again, to say where; what is found is kept, and after a few
changes only what they touch is checked again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ...model.links import RELATION_KINDS, target_kinds
from ..problems import Problem
from ..validation import Facts, Reference, validate
from .schema import keep, kept, scope

if TYPE_CHECKING:
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
    if found is not None:
        return [Problem(s, cache.folder / p, line, code, message) for s, p, line, code, message in found]
    problems = check_links(cache)
    keep(cache.db, "link_problems", [_entry(cache, problem) for problem in problems])
    return problems


def check_links(cache: CaseCache, sources: list[str] | None = None) -> list[Problem]:
    """The link problems of every record, or of ``sources`` only (cycles are always all found)."""
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
    return validate(Facts(folder, cache.kind_of, cache.invalid_path, cache.path_of,
                          references=_references_of(cache, suspects), parents=parents, uncited=uncited))


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
    entries += [_entry(cache, problem) for problem in check_links(cache, present)]
    entries.sort(key=lambda entry: (entry[1], entry[2] or 0))
    keep(db, "link_problems", entries)


def _entry(cache: CaseCache, problem: Problem) -> list:
    """A problem as the cache keeps it, its file inside the casefile."""
    return [problem.severity, problem.path.relative_to(cache.folder).as_posix(), problem.line, problem.code,
            problem.message]
