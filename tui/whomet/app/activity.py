"""The activity chart of a person or organization, or of the records the chronology's filters pass:
meetings (and statements) per month, week or year, the days a person's roles began and ended
marked, and what no bar can honestly show listed under it.

textual-plotext (and plotext under it) is imported when the screen is first opened, never at launch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..charts import PER, captions, draw, notes
from ..index import Activity, Filters, activity_of, dates_of, read_dates
from .keybar import KeyBar
from .keys import bindings
from .text import one_line, visible

if TYPE_CHECKING:
    from ..index import Chronology
    from ..index.activity import Period
    from ..store import CaseCache
    from .session import CasefileSession

_PLOT: type | None = None


def _plot_class() -> type:
    """The chart widget, made on first use: its base class is textual-plotext's."""
    global _PLOT  # noqa: PLW0603 - made once, on first use
    if _PLOT is None:
        from textual_plotext import PlotextPlot

        class ActivityPlot(PlotextPlot):
            """The bars, drawn again at the widget's size whenever it is painted."""

            def __init__(self, activity: Activity, **options: Any) -> None:
                super().__init__(**options)
                self.activity = activity

            def render(self) -> Any:
                draw(self.plt, self.activity, width=self.size.width, height=self.size.height)
                return super().render()

        _PLOT = ActivityPlot
    return _PLOT


class ActivityScreen(ModalScreen[None]):
    """Meetings (and, on ``s``, statements) per month, week or year of one person or organization,
    or of what the chronology's filters pass."""

    DEFAULT_CSS = """
    ActivityScreen > #activity-dialog {
        width: 90%;
        height: 90%;
    }
    ActivityScreen #activity-plot {
        height: 1fr;
        min-height: 8;
    }
    ActivityScreen #activity-notes {
        height: auto;
        max-height: 30%;
    }
    """

    BINDINGS = bindings("activity")

    def __init__(self, casefile: CaseCache, party: str | None = None, *, filters: Filters | None = None,
                 chronology: Chronology | None = None, by: Period = "month", statements: bool = False,
                 session: CasefileSession | None = None) -> None:
        """``casefile``: the session's cache; ``party``: the id of a person or organization, or
        None for the records ``filters`` pass (all of them when None too), read from
        ``chronology`` when the session has one. With ``session``, the chart follows the casefile
        when it is read again."""
        super().__init__()
        self.casefile = casefile
        self.party = party
        self.filters = filters
        self.session = session
        said = filters.said() if filters is not None else ""
        self.label = f"chronology · {said}" if said else "the casefile"
        # Read once: the keys only count them again.
        self._dates = self._read(chronology)
        self.activity = self._count(by, statements)

    def _read(self, chronology: Chronology | None) -> list[tuple[str, str, str, int]]:
        if self.party is not None or self.filters is None:
            return read_dates(self.casefile.db, self.party)
        return dates_of(self.casefile.db, self.filters, chronology)

    def casefile_changed(self) -> None:
        """The casefile was read again (changed outside): counted again and drawn as it is now."""
        session = self.session
        if session is None or session.casefile is None:
            return
        self.casefile = session.casefile
        self._dates = self._read(session.chronology() if self.filters is not None else None)
        self.show()

    def _count(self, by: Period, statements: bool) -> Activity:
        return activity_of(self.casefile, self.party, by=by, statements=statements, dates=self._dates,
                           label=self.label)

    def compose(self) -> ComposeResult:
        with Vertical(id="activity-dialog", classes="dialog") as dialog:
            dialog.border_title = Text(f"Activity: {one_line(visible(self.activity.label))}")
            dialog.border_subtitle = "m month · w week · y year · s statements · esc closes"
            yield _plot_class()(self.activity, id="activity-plot")
            with VerticalScroll(id="activity-notes"):
                yield Static(self._notes(), id="activity-notes-text")
        yield KeyBar()

    def _notes(self) -> Text:
        what = "meetings and statements" if self.activity.statements else "meetings"
        head = Text(f"{what.capitalize()} per {PER[self.activity.period]}", style="bold")
        said = captions(self.activity, self.query_one("#activity-plot").size.width) if self.is_mounted else []
        return Text("\n").join([head, *(Text(visible(line)) for line in [*said, *notes(self.activity)])])

    def on_resize(self) -> None:
        # How many bars a column shows depends on the chart's width, known once it is laid out.
        self.call_after_refresh(self._show_notes)

    def _show_notes(self) -> None:
        self.query_one("#activity-notes-text", Static).update(self._notes())

    def show(self, *, by: Period | None = None, statements: bool | None = None) -> None:
        """Count again by ``by``, with or without statements, and draw the chart again."""
        self.activity = self._count(by or self.activity.period,
                                    self.activity.statements if statements is None else statements)
        plot = self.query_one("#activity-plot")
        plot.activity = self.activity  # type: ignore[attr-defined]
        plot.refresh()
        self._show_notes()

    def action_by(self, period: Period) -> None:
        self.show(by=period)

    def action_statements(self) -> None:
        self.show(statements=not self.activity.statements)

    def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
