"""How long the history of one record takes in a casefile of 100,000 records with 10,000 commits.

    python benchmarks/history.py                        # build the repository in a temporary folder
    python benchmarks/history.py --keep /tmp/hist       # build it there and keep it (reused next time)
    python benchmarks/history.py --records 10000 --commits 1000 --runs 15 --markdown

The repository: ``benchmarks/generate.py`` writes the records, then one ``git fast-import``
stream commits them all, and 9,999 more commits of one to three files each (a summary revised,
a key added), by eight authors an hour apart. One meeting, the record timed, is touched 40 times
among them, spread over the history: its title and status changed, participants added and their
capacities changed, its summary removed and put back, a citation added, one version that is not
TOML (fixed by the next), and early on a rename from another id (so that following renames is
measured too). The working tree is then the last commit, with the record changed and not
committed (the "not committed yet" entry).

Figures (each the median of --runs, the first run given apart), for the repository as
``git fast-import`` leaves it, then with a commit-graph of changed-path Bloom filters (``git
commit-graph write --reachable --changed-paths``, which ``git log -- PATH`` uses to skip the
commits that cannot have touched the path), and with --repack also after ``git repack -a -d -f``:

``history, first shown``   until the screen is first given commits (the newest, while older ones are read)
``history, complete``      ``file_history``: every git command it runs, every version parsed, the
                           changes field by field and who last set each field (all the screen shows)
``history, kept``          the same, read again: the commits are kept in the cache folder by HEAD,
                           and only those since are looked for (none here)
``rows``                   the screen's lines made from that history (every commit's changes as text)
``repository log, whole``  the repository's log read once into the cache folder (every commit and
                           the paths it changed: what the app does in the background after its first
                           paint, and after a checkout of another branch; new commits are added alone)
``history, from the log``  ``file_history`` when that log is at HEAD: a query of it, then the versions
``git log --follow``       what following renames with git's own option would cost, alone
``git log -- PATH``        the log the history reads (it follows renames by hand)
``git cat-file``           every version of the file read in one ``git cat-file --batch``

Floors, measured in the same run: ``git rev-parse HEAD`` (what starting git costs) and
``git log -1`` (a log that reads one commit).

Building takes about five minutes at the default size, nearly all of it in ``git fast-import``
writing a 40,000-entry ``meetings`` tree for each commit: ``--keep FOLDER`` keeps it for the next
run.

Budget (the issue's): the history of one record shows within 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import markdown_table, ms, ratio, text_table  # noqa: E402

BUDGET = 0.3
AUTHORS = [("Ann Lee", "ann@example.org"), ("Bo Ray", "bo@example.org"), ("Cy Tan", "cy@example.org"),
           ("Di Oso", "di@example.org"), ("Ed Fry", "ed@example.org"), ("Flo Ng", "flo@example.org"),
           ("Gus Ek", "gus@example.org"), ("Hal Ives", "hal@example.org")]
START = 1_672_531_200  # 2023-01-01T00:00:00Z
TOUCHES = 40
RENAMED_AT = 0.2
"""How far into the history the record timed is renamed to its id (from the one it was made with)."""


def say(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def git(repo: Path, *arguments: str, input: bytes | None = None) -> bytes:
    environment = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    return subprocess.run(["git", "-C", str(repo), "-c", "safe.directory=*", *arguments], input=input,
                          check=True, capture_output=True, env=environment).stdout


# --------------------------------------------------------------------------- the repository


def revised(text: str, number: int) -> str:
    """``text`` with its summary revised (or one added before its first table)."""
    lines = text.split("\n")
    for at, line in enumerate(lines):
        if line.startswith('summary = "') and line.endswith('"') and not line.startswith('summary = """'):
            lines[at] = line[:-1] + f' Revised in change {number}."'
            return "\n".join(lines)
        if line.startswith('summary = """'):
            lines.insert(at, f"# revised in change {number}")
            return "\n".join(lines)
    first_table = next((at for at, line in enumerate(lines) if line.startswith("[")), len(lines))
    lines.insert(first_table, f'summary = "Added in change {number}."')
    return "\n".join(lines)


class Timed:
    """The record timed: its versions, one for each time a commit touches it."""

    def __init__(self, record_id: str, text: str, people: list[str], sources: list[str]) -> None:
        self.id = record_id
        self.text = text
        self.people = people
        self.sources = sources
        self.touch = 0
        self.broken = False

    def next_version(self) -> str:
        self.touch += 1
        touch = self.touch
        if self.broken:  # the version before was not TOML: this commit fixes it
            self.broken = False
            return self.text
        step = touch % 8
        lines = self.text.split("\n")
        if step == 0:
            lines = [f'title = "Meeting of record, revision {touch}"' if line.startswith("title = ") else line
                     for line in lines]
        elif step == 1:
            lines += ["", "[[participants]]", f'who = "{self.people[touch % len(self.people)]}"']
        elif step == 2:
            lines = [f'status = "{("alleged", "disputed", "confirmed")[touch % 3]}"'
                     if line.startswith("status = ") else line for line in lines]
        elif step == 3:
            at = max(at for at, line in enumerate(lines) if line.startswith("who = "))
            lines.insert(at + 1, f'capacity = "capacity noted in revision {touch}"')
        elif step == 4:
            if any(line.startswith("summary = ") for line in lines):
                lines = [line for line in lines if not line.startswith("summary = ")]
            else:
                lines.insert(1, f'summary = "Put back in revision {touch}."')
        elif step == 5:
            lines += ["", "[[citations]]", f'source = "{self.sources[touch % len(self.sources)]}"',
                      f'excerpt = "Cited in revision {touch}."']
        elif step == 6 and touch % 16 == 6:
            self.broken = True
            return self.text + '\nplace = "unterminated\n'
        else:
            self.text = revised(self.text, touch)
            return self.text
        self.text = "\n".join(lines)
        return self.text


def data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def pick_record(folder: Path) -> tuple[str, str]:
    """A meeting of several participants, written on one-line strings (which the edits expect)."""
    for entry in sorted(os.scandir(folder / "meetings"), key=lambda e: e.name):
        text = Path(entry.path).read_text(encoding="utf-8")
        if text.count("[[participants]]") >= 3 and '"""' not in text and "\nstatus = " in text:
            return entry.name.removesuffix(".toml"), text
    raise SystemExit("no meeting of three participants in the generated casefile")


def build(repo: Path, records: int, commits: int, seed: int) -> str:
    """Write the casefile and its history into ``repo``; the path of the record timed."""
    started = time.perf_counter()
    generate(repo, records, seed)
    say(f"{records:,} records written in {time.perf_counter() - started:.1f}s")
    rng = random.Random(seed)
    paths = sorted(f"{kind}/{entry.name}" for kind in ("people", "organizations", "meetings", "statements", "sources")
                   for entry in os.scandir(repo / kind))
    record_id, text = pick_record(repo)
    people = sorted(entry.name.removesuffix(".toml") for entry in os.scandir(repo / "people"))[:50]
    sources = sorted(entry.name.removesuffix(".toml") for entry in os.scandir(repo / "sources"))[:50]
    timed = Timed(record_id, text, people, sources)
    final = f"meetings/{record_id}.toml"
    first = f"meetings/{record_id}-first-draft.toml"
    touched_at = set(rng.sample(range(2, commits + 1), TOUCHES))
    renamed_at = max(2, int(commits * RENAMED_AT))
    touched_at.discard(renamed_at)
    current: dict[str, str] = {}

    git(repo, "init", "-q", "-b", "main")
    started = time.perf_counter()
    importer = subprocess.Popen(["git", "-C", str(repo), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    assert importer.stdin is not None
    out = importer.stdin

    def commit(number: int, message: str, changes: list[bytes]) -> None:
        name, email = AUTHORS[number % len(AUTHORS)]
        stamp = START + number * 3600
        out.write(b"commit refs/heads/main\n")
        out.write(f"author {name} <{email}> {stamp} +0000\ncommitter {name} <{email}> {stamp} +0000\n".encode())
        out.write(data(message.encode()))
        out.writelines(changes)

    everything = []
    for path in paths:
        content = (repo / path).read_bytes()
        everything.append(f"M 100644 inline {first if path == final else path}\n".encode() + data(content))
    commit(1, "Import the casefile", everything)
    for number in range(2, commits + 1):
        if number == renamed_at:
            commit(number, f"Give {record_id} its id", [f"R {first} {final}\n".encode()])
            continue
        changes = []
        chosen = rng.sample(paths, rng.randint(1, 3))
        if number in touched_at:
            chosen = [final, *[p for p in chosen if p != final]][:2]
        message = f"Revise {', '.join(p.split('/')[1].removesuffix('.toml') for p in chosen)}"
        for path in chosen:
            if path == final:
                content = timed.next_version()
                where = final if number > renamed_at else first
            else:
                if path not in current:
                    current[path] = (repo / path).read_text(encoding="utf-8")
                content = current[path] = revised(current[path], number)
                where = path
            changes.append(f"M 100644 inline {where}\n".encode() + data(content.encode()))
        commit(number, message, changes)
    out.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    say(f"{commits:,} commits imported in {time.perf_counter() - started:.1f}s")
    for path, content in current.items():
        (repo / path).write_text(content, encoding="utf-8")
    (repo / final).write_text(timed.text + '\nplace = "changed, and not committed yet"\n', encoding="utf-8")
    started = time.perf_counter()
    git(repo, "reset", "-q")
    say(f"index written in {time.perf_counter() - started:.1f}s")
    return final


# --------------------------------------------------------------------------- timing


def timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """The first run's seconds, and the median of the ``runs`` after it."""
    seconds = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return seconds[0], statistics.median(seconds[1:])


def first_shown(file: Path) -> float:
    """Seconds until the history first reaches the screen (its first commits, or all of it)."""
    from whomet.store.history import file_history

    started = time.perf_counter()
    shown: list[float] = []
    file_history(file, cache=False, progress=lambda _history: shown.append(time.perf_counter() - started)
                 if not shown else None)
    return shown[0] if shown else time.perf_counter() - started


def measure(repo: Path, path: str, runs: int, state: str) -> list[list[str]]:
    """The figures for the repository as it is now (``state`` names it)."""
    from whomet.store.history import file_history

    file = repo / path
    history = file_history(file, cache=False)
    label: Callable[[str], str | None] = lambda _id: None  # the names are the index's: not timed here
    follow = ["log", "-z", "--raw", "--no-abbrev", "--format=%H", "--follow", "--", path]
    blobs = b"".join(f"{name}\n".encode() for c in history.commits for name in (c.old_blob, c.new_blob)
                     if name.strip("0"))
    kept_once = file_history(file)  # kept in the cache folder: the next are read from it
    assert [c.sha for c in kept_once.commits] == [c.sha for c in history.commits]
    figures: list[tuple[str, Callable[[], object], bool]] = [
        ("git rev-parse HEAD (floor)", lambda: git(repo, "rev-parse", "HEAD"), False),
        ("git log -1 (floor)", lambda: git(repo, "log", "-1"), False),
        ("history, first shown", lambda: first_shown(file), True),
        ("history, complete", lambda: file_history(file, cache=False), True),
        ("history, kept from before", lambda: file_history(file), True),
        ("rows (every commit's changes as text)", lambda: history_rows(history, label), False),
        ("git log --follow -- PATH", lambda: git(repo, *follow), False),
        ("git log -- PATH", lambda: git(repo, *[a for a in follow if a != "--follow"]), False),
        ("git cat-file --batch (every version)", lambda: git(repo, "cat-file", "--batch", input=blobs), False),
    ]
    results: dict[str, tuple[float, float]] = {}
    for name, work, _budgeted in figures:
        if name == "history, first shown":  # its own timing: until the first progress
            values = [first_shown(file) for _ in range(runs + 1)]
            results[name] = values[0], statistics.median(values[1:])
        else:
            results[name] = timed(work, runs)
    # The repository's log, as the app keeps it in the background after its first paint: read
    # whole once (its one run is both figures), then each history is a query of it.
    from whomet.store.repository_log import RepositoryLog

    log = RepositoryLog(repo)
    log.file.unlink(missing_ok=True)
    started = time.perf_counter()
    assert log.update(git(repo, "rev-parse", "HEAD").decode().strip())
    once = time.perf_counter() - started
    results["repository log, read whole (once)"] = once, once
    from_log = file_history(file)
    assert [c.sha for c in from_log.commits] == [c.sha for c in history.commits], "the log disagrees with git"
    results["history, from the repository log"] = timed(lambda: file_history(file), runs)
    figures += [("repository log, read whole (once)", lambda: None, False),
                ("history, from the repository log", lambda: None, True)]
    log.file.unlink(missing_ok=True)
    floor, log_floor = results["git rev-parse HEAD (floor)"][1], results["git log -1 (floor)"][1]
    rows = []
    for name, _work, budgeted in figures:
        first, median = results[name]
        budget = f"{'ok' if median <= BUDGET else 'OVER'}" if budgeted else ""
        rows.append([state, name, ms(first), ms(median), ratio(median, floor), ratio(median, log_floor), budget])
    return rows


def history_rows(history: object, label: Callable[[str], str | None]) -> object:
    from whomet.app.history_text import history_lines

    return history_lines(history, label)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each figure (after a first, apart)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it; reuse it if built")
    parser.add_argument("--repack", action="store_true",
                        help="also time it after git repack -a -d -f (as git gc --aggressive leaves it; slow)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    options = parser.parse_args()

    temporary = tempfile.mkdtemp(prefix="whomet-history-")
    os.environ["WHOMET_CACHE_DIR"] = str(Path(temporary) / "cache")  # the histories kept, in a folder of its own
    repo = options.keep if options.keep is not None else Path(temporary) / "casefile"
    try:
        marker = repo / ".git" / "whomet-benchmark-record"
        if marker.exists():
            path = marker.read_text().strip()
            say(f"reusing the repository in {repo}")
        else:
            repo.mkdir(parents=True, exist_ok=True)
            path = build(repo, options.records, options.commits, options.seed)
            marker.write_text(path + "\n")
        graph = repo / ".git" / "objects" / "info" / "commit-graph"
        graph.unlink(missing_ok=True)
        commits = int(git(repo, "rev-list", "--count", "HEAD"))
        from whomet.store.history import file_history

        history = file_history(repo / path, cache=False)
        found = sum(1 for c in history.commits if c.sha)
        print(f"{options.records:,} records, {commits:,} commits; the record {path}: {found} commits "
              f"(a rename followed: {any(c.renamed_from for c in history.commits)}, "
              f"{sum(1 for c in history.commits if c.after.exists and not c.after.readable)} unreadable), "
              f"{len(history.commits) - found} not committed; median of {options.runs} runs, the first apart")
        say("timing the repository as fast-import left it")
        rows = measure(repo, path, options.runs, "as imported")
        started = time.perf_counter()
        git(repo, "commit-graph", "write", "--reachable", "--changed-paths")
        say(f"commit-graph with changed-path Bloom filters written in {time.perf_counter() - started:.1f}s")
        rows += measure(repo, path, options.runs, "+ commit-graph")
        if options.repack:
            started = time.perf_counter()
            git(repo, "repack", "-a", "-d", "-f", "-q")
            say(f"repacked in {time.perf_counter() - started:.1f}s")
            rows += measure(repo, path, options.runs, "repacked + graph")
        graph.unlink(missing_ok=True)
        header = ["repository", "figure", "first", "median", "×rev-parse", "×log -1", f"≤{BUDGET * 1000:.0f}ms"]
        print(text_table(header, rows))
        if options.markdown:
            print()
            print(markdown_table(header, rows))
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
