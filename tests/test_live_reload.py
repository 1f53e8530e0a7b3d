"""Changes made outside while the app runs (an editor, git pull, a script) are seen without a key
pressed, in every panel, the reader kept where they were."""

from __future__ import annotations

import shutil
import time

from helpers import BUNDLED, screen_text, until_shown
from whomet.app import WhometApp

MEETING = "2016-09-sessions-kislyak-senate-office"
TITLE = "Sessions meets Kislyak in his Senate office"


async def until(pilot, condition, timeout: float = 8.0) -> bool:
    """Let the app run until ``condition()`` holds (the watcher reports within a second or so)."""
    waited = 0.0
    while not condition() and waited < timeout:
        await pilot.pause(0.05)
        waited += 0.05
    return condition()


def copy_of_bundled(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    return folder


async def test_a_file_changed_outside_is_seen_in_every_panel(tmp_path):
    folder = copy_of_bundled(tmp_path)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record(MEETING)
        await pilot.pause()
        assert await until(pilot, lambda: app.browser.watcher is not None)
        path = folder / "meetings" / f"{MEETING}.toml"
        path.write_text(path.read_text().replace(TITLE, "Sessions meets Kislyak, as edited outside"))

        def everywhere() -> bool:
            shown = screen_text(app)
            timeline = [row.prompt.plain for row in app.browser.timeline.records.rows]
            # The detail's heading, the timeline's row and the palette's index all say it.
            return ("Sessions meets Kislyak, as edited outside" in shown
                    and any("as edited outside" in row for row in timeline)
                    and app.browser.index.label_of(MEETING) == "Sessions meets Kislyak, as edited outside")

        assert await until(pilot, everywhere), screen_text(app)
        assert app.browser.item == MEETING  # the reader kept their place
        assert TITLE not in screen_text(app)


async def test_added_deleted_and_renamed_files_are_taken_in_and_the_reader_kept_near(tmp_path):
    folder = copy_of_bundled(tmp_path)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record(MEETING)
        await pilot.pause()
        assert await until(pilot, lambda: app.browser.watcher is not None)
        rows = [row.record_id for row in app.browser.timeline.records.rows]
        after = rows[rows.index(MEETING) + 1]
        counts_before = app.browser.index.counts("jeff-sessions")
        # Added: a new meeting with Sessions; it counts in the people panel and lists in his timeline.
        (folder / "meetings" / "2016-10-new-outside.toml").write_text(
            'title = "A meeting written outside"\ndate = "2016-10-03"\n'
            '[[participants]]\nwho = "jeff-sessions"\n')
        assert await until(pilot, lambda: "A meeting written outside" in screen_text(app))
        assert app.browser.index.counts("jeff-sessions")[0] == counts_before[0] + 1
        assert f"{counts_before[0] + 1}·{counts_before[1]}" in screen_text(app)  # the people panel's count
        # Deleted: the meeting in detail goes; the one listed after it is shown instead, and said.
        (folder / "meetings" / f"{MEETING}.toml").unlink()
        assert await until(pilot, lambda: app.browser.item == after)
        # A notification is a message to the app: it is taken in on the app's next turn, not at once.
        said = lambda: any(f"{MEETING} is gone from the casefile" in str(n.message) for n in app._notifications)  # noqa: E731
        assert await until(pilot, said), [str(n.message) for n in app._notifications]
        # Renamed: the old id is gone, the new one is there.
        (folder / "meetings" / "2016-10-new-outside.toml").rename(folder / "meetings" / "2016-10-renamed.toml")
        assert await until(pilot, lambda: "2016-10-renamed" in app.browser.index
                           and "2016-10-new-outside" not in app.browser.index)
        # A broken file: the problems count in the title follows, the app goes on. (The meeting
        # deleted above left the statements about it naming nothing: errors already.)
        errors = len(app.browser.session.casefile.errors)
        (folder / "meetings" / "2016-10-renamed.toml").write_text('title = "never closed\n')
        assert await until(pilot, lambda: f"{errors + 1} errors" in app.sub_title), app.sub_title


async def test_a_burst_of_a_thousand_files_is_read_as_one(tmp_path, monkeypatch):
    from whomet.app import watching

    folder = copy_of_bundled(tmp_path)
    readings = []
    original = watching.open_casefile
    monkeypatch.setattr(watching, "open_casefile", lambda *a, **k: readings.append(1) or original(*a, **k))
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        assert await until(pilot, lambda: app.browser.watcher is not None)
        before = len(app.browser.index)
        started = time.monotonic()
        for number in range(1000):
            (folder / "sources" / f"burst-{number:04}.toml").write_text(f'title = "Burst {number}"\n')
        written = time.monotonic() - started
        assert await until(pilot, lambda: len(app.browser.index) == before + 1000, timeout=20)
        # One reading of the burst (two when writing it took longer than the watcher gathers).
        assert len(readings) == 1 or (written > 1.0 and len(readings) <= 2), (readings, written)


async def test_a_form_is_told_at_once_when_its_file_changes_outside(tmp_path):
    from whomet.app.forms import RecordForm

    folder = copy_of_bundled(tmp_path)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record(MEETING)
        await pilot.pause()
        assert await until(pilot, lambda: app.browser.watcher is not None)
        await pilot.press("e")
        assert await until(pilot, lambda: isinstance(app.screen, RecordForm))
        path = folder / "meetings" / f"{MEETING}.toml"
        path.write_text(path.read_text().replace(TITLE, "Changed while the form was open"))
        assert await until(pilot, lambda: "changed outside since the form opened it" in screen_text(app))
        assert isinstance(app.screen, RecordForm)  # the form stays, with what was typed


async def test_the_chronology_open_follows_a_change_made_outside(tmp_path):
    folder = copy_of_bundled(tmp_path)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        assert await until(pilot, lambda: app.browser.watcher is not None)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("slash", *"kislyak office", "enter")
        await pilot.pause()
        assert TITLE in screen_text(app)
        path = folder / "meetings" / f"{MEETING}.toml"
        path.write_text(path.read_text().replace(TITLE, "Sessions meets Kislyak in his office, retitled"))
        assert await until(pilot, lambda: "in his office, retitled" in screen_text(app)), screen_text(app)
        assert app.screen.query_one("#chronology-filter").value == "kislyak office"


def sessions_meets_waters(folder, record_id: str, title: str, day: str) -> None:
    """Write, as from outside, a meeting of Jeff Sessions and Maxine Waters (who never met in the bundled case)."""
    (folder / "meetings" / f"{record_id}.toml").write_text(
        f'title = "{title}"\ndate = "{day}"\n'
        '[[participants]]\nwho = "jeff-sessions"\n[[participants]]\nwho = "maxine-waters"\n')


async def test_the_views_over_the_browser_follow_a_change_made_outside(tmp_path):
    """Whom someone met, the chain between two and the activity chart are counted again."""
    folder = copy_of_bundled(tmp_path)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record("jeff-sessions")
        await pilot.pause()
        assert await until(pilot, lambda: app.browser.watcher is not None)
        await pilot.press("w")
        assert await until(pilot, lambda: type(app.screen).__name__ == "ConnectionsScreen")
        def met() -> list[str]:
            return [row.record_id for row in app.screen.query_one("#connections-list").rows]

        assert await until(pilot, lambda: "jeff-sessions" not in met() and len(met()) > 5)
        assert "maxine-waters" not in met()  # she never met Sessions, in the bundled case
        sessions_meets_waters(folder, "2018-05-sessions-waters", "Sessions and Waters", "2018-05-02")
        assert await until(pilot, lambda: "maxine-waters" in met()), met()
        (waters,) = [row for row in app.screen.query_one("#connections-list").rows if row.record_id == "maxine-waters"]
        assert "1× Maxine Waters" in waters.prompt.plain
        await pilot.press("escape")
        await pilot.press("g")
        assert await until(pilot, lambda: type(app.screen).__name__ == "ActivityScreen")
        before = sum(bar.meetings for bar in app.screen.activity.bars)
        sessions_meets_waters(folder, "2018-06-sessions-waters-again", "Sessions and Waters again", "2018-06-02")
        assert await until(pilot, lambda: sum(bar.meetings for bar in app.screen.activity.bars) == before + 1)


async def test_the_chain_between_two_is_found_again_when_the_casefile_changes(tmp_path):
    from whomet.app.connections import PathScreen

    folder = copy_of_bundled(tmp_path)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        assert await until(pilot, lambda: app.browser.watcher is not None)
        app.push_screen(PathScreen(app.browser.session, "maxine-waters", "jeff-sessions"))
        assert await until(pilot, lambda: isinstance(app.screen, PathScreen))
        before = len(app.screen.found[0]) if app.screen.found else None
        assert before != 1  # they share no meeting in the bundled case
        sessions_meets_waters(folder, "2018-05-sessions-waters", "Sessions and Waters", "2018-05-02")
        assert await until(pilot, lambda: bool(app.screen.found) and len(app.screen.found[0]) == 1)
        assert "Sessions and Waters" in screen_text(app)
