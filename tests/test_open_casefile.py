"""open_casefile: the casefile through its cache, brought up to date; read into memory instead,
and said to be, while another whomet holds the cache for longer than whomet waits."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import whomet.store.cache as cache_module
from helpers import SMALL_CASE, write_casefile
from test_busy_cache import filling, writing
from whomet.store import CaseCache, open_casefile, read_without_cache
from whomet.store.look import cache_path


@pytest.fixture
def cached_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache_module, "BUSY_WAIT", 0.1)
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    open_casefile(folder).close()
    (folder / "people" / "cy.toml").write_text('name = "Cy New"\n', encoding="utf-8")
    return folder


def test_the_cache_is_opened_and_brought_up_to_date(cached_case):
    told: list[tuple[int, int]] = []
    casefile = open_casefile(cached_case, lambda done, total: told.append((done, total)))
    try:
        assert casefile.path == cache_path(cached_case) and not casefile.busy
        assert casefile.count() == 7 and casefile.kind_of("cy") == "person"
        assert told and told[-1][0] == told[-1][1] >= 1  # the files changed since (or written too near the look)
    finally:
        casefile.close()


@pytest.mark.parametrize("hold", [filling, writing])
def test_a_cache_another_whomet_holds_is_read_without(cached_case, hold):
    with hold(cached_case):
        casefile = open_casefile(cached_case)
        assert casefile.path is None and casefile.busy
        assert casefile.count() == 7 and casefile.problems == []
        casefile.close()
    again = open_casefile(cached_case)
    assert again.path == cache_path(cached_case) and not again.busy and again.count() == 7
    again.close()


def test_a_cache_opened_before_and_taken_since_is_closed_and_read_without(cached_case):
    opened = CaseCache.open(cached_case)
    with writing(cached_case):
        casefile = open_casefile(cached_case, cache=opened)
    assert casefile is not opened and casefile.busy and casefile.count() == 7
    with pytest.raises(sqlite3.ProgrammingError):  # closed: the caller has only the one it was given back
        opened.count()


def test_reading_without_the_cache_leaves_it_alone(cached_case):
    before = cache_path(cached_case).read_bytes()
    casefile = read_without_cache(cached_case)
    assert casefile.busy and casefile.path is None and casefile.count() == 7
    assert cache_path(cached_case).read_bytes() == before
