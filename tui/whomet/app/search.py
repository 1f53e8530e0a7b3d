"""Search: every word of the casefile, the records that hold the words typed listed with the
words around them, names first, then titles, then what was said and written."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from ..index import Found, find_words
from ..model import DateError
from .chronology_filters import days_of, words_of
from .keybar import KeyBar
from .keys import bindings
from .lists import RecordList, Row
from .text import one_line, visible

if TYPE_CHECKING:
    from .session import CasefileSession

KINDS = ("person", "organization", "meeting", "statement", "source")
HELP = "words (each the start of a word, any order) · kind:person|organization|meeting|statement|source · between:2016"
HEADINGS = ("Names", "Titles", "Said and written: quotes, excerpts, summaries, places, roles")


def hit_prompt(hit: Found) -> Text:
    """``meeting  Sep 2016  Sessions meets Kislyak…`` then ``  quote: …the words [found] here…``."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(f"{hit.kind}  ", style="cyan" if hit.kind in ("meeting", "statement") else "magenta")
    if hit.when:
        head.append(f"{hit.when}  ", style="bold")
    head.append(visible(one_line(hit.label)))
    body = Text(no_wrap=True, overflow="ellipsis")
    body.append(f"  {hit.field}: ", style="dim")
    body.append(visible(hit.before))
    body.append(visible(hit.match), style="bold reverse")
    body.append(visible(hit.after))
    return Text.assemble(head, "\n", body)


class SearchScreen(Screen):
    """The records holding the words typed; enter opens one, and back returns here as it was."""

    BINDINGS = bindings("search")

    def __init__(self, session: CasefileSession, typed: str = "", at: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.typed = typed
        self.at = at

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-panel") as panel:
            panel.border_title = "Search"
            yield Input(self.typed, placeholder=HELP, id="search-line", compact=True, select_on_focus=False)
            yield Static(id="search-problems")
            yield RecordList(id="search-list")
        yield KeyBar()

    @property
    def records(self) -> RecordList:
        return self.query_one("#search-list", RecordList)

    @property
    def search_line(self) -> Input:
        return self.query_one("#search-line", Input)

    def on_mount(self) -> None:
        self.show(self.typed)
        (self.records if self.typed and self.records.rows else self.search_line).focus()

    def show(self, typed: str) -> None:
        """Search for ``typed`` and show what it finds, now."""
        self._show(typed, *self._found(typed))

    def _found(self, typed: str) -> tuple[list[Found], str, list[str]]:
        """The hits of a search line, its words, and what in it could not be read."""
        kinds, first, last, words, wrong = self._read(typed)
        casefile = self.session.casefile
        hits = find_words(casefile.db, words, kinds=kinds, first_day=first, last_day=last) if casefile is not None else []
        return hits, words, wrong

    def _show(self, typed: str, hits: list[Found], words: str, wrong: list[str]) -> None:
        self.typed = typed
        rows: list[Row] = []
        for group, heading in enumerate(HEADINGS):
            found = [hit for hit in hits if hit.group == group]
            if found:
                rows.append(Row(None, Text(f"{heading} ({len(found)})", style="bold")))
                rows += [Row(hit.record_id, hit_prompt(hit), (hit.label,)) for hit in found]
        self.records.set_rows(rows, highlight=self.records.highlighted_id or self.at)
        panel = self.query_one("#search-panel")
        panel.border_title = Text(f"Search · “{one_line(visible(typed))}”" if typed.strip() else "Search")
        panel.border_subtitle = f"{len(hits):,} record{'s' * (len(hits) != 1)}" if words.strip() else ""
        said = [f"⚠ {visible(line)}" for line in wrong]
        if self.session.casefile is not None and self.session.casefile.pending:
            said.append("… The casefile's words are being indexed: what they find follows in a moment.")
        problems = self.query_one("#search-problems", Static)
        problems.update(Text("\n".join(said)))
        problems.display = bool(said)

    def _search_in_thread(self, typed: str) -> None:
        """A key typed: the search runs beside the interface (at 100,000 records it takes a few
        hundredths of a second), and only the last one typed is shown."""
        worker = get_current_worker()
        read = self._reading()
        found = self._found(typed)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._shown_if_last, typed, read, *found)

    def _shown_if_last(self, typed: str, read: tuple, hits: list[Found], words: str, wrong: list[str]) -> None:
        """A thread's search shown, unless more was typed since, or the casefile was read again
        (``casefile_changed`` showed what the new reading finds)."""
        if typed == self.search_line.value and read == self._reading():
            self._show(typed, hits, words, wrong)

    def _reading(self) -> tuple:
        """The casefile as it is read now: a search of another reading is old."""
        casefile = self.session.casefile
        return casefile, casefile.generation if casefile is not None else 0

    def casefile_changed(self) -> None:
        """The casefile was read again, or its full-text index landed: the same search, again."""
        self.show(self.search_line.value)

    def _read(self, typed: str) -> tuple[tuple[str, ...], str | None, str | None, str, list[str]]:
        """The kinds, the days and the words of a search line, and what in it could not be read."""
        kinds: list[str] = []
        first = last = None
        words: list[str] = []
        wrong: list[str] = []
        for word in words_of(typed):
            name, colon, value = word.partition(":")
            if colon and name == "kind":
                if value.lower() in KINDS:
                    kinds.append(value.lower())
                else:
                    wrong.append(f"kind:{value} is not one of {', '.join(KINDS)}")
            elif colon and name == "between":
                try:
                    first, last = days_of(value)
                except DateError as error:
                    wrong.append(str(error))
            else:
                words.append(word)
        return tuple(kinds), first, last, " ".join(words), wrong

    @on(Input.Changed, "#search-line")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.run_worker(partial(self._search_in_thread, event.value), thread=True, exclusive=True, group="search")

    @on(Input.Submitted, "#search-line")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.records.focus()

    def action_search_line(self) -> None:
        self.search_line.focus()

    def action_close(self) -> None:
        if self.search_line.has_focus and self.records.rows:
            self.records.focus()  # escape in the line leaves it, not the search
            return
        self.dismiss()

    @on(RecordList.Selected, "#search-list")
    def _chosen(self, event: RecordList.Selected) -> None:
        event.stop()
        self.dismiss(event.record_id)
