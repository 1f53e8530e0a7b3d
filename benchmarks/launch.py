"""One measured launch, run in a fresh process by ``run.py``.

``launch.py hello``         a hello-world Textual app: launch to first paint (the floor)
``launch.py whomet FOLDER`` whomet: launch to the casefile's data on screen
``launch.py parse FOLDER``  tomllib over every record file with a pool of 2 processes (the parse floor)
``launch.py check FOLDER``  ``whomet check``

Prints one JSON line: seconds since WHOMET_T0 (set by the parent just before it started this
process, so interpreter start-up counts) and the peak RSS in MB.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def report(**figures: float) -> None:
    figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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


def whomet(folder: Path) -> None:
    from tui.app import WhometApp

    class Measured(WhometApp):
        def data_shown(self) -> None:
            self.exit(since_start())

    elapsed = Measured(folder).run(headless=True, size=(160, 48))
    report(seconds=elapsed)


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
    from tui.cli import main

    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the report goes to stderr and is not measured
    main(["check", str(folder)])
    sys.stdout = sys.__stdout__
    report(seconds=since_start())


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "hello":
        hello()
    else:
        {"whomet": whomet, "parse": parse, "check": check}[what](Path(sys.argv[2]))
