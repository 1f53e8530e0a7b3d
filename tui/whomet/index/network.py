"""Who met whom: everyone a person or organization shared a meeting with, and the shortest chains
of shared meetings between two of them. Both are read from the cache's links (the participants
of each meeting), never from the records themselves."""

from __future__ import annotations

import heapq
import itertools
import sqlite3
from collections.abc import Iterator
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

    @property
    def span(self) -> str:
        """The first and last shared meeting's dates, ``Apr 2016 → Sep 2016``, or the one date."""
        return self.first if self.first == self.last else f"{self.first} → {self.last}"


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


# CROSS JOIN holds SQLite to this order: each party's links first, through links_target. Left to
# choose, it scanned every meeting once the frontier held more than one party (0.2-0.5 s at 100k
# records, for what the links of those parties give in 10 ms).
_NEIGHBOURS = """
SELECT me.target, m.id, other.target
FROM links me
CROSS JOIN links other ON other.source = me.source AND other.relation = 'participant' AND other.target != me.target
CROSS JOIN records m ON m.id = me.source AND m.kind = 'meeting'
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
    return _search(db, start, end, limit, frozenset(), frozenset())


def chains(db: sqlite3.Connection, start: str, end: str, *, limit: int = 12) -> Iterator[list[Hop]]:
    """Every chain of shared meetings from ``start`` to ``end`` through different people, the
    shortest first: each next one on request (Yen's way: the chains already given are cut at each
    step in turn, and the rest searched again from there, without going back through the start
    of the chain)."""
    first = shortest_path(db, start, end, limit=limit)
    if first is None:
        return
    given: list[list[Hop]] = [first]
    seen = {_parties(first)}
    waiting: list[tuple[int, int, list[Hop]]] = []
    order = itertools.count()
    yield first
    while True:
        last = given[-1]
        parties = _parties(last)
        for step in range(len(last)):
            root = parties[:step + 1]
            cut = frozenset(frozenset(chain[step:step + 2]) for chain in map(_parties, given)
                            if chain[:step + 1] == root and len(chain) > step + 1)
            rest = _search(db, root[-1], end, limit - step, frozenset(root[:-1]), cut)
            if rest is None:
                continue
            chain = last[:step] + rest
            if _parties(chain) not in seen:
                seen.add(_parties(chain))
                heapq.heappush(waiting, (len(chain), next(order), chain))
        if not waiting:
            return
        given.append(heapq.heappop(waiting)[2])
        yield given[-1]


def _parties(chain: list[Hop]) -> tuple[str, ...]:
    return (chain[0].source, *(hop.target for hop in chain)) if chain else ()


def _search(db: sqlite3.Connection, start: str, end: str, limit: int, avoid: frozenset[str],
            cut: frozenset[frozenset[str]]) -> list[Hop] | None:
    """The shortest chain from ``start`` to ``end`` that goes through none of ``avoid`` and takes
    no step between two parties that ``cut`` holds."""
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
            if other in came_from[side] or other in avoid or (cut and frozenset((party, other)) in cut):
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
