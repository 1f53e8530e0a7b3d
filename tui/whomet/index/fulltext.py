"""Every word of a casefile found through the cache's full-text index: the records that hold the
words typed, each with the field they are in and the words around them, names first, then
titles, then what was said and written (quotes, excerpts, summaries), SQLite's bm25 ranking each
group.

The index (see :mod:`whomet.store.cache.schema`) matches each word typed as the start of a word
of the record, in any order, case and accents aside; what is shown around a match is found here
the same way."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass

from ..store.cache import PAIR, UNIT
from .chronology import words_query

RANKED = 2000
"""The most matches ranked for one search: past that (a word in every other record), the first
2,000 the index gives are ranked, which bounds a search's time whatever the casefile's size.
Ranking costs some 17 µs a match at 100k records (bm25 reads each one's sizes): 2,000 are 35 ms."""

GROUPS = ("names", "titles", "said and written")
"""What a hit is found in, in the order they are listed."""

_TITLES = ("name",)
"""The field a meeting's title, a statement's occasion or a source's title is kept under."""


@dataclass(frozen=True, slots=True)
class Found:
    """A record holding the words: where, and the words around them."""

    record_id: str
    kind: str
    label: str
    when: str
    group: int
    """An index into :data:`GROUPS`."""
    field: str
    """The field the words are in (name, alias, role, place, quote, excerpt, summary...)."""
    before: str
    match: str
    after: str
    """The field's text around the first word found: ``before`` and ``after`` cut to a few words."""
    score: float = 0.0
    """bm25 as SQLite gives it: the lower, the better the record matches."""


def find_words(db: sqlite3.Connection, typed: str, *, kinds: tuple[str, ...] = (), first_day: str | None = None,
               last_day: str | None = None, limit: int = 200, ranked: int = RANKED) -> list[Found]:
    """The records holding every word of ``typed`` (of ``kinds``, certainly between the days
    given), grouped as :data:`GROUPS` says and ranked by bm25 within each group, at most ``limit``
    of each group; of more than ``ranked`` matches, the first ``ranked`` the index gives are ranked."""
    query = words_query(typed)
    if query is None:
        return []
    words = _WORD.findall(typed)
    where: list[str] = ["1"]
    values: list[object] = []
    if first_day:
        where.append("r.sort_lo >= ?")
        values.append(first_day)
    if last_day:
        where.append("r.sort_hi <= ?")
        values.append(last_day)
    found: list[list[Found]] = [[] for _ in GROUPS]
    # People and organizations first, asked apart: a surname typed finds the people who bear it
    # even when thousands of meetings hold it in their titles and would rank above them.
    for side in (("person", "organization"), ("meeting", "statement", "source")):
        asked = [kind for kind in side if not kinds or kind in kinds]
        if not asked:
            continue
        rows = db.execute(f"""
            SELECT r.id, r.kind, r.label, r.when_text, r.fields, r.capacities, ranked.score FROM (
                SELECT rowid, bm25(words, 4.0, 1.0, 1.0, 0.0) AS score FROM words WHERE words MATCH ? LIMIT {int(ranked)}
            ) ranked JOIN records r ON r.rowid = ranked.rowid
            WHERE {' AND '.join(where)} ORDER BY ranked.score LIMIT ?""",
            [f"kind : ({' OR '.join(asked)}) AND {query}", *values, limit * 2])
        for record_id, kind, label, when, fields, capacities, score in rows:
            hit = _placed(record_id, kind, label, when, fields, capacities, words, score)
            if len(found[hit.group]) < limit:
                found[hit.group].append(hit)
    # Of the names, a name itself before an alias, and the shorter first: "Sergey Kislyak" before
    # "a source who saw Trump meet Kislyak", whatever bm25 makes of their other words.
    found[0].sort(key=lambda hit: (hit.field != "name", len(hit.label)))
    for group in found[1:]:  # the parties' and the others' hits, asked apart, ranked together
        group.sort(key=lambda hit: hit.score)
    return [hit for group in found for hit in group]


def _placed(record_id: str, kind: str, label: str, when: str, fields: str, capacities: str,
            words: list[str], score: float) -> Found:
    """Where in the record the words are: the first field holding the first of them that holds
    the most of them, and the words around it."""
    pairs = [tuple(part.split(PAIR, 1)) for part in fields.split(UNIT) if PAIR in part]
    pairs += [("capacity", capacity) for capacity in capacities.split(UNIT) if capacity]
    best: tuple[int, str, str] | None = None
    for name, text in pairs:
        held = sum(1 for word in set(words) if _starts_a_word(text, word) is not None)
        if held and (best is None or held > best[0]):
            best = (held, name, text)
    if best is None:  # the index and this reading disagree on a word's edges: the name, as it is
        return Found(record_id, kind, label, when, 2, "name", "", label, "", score)
    held, name, text = best
    parties = kind in ("person", "organization")
    # A name or a title holding only some of the words (an "at" in "Atlantic") is no hit on it.
    group = 2 if held < len(set(words)) else 0 if parties and name in ("name", "alias") else 1 if name in _TITLES else 2
    shown = "title" if name == "name" and not parties else name
    return Found(record_id, kind, label, when, group, shown, *_around(text, words), score)


_WORD = re.compile(r"[^\W_]+")


class _Folding(dict):
    """Each letter's folded form, by code point, as it is first met: what ``str.translate`` reads."""

    def __missing__(self, code: int) -> str:
        letter = chr(code)
        folded = self[code] = (unicodedata.normalize("NFKD", letter)[:1] or letter).casefold()[:1] or letter
        return folded


_FOLDING = _Folding()


def _folded(text: str) -> str:
    """``text`` case-folded and without accents, letter for letter (same length, same places).
    One translation, each letter looked up once per process: the hits of a search at 100k records
    hold some 200,000 letters, a tenth of a second when each was folded anew."""
    return text.translate(_FOLDING)


def _starts_a_word(text: str, word: str) -> int | None:
    """Where in ``text`` a word starts with ``word`` (as the index matches it), or None."""
    found = re.search(rf"(?<![^\W_]){re.escape(_folded(word))}", _folded(text))
    return found.start() if found is not None else None


def _around(text: str, words: list[str], width: int = 60) -> tuple[str, str, str]:
    """The text before the first word found (its last ``width`` letters, cut at a word), the word
    found (to its end), and the text after it (cut the same way), on one line."""
    text = " ".join(text.split())
    places = [(at, word) for word in words if (at := _starts_a_word(text, word)) is not None]
    if not places:
        return "", text[:width * 2], ""
    at, _ = min(places, key=lambda place: (-len(place[1]), place[0]))  # the longest word typed: the telling one
    end = at
    while end < len(text) and (text[end].isalnum()):
        end += 1
    before, after = text[:at], text[end:]
    if len(before) > width // 2:  # a few words before, so that the words found show in a narrow list
        before = "…" + before[-(width // 2):].split(" ", 1)[-1]
    if len(after) > width * 2:
        after = after[:width * 2].rsplit(" ", 1)[0] + "…"
    return before, text[at:end], after
