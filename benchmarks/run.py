"""Build casefiles of several sizes and print how whomet does on each, against the floors.

    python benchmarks/run.py                    # the bundled case, 1k and 10k
    python benchmarks/run.py --sizes 1000,10000,100000 --runs 5

Every figure is the median of --runs fresh processes. The floors are measured in the same run:
a hello-world Textual app (launch to first paint) and a raw tomllib parse of the same files with
a pool of 2 processes; each figure is also given as a ratio to its floor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate  # noqa: E402

from tui.store.bundled import bundled_casefile  # noqa: E402


def measure(*arguments: str) -> dict[str, float]:
    environment = {**os.environ, "WHOMET_T0": repr(time.time())}
    result = subprocess.run([sys.executable, str(HERE / "launch.py"), *arguments], capture_output=True,
                            text=True, env=environment, check=True, cwd=HERE.parent)
    return json.loads(result.stdout.strip().splitlines()[-1])


def median(runs: int, *arguments: str) -> tuple[float, float]:
    figures = [measure(*arguments) for _ in range(runs)]
    return statistics.median(f["seconds"] for f in figures), max(f["rss_mb"] for f in figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="casefile sizes to build (comma-separated)")
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per figure")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size]

    hello, _ = median(options.runs, "hello")
    print(f"floor: hello-world Textual app, launch to first paint: {hello * 1000:.0f} ms "
          f"(median of {options.runs})\n")
    header = f"{'casefile':>10} {'records':>8} {'launch→data':>12} {'×hello':>7} {'parse×2':>9} " \
             f"{'check':>8} {'×parse':>7} {'peak RSS':>9}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as temporary:
        cases: list[tuple[str, Path, int]] = [("bundled", bundled_casefile(), 165)]
        for size in sizes:
            folder = Path(temporary) / f"case-{size}"
            generate(folder, size, seed=1)
            cases.append((f"{size // 1000}k", folder, size))
        for name, folder, records in cases:
            launch, rss = median(options.runs, "whomet", str(folder))
            parse, _ = median(options.runs, "parse", str(folder))
            check, _ = median(options.runs, "check", str(folder))
            print(f"{name:>10} {records:>8} {launch * 1000:>10.0f}ms {launch / hello:>6.2f}× "
                  f"{parse * 1000:>7.0f}ms {check * 1000:>6.0f}ms {check / parse:>6.2f}× {rss:>7.0f}MB",
                  flush=True)


if __name__ == "__main__":
    main()
