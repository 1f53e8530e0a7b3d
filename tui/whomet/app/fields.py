"""The fields a record form is made of, one per kind of value in the model.

Every field knows how to show a value, give back what was typed, and show an
error next to itself. Values are the TOML-shaped values the model validates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ..model import DateError, FuzzyDate
from .text import one_line, visible

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


class ReferencePicked(Message):
    """A reference field asks for a new record of one of its kinds, named as typed."""

    def __init__(self, picker: ReferenceField, kind: str, name: str) -> None:
        super().__init__()
        self.picker = picker
        self.kind = kind
        self.name = name


Suggest = Callable[[str, tuple[str, ...]], list[tuple[str, str, str]]]
"""Given typed text and the kinds wanted: (id, kind, label) of the records that match, best first."""

Describe = Callable[[str], str | None]
"""The label of a record by id, or None when there is no such record."""


class ReferenceField(Field):
    """A reference picked by typing part of a name, from suggestions out of the casefile."""

    BINDINGS = [
        Binding("down", "suggestion(1)", "Next suggestion", show=False),
        Binding("up", "suggestion(-1)", "Previous suggestion", show=False),
        Binding("escape", "close_suggestions", "Close suggestions", show=False),
    ]

    def __init__(self, name: str, label: str, kinds: tuple[str, ...], suggest: Suggest, describe: Describe,
                 **kwargs: Any) -> None:
        super().__init__(name, label, hint=" or ".join(kinds), **kwargs)
        self.kinds = kinds
        self._suggest = suggest
        self._describe = describe
        self.value: str | None = None
        self._shown = ""
        """The text the field itself put in the editor for the picked record."""

    def compose_editor(self) -> ComposeResult:
        yield Input(classes="editor", select_on_focus=True, placeholder="type part of a name", compact=True)
        yield OptionList(classes="suggestions", markup=False)

    @property
    def editor(self) -> Input:
        return self.query_one(Input)

    @property
    def suggestions(self) -> OptionList:
        return self.query_one(".suggestions", OptionList)

    def get_value(self) -> Any:
        if self.value is not None:
            return self.value
        return "" if self.editor.value.strip() else Empty

    def set_value(self, value: Any) -> None:
        value = value if isinstance(value, str) else None
        self.value = value or None
        label = self._describe(value) if value else None
        self._shown = label or (value or "")
        self.editor.value = self._shown

    def pick(self, record_id: str) -> None:
        """Take ``record_id`` as the value and show its name."""
        self.set_value(record_id)
        self._hide_suggestions()
        self.show_error(None)
        self.post_message(self.Edited(self))

    def error_at(self, loc: tuple[Any, ...], message: str) -> bool:
        if self.value is None and self.editor.value.strip():
            message = f"“{self.editor.value.strip()}” is not picked: choose a suggestion, or create it"
        self.show_error(message)
        return True

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.value is not None and event.value == self._shown:
            return  # the change is the picked record's name being shown, not typing
        self.value = None
        text = event.value.strip()
        suggestions = self.suggestions
        suggestions.clear_options()
        if not text:
            self._hide_suggestions()
            self.post_message(self.Edited(self))
            return
        for record_id, kind, label in self._suggest(text, self.kinds)[:8]:
            prompt = Text(one_line(label))
            prompt.append(f"  {kind} · {record_id}", style="dim")
            suggestions.add_option(Option(prompt, id=f"pick:{record_id}"))
        for kind in self.kinds:
            prompt = Text(f"+ new {kind} “{one_line(text)}”…", style="italic")
            suggestions.add_option(Option(prompt, id=f"new:{kind}"))
        suggestions.highlighted = 0
        self.add_class("-suggesting")
        self.post_message(self.Edited(self))

    def action_suggestion(self, step: int) -> None:
        if not self.has_class("-suggesting"):
            self.app.action_focus_next() if step > 0 else self.app.action_focus_previous()
            return
        suggestions = self.suggestions
        if suggestions.option_count:
            current = suggestions.highlighted or 0
            suggestions.highlighted = (current + step) % suggestions.option_count

    def action_close_suggestions(self) -> None:
        if not self.has_class("-suggesting"):
            raise SkipAction()  # escape then means what it means to the form: cancel
        self._hide_suggestions()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.has_class("-suggesting"):
            option = self.suggestions.highlighted_option
            if option is not None:
                self._choose(option.id or "")

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id or "")

    def _choose(self, choice: str) -> None:
        what, _, rest = choice.partition(":")
        if what == "pick":
            self.pick(rest)
        elif what == "new":
            self._hide_suggestions()
            self.post_message(ReferencePicked(self, rest, self.editor.value.strip()))

    def _hide_suggestions(self) -> None:
        self.remove_class("-suggesting")

    def on_descendant_blur(self) -> None:
        if not self.editor.has_focus and not self.suggestions.has_focus:
            self._hide_suggestions()


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

    def add_row(self, focus: bool = True) -> Row:
        row = Row(self._make_row(), self.noun, len(self.rows) + 1)
        self.query_one(".rows").mount(row)
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
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.add_row()

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
