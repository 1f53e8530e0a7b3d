"""Small casefiles written by the tests themselves."""

from __future__ import annotations

import textwrap
from pathlib import Path

from whomet.store.bundled import bundled_casefile

BUNDLED = bundled_casefile()
BUNDLED_RECORDS = sum(1 for _ in BUNDLED.rglob("*.toml"))
"""How many records the bundled case has (every file of it is a valid record)."""


def write_casefile(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{"people/x.toml": "name = ..."}`` under ``folder``; text is dedented."""
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return folder


SMALL_CASE = {
    "people/ann-lee.toml": """
        name = "Ann Lee"
        aliases = ["Annie"]
        [[roles]]
        title = "Senator"
        organization = "senate"
        start = "2010"
        end = "2018-02-08"
    """,
    "people/bo-ray.toml": """
        name = "Bo Ray"
    """,
    "organizations/senate.toml": """
        name = "Senate"
        type = "legislature"
    """,
    "sources/daily-report.toml": """
        title = "Lee met Ray"
        publisher = "The Daily"
        published = "2017-03-01"
        url = "https://example.org/lee-ray"
    """,
    "meetings/2016-09-lee-ray.toml": """
        title = "Lee meets Ray"
        date = "2016-09"
        status = "confirmed"

        [[participants]]
        who = "ann-lee"
        capacity = "as senator"

        [[participants]]
        who = "bo-ray"

        [[citations]]
        source = "daily-report"
        excerpt = "Lee met Ray in September."
    """,
    "statements/2017-01-10-lee-hearing.toml": """
        speaker = "ann-lee"
        date = "2017-01-10"
        setting = "hearing"
        under_oath = true
        quote = "I did not meet Ray."

        [[about]]
        meeting = "2016-09-lee-ray"
        stance = "denies"

        [[citations]]
        source = "daily-report"
        excerpt = "Lee said she did not meet Ray."
    """,
}


def screen_text(app) -> str:
    """What the terminal shows, as plain lines of text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def work_done(app) -> None:
    """Wait for the app's workers, but the one that watches the casefile's folder (it watches
    until the app ends) and the one that keeps the repository's log (it may read for seconds)."""
    others = [worker for worker in app.workers if worker.group not in ("watch", "history-log")]
    if others:  # none given, Textual waits for every worker, the watcher too
        await app.workers.wait_for_complete(others)


async def until_shown(app, pilot, timeout: float = 10.0) -> None:
    """Wait for the casefile on screen, the record in detail too (it is drawn after the lists)."""
    await work_done(app)
    waited = 0.0
    while not app.casefile_shown and app.is_running and waited < timeout:
        await pilot.pause(0.01)
        waited += 0.01
    await pilot.pause()
