"""How much the verification of quotes against archived sources adds to ``whomet check``.

    python benchmarks/verify.py                       # 100,000 records: 10,000 sources, ~100,000 excerpts
    python benchmarks/verify.py --records 10000 --runs 3 --folder /tmp/verify-case

A casefile is generated (``generate.py``), then every source is given an archive: a text of
filler paragraphs with the excerpts and quotes that cite it among them, one in 200 changed by a
word, so that some differ and their closest passages are looked for, as in a real casefile.
``whomet check`` (a fresh process, an empty cache folder: the two reader processes of a first
check) is timed on the same files with the sources naming no archive and naming one, the runs of
the two interleaved, so that a slow spell of a shared machine spreads over both. Printed: the
median of each, and their ratio (the target is 1.5 at most).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from random import Random

import tomli

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import text_table  # noqa: E402

TARGET = 1.5

FILLER = (
    "The committee's schedule for the week was published on Monday, and aides said the hearings would "
    "run late into the evening. Several members asked for more time to read the documents before them.",
    "Officials declined to comment on the record. A spokesman said the department does not discuss "
    "meetings that are not on the public calendar, and referred questions to the campaign.",
    "The embassy did not respond to a request for comment. In the past it has described such meetings "
    "as routine contacts of the kind every ambassador in Washington keeps up with members of Congress.",
    "Records obtained by the newspaper show dozens of such contacts over the year, most of them brief, "
    "some of them over dinner, and a few of them in the senator's own office on Capitol Hill.",
)


def excerpts_by_source(folder: Path) -> tuple[dict[str, list[str]], int]:
    """Each source's excerpts and the quotes of the statements citing it first; how many in all."""
    found: dict[str, list[str]] = {}
    count = 0
    for kind in ("meetings", "statements"):
        for entry in os.scandir(folder / kind):
            record = tomli.loads(Path(entry.path).read_text(encoding="utf-8"))
            citations = record.get("citations", [])
            for citation in citations:
                found.setdefault(citation["source"], []).append(citation["excerpt"])
                count += 1
            if kind == "statements" and citations:
                found.setdefault(citations[0]["source"], []).append(record["quote"])
                count += 1
    return found, count


def write_archives(folder: Path, excerpts: dict[str, list[str]], rng: Random) -> tuple[dict[Path, tuple[bytes, bytes]], int]:
    """Each source's archive written; the source file's text without and with its archive keys."""
    versions: dict[Path, tuple[bytes, bytes]] = {}
    changed = 0
    for entry in sorted(os.scandir(folder / "sources"), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        source = entry.name[:-5]
        paragraphs = [FILLER[rng.randrange(len(FILLER))] for _ in range(8)]
        for text in excerpts.get(source, []):
            if rng.random() < 1 / 200:  # an article edited since, or an excerpt mistyped
                words = text.split()
                words[len(words) // 2] = "reportedly"
                text = " ".join(words)
                changed += 1
            paragraphs.insert(rng.randrange(len(paragraphs) + 1), f"{FILLER[0][:90]} {text} {FILLER[1][:60]}")
        data = ("\n\n".join(paragraphs) + "\n").encode("utf-8")
        archive = f"sources/{source}.txt"
        (folder / archive).write_bytes(data)
        plain = Path(entry.path).read_bytes()
        keys = (f'archive = "{archive}"\narchived_at = "2026-01-01T00:00:00Z"\n'
                f'archive_sha256 = "{hashlib.sha256(data).hexdigest()}"\n').encode()
        versions[Path(entry.path)] = (plain, plain + keys)
    return versions, changed


def set_sources(versions: dict[Path, tuple[bytes, bytes]], archived: bool) -> None:
    for path, (plain, with_archive) in versions.items():
        path.write_bytes(with_archive if archived else plain)


def check_seconds(folder: Path) -> tuple[float, str]:
    """One ``whomet check`` in a fresh process with an empty cache folder: its time and its summary."""
    with tempfile.TemporaryDirectory(prefix="verify-cache-") as cache:
        environment = {**os.environ, "WHOMET_CACHE_DIR": cache}
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "whomet.cli", "check", str(folder)], capture_output=True,
                                text=True, env=environment, cwd=HERE.parent, timeout=3600)
        elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise RuntimeError(f"whomet check failed (exit {result.returncode}): {result.stderr[-1500:]}")
    return elapsed, " · ".join(result.stderr.strip().splitlines()[-2:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="records to generate (default 100,000)")
    parser.add_argument("--runs", type=int, default=3, help="checks of each kind (default 3)")
    parser.add_argument("--folder", type=Path, help="where to write the casefile (default: a temporary folder)")
    options = parser.parse_args(argv)
    folder = options.folder or Path(tempfile.mkdtemp(prefix="verify-case-"))
    rng = Random(0)
    print(f"… generating {options.records:,} records in {folder}", file=sys.stderr, flush=True)
    generate(folder, options.records)
    excerpts, count = excerpts_by_source(folder)
    versions, changed = write_archives(folder, excerpts, rng)
    print(f"… {len(versions):,} archives written for {count:,} excerpts and quotes ({changed:,} made to differ)",
          file=sys.stderr, flush=True)
    times: dict[bool, list[float]] = {False: [], True: []}
    said: dict[bool, str] = {}
    for run in range(options.runs):
        for archived in (False, True):
            set_sources(versions, archived)
            seconds, said[archived] = check_seconds(folder)
            times[archived].append(seconds)
            print(f"… run {run + 1}: check {'with' if archived else 'without'} archives {seconds:.2f} s",
                  file=sys.stderr, flush=True)
    without, with_ = statistics.median(times[False]), statistics.median(times[True])
    ratio = with_ / without
    rows = [["check, sources without archives", f"{without:.2f} s", said[False]],
            ["check, every source archived", f"{with_:.2f} s", said[True]],
            ["ratio", f"{ratio:.2f}×", f"target ≤ {TARGET}×: {'met' if ratio <= TARGET else 'NOT met'}"]]
    print(text_table(["", f"median of {options.runs}", "what check said"], rows))
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
