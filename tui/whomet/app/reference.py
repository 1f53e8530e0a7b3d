"""A field that names another record, picked by typing part of its name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from .fields import Empty, Field
from .text import one_line


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
