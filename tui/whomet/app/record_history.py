"""The history of the record shown, from git: its commits, what each changed field by field, and
who last set each field.

``h`` in the browser opens it. The commits are read in a thread and shown as they are found,
newest first (the changes not committed yet first of all); the record's fields are named as in its
file, the records it names by their names. Every text from a commit or a record is data: a
``[bold]`` in a message shows as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.worker import get_current_worker

from ..store import ABSENT, HistoryReader, HistoryUnavailable, is_reference, locate
from .keybar import KeyBar
from .keys import bindings
from .lists import RecordList, Row
from .text import one_line
from .textview import TextView

if TYPE_CHECKING:
    from pathlib import Path

    from ..store.history import Commit, EntryChange, FieldChange, FileHistory
    from .browser import BrowserScreen

Label = Callable[[str], "str | None"]
"""The name of a record by its id, None for an id the casefile does not know."""

SHORT = 60
"""Characters of a value shown within a line of other things (a list entry's other keys)."""
LINE = 72
"""A change longer than this shows the value after it on a line of its own."""
LONGEST = 240
"""Characters of one value shown (a quote or summary is cut, with an ellipsis)."""
SLOW = 2.0
"""Seconds of reading a history after which the screen says how to make it quicker."""
AUTHOR_WIDTH = 16
NAME = 40
"""Characters of an entry's name (a citation's source title) before who set it."""
SUBJECT = 32
"""Characters of a commit's subject after who set a field (its row in the list has all of it)."""


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


# --------------------------------------------------------------------------- what is shown


def when(date: datetime | None, *, time: bool = False) -> str:
    if date is None:
        return "?"
    shown = f"{date.day} {date:%b %Y}"
    return f"{shown} {date:%H:%M}" if time else shown


def cut(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    shown = one_line(text, width)
    return shown if len(shown) == len(" ".join(text.split())) else shown.rstrip() + "…"


def value_text(value: Any, key: str, label: Label, width: int = LONGEST) -> str:
    """A value as TOML would read it, ids by the names of their records, cut to ``width``."""
    if value is ABSENT:
        return "(none)"
    if isinstance(value, str):
        if is_reference(key):
            return cut(label(value) or value, width)
        return f'"{cut(value, width)}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(item, key, label, width) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{one_line(k)} = {value_text(v, k, label, width)}" for k, v in value.items()) + "}"
    return one_line(str(value), width)


def entry_name(entry: EntryChange, field: str, label: Label) -> str:
    """What an entry of a list is called: a participant by whom, a citation by its source."""
    if entry.key is not None and isinstance(entry.value, dict):
        name = entry.value.get(entry.key, ABSENT)
        return value_text(name, entry.key, label, SHORT) if name is not ABSENT else "(an entry)"
    return value_text(entry.value, field, label)


def change_lines(change: FieldChange, label: Label, indent: str = "") -> list[Text]:
    """``title: "A" → "B"``, ``participants: + Carter Page``, a line or more for one field."""
    field = one_line(change.field)
    head = Text(indent)
    head.append(f"{field}: ", style="bold")
    if change.entries or (isinstance(change.before, list) and isinstance(change.after, list)):
        if not change.entries:
            return [head.append("order changed", style="dim")]
        lines = []
        for entry in change.entries:
            line = head.copy()
            line.append(*_sign(entry.sign))
            line.append(entry_name(entry, change.field, label))
            if entry.sign == "~":
                line.append(": ")
                line.append_text(Text("; ").join(_inline(sub, label) for sub in entry.changes))
            elif isinstance(entry.value, dict):
                rest = [f"{one_line(k)} {value_text(v, k, label, SHORT)}"
                        for k, v in entry.value.items() if k != entry.key]
                if rest:
                    line.append("  " + "; ".join(rest), style="dim")
            lines.append(line)
        return lines
    if change.kind == "added":
        return _long_or_short(head, "added", None, change.after, change.field, label)
    if change.kind == "removed":
        return _long_or_short(head, "removed", change.before, None, change.field, label)
    return _long_or_short(head, None, change.before, change.after, change.field, label)


def _sign(sign: str) -> tuple[str, str]:
    return {"+": ("+ ", "green"), "-": ("− ", "red"), "~": ("~ ", "yellow")}[sign]


def _inline(change: FieldChange, label: Label) -> Text:
    """One key of a list's entry, changed, on part of a line."""
    text = Text(f"{one_line(change.field)} ")
    if change.kind == "added":
        text.append("added ", style="dim").append(value_text(change.after, change.field, label, SHORT))
    elif change.kind == "removed":
        text.append("removed ", style="dim").append(value_text(change.before, change.field, label, SHORT))
    else:
        text.append(value_text(change.before, change.field, label, SHORT))
        text.append(" → ", style="bold")
        text.append(value_text(change.after, change.field, label, SHORT))
    return text


def _long_or_short(head: Text, verb: str | None, before: Any, after: Any, field: str, label: Label) -> list[Text]:
    """``title: "A" → "B"`` on one line when it is short, else the value after on a line of its own."""
    old = value_text(before, field, label) if before is not None else ""
    new = value_text(after, field, label) if after is not None else ""
    line = head.copy()
    if verb == "added":
        return [line.append("added ", style="green").append(new)]
    if verb == "removed":
        return [line.append("removed ", style="red").append("(was ", style="dim").append(old).append(")", style="dim")]
    line.append(old)
    if len(head.plain) + len(old) + len(new) + 3 <= LINE:
        return [line.append(" → ", style="bold").append(new)]
    after_line = Text(" " * max(len(head.plain) - 2, 0)).append("→ ", style="bold").append(new)
    return [line, after_line]


def commit_prompt(commit: Commit) -> Text:
    """A commit's row: date, author, short sha, subject."""
    row = Text(no_wrap=True, overflow="ellipsis")
    if not commit.sha:
        row.append(f"{'now':<11} ", style="bold")
        row.append("not committed yet", style="italic")
        row.append("  the file on disk against HEAD", style="dim")
        return row
    row.append(f"{when(commit.date):<11} ", style="bold")
    row.append(f"{one_line(commit.author, AUTHOR_WIDTH):<{AUTHOR_WIDTH}} ")
    row.append(f"{commit.short}  ", style="dim")
    row.append(one_line(commit.subject))
    if commit.after.exists and not commit.after.readable:
        row.append("  ⚠ unreadable", style="red")
    elif commit.status == "deleted":
        row.append("  deleted", style="red")
    if commit.renamed_from:
        row.append(f"  renamed from {one_line(commit.renamed_from)}", style="dim")
    return row


def commit_lines(commit: Commit, label: Label) -> list[Text]:
    """The commit in full, then what it changed, field by field."""
    lines: list[Text] = []
    if commit.sha:
        head = Text()
        head.append(commit.short, style="bold")
        head.append(f"  {one_line(commit.author)} <{one_line(commit.email)}>  {when(commit.date, time=True)}", style="dim")
        lines.append(head)
        lines.append(Text(one_line(commit.subject, LONGEST), style="bold"))
        for line in commit.body.splitlines()[:20]:
            lines.append(Text(one_line(line, LONGEST), style="dim"))
    else:
        lines.append(Text("Not committed yet: the file on disk, against the last commit.", style="bold"))
    if commit.renamed_from:
        lines.append(Text(f"Renamed from {one_line(commit.renamed_from)}.", style="dim"))
    lines.append(Text())
    after, before = commit.after, commit.before
    if after.exists and not after.readable:
        lines.append(Text(f"This version could not be read: {one_line(after.error or '')}", style="red"))
        return lines
    if before.exists and not before.readable:
        note = f"The version before could not be read ({one_line(before.error or '')})"
        if commit.compared_with is not None:
            note += f"; compared with the last that could, {commit.compared_with.short or 'HEAD'}:"
        lines.append(Text(note + ".", style="dim") if commit.compared_with is None else Text(note, style="dim"))
    if not after.exists:
        lines.append(Text("The file was deleted." if commit.sha else "The file is not on disk.", style="red"))
        return lines
    if not commit.changes:
        lines.append(Text("No field changed." if commit.renamed_from or before.readable is False else
                          "No field changed: only comments, spacing or the order of keys.", style="dim"))
    for change in commit.changes:
        lines.extend(change_lines(change, label))
    return lines


def _verb(commit: Commit, field: str, name: Any = ABSENT) -> str:
    """How ``commit`` set a field (or the entry ``name`` of a list): added it, or changed it."""
    change = next((c for c in commit.changes if c.field == field), None)
    if change is None:
        return "set"
    if name is ABSENT:
        return "added" if change.kind == "added" else "changed"
    entry = next((e for e in change.entries if e.name == name), None)
    return "added" if entry is None or entry.sign == "+" else "changed"


OriginRow = tuple[Text, str, Text, str, str, str]
"""A row of "who last set each field": the field (or a list's entry), how, who, when, the commit, its subject."""


def origin_rows(history: FileHistory, label: Label) -> list[OriginRow]:
    """Who last set each field of the record (each entry of a list of tables under it), then the
    fields removed, by whom."""
    rows: list[OriginRow] = []
    for origin in history.origins:
        commit = origin.commit
        verb = "removed" if origin.removed else _verb(commit, origin.field) if commit is not None else ""
        rows.append(_origin_row(Text(one_line(origin.field), style="bold"), verb, commit, history.complete))
        for entry in origin.entries:
            name = value_text(entry.name, entry.key or "", label, NAME) if entry.name is not ABSENT else "(an entry)"
            verb = _verb(entry.commit, origin.field, entry.name) if entry.commit is not None else ""
            rows.append(_origin_row(Text(f"  {name}"), verb, entry.commit, history.complete))
    return rows


def _origin_row(what: Text, verb: str, commit: Commit | None, complete: bool) -> OriginRow:
    if commit is None:
        note = "in a commit not read yet…" if not complete else "before the oldest commit read"
        return what, "", Text(note, style="dim"), "", "", ""
    if not commit.sha:
        return what, "changed", Text("not committed yet", style="italic"), "", "", ""
    return what, verb, Text(one_line(commit.author)), when(commit.date), commit.short, one_line(commit.subject)


def _fit(text: str | Text, width: int) -> Text:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, or padded."""
    shown = text.copy() if isinstance(text, Text) else Text(text)
    shown.truncate(width, overflow="ellipsis", pad=True)
    return shown


def origin_lines(history: FileHistory, label: Label, width: int = 100) -> list[Text]:
    """"Who last set each field": a heading, then a line of columns per field, each within ``width``."""
    lines = [Text("Who last set each field", style="bold underline")]
    rows = origin_rows(history, label)
    if not rows:
        lines.append(Text("No version of the file could be read." if history.commits else "Nothing read yet.",
                          style="dim"))
        return lines
    verb_w, date_w = max(len(row[1]) for row in rows), max(len(row[3]) for row in rows)
    room = max(width - verb_w - date_w - 7 - 10, 20)  # the columns of known width, and the spaces between
    name_w = min(max(row[0].cell_len for row in rows), max(room * 2 // 5, 12))
    author_w = min(max((row[2].cell_len for row in rows if row[3]), default=0), max(room // 4, 8))
    subject_w = max(room - name_w - author_w, 0)
    for what, verb, author, date, short, subject in rows:
        line = _fit(what, name_w).append("  ")
        line.append_text(_fit(Text(verb, style="red" if verb == "removed" else ""), verb_w)).append("  ")
        if not date:  # "not committed yet", "in a commit not read yet…": the rest of the line
            line.append_text(author)
        else:
            line.append_text(_fit(author, author_w)).append("  ")
            line.append_text(_fit(date, date_w)).append("  ")
            line.append(short, style="dim")
            if subject_w > 3:
                line.append("  ").append_text(_fit(Text(subject, style="dim"), subject_w - 2))
        line.rstrip()
        lines.append(line)
    return lines


def history_lines(history: FileHistory, label: Label) -> list[Text]:
    """Everything the screen can show of a history, as lines: each commit and its changes, then
    who last set each field (for the benchmark and for a reader's print-out)."""
    lines: list[Text] = []
    for commit in history.commits:
        lines.append(commit_prompt(commit))
        lines.extend(commit_lines(commit, label))
    lines.extend(origin_lines(history, label))
    return lines


def joined(lines: list[Text]) -> Text:
    return Text("\n").join(lines)


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
