"""visidata on the same data, as a peer floor: the casefile's meetings and statements as one CSV,
opened and searched in the same 160×48 pseudo-terminal whomet's keys are measured in.

    python benchmarks/peer.py FOLDER [--presses 10]

``first rows``  launch until the sheet's first rows are on screen
``loaded``      launch until the status line gives every row of the CSV
``/``           ``/`` a surname ``enter`` in the title column: from ``enter`` to the cursor's move
                (its first screen update) and to the CPU quiet again (``done``)
``g/``          the same over every column
``RSS``         visidata's peak resident memory over the session

visidata is found as ``vd`` on the PATH, or where WHOMET_VISIDATA says; without it, nothing is
measured and the tables say so.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from terminal import Terminal  # noqa: E402

ROWS, COLUMNS = 48, 160
ENTER, ESCAPE = b"\r", b"\x1b"
TITLE_COLUMN = 3
"""The columns of the CSV: id, kind, date, title, who, place, said."""


@dataclass
class PeerFigures:
    version: str = ""
    first_rows: float | None = None
    loaded: float | None = None
    search: list[float] = field(default_factory=list)
    search_done: list[float] = field(default_factory=list)
    search_all: list[float] = field(default_factory=list)
    search_all_done: list[float] = field(default_factory=list)
    peak_rss_mb: float | None = None
    notes: list[str] = field(default_factory=list)

    def median(self, what: str) -> float | None:
        values = getattr(self, what)
        return statistics.median(values) if values else None


def visidata() -> str | None:
    return os.environ.get("WHOMET_VISIDATA") or shutil.which("vd")


def write_csv(folder: Path, path: Path) -> int:
    """The casefile's meetings and statements as one CSV (whomet's cache reads them); how many rows."""
    from whomet.store import open_casefile
    from whomet.store.cache import PAIR, UNIT

    casefile = open_casefile(folder)
    rows = 0
    try:
        with path.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(["id", "kind", "date", "title", "who", "place", "said"])
            for record_id, kind, when, title, speaker, fields in casefile.db.execute(
                    "SELECT id, kind, when_text, title, speaker, fields FROM records "
                    "WHERE kind IN ('meeting', 'statement') ORDER BY sort_lo, id"):
                named = dict(part.split(PAIR, 1) for part in fields.split(UNIT) if PAIR in part)
                writer.writerow([record_id, kind, when, title, speaker, named.get("place", ""),
                                 named.get("quote", named.get("summary", ""))])
                rows += 1
    finally:
        casefile.close()
    return rows


def measure(folder: Path, word: str, *, presses: int = 10, quiet: float = 0.3, timeout: float = 300.0) -> PeerFigures:
    """visidata on ``folder``'s meetings and statements, searched for ``word``."""
    figures = PeerFigures()
    command = visidata()
    if command is None:
        figures.notes.append("visidata not found (vd on the PATH, or WHOMET_VISIDATA): not measured")
        return figures
    import subprocess

    figures.version = subprocess.run([command, "--version"], capture_output=True, text=True).stdout.strip().split("\n")[0]
    with tempfile.TemporaryDirectory() as scratch:
        table = Path(scratch) / f"{folder.name}.csv"
        rows = write_csv(folder, table)
        environment = {**os.environ, "TERM": "xterm-256color", "HOME": scratch}  # no user settings
        terminal = Terminal([command, "--no-config", str(table)], environment=environment, rows=ROWS, columns=COLUMNS)
        try:
            header = lambda: any(line.lstrip().startswith("id ") for line in terminal.screen.lines())  # noqa: E731
            response = terminal.wait(until=header, quiet=0.05, timeout=timeout, since=terminal.started)
            figures.first_rows = response.met
            loaded = lambda: f"{rows} rows" in terminal.screen.line(ROWS - 1).replace(",", "")  # noqa: E731
            response = terminal.wait(until=loaded, quiet=quiet, timeout=timeout, since=terminal.started)
            figures.loaded = response.met
            if figures.loaded is None:
                figures.notes.append(f"visidata never said {rows} rows: {terminal.screen.line(ROWS - 1).strip()!r}")
            terminal.press(b"l" * TITLE_COLUMN, quiet=quiet)
            for keys, first, done in ((b"/", figures.search, figures.search_done),
                                      (b"g/", figures.search_all, figures.search_all_done)):
                for _ in range(presses):
                    terminal.press(keys, quiet=quiet)
                    terminal.press(word.encode(), quiet=quiet)
                    response = terminal.press(ENTER, quiet=quiet)
                    if response.first is None:
                        figures.notes.append(f"{keys.decode()}{word} enter: no screen update")
                        continue
                    first.append(response.first)
                    done.append(max(response.settled or 0.0, response.busy or 0.0))
            figures.peak_rss_mb = terminal.peak_rss_mb()
        finally:
            terminal.close(quit_keys=b"gq")
    return figures


def summary(figures: PeerFigures) -> str:
    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value * 1000:.0f}ms" if value >= 0.1 else f"{value * 1000:.1f}ms"

    return (f"{figures.version or 'visidata'}: first rows {ms(figures.first_rows)}, loaded {ms(figures.loaded)}; "
            f"/ {ms(figures.median('search'))} (done {ms(figures.median('search_done'))}), "
            f"g/ {ms(figures.median('search_all'))} (done {ms(figures.median('search_all_done'))}); "
            f"RSS {figures.peak_rss_mb or 0:.0f}MB" + "".join(f"\n- {note}" for note in figures.notes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--word", default="Sokolov", help="what to search for")
    parser.add_argument("--presses", type=int, default=10)
    options = parser.parse_args()
    print(summary(measure(options.folder, options.word, presses=options.presses)))


if __name__ == "__main__":
    main()
