"""A list of records drawn a line at a time, with the rows it shows and how a filter matches them."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate

from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from .keys import bindings
from .lineview import LineView


class Row:
    """One row of a list: the record it stands for, what it shows, what a filter matches.

    ``prompt`` may be a function that makes the text: a list of 100,000 rows then builds only
    the texts that are drawn. ``height`` is the row's lines (taken from the text when given)."""

    __slots__ = ("record_id", "keys", "height", "_prompt")

    def __init__(self, record_id: str | None, prompt: Text | Callable[[], Text], keys: tuple[str, ...] = (),
                 height: int | None = None) -> None:
        self.record_id = record_id
        self.keys = keys
        """Texts the filter matches against; a row without keys is a heading."""
        self._prompt = prompt
        if height is None:
            height = prompt.plain.count("\n") + 1 if isinstance(prompt, Text) else 1
        self.height = height

    @property
    def prompt(self) -> Text:
        if not isinstance(self._prompt, Text):
            self._prompt = self._prompt()
        return self._prompt

    def __repr__(self) -> str:
        return f"Row({self.record_id!r}, {self.keys!r})"


Matcher = Callable[[str, Sequence[str]], float | None]


def substring_matcher(query: str, keys: Sequence[str]) -> float | None:
    folded = query.casefold()
    return 1.0 if any(folded in key.casefold() for key in keys) else None


_FLAT = str.maketrans("\n\x1f", "  ")


def keys_text(rows: Sequence[Row]) -> str:
    """The rows' keys, case-folded, one line per row that has keys: its position, a tab, its keys
    apart by \\x1f. A pattern over this text finds candidate rows in one pass."""
    return "\n".join(f"{position}\t" + "\x1f".join(key.casefold().translate(_FLAT) for key in row.keys)
                     for position, row in enumerate(rows) if row.keys)


def matching_rows(rows: Sequence[Row], query: str, matcher: Matcher, rank: bool, text: str) -> list[Row]:
    """The rows ``matcher`` matches ``query`` with, best first when ``rank``, else in order.
    ``text``: :func:`keys_text` of ``rows``."""
    # The matchers match a key only if it holds the query's letters in order (a substring does
    # too): one pattern over every key finds those rows, and only they are scored. Each letter is
    # taken at its first place after the previous one (possessively), so the pattern never
    # backtracks within a key, whatever the names.
    letters = [re.escape(letter) for letter in query.casefold() if not letter.isspace()]
    candidates: Iterable[int] = range(len(rows))
    if letters:
        within = "".join(rf"[^\n\x1f{letter}]*+{letter}" for letter in letters)
        pattern = re.compile(rf"^(\d+)\t(?:[^\n\x1f]*+\x1f)*?{within}", re.MULTILINE)
        candidates = map(int, pattern.findall(text))
    scored = [(-score, position, row) for position in candidates
              if (row := rows[position]).keys and (score := matcher(query, row.keys)) is not None]
    if rank:
        scored.sort()
    return [row for _, _, row in scored]


class RecordList(LineView, can_focus=True):
    """Records one or more lines each, drawn line by line: only the lines on screen cost anything,
    so filling or filtering 100,000 rows takes no longer than filling ten."""

    DEFAULT_CSS = """
    RecordList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .record-list--heading { color: $text-muted; text-style: bold; }
        & > .record-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus > .record-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .record-list--hover { background: $block-hover-background; }
    }
    """

    COMPONENT_CLASSES = {
        "record-list--heading",
        "record-list--highlighted",
        "record-list--hover",
    }

    BINDINGS = bindings("records")

    highlighted: reactive[int | None] = reactive(None, always_update=True, init=False)
    """The position of the row under the cursor."""

    class _RowMessage(Message):
        def __init__(self, record_list: RecordList, record_id: str, index: int) -> None:
            super().__init__()
            self.record_list = record_list
            self.record_id = record_id
            self.index = index

        @property
        def control(self) -> RecordList:
            return self.record_list

    class Highlighted(_RowMessage):
        """The cursor moved onto a record."""

    class Selected(_RowMessage):
        """A record was chosen: enter, or a click."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._made_positions: dict[str, int] | None = {}
        self._starts: list[int] = []
        """The first line of each row, when rows are not all of one height."""
        self._unit = 1
        """The height of every row, when they are all of one height."""
        self._line_count = 0
        self._hover: int | None = None
        self._strips: LRUCache[tuple[int, int, int, Style], Strip] = LRUCache(1024)

    # what the list holds

    @property
    def rows(self) -> list[Row]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def set_rows(self, rows: list[Row], highlight: str | None = None) -> None:
        """Show ``rows``, the cursor on ``highlight`` when it is one of them, else on the first record."""
        # Nothing here goes through every row more than it must: the chronology sets 75,000
        # rows at a key typed. Where each record is is found when first asked.
        self._rows = rows
        self._made_positions = None
        unit = rows[0].height if rows else 1
        if all(row.height == unit for row in rows):
            self._starts, self._unit = [], unit
            self._line_count = len(rows) * unit
        else:
            self._starts, self._unit = [0, *accumulate(row.height for row in rows)], 1
            self._line_count = self._starts[-1]
        self._strips.clear()
        self._hover = None
        # No width: rows are cut to the list's width, so there is nothing to scroll sideways, and
        # the list's first sizing (after its first paint) leaves the virtual size as it was
        # instead of laying out and drawing the screen again.
        self.set_line_count(self._line_count)
        self.scroll_to(y=0, animate=False, immediate=True)
        position = None
        if highlight is not None:
            position = next((at for at, row in enumerate(rows) if row.record_id == highlight), None)
        if position is None:
            position = self._selectable_from(0, 1)
        with self.prevent(self.Highlighted):
            self.highlighted = position
        self.refresh()

    def clear(self) -> None:
        self.set_rows([])

    @property
    def _positions(self) -> dict[str, int]:
        """Where each record's first row is."""
        if self._made_positions is None:
            self._made_positions = {}
            for position, row in enumerate(self._rows):
                if row.record_id is not None:
                    self._made_positions.setdefault(row.record_id, position)
        return self._made_positions

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self._rows):
            return None
        return self._rows[self.highlighted].record_id

    def highlight_id(self, record_id: str | None) -> bool:
        """Put the cursor on a record; False when the list does not show it."""
        position = self._positions.get(record_id) if record_id is not None else None
        if position is None:
            return False
        self.highlighted = position
        return True

    # lines and rows

    def _start_of(self, position: int) -> int:
        return self._starts[position] if self._starts else position * self._unit

    def _height_of(self, position: int) -> int:
        return self._starts[position + 1] - self._starts[position] if self._starts else self._unit

    def _row_at_line(self, line: int) -> tuple[int, int] | None:
        if not 0 <= line < self._line_count:
            return None
        if not self._starts:
            return divmod(line, self._unit)
        position = bisect_right(self._starts, line) - 1
        return position, line - self._starts[position]

    def on_resize(self) -> None:
        self._scroll_to_highlight()

    def render_line(self, y: int) -> Strip:
        width = self.line_width
        found = self._row_at_line(self.scroll_offset.y + y)
        base = self.line_style
        if found is None:
            return Strip.blank(width, base)
        position, line = found
        row = self._rows[position]
        if row.record_id is None:
            state = "record-list--heading"
        elif position == self.highlighted:
            state = "record-list--highlighted"
        elif position == self._hover:
            state = "record-list--hover"
        else:
            state = ""
        style = self.component_style(state) if state else base
        key = (position, line, width, style)
        strip = self._strips.get(key)
        if strip is None:
            text = row.prompt.split("\n", allow_blank=True)[line] if self._starts or self._unit > 1 else row.prompt
            text = text.copy()
            text.truncate(width, overflow="ellipsis")
            segments = list(text.render(self.app.console))
            strip = Strip(segments).apply_style(style).extend_cell_length(width, style).crop(0, width)
            self._strips[key] = strip
        return strip

    def notify_style_update(self) -> None:
        # Focus and hover restyle the cursor once the stylesheet has been applied, which is
        # after the focus event: draw again then.
        self.refresh()
        super().notify_style_update()

    # the cursor

    def _selectable_from(self, position: int, step: int) -> int | None:
        """The first row holding a record from ``position`` on, going by ``step``."""
        rows = self._rows
        while 0 <= position < len(rows):
            if rows[position].record_id is not None:
                return position
            position += step
        return None

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._rows:
            return None
        return min(max(highlighted, 0), len(self._rows) - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        offset = self.scroll_offset
        self._scroll_to_highlight()
        if self.scroll_offset == offset:
            # Not scrolled (a scroll draws the whole list): only the rows the cursor left and
            # reached are drawn again, which keeps a key's first paint small.
            self._refresh_row(old)
            self._refresh_row(new)
        if new is not None and new != old:
            record_id = self._rows[new].record_id
            if record_id is not None:
                self.post_message(self.Highlighted(self, record_id, new))

    def _refresh_row(self, position: int | None) -> None:
        if position is not None and 0 <= position < len(self._rows):
            self.refresh_lines(self._start_of(position), self._height_of(position))

    def _scroll_to_highlight(self) -> None:
        if self.highlighted is None or not self.is_mounted or not self.scrollable_content_region.height:
            return  # not laid out yet: done again once it has a size (on_resize)
        start = self._start_of(self.highlighted)
        region = Region(0, start, max(self.scrollable_content_region.width, 1), self._height_of(self.highlighted))
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def _move(self, start: int, step: int) -> None:
        target = self._selectable_from(start, step)
        if target is None:
            target = self._selectable_from(start - step, -step)
        if target is not None:
            self.highlighted = target

    def action_cursor_down(self) -> None:
        self._move(0 if self.highlighted is None else self.highlighted + 1, 1)

    def action_cursor_up(self) -> None:
        self._move(0 if self.highlighted is None else self.highlighted - 1, -1)

    def action_first(self) -> None:
        self._move(0, 1)

    def action_last(self) -> None:
        self._move(len(self._rows) - 1, -1)

    def _page(self, direction: int) -> None:
        if self.highlighted is None:
            return self.action_first()
        height = max(self.scrollable_content_region.height, 1)
        line = self._start_of(self.highlighted) + direction * height
        line = min(max(line, 0), max(self._line_count - 1, 0))
        found = self._row_at_line(line)
        if found is not None:
            self._move(found[0], direction)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        record_id = self.highlighted_id
        if record_id is not None and self.highlighted is not None:
            self.post_message(self.Selected(self, record_id, self.highlighted))

    # the mouse

    def _position_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        found = self._row_at_line(self.scroll_offset.y + offset.y)
        return found[0] if found is not None else None

    async def _on_click(self, event: events.Click) -> None:
        position = self._position_at(event)
        if position is not None and self._rows[position].record_id is not None:
            self.highlighted = position
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        position = self._position_at(event)
        if position != self._hover:
            self._refresh_row(self._hover)
            self._hover = position
            self._refresh_row(position)

    def _on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._refresh_row(self._hover)
            self._hover = None
