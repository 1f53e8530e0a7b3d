"""Another process holding the cache (another whomet reading many files into it) for longer
than whomet waits: the cache is not taken for broken, and nothing fails; the files are read
without it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import tui.store.cache as cache_module
from helpers import SMALL_CASE, screen_text, until_shown, write_casefile
from tui.app import WhometApp
from tui.cli import main
from tui.store.cache import CacheBusy, CaseCache
from tui.store.look import cache_path


@pytest.fixture
def cached_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache_module, "BUSY_WAIT", 0.1)
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    cache = CaseCache.open(folder)
    cache.refresh()
    cache.close()
    return folder


@contextmanager
def held(folder: Path) -> Iterator[None]:
    """The cache held as a writer holds it while it commits: nobody else may read or write."""
    other = sqlite3.connect(cache_path(folder), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_cache_in_use_is_neither_deleted_nor_waited_for(cached_case):
    size = cache_path(cached_case).stat().st_size
    with held(cached_case):
        cache = CaseCache.open(cached_case)
        assert cache.path is None  # read into memory this time
        cache.refresh()
        assert cache.count() == 6
        cache.close()
    assert cache_path(cached_case).stat().st_size == size
    cache = CaseCache.open(cached_case)
    assert cache.path == cache_path(cached_case) and cache.count() == 6


def test_a_refresh_of_a_cache_in_use_says_so_and_leaves_it_as_it_was(cached_case):
    cache = CaseCache.open(cached_case)
    (cached_case / "people" / "cy.toml").write_text('name = "Cy New"\n')
    with held(cached_case), pytest.raises(CacheBusy):
        cache.refresh()
    assert cache.count() == 6
    cache.refresh()
    assert cache.count() == 7


async def test_the_app_reads_the_files_itself_while_another_holds_the_cache(cached_case):
    (cached_case / "people" / "cy.toml").write_text('name = "Cy New"\n')
    app = WhometApp(cached_case)
    with held(cached_case):
        async with app.run_test(size=(140, 40)) as pilot:
            await until_shown(app, pilot)
            assert app.is_running and "7 records" in app.sub_title
            assert "Cy New" in screen_text(app)
            assert any("Another whomet" in str(n.message) for n in app._notifications)


def test_check_reads_the_files_itself_while_another_holds_the_cache(cached_case, capsys):
    (cached_case / "people" / "cy.toml").write_text('name = "Cy"\nnationalty = "US"\n')
    with held(cached_case):
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
