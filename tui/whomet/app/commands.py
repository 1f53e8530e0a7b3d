"""The command palette's "go to any record": by name, alias, title, quote or excerpt."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .text import as_markup, one_line

if TYPE_CHECKING:
    from ..index import CachedIndex
    from ..index.search import Hit as Found
    from ..model import Record
    from .browser import BrowserScreen


def _nothing() -> None:
    """What choosing a hit that only informs does: close the palette."""


def _told_apart(index: CachedIndex, party: Record, where: str) -> str:
    """What tells namesakes apart in a list of hits: the file, the counts and what the record
    says of itself (or where the words typed were found)."""
    meetings, statements = index.counts(party.id)
    told = [party.id, f"{meetings} meeting{'s' * (meetings != 1)}", f"{statements} statement{'s' * (statements != 1)}"]
    summary = one_line(getattr(party, "summary", "") or "")
    if where or summary:
        told.append(where or (summary if len(summary) <= 80 else summary[:79] + "…"))
    return " · ".join(told)


class RecordCommands(Provider):
    """Every record of the casefile, found by what it says."""

    _latest: object = None
    """The search under way: an older one still going stops."""

    @property
    def browser(self) -> BrowserScreen:
        from .browser import BrowserScreen

        return next(screen for screen in self.app.screen_stack if isinstance(screen, BrowserScreen))

    async def search(self, query: str) -> Hits:
        index = self.browser.index
        if not query.strip():
            return
        if index is None:
            # Else the palette says "No matches found", as if no record said what was typed.
            yield Hit(1.0, Text("The casefile is still being read: its records can be searched once it is.",
                                style="italic"), _nothing, text="still being read")
            return
        matcher = self.matcher(query)
        asked = self._latest = object()
        found: list[Found] = []
        for found in index.find_in_parts(query, limit=40):
            # Keys typed meanwhile are taken between the parts (a one-letter search reads
            # nearly every record: seconds at 100,000), and the next letter's search ends this
            # one here. The palette cancels the search it replaces, but not always in time.
            await asyncio.sleep(0)
            if self._latest is not asked:
                return
        for hit in found:
            record = index.get(hit.record_id)
            if record is None:
                continue
            text = f"Go to {record.kind}: {record.label}"
            display = Text(f"Go to {record.kind}: ", style="dim")
            display.append(index.short_of(record)[:120])
            where = "" if hit.field == "name" else f"{hit.field}: {one_line(hit.text)[:120]}"
            if record.kind in ("person", "organization"):
                where = _told_apart(index, record, where)
            # On the palette's own fuzzy scale, so that a record whose name holds what was typed
            # outranks an action whose title merely contains the same letters.
            bonus = {"name": 10.0, "alias": 8.0}.get(hit.field, 2.0 * hit.score)
            if hit.field in ("name", "alias"):
                # Of two names holding what was typed, the one it is more of first.
                bonus += len(query.strip()) / max(len(hit.text), 1)
                if record.kind in ("person", "organization"):
                    # Meetings and sources are often titled with the names of those in them:
                    # a name typed is most often looked up for the person or body it names.
                    bonus += 3.0
            yield Hit(
                score=matcher.match(text) + bonus,
                match_display=display,
                command=partial(self.browser.go_to_record, record.id),
                text=text,
                # The palette reads its help as markup: what the records say is escaped.
                help=as_markup(where) if where else None,
            )

    async def discover(self) -> Hits:
        index = self.browser.index
        if index is None:
            return
        for party in index.party_rows()[:20]:
            display = Text(f"Go to {party.kind}: ", style="dim")
            display.append(one_line(party.label))
            yield DiscoveryHit(display, partial(self.browser.go_to_record, party.id),
                               text=f"Go to {party.kind}: {party.label}")
