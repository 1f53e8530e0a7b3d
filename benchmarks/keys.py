"""Key-to-paint latency of whomet in a real pseudo-terminal, key by key.

    python benchmarks/keys.py FOLDER [--presses 30]     # one casefile, a summary and the notes
    python benchmarks/keys.py --floor                   # the floor: a minimal Textual app
    python benchmarks/keys.py --floor-panels            # whomet's three panels in stock Textual widgets

``whomet FOLDER`` runs on a 160×48 pseudo-terminal (see ``terminal.py``). Once the casefile's
records are on screen (the header reads "FOLDER · N records") and the app is idle, keys are
written one at a time, each only once the app is idle again after the one before:

``j``, ``k``   the cursor down and up in the people list (focused at start), alternately
``filter``     ``/`` opens the people filter; each letter of the start person's surname is timed
               (``escape`` clears the filter between rounds)
``palette``    ``ctrl+p`` opens the command palette; each letter of the same surname is timed
               (``escape`` closes it between rounds)
``letter``     of those, the first letter of each round alone: a search for one letter
``typed``      the same surname typed into the palette as a quick typist does, a letter every
               80 ms without waiting for the screen, timed from the last letter (first: its
               first update; settled: the results for the whole surname on screen)
``follow``     ``enter`` on a link of the detail panel that names someone other than the person
               shown: it opens that record (after ``enter`` on the person, ``enter`` on the first
               timeline item, and ``j`` to that link, none of them timed)
``back``       ``backspace`` back to where the link was followed from

For each key, seconds from writing the key to:

``first``    the arrival of the first screen update it causes (the headline figure); for ``j``
             and ``k`` that is the list's cursor moving, for the palette the letter echoed
``settled``  the arrival of the end of the last update before the app is idle again: no update
             for the quiet window and under 10 % of a CPU used over it (so an app busy computing
             its next update is not taken for one that is done)
``done``     the later of ``settled`` and the end of the app's last 20 ms spent working (a
             quarter of a CPU or more): for the palette, when its search is over, even when the
             results it found are those already on screen and nothing is redrawn

A cursor blinking in an input (a frame that changes one cell) is not an update.

Each press is also checked against what it should have done (the panel titles change for ``j``,
``k`` and a followed link, come back for ``backspace``; the surname is among the people after
filtering and among the palette's results); what did not happen is reported as a note.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from terminal import Response, Terminal  # noqa: E402

ROWS, COLUMNS = 48, 160
ENTER, BACKSPACE, ESCAPE, CTRL_P = b"\r", b"\x7f", b"\x1b", b"\x10"
RECORDS = re.compile(r"·\s*(\d[\d,.\u00a0\u202f ]*?)\s*records?\b")
"""The header's subtitle once the data is on screen: "FOLDER · 1,000 records"."""
FIGURES = ("j", "k", "follow", "back", "filter", "palette", "letter", "typed")

TYPING = 0.08
"""Seconds between two letters typed at a quick typist's pace (``typed``)."""


@dataclass
class Session:
    """What one interactive session measured: the responses to each kind of key, and notes."""

    responses: dict[str, list[Response]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    data_on_screen: float | None = None
    """Seconds from starting the program to the frame that showed the record count."""
    peak_rss_mb: float | None = None
    fragment: str = ""
    """The letters typed in the filter and the palette."""
    link: str = ""
    """The link followed, as the links list shows it."""

    def add(self, figure: str, response: Response) -> None:
        self.responses.setdefault(figure, []).append(response)

    def median(self, figure: str, what: str = "first") -> float | None:
        values = [getattr(r, what) for r in self.responses.get(figure, []) if getattr(r, what) is not None]
        return statistics.median(values) if values else None

    def count(self, figure: str) -> tuple[int, int]:
        """How many presses of ``figure`` brought an update, of how many."""
        responses = self.responses.get(figure, [])
        return sum(r.first is not None for r in responses), len(responses)

    def as_json(self) -> dict[str, object]:
        return {
            "data_on_screen": self.data_on_screen,
            "peak_rss_mb": self.peak_rss_mb,
            "fragment": self.fragment,
            "link": self.link,
            "notes": self.notes,
            "responses": {k: [{**asdict(r), "done": r.done} for r in v] for k, v in self.responses.items()},
        }


# reading the screen


def titles(terminal: Terminal) -> list[str]:
    """The titles in the panels' top borders (row 2): people, timeline, detail."""
    return [t.strip() for t in re.findall(r"╭─([^─╮]*)", terminal.screen.line(1))]


def panel_columns(terminal: Terminal) -> list[int]:
    """Where each panel's left border is."""
    return [m.start() for m in re.finditer("╭", terminal.screen.line(1))]


def panel_text(terminal: Terminal, panel: int) -> str:
    """What a panel (0 people, 1 timeline, 2 detail) shows, its title included, as text."""
    columns = [*panel_columns(terminal), COLUMNS]
    if len(columns) < 4:
        return terminal.screen.text()
    return "\n".join(line[columns[panel]:columns[panel + 1]] for line in terminal.screen.lines()[1:ROWS - 1])


def link_rows(terminal: Terminal) -> list[str]:
    """The rows of the detail panel's links list, as shown."""
    columns = panel_columns(terminal)
    if len(columns) < 3:
        return []
    lines = terminal.screen.lines()
    left = columns[2] + 1
    heading = next((r for r, line in enumerate(lines) if "Links (" in line[left:]), None)
    if heading is None:
        return []
    rows = []
    for line in lines[heading + 1:]:
        inner = line[left:-1]
        if inner.startswith("─") or "╰" in line[columns[2]:columns[2] + 1]:
            break
        rows.append(inner.rstrip(" ▁▂▃▄▅▆▇█▔"))
    return rows


def people_rows(terminal: Terminal) -> list[str]:
    columns = panel_columns(terminal)
    right = columns[1] if len(columns) > 1 else 40
    return [line[1:right - 1].strip() for line in terminal.screen.lines()[2:ROWS - 2]]


def record_count(terminal: Terminal) -> int | None:
    match = RECORDS.search(terminal.screen.line(0))
    return int(re.sub(r"\D", "", match.group(1))) if match else None


def surname_fragment(label: str, length: int = 6) -> str:
    """Letters of the last word of a name that a reader would type to find it."""
    words = [re.sub(r"[^A-Za-z]", "", w) for w in label.split()]
    words = [w for w in words if len(w) >= 3] or [re.sub(r"[^A-Za-z]", "", label)]
    return words[-1][:length].lower()


# the session


def typed_at_pace(terminal: Terminal, word: str, *, quiet: float, timeout: float) -> Response:
    """``word`` typed into the open palette a letter every :data:`TYPING` seconds without waiting
    for the screen; timed from the last letter to a "Go to" result holding the whole word."""
    for letter in word[:-1]:
        terminal.send(letter.encode())
        pause_until = time.monotonic() + TYPING
        while time.monotonic() < pause_until:
            terminal.read(max(0.0, pause_until - time.monotonic()))
    last = terminal.send(word[-1].encode())
    return terminal.wait(until=lambda: any("Go to" in line and word in line.lower() for line in terminal.screen.lines()),
                         quiet=quiet, timeout=timeout, since=last)


def start(command: list[str], environment: Mapping[str, str], *, quiet: float, timeout: float,
          session: Session) -> Terminal:
    env = {k: v for k, v in environment.items() if not k.startswith("TEXTUAL")}
    env.update({"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)})
    env.pop("NO_COLOR", None)
    terminal = Terminal(command, environment=env, cwd=HERE.parent, rows=ROWS, columns=COLUMNS)
    response = terminal.wait(until=lambda: record_count(terminal) is not None, quiet=quiet, timeout=timeout,
                             since=terminal.started)
    if record_count(terminal) is None:
        tail = terminal.output_tail()
        terminal.close(None)
        raise RuntimeError(f"the data never showed within {timeout:.0f}s (no '· N records' in the header). "
                           f"Last output:\n{tail}")
    session.data_on_screen = response.met
    if not response.idle:
        session.notes.append("the app was not idle after showing its data; measuring anyway")
    return terminal


def measure(folder: Path, *, presses: int = 30, quiet: float = 0.3, timeout: float = 120.0,
            load_timeout: float = 600.0, environment: Mapping[str, str] | None = None,
            progress=None) -> Session:  # noqa: ANN001
    """Run whomet on ``folder`` in a pseudo-terminal and time ``presses`` presses of each key."""
    session = Session()
    command = [sys.executable, "-c", "import sys; from whomet.cli import main; sys.exit(main())", str(folder)]
    terminal = start(command, environment or os.environ, quiet=quiet, timeout=load_timeout, session=session)
    say = progress or (lambda message: None)

    def press(keys: bytes) -> Response:
        response = terminal.press(keys, quiet=quiet, timeout=timeout)
        if terminal.process.poll() is not None:
            raise RuntimeError(f"whomet exited during the key presses. Last output:\n{terminal.output_tail()}")
        return response

    try:
        start_titles = titles(terminal)
        person = start_titles[2].split("·", 1)[-1].strip() if len(start_titles) > 2 else ""
        fragment = surname_fragment(person) if person else ""
        if len(fragment) < 3:
            first_person = next((r for r in people_rows(terminal) if r and not r.startswith("──")), "")
            fragment = surname_fragment(re.sub(r"\s+\d+·\d+$", "", first_person))
        session.fragment = fragment

        # j and k in the people list, alternately: every press moves the cursor
        say("j/k")
        for _ in range(presses):
            for key, figure in ((b"j", "j"), (b"k", "k")):
                before = panel_text(terminal, 1)
                response = press(key)
                session.add(figure, response)
                if panel_text(terminal, 1) == before:  # not the title alone: two people may share a name
                    session.notes.append(f"{figure}: the timeline did not change to another person")

        def type_fragment(figure: str, typed: int) -> tuple[str, int]:
            """Type the fragment letter by letter, each a press of ``figure``, up to ``presses`` in all."""
            shown = ""
            for letter in fragment:
                if typed >= presses:
                    break
                shown += letter
                response = press(letter.encode())
                session.add(figure, response)
                if figure == "palette" and len(shown) == 1:
                    session.add("letter", response)  # a search for one letter: the most a word index can find
                typed += 1
            return shown, typed

        # the people filter, letter by letter
        say("filter")
        typed = 0
        while typed < presses:
            press(b"/")
            shown, typed = type_fragment("filter", typed)
            if not any(shown in row.lower() for row in people_rows(terminal)[:6]):
                session.notes.append(f"filter: no person with '{shown}' near the top of the filtered list")
            press(ESCAPE)

        # the command palette, letter by letter
        say("palette")
        typed = 0
        while typed < presses:
            opened = press(CTRL_P)
            if opened.first is None:
                session.notes.append("palette: ctrl+p did not open the command palette")
                break
            shown, typed = type_fragment("palette", typed)
            if not any("Go to" in line and shown in line.lower() for line in terminal.screen.lines()):
                session.notes.append(f"palette: no 'Go to …' result with '{shown}' on screen")
            press(ESCAPE)

        # the palette again, the whole surname typed at a typist's pace: a search per letter
        # must not hold back the letters after it
        say("palette, typed")
        for _ in range(max(1, presses // max(1, len(fragment)))):
            if press(CTRL_P).first is None:
                break
            response = typed_at_pace(terminal, fragment, quiet=quiet, timeout=timeout)
            session.add("typed", response)
            if response.met is None:
                session.notes.append(f"typed: no 'Go to …' result with '{fragment}' on screen")
            press(ESCAPE)

        # follow a link and come back
        say("follow/back")
        press(ENTER)  # the person: focus to the timeline
        press(ENTER)  # the first timeline item: focus to its links
        rows = link_rows(terminal)
        shown_person = titles(terminal)[1].split("·", 1)[-1].strip() if len(titles(terminal)) > 1 else ""
        choice = next((i for i, row in enumerate(rows) if shown_person and shown_person not in row), None)
        if choice is None:
            session.notes.append(f"follow: no link to anyone but {shown_person!r}; following the first")
            choice = 0
        for _ in range(choice):
            press(b"j")
        session.link = " ".join(rows[choice].split()) if choice < len(rows) else ""
        for _ in range(presses):
            origin = titles(terminal), panel_text(terminal, 1), panel_text(terminal, 2)
            session.add("follow", press(ENTER))
            if (titles(terminal), panel_text(terminal, 1), panel_text(terminal, 2)) == origin:
                session.notes.append("follow: enter on a link did not open another record")
            session.add("back", press(BACKSPACE))
            if (titles(terminal), panel_text(terminal, 2)) != (origin[0], origin[2]):
                session.notes.append("back: backspace did not return to where the link was followed from")
        session.peak_rss_mb = terminal.peak_rss_mb()
    finally:
        terminal.close(b"q")
    return session


def measure_floor(*, presses: int = 30, quiet: float = 0.3, environment: Mapping[str, str] | None = None,
                  app: str = "floor-app") -> Session:
    """j and k in a minimal Textual app's list: the least a key can cost on this machine. ``app``
    "floor-panels": in whomet's three panels made of stock Textual widgets, the timeline and detail
    replaced at each key (see ``launch.py``)."""
    session = Session()
    command = [sys.executable, str(HERE / "launch.py"), app]
    terminal = start(command, environment or os.environ, quiet=quiet, timeout=120, session=session)
    try:
        for _ in range(presses):
            session.add("j", terminal.press(b"j", quiet=quiet))
            session.add("k", terminal.press(b"k", quiet=quiet))
        typed = 0
        while app == "floor-panels" and typed < presses:  # its palette, a letter at a time
            terminal.press(CTRL_P, quiet=quiet)
            for number, letter in enumerate(b"wright"[:presses - typed]):
                response = terminal.press(bytes([letter]), quiet=quiet)
                session.add("palette", response)
                if number == 0:
                    session.add("letter", response)
                typed += 1
            terminal.press(ESCAPE, quiet=quiet)
        for _ in range(max(1, presses // 6) if app == "floor-panels" else 0):  # and typed at a typist's pace
            terminal.press(CTRL_P, quiet=quiet)
            session.add("typed", typed_at_pace(terminal, "wright", quiet=quiet, timeout=120))
            terminal.press(ESCAPE, quiet=quiet)
        session.peak_rss_mb = terminal.peak_rss_mb()
    finally:
        terminal.close(b"q")
    return session


def summary(session: Session, figures: tuple[str, ...] = FIGURES) -> str:
    lines = []
    if session.data_on_screen is not None:
        lines.append(f"launch → data on screen in the terminal: {session.data_on_screen * 1000:.0f} ms (one launch)")
    if session.fragment:
        lines.append(f"typed in the filter and the palette: {session.fragment!r}; followed: {session.link!r}")
    for figure in figures:
        first, settled = session.median(figure), session.median(figure, "settled")
        if first is None or settled is None:
            lines.append(f"{figure:>8}: no update")
            continue
        hits, total = session.count(figure)
        done = session.median(figure, "done") or settled
        lines.append(f"{figure:>8}: first {first * 1000:7.1f} ms   settled {settled * 1000:7.1f} ms   "
                     f"done {done * 1000:7.1f} ms   ({hits}/{total} presses updated the screen)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, help="the casefile (default: the bundled one)")
    parser.add_argument("--floor", action="store_true", help="measure the minimal Textual app instead")
    parser.add_argument("--floor-panels", action="store_true",
                        help="measure whomet's three panels made of stock Textual widgets instead")
    parser.add_argument("--presses", type=int, default=30, help="presses per figure")
    parser.add_argument("--quiet", type=float, default=0.3, help="seconds without an update that count as idle")
    parser.add_argument("--json", action="store_true", help="print every response as JSON")
    options = parser.parse_args()
    environment = dict(os.environ)
    cache = None
    if not environment.get("WHOMET_CACHE_DIR"):  # not the reader's own cache: a fresh one, filled at launch
        cache = tempfile.TemporaryDirectory(prefix="bench-cache-")
        environment["WHOMET_CACHE_DIR"] = cache.name
    if options.floor or options.floor_panels:
        session = measure_floor(presses=options.presses, quiet=options.quiet,
                                app="floor-panels" if options.floor_panels else "floor-app")
        figures: tuple[str, ...] = ("j", "k", "palette", "letter", "typed") if options.floor_panels else ("j", "k")
    else:
        sys.path.insert(0, str(HERE.parent))
        from whomet.store.bundled import bundled_casefile

        started = time.monotonic()
        session = measure(options.folder or bundled_casefile(), presses=options.presses, quiet=options.quiet,
                          environment=environment, progress=lambda what: print(f"… {what} ({time.monotonic() - started:.0f}s)",
                                                      file=sys.stderr, flush=True))
        figures = FIGURES
    if cache is not None:
        cache.cleanup()
    if options.json:
        print(json.dumps(session.as_json(), indent=1))
    print(summary(session, figures))
    for note in dict.fromkeys(session.notes):
        print(f"note: {note} (×{session.notes.count(note)})")


if __name__ == "__main__":
    main()
