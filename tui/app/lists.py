"""Lists of records with a filter line: the people panel and the timeline panel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a list: the record it stands for, what it shows, what a filter matches."""

    record_id: str | None
    prompt: Text
    keys: tuple[str, ...] = ()
    """Texts the filter matches against; a row without keys is a heading."""


Matcher = Callable[[str, Sequence[str]], float | None]


def substring_matcher(query: str, keys: Sequence[str]) -> float | None:
    folded = query.casefold()
    return 1.0 if any(folded in key.casefold() for key in keys) else None


class RecordList(OptionList):
    """An option list whose options are records, moved through with arrows or j/k."""

    BINDINGS = [
        Binding("enter", "select", "Open"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # Prompts are Rich Text built from record text; nothing in them is markup.
        super().__init__(id=id, classes=classes, markup=False)

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def highlight_id(self, record_id: str | None) -> bool:
        """Put the cursor on a record; False when the list does not show it."""
        if record_id is None:
            return False
        try:
            index = self.get_option_index(record_id)
        except Exception:
            return False
        self.highlighted = index
        return True


class FilteredList(Vertical):
    """A filter line over a record list; ``/`` opens the filter and ``escape`` clears it."""

    BINDINGS = [
        Binding("slash", "start_filter", "Filter", key_display="/"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    class Filtered(Message):
        """The rows shown changed because the filter did."""

        def __init__(self, filtered_list: FilteredList) -> None:
            super().__init__()
            self.filtered_list = filtered_list

        @property
        def control(self) -> FilteredList:
            return self.filtered_list

    def __init__(
        self,
        *,
        placeholder: str,
        matcher: Matcher = substring_matcher,
        rank: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._rows: list[Row] = []
        self._matcher = matcher
        self._rank = rank
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, classes="filter", compact=True)
        yield RecordList(classes="records")

    @property
    def records(self) -> RecordList:
        return self.query_one(RecordList)

    @property
    def filter_input(self) -> Input:
        return self.query_one(Input)

    @property
    def query_text(self) -> str:
        return self.filter_input.value.strip()

    def set_rows(self, rows: list[Row], highlight: str | None = None) -> None:
        """Show ``rows`` (through the current filter), the cursor on ``highlight`` if shown."""
        self._rows = rows
        self._refill(highlight)

    def _visible_rows(self) -> list[Row]:
        query = self.query_text
        if not query:
            return self._rows
        scored = [
            (score, position, row)
            for position, row in enumerate(self._rows)
            if row.keys and (score := self._matcher(query, row.keys)) is not None
        ]
        if self._rank:
            scored.sort(key=lambda item: (-item[0], item[1]))
        return [row for _, _, row in scored]

    def _refill(self, highlight: str | None) -> None:
        records = self.records
        shown = self._visible_rows()
        with records.prevent(OptionList.OptionHighlighted):
            records.clear_options()
            records.add_options(
                Option(row.prompt, id=row.record_id, disabled=row.record_id is None) for row in shown
            )
            if not records.highlight_id(highlight):
                first = next((i for i, row in enumerate(shown) if row.record_id), None)
                records.highlighted = first
        self.set_class(bool(self.query_text), "-filtering")

    def action_start_filter(self) -> None:
        self.add_class("-filtering")
        self.filter_input.focus()

    def action_clear_filter(self) -> None:
        self.clear_filter()
        self.records.focus()

    def clear_filter(self) -> None:
        """Show every row again, at once, keeping the cursor where it was."""
        if self.query_text:
            with self.filter_input.prevent(Input.Changed):
                self.filter_input.value = ""
            self._refill(self.records.highlighted_id)
        self.remove_class("-filtering")

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        current = self.records.highlighted_id
        self._refill(current)
        self.post_message(self.Filtered(self))

    @on(Input.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.records.focus()
