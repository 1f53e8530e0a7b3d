"""Two versions of one record, field by field: the file as it is on disk now, and the form's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..model import Record
from ..model.records import REFERENCE_KINDS
from .keybar import KeyBar
from .text import one_line

Describe = Callable[[str], str | None]


def differing(base: Record, theirs: Record, mine: Record) -> list[tuple[str, bool]]:
    """The fields where the file on disk and the form differ, each with whether the form's value
    is the one to keep by default: yours where you changed the field, theirs where only they did."""
    before, on_disk, typed = base.field_values(), theirs.field_values(), mine.field_values()
    return [(name, typed.get(name) != before.get(name))
            for name in type(mine).model_fields if name != "id" and on_disk.get(name) != typed.get(name)]


def shown(value: Any, describe: Describe, key: str = "") -> str:
    """A value on one line, references by name."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        if not value:
            return "(none)"
        return f"{len(value)}: " + "; ".join(shown(entry, describe, key) for entry in value)
    if isinstance(value, dict):
        return ", ".join(shown(inner, describe, name) for name, inner in value.items())
    if isinstance(value, str) and key in REFERENCE_KINDS:
        return describe(value) or value
    return one_line(str(value)) if isinstance(value, str) else str(value).lower()


class ConflictScreen(ModalScreen[dict[str, Any] | None]):
    """Choose, for each field that differs, the version on disk or yours; the merge goes back to
    the form, which then edits the file as it is now."""

    BINDINGS = [
        Binding("space,left,right", "toggle", "Switch", key_display="space"),
        Binding("t", "all('theirs')", "All on disk"),
        Binding("y", "all('yours')", "All yours"),
        Binding("ctrl+s", "merge", "Use these", priority=True),
        Binding("escape", "dismiss(None)", "Back to the form", key_display="esc"),
    ]

    def __init__(self, base: Record, theirs: Record, mine: Record, describe: Describe) -> None:
        super().__init__()
        # Defaults included: ``false`` is a value to choose, not an absence.
        self._theirs = theirs.field_values()
        self._mine = mine.field_values()
        self._describe = describe
        self._fields = differing(base, theirs, mine)
        self.keep_mine = {name: mine_first for name, mine_first in self._fields}

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-dialog", classes="dialog") as dialog:
            dialog.border_title = "The file changed on disk while you edited it"
            dialog.border_subtitle = "space switches · ctrl+s uses these · esc goes back"
            yield Static(Text(
                "Choose, for each field, the version to keep: the one now on disk, or yours. "
                "Fields that only one side changed are chosen already.", style="dim"), id="conflict-help")
            yield OptionList(*self._options(), id="conflict-fields", markup=False)
        yield KeyBar()

    def _options(self) -> list[Option]:
        return [Option(self._prompt(name), id=name) for name, _ in self._fields]

    def _prompt(self, name: str) -> Text:
        mine = self.keep_mine[name]
        prompt = Text(name.replace("_", " "), style="bold")
        for label, side, chosen in (("on disk", self._theirs, not mine), ("yours", self._mine, mine)):
            prompt.append("\n  ")
            prompt.append("● " if chosen else "○ ", style="bold green" if chosen else "dim")
            prompt.append(f"{label}: ", style="bold" if chosen else "dim")
            prompt.append(shown(side.get(name), self._describe, name), style="" if chosen else "dim")
        return prompt

    def _redraw(self, name: str) -> None:
        options = self.query_one(OptionList)
        options.replace_option_prompt(name, self._prompt(name))

    def action_toggle(self) -> None:
        options = self.query_one(OptionList)
        option = options.highlighted_option
        if option is None or option.id is None:
            return
        self.keep_mine[option.id] = not self.keep_mine[option.id]
        self._redraw(option.id)

    def action_all(self, side: str) -> None:
        for name in self.keep_mine:
            self.keep_mine[name] = side == "yours"
            self._redraw(name)

    def merged(self) -> dict[str, Any]:
        """The record's values as chosen: the file's, with yours where you kept yours."""
        values = dict(self._theirs)
        for name, mine in self.keep_mine.items():
            if not mine:
                continue
            if name in self._mine:
                values[name] = self._mine[name]
            else:
                values.pop(name, None)
        return values

    def action_merge(self) -> None:
        self.dismiss(self.merged())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle()
