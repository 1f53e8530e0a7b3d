"""The chronology: every meeting and statement of the casefile in date order, filtered as typed."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from ..index import Filters
from .chronology_filters import HELP, filter_commands, parse_filters, words_of
from .keybar import KeyBar
from .keys import bindings
from .lists import RecordList, Row
from .panels.timeline import timeline_prompt
from .text import one_line, visible

if TYPE_CHECKING:
    from textual.app import SystemCommand

    from ..index import Chronology
    from ..index.chronology import Entry

    from .session import CasefileSession

class ChronologyScreen(Screen):
    """Every meeting and statement in date order; enter opens one in the browser, and going back
    from there returns here with the filters as they were."""

    BINDINGS = bindings("chronology")

    def __init__(self, session: CasefileSession, typed: str = "", at: str | None = None) -> None:
        """``typed``: the filter line; ``at``: the record the cursor starts on, when listed."""
        super().__init__()
        self.session = session
        self.typed = typed
        self.at = at
        self.filters = Filters()
        self._made: dict[str, Row] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="chronology-panel") as panel:
            panel.border_title = "Chronology"
            yield Input(self.typed, placeholder=f"filter: {HELP}", id="chronology-filter", compact=True,
                        select_on_focus=False)
            yield Static(id="chronology-problems")
            yield RecordList(id="chronology-list")
        yield KeyBar()

    @property
    def records(self) -> RecordList:
        return self.query_one("#chronology-list", RecordList)

    def on_mount(self) -> None:
        self.show(self.typed)
        self.records.focus()

    def show(self, typed: str) -> None:
        self.typed = typed
        self.filters, wrong = parse_filters(typed, self.session)
        rows = self._rows() if self.session.casefile is not None else []
        # The cursor stays on its record while the filters still list it.
        self.records.set_rows(rows, highlight=self.records.highlighted_id or self.at)
        panel = self.query_one("#chronology-panel")
        said = self.filters.said()
        panel.border_title = Text(f"Chronology · {one_line(said)}" if said else "Chronology")
        panel.border_subtitle = f"{len(rows):,} record{'s' * (len(rows) != 1)}"
        # What could not be read is said in full, under the line, until it is mended.
        problems = self.query_one("#chronology-problems", Static)
        problems.update(Text("\n".join(f"⚠ {visible(line)}" for line in wrong)))
        problems.display = bool(wrong)

    def _rows(self) -> list[Row]:
        chronology = self.session.chronology()
        # Only the rows drawn are read (at 100k records the chronology lists 75,000), and each
        # row is made once: making them all again at each key typed took a third of a second.
        made = self._made
        rows = []
        for entry in chronology.matching(self.filters):
            row = made.get(entry.id)
            if row is None:
                row = made[entry.id] = Row(entry.id, partial(self._prompt, chronology, entry), (entry.id,), height=2)
            rows.append(row)
        return rows

    def _prompt(self, chronology: Chronology, entry: Entry) -> Text:
        row = chronology.rows([entry])[0]
        title = row.title
        if row.speaker:
            title = f"{visible(self.session.label(row.speaker) or row.speaker)}: {title}"
        return timeline_prompt(row, title)

    def casefile_changed(self) -> None:
        """The casefile was read again: list it as it is now, the filters and cursor kept."""
        self._made.clear()
        self.show(self.typed)

    @property
    def filter_line(self) -> Input:
        return self.query_one("#chronology-filter", Input)

    def commands(self) -> Iterator[SystemCommand]:
        """The palette's commands here: a filter of each kind."""
        return filter_commands(self)

    def add_filter(self, token: str) -> None:
        """Add ``token`` to the filter line (unless it is there already) and show what passes."""
        if shlex.split(token)[0] not in words_of(self.typed):
            self.filter_line.value = f"{self.typed.rstrip()} {token}".lstrip()
        self.records.focus()

    def type_filter(self, prefix: str) -> None:
        """Put ``prefix`` at the end of the filter line, for the user to type its value."""
        line = self.filter_line
        line.value = f"{self.typed.rstrip()} {prefix}".lstrip() if prefix else self.typed
        line.focus()
        line.cursor_position = len(line.value)

    def pick_party(self) -> None:
        from .connections import PartyPicker

        def picked(party: str | None) -> None:
            if party is not None:
                self.add_filter(f"with:{party}")

        self.app.push_screen(PartyPicker(self.session, "Chronology: with…"), picked)

    def clear_filters(self) -> None:
        self.filter_line.value = ""
        self.records.focus()

    def action_chart(self) -> None:
        """The activity chart of what the filters pass."""
        from .activity import ActivityScreen

        if self.session.casefile is not None:
            chronology = self.session.chronology()
            # Statements are counted too when the filters pass nothing else (oath:yes, stance:).
            statements = not any(entry.kind == "meeting" for entry in chronology.matching(self.filters))
            self.app.push_screen(ActivityScreen(self.session.casefile, filters=self.filters,
                                                chronology=chronology, statements=statements,
                                                session=self.session))

    @on(Input.Submitted, "#chronology-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.show(event.value)
        self.records.focus()

    @on(Input.Changed, "#chronology-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show(event.value)

    def action_filter(self) -> None:
        self.filter_line.focus()

    def action_close(self) -> None:
        if self.filter_line.has_focus:
            self.records.focus()  # escape in the filter line leaves it, not the chronology
            return
        self.dismiss()

    @on(RecordList.Selected, "#chronology-list")
    def _chosen(self, event: RecordList.Selected) -> None:
        event.stop()
        self.dismiss(event.record_id)

