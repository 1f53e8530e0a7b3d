"""The processes whomet starts to read many files import whomet's own modules, wherever whomet is
started from; and one that fails costs time, never the casefile."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import whomet.store.cache as cache_module
import whomet.store.checking as checking
from helpers import SMALL_CASE, until_shown, write_casefile
from whomet.app import WhometApp
from whomet.cli import main
from whomet.store.cache import CaseCache
from whomet.store.look import cache_path

HIJACKERS = {
    "a whomet module": {"whomet.py": "raise RuntimeError('imported the current folder\\'s whomet.py')\n"},
    "a whomet package": {
        "whomet/__init__.py": "raise RuntimeError('imported the current folder\\'s whomet package')\n",
        "whomet/store/__init__.py": "",
        "whomet/store/reader.py": "raise RuntimeError('imported the current folder\\'s reader')\n",
    },
    "a tui module": {"tui.py": "raise RuntimeError('imported the current folder\\'s tui.py')\n"},
    "a tui package": {
        "tui/__init__.py": "raise RuntimeError('imported the current folder\\'s tui package')\n",
        "tui/store/__init__.py": "",
        "tui/store/reader.py": "raise RuntimeError('imported the current folder\\'s reader')\n",
    },
}


@pytest.fixture(params=list(HIJACKERS))
def hostile_folder(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from a folder holding a ``whomet`` or ``tui`` of its own, which fails on import."""
    folder = write_casefile(tmp_path / "elsewhere", HIJACKERS[request.param])
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    assert not cache_path(folder).exists()  # a cold start: every file is read
    return folder


def test_check_of_a_casefile_never_browsed_is_not_hijacked(hostile_folder, case, monkeypatch, capsys):
    monkeypatch.setattr(checking, "PARALLEL_FROM", 2)  # in checking processes
    assert main(["check", str(case)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "6 records, 0 errors, 0 warnings" in captured.err


def test_check_through_the_cache_is_not_hijacked(hostile_folder, case, monkeypatch, capsys):
    CaseCache.open(case).close()  # an empty cache: check reads every file into it
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)  # in reader processes
    assert main(["check", str(case)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "6 records, 0 errors, 0 warnings" in captured.err


async def test_the_app_is_not_hijacked(hostile_folder, case, monkeypatch):
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)
    app = WhometApp(case)
    async with app.run_test(size=(150, 40)) as pilot:
        await until_shown(app, pilot)
        assert "6 records" in app.sub_title
        assert app.session.casefile.problems == []


def test_the_children_start_without_the_current_folder_on_their_path(hostile_folder):
    from whomet.store.workers import end_workers, start_workers

    workers = start_workers("whomet.store.reader", 1)
    workers[0].stdin.close()  # nothing to read: the reader fails on an empty stdin, after its imports
    failures = end_workers(workers, done=True)
    assert len(failures) == 1
    assert "EOFError" in failures[0] and "current folder" not in failures[0]


# A reader that fails

def failing_readers(monkeypatch: pytest.MonkeyPatch, how: str, tmp_path: Path) -> None:
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)
    if how == "dies":
        start = cache_module.start_workers
        monkeypatch.setattr(cache_module, "start_workers", lambda module, count: start("whomet.store.no_such_reader", count))
    else:  # cannot even start
        monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))


FAILURES = ["dies", "cannot start"]


@pytest.mark.parametrize("how", FAILURES)
def test_a_failed_reader_is_told_in_words_and_the_files_are_read_here(case, monkeypatch, tmp_path, how):
    failing_readers(monkeypatch, how, tmp_path)
    cache = CaseCache.open(case)
    try:
        done = cache.refresh()
        assert done.read == 6 and cache.count() == 6
        [told] = cache.problems
        assert told.severity == "warning" and told.path == case
        assert "reader process" in told.message and "read in this process instead" in told.message
        assert "Traceback" not in told.message and "\n" not in told.message
        if how == "dies":
            assert "No module named" in told.message and "whomet.store.no_such_reader" in told.message
    finally:
        cache.close()
    assert not list(cache_path(case).parent.glob("*.part*"))  # no reader's database is left behind


@pytest.mark.parametrize("how", FAILURES)
def test_check_with_a_failed_reader_reports_it_and_every_record(case, monkeypatch, tmp_path, capsys, how):
    CaseCache.open(case).close()
    failing_readers(monkeypatch, how, tmp_path)
    assert main(["check", str(case)]) == 0  # a warning: the casefile itself is clean
    captured = capsys.readouterr()
    [line] = captured.out.splitlines()
    assert line.startswith(f"{case}: warning ") and "reader process" in line
    assert "6 records, 0 errors, 1 warning" in captured.err


async def test_the_app_with_a_failed_reader_opens_with_every_record_and_says_why(case, monkeypatch, tmp_path):
    failing_readers(monkeypatch, "dies", tmp_path)
    app = WhometApp(case)
    async with app.run_test(size=(150, 40)) as pilot:
        await until_shown(app, pilot)
        assert "6 records" in app.sub_title
        assert any("reader process" in problem.message for problem in app.session.casefile.problems)
        assert any("1 problem in this casefile" in str(n.message) for n in app._notifications)
