"""A record list under a filter line: the people panel and the timeline panel are made of one."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from .keys import bindings, keys_for
from .lists import Matcher, RecordList, Row, keys_text, matching_rows, substring_matcher


class FilteredList(Vertical):
    """A filter line over a record list; ``/`` opens the filter and ``escape`` clears it."""

    BINDINGS = bindings("lists")

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
        self._keys_text: str | None = None
        """The rows' keys for the filter, made when first filtered."""
        self._matcher = matcher
        self._rank = rank
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        # The list comes first, so that it is what a screen focuses by itself (the filter, docked
        # above it, would be shown for a moment, and the first screen laid out twice).
        yield RecordList(classes="records")
        # Not selected on focus: letters that reached it before its focus event would be replaced
        # by the next one typed.
        yield Input(placeholder=self._placeholder, classes="filter", compact=True, select_on_focus=False)

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
        self._keys_text = None
        self._refill(highlight)

    def _visible_rows(self) -> list[Row]:
        query = self.query_text
        if not query:
            return self._rows
        return matching_rows(self._rows, query, self._matcher, self._rank, self._filter_keys())

    def _filter_keys(self) -> str:
        """:func:`keys_text` of the rows, made once per filling."""
        if self._keys_text is None:
            self._keys_text = keys_text(self._rows)
        return self._keys_text

    def _refill(self, highlight: str | None) -> None:
        records = self.records
        with records.prevent(RecordList.Highlighted):
            records.set_rows(self._visible_rows(), highlight)
        self.set_class(bool(self.query_text), "-filtering")

    def action_start_filter(self) -> None:
        self._filter_keys()  # made as the filter opens, so that the first letter typed answers sooner
        self.add_class("-filtering")
        self.screen.set_focus(self.filter_input)  # at once: see on_key

    def on_key(self, event: events.Key) -> None:
        # The app sends each key to the widget focused when it arrives, and runs the bindings
        # only once that widget has passed it back. The letters of a quick "/kis" (or a paste)
        # are therefore all sent to the list, ahead of the slash's binding: the filter opens
        # here, as the slash comes back from the list, and the letters behind it go to the
        # filter. (The filter's input keeps the letters typed in it: they do not come here.)
        filtering = self.screen.focused is self.filter_input  # has_focus follows a moment later
        if event.key in keys_for("filter", getattr(self.app, "keymap", None)).split(",") and not filtering:
            event.stop()
            event.prevent_default()
            self.action_start_filter()
        elif event.is_printable and event.character is not None and filtering:
            event.stop()
            event.prevent_default()
            self.filter_input.insert_text_at_cursor(event.character)

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
        # A ranked list puts the cursor on the best match of what is typed so far, as a finder
        # does; a list in its own order keeps the cursor where it was while that row still shows.
        self._refill(None if self._rank and self.query_text else self.records.highlighted_id)
        self.post_message(self.Filtered(self))

    @on(Input.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.records.focus()
