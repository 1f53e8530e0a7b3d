"""Build casefiles of several sizes and print how whomet does on each, against the floors.

    python benchmarks/run.py                                  # the bundled case, 1k and 10k
    python benchmarks/run.py --sizes 1000,10000,100000 --markdown
    python benchmarks/run.py --sizes "" --casefile /path/to/casefile --runs 3 --presses 10

Launch figures are the median of --runs fresh processes each; the runs of the different figures
are interleaved, so that a slow spell of a shared machine spreads over all of them:

warm→data   launch until the casefile's records are on screen, the one in detail included, with the
            app's cache filled by an earlier launch on the same casefile (each run gets its own copy
            of that cache)
warm→lists  the same launches, until the people and the timeline are on screen (when the cache
            holds all the lists need, the record in detail is read after they are first painted)
cold→lists  the same with an empty cache folder, until the people and the timeline are on screen
            (a casefile read by reader processes is listed before its flags, exact counts, problems
            between records and full-text index are derived); ×check: to ``whomet check``
cold→data   the same, until the record in detail is on screen too
cold→all    the same, until what is derived after the lists is on screen too
shell       launch until the app's screen is first painted (mount, then the next refresh), data
            or not, with an empty cache folder
check       ``whomet check``, with an empty cache folder
RSS         the peak resident memory of the warm and of the cold launches, by the time the data
            was on screen (the most of any run), "+N" the most that one of the helper processes it
            started held (the readers of a cold launch); the key table's RSS is its session's peak

Every process gets its own cache folder through WHOMET_CACHE_DIR, so nothing here reads or
writes the reader's own cache. The casefile's files are in the operating system's page cache for
every launch, cold ones included: "cold" is about whomet's cache only.

Key figures (see keys.py) come from one interactive session per casefile on a pseudo-terminal,
--presses presses per figure, started with a warm cache: the median time from writing a key to
the first screen update it causes ("first"), to the last ("settled"), and until its work is done:
its last update has come and the app has stopped using the CPU ("done"; for the palette, the
search is over even when its results are those already shown).

Floors, measured in the same run: a hello-world Textual app, launch to first paint (for the
launches); whomet's own screen with no casefile, launch to its first paint with the panels empty
(the interface imported, composed, laid out and painted: what any launch of it costs before it
shows a record; "×screen"); a raw tomllib parse of the same files with a pool of 2 processes (for check); j and k
in a minimal Textual app on the same pseudo-terminal (for the keys, "×"); and j and k in whomet's
three panels made of stock Textual widgets, the timeline and detail replaced at each key (what a
key that changes the person shown costs in Textual alone).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402
from keys import FIGURES, Session, measure_floor  # noqa: E402
from keys import measure as measure_keys  # noqa: E402
from peer import PeerFigures, visidata  # noqa: E402
from peer import measure as measure_peer  # noqa: E402

from whomet.store.bundled import bundled_casefile  # noqa: E402

LAUNCH_TIMEOUT = 1800.0


def say(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def measure(*arguments: str, cache: Path | None = None, script: str = "launch.py") -> dict[str, float]:
    """One fresh process of ``script`` (launch.py, or another that prints as it does); its JSON line."""
    environment = {**os.environ}
    if cache is not None:
        environment["WHOMET_CACHE_DIR"] = str(cache)
    environment["WHOMET_T0"] = repr(time.time())
    result = subprocess.run([sys.executable, str(HERE / script), *arguments], capture_output=True, text=True,
                            env=environment, cwd=HERE.parent, timeout=LAUNCH_TIMEOUT)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        output = (result.stderr.strip() or result.stdout.strip())[-1500:]
        raise RuntimeError(f"{script} {arguments[0]} failed (exit {result.returncode}): {output}")
    return json.loads(lines[-1])


@dataclass
class Case:
    name: str
    folder: Path
    records: int
    launches: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    cache_mb: float = 0.0
    cache_files: int = 0
    keys: Session | None = None
    peer: PeerFigures | None = None
    notes: list[str] = field(default_factory=list)

    def seconds(self, what: str, moment: str = "seconds") -> float | None:
        figures = [f[moment] for f in self.launches.get(what, []) if f.get(moment) is not None]
        return statistics.median(figures) if figures else None

    def peak_rss(self, what: str) -> str:
        """The most the app held in the runs of ``what``, and the most a helper process of it held."""
        figures = self.launches.get(what, [])
        if not figures:
            return "—"
        own = max(f["rss_mb"] for f in figures)
        helpers = max(f.get("children_rss_mb", 0.0) for f in figures)
        return f"{own:.0f}MB" + (f" +{helpers:.0f}" if helpers >= 1 else "")


def fresh_cache(root: Path, primed: Path | None = None) -> Path:
    """An empty cache folder, or a copy of ``primed``."""
    folder = Path(tempfile.mkdtemp(prefix="cache-", dir=root))
    if primed is not None:
        shutil.copytree(primed, folder, dirs_exist_ok=True)
    return folder


def measure_launches(case: Case, runs: int, root: Path) -> None:
    say(f"{case.name}: filling a cache with one launch")
    primed = root / f"primed-{case.name}"
    primed.mkdir()
    try:
        measure("prime", str(case.folder), cache=primed)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        case.notes.append(f"the launch that fills the cache failed: {error}")
    files = [path.stat().st_size for path in primed.rglob("*") if path.is_file()]
    case.cache_files, case.cache_mb = len(files), sum(files) / 2**20
    if not case.cache_files:
        case.notes.append("the cache folder stayed empty after a launch (WHOMET_CACHE_DIR not used yet): "
                          "warm and cold launches are the same")
    for run in range(runs):
        say(f"{case.name}: launches, run {run + 1} of {runs}")
        for what, arguments, primed_copy in (
            ("warm", ("whomet",), primed),
            ("cold", ("whomet",), None),
            ("shell", ("shell",), None),
            ("parse", ("parse",), None),
            ("check", ("check",), None),
        ):
            cache = fresh_cache(root, primed_copy)
            try:
                case.launches.setdefault(what, []).append(measure(*arguments, str(case.folder), cache=cache))
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                case.notes.append(f"{what}, run {run + 1}: {error} (left out)")
                say(f"{case.name}: {what} failed: {str(error)[:300]}")
            finally:
                shutil.rmtree(cache, ignore_errors=True)


def measure_case_keys(case: Case, presses: int, quiet: float, root: Path) -> None:
    say(f"{case.name}: {presses} presses of each key in a terminal")
    primed = root / f"primed-{case.name}"
    cache = fresh_cache(root, primed if primed.is_dir() else None)
    started = time.monotonic()
    try:
        case.keys = measure_keys(case.folder, presses=presses, quiet=quiet,
                                 environment={**os.environ, "WHOMET_CACHE_DIR": str(cache)},
                                 progress=lambda what: say(f"{case.name}: {what} "
                                                           f"({time.monotonic() - started:.0f}s)"))
    except RuntimeError as error:
        case.notes.append(f"key presses not measured: {error}")
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if case.keys is not None:
        for figure in FIGURES:
            hits, total = case.keys.count(figure)
            if hits < total:
                case.notes.append(f"{figure}: {total - hits} of {total} presses brought no screen update "
                                  f"(left out of the median)")
        for note in dict.fromkeys(case.keys.notes):
            case.notes.append(f"{note} (×{case.keys.notes.count(note)})")


def measure_case_peer(case: Case, presses: int, quiet: float) -> None:
    word = case.keys.fragment if case.keys is not None and case.keys.fragment else "sokolov"
    say(f"{case.name}: visidata on the same meetings and statements, searched for {word!r}")
    try:
        case.peer = measure_peer(case.folder, word, presses=presses, quiet=quiet)
    except (RuntimeError, OSError) as error:
        case.notes.append(f"visidata not measured: {error}")
        return
    case.notes += [f"visidata: {note}" for note in case.peer.notes]


# tables


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.0f}ms" if seconds >= 0.1 else f"{seconds * 1000:.1f}ms"


def ratio(value: float | None, floor: float | None) -> str:
    return "—" if value is None or not floor else f"{value / floor:.2f}×" if value / floor < 100 else f"{value / floor:.0f}×"


def mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}MB"


LAUNCH_HEADER = ["casefile", "records", "warm→data", "×hello", "×screen", "warm→lists", "×hello", "cold→lists", "×check",
                 "cold→data", "cold→all", "×check", "shell", "×hello", "parse×2", "check", "×parse", "RSS warm",
                 "RSS cold", "cache"]


def launch_rows(cases: list[Case], hello: float, screen: float | None) -> list[list[str]]:
    rows = []
    for case in cases:
        warm, cold, shell = case.seconds("warm"), case.seconds("cold"), case.seconds("shell")
        lists = case.seconds("warm", "lists")
        parse, check = case.seconds("parse"), case.seconds("check")
        cache = f"{case.cache_mb:.1f}MB" if case.cache_files else "empty"
        cold_lists, cold_all = case.seconds("cold", "lists"), case.seconds("cold", "derived")
        rows.append([case.name, str(case.records), ms(warm), ratio(warm, hello), ratio(warm, screen),
                     ms(lists), ratio(lists, hello), ms(cold_lists), ratio(cold_lists, check),
                     ms(cold), ms(cold_all), ratio(cold_all, check), ms(shell), ratio(shell, hello), ms(parse), ms(check),
                     ratio(check, parse),
                     case.peak_rss("warm"), case.peak_rss("cold"), cache])
    return rows


KEY_HEADER = ["casefile", "records", "", *FIGURES, "RSS"]


def key_rows(cases: list[Case], floor: Session | None) -> list[list[str]]:
    rows = []
    for case in cases:
        if case.keys is None:
            continue
        for what in ("first", "settled", "done"):
            floor_value = _floor(floor, what)
            cells = []
            for figure in FIGURES:
                value = case.keys.median(figure, what)
                cells.append("—" if value is None else f"{ms(value)} {ratio(value, floor_value)}")
            first_line = what == "first"
            rows.append([case.name if first_line else "", str(case.records) if first_line else "", what, *cells,
                         mb(case.keys.peak_rss_mb) if first_line else ""])
    return rows


def _median_of(session: Session | None, figure: str, what: str) -> float | None:
    return session.median(figure, what) if session is not None else None


def _floor(floor: Session | None, what: str) -> float | None:
    if floor is None:
        return None
    values = [getattr(r, what) for figure in ("j", "k") for r in floor.responses.get(figure, [])
              if getattr(r, what) is not None]
    return statistics.median(values) if values else None


PEER_HEADER = ["casefile", "records", "figure", "whomet", "visidata", "×visidata", "×check"]


def peer_rows(cases: list[Case]) -> list[list[str]]:
    """whomet beside visidata on the same data, with the issue's targets in mind: a search's last
    key to its results (visidata's ``/``), to the CPU quiet, a warm launch to data (visidata's first
    rows), a cold launch (to ``whomet check``), and the peak memory of a cold launch."""
    rows = []
    for case in cases:
        peer, keys = case.peer, case.keys
        if peer is None or peer.first_rows is None:
            continue
        check = case.seconds("check")

        def typed(what: str) -> float | None:
            return keys.median("typed", what) if keys is not None else None

        cold_rss = [f["rss_mb"] + f.get("children_rss_mb", 0.0) for f in case.launches.get("cold", [])]
        figures = [
            ("search, last key → results", typed("settled"), peer.median("search"), None),
            ("search, last key → CPU quiet", typed("done"), peer.median("search"), None),
            ("one-letter search → done", keys.median("letter", "done") if keys else None, None, None),
            ("people filter key → done", keys.median("filter", "done") if keys else None, peer.median("search"), None),
            ("warm launch → data", case.seconds("warm"), peer.first_rows, None),
            ("cold launch → lists", case.seconds("cold", "lists"), None, check),
            ("cold launch → everything", case.seconds("cold", "derived"), peer.loaded, check),
        ]
        for number, (name, value, floor, check_floor) in enumerate(figures):
            rows.append([case.name if not number else "", str(case.records) if not number else "", name, ms(value),
                         ms(floor), ratio(value, floor), ratio(value, check_floor)])
        rows.append(["", "", "peak memory, cold (app + largest reader)", mb(max(cold_rss) if cold_rss else None),
                     mb(peer.peak_rss_mb), ratio(max(cold_rss) if cold_rss else None, peer.peak_rss_mb), ""])
    return rows


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(header, widths))]
    lines.append("-" * len(lines[0]))
    lines += ["  ".join(cell.rjust(width) for cell, width in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def report(cases: list[Case], hello: float, screen: float | None, floor: Session | None,
           options: argparse.Namespace, table=text_table, panels: Session | None = None) -> str:  # noqa: ANN001
    floor_first, floor_done = _floor(floor, "first"), _floor(floor, "done")
    parts = [
        f"Floors: hello-world Textual app, launch to first paint {ms(hello)}; whomet's screen with no "
        f"casefile, to its first paint {ms(screen)} ({ratio(screen, hello)} hello) (medians of {options.runs}); "
        + (f"j/k in a minimal Textual app, key to first update {ms(floor_first)}, to done {ms(floor_done)} "
           f"(median of {2 * options.presses})" if floor else "keys not measured")
        + (f"; j/k in whomet's three panels made of stock Textual widgets, the timeline and detail replaced "
           f"at each key, to first update {ms(_floor(panels, 'first'))}, to done {ms(_floor(panels, 'done'))}; "
           f"a letter in its palette, which finds two dozen people by no search, to done "
           f"{ms(_median_of(panels, 'palette', 'done'))}, the first letter {ms(_median_of(panels, 'letter', 'done'))}, "
           f"a surname typed at a typist's pace, last letter to results {ms(_median_of(panels, 'typed', 'first'))}, "
           f"to done {ms(_median_of(panels, 'typed', 'done'))}."
           if panels else "."),
        "",
        f"Launch (median of {options.runs} fresh processes each; shell, check: empty cache):",
        "",
        table(LAUNCH_HEADER, launch_rows(cases, hello, screen)),
    ]
    rows = key_rows(cases, floor)
    if rows:
        parts += [
            "",
            f"Key to screen update in a 160×48 terminal (median of {options.presses} presses each; "
            "first: the first update; settled: the last; done: the last in and the CPU quiet; × the floor's):",
            "",
            table(KEY_HEADER, rows),
        ]
    rows = peer_rows(cases)
    if rows:
        versions = {case.peer.version for case in cases if case.peer is not None and case.peer.version}
        parts += [
            "",
            f"Beside {', '.join(sorted(versions)) or 'visidata'} on the same meetings and statements as one CSV "
            "(the same terminal; visidata's figures: / in the title column, enter to the cursor's move; "
            "its first rows; its whole CSV loaded; its peak memory):",
            "",
            table(PEER_HEADER, rows),
        ]
    notes = [f"{case.name}: {note}" for case in cases for note in case.notes]
    if notes:
        parts += ["", "Notes:", *(f"- {note}" for note in notes)]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="casefile sizes to build (comma-separated)")
    parser.add_argument("--casefile", action="append", default=[], type=Path, metavar="FOLDER",
                        help="also measure this existing casefile (repeatable)")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per launch figure")
    parser.add_argument("--presses", type=int, default=30, help="key presses per key figure (0: no key figures)")
    parser.add_argument("--quiet", type=float, default=0.3,
                        help="seconds without a screen update (and with next to no CPU) that count as idle")
    parser.add_argument("--markdown", action="store_true", help="also print the tables as Markdown")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every measurement to FILE")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size]

    def save() -> None:
        if options.json:
            options.json.write_text(json.dumps({
                "hello": hello,
                "screen": screen,
                "key_floor": floor.as_json() if floor else None,
                "key_floor_panels": panels.as_json() if panels else None,
                "cases": [{"name": c.name, "folder": str(c.folder), "records": c.records, "launches": c.launches,
                           "cache_mb": c.cache_mb, "cache_files": c.cache_files, "notes": c.notes,
                           "keys": c.keys.as_json() if c.keys else None,
                           "peer": asdict(c.peer) if c.peer else None} for c in cases],
            }, indent=1))

    hello: float | None = None
    screen: float | None = None
    floor: Session | None = None
    panels: Session | None = None
    cases: list[Case] = []
    # An installed whomet has its bytecode compiled; a checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise compile every module at every launch and time that instead.
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "tui" / "whomet", quiet=1)
    with tempfile.TemporaryDirectory(prefix="bench-") as temporary:
        root = Path(temporary)
        cases.append(Case("bundled", bundled_casefile(), 165))
        for size in sizes:
            folder = root / f"case-{size}"
            say(f"writing a casefile of {size} records")
            generate(folder, size, seed=1)
            cases.append(Case(f"{size // 1000}k" if size % 1000 == 0 else str(size), folder, size))
        for folder in options.casefile:
            cases.append(Case(folder.name, folder, sum(1 for _ in folder.glob("*/*.toml"))))

        say("floors: hello-world Textual app, whomet's empty screen")
        measure("hello"), measure("screen")  # not counted: the first launches read the program from disk
        pairs = [(measure("hello")["seconds"], measure("screen")["seconds"]) for _ in range(options.runs)]
        hello = statistics.median(pair[0] for pair in pairs)
        screen = statistics.median(pair[1] for pair in pairs)
        if options.presses:
            say("floor: keys in a minimal Textual app")
            floor = measure_floor(presses=options.presses, quiet=options.quiet)
            say("floor: keys in whomet's three panels made of stock Textual widgets")
            panels = measure_floor(presses=options.presses, quiet=options.quiet, app="floor-panels")
        for case in cases:
            measure_launches(case, options.runs, root)
            if options.presses:
                measure_case_keys(case, options.presses, options.quiet, root)
                if visidata() is not None:
                    measure_case_peer(case, max(3, options.presses // 3), options.quiet)
                else:
                    case.notes.append("visidata not found (vd on the PATH, or WHOMET_VISIDATA): no peer figures")
            save()

    print(report(cases, hello, screen, floor, options, panels=panels))
    if options.markdown:
        print("\nMarkdown:\n")
        print(report(cases, hello, screen, floor, options, table=markdown_table, panels=panels))


if __name__ == "__main__":
    main()
