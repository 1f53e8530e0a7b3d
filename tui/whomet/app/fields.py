"""The fields a record form is made of, one per kind of value in the model.

Every field knows how to show a value, give back what was typed, and show an
error next to itself. Values are the TOML-shaped values the model validates.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ..model import DateError, FuzzyDate
from .text import visible

Empty = object()
"""What a field gives back when nothing was typed: the key is left out of the record."""


class Field(Vertical):
    """A labelled editor with a line for its error."""

    class Edited(Message):
        """Something was typed into a field."""

        def __init__(self, field: Field) -> None:
            super().__init__()
            self.field = field

    def __init__(self, name: str, label: str, *, required: bool = False, hint: str = "") -> None:
        super().__init__(classes="field")
        self.field_name = name
        self.label = label
        self.required = required
        self.hint = hint

    def compose(self) -> ComposeResult:
        title = Text(self.label, style="bold")
        if self.required:
            title.append(" *", style="bold red")
        if self.hint:
            title.append(f"  {self.hint}", style="dim")
        yield Label(title, classes="field-label")
        yield from self.compose_editor()
        yield Static("", classes="field-error")

    def compose_editor(self) -> ComposeResult:
        """The editor widgets, between the label and the error line; each kind of field has its own."""
        yield from ()

    def set_value(self, value: Any) -> None:
        """Show ``value`` (a TOML-shaped value; None or Empty for none)."""

    async def load(self, value: Any) -> None:
        """Show ``value`` once every widget it needs is mounted (a list mounts its rows)."""
        self.set_value(value)

    def show_error(self, message: str | None) -> None:
        error = self.query_one(".field-error", Static)
        error.update(Text(visible(message), style="bold red") if message else "")
        self.set_class(bool(message), "-invalid")

    def clear_errors(self) -> None:
        self.show_error(None)

    def error_at(self, loc: tuple[Any, ...], message: str) -> bool:
        """Show an error for ``loc`` (relative to this field); False if it is not this field's."""
        self.show_error(message)
        return True


class TextField(Field):
    def __init__(self, name: str, label: str, *, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(name, label, **kwargs)
        self.multiline = multiline

    def compose_editor(self) -> ComposeResult:
        if self.multiline:
            yield TextArea(soft_wrap=True, tab_behavior="focus", classes="editor multiline", compact=True)
        else:
            yield Input(classes="editor", select_on_focus=False, compact=True)

    @property
    def editor(self) -> Input | TextArea:
        return self.query_one(".editor")  # type: ignore[return-value]

    def get_value(self) -> Any:
        editor = self.editor
        text = editor.text if isinstance(editor, TextArea) else editor.value
        return text if text.strip() else Empty

    def set_value(self, value: Any) -> None:
        editor = self.editor
        text = "" if value is None or value is Empty else str(value)
        if isinstance(editor, TextArea):
            editor.load_text(text)
        else:
            editor.value = text

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self) -> None:
        self.post_message(self.Edited(self))


class LinesField(TextField):
    """A list of short texts, one per line (aliases, authors)."""

    def __init__(self, name: str, label: str, **kwargs: Any) -> None:
        super().__init__(name, label, multiline=True, hint="one per line", **kwargs)

    def get_value(self) -> Any:
        editor = self.editor
        assert isinstance(editor, TextArea)
        lines = [line.strip() for line in editor.text.splitlines() if line.strip()]
        return lines or Empty

    def set_value(self, value: Any) -> None:
        editor = self.editor
        assert isinstance(editor, TextArea)
        editor.load_text("\n".join(value if isinstance(value, list) else []))


class BoolField(Field):
    def compose_editor(self) -> ComposeResult:
        yield Checkbox(self.label, classes="editor", compact=True)

    def compose(self) -> ComposeResult:
        yield from self.compose_editor()
        yield Static("", classes="field-error")

    def get_value(self) -> Any:
        return self.query_one(Checkbox).value

    def set_value(self, value: Any) -> None:
        self.query_one(Checkbox).value = value is True

    @on(Checkbox.Changed)
    def _edited(self) -> None:
        self.post_message(self.Edited(self))


class ChoiceField(Field):
    def __init__(self, name: str, label: str, choices: tuple[str, ...], default: str | None, **kwargs: Any) -> None:
        super().__init__(name, label, **kwargs)
        self.choices = choices
        self.default = default

    def compose_editor(self) -> ComposeResult:
        yield Select([(choice, choice) for choice in self.choices], allow_blank=self.default is None,
                     value=self.default if self.default is not None else Select.NULL, classes="editor",
                     compact=True)

    def get_value(self) -> Any:
        value = self.query_one(Select).value
        return Empty if value is Select.NULL else value

    def set_value(self, value: Any) -> None:
        select = self.query_one(Select)
        if value in self.choices:
            select.value = value
        elif value is None or value is Empty:
            select.value = self.default if self.default is not None else Select.NULL

    @on(Select.Changed)
    def _edited(self) -> None:
        self.post_message(self.Edited(self))


class DateField(TextField):
    """A fuzzy date, read back as you type: "Sep 2016", "16–30 Apr 2016"."""

    def __init__(self, name: str, label: str, **kwargs: Any) -> None:
        super().__init__(name, label, hint="2016 · 2016-09 · 2016-09-08 · 2016-04-16/2016-04-30 · ~ approx. · ? uncertain",
                         **kwargs)

    def compose_editor(self) -> ComposeResult:
        with Horizontal(classes="date-row"):
            yield Input(classes="editor", select_on_focus=False, placeholder="e.g. 2016-09", compact=True)
            yield Static("", classes="date-reading")

    def on_mount(self) -> None:
        self._read()

    @on(Input.Changed)
    def _edited(self) -> None:
        self._read()
        self.post_message(self.Edited(self))

    def _read(self) -> None:
        reading = self.query_one(".date-reading", Static)
        text = self.query_one(Input).value.strip()
        if not text:
            reading.update("")
            self.show_error(None)
            return
        try:
            parsed = FuzzyDate.parse(text)
        except DateError as error:
            reading.update(Text("?", style="bold red"))
            self.show_error(str(error))
            return
        reading.update(Text(f"reads as {parsed.display()}", style="green"))
        self.show_error(None)
