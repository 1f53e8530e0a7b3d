"""The screens over the browser: help, problems, and a choice between several links."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..store import Problem
from .keybar import KeyBar
from .text import visible
from .textview import TextView


class HelpScreen(ModalScreen[None]):
    """Every key, where it works and what it does: the rows of ``keys.help_rows``.

    The rows are one Rich table, laid out again at each width by a line-drawn view: its last
    column wraps instead of being cut, so that every word of every key shows at 80 columns."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", key_display="esc"),
        # Help's own key closes it: with the id of help's binding, a keymap that moves one moves both.
        Binding("question_mark,f1", "dismiss", "Close", show=False, id="help"),
    ]
    STRIPE = 0.06
    """How far every other row's background goes towards the text's colour: rows that wrap stay
    told apart."""

    def __init__(self, keys: Sequence[Sequence[str]]) -> None:
        """``keys``: rows of (key, where, does), such as ``keys.help_rows(keymap)``."""
        super().__init__()
        self._keys = [(row[0], row[1], row[2]) for row in keys]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "esc closes"
            yield TextView(id="help-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        # Here rather than in compose: the view's colours, which the stripes are made from, are
        # known once the screen is mounted (before its first paint).
        view = self.query_one("#help-keys", TextView)
        view.update(self._table(view.rich_style))

    def _table(self, base: Style) -> Table:
        stripe = Style()
        if base.bgcolor is not None and base.color is not None:
            background, text = Color.from_rich_color(base.bgcolor), Color.from_rich_color(base.color)
            stripe = Style(bgcolor=background.blend(text, self.STRIPE).rich_color)
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False, padding=(0, 1),
                      header_style="bold", row_styles=[Style(), stripe])
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Where", style="dim", max_width=20)
        table.add_column("Does", ratio=1)
        for key, where, does in self._keys:
            table.add_row(Text(key), Text(where), Text(does))
        return table

    def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class ProblemsScreen(ModalScreen[None]):
    """The casefile's problems: file, line, severity, code and message."""

    BINDINGS = [Binding("escape,q,p", "dismiss", "Close", key_display="esc")]

    def __init__(self, problems: list[Problem], base: Path, summary: str = "") -> None:
        super().__init__()
        self._problems = problems
        self._base = base
        self._summary = summary
        """What the check of quotes against archives found, when there are archives."""

    def compose(self) -> ComposeResult:
        errors = sum(p.severity == "error" for p in self._problems)
        warnings = len(self._problems) - errors
        with Vertical(id="problems-dialog", classes="dialog") as dialog:
            dialog.border_title = f"Problems: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
            dialog.border_subtitle = f"{self._summary} · esc closes" if self._summary else "esc closes"
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
