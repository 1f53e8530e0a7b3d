"""The base of whomet's line-drawn views: a length that changes without laying the screen out."""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget


class LineView(ScrollView):
    """A scroll view drawn a line at a time, whose size the stylesheet sets and its lines never do.

    Textual lays the whole screen out again whenever a widget's virtual size changes, which here
    happened on every record shown (the timeline, the detail and its links all change length):
    at 100,000 records one key cost a layout, a repaint of the screen and two more frames. A view
    like this one keeps its place however long its content, so only its scroll bar has to follow;
    whether the bar shows at all changes the view's content width, and that still lays out (Textual
    does it when the bar comes or goes)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._pass_style = Style()
        self._pass_width = 0
        self._pass_components: dict[str, Style] = {}

    def render_lines(self, crop: Region) -> list[Strip]:
        # The view's style is found by walking up every ancestor's styles, and its content region
        # by shrinking its own; both hold for a whole pass, so they are found once for its lines.
        self._pass_style = self.rich_style
        self._pass_width = self.scrollable_content_region.width
        self._pass_components = {}
        return super().render_lines(crop)

    @property
    def line_style(self) -> Style:
        """The view's own style, for the lines drawn in this pass."""
        return self._pass_style

    @property
    def line_width(self) -> int:
        """The width of a line drawn in this pass: the view's, less its padding and scroll bar."""
        return self._pass_width

    def component_style(self, name: str) -> Style:
        """A component class's style, for the lines drawn in this pass."""
        style = self._pass_components.get(name)
        if style is None:
            style = self._pass_components[name] = self.get_visual_style(name).rich_style
        return style

    def set_line_count(self, lines: int) -> None:
        """The content is now ``lines`` lines long (and as wide as the view: nothing scrolls sideways)."""
        size = Size(0, lines)
        if size == self.virtual_size:
            return
        self.set_reactive(Widget.virtual_size, size)
        # What a change of virtual size does in Textual, short of the layout: show or hide the
        # scroll bars, size the vertical one to the content and keep the offset within it.
        self._scroll_update(size)
        self.refresh()
