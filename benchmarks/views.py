"""How long the "who met whom" views take at 100,000 records, from the cache, against floors
measured in the same run: the chronology and its filters, the people someone met, the chains of
meetings between two parties, and the activity charts.

    python benchmarks/views.py                          # a generated casefile of 100,000 records
    python benchmarks/views.py --casefile /path/to/casefile --runs 9 --markdown
    python benchmarks/views.py --presses 0              # the views alone, not the app

Views: each figure is the median of --runs, the first run (its pages not yet in SQLite's cache, a
role filter's roles not yet read) given apart; the runs of all figures are interleaved, so that a
slow spell of a shared machine spreads over all of them. A chronology figure is the entries that
pass the filters (``Chronology.matching``, entries already read, as the app keeps them) and the
rows of the first screenful (60); a chain's figure is the time for that chain alone, the ones
before it found untimed. Floors: ``SELECT count(*) FROM records`` (what any query costs) and the
meetings and statements' ids in date order (what a view over every record reads at least).

The app: ``whomet CASEFILE`` on a 160×48 pseudo-terminal (see keys.py), ``t`` opens the
chronology, ``/`` its filter line, then the busiest person's surname is typed a letter at a time,
each once the screen has settled after the one before, ``ctrl+u`` clearing the line between
rounds. The first round (every row made for the first time) is given apart, and of the later
rounds the first letter (the most records it lets through) apart from the others as well as all
letters together (the issue's figure). Its floor is j and k in a minimal Textual app on the same
terminal; ``open (t)`` is one press, the chronology's entries read from the cache included.

Budgets (the issue's): a chronology filter 50 ms a key, connections and a chain 100 ms, a chart
200 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from keys import Session, measure_floor, start, surname_fragment  # noqa: E402
from run import markdown_table, ms, ratio, text_table  # noqa: E402

from whomet.charts import terminal_chart  # noqa: E402
from whomet.index import Chronology, Filters, activity_of, chains, connections_of, dates_of, shortest_path  # noqa: E402
from whomet.model import FuzzyDate  # noqa: E402
from whomet.store import open_casefile  # noqa: E402

FILTER, LINKS, CHART = 0.05, 0.1, 0.2
CLEAR = b"\x15"  # ctrl+u: the filter line emptied
SUBTITLE = re.compile(r"(\d[\d,]*) records? ─╯")

Figure = tuple[str, float | None, Callable[[], object], Callable[[object], object]]
"""A name, its budget, what to do untimed first, and the work timed (given what that returned)."""


def say(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def nothing() -> None:
    return None


def hops(chain: list | None) -> str:
    return "none" if chain is None else f"{len(chain)} hops"


def figures(cache) -> tuple[list[Figure], list[Figure], dict[str, object]]:  # noqa: ANN001 - a CaseCache
    """The floors and the figures for this casefile, and what was chosen for them."""
    db = cache.db
    counts = db.execute(
        "SELECT target, count(*) FROM links l JOIN records r ON r.id = l.target AND r.kind = 'person' "
        "WHERE relation = 'participant' GROUP BY target ORDER BY count(*) DESC, target").fetchall()
    busiest, small = counts[0][0], counts[len(counts) // 2][0]
    label = db.execute("SELECT label FROM records WHERE id = ?", (busiest,)).fetchone()[0]
    word = surname_fragment(label, 9)
    top = connections_of(db, busiest)[0].other
    near, middle, far, farthest, apart = _pairs(db, busiest, small)
    span = FuzzyDate.parse("2016-03/2016-09")
    between = (span.lower.isoformat(), span.upper.isoformat())
    filters = [("no filter", Filters())]
    filters += [(f"{word[:n]}", Filters(words=word[:n])) for n in range(1, len(word) + 1)]
    filters += [(f"with:{busiest}", Filters(parties=(busiest,))), ("kind:meeting", Filters(kinds=("meeting",))),
                ("type:dinner", Filters(types=("dinner",))), ("status:alleged", Filters(statuses=("alleged",))),
                ("oath:yes", Filters(under_oath=True)), ("stance:denies", Filters(stances=("denies",))),
                ("role:ambassador", Filters(roles=("ambassador",))),
                ("between:2016-03/2016-09", Filters(first_day=between[0], last_day=between[1])),
                (f"with:{busiest} with:{top} kind:meeting", Filters(parties=(busiest, top), kinds=("meeting",))),
                (f"role:ambassador stance:denies {word}",
                 Filters(roles=("ambassador",), stances=("denies",), words=word))]
    chronology = Chronology(db)

    def screenful(chosen: Filters) -> Callable[[object], object]:
        def work(_: object) -> object:
            entries = chronology.matching(chosen)
            chronology.rows(entries[:60])
            return f"{len(entries):,}"
        return work

    def opened(_: object) -> object:
        fresh = Chronology(db)
        fresh.rows(fresh.matching(Filters())[:60])
        return f"{len(fresh.entries):,}"

    def path(a: str, b: str) -> Callable[[object], object]:
        return lambda _: hops(shortest_path(db, a, b))

    def chain(a: str, b: str, nth: int) -> tuple[Callable[[], object], Callable[[object], object]]:
        def before() -> object:
            found = chains(db, a, b)
            for _ in range(nth - 1):
                next(found, None)
            return found
        return before, lambda found: hops(next(found, None))

    def chart(party: str | None, drawn: bool = False) -> Callable[[object], object]:
        def work(_: object) -> object:
            found = activity_of(cache, party)
            if drawn:
                terminal_chart(found, width=120, height=30, color=True)
            return f"{len(found.bars)} bars"
        return work

    def chart_of(chosen: Filters) -> Callable[[object], object]:
        def work(_: object) -> object:  # as the app charts the chronology: from the entries it holds
            found = activity_of(cache, None, dates=dates_of(db, chosen, chronology), label="chronology")
            return f"{len(found.bars)} bars"
        return work

    floors: list[Figure] = [
        ("count", None, nothing, lambda _: db.execute("SELECT count(*) FROM records").fetchone()[0]),
        ("scan", None, nothing, lambda _: len(db.execute(
            "SELECT id FROM records WHERE kind IN ('meeting', 'statement') ORDER BY sort_lo").fetchall())),
    ]
    chronology.entries  # noqa: B018 - read once, as the app does when the chronology opens
    made: list[Figure] = [("chronology opened (entries read)", None, nothing, opened)]
    made += [(f"chronology {name}", FILTER, nothing, screenful(chosen)) for name, chosen in filters]
    made += [(f"connections of {busiest}", LINKS, nothing, lambda _: f"{len(connections_of(db, busiest)):,} met"),
             (f"connections of {small}", LINKS, nothing, lambda _: f"{len(connections_of(db, small)):,} met")]
    for a, b in (near, middle, far, farthest, apart):
        if a and b:
            made.append((f"path {a} → {b}", LINKS, nothing, path(a, b)))
    for a, b in (near, far):
        made += [(f"chain {nth} {a} → {b}", LINKS, *chain(a, b, nth)) for nth in (2, 3)]
    made += [(f"chart of {busiest}, month", CHART, nothing, chart(busiest)),
             ("chart of the casefile, month", CHART, nothing, chart(None)),
             ("chart of the casefile, month, drawn", CHART, nothing, chart(None, drawn=True)),
             (f"chart of chronology with:{busiest}", CHART, nothing, chart_of(Filters(parties=(busiest,))))]
    counts_typed = {word[:n]: len(chronology.matching(Filters(words=word[:n]))) for n in range(1, len(word) + 1)}
    return floors, made, {"busiest": busiest, "word": word, "typed": counts_typed,
                          "entries": len(chronology.entries)}


def _pairs(db, busiest: str, small: str) -> list[tuple[str | None, str | None]]:  # noqa: ANN001
    """Pairs for the paths: 2 apart, 3 apart, the farthest from ``busiest``, the farthest from
    that, and ``busiest`` with someone it has no chain to (None when everyone is linked)."""
    met: dict[str, set[str]] = defaultdict(set)
    by_meeting: dict[str, list[str]] = defaultdict(list)
    for meeting, party in db.execute("SELECT l.source, l.target FROM links l JOIN records m ON m.id = l.source "
                                     "AND m.kind = 'meeting' WHERE l.relation = 'participant'"):
        by_meeting[meeting].append(party)
    for parties in by_meeting.values():
        for party in parties:
            met[party].update(parties)

    def distances(origin: str) -> dict[str, int]:
        found, waiting = {origin: 0}, deque([origin])
        while waiting:
            party = waiting.popleft()
            for other in sorted(met[party]):
                if other not in found:
                    found[other] = found[party] + 1
                    waiting.append(other)
        return found

    def at(away: dict[str, int], steps: int) -> str | None:
        """A party ``steps`` away that met as many others as the middle one of them."""
        found = sorted((len(met[p]), p) for p in away if away[p] == steps)
        return found[len(found) // 2][1] if found else None

    away = distances(busiest)
    far = max(away, key=lambda p: (away[p], p))
    from_far = distances(far)
    farthest = max(from_far, key=lambda p: (from_far[p], p))
    alone = next((p for p in sorted(met) if p not in away), None)
    near = small if away.get(small) == 2 else at(away, 2)
    return [(busiest, near), (small, at(distances(small), 3)), (busiest, far), (far, farthest), (busiest, alone)]


def measure_views(cache, runs: int) -> tuple[dict[str, list[float]], dict[str, str], list[Figure], dict]:  # noqa: ANN001
    floors, made, chosen = figures(cache)
    times: dict[str, list[float]] = {}
    found: dict[str, str] = {}
    for run in range(runs + 1):
        say(f"views, run {run + 1} of {runs + 1}")
        for name, _, before, work in [*floors, *made]:
            state = before()
            started = time.perf_counter()
            result = work(state)
            times.setdefault(name, []).append(time.perf_counter() - started)
            found[name] = str(result)
    return times, found, made, chosen


def measure_app(folder: Path, word: str, expected: dict[str, int], presses: int, quiet: float) -> Session:
    """``t``, ``/``, then ``word`` a letter at a time, in whomet on a pseudo-terminal."""
    session = Session(fragment=word)
    command = [sys.executable, "-c", "import sys; from whomet.cli import main; sys.exit(main())", str(folder)]
    terminal = start(command, os.environ, quiet=quiet, timeout=600, session=session)
    try:
        session.add("open (t)", terminal.press(b"t", quiet=quiet))
        terminal.press(b"/", quiet=quiet)
        typed, round_ = 0, 0
        while typed < presses:
            for n in range(1, len(word) + 1):
                response = terminal.press(word[n - 1].encode(), quiet=quiet)
                session.add("first round" if round_ == 0 else "typed", response)
                if round_:
                    session.add("1st letter" if n == 1 else "2nd letter on", response)
                typed += 1
                shown = SUBTITLE.search(terminal.screen.text())
                if shown is None or int(shown.group(1).replace(",", "")) != expected[word[:n]]:
                    session.notes.append(f"'{word[:n]}': the chronology did not show {expected[word[:n]]:,} records")
            session.add("cleared (ctrl+u)", terminal.press(CLEAR, quiet=quiet))
            round_ += 1
        session.peak_rss_mb = terminal.peak_rss_mb()
    finally:
        terminal.close(b"q")
    return session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--casefile", type=Path, help="measure this casefile instead of a generated one")
    parser.add_argument("--records", type=int, default=100_000, help="records of the generated casefile")
    parser.add_argument("--runs", type=int, default=9, help="runs of each view figure (after a first, apart)")
    parser.add_argument("--presses", type=int, default=32, help="letters typed in the app (0: not the app)")
    parser.add_argument("--quiet", type=float, default=0.3, help="seconds without an update that count as idle")
    parser.add_argument("--markdown", action="store_true", help="also print the tables as Markdown")
    options = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-views-") as scratch:
        if not os.environ.get("WHOMET_CACHE_DIR"):  # not the reader's own cache
            os.environ["WHOMET_CACHE_DIR"] = str(Path(scratch) / "cache")
        folder = options.casefile
        if folder is None:
            folder = Path(scratch) / "case"
            say(f"generating {options.records:,} records")
            generate(folder, options.records, seed=1)
        started = time.perf_counter()
        cache = open_casefile(folder)
        say(f"cache ready in {time.perf_counter() - started:.1f} s")
        try:
            times, found, made, chosen = measure_views(cache, options.runs)
        finally:
            cache.close()
        app = floor = None
        if options.presses:
            say("floor: j and k in a minimal Textual app")
            floor = measure_floor(presses=options.presses, quiet=options.quiet)
            say(f"the app: typing {chosen['word']!r} in the chronology's filter")
            app = measure_app(folder, chosen["word"], chosen["typed"], options.presses, options.quiet)
    load = (*load, *os.getloadavg())
    for table in (text_table, markdown_table) if options.markdown else (text_table,):
        print(report(times, found, made, chosen, floor, app, options, load, table) + "\n")


def share(value: float | None, budget: float | None) -> str:
    if value is None or not budget:
        return "—"
    return f"{value / budget:.2f}" + (" over" if value > budget else "")


def report(times, found, made, chosen, floor, app, options, load, table) -> str:  # noqa: ANN001
    count, scan = (statistics.median(times[name][1:]) for name in ("count", "scan"))
    rows = []
    for name, budget, _, _ in made:
        first, median = times[name][0], statistics.median(times[name][1:])
        rows.append([name, found[name], ms(first), ms(median), ratio(median, count), ratio(median, scan),
                     ms(budget), share(median, budget)])
    parts = [(f"Load average (1, 5, 15 min) at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, at the end "
              f"{load[3]:.2f} {load[4]:.2f} {load[5]:.2f}, on {os.cpu_count()} cores."),
             (f"Floors (medians of {options.runs}): count(*) of the records {ms(count)}; the {chosen['entries']:,} "
              f"meetings and statements' ids in date order {ms(scan)}."), "",
             f"Views (median of {options.runs}, the first run apart; chronology: matching + the rows of 60):", "",
             table(["figure", "found", "first", "median", "×count", "×scan", "budget", "÷budget"], rows)]
    if app is not None and floor is not None:
        floors = {what: statistics.median(value for key in ("j", "k") for r in floor.responses[key]
                                          if (value := getattr(r, what)) is not None)
                  for what in ("first", "settled", "done")}
        rows = []
        for figure in ("open (t)", "first round", "typed", "1st letter", "2nd letter on", "cleared (ctrl+u)"):
            cells = [figure, str(len(app.responses.get(figure, [])))]
            for what in ("first", "settled", "done"):
                value = app.median(figure, what)
                cells += [ms(value), ratio(value, floors[what])]
            budget = None if figure.startswith("open") else FILTER
            rows.append([*cells, ms(budget), share(app.median(figure, "settled"), budget)])
        parts += ["", (f"The app, 160×48 terminal: {chosen['word']!r} typed in the chronology's filter (medians of "
                       "the presses, of the rounds after the first unless said; floor j/k in a minimal Textual "
                       f"app: first {ms(floors['first'])}, settled {ms(floors['settled'])}, done "
                       f"{ms(floors['done'])}; ÷budget of settled):"), "",
                  table(["key", "presses", "first", "×floor", "settled", "×floor", "done", "×floor", "budget",
                         "÷budget"], rows)]
        parts += [f"note: {note} (×{app.notes.count(note)})" for note in dict.fromkeys(app.notes)]
    return "\n".join(parts)


if __name__ == "__main__":
    main()
