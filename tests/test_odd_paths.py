"""Odd things where record files should be: none is opened, none hangs or crashes a reader, each is
named in the problems; every way of reading (load, check and its workers, the cache and its
readers, the look, the app) says the same."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import SMALL_CASE, screen_text, until_shown, write_casefile
from whomet.app import WhometApp
from whomet.store import cache as cache_module
from whomet.store import checking, load
from whomet.store.cache import CaseCache
from whomet.store.checking import check_folder
from whomet.store.look import EarlyLook
from whomet.store.problems import MOST_PER_FILE, Problem
from whomet.store.walk import MOST_DEPTH

DEPTH = 1200
MANY = 200_000
CROWD = 20_000
LEFTOVER = "people/.ann-lee.toml.k2x9_q4z.tmp"

GOOD = {"ann-lee", "bo-ray", "senate", "daily-report", "2016-09-lee-ray", "2017-01-10-lee-hearing", "crowd"}
"""The records of the casefile (the crowd's, when it is there: its references lead nowhere, but it is valid)."""


def leave_temporary_file(folder: Path) -> None:
    """A save's temporary file, as one cut short hours ago leaves it."""
    (folder / LEFTOVER).write_text('name = "Ann Lee, half writ', encoding="utf-8")
    hours_ago = time.time() - 7200
    os.utime(folder / LEFTOVER, (hours_ago, hours_ago))


def make_fifo(folder: Path) -> None:
    os.mkfifo(folder / "people" / "x.toml")


def make_socket(folder: Path) -> None:
    here = os.getcwd()
    os.chdir(folder / "people")  # bound by a short name: a socket's path has a short limit
    try:
        with socket.socket(socket.AF_UNIX) as bound:
            bound.bind("s.toml")
    finally:
        os.chdir(here)


def make_loop(folder: Path) -> None:
    (folder / "people" / "loop.toml").symlink_to("loop.toml")


def make_folder(folder: Path) -> None:
    (folder / "people" / "foo.toml").mkdir()
    (folder / "people" / "foo.toml" / "notes.txt").write_text("kept", encoding="utf-8")


def make_deep(folder: Path) -> None:
    deep = str(folder / "people" / "deep")
    for _ in range(DEPTH):  # os.makedirs would run out of stack on the way down, as a walk did
        os.mkdir(deep)
        deep += "/d"


def make_many(folder: Path) -> None:
    (folder / "people" / "many.toml").write_text(
        'name = "Many"\naliases = [' + ", ".join(map(str, range(MANY))) + "]\n", encoding="utf-8")


def make_crowd(folder: Path) -> None:
    (folder / "meetings" / "crowd.toml").write_text(
        'title = "A crowd"\ndate = "2016"\nparticipants = ['
        + ", ".join(f'{{who = "nobody-{number}"}}' for number in range(CROWD))
        + ']\n[[citations]]\nsource = "daily-report"\nexcerpt = "They all came."\n', encoding="utf-8")


FAULTS = {
    # name: (how it is made, the path it is reported at, its code, what the message says)
    "named pipe": (make_fifo, "people/x.toml", "unreadable", "named pipe"),
    "socket": (make_socket, "people/s.toml", "unreadable", "socket"),
    "link to itself": (make_loop, "people/loop.toml", "unreadable", "back to itself"),
    "folder with a record's name": (make_folder, "people/foo.toml", "unreadable", "folder"),
    "200,000 wrong values": (make_many, "people/many.toml", "wrong-type", f"{MANY - MOST_PER_FILE:,} more"),
    "20,000 references to nothing": (make_crowd, "meetings/crowd.toml", "missing-ref", f"{CROWD - MOST_PER_FILE:,} more"),
    "1,200 folders deep": (make_deep, "people/deep/" + "d/" * (MOST_DEPTH - 2) + "d", "stray-file", "deep"),
    "a save's leftover": (leave_temporary_file, LEFTOVER, "stray-file", "did not finish"),
}
TAKEN = {"x", "s", "loop", "foo", "many"}
"""The ids of files that are there but hold no record: no new record may take them."""


def records_with(faults) -> set[str]:
    return GOOD if "20,000 references to nothing" in faults else GOOD - {"crowd"}


def odd_casefile(folder: Path, faults=FAULTS) -> Path:
    write_casefile(folder, SMALL_CASE)
    for fault in faults:
        FAULTS[fault][0](folder)
    return folder


def remove_deep(folder: Path) -> None:
    """The deep tree, from the bottom up (shutil.rmtree, as pytest's clean-up, recurses)."""
    top = folder / "people" / "deep"
    if not top.exists():
        return
    path = str(top) + "/d" * (DEPTH - 1)
    while len(path) >= len(str(top)):
        os.rmdir(path)
        path = path[:-2]


@pytest.fixture
def odd_case(tmp_path: Path) -> Iterator[Path]:
    folder = odd_casefile(tmp_path / "case")
    try:
        yield folder
    finally:
        remove_deep(folder)


@contextmanager
def pipe_watched(fifo: Path) -> Iterator[list[float]]:
    """Notes each time something opens ``fifo`` to read it, and lets it go at once (a reader
    waiting for a writer would otherwise wait for ever): the list of times is empty when
    nothing did."""
    opened: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.02):
            try:
                writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # no reader: nothing has it open
                continue
            opened.append(time.monotonic())
            os.close(writer)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield opened
    finally:
        stop.set()
        watcher.join()


def by_path(problems, folder: Path) -> dict[str, list]:
    found: dict[str, list] = {}
    for problem in problems:
        found.setdefault(problem.path.relative_to(folder).as_posix(), []).append(problem)
    return found


def assert_each_odd_path_named(problems, folder: Path, faults=FAULTS) -> None:
    found = by_path(problems, folder)
    for fault in faults:
        _, relative, code, said = FAULTS[fault]
        assert relative in found, f"{fault}: {relative} not named in {sorted(found)}"
        assert (found[relative][0].code, found[relative][-1].code) == (code, code), found[relative]
        assert said in found[relative][-1].message, found[relative][-1]
    for fault, line in (("200,000 wrong values", 2), ("20,000 references to nothing", 3)):
        if fault in faults:
            # Some listed with their line, the rest counted in one more line, last.
            many = found[FAULTS[fault][1]]
            assert len(many) == MOST_PER_FILE + 1 and many[0].line == line
            assert all("more" not in problem.message for problem in many[:-1])


def check(folder: Path) -> tuple[dict, list[Problem]]:
    result = subprocess.run([sys.executable, "-m", "whomet.cli", "check", "--json", str(folder)],
                            capture_output=True, text=True, timeout=30, cwd=folder)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    report = json.loads(result.stdout)
    return report, [Problem(p["severity"], folder / p["path"], p["line"], p["code"], p["message"])
                    for p in report["problems"]]


@pytest.mark.parametrize("fault", FAULTS)
def test_check_names_the_fault_at_once(tmp_path, fault):
    folder = odd_casefile(tmp_path / "case", [fault])
    try:
        started = time.monotonic()
        with pipe_watched(folder / "people" / "x.toml") as opened:
            report, problems = check(folder)
        assert not opened, "check opened the named pipe"
        assert report["records"] == len(records_with([fault]))
        assert_each_odd_path_named(problems, folder, [fault])
        assert time.monotonic() - started < 10
    finally:
        remove_deep(folder)


def test_check_names_each_odd_path_and_never_waits_on_one(odd_case):
    started = time.monotonic()
    with pipe_watched(odd_case / "people" / "x.toml") as opened:
        report, problems = check(odd_case)
    assert not opened, "check opened the named pipe"
    assert report["records"] == len(GOOD) and report["errors"] > 0
    assert_each_odd_path_named(problems, odd_case)
    assert not (odd_case / LEFTOVER).exists()
    assert time.monotonic() - started < 20


def test_every_way_of_reading_names_the_same_problems(odd_case, monkeypatch):
    ways: dict[str, tuple[list, set[str], set[str]]] = {}
    with pipe_watched(odd_case / "people" / "x.toml") as opened:
        casefile = load(odd_case)
        ways["load"] = (casefile.problems, set(casefile.records), set(casefile.invalid_ids))
        assert not (odd_case / LEFTOVER).exists()
        leave_temporary_file(odd_case)  # for each way to find again

        checked = check_folder(odd_case)
        ways["check"] = (checked.problems, set(), set())
        with monkeypatch.context() as patched:
            patched.setattr(checking, "PARALLEL_FROM", 1)  # in worker processes
            leave_temporary_file(odd_case)
            ways["check in workers"] = (check_folder(odd_case).problems, set(), set())

        for name, parallel in (("cache", 10**9), ("cache in readers", 1), ("cache again", 10**9)):
            if name != "cache again":
                cache_module.cache_path(odd_case).unlink(missing_ok=True)
            leave_temporary_file(odd_case)
            with monkeypatch.context() as patched:
                patched.setattr(cache_module, "PARALLEL_FROM", parallel)
                cache = CaseCache.open(odd_case)
                try:
                    cache.refresh()
                    invalid = {record_id for record_id in TAKEN if cache.invalid_path(record_id)}
                    ways[name] = (cache.problems, {record_id for record_id in GOOD if cache.kind_of(record_id)}, invalid)
                finally:
                    cache.close()
    assert not opened, "a reader opened the named pipe"

    assert ways["load"][1] == GOOD
    assert ways["load"][2] == TAKEN, "an odd path's id must count as taken"
    for name, (problems, records, invalid) in ways.items():
        assert_each_odd_path_named(problems, odd_case)
        assert [p.format(odd_case) for p in problems] == [p.format(odd_case) for p in ways["load"][0]], name
        if name.startswith("cache"):
            assert records == GOOD and invalid == ways["load"][2], name


def test_only_the_leftovers_of_saves_are_removed(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    leave_temporary_file(folder)
    under_way = folder / "people" / ".bo-ray.toml.abcdefgh.tmp"  # a save in another whomet, this moment
    under_way.write_text('name = "Bo"\n', encoding="utf-8")
    not_a_save = [folder / "people" / name for name in (
        ".bo-ray.toml.abc.tmp", ".notes.tmp", ".bo-ray.toml.abcdefgh.tmp.bak", ".Bo-Ray.toml.abcdefgh.tmp")]
    for path in not_a_save:
        path.write_text("mine", encoding="utf-8")
        os.utime(path, (time.time() - 7200,) * 2)
    link = folder / "people" / ".ann-lee.toml.abcdefgh.tmp"  # only plain files are removed
    link.symlink_to(folder / "people" / "ann-lee.toml")
    os.utime(link, (time.time() - 7200,) * 2, follow_symlinks=False)
    casefile = load(folder)
    assert [p.format(folder) for p in casefile.problems] == [
        f"{LEFTOVER}: warning stray-file: removed: the temporary file of a save that did not finish"]
    assert set(casefile.records) == records_with([])
    assert not (folder / LEFTOVER).exists()
    assert under_way.exists() and link.is_symlink() and all(path.exists() for path in not_a_save)
    assert (folder / "people" / "ann-lee.toml").exists()


async def test_the_app_opens_with_every_odd_path_and_shows_the_good_records(odd_case):
    with pipe_watched(odd_case / "people" / "x.toml") as opened:
        started = time.monotonic()
        app = WhometApp(odd_case)
        async with app.run_test(size=(120, 40)) as pilot:
            await until_shown(app, pilot)
            assert "Ann Lee" in screen_text(app) and "Bo Ray" in screen_text(app)
            assert_each_odd_path_named(app.session.casefile.problems, odd_case)
            # No new record can take the id of a file that is there but holds none.
            assert all(app.session.casefile.invalid_path(record_id) is not None for record_id in TAKEN)
            await pilot.press("p")
            await pilot.pause()
            assert "people/foo.toml" in screen_text(app)
        assert time.monotonic() - started < 20

        # Again, from the cache, with the look taken first thing as at launch.
        leave_temporary_file(odd_case)
        app = WhometApp(odd_case, early=EarlyLook.start(odd_case))
        async with app.run_test(size=(120, 40)) as pilot:
            await until_shown(app, pilot)
            assert "Ann Lee" in screen_text(app)
            assert_each_odd_path_named(app.session.casefile.problems, odd_case)
    assert not opened, "the app opened the named pipe"
    assert not (odd_case / LEFTOVER).exists()
