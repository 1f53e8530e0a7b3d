"""The meetings and statements of one person or organization, oldest first."""

from __future__ import annotations

from functools import partial

from rich.text import Text

from ...index import CachedIndex, TimelineRow
from ..filtered import FilteredList
from ..lists import Row
from ..text import one_line, visible

MARKERS = {"contradicts": "⚠", "denied": "✗"}
WORDS = {"contradicts": "contradicts records", "denied": "denied"}


def timeline_prompt(entry: TimelineRow, title: str) -> Text:
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(entry.when, style="bold")
    head.append("  ")
    head.append(entry.what, style="cyan" if entry.kind == "meeting" else "magenta")
    glyph = MARKERS.get(entry.flag or "")
    if glyph is not None:
        head.append(f"  {glyph} {WORDS[entry.flag]}", style="bold red")
    # The glyph starts the title's line too: in a narrow panel the words above are cut first.
    body = Text(no_wrap=True, overflow="ellipsis")
    body.append(f"{glyph} " if glyph else "  ", style="bold red")
    body.append(one_line(title))
    return Text.assemble(head, "\n", body)


def timeline_rows(index: CachedIndex, party_id: str | None) -> list[Row]:
    """The rows of ``party_id``'s timeline: a statement of someone else's says whose it is."""
    if party_id is None:
        return []
    speakers: dict[str, str] = {}
    rows: list[Row] = []
    for entry in index.timeline_rows(party_id):
        title = entry.title
        if entry.kind == "statement" and entry.speaker != party_id:
            if entry.speaker not in speakers:
                speakers[entry.speaker] = visible(index.label_of(entry.speaker) or entry.speaker)
            title = f"{speakers[entry.speaker]}: {title}"
        rows.append(Row(entry.id, partial(timeline_prompt, entry, title), (title,), height=2))
    return rows


class TimelinePanel(FilteredList):
    """One party's timeline, its name in the title."""

    def __init__(self) -> None:
        super().__init__(placeholder="/ filter timeline", id="timeline")
        self.border_title = "Timeline"

    def fill(self, index: CachedIndex, party: str | None, highlight: str | None) -> None:
        label = index.label_of(party) if party else None
        # A Text: a string would be read as markup (a name's "[@click=…]" would act on a click).
        self.border_title = Text(f"Timeline · {one_line(label)}") if label is not None else "Timeline"
        self.set_rows(timeline_rows(index, party), highlight)
