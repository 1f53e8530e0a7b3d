"""``whomet archive``: keep a source's text beside its record, fetched from its URL or from a file
the user saved, so that every quote and excerpt citing it can be checked against it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_commands(commands: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse's own type
    archive = commands.add_parser(
        "archive", help="keep a source's text beside it, to check quotes against",
        description=(
            "Fetch the page at a source's url and keep its main text (the article, without navigation "
            "or ads) as sources/ID.txt, and write in the source's record where (archive), when "
            "(archived_at) and its SHA-256 digest (archive_sha256), changing no other line. --from "
            "archives a file you saved instead: HTML (its main text), PDF (its text), .txt or .md (as "
            "they are). 'whomet check' then verifies every quote and excerpt citing the source against "
            "it. Nothing else in whomet touches the network. Exits 2 for an unknown id or a missing "
            "file, 1 when the page could not be had or a refresh found excerpts that now differ, 0 "
            "when archived."
        ),
    )
    archive.add_argument("id", metavar="ID", help="the id of a source")
    archive.add_argument("folder", nargs="?", type=Path, metavar="FOLDER",
                         help="the casefile folder (default: the bundled case)")
    archive.add_argument("--from", dest="from_file", type=Path, metavar="FILE",
                         help="archive FILE (.html, .pdf, .txt, .md) instead of fetching the url")
    archive.add_argument("--refresh", action="store_true",
                         help="fetch again; when the text changed, keep the earlier version beside it "
                              "and tell which excerpts now differ")


def refusal(options: argparse.Namespace) -> str | None:
    """Why the command line cannot be done before the casefile is read, if it cannot."""
    if options.from_file is not None and not options.from_file.is_file():
        what = "no such file" if not options.from_file.exists() else "not a file"
        return f"{what}: {options.from_file}"
    return None


def run(options: argparse.Namespace, folder: Path) -> int:
    from .store import load
    from .store.archiving import ArchiveFailed, ArchiveRefused, archive_source
    from .store.problems import terminal_safe
    from .store.saving import SaveError

    casefile = load(folder)
    try:
        done = archive_source(casefile, options.id, from_file=options.from_file, refresh=options.refresh)
    except ArchiveRefused as refused:
        print(f"whomet: error: {refused}", file=sys.stderr)
        return 2
    except (ArchiveFailed, SaveError, OSError) as failed:
        print(f"whomet archive: {failed}", file=sys.stderr)
        return 1
    where = folder / done.archive
    if not done.changed:
        print(f"{where}: unchanged since it was archived (sha256 {done.digest[:12]}…); fetched again {done.archived_at}")
        return 0
    print(f"archived {done.characters:,} characters in {where} (sha256 {done.digest[:12]}…, {done.archived_at})")
    if done.earlier is not None:
        print(f"the text changed: the earlier version is kept in {folder / done.earlier}")
        for record_id, field, told in done.now_differ:
            print(terminal_safe(f"  now differs: {record_id} {field}: {told}"))  # the words are the page's
        if not done.now_differ:
            print("  no excerpt that the earlier version held differs now")
    return 1 if done.now_differ else 0
