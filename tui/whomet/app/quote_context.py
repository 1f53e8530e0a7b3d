"""A quote or excerpt in its context: the archived text of its source, scrolled to the passage, the
words quoted marked, ``n`` and ``N`` to each place they are found. The text is the archive's as
data, never markup: ``[bold]`` in an article shows as typed."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.worker import get_current_worker

from .. import model
from ..store import ArchiveError, archive_ref, passage
from .keybar import KeyBar
from .keys import bindings
from .screens import ChoiceScreen
from .text import one_line, visible
from .textview import TextView

if TYPE_CHECKING:
    from ..store import Passage
    from .browser import BrowserScreen

CURRENT = Style(reverse=True, bold=True)
"""The words quoted, where the reader is."""
OTHER = Style(underline=True, bold=True)
"""The words quoted, at the other places they are found."""
CLOSEST = Style(color="yellow", underline=True)
"""The passage closest to a quote not found as written."""


@dataclass(frozen=True)
class Quotation:
    """A quote or excerpt of a record, and a source it is checked against."""

    what: str
    """Which of the record's texts: ``quote``, ``excerpt [2]``."""
    text: str
    source: str


class PassageView(TextView):
    """The archived text, scrolled to the place found; its marks are the text's own styles. Its
    ``n`` and ``N`` go from place to place as the screen marks them, not to words typed."""

    BINDINGS = bindings("context")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.starts: list[int] = []
        """Where, in the text, each place to go to begins."""
        self._plain = ""

    def show(self, text: Text, starts: list[int], current: int) -> None:
        self.update(text)
        self._plain = text.plain
        self.starts = starts
        self.current = current
        self._query = "\0"  # finding is what lays out the places to go to (see _find)
        self._find()
        self.current = current if self.found else -1
        self._show_current()

    def action_next_place(self, step: int) -> None:
        screen = self.screen
        if isinstance(screen, QuoteContextScreen):
            screen.action_next_place(step)

    def action_close(self) -> None:
        screen = self.screen
        if isinstance(screen, QuoteContextScreen):
            screen.action_close()

    def _lay_out(self, width: int) -> None:
        super()._lay_out(width)
        if self.found and self.current >= 0:  # laid out at last, or again at another width: to the place
            self.call_after_refresh(self._show_current)

    def _find(self) -> None:
        """Each place's line, as the text is now laid out; nothing is marked over the text."""
        self.found = []
        if not self.starts:
            return
        line_starts: list[int] = []
        at = 0
        for strip in self._lines:
            words = strip.text.strip()
            where = self._plain.find(words, at) if words else at
            line_starts.append(where if where >= 0 else at)
            if where >= 0:
                at = where + len(words)
        self.found = [(max(bisect_right(line_starts, start) - 1, 0), 0, 0) for start in self.starts]


class QuoteContextScreen(ModalScreen[None]):
    """The archive of a source with a quote or excerpt marked where it is, or, when it is nowhere
    as written, the closest passage marked and what differs."""

    def __init__(self, quotation: Quotation, found: Passage, source_title: str) -> None:
        super().__init__()
        self.quotation = quotation
        self.found = found
        self.source_title = source_title
        self.current = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="context-dialog", classes="dialog") as dialog:
            dialog.border_title = Text(f"{self.quotation.what.capitalize()} in {one_line(self.source_title, 60)}")
            yield PassageView(id="context-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self._draw()
        self.query_one(PassageView).focus()

    @property
    def places(self) -> int:
        return len(self.found.occurrences)

    def _draw(self) -> None:
        found = self.found
        marks: list[tuple[int, int, Style]] = []
        for number, place in enumerate(found.occurrences):
            style = CURRENT if number == self.current else OTHER
            marks += [(start, end, style) for start, end in place]
        if found.closest is not None:
            marks.append((*found.closest, CLOSEST))
        starts = [place[0][0] for place in found.occurrences] or ([found.closest[0]] if found.closest else [])
        self.query_one(PassageView).show(_marked(found.text, marks), starts, self.current if starts else -1)
        dialog = self.query_one("#context-dialog")
        if self.places:
            dialog.border_subtitle = Text(
                f"{found.archive} · found {self.current + 1} of {self.places} · n N: next, previous · esc: back")
        elif found.closest is not None:
            dialog.border_subtitle = Text(f"{found.archive} · not found as written: the closest passage is "
                                          "marked · esc: back")
        else:
            dialog.border_subtitle = Text(f"{found.archive} · not found as written, nothing close · esc: back")

    def action_next_place(self, step: int) -> None:
        if self.places > 1:
            self.current = (self.current + step) % self.places
            self._draw()

    def action_close(self) -> None:
        self.dismiss(None)


def _marked(text: str, marks: list[tuple[int, int, Style]]) -> Text:
    """``text`` as screen text, the spans of ``marks`` in their styles; each piece made visible
    on its own, so that a stand-in for a control character never moves a mark."""
    cuts = sorted({0, len(text), *(cut for start, end, _ in marks for cut in (start, end))})
    shown = Text()
    for start, end in zip(cuts, cuts[1:]):
        styles = [style for low, high, style in marks if low <= start < high]
        shown.append(visible(text[start:end]), style=Style.combine(styles) if styles else None)
    return shown


def quotations(browser: BrowserScreen, record: model.Record) -> list[Quotation]:
    """The quote and excerpts of ``record`` whose sources have an archive, each with that source;
    only those citing the source in focus among the links, when one is."""
    index = browser.index
    if index is None:
        return []
    found: list[Quotation] = []
    for loc, text, sources in _quoted(record):
        what = "quote" if loc == ("quote",) else f"excerpt [{loc[1] + 1}]"  # type: ignore[operator]
        for source in sources:
            if archive_ref(index.get(source)) is not None:
                found.append(Quotation(what, text, source))
                if what == "quote":
                    break  # the quote in the first archive that has it
    focused = browser.focused_link_target()
    if focused is not None and any(q.source == focused for q in found):
        found = [q for q in found if q.source == focused]
    return found


def _quoted(record: model.Record):  # noqa: ANN202
    from ..store import quoted

    return quoted(record)


def open_in_context(browser: BrowserScreen) -> None:
    """The quote or excerpt of the record in detail in its source's archive; a choice first when
    there are several."""
    record = browser.current_record()
    if record is None or browser.index is None:
        return
    if not isinstance(record, (model.Statement, model.Meeting)):
        browser.app.notify("Quotes in context are those of a statement or a meeting's citations: select one.",
                           timeout=4)
        return
    found = quotations(browser, record)
    if not found:
        browser.app.notify("No source this record cites has an archive: run 'whomet archive SOURCE' first.",
                           timeout=5)
        return
    if len(found) == 1:
        show_in_context(browser, found[0])
        return
    choices = [(str(number), _choice(browser, quotation)) for number, quotation in enumerate(found)]
    browser.app.push_screen(ChoiceScreen("Which quote, in which source?", choices),
                            lambda chosen: show_in_context(browser, found[int(chosen)]) if chosen else None)


def _choice(browser: BrowserScreen, quotation: Quotation) -> Text:
    label = Text(f"{quotation.what:<13}", style="bold")
    label.append(f"“{_cut(one_line(quotation.text), 60)}”  ")
    label.append(_cut(one_line(browser.session.label(quotation.source) or quotation.source), 40), style="italic")
    return label


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def show_in_context(browser: BrowserScreen, quotation: Quotation) -> None:
    source = browser.index.get(quotation.source) if browser.index is not None else None
    ref = archive_ref(source) if source is not None else None
    if ref is None or browser.session.folder is None:
        return
    folder, label, app = browser.session.folder, source.label, browser.app

    def show(found: Passage) -> None:
        if not found.occurrences and found.told:
            app.notify(f"Not in the archive as written: {found.told}", severity="warning", timeout=8, markup=False)
        app.push_screen(QuoteContextScreen(quotation, found, label))

    def read() -> None:
        # A PDF's or a page's archive is read and searched here, not on the interface's thread.
        try:
            found = passage(folder, quotation.source, ref, quotation.text)
        except ArchiveError as error:
            app.call_from_thread(app.notify, f"The archive of {quotation.source} cannot be read: {error}",
                                 severity="warning", timeout=6, markup=False)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(show, found)

    browser.run_worker(read, thread=True, group="quote-context", exclusive=True, exit_on_error=False)
