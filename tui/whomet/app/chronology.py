"""The chronology: every meeting and statement of the casefile in date order, filtered as typed."""

from __future__ import annotations

import shlex
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input

from ..index import Filters, chronology_of
from ..model import DateError, FuzzyDate
from .keybar import KeyBar
from .keys import bindings
from .lists import RecordList, Row
from .panels.timeline import timeline_prompt
from .text import one_line, visible

if TYPE_CHECKING:
    from .session import CasefileSession

HELP = ("with:ID (again for all of them; any: for any) · kind:meeting|statement · "
        "stance:denies|confirms|amends|mentions · between:2016-03/2016-09 · other words: text")


def parse_filters(typed: str, session: CasefileSession) -> tuple[Filters, list[str]]:
    """The filters a line typed asks for, and what in it could not be read (said to the user)."""
    try:
        words = shlex.split(typed)
    except ValueError:
        words = typed.split()
    parties: list[str] = []
    kinds: list[str] = []
    stances: list[str] = []
    text: list[str] = []
    every = True
    first = last = None
    wrong: list[str] = []
    for word in words:
        name, _, value = word.partition(":")
        if name == "with" and value:
            if session.index is not None and session.index.kind_of(value) in ("person", "organization"):
                parties.append(value)
            else:
                wrong.append(f"no person or organization {value!r}")
        elif word == "any:" or word == "any":
            every = False
        elif name == "kind" and value in ("meeting", "statement"):
            kinds.append(value)
        elif name == "stance" and value in ("denies", "confirms", "amends", "mentions"):
            stances.append(value)
        elif name == "between" and value:
            try:
                span = FuzzyDate.parse(value)
            except DateError as error:
                wrong.append(str(error))
                continue
            first, last = span.lower.isoformat(), span.upper.isoformat()
        elif name in ("kind", "stance", "between", "with"):
            wrong.append(f"{word!r} is not a filter ({HELP})")
        else:
            text.append(word)
    return Filters(tuple(parties), every, tuple(kinds), tuple(stances), first, last, " ".join(text)), wrong


class ChronologyScreen(Screen):
    """Every meeting and statement in date order; enter opens one in the browser, and going back
    from there returns here with the filters as they were."""

    BINDINGS = bindings("chronology")

    def __init__(self, session: CasefileSession, typed: str = "") -> None:
        super().__init__()
        self.session = session
        self.typed = typed
        self.filters = Filters()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="chronology-panel") as panel:
            panel.border_title = "Chronology"
            yield Input(self.typed, placeholder=f"filter: {HELP}", id="chronology-filter", compact=True,
                        select_on_focus=False)
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
        self.records.set_rows(rows)
        panel = self.query_one("#chronology-panel")
        said = self.filters.said()
        panel.border_title = Text(f"Chronology · {one_line(said)}" if said else "Chronology")
        count = f"{len(rows):,} record{'s' * (len(rows) != 1)}"
        panel.border_subtitle = Text(f"{count} · {visible('; '.join(wrong))}" if wrong else count)

    def _rows(self) -> list[Row]:
        index = self.session.index
        assert self.session.casefile is not None and index is not None
        speakers: dict[str, str] = {}
        rows = []
        for entry in chronology_of(self.session.casefile.db, self.filters):
            title = entry.title
            if entry.speaker:
                if entry.speaker not in speakers:
                    speakers[entry.speaker] = visible(index.label_of(entry.speaker) or entry.speaker)
                title = f"{speakers[entry.speaker]}: {title}"
            rows.append(Row(entry.id, partial(timeline_prompt, entry, title), (title,), height=2))
        return rows

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
        self.query_one("#chronology-filter", Input).focus()

    def action_close(self) -> None:
        if self.query_one("#chronology-filter", Input).has_focus:
            self.records.focus()  # escape in the filter line leaves it, not the chronology
            return
        self.dismiss()

    @on(RecordList.Selected, "#chronology-list")
    def _chosen(self, event: RecordList.Selected) -> None:
        event.stop()
        self.dismiss(event.record_id)
