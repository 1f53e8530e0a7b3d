"""Finding records by what they say: names, aliases, titles, quotes and excerpts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..store.cache import searchable

if TYPE_CHECKING:
    from ..model import Record


@dataclass(frozen=True, slots=True)
class Hit:
    record_id: str
    field: str
    text: str
    score: float


searchable_fields = searchable


_FIELD_WEIGHT = {"name": 3.0, "alias": 2.5, "quote": 1.5, "author": 1.5, "publisher": 1.2}


def fuzzy_score(query: str, text: str) -> float | None:
    """How well ``query``'s letters appear in order in ``text`` (None: they do not).

    Letters at the start of words and runs of consecutive letters score higher, so
    "jsess" finds "Jeff Sessions" above names that merely contain the letters.
    """
    query = query.casefold().replace(" ", "")
    if not query:
        return 0.0
    text_folded = text.casefold()
    score = 0.0
    position = 0
    previous = -2
    for letter in query:
        found = text_folded.find(letter, position)
        if found < 0:
            return None
        at_word_start = found == 0 or not text_folded[found - 1].isalnum()
        score += 1.0 + (2.0 if at_word_start else 0.0) + (1.5 if found == previous + 1 else 0.0)
        previous = found
        position = found + 1
    return score / (len(query) * 4.5) - len(text) / 10_000


def best_fuzzy_score(query: str, names: Iterable[str]) -> float | None:
    """The best :func:`fuzzy_score` of ``query`` against several names (a name and its aliases)."""
    scores = [s for s in (fuzzy_score(query, name) for name in names) if s is not None]
    return max(scores) if scores else None


def score_fields(record_id: str, label: str, fields: list[tuple[str, str]], query: str,
                 terms: list[str]) -> Hit | None:
    """How a record matches: its best field holding every word of ``query``, or its name
    holding the query's letters in order."""
    haystack = " ".join(text for _, text in fields).casefold()
    best: Hit | None = None
    if all(term in haystack for term in terms):
        for name, text in fields:
            folded = text.casefold()
            matched = sum(term in folded for term in terms)
            if not matched:
                continue
            score = _FIELD_WEIGHT.get(name, 1.0) * matched / len(terms)
            if folded.startswith(terms[0]):
                score += 0.5
            if best is None or score > best.score:
                best = Hit(record_id, name, text, score)
    else:
        fuzzy = fuzzy_score(query, label)
        if fuzzy is not None and fuzzy > 0.5:
            best = Hit(record_id, "name", label, fuzzy)
    return best


def search(records: dict[str, Record] | list[Record], query: str, limit: int = 50) -> list[Hit]:
    """Records whose fields hold every word of ``query``, best first; names weigh most."""
    terms = [term for term in query.casefold().split() if term]
    if not terms:
        return []
    values = records.values() if isinstance(records, dict) else records
    hits = [hit for record in values
            if (hit := score_fields(record.id, record.label, searchable_fields(record), query, terms)) is not None]
    hits.sort(key=lambda hit: (-hit.score, hit.record_id))
    return hits[:limit]
