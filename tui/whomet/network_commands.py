"""``whomet chronology``, ``whomet connections`` and ``whomet path``: who met whom, when, for scripts
and memos."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

from .casefile_answers import answered, refused
from .chart_commands import add_chart_options
from .model.kinds import MEETING_STATUSES as STATUSES
from .model.kinds import TYPES_AND_SETTINGS as TYPES


def add_commands(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's own type
    chronology = commands.add_parser(
        "chronology", help="every meeting and statement in date order, filtered",
        description=("Every meeting and statement of the casefile by its earliest possible day (a fuzzy "
                     "date is shown as the records give it), filtered by who was there, kind, stance, "
                     "meeting type, status, oath, stance, a role held on the day, dates and words; "
                     "with --chart, the records found per month, week or year."),
    )
    chronology.add_argument("folder", nargs="?", type=Path, metavar="FOLDER",
                            help="the casefile folder (default: the bundled case)")
    chronology.add_argument("--with", dest="parties", action="append", default=[], metavar="ID",
                            help="only records with this person or organization (repeatable: all of them)")
    chronology.add_argument("--any", action="store_true", help="with several --with: any of them, not all")
    chronology.add_argument("--kind", action="append", default=[], choices=("meeting", "statement"))
    chronology.add_argument("--stance", action="append", default=[],
                            choices=("denies", "confirms", "amends", "mentions"),
                            help="only statements that take this stance on a meeting")
    chronology.add_argument("--between", metavar="EDTF",
                            help='only records certainly within these dates, e.g. "2016-03/2016-09" or "2016"')
    chronology.add_argument("--type", action="append", default=[], choices=TYPES, metavar="TYPE",
                            help="only meetings of this type or statements made in this setting (repeatable: "
                                 f"any of them): {', '.join(TYPES)}")
    chronology.add_argument("--status", action="append", default=[], choices=STATUSES,
                            help="only meetings of this status (repeatable: any of them)")
    oath = chronology.add_mutually_exclusive_group()
    oath.add_argument("--under-oath", dest="oath", action="store_const", const=True,
                      help="only statements made under oath")
    oath.add_argument("--not-under-oath", dest="oath", action="store_const", const=False,
                      help="only statements not made under oath")
    chronology.add_argument("--role", action="append", default=[], metavar="WORDS",
                            help="only records with someone who held a role so titled on the day, or was there "
                                 'in that capacity, e.g. "ambassador" (repeatable: each of them)')
    chronology.add_argument("--text", default="", metavar="WORDS", help="only records that hold these words")
    chronology.add_argument("--json", action="store_true", help="print the records (with --chart, the counts) as JSON")
    chronology.add_argument("--chart", action="store_true",
                            help="chart the records found per month (--by), instead of listing them")
    add_chart_options(chronology, "found")

    connections = commands.add_parser(
        "connections", help="everyone a person or organization shared a meeting with",
        description=("List everyone ID shared a recorded meeting with: how many meetings, the first and "
                     "the last, and as what each was there, most meetings first."),
    )
    connections.add_argument("id", metavar="ID", help="the id of a person or organization")
    connections.add_argument("folder", nargs="?", type=Path, metavar="FOLDER",
                             help="the casefile folder (default: the bundled case)")
    connections.add_argument("--json", action="store_true", help="print the connections as JSON")

    path = commands.add_parser(
        "path", help="the shortest chain of shared meetings between two people or organizations",
        description="The shortest chain of meetings that links FROM to TO: each hop a meeting both attended.",
    )
    path.add_argument("start", metavar="FROM", help="the id of a person or organization")
    path.add_argument("end", metavar="TO", help="the id of a person or organization")
    path.add_argument("folder", nargs="?", type=Path, metavar="FOLDER",
                      help="the casefile folder (default: the bundled case)")
    path.add_argument("--chains", type=_positive, default=1, metavar="N",
                      help="the N shortest chains, each through other people than the one before (default 1)")
    path.add_argument("--json", action="store_true",
                      help="print the chain as JSON (with --chains, a list of chains)")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def run(options: argparse.Namespace, folder: Path) -> int:
    return answered(folder, lambda casefile: _answer(options, casefile))


def _answer(options: argparse.Namespace, casefile) -> int:  # noqa: ANN001 - a CaseCache
    from .index import CachedIndex
    from .index.network import chains, connections_of

    index = CachedIndex(casefile)
    if options.command == "chronology":
        return _chronology(index, casefile, options)
    ids = [options.id] if options.command == "connections" else [options.start, options.end]
    if any([refused(index, record_id) for record_id in ids]):  # each one told, not only the first
        return 2
    if options.command == "connections":
        return _print_connections(index, connections_of(casefile.db, options.id), as_json=options.json)
    found = list(itertools.islice(chains(casefile.db, options.start, options.end), options.chains))
    return _print_paths(index, options.start, options.end, found, as_json=options.json, listed=options.chains > 1)


def _chronology(index, casefile, options: argparse.Namespace) -> int:  # noqa: ANN001
    from .index.chronology import Filters, chronology_of
    from .model import DateError, FuzzyDate

    if any([refused(index, record_id) for record_id in options.parties]):
        return 2
    first = last = None
    if options.between:
        try:
            span = FuzzyDate.parse(options.between)
        except DateError as error:
            print(f"whomet: error: --between {options.between!r}: {error}", file=sys.stderr)
            return 2
        first, last = span.lower.isoformat(), span.upper.isoformat()
    filters = Filters(tuple(options.parties), not options.any, tuple(options.kind), tuple(options.stance),
                      first, last, options.text, tuple(options.type), tuple(options.status), options.oath,
                      tuple(options.role))
    if options.chart:
        from .chart_commands import show
        from .index import activity_of
        from .index.chronology import dates_of

        said = filters.said()
        return show(activity_of(casefile, by=options.by, statements=options.statements or options.kind == ["statement"],
                                dates=dates_of(casefile.db, filters),
                                label=f"chronology · {said}" if said else "the casefile"), options)
    rows = chronology_of(casefile.db, filters)
    if options.json:
        print(json.dumps([{"id": r.id, "kind": r.kind, "when": r.when, "what": r.what, "title": r.title,
                           "speaker": r.speaker or None, "flag": r.flag or None} for r in rows],
                         indent=2, ensure_ascii=False))
        return 0
    width = max((len(row.when) for row in rows), default=0)
    for row in rows:
        flag = {"contradicts": "  ⚠ contradicts records", "denied": "  ✗ denied"}.get(row.flag, "")
        title = f"{index.label_of(row.speaker) or row.speaker}: {row.title}" if row.speaker else row.title
        print(f"{row.when:<{width}}  {row.what:<9} {title}{flag}")
    print(f"{len(rows)} record{'s' * (len(rows) != 1)}" + (f" ({filters.said()})" if filters.said() else ""),
          file=sys.stderr)
    return 0


def _print_connections(index, found, *, as_json: bool) -> int:  # noqa: ANN001
    if as_json:
        print(json.dumps([{
            "id": c.other, "name": c.label, "kind": c.kind, "meetings": list(c.meetings), "count": len(c.meetings),
            "first": c.first, "last": c.last, "capacities": list(c.capacities),
            "their_capacities": list(c.their_capacities),
        } for c in found], indent=2, ensure_ascii=False))
        return 0
    for c in found:
        line = f"{len(c.meetings):>3}×  {c.label}  ({c.span})"
        for label, capacities in ((c.label, c.their_capacities), (index.label_of(c.party), c.capacities)):
            if capacities:
                line += f"  · {label}: {'; '.join(capacities)}"
        print(line)
    return 0


def _print_paths(index, start: str, end: str, found: list, *, as_json: bool, listed: bool) -> int:  # noqa: ANN001
    """The chains found, shortest first; ``listed``: more than one was asked for (JSON: a list of them)."""
    if not found:
        print(f"No chain of shared meetings links {index.label_of(start)} and {index.label_of(end)}.",
              file=sys.stderr)
        return 1

    def when(meeting: str) -> str:
        brief = index.brief(meeting)
        return brief.when if brief else ""

    if as_json:
        made = [[{"from": h.source, "meeting": h.meeting, "to": h.target, "when": when(h.meeting)} for h in hops]
                for hops in found]
        print(json.dumps(made if listed else made[0], indent=2, ensure_ascii=False))
        return 0
    for number, hops in enumerate(found, 1):
        if listed:
            print(f"{'' if number == 1 else chr(10)}Chain {number}: {len(hops)} meeting{'s' * (len(hops) != 1)}")
        print(index.label_of(start))
        for hop in hops:
            print(f"  ↳ {when(hop.meeting)}  {index.label_of(hop.meeting)}")
            print(index.label_of(hop.target))
    return 0
