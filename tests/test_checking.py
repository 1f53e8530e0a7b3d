"""``whomet check`` of a casefile with no cache reads the files straight (whomet.store.checking): it
reports exactly what the cache reports, in the same order, and leaves no cache behind."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

import whomet.store.checking as checking
from helpers import BUNDLED_RECORDS, SMALL_CASE, write_casefile
from test_cache_agrees import FOLDERS, IDS, some_record
from whomet.cli import main
from whomet.store.bundled import bundled_casefile
from whomet.store.cache import CaseCache
from whomet.store.look import cache_path


def cached_report(folder: Path) -> tuple[int, list[str]]:
    cache = CaseCache.open(folder, in_memory=True)
    try:
        cache.refresh()
        return cache.count(), [p.format() for p in cache.problems]
    finally:
        cache.close()


def direct_report(folder: Path) -> tuple[int, list[str]]:
    checked = checking.check_folder(folder)
    return checked.records, [p.format() for p in checked.problems]


def random_casefile(folder: Path, seed: int) -> Path:
    """Records naming each other at random, some broken, some ids held by two files."""
    rng = random.Random(seed)
    for name in FOLDERS:
        (folder / name).mkdir(parents=True)
    for _ in range(rng.randint(4, 20)):
        relative = f"{rng.choice(FOLDERS)}/{rng.choice(IDS)}.toml"
        (folder / relative).write_text(some_record(rng, relative.split("/")[0]), encoding="utf-8")
    if rng.random() < 0.3:
        (folder / "people" / "Bad Name.toml").write_text('name = "X"\n', encoding="utf-8")
    if rng.random() < 0.3:
        (folder / "stray.toml").write_text('name = "X"\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("seed", range(60))
def test_a_direct_check_reports_what_the_cache_reports(tmp_path, seed):
    folder = random_casefile(tmp_path / "case", seed)
    assert direct_report(folder) == cached_report(folder)


@pytest.mark.parametrize("seed", range(3))
def test_worker_processes_report_what_one_process_reports(tmp_path, monkeypatch, seed):
    folder = random_casefile(tmp_path / "case", 1000 + seed)
    expected = cached_report(folder)
    monkeypatch.setattr(checking, "PARALLEL_FROM", 2)
    assert direct_report(folder) == expected


def test_the_bundled_case_checks_clean_either_way(monkeypatch):
    records, problems = direct_report(bundled_casefile())
    assert (records, problems) == (BUNDLED_RECORDS, [])
    monkeypatch.setattr(checking, "PARALLEL_FROM", 2)
    assert direct_report(bundled_casefile()) == (BUNDLED_RECORDS, [])


def test_progress_counts_every_file_read(tmp_path, monkeypatch):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    monkeypatch.setattr(checking, "PARALLEL_FROM", 2)
    told: list[tuple[int, int]] = []
    checking.check_folder(folder, lambda done, total: told.append((done, total)))
    assert told[0] == (0, 6) and told[-1] == (6, 6)


def test_a_check_without_a_cache_leaves_none_and_one_with_a_cache_keeps_it_fresh(tmp_path, capsys):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    assert main(["check", str(folder)]) == 0
    assert not cache_path(folder).exists()
    # A browse made a cache: check goes through it, and sees an edit made since.
    browsed = CaseCache.open(folder)
    browsed.refresh()
    browsed.close()
    assert cache_path(folder).exists()
    (folder / "people" / "cy.toml").write_text('name = "Cy"\nnationalty = "US"\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "cy.toml:2: error unknown-key" in captured.out
    assert "6 records, 1 error, 0 warnings" in captured.err


@pytest.mark.parametrize("how", ["dies", "cannot start"])
def test_a_failing_worker_is_reported_not_hidden(tmp_path, monkeypatch, how):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    (folder / "people" / "cy.toml").write_text('name = "Cy"\nnationalty = "US"\n', encoding="utf-8")
    expected = direct_report(folder)
    monkeypatch.setattr(checking, "PARALLEL_FROM", 2)
    if how == "dies":
        start = checking.start_workers
        monkeypatch.setattr(checking, "start_workers", lambda module, count: start("whomet.store.no_such_worker", count))
    else:
        monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    checked = checking.check_folder(folder)
    told, *rest = checked.problems
    # Every record is checked all the same, in this process, and the first problem says why.
    assert (checked.records, [p.format() for p in rest]) == expected
    assert (told.severity, told.path, told.line, told.code) == ("warning", folder, None, "reader-failed")
    assert told.message.startswith("a checking process failed (")
    assert told.message.endswith("); the files were read in this process instead")
    assert "Traceback" not in told.message and "\n" not in told.message
    if how == "dies":
        assert "No module named" in told.message and "whomet.store.no_such_worker" in told.message


def test_check_with_a_failing_worker_exits_as_the_problems_say(tmp_path, monkeypatch, capsys):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    monkeypatch.setattr(checking, "PARALLEL_FROM", 2)
    start = checking.start_workers
    monkeypatch.setattr(checking, "start_workers", lambda module, count: start("whomet.store.no_such_worker", count))
    assert main(["check", str(folder)]) == 0  # a warning, not an error: the casefile was checked
    captured = capsys.readouterr()
    assert "warning reader-failed: a checking process failed" in captured.out
    assert "6 records, 0 errors, 1 warning" in captured.err
