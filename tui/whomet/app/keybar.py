"""The keys that work where the focus is, on one line at the bottom of every screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


PALETTE_ACTIONS = frozenset({"command_palette", "app.command_palette"})

HELP_ID = "help"
"""The id of help's binding (see ``keys.py``): its key, as the keymap has it, ends a short line."""


@dataclass(frozen=True, slots=True)
class KeyEntry:
    key: str
    """The key to simulate when the entry is clicked."""
    display: str
    description: str
    enabled: bool


class Entries(NamedTuple):
    """What the bar shows: the keys in order, the command palette's on the right, and help's,
    shown as "more" when some keys do not fit."""

    keys: tuple[KeyEntry, ...]
    palette: KeyEntry | None
    more: KeyEntry | None


class KeyBar(Widget):
    """One line of the keys the focused widget, its panels and the app answer, the command
    palette's key on the right; a click presses the key.

    The focused widget's keys come first, then those of its panels, its screen and the app (the
    order of Textual's focus chain): the keys of where the reader is are those that stay when
    the line is short. A key that does not fit is left out whole, and help's key, as ``? more``,
    says that there are more.

    Textual's ``Footer`` makes a widget per key and makes them all again whenever the keys may
    have changed (on every change of focus), so that following a link laid the screen out and
    painted it two or three more times after the link's record was on screen. This bar is one
    line of text, drawn again only when the keys it shows differ."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--hover", "key-bar--separator"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .key-bar--separator { color: $foreground 20%; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: Entries | None = None
        self._spans: list[tuple[int, int, KeyEntry]] = []
        """Where each entry drawn is: from and to which column."""
        self._hover: KeyEntry | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_updated)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_updated(self, _screen: Screen) -> None:
        if self._entries() != self._shown:
            self.refresh()

    def _entries(self) -> Entries:
        """The keys to show, in the order of the focus chain; the command palette's; help's."""
        app = self.app
        entries: list[KeyEntry] = []
        actions: set[str] = set()
        palette = more = None
        # Found by action and id, not by key: a keymap may have given them other keys.
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action in PALETTE_ACTIONS:
                if palette is None and app.ENABLE_COMMAND_PALETTE:
                    palette = KeyEntry(binding.key, app.get_key_display(binding), binding.description, enabled)
                continue
            if binding.id == HELP_ID and more is None:
                more = KeyEntry(binding.key, app.get_key_display(binding), "more", enabled)
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                entries.append(KeyEntry(binding.key, app.get_key_display(binding), binding.description, enabled))
        return Entries(tuple(entries), palette, more)

    def render(self) -> Text:
        self._shown = shown = self._entries()
        entries, palette, more = shown
        width = self.size.width
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        hover_style = self.get_component_rich_style("key-bar--hover")

        def entry_text(entry: KeyEntry, pad: str = " ") -> Text:
            hover = entry == self._hover
            text = Text.assemble((f"{pad}{entry.display} ", hover_style if hover else key_style),
                                 (f"{entry.description} ", hover_style if hover else description_style))
            if not entry.enabled:
                text.stylize("dim")
            return text

        right = Text()
        if palette is not None:
            right = Text.assemble(("▏", self.get_component_rich_style("key-bar--separator")), entry_text(palette, ""))
        room = width - right.cell_len
        texts = [(entry, entry_text(entry)) for entry in entries]
        if more is not None and sum(text.cell_len for _entry, text in texts) > room:
            # Help lists every key: its key, as "more", takes the place of the keys left out,
            # and of help's own entry.
            texts = [(entry, text) for entry, text in texts if entry.key != more.key]
            more_text = entry_text(more)
            room -= more_text.cell_len
        else:
            more = None
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for entry, text in texts:
            if line.cell_len + text.cell_len > room:
                break  # a key that does not fit is left out whole, not cut
            self._spans.append((line.cell_len, line.cell_len + text.cell_len, entry))
            line.append_text(text)
        if more is not None and room >= 0:
            self._spans.append((line.cell_len, line.cell_len + more_text.cell_len, more))
            line.append_text(more_text)
        if palette is not None and width >= right.cell_len:
            line.append(" " * (width - line.cell_len - right.cell_len))
            self._spans.append((line.cell_len + 1, width, palette))
            line.append_text(right)
        return line

    def _entry_at(self, x: int) -> KeyEntry | None:
        return next((entry for start, end, entry in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self._entry_at(event.x)
        if entry != self._hover:
            self._hover = entry
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()
