"""The checks between records: one list of checks, run by one loop over what a casefile holds.

Each check is a function that takes the :class:`Facts` of a casefile and yields its problems;
:func:`validate` runs them all. Every way of reading a casefile gathers its facts in its own way
and runs these same checks over them: :func:`~whomet.store.casefile.load` from the records it
holds, the cache from its tables (only the records whose references may be wrong are read again),
and ``whomet check`` in its worker processes, each over the records it read (the cycles of parents,
which span every share, over all of them at the end).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.kinds import FOLDER_OF
from .files import read_text
from .problems import MOST_PER_FILE, Lines, Problem, Severity, more_problems, phrase

if TYPE_CHECKING:  # the archives' module is imported when a casefile names an archive, not at launch
    from .archives import Archives, Quoted, Tally

Reference = tuple[str, str, tuple[str, ...]]
"""What a record's ``references()`` gives for each id it names: (field path, id, kinds it may be)."""


def _nothing(record_id: str) -> None:
    return None


def _tally() -> Tally:
    from .archives import Tally

    return Tally()


@dataclass
class Facts:
    """What the checks need to know of a casefile, whichever way it was read. A reader that
    holds only part of a casefile gives the checks that part: whatever it leaves empty is not
    checked there."""

    folder: Path
    kind_of: Callable[[str], str | None] = _nothing
    """The kind of the record that holds an id; None when none does."""
    invalid_path: Callable[[str], Path | None] = _nothing
    """The file named for an id when it holds no valid record (and no other file holds the id)."""
    path_of: Callable[[str], Path | None] = _nothing
    """The file of a record."""
    references: Iterable[tuple[Path, list[Reference]]] = ()
    """The records whose references are to be checked: each one's file and references. A
    reader that can tell which records name only what they may leaves those out."""
    parents: Mapping[str, str] = field(default_factory=dict)
    """The parent each organization names, by the organization's id."""
    uncited: Iterable[tuple[Path, str]] = ()
    """(file, kind) of each meeting and statement that cites no source."""
    archives: Archives | None = None
    """The archives of every source that names one; None: no quote is verified."""
    archived: Iterable[tuple[Path, str]] = ()
    """(file, id) of each source whose archive is to be checked."""
    quotes: Iterable[tuple[Path, list[Quoted]]] = ()
    """Each record's quote and excerpts to verify against its sources' archives."""
    tally: Tally = field(default_factory=_tally)
    """Counts the quotes and excerpts verified, as they are."""


Check = Callable[[Facts], Iterable[Problem]]


def wrong_references(facts: Facts) -> Iterator[Problem]:
    """References that lead to no record, or to one of a kind the field does not take."""
    for path, references in facts.references:
        yield from reference_problems(facts.folder, path, references, facts.kind_of, facts.invalid_path)


def parent_cycles(facts: Facts) -> Iterator[Problem]:
    """Organizations that are, through their parents, part of themselves."""
    parents = facts.parents
    for organization in sorted(parents):
        # The file's path is looked up only for an organization in a cycle: few, or none.
        if (chain := cycle_of(organization, parents.get)) and (path := facts.path_of(organization)) is not None:
            yield cycle_problem(path, chain)


def uncited_claims(facts: Facts) -> Iterator[Problem]:
    """Meetings and statements that cite no source."""
    for path, kind in facts.uncited:
        yield no_citation_problem(path, kind)


def broken_archives(facts: Facts) -> Iterator[Problem]:
    """Archives outside the casefile, missing, unreadable, or changed since they were archived."""
    if facts.archives is not None:
        for path, source_id in facts.archived:
            yield from facts.archives.problems_of(path, source_id)


def misquotes(facts: Facts) -> Iterator[Problem]:
    """Quotes and excerpts that their sources' archives do not hold as written."""
    if facts.archives is not None:
        for path, quotes in facts.quotes:
            yield from facts.archives.verify(path, quotes, facts.tally)


CHECKS: tuple[Check, ...] = (wrong_references, parent_cycles, uncited_claims, broken_archives, misquotes)
"""Every check between records, run by :func:`validate`."""


def validate(facts: Facts, checks: Iterable[Check] = CHECKS) -> list[Problem]:
    """The problems every check finds in ``facts``, in :func:`place` order."""
    found: list[Problem] = []
    for check in checks:
        found.extend(check(facts))
    found.sort(key=place)
    return found


def place(problem: Problem) -> tuple[str, int]:
    """The order the problems between records are told in: by file, then line."""
    return str(problem.path), problem.line or 0


# The problems, worded once

def reference_problems(folder: Path, path: Path, references: list[Reference],
                       kind_of: Callable[[str], str | None],
                       invalid_path: Callable[[str], Path | None]) -> list[Problem]:
    """The ``references`` of the record in ``path`` that lead to no record or to one of the wrong
    kind; past :data:`MOST_PER_FILE` of them, one more problem that counts the rest."""
    found: list[Problem] = []
    lines: Lines | None = None
    left_out: list[str] = []
    left_an_error = False
    for where, target, kinds in references:
        target_kind = kind_of(target)
        if target_kind in kinds:
            continue
        code = "wrong-kind-ref" if target_kind is not None else "missing-ref"
        if len(found) >= MOST_PER_FILE:
            left_out.append(code)
            # Whether one is an error, asked only until one is.
            left_an_error = left_an_error or target_kind is not None or invalid_path(target) is None
            continue
        if lines is None:
            lines = Lines(read_text(path))
        loc = tuple(int(p) if p.isdigit() else p for p in where.split("."))
        where_said = phrase(loc)
        wanted = " or ".join(kinds)
        severity: Severity = "error"
        if target_kind is not None:
            message = f"{where_said} is {target!r}, a {target_kind}; it must be a {wanted}"
        elif (broken := invalid_path(target)) is not None:
            # The reference is sound; the problem is the other file's, reported there.
            severity = "warning"
            message = f"{where_said} is {target!r}, whose file {broken.relative_to(folder)} has errors of its own"
        else:
            message = (f"{where_said} is {target!r}, but there is no {wanted} with that id "
                       f"(no {FOLDER_OF[kinds[0]]}/{target}.toml)")
        found.append(Problem(severity, path, lines.find(loc), code, message))
    if left_out:
        found.append(more_problems(path, left_out, "error" if left_an_error else "warning", found))
    return found


def cycle_of(organization: str, parent_of: Callable[[str], str | None]) -> list[str] | None:
    """The organization and the parents that lead it back to itself, or None if they do not."""
    chain, seen = [organization], {organization}
    current = parent_of(organization)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parent_of(current)
    return chain if current == organization else None


def cycle_problem(path: Path, chain: list[str]) -> Problem:
    """The organization ``chain[0]`` is, through the parents in ``chain``, part of itself."""
    loop = " → ".join([*chain, chain[0]])
    return Problem("error", path, Lines(read_text(path)).find(("parent",)), "cycle",
                   f"'parent' makes this organization part of itself: {loop}")


def no_citation_problem(path: Path, kind: str) -> Problem:
    return Problem("warning", path, None, "no-citation",
                   f"this {kind} cites no source; add a [[citations]] entry with the source "
                   "and the excerpt that supports it")


def duplicate_problem(path: Path, record_id: str, first: Path) -> Problem:
    """The file ``path`` holds a record whose id the earlier file ``first`` holds already."""
    return Problem("error", path, None, "duplicate-id",
                   f"the id {record_id!r} is already used by {first}; "
                   "ids must be unique across all kinds: rename one of the files")
