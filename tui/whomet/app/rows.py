"""A field holding a list of entries (roles, participants, citations), each a group of fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Button

from .fields import Empty, Field


class RowsField(Field):
    """A list of entries (roles, participants, citations...), each a group of fields."""

    def __init__(self, name: str, label: str, make_row: Callable[[], list[Field]], noun: str,
                 *, scalar: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, label, **kwargs)
        self._make_row = make_row
        self.noun = noun
        self.scalar = scalar
        """For a list of plain values (a role's sources): the one field each row has."""

    def compose_editor(self) -> ComposeResult:
        yield Vertical(classes="rows")
        yield Button(f"+ add {self.noun}", classes="add-row", compact=True)

    @property
    def rows(self) -> list[Row]:
        return list(self.query_one(".rows").query_children(Row))

    async def add_row(self, focus: bool = True) -> Row:
        row = Row(self._make_row(), self.noun, len(self.rows) + 1)
        # Mounted before the form hears of it: the form reads every field at once, and a list
        # inside the new row (a role's sources) has no rows to read until it is composed.
        await self.query_one(".rows").mount(row)
        if focus:
            row.call_after_refresh(row.focus_first)
        self.post_message(self.Edited(self))
        return row

    def get_value(self) -> Any:
        values = [row.get_value() for row in self.rows]
        if self.scalar:
            values = [v.get(self.scalar, "") for v in values]
        return values or Empty

    def set_value(self, value: Any) -> None:
        raise TypeError("a list's rows are mounted: use 'await load(value)'")

    async def load(self, value: Any) -> None:
        rows = self.query_one(".rows")
        await rows.remove_children()
        for number, entry in enumerate(value or [], start=1):
            row = Row(self._make_row(), self.noun, number)
            await rows.mount(row)
            await row.fill({self.scalar: entry} if self.scalar else entry)

    def clear_errors(self) -> None:
        self.show_error(None)
        for row in self.rows:
            for field in row.fields:
                field.clear_errors()

    def error_at(self, loc: tuple[Any, ...], message: str) -> bool:
        if loc and isinstance(loc[0], int) and loc[0] < len(self.rows):
            row = self.rows[loc[0]]
            inner = loc[1:] if not self.scalar else (self.scalar,)
            if inner:
                for field in row.fields:
                    if field.field_name == inner[0]:
                        return field.error_at(inner[1:], message)
        self.show_error(message)
        return True

    @on(Button.Pressed, ".add-row")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_row()

    @on(Button.Pressed, ".remove-row")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        row = next(ancestor for ancestor in event.button.ancestors if isinstance(ancestor, Row))
        row.remove()
        self.call_after_refresh(self._renumber)
        self.query_one(".add-row", Button).focus()
        self.post_message(self.Edited(self))

    def _renumber(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            row.border_title = f"{self.noun} {number}"


class Row(Vertical):
    """One entry of a list field."""

    def __init__(self, fields: list[Field], noun: str, number: int) -> None:
        super().__init__(classes="row")
        self.fields = fields
        self.border_title = f"{noun} {number}"
        self._noun = noun

    def compose(self) -> ComposeResult:
        yield from self.fields
        yield Button(f"− remove this {self._noun}", classes="remove-row", compact=True)

    def get_value(self) -> dict[str, Any]:
        values = {field.field_name: field.get_value() for field in self.fields}
        return {key: value for key, value in values.items() if value is not Empty}

    async def fill(self, data: dict[str, Any]) -> None:
        for field in self.fields:
            await field.load(data.get(field.field_name))

    def focus_first(self) -> None:
        for widget in self.query("Input, TextArea, Select, Checkbox"):
            if isinstance(widget, Widget) and widget.focusable:
                widget.focus()
                return
