"""Records edited in the reader's own text editor: running it.

``E`` opens the file of the record in detail in ``$VISUAL`` or ``$EDITOR`` at the line of the field
in focus; ``A`` writes a new record's file from a commented template of its kind and opens that.
The app is suspended while the editor runs; when it closes, the file is read again, the panels
follow, and what is wrong with the file is shown at once, by line, with a key to edit it again.
Which editor and how it is told the line are in ``editor_command``, where a field is in a file in
``field_lines``, the template in ``templates``.

Nothing here writes over a file: the editor writes the reader's own words, a template is only
ever made as a new file, and a file is only ever removed when it still holds exactly the template
it was made with (or nothing at all).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import SuspendNotSupported
from textual.binding import Binding
from textual.widgets import OptionList

from ..model.kinds import FOLDER_OF
from ..store import Problem
from .editor_command import Editor, find_editor
from .field_lines import field_line, focused_field
from .screens import ChoiceScreen, ConfirmScreen, ProblemsScreen
from .templates import free_id, template
from .text import one_line, visible

if TYPE_CHECKING:
    from ..model import Record
    from .browser import BrowserScreen
    from .session import CasefileSession


def run_editor(app: Any, argv: Sequence[str], cwd: Path) -> int | str:
    """Run ``argv`` with the app suspended (or, where it cannot be, as it is): the editor's exit
    status, or why it could not be started."""

    def run() -> int | str:
        try:
            return subprocess.run(list(argv), cwd=cwd, check=False).returncode
        except OSError as error:
            return f"{argv[0]}: {error.strerror or error}"

    try:
        with app.suspend():
            return run()
    except SuspendNotSupported:
        return run()


class EditedProblemsScreen(ProblemsScreen):
    """The problems of the file just edited: ``e`` (or ``enter`` on one) opens the editor again at
    a problem's line, ``escape`` leaves the file as it is, ``d`` removes a new record's file."""

    BINDINGS = [
        Binding("e", "again", "Edit again"),
        Binding("d", "discard", "Discard the file"),
    ]

    def __init__(self, problems: list[Problem], base: Path, where: str, *, new: bool) -> None:
        super().__init__(problems, base)
        self._where = where
        self._new = new
        self.choice: tuple[str, int | None] | None = None
        """What the reader chose: ("again", the line to open at) or ("discard", None); None to
        leave the file as it is."""

    def on_mount(self) -> None:
        errors = sum(p.severity == "error" for p in self._problems)
        warnings = len(self._problems) - errors
        dialog = self.query_one("#problems-dialog")
        counts = [f"{count} {noun}{'s' * (count != 1)}" for count, noun in ((errors, "error"), (warnings, "warning"))
                  if count]
        dialog.border_title = Text(f"{visible(self._where)}: {', '.join(counts)}")
        keys = "e or enter: edit again at the problem · esc: leave the file as it is"
        dialog.border_subtitle = keys + (" · d: discard the file" if self._new else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._new if action == "discard" else True

    def _line(self) -> int | None:
        options = self.query(OptionList)
        if not options:
            return None
        highlighted = options.first().highlighted
        problem = self._problems[highlighted] if highlighted is not None else self._problems[0]
        return problem.line

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choice = ("again", self._problems[event.option_index].line)
        self.dismiss(None)

    def action_again(self) -> None:
        self.choice = ("again", self._line())
        self.dismiss(None)

    def action_discard(self) -> None:
        if self._new:
            self.choice = ("discard", None)
            self.dismiss(None)


@dataclass
class EditorRun:
    """One record's file in the editor, and what is done when the editor closes."""

    browser: BrowserScreen
    editor: Editor
    path: Path
    kind: str
    new: bool = False
    """Whether the file was made from ``made`` for a new record."""
    made: bytes = b""
    """The template a new record's file was made with."""
    placeholder: str = ""
    """The id a new record's file was made under, until it is named from the record."""

    @property
    def app(self) -> Any:
        return self.browser.app

    @property
    def session(self) -> CasefileSession:
        return self.browser.session

    @property
    def where(self) -> str:
        try:
            return str(self.path.relative_to(self.session.folder))
        except ValueError:
            return str(self.path)

    def _notify(self, message: str, severity: str = "information", timeout: float = 6) -> None:
        self.app.notify(message, severity=severity, timeout=timeout, markup=False)

    def _said(self, message: str) -> str:
        told = self.editor.said()
        return f"{message} {told}" if told else message

    def start(self, line: int = 1) -> None:
        """Open the editor at ``line``; what was written is taken in when it closes."""
        try:
            before: bytes | None = self.path.read_bytes()
        except OSError:
            before = None
        status = run_editor(self.app, self.editor.command(self.path, max(line, 1)), self.session.folder)
        if isinstance(status, str):
            self._notify(self._said(f"The editor could not be started: {status}"), "error", 10)
            if self.new:
                self._discard_if_untouched(quiet=True)
            return
        self.closed(before, status)

    def closed(self, before: bytes | None, status: int) -> None:
        exited = f" (the editor exited with status {status})" if status else ""
        try:
            now: bytes | None = self.path.read_bytes()
        except FileNotFoundError:
            now = None
        except OSError as error:
            self._notify(self._said(f"{self.where} cannot be read again: {error.strerror or error}{exited}"),
                         "error", 10)
            return
        if now is None:
            self.session.reload()
            what = "Nothing made" if self.new else f"{self.where} is gone"
            self._notify(self._said(f"{what}: the file was removed or moved in the editor{exited}."), "warning", 8)
            return
        if self.new:
            self.new_closed(now, exited)
            return
        if now == before:
            remain = len(self._problems())
            still = f" {remain} problem{'s remain' if remain != 1 else ' remains'} in it: p lists them." if remain else ""
            self._notify(self._said(f"No change to {self.where}{exited}.{still}"), timeout=5)
            return
        record_id = self.path.stem
        shown_before = self.browser.current_record()
        self.session.reload()
        problems = self._problems()
        record = self.session.get(record_id)
        if record is not None and (shown_before is None or shown_before.id != record_id):
            self.browser.go_to_record(record_id)  # back in the casefile: shown again
        self._told(problems, f"Read {self.where} again{exited}.")

    def new_closed(self, now: bytes, exited: str) -> None:
        if not now.strip() or now == self.made:
            self._discard_if_untouched()
            return
        from ..model import KINDS
        from ..store import read_record

        found: list[Problem] = []
        record, _stamp = read_record(self.path, KINDS[self.kind], found)
        if record is not None and self.placeholder and self.path.stem == self.placeholder:
            self._name_from(record)
        self.session.reload()
        problems = self._problems()
        record_id = self.path.stem
        if self.session.get(record_id) is not None:
            self.browser.go_to_record(record_id)
            label = one_line(self.session.label(record_id) or record_id)
            self._told(problems, f"Made {self.where}: {label}{exited}.")
        else:
            self._told(problems, f"Kept {self.where}: it is not a record yet{exited}.")

    def _name_from(self, record: Record) -> None:
        """Give a new record's file the id the form would, never over another file."""
        wanted = self.session.proposed_id(record.kind, record.field_values())
        if not wanted or wanted == self.path.stem:
            return
        target = self.path.with_name(f"{wanted}.toml")
        try:
            os.link(self.path, target)  # fails if the name is taken meanwhile: nothing is overwritten
        except FileExistsError:
            return
        except OSError:  # no hard links here: a copy made only as a new file
            try:
                data = self.path.read_bytes()
                with open(target, "xb") as copy:
                    copy.write(data)
                    copy.flush()
                    os.fsync(copy.fileno())
            except OSError:
                return
        try:
            os.unlink(self.path)
        except OSError:
            return
        self.path = target

    def _discard_if_untouched(self, *, quiet: bool = False) -> None:
        """Remove a new record's file that holds nothing but its template, or nothing at all."""
        try:
            now = self.path.read_bytes()
        except OSError:
            now = None
        if now is not None and (now == self.made or not now.strip()):
            try:
                os.unlink(self.path)
            except OSError as error:
                self._notify(f"{self.where} could not be removed: {error.strerror or error}", "warning", 8)
                return
        self.session.reload()
        if not quiet:
            self._notify(self._said(f"Nothing made: the template was left as it was, so {self.where} "
                                    "was removed again."), timeout=6)

    def _problems(self) -> list[Problem]:
        casefile = self.session.casefile
        if casefile is None:
            return []
        here = os.path.abspath(self.path)
        return [problem for problem in casefile.problems if os.path.abspath(problem.path) == here]

    def _told(self, problems: list[Problem], done: str) -> None:
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:
            self._show_problems(problems)
            first = errors[0]
            self._notify(self._said(f"{first.location(self.session.folder)}: {first.message}"), "error", 10)
        elif problems:
            first = problems[0]
            more = f" (and {len(problems) - 1} more: p lists them)" if len(problems) > 1 else ""
            self._notify(self._said(f"{done} {first.location(self.session.folder)}: warning: "
                                    f"{first.message}{more}"), "warning", 10)
        else:
            self._notify(self._said(done), timeout=4)

    def _show_problems(self, problems: list[Problem]) -> None:
        screen = EditedProblemsScreen(problems, self.session.folder, self.where, new=self.new)
        self.app.push_screen(screen, lambda _: self._chosen(screen.choice))

    def _chosen(self, choice: tuple[str, int | None] | None) -> None:
        if choice is None:
            return
        what, line = choice
        if what == "again":
            self.start(line or 1)
        elif what == "discard":
            self.app.push_screen(
                ConfirmScreen("Discard this file?", Text(f"{visible(self.where)} is removed, with what you wrote "
                                                         "in it."), "Discard"),
                lambda yes: self._discard() if yes else None)

    def _discard(self) -> None:
        try:
            os.unlink(self.path)
        except OSError as error:
            self._notify(f"{self.where} could not be removed: {error.strerror or error}", "error", 8)
            return
        self.session.reload()
        self._notify(f"Discarded {self.where}.", timeout=4)


def _editor_or_say(browser: BrowserScreen) -> Editor | None:
    editor = find_editor()
    if editor is None:
        browser.app.notify("No editor found: set $EDITOR (or $VISUAL) to the command of your editor, "
                           "such as EDITOR=nano or EDITOR=\"code --wait\".", severity="error", timeout=10,
                           markup=False)
    return editor


def open_in_editor(browser: BrowserScreen) -> None:
    """Open the record in detail in the reader's editor, at the line of the field in focus."""
    session = browser.session
    if session.casefile is None or session.index is None:
        browser.app.notify("The casefile is still loading.", timeout=3)
        return
    record = browser.current_record()
    if record is None:
        browser.app.notify("Select a record to open in the editor.", timeout=3)
        return
    path = session.casefile.path_of(record.id)
    if path is None:
        browser.app.notify(f"{visible(record.id)} has no file in the casefile.", severity="error", timeout=6,
                           markup=False)
        return
    editor = _editor_or_say(browser)
    if editor is None:
        return
    line = 1
    loc = focused_field(browser, record)
    if loc is not None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = ""
        line = field_line(text, loc) or 1
    EditorRun(browser, editor, path, record.kind).start(line)


def new_in_editor(browser: BrowserScreen) -> None:
    """Ask which kind of record to make, then make its file from a template and open that."""
    if browser.session.index is None:
        browser.app.notify("The casefile is still loading.", timeout=3)
        return
    choices = [(kind, Text(f"{kind}", style="bold")) for kind in FOLDER_OF]
    browser.app.push_screen(ChoiceScreen("New record in the editor: which kind?", choices),
                            lambda kind: make_in_editor(browser, kind) if kind else None)


def make_in_editor(browser: BrowserScreen, kind: str) -> None:
    """Write a new ``kind`` record's template under a free id, never over a file, and open it."""
    session = browser.session
    editor = _editor_or_say(browser)
    if editor is None or kind not in FOLDER_OF:
        return
    folder = session.folder / FOLDER_OF[kind]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        browser.app.notify(f"Cannot make {FOLDER_OF[kind]}/: {error.strerror or error}", severity="error",
                           timeout=8, markup=False)
        return
    for _ in range(1000):
        record_id = free_id(session, kind)
        data = template(kind, record_id).encode("utf-8")
        path = folder / f"{record_id}.toml"
        try:
            with open(path, "xb") as made:  # only ever a new file
                made.write(data)
        except FileExistsError:
            continue  # made meanwhile, by someone else: the next free id
        except OSError as error:
            browser.app.notify(f"Cannot write {FOLDER_OF[kind]}/{record_id}.toml: {error.strerror or error}",
                               severity="error", timeout=8, markup=False)
            return
        line = next((number for number, text in enumerate(data.decode().split("\n"), start=1)
                     if text and not text.startswith("#")), 1)  # the first field to fill in
        EditorRun(browser, editor, path, kind, new=True, made=data, placeholder=record_id).start(line)
        return
