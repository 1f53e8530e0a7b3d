"""A scrollable text laid out at its width and drawn a line at a time: the record in detail."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from .keys import bindings
from .lineview import LineView

FOUND = Style(reverse=True, bold=True)
"""How the words found are marked: a style, never markup, over the text as it is."""


class TextView(LineView, can_focus=True):
    """Shows a Rich renderable, wrapped to the view's width, and scrolls through it.

    A ``Static`` of automatic height in a scroller would do the same, but its height is found
    only while the screen is laid out, and Textual then lays the screen out and paints it a
    second time: on every record shown. Here the lines are made when the text is set (and again
    when the width changes), so the screen knows the text's height before its one layout."""

    BINDINGS = bindings("text")

    def __init__(self, content: RenderableType = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content: RenderableType = Text(content) if isinstance(content, str) else content
        self._lines: list[Strip] = []
        self._width = 0
        """The width the lines were made for (0: not made yet)."""
        self._query = ""
        self.found: list[tuple[int, int, int]] = []
        """Where the words looked for are: line, first and last cell (a match that a line's end
        cuts in two is not found)."""
        self.current = -1
        """Which of ``found`` is shown."""

    @property
    def content(self) -> RenderableType:
        return self._content

    def update(self, content: RenderableType) -> None:
        """Show ``content`` (a string is plain text, never markup) from its first line."""
        self._content = Text(content) if isinstance(content, str) else content
        self._query, self.found, self.current = "", [], -1
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
        if self._query:  # the words looked for, found again in the lines as now laid out
            self._find()

    # finding words in the text

    def find(self, query: str) -> int:
        """Mark where ``query`` is (case aside) and show the first; how many there are."""
        self._query = query
        self._find()
        self.current = 0 if self.found else -1
        self._show_current()
        return len(self.found)

    def _find(self) -> None:
        self.found = []
        if self._query:
            pattern = re.compile(re.escape(self._query), re.IGNORECASE)
            for number, line in enumerate(self._lines):
                text = line.text
                for match in pattern.finditer(text):
                    # Where the match is in cells, as the line is drawn (a wide letter takes two).
                    start = cell_len(text[:match.start()])
                    self.found.append((number, start, start + cell_len(match.group())))
        self.current = min(self.current, len(self.found) - 1)
        self.refresh()

    def action_next_found(self, step: int) -> None:
        if not self.found:
            return
        self.current = (self.current + step) % len(self.found)
        self._show_current()

    def _show_current(self) -> None:
        if 0 <= self.current < len(self.found):
            line = self.found[self.current][0]
            height = self.scrollable_content_region.height
            if not self.scroll_offset.y <= line < self.scroll_offset.y + height:
                self.scroll_to(y=max(line - height // 3, 0), animate=False, immediate=True)
        self.refresh()

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
        strip = self._lines[line]
        if self.found:
            strip = self._marked(strip, line)
        return strip.apply_style(base).adjust_cell_length(width, base)

    def _marked(self, strip: Strip, line: int) -> Strip:
        hits = [(start, end, number) for number, (at, start, end) in enumerate(self.found) if at == line]
        if not hits:
            return strip
        cuts = sorted({cut for start, end, _ in hits for cut in (start, end)} | {strip.cell_length})
        pieces = strip.divide(cuts)
        marked: list[Strip] = []
        position = 0
        for piece in pieces:
            hit = next((number for start, end, number in hits if start <= position < end), None)
            if hit is not None:
                style = FOUND if hit == self.current else Style(underline=True, bold=True)
                piece = piece.apply_style(style)
            marked.append(piece)
            position += piece.cell_length
        return Strip.join(marked)
