"""A cold launch: the lists from the rows the readers wrote, then what is derived from them (flags,
exact counts, the other indexes, the full-text index, which file owns an id, the problems between
records), in a second step on a connection of its own. Checked against a cache filled in one step,
on the bundled case and on a generated casefile with a duplicate id and a broken file."""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest
from helpers import screen_text, work_done

import whomet.store.cache as cache_module
from whomet.app import WhometApp
from whomet.store import CaseCache
from whomet.store.bundled import bundled_casefile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate  # noqa: E402

DERIVED = ("flag", "meetings", "statements")


def bundled_copy(folder: Path) -> Path:
    shutil.copytree(bundled_casefile(), folder)
    return folder


def generated(folder: Path) -> Path:
    """1,500 records (filled in bulk: indexes and the full-text index built after the rows), one
    id claimed by two files, one file broken."""
    generate(folder, 1_500, seed=5)
    # Ids are unique across kinds: the meeting's file owns its id, and the statement that claims it
    # too names a speaker, whom the readers count (the cache must not, once the meeting owns it).
    claimed = max((folder / "meetings").glob("*.toml")).stem
    shutil.copy(min((folder / "statements").glob("*.toml")), folder / "statements" / f"{claimed}.toml")
    (folder / "meetings" / "zz-broken.toml").write_text('id = "zz-broken"\ntitle = [unclosed\n', encoding="utf-8")
    return folder


CASES = {"bundled": bundled_copy, "generated": generated}


def records(cache: CaseCache, *, derived: bool = True) -> list[tuple]:
    names = [row[1] for row in cache.db.execute("PRAGMA table_info(records)")]
    columns = [name for name in names if derived or name not in DERIVED]
    return sorted(cache.db.execute(f"SELECT {', '.join(columns)} FROM records"))


def problems(cache: CaseCache) -> list[tuple]:
    return [(p.severity, p.path.relative_to(cache.folder).as_posix(), p.line, p.code, p.message)
            for p in cache.problems]


def found(cache: CaseCache, word: str) -> list[str]:
    return sorted(row[0] for row in cache.db.execute(
        "SELECT r.id FROM words JOIN records r ON r.rowid = words.rowid WHERE words MATCH ?", (word,)))


def kept_checks(cache: CaseCache) -> list[tuple]:
    return cache.db.execute("""SELECT key, value FROM meta WHERE key IN
        ('link_problems', 'quote_tally', 'archive_refs', 'archive_stamps') ORDER BY key""").fetchall()


@pytest.fixture
def readers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read by reader processes, as a casefile of thousands of files is."""
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)


@pytest.mark.parametrize("case", CASES)
def test_a_cold_fill_lists_first_then_derives_what_a_fill_in_one_step_holds(tmp_path, readers, case):
    whole = CaseCache.open(CASES[case](tmp_path / "whole"))
    whole.refresh()
    assert not whole.pending
    first = CaseCache.open(CASES[case](tmp_path / "first"))
    first.refresh(derive_later=True)
    try:
        assert first.pending
        assert first.db.execute("SELECT value FROM meta WHERE key = 'derived'").fetchone() == ("pending",)
        assert records(first, derived=False) == records(whole, derived=False)
        # The people are listed with their counts, as the readers took them.
        counts = "SELECT id, meetings, statements FROM records WHERE kind IN ('person', 'organization') ORDER BY id"
        assert first.db.execute(counts).fetchall() == whole.db.execute(counts).fetchall()
        assert first.db.execute("SELECT count(*) FROM records WHERE flag != ''").fetchone() == (0,)
        assert whole.db.execute("SELECT count(*) FROM records WHERE flag != ''").fetchone()[0] > 0
        # Only the problems inside files are known yet: those between records follow.
        assert set(problems(first)) < set(problems(whole)) or problems(whole) == problems(first) == []
        assert all(code not in ("duplicate-id", "missing-ref") for _, _, _, code, _ in problems(first))

        first.take_derived(first.derive_pending())
        assert not first.pending
        assert first.db.execute("SELECT count(*) FROM meta WHERE key = 'derived'").fetchone() == (0,)
        assert records(first) == records(whole)
        assert problems(first) == problems(whole)
        # Found beside the derivation, on a connection of its own, and kept as a fill in one step keeps them.
        assert kept_checks(first) == kept_checks(whole)
        for word in ("kislyak", "senate", "meeting", "statement"):
            assert found(first, word) == found(whole, word)
        indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        assert first.db.execute(indexes).fetchall() == whole.db.execute(indexes).fetchall()
        first.db.execute("INSERT INTO words (words, rank) VALUES ('integrity-check', 1)")
    finally:
        first.close()
        whole.close()


def test_a_whomet_stopped_between_the_two_steps_leaves_them_to_the_next_opening(tmp_path, readers):
    whole = CaseCache.open(bundled_copy(tmp_path / "whole"))
    whole.refresh()
    folder = bundled_copy(tmp_path / "first")
    stopped = CaseCache.open(folder)
    stopped.refresh(derive_later=True)
    stopped.close()  # the app quit before deriving

    app_again = CaseCache.open(folder)
    app_again.refresh(derive_later=True)  # the app derives in a thread of its own: pending still
    assert app_again.pending
    app_again.close()

    check = CaseCache.open(folder)  # `whomet check`, an export: derived before answering
    check.refresh()
    assert not check.pending
    assert records(check) == records(whole) and problems(check) == problems(whole)
    check.close()
    whole.close()


async def test_a_cold_launch_lists_at_once_then_marks_and_counts_without_moving_the_reader(tmp_path, readers,
                                                                                        monkeypatch):
    folder = bundled_copy(tmp_path / "case")
    release = threading.Event()
    derive_pending = CaseCache.derive_pending

    def held(self: CaseCache) -> list:
        assert release.wait(20), "the test never let the derived facts land"
        return derive_pending(self)

    monkeypatch.setattr(CaseCache, "derive_pending", held)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(1000):
            if app.casefile_shown:
                break
            await pilot.pause(0.01)
        browser = app.screen
        assert browser.party == "jeff-sessions"  # the busiest, by the counts the readers took
        shown = screen_text(app)
        assert "checking links and flags…" in shown
        assert "Jeff Sessions" in shown and "✗" not in shown  # listed; the denials not flagged yet
        await pilot.press("tab")  # to the timeline: the reader's own place
        await pilot.press("j", "j")
        place = (browser.party, browser.item)
        assert place[1] is not None

        await pilot.press("s")  # the search says its index follows
        await pilot.press(*"sessions")
        for _ in range(100):  # each key's search runs in a thread
            if "being indexed" in screen_text(app):
                break
            await pilot.pause(0.02)
        assert "being indexed" in screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.pause()

        person = browser.index.get("jeff-sessions")
        refused = browser.session.save(person, new=False, opened=browser.session.open_record("jeff-sessions"))
        assert refused is not None and "this form keeps what you typed" in refused  # not a wait on the lock
        await pilot.press("ctrl+r")  # the second step holds the cache: told, not waited on
        await pilot.pause()
        assert any("being checked after its first reading" in n.message for n in app._notifications)
        browser.session.reload()  # as the editor and the forms ask, after a file written: no wait on the lock
        assert not browser.session.rereading and browser.session.casefile.pending
        meeting = folder / "meetings" / "2016-09-sessions-kislyak-senate-office.toml"
        meeting.write_text(meeting.read_text(encoding="utf-8").replace(  # changed outside, before any watch
            'title = "Sessions meets Kislyak in his Senate office"', 'title = "Sessions and Kislyak, Senate office"'),
            encoding="utf-8")

        release.set()
        for _ in range(1000):  # the second step, then the watch started and one more look
            if browser.watcher is not None:
                break
            await pilot.pause(0.01)
        await work_done(app)  # what changed since the first look, read once the watch starts
        await pilot.pause(0.05)
        shown = screen_text(app)
        assert browser.index.label_of("2016-09-sessions-kislyak-senate-office") == "Sessions and Kislyak, Senate office"
        assert "checking links" not in shown
        assert "✗" in shown  # the meetings Sessions denied, flagged
        assert (browser.party, browser.item) == place
        assert browser.focused_panel() == "timeline"
        assert browser.watcher is not None  # the changes made outside followed from then on


class Ordered(WhometApp):
    """The moments a launch tells of, in the order told."""

    told: list[str]

    def lists_shown(self) -> None:
        self.told = [*getattr(self, "told", []), "lists"]

    def data_shown(self) -> None:
        self.told = [*getattr(self, "told", []), "data"]

    def derived_shown(self) -> None:
        self.told = [*getattr(self, "told", []), "derived"]


def kept_drawings(folder: Path) -> list[str]:
    cache = CaseCache.open(folder)
    try:
        return [row[0] for row in cache.db.execute("SELECT key FROM meta WHERE key LIKE 'until-change:%'")]
    finally:
        cache.close()


async def until_told(app: Ordered, pilot, moment: str) -> None:
    for _ in range(2000):
        if moment in getattr(app, "told", []):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never told {moment!r}: {getattr(app, 'told', [])}")


async def test_the_second_step_starts_with_the_lists_and_the_detail_is_kept_once_it_is_in(
        tmp_path, readers, monkeypatch):
    folder = bundled_copy(tmp_path / "case")
    release = threading.Event()
    started_with: list[bool] = []
    derive_pending = CaseCache.derive_pending

    def held(self: CaseCache) -> list:
        started_with.append(app.casefile_shown)
        assert release.wait(20), "the test never let the derived facts land"
        return derive_pending(self)

    monkeypatch.setattr(CaseCache, "derive_pending", held)
    app = Ordered(folder)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await until_told(app, pilot, "data")
            assert started_with == [False]  # begun as the lists were shown, not after the detail
            # Drawn while the second step holds the cache to write: kept once it is in.
            assert kept_drawings(folder) == []
            await pilot.press("tab", "j")  # the reader moves on meanwhile
            release.set()
            await until_told(app, pilot, "derived")
            assert app.told == ["lists", "data", "derived"]
    finally:
        release.set()
    assert kept_drawings(folder) == ["until-change:detail"]  # the first screen's, as first drawn


async def test_the_problems_list_opened_during_the_second_step_does_not_wait_on_it(tmp_path, readers, monkeypatch):
    from whomet.app.screens import ProblemsScreen
    from whomet.store.cache import refresh

    folder = bundled_copy(tmp_path / "case")
    monkeypatch.setattr(cache_module, "BUSY_WAIT", 1.0)
    writing, release = threading.Event(), threading.Event()
    rebuild_words = refresh._rebuild_words

    def held(db) -> None:  # inside the second step's transaction: the cache's write lock held
        writing.set()
        assert release.wait(20), "the test never let the second step go on"
        rebuild_words(db)

    monkeypatch.setattr(refresh, "_rebuild_words", held)
    app = Ordered(folder)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await until_told(app, pilot, "data")
            for _ in range(1000):
                if writing.is_set():
                    break
                await pilot.pause(0.01)
            assert writing.is_set()
            await pilot.press("p")  # the problems between records are found here, and not kept
            await pilot.pause()
            assert isinstance(app.screen, ProblemsScreen)
            await pilot.press("escape")
            release.set()
            await until_told(app, pilot, "derived")
            assert app.is_running
    finally:
        release.set()


async def test_a_second_step_quicker_than_the_detail_is_taken_in_after_it(tmp_path, readers, monkeypatch):
    from whomet.app.loading import Loading

    folder = bundled_copy(tmp_path / "case")
    show_detail = Loading._show_detail_after_paint

    def slow_detail(self: Loading) -> None:  # drawn only once the second step is in
        if self._derived_early is None:
            self.browser.set_timer(0.02, lambda: slow_detail(self))
            return
        show_detail(self)

    monkeypatch.setattr(Loading, "_show_detail_after_paint", slow_detail)
    app = Ordered(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_told(app, pilot, "derived")
        await pilot.pause()
        assert app.told == ["lists", "data", "derived"]
        assert "checking links" not in screen_text(app) and "✗" in screen_text(app)
        assert app.browser.watcher is not None
    assert kept_drawings(folder) == ["until-change:detail"]


@pytest.mark.parametrize("written_meanwhile", [False, True])
def test_links_checked_beside_the_derivation_are_kept_unless_the_cache_changed_meanwhile(
        tmp_path, readers, monkeypatch, written_meanwhile):
    from whomet.store.cache import checks

    whole = CaseCache.open(bundled_copy(tmp_path / "whole"))
    whole.refresh()
    cache = CaseCache.open(bundled_copy(tmp_path / "case"))
    cache.refresh(derive_later=True)
    find = checks.find_link_problems
    stale = ["error", "meetings/stale.toml", 1, "missing-ref", "a problem of the rows as they were"]

    def found_while_another_wrote(beside: CaseCache) -> tuple:
        problems, keeping = find(beside)
        if threading.current_thread().name != "whomet-links":
            return problems, keeping  # found again, on the connection that writes
        if written_meanwhile:  # another whomet's save, committed while the links were checked
            other = CaseCache.open(cache.folder)
            other.db.execute("INSERT OR REPLACE INTO meta VALUES ('until-change:x', '1')")
            other.close()
        return problems, {**keeping, "link_problems": [*keeping["link_problems"], stale]}

    monkeypatch.setattr(checks, "find_link_problems", found_while_another_wrote)
    cache.take_derived(cache.derive_pending())
    shown = [code for _, _, _, code, message in problems(cache) if message == stale[-1]]
    # What was found on rows another connection may have changed is not kept: found again instead.
    assert shown == ([] if written_meanwhile else ["missing-ref"])
    if written_meanwhile:
        assert problems(cache) == problems(whole) and kept_checks(cache) == kept_checks(whole)
    cache.close()
    whole.close()


def test_without_a_write_ahead_log_the_second_step_is_not_left_to_a_thread(tmp_path, readers, monkeypatch):
    from whomet.store.cache import refresh

    monkeypatch.setattr(refresh, "_logged_ahead", lambda db: False)  # a file system that cannot hold one
    cache = CaseCache.open(bundled_copy(tmp_path / "case"))
    cache.refresh(derive_later=True)  # its writes would lock the lists out: derived at once
    assert not cache.pending and cache.db.execute("SELECT count(*) FROM records WHERE flag != ''").fetchone()[0]
    cache.close()


async def test_a_second_step_that_fails_is_told_and_the_lists_stay(tmp_path, readers, monkeypatch):
    import sqlite3

    def broken(self: CaseCache) -> list:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(CaseCache, "derive_pending", broken)
    app = WhometApp(bundled_copy(tmp_path / "case"))
    async with app.run_test(size=(160, 48)) as pilot:
        for _ in range(1000):
            if any("could not be checked" in n.message for n in app._notifications):
                break
            await pilot.pause(0.01)
        assert app.is_running and "Jeff Sessions" in screen_text(app)
        assert any("disk I/O error" in n.message for n in app._notifications)


async def test_a_search_begun_before_the_casefile_was_read_again_does_not_hide_what_it_finds(monkeypatch):
    import time

    from helpers import BUNDLED, until_shown

    import whomet.app.search as search_module
    from whomet.app.search import SearchScreen

    find_words, slow = search_module.find_words, threading.Event()

    def searched(db, words, **options):  # noqa: ANN001, ANN202
        if slow.is_set():  # a search of the casefile as it was: slow, and finding nothing
            time.sleep(0.3)
            return []
        return find_words(db, words, **options)

    monkeypatch.setattr(search_module, "find_words", searched)
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("s", *"kislya")
        await work_done(app)
        slow.set()
        await pilot.press("k")  # its search, in a thread, reads the casefile as it was
        await pilot.pause(0.05)
        slow.clear()
        app.browser.session.casefile.generation += 1  # ...which is then read again, and shown
        app.screen.casefile_changed()
        assert isinstance(app.screen, SearchScreen) and app.screen.records.rows
        await work_done(app)
        await pilot.pause()
        assert app.screen.records.rows and "0 records" not in screen_text(app)


def test_a_transaction_sqlite_already_rolled_back_tells_its_own_error(tmp_path):
    from whomet.store.cache.refresh import _in_one_transaction

    cache = CaseCache.open(bundled_copy(tmp_path / "case"))

    def failed() -> None:  # as after a full disk: SQLite ends the transaction itself, then the error comes
        cache.db.execute("ROLLBACK")
        raise OSError("No space left on device")

    with pytest.raises(OSError, match="No space left"):
        _in_one_transaction(cache.db, failed)
    cache.close()


def test_the_cold_launch_benchmark_stamps_every_step(tmp_path):
    """``benchmarks/cold.py`` times the steps of a cold launch by the names of the functions that
    take them: a step renamed would drop out of its table unseen."""
    import subprocess

    folder = tmp_path / "case"
    generate(folder, 2_400, seed=9)  # enough files for the reader processes
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "cold.py"
    done = subprocess.run([sys.executable, str(script), "--casefile", str(folder), "--runs", "1", "--sample", "200"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    from cold import STEPS

    for _, said in STEPS:
        assert f"| {said} |" in done.stdout
    for said in ("a reader in all", "full-text index", "link checks"):
        assert f"| {said} |" in done.stdout
