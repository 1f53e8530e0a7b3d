"""The command palette's "go to any record": by name, alias, title, quote or excerpt."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..index import find_words
from .text import as_markup, one_line, visible

PER_GROUP = 12
"""Records of each kind of hit (names, titles, the rest) the palette lists."""

PALETTE_RANKED = 400
"""Matches ranked at each key in the palette, which shows a dozen of each group: a word in
thousands of records is ranked among the first 400 the index gives (9 ms at 100k, not 35 ms);
the search screen (s) ranks 2,000."""

if TYPE_CHECKING:
    from ..index import CachedIndex
    from .browser import BrowserScreen


def _nothing() -> None:
    """What choosing a hit that only informs does: close the palette."""


def _told_apart(index: CachedIndex, party_id: str, where: str) -> str:
    """What tells namesakes apart in a list of hits: the file, the counts and what the record
    says of itself (or where the words typed were found), all from the cache: a palette search
    reads no file."""
    meetings, statements = index.counts(party_id)
    told = [party_id, f"{meetings} meeting{'s' * (meetings != 1)}", f"{statements} statement{'s' * (statements != 1)}"]
    summary = one_line(index.summary_of(party_id))
    if where or summary:
        told.append(where or (summary if len(summary) <= 80 else summary[:79] + "…"))
    return " · ".join(told)


class RecordCommands(Provider):
    """Every record of the casefile, found by what it says."""

    @property
    def browser(self) -> BrowserScreen:
        from .browser import BrowserScreen

        return next(screen for screen in self.app.screen_stack if isinstance(screen, BrowserScreen))

    async def search(self, query: str) -> Hits:
        index = self.browser.index
        casefile = self.browser.session.casefile
        if not query.strip():
            return
        if index is None or casefile is None:
            # Else the palette says "No matches found", as if no record said what was typed.
            yield Hit(1.0, Text("The casefile is still being read: its records can be searched once it is.",
                                style="italic"), _nothing, text="still being read")
            return
        matcher = self.matcher(query)
        if casefile.pending:
            yield Hit(1.0, Text("The casefile's words are being indexed: names only, for a moment.", style="italic"),
                      _nothing, text="being indexed")
        # The full-text index: people and organizations whose names hold the words first, then
        # titles, then what was said and written; a few of each, the search screen (s) has them all.
        found = find_words(casefile.db, query, limit=PER_GROUP, ranked=PALETTE_RANKED)
        named = {hit.record_id for hit in found}
        for rank, hit in enumerate(found):
            yield self._hit(index, matcher, query, hit.record_id, hit.kind, hit.label, hit.group, rank,
                            "" if hit.field == "name" else f"{hit.field}: {hit.before}{hit.match}{hit.after}")
        await asyncio.sleep(0)
        # And names holding the letters typed in order ("jsess"), which no word index finds: from
        # three letters on (one or two are in nearly every name, and the index found those names).
        if len(query.replace(" ", "")) < 3:
            return
        letters = [(score, record_id, kind, label)
                   for score, record_id, kind, label in index.spelled_in(query, ("person", "organization"))
                   if record_id not in named and score > 0.5]
        for rank, (_, record_id, kind, label) in enumerate(letters[:PER_GROUP]):
            yield self._hit(index, matcher, query, record_id, kind, label, 0, rank + len(found), "")

    def _hit(self, index: CachedIndex, matcher, query: str, record_id: str, kind: str, label: str,  # noqa: ANN001
             group: int, rank: int, where: str) -> Hit:
        text = f"Go to {kind}: {label}"
        display = Text(f"Go to {kind}: ", style="dim")
        display.append(visible(one_line(label))[:120])
        if kind in ("person", "organization"):
            where = _told_apart(index, record_id, where)
        # On the palette's own fuzzy scale: a record whose name holds the words typed outranks an
        # action whose title merely holds the same letters; names, then titles, then the rest,
        # in the index's order within each.
        bonus = (10.0, 6.0, 3.0)[group] - rank / 100
        return Hit(score=matcher.match(text) + bonus, match_display=display,
                   command=partial(self.browser.go_to_record, record_id), text=text,
                   # The palette reads its help as markup: what the records say is escaped.
                   help=as_markup(one_line(where)[:160]) if where else None)

    async def discover(self) -> Hits:
        index = self.browser.index
        if index is None:
            return
        for party in index.party_rows()[:20]:
            display = Text(f"Go to {party.kind}: ", style="dim")
            display.append(one_line(party.label))
            yield DiscoveryHit(display, partial(self.browser.go_to_record, party.id),
                               text=f"Go to {party.kind}: {party.label}")
