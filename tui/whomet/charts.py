"""An activity chart drawn: with plotext in a terminal (by ``whomet chart`` and by the app's
screen alike) and with matplotlib as SVG, for a memo. Both draw the same bars, the count on each,
and a line where a role began or ended; what a bar cannot honestly show (records whose dates span
more than one bar, roles whose day is not known to the bar) is said in the lines under the chart.

Neither library is imported before a chart is drawn: plotext and matplotlib take longer to import
than the rest of the command takes to run.
"""

from __future__ import annotations

import math
import string
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .index import Activity

PER = {"month": "month", "week": "ISO week", "year": "year"}
MEETINGS_COLOR, STATEMENTS_COLOR, MARK_COLOR = "blue", "orange", "red"
BAR_WIDTH = 0.7
"""Of the room each bar has: a role mark is placed within the bar drawn, as far into it as its day
is into the bar's days (a line between two bars would say neither)."""


def title(activity: Activity) -> str:
    """``Jeff Sessions: meetings per month``."""
    what = "meetings and statements" if activity.statements else "meetings"
    return f"{activity.label}: {what} per {PER[activity.period]}"


@dataclass(frozen=True, slots=True)
class Line:
    """Where the role marks of one day are drawn: ``x`` in bars (the first bar is 1), the letter
    that names them on the chart, and what began or ended."""

    x: float
    letter: str
    when: str
    changes: tuple[str, ...]


def mark_lines(activity: Activity, bar_width: float = BAR_WIDTH) -> list[Line]:
    """The role marks that fall within one bar shown, one line a day, placed within their bar as
    far as their day is into it."""
    place = {bar.key: (number, bar) for number, bar in enumerate(activity.bars, start=1)}
    days: dict[date, tuple[float, str, list[str]]] = {}
    for mark in activity.marks:
        if mark.bar is None:
            continue
        number, bar = place[mark.bar]
        into = ((mark.first - bar.first).days + (mark.last - bar.first).days + 1) / 2 / ((bar.last - bar.first).days + 1)
        x, when, changes = days.setdefault(mark.first, (number + (into - 0.5) * bar_width, mark.when, []))
        changes.append(f"{mark.change} {mark.title}")
    letters = string.ascii_uppercase
    return [Line(x, letters[i % len(letters)], when, tuple(changes))
            for i, (x, when, changes) in enumerate(sorted(days.values(), key=lambda day: day[0]))]


def _letters_at(lines: list[Line], gap: float) -> list[tuple[float, str]]:
    """The letters to write over the lines: those of lines closer than ``gap`` together, once."""
    placed: list[tuple[float, str]] = []
    for line in sorted(lines, key=lambda line: line.x):
        if placed and line.x - placed[-1][0] < gap:
            placed[-1] = (placed[-1][0], placed[-1][1] + line.letter)
        else:
            placed.append((line.x, line.letter))
    return placed


def _counts(meetings: int, statements: int, *, with_statements: bool) -> str:
    if not with_statements:
        return str(meetings)
    return f"{meetings} meeting{'s' * (meetings != 1)}, {statements} statement{'s' * (statements != 1)}"


APART_LISTED = 20
"""Spans of records counted apart listed under a chart, the largest: a casefile of 100k records
has thousands (``whomet chart --json`` gives them all)."""


def notes(activity: Activity) -> list[str]:
    """What goes under the chart: the role marks drawn and those that cannot be, then the records
    counted apart from the bars."""
    lines = [f"{line.letter}  {line.when}: {'; '.join(line.changes)}" for line in mark_lines(activity)]
    if activity.bars:
        first, last = activity.bars[0].first, activity.bars[-1].last
        vague = [mark for mark in activity.marks if mark.bar is None and mark.first <= last and mark.last >= first]
        for mark in vague:
            lines.append(f"·  {mark.when} ({PER[activity.period]} unknown, not marked): {mark.change} {mark.title}")
    if activity.apart:
        if lines:
            lines.append("")
        lines.append(f"Not in any bar: their dates span more than one {PER[activity.period]}")
        listed = set(sorted(activity.apart, key=lambda group: -group.total)[:APART_LISTED])
        lines += [f"  {group.label}: {_counts(group.meetings, group.statements, with_statements=activity.statements)}"
                  for group in activity.apart if group in listed]
        if len(activity.apart) > len(listed):
            rest = sum(group.total for group in activity.apart if group not in listed)
            lines.append(f"  … {rest} more in {len(activity.apart) - len(listed)} other spans")
    if not activity.bars and not activity.apart:
        lines.append(f"No {'meetings or statements' if activity.statements else 'meetings'} recorded.")
    return lines


def _ticks(activity: Activity, width: int) -> tuple[list[int], list[str]]:
    """Bars to name on the axis, as many as fit ``width`` columns without touching: the year is
    written at the first and wherever it changes (``Aug 2015``, ``Nov``, ``Feb 2016``, ``May``)."""
    bars = activity.bars
    widest = max(len(bar.label) for bar in bars) + 2
    step = max(1, math.ceil(widest * len(bars) / max(width, 1)))
    positions, labels, year = [], [], ""
    for i in range(0, len(bars), step):
        label = bars[i].label
        short, _, its_year = label.rpartition(" ")
        positions.append(i + 1)
        labels.append(short if short and its_year == year else label)
        year = its_year
    return positions, labels


def _plot_width(activity: Activity, width: int) -> int:
    """The columns the bars have in a plot ``width`` wide: less the frame and the counts' axis."""
    return max(width - len(str(max(bar.total for bar in activity.bars))) - 3, 10)


def captions(activity: Activity, width: int) -> list[str]:
    """What to say under a plot ``width`` columns wide of how it is drawn: which bars are which,
    and how many bars a column shows when there are more bars than columns. Here rather than in
    plotext's title and legend, which a narrow plot cuts and the marks' letters write over."""
    said = ["█ meetings  ░ statements"] if activity.statements else []
    if activity.bars and (plot_width := _plot_width(activity, width)) < len(activity.bars):
        per = math.ceil(len(activity.bars) / plot_width)
        said.append(f"More {PER[activity.period]}s than columns: each column shows the busiest of the {per} it covers.")
    return said


def draw(plt: Any, activity: Activity, *, width: int, height: int) -> list[str]:
    """Draw ``activity`` with ``plt`` (the plotext module, or textual-plotext's ``plt``) for a
    plot ``width`` columns by ``height`` rows. Returns what to say under it of how it is drawn:
    which bars are which, and how many bars each column shows when there are more than columns
    (plotext's own title and legend would be cut, or written over by the marks)."""
    plt.clear_figure()
    plt.plotsize(width, height)
    bars = activity.bars
    if not bars:
        return []
    said = captions(activity, width)
    highest = max(bar.total for bar in bars)
    plot_width = _plot_width(activity, width)
    cell = plot_width / len(bars)  # columns per bar
    if cell < 1:
        # More bars than columns: plotext would draw every bar into the few columns, slowly (a
        # second for the 900 weeks of 100k records). Each column shows the busiest bar it covers.
        per = math.ceil(len(bars) / plot_width)
        shown = [max(range(start, min(start + per, len(bars))), key=lambda i: bars[i].total)
                 for start in range(0, len(bars), per)]
        wide = float(per)
    else:
        shown = list(range(len(bars)))
        # Bars at least two columns apart when they can be: plotext rounds their edges outwards.
        wide = min(BAR_WIDTH, max(0.3, 1 - 3 / cell))
    # Only the bars with a height: each costs plotext as much to draw as to leave out.
    xs = [i + 1 for i in shown if bars[i].total]
    # plotext takes a bar's width as a share of the mean distance between the bars it is given.
    share = min(1.0, wide / ((xs[-1] - xs[0]) / (len(xs) - 1))) if len(xs) > 1 else wide
    if activity.statements:
        # The statements drawn under the meetings: ░ as high as both, █ over it as high as the
        # meetings. Two markers as well as two colours, told apart in a terminal without colour.
        plt.bar(xs, [bars[x - 1].total for x in xs], color=STATEMENTS_COLOR, marker="░", width=share)
        plt.bar(xs, [bars[x - 1].meetings for x in xs], color=MEETINGS_COLOR, marker="█", width=share)
    else:
        plt.bar(xs, [bars[x - 1].meetings for x in xs], color=MEETINGS_COLOR, marker="█", width=share)
    rows = max(height - 3, 4)  # the frame's two lines and the axis labels take the rest
    # One row a ``step`` of counts, the first row for the first step: a bar of n steps is n rows
    # high (from 0, plotext would fill one more), and two rows are left above the highest bar,
    # for its count and a mark's letter.
    step = highest / (rows - 2)
    top = step * rows
    plt.ylim(step * 0.99, top)
    tick = max(1, math.ceil(highest / max(rows // 3, 1)))
    plt.yticks(list(range(tick, highest + 1, tick)))
    free_from = -math.inf  # the first column a count may be written at without touching the last
    for x in xs if cell >= 1 else ():
        bar = bars[x - 1]
        text = str(bar.total)
        column = (x - 0.5) * cell
        if column - len(text) / 2 < free_from:
            continue  # bars too narrow for every count: the one before keeps its own
        # "default" colours: the terminal's, or the app's theme (plotext would take those of the
        # canvas as it was before the widget's theme is applied to it).
        plt.text(text, x, bar.total + step, alignment="center", color="default", background="default")
        free_from = column + len(text) / 2 + 1
    lines = mark_lines(activity, min(wide, 1.0))
    for line in lines:
        plt.vline(line.x, MARK_COLOR)
    for x, letters in _letters_at(lines, 2 / cell):
        plt.text(letters, x, top, alignment="left", color=MARK_COLOR, background="default")
    plt.xlim(0.4, len(bars) + 0.6)
    plt.xticks(*_ticks(activity, plot_width))
    return said


def terminal_chart(activity: Activity, *, width: int, height: int, color: bool) -> str:
    """The chart's title, the chart as plotext draws it for a terminal ``width`` by ``height``,
    then its notes."""
    import plotext as plt

    said = draw(plt, activity, width=width, height=height)
    # The size asked, not the terminal's (there is none when printing to a pipe): the figure's
    # limit is set again by each clear, so after the drawing, then the size once more.
    plt.limitsize(False, False)
    plt.plotsize(width, height)
    plt.theme("clear")  # the terminal's own colours for all but the bars and the marks
    drawn = plt.build() if activity.bars else ""
    if not color:
        drawn = plt.uncolorize(drawn)
    plt.clear_figure()
    return "\n".join([title(activity), *([drawn.rstrip("\n")] if drawn else []), *said, *notes(activity)])


def _wrapped(note: str, width: int) -> list[str]:
    # No-break spaces: an SVG reader collapses ordinary ones, and the indent says what belongs together.
    indent = "\u00a0" * (len(note) - len(note.lstrip()))
    return textwrap.wrap(note.lstrip(), width, initial_indent=indent, subsequent_indent=indent + "   ") or [""]


SVG_LABELLED = 240
"""Bars an SVG writes the count on: past that, at 24 inches wide, the counts run into one another."""


def write_svg(activity: Activity, path: Path) -> None:
    """Write ``activity`` as an SVG chart to ``path``: the bars with their counts, the role marks
    and the notes under them, its text kept as text (a memo's editor can change it)."""
    import matplotlib

    matplotlib.use("svg")
    from matplotlib.figure import Figure

    bars = activity.bars
    width = min(max(7.0, 1.5 + 0.3 * len(bars)), 24.0)
    # Notes wrapped to the figure's width: about 15 characters an inch at their size.
    unlabelled = [f"{len(bars)} bars: too many to write the count on each (whomet chart --json gives them)."
                  ] if len(bars) > SVG_LABELLED else []
    written = [part for note in [*unlabelled, *notes(activity)] for part in _wrapped(note, int(width * 15) - 8)]
    slanted = bool(bars) and len(_ticks(activity, int(width * 10))[0]) > 8
    graph_height, axis_height, notes_height = 3.0, 0.8 if slanted else 0.5, 0.2 * len(written) + 0.2
    total = 0.6 + graph_height + axis_height + notes_height
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "whomet", "font.size": 9}):
        figure = Figure(figsize=(width, total))
        graph = figure.add_axes((0.6 / width, (notes_height + axis_height) / total, 1 - 0.9 / width,
                                 graph_height / total))
        figure.text(0.6 / width, 1 - 0.15 / total, title(activity), va="top", fontsize=12)
        if bars:
            xs = list(range(1, len(bars) + 1))
            meetings = [bar.meetings for bar in bars]
            top = graph.bar(xs, meetings, width=0.7, color="#3a6ea5", label="meetings")
            if activity.statements:
                top = graph.bar(xs, [bar.statements for bar in bars], width=0.7, bottom=meetings,
                                color="#e69138", label="statements")
                graph.legend(loc="upper left", frameon=False)
            if len(bars) <= SVG_LABELLED:
                graph.bar_label(top, labels=[str(bar.total) if bar.total else "" for bar in bars], padding=2)
            graph.set_ylim(0, max(bar.total for bar in bars) * 1.2 + 0.5)
            graph.yaxis.get_major_locator().set_params(integer=True)
            graph.set_xlim(0.4, len(bars) + 0.6)
            positions, labels = _ticks(activity, int(width * 10))
            graph.set_xticks(positions, labels, rotation=40 if slanted else 0, ha="right" if slanted else "center")
            lines = mark_lines(activity)
            for line in lines:
                graph.axvline(line.x, color="#c0392b", linestyle="--", linewidth=1)
            for x, letters in _letters_at(lines, 0.2 * len(bars) / width):
                graph.annotate(letters, (x, 1), xycoords=("data", "axes fraction"), xytext=(0, 2),
                               textcoords="offset points", ha="center", va="bottom", color="#c0392b",
                               fontweight="bold")
            graph.spines[["top", "right"]].set_visible(False)
        else:
            graph.set_axis_off()
        for number, text in enumerate(written):
            figure.text(0.6 / width, (notes_height - 0.1 - 0.2 * number) / total, text, va="top", fontsize=8.5)
        figure.savefig(path, format="svg", metadata={"Date": None})
