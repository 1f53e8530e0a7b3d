"""The ``whomet`` command: browse a casefile (the default) or check one."""

from __future__ import annotations

import argparse
import csv
import difflib
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .store.bundled import bundled_casefile

if TYPE_CHECKING:
    from .app import WhometApp

COMMANDS = ("browse", "check", "export", "import", "chronology", "connections", "path", "chart", "archive")


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

    export = commands.add_parser(
        "export", help="write the casefile as FollowTheMoney, TimelineJS or Markdown",
        description=(
            "Write the casefile in another tool's format: 'ftm' (FollowTheMoney entities as JSON "
            "lines, for alephclient write-entities), 'timelinejs' (a TimelineJS JSON file) or "
            "'markdown' (a chronology with numbered sources, for a memo)."
        ),
    )
    export.add_argument("format", choices=("ftm", "timelinejs", "markdown"))
    export.add_argument("folder", nargs="?", type=Path, metavar="FOLDER",
                        help="the casefile folder (default: the bundled case)")
    export.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of the standard output")
    export.add_argument("--person", metavar="ID", help="only this person's (or organization's) timeline")
    export.add_argument("--group-by", choices=("kind", "person", "tag"), default="kind",
                        help="timelinejs: group slides by kind (meetings, statements), by person, or by their first "
                             "tag; markdown: tag gives a section per tag")

    importer = commands.add_parser(
        "import", help="read a TimelineJS file, FollowTheMoney entities or a CSV spreadsheet into a casefile",
        description=(
            "Read records from a TimelineJS JSON file, FollowTheMoney entities (JSON lines, as Aleph and "
            "the ftm tool write them) or a CSV spreadsheet with a header row. Existing records are never "
            "overwritten; everything is written through the store and checked; a new --into folder is made. "
            "Reports what was created, linked to the casefile, suggested, deduplicated, rejected and skipped; "
            "exits 1 when an item of the file was rejected or what was written has errors."
        ),
    )
    importer.add_argument("format", choices=("timelinejs", "ftm", "csv"))
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.add_argument("--into", type=Path, default=Path("."), metavar="FOLDER",
                          help="the casefile to import into, made if it does not exist (default: the current folder)")
    importer.add_argument("--kind", choices=("meeting", "statement"),
                          help="csv: what each row is (default: statements when there is a 'quote' column)")
    importer.add_argument("--map", action="append", default=[], metavar="THEIRS=OURS",
                          help="csv: read column THEIRS as OURS (e.g. --map When=date); repeatable")
    importer.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    importer.add_argument("--link-suggested", action="store_true",
                          help="timelinejs: link a person named by a surname alone when the surname is theirs only "
                               "(otherwise only suggested in the report)")

    from . import archive_commands, chart_commands, network_commands

    network_commands.add_commands(commands)
    chart_commands.add_commands(commands)
    archive_commands.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv``. Exits 0 when done, 1 when the casefile has errors (or
    whomet crashed), 2 when the command line cannot be done, as argparse does for its own errors."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or (arguments[0] not in COMMANDS and not arguments[0].startswith("-")):
        # No command: the first argument is the folder to browse, or a command mistyped.
        if arguments and (refusal := _not_a_folder_nor_a_command(arguments[0])):
            return _refuse(refusal)
        arguments.insert(0, "browse")
    parser = _parser()
    options, extra = parser.parse_known_args(arguments)
    # argparse cannot place an optional positional that follows options ("export ftm --out F FOLDER").
    if len(extra) == 1 and not extra[0].startswith("-") and getattr(options, "folder", False) is None:
        options.folder = Path(extra[0])
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if refusal := _cannot_do(options):
        return _refuse(refusal)
    folder: Path = getattr(options, "folder", None) or bundled_casefile()
    if options.command == "check":
        return check(folder, as_json=options.json)
    if options.command == "export":
        return export(folder, options.format, out=options.out, person=options.person, group_by=options.group_by)
    if options.command in ("chronology", "connections", "path"):
        from .network_commands import run

        return run(options, folder)
    if options.command == "chart":
        from .chart_commands import run as chart

        return chart(options, folder)
    if options.command == "archive":
        from .archive_commands import run as archive

        return archive(options, folder)
    if options.command == "import":
        return import_file(options.format, options.file, options.into, kind=options.kind,
                           mapping=options.map, dry_run=options.dry_run, link_suggested=options.link_suggested)
    return browse(folder)


def _refuse(refusal: str) -> int:
    """Say on stderr, in one line as argparse does, why the command line cannot be done."""
    print(f"whomet: error: {refusal}", file=sys.stderr)
    return 2


def _not_a_folder_nor_a_command(word: str) -> str | None:
    """Why ``word``, first on the command line, is neither a command nor a path; None if it may be a path."""
    if os.path.lexists(word) or os.sep in word or (os.altsep and os.altsep in word) or word.startswith((".", "~")):
        return None  # a path (the folder checks say what is wrong with it)
    said = f"no such folder or command: {word}"
    if word == "help":
        said += " (did you mean '--help'?)"
    elif close := difflib.get_close_matches(word, COMMANDS, n=1):
        said += f" (did you mean {close[0]!r}?)"
    return said


def _cannot_do(options: argparse.Namespace) -> str | None:
    """What the paths named on the command line lack for the command to be done, if anything."""
    if options.command == "import":
        return _not_a("file", options.file) or (_not_a("folder", options.into) if options.into.exists() else None)
    if (folder := getattr(options, "folder", None)) is not None and (refusal := _not_a("folder", folder)):
        return refusal
    if options.command == "archive":
        from .archive_commands import refusal

        return refusal(options)
    if options.command == "export" and options.out is not None and options.out.is_dir():
        return f"--out is a folder, not a file: {options.out}"
    if options.command == "export" and (options.format, options.group_by) in (
            ("ftm", "person"), ("ftm", "tag"), ("markdown", "person")):
        return f"--group-by {options.group_by} means nothing for {options.format}: it is for timelinejs (and tag for markdown)"
    return None


def _not_a(kind: str, path: Path) -> str | None:
    """Why ``path`` is not an existing file or folder (``kind``), if it is not."""
    if not path.exists():
        return f"no such {kind}: {path}"
    if not (path.is_file() if kind == "file" else path.is_dir()):
        return f"not a {kind}: {path}"
    return None


def check(folder: Path, *, as_json: bool = False) -> int:
    from .store.look import cache_path

    progress = _progress_line() if sys.stderr.isatty() else None
    if cache_path(folder).exists():
        # Browsed before: the cache reads again only what changed since (while another whomet
        # holds it, the files are read into a cache in memory instead).
        from .store.cache import open_casefile

        casefile = open_casefile(folder, progress)
        try:
            records, problems = casefile.count(), casefile.problems
            verified, differ, unarchived = casefile.verification()
        finally:
            casefile.close()
    else:
        # Never browsed: every file is read anyway, and filling a cache would cost half as much again.
        from .store.checking import check_folder

        checked = check_folder(folder, progress)
        records, problems = checked.records, checked.problems
        verified, differ, unarchived = checked.verified, checked.differ, checked.unarchived
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    base = Path.cwd()
    if as_json:
        report = {
            "folder": str(folder),
            "records": records,
            "errors": errors,
            "warnings": warnings,
            "quotes": {"verified": verified, "differ": differ, "sources_without_archive": unarchived},
            "problems": [p.as_json(base) for p in problems],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        from .store.problems import terminal_safe

        for problem in problems:
            print(terminal_safe(problem.format(base)))  # a message may quote an archive or a file's words
        print(f"{records} records, {errors} error{'s' * (errors != 1)}, "
              f"{warnings} warning{'s' * (warnings != 1)}", file=sys.stderr)
        from .store.archives import summary

        print(summary(verified, differ, unarchived), file=sys.stderr)
    return 1 if errors else 0


def _progress_line():  # noqa: ANN202
    """A line on the terminal that counts the files read, rewritten in place, gone when done."""
    shown = [-1]

    def progress(done: int, total: int) -> None:
        if total < 1000:
            return  # over before anyone could read it
        percent = done * 100 // total
        if percent != shown[0]:
            shown[0] = percent
            end = "\r\033[K" if done == total else "\r"
            print(f"reading {done:,} of {total:,} files ({percent}%)", end=end, file=sys.stderr, flush=True)

    return progress


def export(folder: Path, format: str, *, out: Path | None = None, person: str | None = None,
           group_by: str = "kind") -> int:
    from .export import ExportError, render
    from .index import Index
    from .store import load, write_atomically

    casefile = load(folder)
    if casefile.errors:
        print(f"note: {len(casefile.errors)} error(s) in the casefile; exporting the valid records "
              f"(run 'whomet check {folder}')", file=sys.stderr)
    index = Index(casefile.records)
    if person is not None and person not in index:
        print(f"whomet export: there is no record {person!r} in {folder}", file=sys.stderr)
        return 2
    try:
        text = render(index, format, casefile.name, person=person, group_by=group_by)
    except ExportError as error:
        print(f"whomet export: {error}", file=sys.stderr)
        return 2
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomically(out, text.encode("utf-8"))
        print(f"wrote {out}", file=sys.stderr)
    return 0


def import_file(format: str, file: Path, into: Path, *, kind: str | None = None, mapping: list[str] | None = None,
                dry_run: bool = False, link_suggested: bool = False) -> int:
    from .importing import import_csv, import_ftm, import_timelinejs
    from .store import load

    casefile = load(into)
    if not into.exists():
        casefile.problems.clear()  # a new folder: the empty casefile it will be
    try:
        if format == "ftm":
            importer = import_ftm(file, casefile)
        elif format == "timelinejs":
            data = json.loads(file.read_text(encoding="utf-8-sig"))
            if not isinstance(data, dict) or not isinstance(data.get("events", []), list):
                raise ValueError("a TimelineJS file is a JSON object with a list of 'events'")
            importer = import_timelinejs(data, casefile, file.name, link_suggested=link_suggested)
        else:
            pairs = [item.split("=", 1) for item in mapping or []]
            if any(len(pair) != 2 for pair in pairs):
                print("whomet import: --map takes THEIRS=OURS", file=sys.stderr)
                return 2
            importer = import_csv(file, casefile, kind=kind, mapping=dict(pairs))  # type: ignore[arg-type]
    except (ValueError, UnicodeDecodeError, OSError, csv.Error) as error:
        print(f"whomet import: cannot read {file}: {error}", file=sys.stderr)
        return 2
    if not into.exists() and not dry_run:
        try:
            into.mkdir(parents=True)
        except OSError as error:
            print(f"whomet import: cannot make the folder {into}: {error.strerror or error}", file=sys.stderr)
            return 2
    report = importer.write(dry_run=dry_run)
    if dry_run:
        print(importer.preview())
    from .store.problems import terminal_safe

    print(terminal_safe("\n".join(report.lines(Path.cwd(), dry_run=dry_run))), file=sys.stderr)
    return 1 if report.failed else 0


def browse(folder: Path) -> int:
    app = _browser(folder)
    app.run()
    # Textual's run returns when the app crashed too, the traceback shown: its return code is then 1.
    if app.return_code:
        try:
            if app.crash_log is not None:
                print(f"whomet: stopped on an error; the traceback is in {app.crash_log}", file=sys.stderr)
            for kept in app.kept_forms:
                print(f"whomet: what you typed is kept in {kept}; the next launch offers it back",
                      file=sys.stderr)
        except OSError:  # the terminal closed under whomet (SIGHUP): there is no one to tell
            pass
    return app.return_code or 0


def open_browser(folder: Path, adapt: Callable[[type[WhometApp]], type[WhometApp]] | None = None,
                 **run_options: Any) -> Any:
    """Run the browser on ``folder``; ``adapt`` may subclass the app first (the benchmarks time it)."""
    return _browser(folder, adapt).run(**run_options)


def _browser(folder: Path, adapt: Callable[[type[WhometApp]], type[WhometApp]] | None = None) -> WhometApp:
    """The browser on ``folder``, ready to run."""
    from .store.look import EarlyLook, cache_path

    # A launch allocates much and frees little: the collector's passes over it (a sixth of a
    # second of a launch at 100,000 records) find next to nothing. The app lets it run again,
    # after a collection, once the casefile is on screen.
    gc.disable()
    # Started before the interface is imported, so that the look at the files overlaps the import
    # and the first screen can show the cache's records. With no cache, every file is to be read
    # after the first paint anyway: a look then would only slow the import down (on two cores
    # the two share more than it seems), and the loading thread looks for itself.
    early = EarlyLook.start(folder) if cache_path(folder).exists() else None
    from .app import WhometApp

    app_class = adapt(WhometApp) if adapt is not None else WhometApp
    return app_class(folder, early=early)


if __name__ == "__main__":
    raise SystemExit(main())
