"""Who met whom: everyone a person or organization shared a meeting with, and the shortest chain
of shared meetings between two of them. Both are read from the cache's links (the participants
of each meeting), never from the records themselves."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Connection:
    """Someone ``party`` met: how often, from when to when, and as what each of them was there."""

    party: str
    other: str
    label: str
    kind: str
    meetings: tuple[str, ...]
    """The meetings they shared, oldest first."""
    first: str
    """The first shared meeting's date, as the records give it (fuzzy dates stay fuzzy)."""
    last: str
    capacities: tuple[str, ...]
    """As what ``party`` was there, as recorded, in the order first recorded."""
    their_capacities: tuple[str, ...]


_SHARED = """
SELECT other.target, r.label, r.kind, m.id, m.when_text, me.detail, other.detail
FROM links me
JOIN links other ON other.source = me.source AND other.relation = 'participant' AND other.target != me.target
JOIN records m ON m.id = me.source AND m.kind = 'meeting'
JOIN records r ON r.id = other.target
WHERE me.relation = 'participant' AND me.target = ?
ORDER BY m.sort_lo, m.sort_hi, m.id
"""


def connections_of(db: sqlite3.Connection, party: str) -> list[Connection]:
    """Everyone ``party`` shared a meeting with, most meetings first, then the earliest."""
    found: dict[str, dict] = {}
    for other, label, kind, meeting, when, mine, theirs in db.execute(_SHARED, (party,)):
        entry = found.setdefault(other, {"label": label, "kind": kind, "meetings": [], "whens": [],
                                         "mine": [], "theirs": []})
        if meeting not in entry["meetings"]:
            entry["meetings"].append(meeting)
            entry["whens"].append(when)
        for side, capacity in (("mine", mine), ("theirs", theirs)):
            if capacity and capacity not in entry[side]:
                entry[side].append(capacity)
    made = [
        Connection(party, other, entry["label"], entry["kind"], tuple(entry["meetings"]), entry["whens"][0],
                   entry["whens"][-1], tuple(entry["mine"]), tuple(entry["theirs"]))
        for other, entry in found.items()
    ]
    # Already in date order of the first meeting: the sort by count keeps it among equals.
    made.sort(key=lambda connection: -len(connection.meetings))
    return made


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a chain: from one party to the next, through a meeting both attended."""

    source: str
    meeting: str
    target: str


_NEIGHBOURS = """
SELECT me.target, m.id, other.target
FROM links me
JOIN links other ON other.source = me.source AND other.relation = 'participant' AND other.target != me.target
JOIN records m ON m.id = me.source AND m.kind = 'meeting'
WHERE me.relation = 'participant' AND me.target IN ({})
ORDER BY m.sort_lo, m.id
"""


def _neighbours(db: sqlite3.Connection, parties: list[str]) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for start in range(0, len(parties), 500):  # SQLite's limit on the values one query binds
        chunk = parties[start:start + 500]
        found += db.execute(_NEIGHBOURS.format(",".join("?" * len(chunk))), chunk).fetchall()
    return found


def shortest_path(db: sqlite3.Connection, start: str, end: str, *, limit: int = 12) -> list[Hop] | None:
    """The shortest chain of shared meetings from ``start`` to ``end`` (the earliest meetings among
    equals), searched from both ends at once; None when none is there within ``limit`` hops."""
    if start == end:
        return []
    # For each party reached: the hop that reached it, from the side that reached it.
    came_from: list[dict[str, tuple[str, str] | None]] = [{start: None}, {end: None}]
    frontiers = [[start], [end]]
    for _ in range(limit):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        if not frontiers[side]:
            return None
        reached: list[str] = []
        for party, meeting, other in _neighbours(db, frontiers[side]):
            if other in came_from[side]:
                continue
            came_from[side][other] = (party, meeting)
            reached.append(other)
            if other in came_from[1 - side]:
                return _joined(came_from, other)
        frontiers[side] = reached
    return None


def _joined(came_from: list[dict[str, tuple[str, str] | None]], middle: str) -> list[Hop]:
    """The chain from the start to ``middle`` (walked back), then from ``middle`` to the end."""
    forward: list[Hop] = []
    party = middle
    while (step := came_from[0][party]) is not None:
        previous, meeting = step
        forward.append(Hop(previous, meeting, party))
        party = previous
    forward.reverse()
    party = middle
    while (step := came_from[1][party]) is not None:
        following, meeting = step
        forward.append(Hop(party, meeting, following))
        party = following
    return forward
