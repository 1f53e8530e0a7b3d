"""Writing the casefile, or one person's chronology, in another tool's format, from the app."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..store import SaveError
from .screens import PathScreen
from .text import visible

if TYPE_CHECKING:
    from .browser import BrowserScreen

EXPORTS = {"ftm": ("FollowTheMoney", "ftm.json"), "timelinejs": ("TimelineJS", "timeline.json"),
           "markdown": ("Markdown", "md")}
"""Each format: its name, and the ending of the file proposed."""


def export_casefile(browser: BrowserScreen, format: str, person: str | None = None) -> None:
    """Ask where, then write the casefile (or one person's chronology) in another format."""
    casefile = browser.session.casefile
    if casefile is None:
        return
    name, suffix = EXPORTS[format]
    stem = f"{casefile.name}-{person}" if person else casefile.name
    proposed = Path.cwd() / f"{stem}.{suffix}"

    def write(path: Path | None) -> None:
        if path is None:
            return
        browser.app.notify(f"Exporting to {visible(str(path))}…", timeout=3, markup=False)
        browser.run_worker(lambda: _export(browser, format, path, person, casefile.name),
                           thread=True, group="export")

    browser.app.push_screen(PathScreen(f"Export to {name}", proposed), write)


def _export(browser: BrowserScreen, format: str, path: Path, person: str | None, name: str) -> None:
    # An export holds every record, so it reads every file (what is written is what is on
    # disk): seconds for a large casefile, so not on the thread that answers the keys.
    from ..export import ExportError, render
    from ..index import Index
    from ..store import load, write_atomically

    app = browser.app
    index = Index(load(browser.session.folder).records)
    try:
        write_atomically(path, render(index, format, name, person=person).encode("utf-8"))
    except (ExportError, SaveError) as error:
        app.call_from_thread(app.notify, f"Not exported: {visible(str(error))}", severity="error", timeout=8,
                             markup=False)
        return
    app.call_from_thread(app.notify, f"Wrote {visible(str(path))}", timeout=5, markup=False)
