"""``whomet chart``: how many meetings (and statements) a person or organization has per month,
week or year, in the terminal, as JSON or as SVG for a memo."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

PERIODS = ("month", "week", "year")


def add_commands(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's own type
    chart = commands.add_parser(
        "chart", help="meetings per month, week or year of a person or organization",
        description=(
            "Chart the meetings ID took part in (and, with --statements, the statements ID made) per "
            "month, ISO week or year, the count on each bar and the days ID's roles began and ended "
            "marked on the time axis. A record whose date spans more than one bar (one known only to "
            "the year, in a chart by month) is never counted in a bar: it is listed under the chart, "
            "with the span it may fall in."
        ),
    )
    chart.add_argument("id", metavar="ID", help="the id of a person or organization")
    chart.add_argument("folder", nargs="?", type=Path, metavar="FOLDER",
                       help="the casefile folder (default: the bundled case)")
    add_chart_options(chart, "ID made")
    chart.add_argument("--json", action="store_true", help="print the counts as JSON")


def run(options: argparse.Namespace, folder: Path) -> int:
    from .casefile_answers import answered

    return answered(folder, lambda casefile: _answer(options, casefile))


def _answer(options: argparse.Namespace, casefile) -> int:  # noqa: ANN001 - a CaseCache
    from .index import CachedIndex, activity_of
    from .casefile_answers import refused

    index = CachedIndex(casefile)
    if refused(index, options.id):
        return 2
    return show(activity_of(casefile, options.id, by=options.by, statements=options.statements), options)


def add_chart_options(parser: argparse.ArgumentParser, counted: str) -> None:
    """The options of a chart's shape and output; ``counted``: whose statements --statements counts."""
    parser.add_argument("--by", choices=PERIODS, default="month", help="one bar a month (the default), week or year")
    parser.add_argument("--statements", action="store_true", help=f"count the statements {counted} as well")
    parser.add_argument("--svg", type=Path, metavar="FILE", help="write the chart to FILE as SVG")


def show(found, options: argparse.Namespace) -> int:  # noqa: ANN001 - an Activity
    """Write the chart to --svg, print its counts as JSON with --json, else draw it here."""
    from .charts import terminal_chart, write_svg

    if options.svg is not None:
        try:
            write_svg(found, options.svg)
        except ModuleNotFoundError as missing:
            print(f"whomet: error: --svg needs {missing.name} (pip install 'whomet[svg]')", file=sys.stderr)
            return 2
        except OSError as error:
            print(f"whomet: error: cannot write {options.svg}: {error.strerror or error}", file=sys.stderr)
            return 2
    if options.json:
        print(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
    elif options.svg is None:
        size = shutil.get_terminal_size((100, 24))
        print(terminal_chart(found, width=max(size.columns, 40), height=max(min(size.lines - 4, 24), 12),
                             color=sys.stdout.isatty() and "NO_COLOR" not in os.environ))
    return 0
