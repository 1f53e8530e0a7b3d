"""Where a cold launch's time goes, step by step, against ``whomet check`` of the same files.

``python benchmarks/cold.py --casefile FOLDER [--runs 3] [--sample 20000]``

Three measurements, each figure also as a ratio to ``whomet check`` measured in the same run:

- ``whomet check`` and whomet's cold launch, in fresh processes with empty cache folders, the
  launch's steps stamped as they end (the look at the files, the reader processes, the rows
  copied into the cache, the counts, the lists' indexes and commit, the lists on screen, the
  second step and everything on screen);
- one process's work per file on a sample of the files: what ``check`` does for each (read,
  parse, validate) and what a reader does besides (the row the lists show, the links, writing
  them to its database), so that the readers' share of the launch is known per file;
- the second step alone, statement by statement, on a cache left after the first: the other
  indexes, the full-text index, the flags, the checks of the links.

``python benchmarks/cold.py trace FOLDER`` is one stamped launch, run in a fresh process by the
above: the JSON line of ``launch.py whomet``, with the stamps in it.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tui"))

STEPS = (
    ("look_here", "the look at the files (walk, stat)"),
    ("read_in_parts", "the reader processes"),
    ("take_parts", "their rows copied into the cache"),
    ("count_from_parts", "the readers' counts taken in"),
    ("lists_indexed", "the lists' indexes, the commit"),
    ("lists", "the lists on screen"),
    ("derive_pending", "the second step (indexes, words, flags, link checks)"),
    ("derived", "everything on screen"),
)


def trace(folder: Path) -> None:
    """One cold launch, stamped at the end of each step (seconds since WHOMET_T0)."""
    import launch

    from whomet.store.cache import refresh

    stamps: dict[str, float] = {}

    def stamped(name: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapper(*arguments, **options):  # noqa: ANN002, ANN003, ANN202
            # The first call alone: the app looks at the files again once the second step is in.
            first = f"{name} began" not in stamps
            stamps.setdefault(f"{name} began", launch.since_start())
            try:
                return function(*arguments, **options)
            finally:
                if first:
                    stamps[name] = launch.since_start()
        return wrapper

    for name in ("look_here", "read_in_parts", "take_parts", "count_from_parts", "derive_pending"):
        setattr(refresh, name, stamped(name, getattr(refresh, name)))
    log_ahead = refresh.log_ahead

    def logged(db) -> None:  # noqa: ANN001 - right after the first step's commit
        stamps.setdefault("lists_indexed", launch.since_start())
        log_ahead(db)

    refresh.log_ahead = logged
    report = launch.report
    launch.report = lambda **figures: report(**figures, **stamps)  # one JSON line, the stamps in it
    launch.HELPERS = None
    launch.whomet(folder)


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def per_file(folder: Path, sample: int, runs: int) -> dict[str, float]:
    """Seconds per file of what check and a reader do, in this process (the best of ``runs``)."""
    from whomet import model
    from whomet.model.links import links_of
    from whomet.store.cache import rows
    from whomet.store.casefile import read_record
    from whomet.store.look import look_here

    stale = look_here(folder, None).stale
    chosen = stale[:: max(1, len(stale) // sample)][:sample]
    gc.disable()
    try:
        checked = best_of(runs, lambda: [read_record(folder / path, model.KINDS[kind], [])
                                         for path, kind, *_ in chosen])
        read = [(read_record(folder / path, model.KINDS[kind], [])[0], path) for path, kind, *_ in chosen]
        records = [(record, path) for record, path in read if record is not None]
        made_rows = best_of(runs, lambda: [rows.record_row(record, path) for record, path in records])
        made_links = best_of(runs, lambda: [links_of(record) for record, _ in records])
        results = [rows.read_file(folder, *item) for item in chosen]
        scratch = Path(tempfile.mkdtemp(prefix="whomet-cold-"))

        def write() -> None:
            db = rows.start_part(str(scratch / "part"))
            for start in range(0, len(results), 500):
                rows.write_part(db, results[start:start + 500])
            db.execute("COMMIT")
            db.close()

        written = best_of(runs, write)
        shutil.rmtree(scratch)
    finally:
        gc.enable()
    count = len(chosen)
    return {"files": count, "check": checked / count, "row": made_rows / count, "links": made_links / count,
            "write": written / count}


def second_step(folder: Path, runs: int) -> dict[str, float]:
    """Each statement of the second step, timed on a cache left after the first (best of ``runs``)."""
    from whomet.store import rules
    from whomet.store.cache import CaseCache, checks
    from whomet.store.cache.refresh import REBUILD_WORDS, _in_one_transaction
    from whomet.store.cache.schema import INDEXES, run

    figures: dict[str, list[float]] = {}
    told = os.environ.get("WHOMET_CACHE_DIR")
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="whomet-cold-") as where:
            os.environ["WHOMET_CACHE_DIR"] = where
            cache = CaseCache.open(folder)
            cache.refresh(derive_later=True)
            if not cache.pending:
                raise RuntimeError("the first step left nothing pending (too few files for the readers?)")
            db = cache.db
            for name, work in (("other indexes", lambda: run(db, INDEXES)),
                               ("full-text index", lambda: db.execute(REBUILD_WORDS)),
                               ("flags", lambda: rules.derive(db, counts=False)),
                               ("link checks", lambda: checks.find_link_problems(cache))):
                start = time.perf_counter()
                _in_one_transaction(db, work)
                figures.setdefault(name, []).append(time.perf_counter() - start)
            cache.close()
    if told is None:
        os.environ.pop("WHOMET_CACHE_DIR", None)
    else:
        os.environ["WHOMET_CACHE_DIR"] = told
    return {name: min(times) for name, times in figures.items()}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "trace":
        trace(Path(sys.argv[2]))
        return
    from run import measure  # here: a traced launch's own time must not hold run.py's imports

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--casefile", type=Path, required=True, help="the casefile folder to measure")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes (and repeats) per figure")
    parser.add_argument("--sample", type=int, default=20000, help="files read for the per-file figures")
    options = parser.parse_args()
    folder = options.casefile.resolve()
    if not folder.is_dir():
        parser.error(f"no casefile folder at {folder}")

    # The files in the system's cache first, as a casefile in use is: read from the disk, the
    # first of the runs would time the disk.
    for path in folder.glob("*/*.toml"):
        path.read_bytes()
    checks_taken, launches = [], []
    for _ in range(options.runs):  # in turn, so that a slow spell of the machine touches both
        with tempfile.TemporaryDirectory(prefix="whomet-cold-") as cache:
            checks_taken.append(measure("check", str(folder), cache=Path(cache))["seconds"])
        with tempfile.TemporaryDirectory(prefix="whomet-cold-") as cache:
            launches.append(measure("trace", str(folder), cache=Path(cache), script="cold.py"))
    check = statistics.median(checks_taken)

    def ratio(seconds: float) -> str:
        return f"{seconds / check:.2f}×"

    print(f"`whomet check` of {folder.name}: {check:.2f} s (median of {options.runs}: "
          f"{', '.join(f'{s:.2f}' for s in checks_taken)}).\n")
    print("| a cold launch, median of its steps | ends at | takes | × check (ends at) |")
    print("|:---|---:|---:|---:|")
    before = 0.0
    for key, said in STEPS:
        ends = [launch[key] for launch in launches if launch.get(key) is not None]
        if not ends:
            continue
        end = statistics.median(ends)
        began = [launch[f"{key} began"] for launch in launches if f"{key} began" in launch]
        start = statistics.median(began) if began else before
        print(f"| {said} | {end:.2f} s | {end - start:.2f} s | {ratio(end)} |")
        before = end

    work = per_file(folder, options.sample, options.runs)
    files = len(list(folder.glob("*/*.toml")))
    extra = work["row"] + work["links"] + work["write"]
    print(f"\nPer file, one process, {work['files']} files (best of {options.runs}):\n")
    print("| work | µs per file | × check's | at this casefile, over 2 readers |")
    print("|:---|---:|---:|---:|")
    for key, said in (("check", "reading a record: read, parse, validate (`read_record`, as `check` does)"), ("row", "a reader's row"),
                      ("links", "a reader's links"), ("write", "writing them to its database")):
        print(f"| {said} | {work[key] * 1e6:.1f} | {work[key] / work['check']:.2f} | "
              f"{work[key] * files / 2:.2f} s |")
    print(f"| a reader in all | {(work['check'] + extra) * 1e6:.1f} | {(work['check'] + extra) / work['check']:.2f} | "
          f"{(work['check'] + extra) * files / 2:.2f} s |")

    steps = second_step(folder, options.runs)
    print(f"\nThe second step alone, on a cache left after the first (best of {options.runs}):\n")
    print("| statement | seconds | × check |")
    print("|:---|---:|---:|")
    for name, seconds in steps.items():
        print(f"| {name} | {seconds:.2f} s | {ratio(seconds)} |")
    serial = steps["other indexes"] + steps["full-text index"] + steps["flags"]
    print(f"| SQLite's share, on one core (the link checks run beside it) | {serial:.2f} s | {ratio(serial)} |")


if __name__ == "__main__":
    main()
