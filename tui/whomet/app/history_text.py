"""A record's git history as lines of rich text: a commit's row in the list, the commit in full
with what it changed field by field, and who last set each field, the records named by their names.

Every text from a commit or a record is data: a ``[bold]`` in a message shows as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text

from ..store import ABSENT, is_reference
from .text import one_line

if TYPE_CHECKING:
    from ..store.history import Commit, EntryChange, FieldChange, FileHistory

Label = Callable[[str], "str | None"]
"""The name of a record by its id, None for an id the casefile does not know."""

SHORT = 60
"""Characters of a value shown within a line of other things (a list entry's other keys)."""
LINE = 72
"""A change longer than this shows the value after it on a line of its own."""
LONGEST = 240
"""Characters of one value shown (a quote or summary is cut, with an ellipsis)."""
AUTHOR_WIDTH = 16
NAME = 40
"""Characters of an entry's name (a citation's source title) before who set it."""


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
