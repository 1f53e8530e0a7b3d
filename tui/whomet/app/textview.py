"""A scrollable text laid out at its width and drawn a line at a time: the record in detail."""

from __future__ import annotations

from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from .lineview import LineView


class TextView(LineView, can_focus=True):
    """Shows a Rich renderable, wrapped to the view's width, and scrolls through it.

    A ``Static`` of automatic height in a scroller would do the same, but its height is found
    only while the screen is laid out, and Textual then lays the screen out and paints it a
    second time: on every record shown. Here the lines are made when the text is set (and again
    when the width changes), so the screen knows the text's height before its one layout."""

    def __init__(self, content: RenderableType = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content: RenderableType = Text(content) if isinstance(content, str) else content
        self._lines: list[Strip] = []
        self._width = 0
        """The width the lines were made for (0: not made yet)."""

    @property
    def content(self) -> RenderableType:
        return self._content

    def update(self, content: RenderableType) -> None:
        """Show ``content`` (a string is plain text, never markup) from its first line."""
        self._content = Text(content) if isinstance(content, str) else content
        self._lay_out(self.scrollable_content_region.width)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _lay_out(self, width: int) -> None:
        self._width = width
        if width <= 0:  # not laid out yet: the lines are made once the view has its size
            self._lines = []
        else:
            console = self.app.console
            options = self.app.console_options.update(highlight=False, width=width, height=None)
            segments = console.render(self._content, options)
            self._lines = [Strip(line) for line in
                           Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False)]
        self.set_line_count(len(self._lines))

    def render_lines(self, crop: Region) -> list[Strip]:
        # The first layout gives the view its width after the text was set: the lines are made
        # here, in that layout's paint, rather than on the resize that follows it (a paint later).
        width = self.scrollable_content_region.width
        if width != self._width:
            self._lay_out(width)
        return super().render_lines(crop)

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._lay_out(width)
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.line_width
        line = self.scroll_offset.y + y
        base = self.line_style
        if not 0 <= line < len(self._lines):
            return Strip.blank(width, base)
        # The view's own style (focus tints it) goes under the text's, as it is drawn.
        return self._lines[line].apply_style(base).adjust_cell_length(width, base)
