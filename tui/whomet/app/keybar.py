"""The keys that work where the focus is, on one line at the bottom of every screen."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True, slots=True)
class KeyEntry:
    key: str
    """The key to simulate when the entry is clicked."""
    display: str
    description: str
    enabled: bool


class KeyBar(Widget):
    """One line of the keys the focused widget, its panels and the app answer, the command
    palette's key on the right; a click presses the key.

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
        self._shown: tuple[tuple[KeyEntry, ...], KeyEntry | None] | None = None
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

    def _entries(self) -> tuple[tuple[KeyEntry, ...], KeyEntry | None]:
        """The keys to show, in the order of the focus chain, and the command palette's."""
        app = self.app
        active = self.screen.active_bindings
        entries: list[KeyEntry] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                entries.append(KeyEntry(binding.key, app.get_key_display(binding), binding.description, enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = KeyEntry(binding.key, app.get_key_display(binding), binding.description, enabled)
        return tuple(entries), palette

    def render(self) -> Text:
        self._shown = entries, palette = self._entries()
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
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        room = width - right.cell_len
        for entry in entries:
            text = entry_text(entry)
            if line.cell_len + text.cell_len > room:
                break  # a key that does not fit is left out whole, not cut
            self._spans.append((line.cell_len, line.cell_len + text.cell_len, entry))
            line.append_text(text)
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
