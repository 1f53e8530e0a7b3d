"""The source & quote panel: the record in detail, the links to follow from it, and the
progress of a reading of the files."""

from __future__ import annotations

from functools import partial

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, ProgressBar

from ..detail import LinkRow
from ..keys import bindings
from ..lists import RecordList, Row
from ..text import one_line
from ..textview import TextView

TITLE = "Source & quote"


def link_prompt(link: LinkRow) -> Text:
    label = Text(f"{link.relation:<13} ", style="dim", no_wrap=True, overflow="ellipsis")
    label.append(link.label)  # a string's control characters are stripped, as Text() does
    return label


class SourcePanel(Vertical):
    """A record's description above the links that lead from it; ``/`` finds words in it."""

    DEFAULT_CSS = """
    SourcePanel > #find { display: none; }
    SourcePanel.-finding > #find { display: block; }
    """

    BINDINGS = bindings("panel:detail")

    def __init__(self, *, reading: bool) -> None:
        super().__init__(id="detail")
        self.border_title = TITLE
        self._reading = reading
        self.links: list[LinkRow] = []
        self.drawn: tuple[str, Group, str, str] | None = None
        """The record in detail, as described: its id, its text, kind and label."""

    def compose(self) -> ComposeResult:
        if self._reading:  # in the first layout, not mounted after it (a second layout)
            yield ProgressBar(id="loading", show_eta=False)
        yield TextView(Text("Loading the casefile…"), id="detail-body")
        yield RecordList(id="links")

    def on_mount(self) -> None:
        self.link_list.border_title = "Links"

    @property
    def body(self) -> TextView:
        return self.query_one("#detail-body", TextView)

    @property
    def link_list(self) -> RecordList:
        return self.query_one("#links", RecordList)

    # finding words in the record in detail

    async def action_start_find(self) -> None:
        # Made on first use: one widget less to lay out and paint at every launch.
        if not self.query("#find"):
            await self.mount(Input(placeholder="find in the text · enter: to the text, n N: next, previous · esc: done",
                                   id="find", compact=True, select_on_focus=False), after="#detail-body")
        self.add_class("-finding")
        self.query_one("#find", Input).focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        found = self.body.find(event.value)
        if not event.value:
            self.border_subtitle = ""
        else:
            self.border_subtitle = f"{found} found" if found else "not found"

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.body.focus()

    def on_key(self, event) -> None:  # noqa: ANN001 - a key while the find line has the focus
        find = self.query("#find")
        if event.key == "escape" and find and find.first().has_focus:
            event.stop()
            self.end_find()

    def end_find(self) -> None:
        find = self.query_one("#find", Input)  # there once finding began
        self.remove_class("-finding")
        with find.prevent(Input.Changed):
            find.value = ""
        self.body.find("")
        self.border_subtitle = ""
        self.body.focus()

    def say(self, text: Text | str) -> None:
        """Show a line instead of a record (nothing selected, a reading under way)."""
        self.body.update(text)

    def show_nothing(self, why: str) -> None:
        self.say(Text(why, style="dim"))
        self.links, self.drawn = [], None
        self.link_list.clear()
        self.border_title = TITLE

    def show(self, record_id: str, body: Group, links: list[LinkRow], kind: str, label: str,
             link: int | None = None) -> None:
        """Show a record's description and the links to follow from it."""
        self.drawn = record_id, body, kind, label
        self.links = links
        self.body.update(body)
        if self.has_class("-finding"):  # what is looked for is looked for in the next record too
            query = self.query_one("#find", Input).value
            found = self.body.find(query)
            self.border_subtitle = (f"{found} found" if found else "not found") if query else ""
        self.border_title = Text(f"{kind.capitalize()} · {one_line(label)}")
        links_list = self.link_list
        rows = [Row(f"link-{number}", partial(link_prompt, row)) for number, row in enumerate(links)]
        with links_list.prevent(RecordList.Highlighted):
            links_list.set_rows(rows)
            if link is not None and link < len(links):
                links_list.highlighted = link
        links_list.border_title = f"Links ({len(links)})"

    # a reading of the files

    def show_progress_bar(self) -> None:
        """The bar above the detail, unless it is there already (composed for a first reading)."""
        if not self.query("#loading"):
            self.mount(ProgressBar(id="loading", show_eta=False), before="#detail-body")

    def show_progress(self, done: int, total: int, changed_only: bool) -> None:
        self.query_one("#loading", ProgressBar).update(total=max(total, 1), progress=done)
        if total:
            files = f"{total:,} {'changed ' if changed_only else ''}file{'s' * (total != 1)}"
            # Once all are read, the cache still links and counts them: a few seconds at 100,000.
            said = f"Reading {files}: {done:,} read…" if done < total else f"Read {files}; linking and counting…"
            self.say(Text(said, style="dim"))

    def hide_progress_bar(self) -> None:
        self.query("#loading").remove()
