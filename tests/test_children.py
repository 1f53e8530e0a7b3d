"""The processes whomet starts to read many files import whomet's own modules, wherever whomet is
started from; and one that fails costs time, never the casefile."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui.store.cache as cache_module
import tui.store.checking as checking
from helpers import SMALL_CASE, until_shown, write_casefile
from tui.app import WhometApp
from tui.cli import main
from tui.store.cache import CaseCache
from tui.store.look import cache_path

HIJACKERS = {
    "a tui module": {"tui.py": "raise RuntimeError('imported the current folder\\'s tui.py')\n"},
    "a tui package": {
        "tui/__init__.py": "raise RuntimeError('imported the current folder\\'s tui package')\n",
        "tui/store/__init__.py": "",
        "tui/store/reader.py": "raise RuntimeError('imported the current folder\\'s reader')\n",
    },
}


@pytest.fixture(params=list(HIJACKERS))
def hostile_folder(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from a folder holding a ``tui`` of its own, which fails on import."""
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
        assert app.casefile.problems == []


def test_the_children_start_without_the_current_folder_on_their_path(hostile_folder):
    from tui.store.workers import end_workers, start_workers

    workers = start_workers("tui.store.reader", 1)
    workers[0].stdin.close()  # nothing to read: the reader fails on an empty stdin, after its imports
    failures = end_workers(workers, done=True)
    assert len(failures) == 1
    assert "EOFError" in failures[0] and "current folder" not in failures[0]
