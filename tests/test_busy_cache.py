"""Another process holding the cache (another whomet reading many files into it) for longer
than whomet waits: the cache is not taken for broken, and nothing fails; the files are read
without it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import whomet.store.cache as cache_module
from helpers import work_done, SMALL_CASE, screen_text, until_shown, write_casefile
from whomet.app import WhometApp
from whomet.cli import main
from whomet.store.cache import CacheBusy, CaseCache
from whomet.store.look import cache_path


@pytest.fixture
def cached_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache_module, "BUSY_WAIT", 0.1)
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    cache = CaseCache.open(folder)
    cache.refresh()
    cache.close()
    return folder


@contextmanager
def filling(folder: Path) -> Iterator[None]:
    """Another whomet filling the casefile's cache for the first time, as it holds it while it
    commits (a rollback journal then): nobody else may read or write it."""
    cache_path(folder).unlink()
    other = sqlite3.connect(cache_path(folder), isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextmanager
def writing(folder: Path) -> Iterator[None]:
    """Another whomet writing the cache of a casefile opened before (a long refresh, say), its
    changes past what its page cache holds: with a rollback journal, that locks readers out."""
    other = sqlite3.connect(cache_path(folder), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE meta SET value = value WHERE key = 'format'")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


HOLDS = {"filling": filling, "writing": writing}


def test_a_cache_being_filled_is_neither_deleted_nor_waited_for(cached_case):
    with filling(cached_case):
        inode = cache_path(cached_case).stat().st_ino
        cache = CaseCache.open(cached_case)
        assert cache.path is None  # read into memory this time
        cache.refresh()
        assert cache.count() == 6
        cache.close()
        assert cache_path(cached_case).stat().st_ino == inode
    cache = CaseCache.open(cached_case)
    assert cache.path == cache_path(cached_case)
    cache.refresh()
    assert cache.count() == 6


def test_a_cache_another_whomet_writes_is_read_meanwhile(cached_case, monkeypatch):
    from test_look import aged, cached
    import whomet.store.look as look_module

    # Nothing written near the last look (folders made just now cannot be aged: trust them).
    monkeypatch.setattr(look_module, "RACY_NS", 0)
    cached(aged(cached_case))
    with writing(cached_case):
        cache = CaseCache.open(cached_case)
        assert cache.path == cache_path(cached_case)
        cache.refresh()  # nothing changed: nothing to write
        assert cache.count() == 6 and cache.record("ann-lee") is not None
        cache.close()


def test_the_cache_keeps_a_write_ahead_log_once_filled(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    cache = CaseCache.open(folder)
    assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # while first filled
    cache.refresh()
    assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cache.close()
    # A cache from before the log is given one when opened.
    old = sqlite3.connect(cache_path(folder), isolation_level=None)
    old.execute("PRAGMA journal_mode = DELETE")
    old.close()
    cache = CaseCache.open(folder)
    assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal" and cache.count() == 6
    cache.close()


def test_a_refresh_of_a_cache_in_use_says_so_and_leaves_it_as_it_was(cached_case):
    cache = CaseCache.open(cached_case)
    (cached_case / "people" / "cy.toml").write_text('name = "Cy New"\n')
    with writing(cached_case):
        with pytest.raises(CacheBusy):
            cache.refresh()
        assert cache.count() == 6
    cache.refresh()
    assert cache.count() == 7


@pytest.mark.parametrize("hold", HOLDS)
async def test_the_app_reads_the_files_itself_while_another_holds_the_cache(cached_case, hold):
    (cached_case / "people" / "cy.toml").write_text('name = "Cy New"\n')
    app = WhometApp(cached_case)
    with HOLDS[hold](cached_case):
        async with app.run_test(size=(140, 40)) as pilot:
            await until_shown(app, pilot)
            assert app.is_running and "7 records" in app.sub_title
            assert "Cy New" in screen_text(app)
            assert any("Another whomet" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize("hold", HOLDS)
def test_check_reads_the_files_itself_while_another_holds_the_cache(cached_case, capsys, hold):
    (cached_case / "people" / "cy.toml").write_text('name = "Cy"\nnationalty = "US"\n')
    with HOLDS[hold](cached_case):
        assert main(["check", str(cached_case)]) == 1
    captured = capsys.readouterr()
    assert "cy.toml:2: error unknown-key" in captured.out
    assert "6 records, 1 error, 0 warnings" in captured.err


@pytest.mark.parametrize("early", [False, True])
async def test_the_app_reads_the_files_itself_when_the_cache_is_taken_while_it_refreshes(
        cached_case, monkeypatch, early):
    from test_look import finished_look

    refresh = CaseCache.refresh

    def taken(self: CaseCache, *args: object, **kwargs: object):  # noqa: ANN202
        if self.path is not None:
            raise CacheBusy("database is locked")
        return refresh(self, *args, **kwargs)

    (cached_case / "people" / "cy.toml").write_text('name = "Cy New"\n')
    look = finished_look(cached_case) if early else None
    monkeypatch.setattr(CaseCache, "refresh", taken)
    app = WhometApp(cached_case, early=look)
    async with app.run_test(size=(140, 40)) as pilot:
        await until_shown(app, pilot)
        assert app.is_running and "7 records" in app.sub_title and "Cy New" in screen_text(app)
        assert any("Another whomet" in str(n.message) for n in app._notifications)


async def test_browsing_goes_on_while_another_whomet_writes_the_cache(cached_case):
    app = WhometApp(cached_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await until_shown(app, pilot)
        with writing(cached_case):  # longer than whomet waits for a lock (here 0.1 s)
            seen = set()
            for key in ("j", "j", "enter", "tab", "j", "enter", "backspace", "k", "enter"):
                await pilot.press(key)
                await pilot.pause()
                seen.add(screen_text(app))
            assert app.is_running and len(seen) >= 4  # the keys moved through the casefile


async def test_a_save_while_another_whomet_writes_the_cache_is_written_and_shown(cached_case):
    from test_forms import edit, field, type_into

    app = WhometApp(cached_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        with writing(cached_case):
            await type_into(pilot, field(app, "summary").editor, "A lobbyist.")
            await pilot.press("ctrl+s")
            await until_shown(app, pilot)
            await work_done(app)
            await pilot.pause()
            # The file holds the edit; the cache could not take it in, so the files were read without it.
            assert 'summary = "A lobbyist."' in (cached_case / "people" / "bo-ray.toml").read_text()
            assert app.is_running and app.session.casefile is not None and app.session.casefile.path is None
            assert "A lobbyist." in screen_text(app) and "Bo Ray" in screen_text(app)
            assert any("Another whomet" in str(n.message) for n in app._notifications)
            assert not app.query("#loading")
        # Once the other is done, the next reading takes the edit into the cache.
        cache = CaseCache.open(cached_case)
        cache.refresh()
        assert cache.record("bo-ray").summary == "A lobbyist."  # type: ignore[union-attr]


async def test_deleting_while_another_whomet_writes_the_cache_shows_the_record_gone(cached_case):
    from test_forms import opened

    statement = cached_case / "statements" / "2017-01-10-lee-hearing.toml"
    app = WhometApp(cached_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        app.browser.go_to_record("2017-01-10-lee-hearing")
        await pilot.pause()
        assert "I did not meet Ray." in screen_text(app)
        with writing(cached_case):
            await pilot.press("d", "y")
            await pilot.pause()
            await work_done(app)
            await pilot.pause()
            assert not statement.exists()
            assert app.is_running and app.session.index is not None and "2017-01-10-lee-hearing" not in app.session.index
            assert "I did not meet Ray." not in screen_text(app)


def test_a_refresh_is_not_undone_by_another_whomet_writing_between_its_reads_and_writes(cached_case, monkeypatch):
    (cached_case / "people" / "cy.toml").write_text('name = "Cy New"\n')  # a few files: the few-changes path
    cache = CaseCache.open(cached_case)
    targets_of = CaseCache._targets_of

    def meanwhile(self: CaseCache, ids: object) -> object:
        found = targets_of(self, ids)  # a read, in the refresh's transaction
        other = sqlite3.connect(cache_path(cached_case), isolation_level=None, timeout=0.05)
        try:
            other.execute("INSERT OR REPLACE INTO meta VALUES ('other', 'was here')")
        except sqlite3.OperationalError:
            pass  # the refresh holds the write lock: the other waits its turn
        finally:
            other.close()
        return found

    monkeypatch.setattr(CaseCache, "_targets_of", meanwhile)
    cache.refresh()  # not failed as busy: the other's write came first or waits
    assert cache.count() == 7
    cache.close()


async def test_saves_wait_while_the_files_are_read_again_without_the_cache(cached_case, monkeypatch):
    import threading

    reading = threading.Event()
    refresh = CaseCache.refresh

    def held_back(self: CaseCache, *args: object, **kwargs: object):  # noqa: ANN202
        if self.path is None:  # the reading without the cache
            reading.wait(10)
        return refresh(self, *args, **kwargs)

    app = WhometApp(cached_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await until_shown(app, pilot)
        record = app.session.casefile.record("bo-ray")  # type: ignore[union-attr]
        monkeypatch.setattr(CaseCache, "refresh", held_back)
        with writing(cached_case):
            assert app.session.save(record.model_copy(update={"summary": "First."}), new=False) is None
        assert 'summary = "First."' in (cached_case / "people" / "bo-ray.toml").read_text()
        # Read again without the cache: a second save would go to the cache being replaced.
        said = app.session.save(record.model_copy(update={"summary": "Second."}), new=False)
        assert said is not None and "being read again" in said
        assert "Second." not in (cached_case / "people" / "bo-ray.toml").read_text()
        reading.set()
        await work_done(app)
        await pilot.pause()
        again = app.session.casefile.record("bo-ray")  # type: ignore[union-attr]
        assert again is not None and again.summary == "First."
        assert app.session.save(again.model_copy(update={"summary": "Second."}), new=False) is None
        assert 'summary = "Second."' in (cached_case / "people" / "bo-ray.toml").read_text()
