"""How long an activity chart takes: its counts from the cache, then drawn by plotext, for the
person with the most meetings, a person with few, and the whole casefile, by month, week and year.

    python benchmarks/chart.py                          # a generated casefile of 100,000 records
    python benchmarks/chart.py --records 10000 --runs 9
    python benchmarks/chart.py --casefile /path/to/casefile

The cache is filled first (as ``whomet check`` does) and not counted; each figure is the median of
--runs, the first run (files and plotext not yet read) given apart. The issue's budget for a chart
at 100,000 records is 200 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from whomet.charts import terminal_chart  # noqa: E402
from whomet.index import activity_of  # noqa: E402
from whomet.store import open_casefile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--casefile", type=Path, help="chart this casefile instead of a generated one")
    parser.add_argument("--records", type=int, default=100_000, help="records of the generated casefile")
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.casefile
        if folder is None:
            folder = Path(scratch) / "case"
            print(f"… generating {options.records:,} records", file=sys.stderr, flush=True)
            generate(folder, options.records, seed=1)
        started = time.perf_counter()
        casefile = open_casefile(folder)
        print(f"… cache ready in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        try:
            busiest, few = _parties(casefile)
            print(f"{'chart':<44} {'first':>9} {'median':>9}   bars  apart")
            for label, party in ((f"{busiest[0]} ({busiest[1]} meetings)", busiest[0]),
                                 (f"{few[0]} ({few[1]} meetings)", few[0]), ("the whole casefile", None)):
                for period in ("month", "week", "year"):
                    for statements in (False, True):
                        _time(casefile, party, period, statements, label, options.runs)
        finally:
            casefile.close()


def _parties(casefile) -> tuple[tuple[str, int], tuple[str, int]]:  # noqa: ANN001 - a CaseCache
    counts = casefile.db.execute(
        "SELECT target, count(*) FROM links l JOIN records r ON r.id = l.target AND r.kind = 'person' "
        "WHERE relation = 'participant' GROUP BY target ORDER BY count(*) DESC, target").fetchall()
    return counts[0], counts[len(counts) // 2]


def _time(casefile, party: str | None, period: str, statements: bool, label: str, runs: int) -> None:  # noqa: ANN001
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        found = activity_of(casefile, party, by=period, statements=statements)
        terminal_chart(found, width=120, height=30, color=True)
        times.append(time.perf_counter() - started)
    what = f"{label}, {period}{' +statements' if statements else ''}"
    print(f"{what:<44} {times[0] * 1000:>7.1f}ms {statistics.median(times[1:]) * 1000:>7.1f}ms"
          f"  {len(found.bars):>5}  {len(found.apart):>5}", flush=True)


if __name__ == "__main__":
    main()
