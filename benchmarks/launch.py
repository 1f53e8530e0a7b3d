"""One measured launch, run in a fresh process by ``run.py``.

``launch.py hello``         a hello-world Textual app: launch to first paint (the floor)
``launch.py screen``        whomet's own screen with no casefile: its interface imported, laid out
                            and painted with the panels empty (what any launch of it costs)
``launch.py whomet FOLDER`` whomet: launch to the casefile's data on screen
``launch.py shell FOLDER``  whomet: launch to the first paint of its screen, data or not
``launch.py prime FOLDER``  whomet: launch, show the data, let the app finish (filling its cache), quit
``launch.py parse FOLDER``  tomllib over every record file with a pool of 2 processes (the parse floor)
``launch.py check FOLDER``  ``whomet check``

Prints one JSON line: seconds since WHOMET_T0 (set by the parent just before it started this
process, so interpreter start-up counts), the peak RSS in MB, and that of the largest helper
process the app started by then (0 when none); both as /proc's VmHWM (see ``HelperPeaks``). The
parent chooses the app's cache folder with WHOMET_CACHE_DIR: empty for a cold launch, filled by
``prime`` for a warm one.

``launch.py floor-app`` is not timed here: it is a minimal Textual app (a header and a list moved
with j and k) that ``keys.py`` runs in a pseudo-terminal as the floor for key-to-paint latency;
``launch.py floor-panels`` is whomet's three panels in stock Textual widgets, the timeline and
detail put in place at each key (the floor of a key that changes the person shown).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

from memory import peak_mb


def open_browser(folder: Path, adapt, **run_options):  # noqa: ANN001, ANN201
    """whomet's own way of opening the browser (look at the files first, then import the app)."""
    from whomet.cli import open_browser as launch

    return launch(folder, adapt, **run_options)


def own_peak_mb() -> float:
    """This process's peak resident memory since it started, as visidata's is measured."""
    peak = peak_mb()
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class HelperPeaks:
    """The most resident memory any reader process of the app held, polled from /proc once the
    app runs. Not getrusage's figure for the children: a child's starts at what its parent held
    when it was started (a reader started by an app of 90 MB says 90 MB however little it uses),
    where /proc's VmHWM counts from the start of the program it runs. (The early look's child is
    forked, not started anew, so its VmHWM is its parent's: it is not counted.)"""

    def __init__(self) -> None:
        self.most = 0.0
        self._stop = threading.Event()

    def start(self) -> None:
        """From the app's mount: after the early look's fork, which must come before any thread."""
        if os.path.exists("/proc/self/task"):
            threading.Thread(target=self._poll, daemon=True).start()

    def _poll(self) -> None:
        while not self._stop.wait(0.05):
            for children in Path("/proc/self/task").glob("*/children"):
                try:
                    pids = children.read_text().split()
                except OSError:
                    continue
                for pid in pids:
                    try:
                        if b"whomet.store.reader" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                            continue
                    except OSError:
                        continue  # ended since
                    self.most = max(self.most, peak_mb(pid) or 0.0)

    def stop(self) -> float:
        """The most a reader held (0 when no reader was seen: the polls are 50 ms apart, and a
        warm launch starts none)."""
        self._stop.set()
        return self.most


HELPERS: HelperPeaks | None = None


def report(**figures: float | None) -> None:
    if figures.get("seconds") is None:  # the app stopped (an error, most likely) before the moment timed
        sys.exit("the app exited before the moment measured; see its output above")
    figures["rss_mb"] = own_peak_mb()
    # The largest of the helper processes the app started (its readers), if any.
    figures["children_rss_mb"] = HELPERS.stop() if HELPERS is not None else 0.0
    print(json.dumps(figures), flush=True)


def since_start() -> float:
    return time.time() - float(os.environ["WHOMET_T0"])


def hello() -> None:
    from textual.app import App
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self):  # noqa: ANN202
            yield Static("Hello")

        def on_mount(self) -> None:
            self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            self.exit(since_start())

    elapsed = Hello().run(headless=True)
    report(seconds=elapsed)


def screen() -> None:
    import tempfile

    from whomet.app import WhometApp
    from whomet.app.browser import BrowserScreen

    class EmptyScreen(BrowserScreen):
        def on_mount(self, event) -> None:  # noqa: ANN001
            event.prevent_default()  # the browser's own mount would read the casefile
            self.call_after_refresh(lambda: self.app.exit(since_start()))

    class Empty(WhometApp):
        def get_default_screen(self) -> BrowserScreen:
            # As for a cached casefile: no progress bar.
            return EmptyScreen(self.session, None, reads_all=False)

    with tempfile.TemporaryDirectory() as nothing:
        app = Empty(Path(nothing))
        elapsed = app.run(headless=True, size=(160, 48))
    report(seconds=elapsed)


def whomet(folder: Path) -> None:
    lists: list[float] = []
    data: list[float] = []

    def measured(app: type) -> type:
        class Measured(app):
            def on_mount(self) -> None:  # Textual calls WhometApp.on_mount too: this adds to it
                if HELPERS is not None:
                    HELPERS.start()

            def lists_shown(self) -> None:
                lists.append(since_start())

            def data_shown(self) -> None:
                data.append(since_start())
                casefile = self.session.casefile
                if casefile is None or not casefile.pending:
                    self.exit(data[0])

            def derived_shown(self) -> None:
                self.exit(since_start())

        return Measured

    elapsed = open_browser(folder, measured, headless=True, size=(160, 48))
    # "seconds": everything on screen, the record in detail too; "lists": the people and timeline
    # (the same moment, unless the detail followed the first paint); "derived": the flags, counts
    # and problems a cold launch derives after the lists (the same moment as "seconds" otherwise).
    report(seconds=data[0] if data else None, lists=lists[0] if lists else None, derived=elapsed)


def shell(folder: Path) -> None:
    def measured(app: type) -> type:
        class Measured(app):
            def on_mount(self) -> None:  # Textual calls WhometApp.on_mount too: this adds to it
                self.call_after_refresh(self._painted)

            def _painted(self) -> None:
                report(seconds=since_start())
                os._exit(0)  # the casefile may still be loading in a thread; that is not measured

        return Measured

    open_browser(folder, measured, headless=True, size=(160, 48))


def prime(folder: Path) -> None:
    """Launch as a reader would and stay until the app is done: no worker busy, the cache settled."""
    cache = Path(os.environ["WHOMET_CACHE_DIR"]) if os.environ.get("WHOMET_CACHE_DIR") else None

    def cache_state() -> tuple[int, int, float]:
        if cache is None or not cache.is_dir():
            return (0, 0, 0.0)
        files = [p.stat() for p in cache.rglob("*") if p.is_file()]
        return (len(files), sum(f.st_size for f in files), max((f.st_mtime for f in files), default=0.0))

    def primed(app: type) -> type:
        class Primed(app):
            def data_shown(self) -> None:
                self._shown_at = time.monotonic()
                self._states: list[tuple[int, int, float]] = []
                self.set_interval(0.1, self._settled)

            def _settled(self) -> None:
                from textual.worker import WorkerState

                # The watch over the folder runs as long as the app: it is never done.
                busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) and w.group != "watch"
                           for w in self.workers)
                self._states = [*self._states[-4:], cache_state()]
                stable = len(self._states) == 5 and len(set(self._states)) == 1
                waited = time.monotonic() - self._shown_at
                if (not busy and stable and waited > 0.5) or waited > 300:
                    self.exit(since_start())

        return Primed

    elapsed = open_browser(folder, primed, headless=True, size=(160, 48))
    files, size, _ = cache_state()
    report(seconds=elapsed, cache_files=files, cache_mb=size / 2**20)


def floor_app() -> None:
    from textual.app import App
    from textual.binding import Binding
    from textual.widgets import Footer, Header, OptionList

    class Options(OptionList):
        BINDINGS = [Binding("j", "cursor_down", "Down"), Binding("k", "cursor_up", "Up")]

    class Floor(App[None]):
        BINDINGS = [Binding("q", "quit", "Quit")]

        def compose(self):  # noqa: ANN202
            yield Header()
            yield Options(*(f"Option {number}" for number in range(100)))
            yield Footer()

        def on_mount(self) -> None:
            self.sub_title = "floor · 100 records"

    Floor().run()


def floor_panels() -> None:
    """whomet's browser in stock Textual widgets: three bordered panels side by side, a list of
    people whose cursor j and k move, and for each person a timeline (a list) and a detail (a
    text) put in place of the last, as whomet's people, timeline and detail panels do. What a
    key that changes the person shown costs in Textual itself, without whomet's own work. Its
    command palette finds two dozen people for whatever is typed, without searching: what a
    letter typed in the palette costs in Textual itself."""
    from textual.app import App
    from textual.binding import Binding
    from textual.command import Hit, Provider
    from textual.containers import Horizontal, VerticalScroll
    from textual.widgets import Footer, Header, OptionList, Static

    css = """
    #people, #timeline, #detail { border: round $panel-lighten-2; height: 1fr; }
    #people:focus-within, #timeline:focus-within, #detail:focus-within { border: round $accent; }
    #people { width: 1fr; max-width: 40; } #timeline { width: 2fr; } #detail { width: 3fr; }
    OptionList { border: none; height: 1fr; overflow-y: scroll; }
    #detail Static { width: 1fr; }
    """

    class People(OptionList):
        BINDINGS = [Binding("j", "cursor_down", "Down"), Binding("k", "cursor_up", "Up")]

    class Found(Provider):
        """As many people as whomet's palette lists for a surname (a dozen of each kind), found
        by nothing: each named after what was typed."""

        async def search(self, query: str):  # noqa: ANN202
            matcher = self.matcher(query)
            for number in range(24):
                text = f"Go to person: {query.title()} Surname{number}"
                yield Hit(matcher.match(text) + 10 - number / 100, matcher.highlight(text), lambda: None,
                          text=text, help=f"person-{number} · {number} meetings · {number} statements · "
                                          "what the record says of itself, on one line")

    class Panels(App[None]):
        CSS = css
        BINDINGS = [Binding("q", "quit", "Quit")]
        COMMANDS = App.COMMANDS | {Found}
        COMMAND_PALETTE_BINDING = "ctrl+p"

        def compose(self):  # noqa: ANN202
            yield Header()
            with Horizontal():
                people = People(*(f"Person {number} Surname{number}" for number in range(60)), id="people")
                people.border_title = "People"
                yield people
                timeline = OptionList(id="timeline")
                timeline.border_title = "Timeline"
                yield timeline
                with VerticalScroll(id="detail") as detail:
                    detail.border_title = "Detail"
                    yield Static()
            yield Footer()

        def on_mount(self) -> None:
            self.sub_title = "floor · 100 records"
            self.query_one("#people").focus()

        def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
            if event.option_list.id != "people":
                return
            person = event.option_index
            timeline = self.query_one("#timeline", OptionList)
            timeline.clear_options()
            timeline.add_options([f"{2000 + item % 20}-0{1 + item % 9}  meeting {item} of person {person}\n"
                                  f"  with Person {item * 7 % 60} at a place" for item in range(40)])
            detail = self.query_one("#detail Static", Static)
            detail.update("\n".join(f"field {line}: what person {person} said or did, line {line}, "
                                     "long enough to be wrapped in the panel" for line in range(40)))
            self.query_one("#detail").border_title = f"Person {person}"

    Panels().run()


def _parse(path: str) -> int:
    import tomllib

    with open(path, "rb") as stream:
        return len(tomllib.load(stream))


def parse(folder: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    files = [str(p) for p in folder.glob("*/*.toml")]
    with ProcessPoolExecutor(2) as pool:
        sum(pool.map(_parse, files, chunksize=512))
    report(seconds=since_start())


def check(folder: Path) -> None:
    from whomet.cli import main

    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the report goes to stderr and is not measured
    main(["check", str(folder)])
    sys.stdout = sys.__stdout__
    report(seconds=since_start())


if __name__ == "__main__":
    what = sys.argv[1]
    HELPERS = HelperPeaks()
    if what == "hello":
        hello()
    elif what == "screen":
        screen()
    elif what == "floor-app":
        floor_app()
    elif what == "floor-panels":
        floor_panels()
    else:
        {"whomet": whomet, "shell": shell, "prime": prime, "parse": parse, "check": check}[what](Path(sys.argv[2]))
