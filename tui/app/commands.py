"""The command palette's "go to any record": by name, alias, title, quote or excerpt."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..index import search
from .detail import short_label
from .text import one_line

if TYPE_CHECKING:
    from .app import WhometApp


class RecordCommands(Provider):
    """Every record of the casefile, found by what it says."""

    @property
    def whomet(self) -> WhometApp:
        return self.app  # type: ignore[return-value]

    async def search(self, query: str) -> Hits:
        index = self.whomet.index
        if index is None or not query.strip():
            return
        for hit in search(index.records, query, limit=40):
            record = index.get(hit.record_id)
            if record is None:
                continue
            display = Text(f"Go to {record.kind}: ", style="dim")
            display.append(short_label(index, record)[:120])
            where = "" if hit.field == "name" else f"{hit.field}: {one_line(hit.text)[:120]}"
            yield Hit(
                score=min(1.0, 0.5 + hit.score / 10),
                match_display=display,
                command=partial(self.whomet.go_to_record, record.id),
                text=f"Go to {record.kind}: {record.label}",
                help=where or None,
            )

    async def discover(self) -> Hits:
        index = self.whomet.index
        if index is None:
            return
        for party in index.parties()[:20]:
            display = Text(f"Go to {party.kind}: ", style="dim")
            display.append(one_line(party.label))
            yield DiscoveryHit(display, partial(self.whomet.go_to_record, party.id),
                               text=f"Go to {party.kind}: {party.label}")
