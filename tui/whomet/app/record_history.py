"""The history of the record shown, from git: the screen of its commits, what the one selected
changed field by field, and who last set each field.

``h`` in the browser opens it. The commits are read in a thread and shown as they are found,
newest first (the changes not committed yet first of all); the record's fields are named as in its
file, the records it names by their names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.worker import get_current_worker

from ..store import HistoryReader, HistoryUnavailable, locate
from .history_text import Label, commit_lines, commit_prompt, joined, origin_lines
from .keybar import KeyBar
from .keys import bindings
from .lists import RecordList, Row
from .text import one_line
from .textview import TextView

if TYPE_CHECKING:
    from pathlib import Path

    from ..store.history import Commit, FileHistory
    from .browser import BrowserScreen

SLOW = 2.0
"""Seconds of reading a history after which the screen says how to make it quicker."""


def open_history(browser: BrowserScreen) -> None:
    """Show the history of the record in detail, or say why there is none."""
    record = browser.current_record()
    if record is None:
        browser.app.notify("Select a record first.", timeout=3)
        return
    file = browser.session.folder / record.folder / f"{record.id}.toml"
    try:
        located = locate(file)
    except HistoryUnavailable as error:
        browser.app.notify(str(error), title="No history", severity="warning", timeout=6, markup=False)
        return
    index = browser.session.index

    def label(record_id: str) -> str | None:
        return index.label_of(record_id) if index is not None else None

    browser.app.push_screen(HistoryScreen(file, located, record.label, label))


# --------------------------------------------------------------------------- the screen


class HistoryScreen(ModalScreen[None]):
    """The commits that touched the record's file above; the selected commit's changes and who
    last set each field below (beside each other on a wide screen)."""

    DEFAULT_CSS = """
    HistoryScreen #history-dialog {
        width: 96%;
        max-width: 160;
        height: 94%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    HistoryScreen #history-commits {
        height: 2;
        border-bottom: solid $foreground 20%;
    }
    HistoryScreen #history-panes {
        height: 1fr;
    }
    HistoryScreen #history-changes, HistoryScreen #history-origins {
        height: 1fr;
        width: 1fr;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    HistoryScreen #history-origins {
        width: 55%;
        border-left: solid $foreground 20%;
        padding-left: 1;
    }
    HistoryScreen.-narrow #history-origins {
        display: none;
    }
    HistoryScreen.-narrow #history-dialog {
        width: 100%;
        height: 100%;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [*bindings("connections"), Binding("q", "close", "Close", show=False)]

    def __init__(self, file: Path, located: tuple[Path, str], title: str, label: Label) -> None:
        super().__init__()
        self.file = file
        self.located = located
        self.title_text = title
        self.label = label
        self.reader = HistoryReader(file, located=located)
        self.history: FileHistory | None = None
        self.shown: str | None = None
        """The commit whose changes are shown (its sha, "" for the changes not committed)."""
        self._changes_of: str | None = None
        """The commit the changes pane was last filled with: filled again, it keeps its place."""
        self.failed: str | None = None

    def compose(self) -> ComposeResult:
        # Not the app's .dialog, whose size the stylesheet gives: this one is as large as the screen allows.
        with Vertical(id="history-dialog") as dialog:
            dialog.border_title = Text(f"History · {one_line(self.title_text, 80)}")
            dialog.border_subtitle = "reading the history…"
            yield RecordList(id="history-commits")
            with Horizontal(id="history-panes"):
                yield _Pane(id="history-changes")
                yield _Pane(id="history-origins")
        yield KeyBar()

    @property
    def commits(self) -> RecordList:
        return self.query_one("#history-commits", RecordList)

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    def on_mount(self) -> None:
        self.commits.set_rows([Row(None, Text(f"Reading the history of {self.located[1]}…", style="dim"))])
        self.commits.focus()
        self.read()

    def on_unmount(self) -> None:
        self.reader.cancel()

    @work(thread=True, exclusive=True, group="history")
    def read(self) -> None:
        worker = get_current_worker()

        def show(method: Callable[[Any], None], argument: object) -> None:
            if worker.is_cancelled or self.reader.cancelled:
                return
            try:
                self.app.call_from_thread(method, argument)
            except RuntimeError:  # the app is closing
                self.reader.cancel()

        try:
            history = self.reader.read(lambda found: show(self.show_history, found))
        except HistoryUnavailable as error:
            show(self.show_failure, str(error))
            return
        show(self.show_history, history)

    def show_failure(self, message: str) -> None:
        if not self.is_attached:
            return
        self.failed = message
        self.query_one("#history-dialog").border_subtitle = "esc closes"
        self.commits.set_rows([Row(None, Text(message, style="red"))])
        self.query_one("#history-changes", TextView).update(Text(message))

    def show_history(self, history: FileHistory) -> None:
        if not self.is_attached:  # closed while it was read
            return
        self.history = history
        commits = list(history.commits)
        dialog = self.query_one("#history-dialog")
        count = sum(1 for commit in commits if commit.sha)
        found = f"{count} commit{'s' * (count != 1)}"
        if not history.complete:
            dialog.border_subtitle = f"{found} so far, reading older ones… · esc closes"
        elif not history.committed:
            dialog.border_subtitle = "never committed · esc closes"
        else:
            dialog.border_subtitle = f"{found} · enter: its changes · tab: the next pane · esc closes"
        # Each row's text is made when it is drawn: a record may have thousands of commits.
        rows = [Row(commit.sha or "uncommitted", partial(commit_prompt, commit)) for commit in commits]
        if history.complete and not history.committed:
            rows.append(Row(None, Text("This record's file has never been committed.", style="dim")))
        if history.complete and history.seconds > SLOW:
            rows.append(Row(None, Text(
                f"Read in {history.seconds:.1f} s: git commit-graph write --reachable --changed-paths, once in the "
                "repository, makes it several times faster (a record seen again is quick).", style="dim")))
        kept = self.commits.highlighted_id
        self.commits.set_rows(rows, highlight=kept)
        self._size_list()
        self.show_commit(force=True)

    def _size_list(self) -> None:
        """The list of commits as tall as its rows, up to a third of the screen."""
        most = max(self.size.height // 3, 3)
        self.commits.styles.height = min(self.commits.row_count, most) + 1  # and its rule

    def _commit(self, row_id: str | None) -> Commit | None:
        if self.history is None or row_id is None:
            return None
        sha = "" if row_id == "uncommitted" else row_id
        return next((commit for commit in self.history.commits if commit.sha == sha), None)

    def show_commit(self, *, force: bool = False) -> None:
        history = self.history
        if history is None:
            return
        commit = self._commit(self.commits.highlighted_id)
        key = None if commit is None else commit.sha
        if key == self.shown and not force:
            return
        self.shown = key
        changes = commit_lines(commit, self.label) if commit is not None else [
            Text("This record's file has never been committed." if history.complete else "Reading…", style="dim")]
        changes_view = self.query_one("#history-changes", TextView)
        origins_view = self.query_one("#history-origins", TextView)
        view = changes_view if self.narrow else origins_view
        width = view.scrollable_content_region.width
        if not width:  # not laid out yet: as wide as it will be, near enough (and again once it is: _Pane)
            dialog = min(self.app.size.width * 96 // 100, 160) - 4
            width = dialog - 1 if self.narrow else dialog * 55 // 100 - 3
        if self.narrow:
            changes = [*changes, Text(), *origin_lines(history, self.label, width)]
        else:
            _keep_place(origins_view, joined(origin_lines(history, self.label, width)), same=True)
        _keep_place(changes_view, joined(changes), same=key == self._changes_of)
        self._changes_of = key

    @on(RecordList.Highlighted, "#history-commits")
    def _highlighted(self, event: RecordList.Highlighted) -> None:
        event.stop()
        self.show_commit()

    @on(RecordList.Selected, "#history-commits")
    def _selected(self, event: RecordList.Selected) -> None:
        event.stop()
        self.show_commit()
        self.query_one("#history-changes", TextView).focus()

    def on_resize(self) -> None:
        self._size_list()
        self.show_commit(force=True)

    def action_close(self) -> None:
        self.reader.cancel()
        self.dismiss(None)


class _Pane(TextView):
    """A pane of the history screen, whose lines of columns are made for its width: made again when it changes."""

    def on_resize(self) -> None:
        super().on_resize()
        screen = self.screen
        if isinstance(screen, HistoryScreen):
            screen.call_after_refresh(screen.show_commit, force=True)


def _keep_place(view: TextView, content: Text, *, same: bool) -> None:
    """Show ``content``, at the same place when it is the same commit's, read further."""
    y = view.scroll_offset.y if same else 0
    view.update(content)
    if y:
        view.scroll_to(y=y, animate=False, immediate=True)
