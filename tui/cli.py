"""The ``whomet`` command: browse a casefile (the default) or check one."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .store.bundled import bundled_casefile

COMMANDS = ("browse", "check")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whomet",
        description=(
            "Browse a casefile of who met whom and what they said about it. "
            "With no command, opens the browser on FOLDER (default: the bundled "
            "Sessions–Kislyak case)."
        ),
        epilog="Run 'whomet COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"whomet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    browse = commands.add_parser(
        "browse", help="open the browser (the default command)",
        description="Open the three-panel browser on a casefile folder.",
    )
    browse.add_argument("folder", nargs="?", type=Path, metavar="FOLDER",
                        help="the casefile folder (default: the bundled case)")

    check = commands.add_parser(
        "check", help="report every problem in a casefile",
        description=(
            "Read every record of a casefile and report every problem as "
            "'path:line: severity code: message'. Exits 1 when there are errors, 0 otherwise."
        ),
    )
    check.add_argument("folder", nargs="?", type=Path, metavar="FOLDER",
                       help="the casefile folder (default: the bundled case)")
    check.add_argument("--json", action="store_true", help="print the problems as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0] not in COMMANDS and not arguments[0].startswith("-")):
        arguments.insert(0, "browse")
    options = _parser().parse_args(arguments)
    folder: Path = options.folder or bundled_casefile()
    if options.command == "check":
        return check(folder, as_json=options.json)
    return browse(folder)


def check(folder: Path, *, as_json: bool = False) -> int:
    from .store import load

    casefile = load(folder)
    errors, warnings = len(casefile.errors), len(casefile.warnings)
    base = Path.cwd()
    if as_json:
        report = {
            "folder": str(folder),
            "records": len(casefile.records),
            "errors": errors,
            "warnings": warnings,
            "problems": [p.as_json(base) for p in casefile.problems],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for problem in casefile.problems:
            print(problem.format(base))
        print(f"{len(casefile.records)} records, {errors} error{'s' * (errors != 1)}, "
              f"{warnings} warning{'s' * (warnings != 1)}", file=sys.stderr)
    return 1 if errors else 0


def browse(folder: Path) -> int:
    from .app import WhometApp

    WhometApp(folder).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
