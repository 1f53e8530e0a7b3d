"""Every key of whomet in one table: the bindings, help, the command palette and the user's keymap
are all made from it, so that a key is named, and can be rebound, in one place.

A user's keymap (``$XDG_CONFIG_HOME/whomet/keymap.toml``, ``~/.config/whomet/keymap.toml``) gives
keys by binding id, as in ``help = "f2"`` or ``quit = "ctrl+q"``; Textual applies it to every
binding with that id (``App.set_keymap``), and help, the key bar and the palette show it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App, SystemCommand
    from textual.widget import Widget


PLACES: dict[str, str] = {
    "app": "anywhere",
    "browser": "browser",
    "panel:people": "people",
    "panel:timeline": "timeline",
    "panel:detail": "source & quote",
    "lists": "people, timeline",
    "records": "a list",
    "text": "the record's text",
    "form": "form",
    "chronology": "chronology",
    "search": "search",
    "connections": "connections, path",
    "path": "path",
    "activity": "activity chart",
    "context": "quote in context",
}
"""Where a key's binding is held, and the words help shows for it. ``app``: the app (it works over
every screen); ``browser``: the browser's screen; ``panel:…``: one panel; ``lists``: the filtered
lists (the people and timeline panels); ``records``: every record list (people, timeline, links);
``text``: the record's text in the source & quote panel; ``form``: a record's form."""


@dataclass(frozen=True, slots=True)
class Key:
    """One key of whomet: a binding with an id, what help and the command palette say of it."""

    id: str
    """The binding's id: what a keymap names to rebind it."""
    keys: str
    """The default keys, Textual's names, comma-separated (``backspace,alt+left``)."""
    action: str
    """The action, as ``run_action`` takes it from where the binding is held (``back``, ``app.quit``)."""
    where: str
    """Where the binding is held: one of :data:`PLACES`."""
    title: str
    """The key bar's word for it."""
    help: str
    """What help says it does, and the palette under its title."""
    show: bool = True
    """Whether the key bar shows it."""
    palette: str | None = None
    """The command palette's title for it, or None when the palette does not offer it."""
    display: str | None = None
    """How the key bar shows the default key, when not as Textual would (``⌫`` for backspace)."""
    priority: bool = False
    """Whether it answers before the focused widget does (a form's save, over a text field)."""
    context: str | None = None
    """Help's words for where it works, when narrower or wider than its place's."""
    rows: tuple[tuple[str, str], ...] = ()
    """Help's rows for it, (where, does), when it does something different in each place."""
    palette_action: str | None = None
    """What the palette runs on the browser's screen, when not ``action``: a panel's key, run from
    the palette, must name the panel."""

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.title, show=self.show, key_display=self.display,
                       priority=self.priority, tooltip=self.help, id=self.id)

    @property
    def command(self) -> str:
        """The palette's action, run on the browser's screen (``app.`` for the app's own)."""
        if self.palette_action is not None:
            return self.palette_action
        if self.where == "app" and "." not in self.action:
            return f"app.{self.action}"
        return self.action


KEYS: tuple[Key, ...] = (
    # the lists: every panel but the source's text is one
    Key("down", "down,j", "cursor_down", "records", "Down", "Move down the list", show=False),
    Key("up", "up,k", "cursor_up", "records", "Up", "Move up the list", show=False),
    Key("first", "home", "first", "records", "First", "Go to the top of the list", show=False),
    Key("last", "end", "last", "records", "Last", "Go to the bottom of the list", show=False),
    Key("page-down", "pagedown", "page_down", "records", "Page down", "Move down a page", show=False),
    Key("page-up", "pageup", "page_up", "records", "Page up", "Move up a page", show=False),
    Key("open", "enter", "select", "records", "Open", "Open the row under the cursor", rows=(
        ("people", "Show the person's timeline"),
        ("timeline", "Show the item's source and quote, and its links"),
        ("links", "Follow the link"),
    )),
    Key("filter", "slash", "start_filter", "lists", "Filter",
        "Filter the list (fuzzy on names and aliases for people)", display="/",
        palette="Filter people", palette_action="filter_people"),
    Key("clear-filter", "escape", "clear_filter", "lists", "Clear filter", "Clear the filter",
        show=False, context="a filter"),
    # the record shown
    Key("find", "slash", "start_find", "panel:detail", "Find", "Find words in the record shown", display="/"),
    Key("find-next", "n", "next_found(1)", "text", "Next found", "Go to the next place the words were found",
        show=False),
    Key("find-previous", "N", "next_found(-1)", "text", "Previous found",
        "Go to the place before where the words were found", show=False),
    # the browser
    Key("back", "backspace,alt+left", "back", "browser", "Back", "Go back to where you were", display="⌫",
        palette="Back"),
    Key("forward", "alt+right", "forward", "browser", "Forward", "Go forward again", show=False,
        palette="Forward"),
    Key("contradiction", "c", "contradiction", "browser", "Contradiction",
        "Jump from a statement to the meeting it contradicts, or from a meeting to the statement that denies it",
        context="statement, meeting", show=False, palette="Jump to contradiction"),
    Key("open-url", "o", "open_url", "browser", "URL",
        "Open the source's URL in the web browser (http and https only)", show=False, palette="Open source URL"),
    Key("copy-citation", "y", "copy_citation", "browser", "Cite",
        "Copy the citation of the record shown", show=False, palette="Copy citation"),
    Key("add", "a", "add", "browser", "Add",
        "Add a record: a person, organization, meeting, statement or source", palette="Add a record"),
    Key("edit", "e", "edit", "browser", "Edit", "Edit the record shown", palette="Edit this record"),
    Key("delete", "d", "delete", "browser", "Delete",
        "Delete the record shown (refused while other records name it)", show=False, palette="Delete this record"),
    Key("problems", "p", "problems", "browser", "Problems", "Show the casefile's problems, by file and line",
        palette="Show problems"),
    Key("reload", "ctrl+r", "reload", "browser", "Reload",
        "Read the casefile again from disk now (changes made outside are taken in by themselves too)",
        palette="Reload the casefile"),
    Key("open-in-editor", "E", "open_in_editor", "browser", "Editor",
        "Open the record shown in $VISUAL or $EDITOR, at the line of the field in focus; read it again after",
        palette="Open in editor"),
    Key("new-in-editor", "A", "new_in_editor", "browser", "New file",
        "Make a new record's file from a commented template of its kind and open it in the editor",
        palette="New record in editor"),
    Key("history", "h", "history", "browser", "History",
        "The record's history in git: each commit that touched its file, what it changed field by field, "
        "and who last set each field", palette="History"),
    Key("in-context", "v", "quote_in_context", "browser", "In context",
        "The quote or an excerpt of the statement or meeting shown in its source's archived text, the words "
        "marked (the source in focus among the links, if one is)", show=False, palette="Quote in context"),
    Key("context-next", "n", "next_place(1)", "context", "Next", "The next place the quoted words are found"),
    Key("context-previous", "N", "next_place(-1)", "context", "Previous",
        "The place before where the quoted words are found", show=False),
    Key("context-close", "escape", "close", "context", "Close", "Back to the browser"),
    # the app's: held there, a keymap that gives quit ctrl+q takes the place of Textual's own ctrl+q
    Key("palette", "ctrl+p", "command_palette", "app", "palette",
        "Command palette: go to any record by name or quote, and every action", show=False, priority=True),
    Key("quit", "q", "quit", "app", "Quit", "Quit whomet", context="browser"),
    Key("help", "question_mark,f1", "help", "app", "Help", "Show every key, where it works and what it does",
        display="?", palette="Help", context="anywhere but a text field (f1 there)"),
    # the views over the whole casefile
    Key("search", "s", "search", "browser", "Search",
        "Search every word of the casefile: names first, then titles, then quotes and excerpts, the words around "
        "each shown", palette="Search"),
    Key("chronology", "t", "chronology", "browser", "Chronology",
        "Every meeting and statement in date order, filtered by who was there, kind, stance, dates, words",
        palette="Chronology"),
    Key("connections", "w", "connections", "browser", "Met",
        "Everyone the person or organization shown shared a meeting with: how often, when, as what",
        palette="Connections"),
    Key("path", "W", "path", "browser", "Path to",
        "The shortest chain of shared meetings from the person shown to another, picked by name", show=False,
        palette="Path to…"),
    Key("connections-close", "escape", "close", "connections", "Close", "Back to the browser"),
    Key("path-next", "n", "chain(1)", "path", "Next chain",
        "The next shortest chain between the two, through other people"),
    Key("path-previous", "N", "chain(-1)", "path", "Chain before", "The chain shown before", show=False),
    Key("activity", "g", "activity", "browser", "Chart",
        "A chart of the meetings of the person shown per month, week or year, their roles marked",
        palette="Activity chart"),
    Key("activity-month", "m", "by('month')", "activity", "Month", "Bars by month"),
    Key("activity-week", "w", "by('week')", "activity", "Week", "Bars by ISO week"),
    Key("activity-year", "y", "by('year')", "activity", "Year", "Bars by year"),
    Key("activity-statements", "s", "statements", "activity", "Statements", "Count statements too, or not"),
    Key("activity-close", "escape,q", "dismiss", "activity", "Close", "Back to the browser", display="esc"),
    Key("chronology-filter", "slash", "filter", "chronology", "Filter",
        "Filter the chronology: with:ID, any, kind:, type:, status:, oath:, stance:, role:, between:EDTF, "
        "other words (each also in the palette)", display="/"),
    Key("chronology-chart", "g", "chart", "chronology", "Chart",
        "A chart of the meetings (and statements) the filters pass, per month, week or year"),
    Key("chronology-close", "escape", "close", "chronology", "Close", "Back to the browser"),
    Key("search-line", "slash", "search_line", "search", "Search", "Type words to search (kind:, between: narrow it)",
        display="/"),
    Key("search-close", "escape", "close", "search", "Close", "Back to the browser"),
    # a record's form
    Key("save", "ctrl+s", "save", "form", "Save", "Save the record, once it is valid", priority=True),
    Key("cancel", "escape", "cancel", "form", "Cancel", "Close the form (asks first when anything was typed)"),
    Key("form-reload", "ctrl+r", "reload", "form", "Reload",
        "Read the record's file again, keeping what you typed over it (a new record's form reads the casefile again)",
        show=False),
)
"""Every key, in the order help lists them."""

BY_ID: dict[str, Key] = {key.id: key for key in KEYS}

OTHER_KEYS: tuple[tuple[str | None, str, str, str], ...] = (
    (None, "tab / shift+tab", "browser, form", "Move to the next panel or field, or the one before"),
    ("find", "escape", "finding", "Stop finding, back to the text"),
    ("form-reload", "↑ / ↓, escape", "a record field", "Pick a suggestion; escape closes the suggestions"),
)
"""Keys that matter but are not whomet's bindings (Textual's own, or a field's): help lists each
after the key whose id it gives (first for None)."""


class HelpRow(NamedTuple):
    """A row of help: the keys as a reader writes them, where they work, what they do."""

    key: str
    where: str
    does: str
    id: str | None = None
    """The id of the key it shows, None for a key that is not whomet's binding."""


# names


MODIFIERS = ("ctrl", "alt", "shift", "super", "meta", "hyper")

_WORDS = {"left": "←", "right": "→", "up": "↑", "down": "↓", "pageup": "page up", "pagedown": "page down"}


def key_words(keys: str) -> str:
    """Keys as help writes them: ``backspace,alt+left`` is ``backspace / alt+←``, ``question_mark`` is ``?``."""
    from textual.keys import KEY_DISPLAY_ALIASES, format_key

    words = []
    for key in keys.split(","):
        *modifiers, name = key.strip().split("+")
        if name in _WORDS:
            name = _WORDS[name]
        elif name not in KEY_DISPLAY_ALIASES:  # else a word, which says more than Textual's sign for it
            shown = format_key(name)
            if len(shown) == 1 and shown.isprintable() and not shown.isspace():
                name = shown
        words.append("+".join([*modifiers, name]))
    return " / ".join(words)


def keys_for(key_id: str, keymap: Mapping[str, str] | None = None) -> str:
    """The keys of ``key_id``, as ``keymap`` rebinds them (Textual's names, comma-separated)."""
    return (keymap or {}).get(key_id) or BY_ID[key_id].keys


def bindings(where: str) -> list[Binding]:
    """The bindings held at ``where`` (see :data:`PLACES`), each with its id: a ``BINDINGS``."""
    if where not in PLACES:
        raise ValueError(f"no such place as {where!r}: one of {', '.join(PLACES)}")
    return [key.binding() for key in KEYS if key.where == where]


def help_rows(keymap: Mapping[str, str] | None = None) -> list[HelpRow]:
    """Every key, with the keys ``keymap`` gives in place of the defaults: help's rows."""
    rows = [HelpRow(*row[1:]) for row in OTHER_KEYS if row[0] is None]
    for key in KEYS:
        shown = key_words(keys_for(key.id, keymap))
        for where, does in key.rows or ((key.context or PLACES[key.where], key.help),):
            rows.append(HelpRow(shown, where, does, key.id))
        rows.extend(HelpRow(*row[1:]) for row in OTHER_KEYS if row[0] == key.id)
    return rows


def palette_commands(keymap: Mapping[str, str] | None = None,
                     places: Collection[str] | None = None) -> list[tuple[str, str, str]]:
    """The palette's commands for the keys that have one, held at ``places`` (all when None), as
    (title, help with its keys, action to run on the browser's screen)."""
    return [(key.palette, f"{key.help} · {key_words(keys_for(key.id, keymap))}", key.command)
            for key in KEYS if key.palette is not None and (places is None or key.where in places)]


def system_commands(target: Widget | App[Any], keymap: Mapping[str, str] | None = None,
                    places: Collection[str] | None = None) -> Iterator[SystemCommand]:
    """:func:`palette_commands` as the palette's commands, each running its action on ``target``
    (the browser's screen), for an app's ``get_system_commands``."""
    from textual.app import SystemCommand

    for title, help, action in palette_commands(keymap, places):
        yield SystemCommand(title, help, partial(target.run_action, action))
