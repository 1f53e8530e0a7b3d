"""The screens over the browser: help, problems, and a choice between several links."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..store import Problem
from .keybar import KeyBar
from .text import visible


class HelpScreen(ModalScreen[None]):
    """Every key of the browser, where it applies and what it does."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", key_display="esc"),
    ]

    def __init__(self, keys: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self._keys = keys

    def compose(self) -> ComposeResult:
        table: DataTable[str | Text] = DataTable(cursor_type="row", zebra_stripes=True, id="help-keys")
        table.add_columns("Key", "Where", "Does")
        for key, where, does in self._keys:
            table.add_row(Text(key, style="bold"), where, does)
        with Vertical(id="help-dialog", classes="dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "esc closes"
            yield table
        yield KeyBar()

    def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class ProblemsScreen(ModalScreen[None]):
    """The casefile's problems: file, line, severity, code and message."""

    BINDINGS = [Binding("escape,q,p", "dismiss", "Close", key_display="esc")]

    def __init__(self, problems: list[Problem], base: Path) -> None:
        super().__init__()
        self._problems = problems
        self._base = base

    def compose(self) -> ComposeResult:
        errors = sum(p.severity == "error" for p in self._problems)
        warnings = len(self._problems) - errors
        with Vertical(id="problems-dialog", classes="dialog") as dialog:
            dialog.border_title = f"Problems: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
            dialog.border_subtitle = "esc closes"
            if not self._problems:
                yield Static("The casefile has no problems.", id="no-problems")
            else:
                yield OptionList(*(self._option(p) for p in self._problems), id="problems-list", markup=False)
        yield KeyBar()

    def _option(self, problem: Problem) -> Option:
        style = "bold red" if problem.severity == "error" else "yellow"
        text = Text(visible(problem.location(self._base)), style="bold")
        text.append(f"  {problem.severity} ", style=style)
        text.append(problem.code, style="dim")
        text.append("\n  " + visible(problem.message))
        return Option(text)

    def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class ChoiceScreen(ModalScreen[str | None]):
    """Pick one of several records to jump to; escape picks none."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, title: str | Text, choices: list[tuple[str, Text]]) -> None:
        super().__init__()
        self._title = title
        self._choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog", classes="dialog") as dialog:
            dialog.border_title = self._title
            dialog.border_subtitle = "enter jumps · esc cancels"
            yield OptionList(*(Option(label, id=target) for target, label in self._choices), id="choices",
                             markup=False)
        yield KeyBar()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question; escape and n answer no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, detail: str | Text, yes: str = "Yes") -> None:
        super().__init__()
        self._question = question
        self._detail = detail
        self._yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog") as dialog:
            dialog.border_title = self._question
            dialog.border_subtitle = f"y: {self._yes.lower()} · n or esc: no"
            yield Static(self._detail if isinstance(self._detail, Text) else Text(self._detail), id="confirm-detail")
        yield KeyBar()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class MessageScreen(ModalScreen[None]):
    """Something the reader must read before going on."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", key_display="esc")]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="message-dialog", classes="dialog") as dialog:
            dialog.border_title = self._title
            dialog.border_subtitle = "esc closes"
            with VerticalScroll():
                yield Static(self._body, id="message-body")
        yield KeyBar()

    def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class PathScreen(ModalScreen[Path | None]):
    """Ask for a file to write, proposing one."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, proposed: Path) -> None:
        super().__init__()
        self._title = title
        self._proposed = proposed

    def compose(self) -> ComposeResult:
        with Vertical(id="path-dialog", classes="dialog") as dialog:
            dialog.border_title = self._title
            dialog.border_subtitle = "enter writes · esc cancels"
            yield Static("Write to:")
            yield Input(str(self._proposed), id="path-input")
        yield KeyBar()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
