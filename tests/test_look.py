"""The look at a casefile's files taken by child processes at launch: it finds what a look in
the app's own process finds, is not trusted once the cache changed, and the app opened with it
shows edits made while it was closed."""

from __future__ import annotations

import gc
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import SMALL_CASE, screen_text, until_shown, write_casefile
from whomet.app import WhometApp
from whomet.store import load
from whomet.store.cache import CaseCache
from whomet.store import look as look_module
from whomet.store.look import EarlyLook, Look, cache_path, take_look

ODD_FILES = {
    "loose.toml": 'name = "x"\n',
    "meeting/typo.toml": 'title = "T"\n',
    "people/notes.txt": "hello",
    "people/Bad Name.toml": 'name = "X"\n',
    "people/.hidden.toml": 'name = "X"\n',
    "people/line\nbreak.toml": 'name = "X"\n',
}


def aged(folder: Path, seconds: int = 60) -> Path:
    past = time.time_ns() - seconds * 1_000_000_000
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, ns=(past, past), follow_symlinks=False)
    return folder


def age(path: Path, seconds: int = 30) -> None:
    past = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(past, past))


def cached(folder: Path) -> None:
    cache = CaseCache.open(folder)
    cache.refresh()
    cache.close()


def in_process(folder: Path) -> Look:
    db = sqlite3.connect(cache_path(folder))
    try:
        return take_look(folder, db)
    finally:
        db.close()


def same(one: Look, other: Look) -> None:
    assert (one.stale, one.changed, one.gone, one.known, one.basis, one.digests) == \
        (other.stale, other.changed, other.gone, other.known, other.basis, other.digests)
    assert [p.format() for p in one.problems] == [p.format() for p in other.problems]


def finished_look(folder: Path) -> EarlyLook:
    """A look at ``folder`` whose children are done, as it is at mount for a small casefile."""
    early = EarlyLook.start(folder)
    assert early is not None
    assert early.wait(30)
    return early


def changed_while_closed(folder: Path) -> None:
    person = folder / "people" / "ann-lee.toml"
    person.write_text(person.read_text().replace('name = "Ann Lee"', 'name = "Ann Leigh"'))
    (folder / "people" / "cy-new.toml").write_text('name = "Cy New"\n')
    (folder / "people" / "bo-ray.toml").unlink()


@pytest.mark.parametrize("shares", [1, 2, 3])
def test_children_find_what_a_look_in_process_finds(tmp_path, monkeypatch, shares):
    monkeypatch.setattr(look_module, "SHARES", shares)
    folder = aged(write_casefile(tmp_path / "case", {**SMALL_CASE, **ODD_FILES}))
    outside = write_casefile(tmp_path / "elsewhere", {"x.toml": 'name = "X"\n'})
    (folder / "people" / "linked-out.toml").symlink_to(outside / "x.toml")
    cached(folder)
    changed_while_closed(folder)
    early = EarlyLook.start(folder)
    assert early is not None
    found = early.result()
    assert found is not None
    expected = in_process(folder)
    same(found, expected)
    assert [path for path, *_ in found.stale] == ["people/ann-lee.toml", "people/cy-new.toml"]
    assert found.changed == ["people/ann-lee.toml"] and found.gone == ["people/bo-ray.toml"]
    codes = sorted(p.code for p in found.problems)
    assert codes == sorted(p.code for p in load(folder).problems if p.code in ("stray-file", "bad-id", "unreadable"))
    assert codes.count("bad-id") == 3  # the space, the hidden file and the line break


def test_a_first_look_without_a_cache_finds_every_file_stale(tmp_path):
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    early = EarlyLook.start(folder)
    assert early is not None
    found = early.result()
    assert found is not None and found.known == 0 and found.basis is None
    assert len(found.stale) == len(SMALL_CASE)


def test_a_look_is_not_trusted_once_the_cache_has_changed(tmp_path):
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    cached(folder)
    early = EarlyLook.start(folder)
    assert early is not None
    found = early.result()
    assert found is not None and not found.stale
    # Another launch takes in an edit after this look was taken, and before it is used.
    changed_while_closed(folder)
    cached(folder)
    person = folder / "people" / "dee-fox.toml"
    person.write_text('name = "Dee Fox"\n')
    cache = CaseCache.open(folder)
    done = cache.refresh(look=found)
    assert done.read >= 1  # the look had found nothing to read: it was not used
    labels = {row[0] for row in cache.db.execute("SELECT label FROM records")}
    assert {"Ann Leigh", "Cy New", "Dee Fox"} <= labels and "Bo Ray" not in labels


def looked_file_by_file(folder: Path) -> tuple[Look, bool]:
    """A look in this process, in an early look's runs, and whether it read the files table."""
    db = sqlite3.connect(cache_path(folder))
    queries: list[str] = []
    db.set_trace_callback(queries.append)
    try:
        return look_module.look_here(folder, db), any("FROM files" in query for query in queries)
    finally:
        db.close()


def test_an_unchanged_casefile_is_known_by_its_listing_without_reading_the_files_table(tmp_path):
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    cached(folder)
    found, compared = looked_file_by_file(folder)
    assert not compared
    assert (found.stale, found.gone, found.known) == ([], [], len(SMALL_CASE))
    # An edit keeps the listing of the run it is not in.
    person = folder / "people" / "ann-lee.toml"
    person.write_text(person.read_text().replace("Annie", "Anne"))
    age(person)
    found, compared = looked_file_by_file(folder)
    assert compared and [path for path, *_ in found.stale] == ["people/ann-lee.toml"]


def test_a_file_gone_between_two_runs_is_found_though_the_first_run_is_unchanged(tmp_path, monkeypatch):
    monkeypatch.setattr(look_module, "SHARES", 2)
    case = {"people/ann.toml": 'name = "Ann"\n', "people/mo.toml": 'name = "Mo"\n'}
    folder = aged(write_casefile(tmp_path / "case", case))
    cached(folder)
    # The first run is still people/ann.toml alone; the second now starts after people/mo.toml.
    (folder / "people" / "mo.toml").unlink()
    (folder / "people" / "zed.toml").write_text('name = "Zed"\n')
    age(folder / "people" / "zed.toml")
    found, _ = looked_file_by_file(folder)
    assert found.gone == ["people/mo.toml"]
    assert [path for path, *_ in found.stale] == ["people/zed.toml"]


def test_files_written_near_the_last_look_or_through_the_app_are_compared_one_by_one(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)  # written just now
    cached(folder)
    found, compared = looked_file_by_file(folder)
    assert compared and len(found.stale) == len(SMALL_CASE)  # too close to the look to trust
    aged(folder)
    cached(folder)
    assert not looked_file_by_file(folder)[1]
    cache = CaseCache.open(folder)
    record = cache.record("bo-ray")
    assert record is not None
    from whomet.store import save
    save(cache, record.model_copy(update={"name": "Bo Rae"}))
    cache.close()
    found, compared = looked_file_by_file(folder)
    assert compared and [path for path, *_ in found.stale] == ["people/bo-ray.toml"]


def test_folders_are_not_listed_again_while_none_of_them_changed(tmp_path, monkeypatch):
    # Folders made just now cannot be aged (their change time is the clock's): trust them at once.
    monkeypatch.setattr(look_module, "RACY_NS", 0)
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    cached(folder)
    listed: list[Path] = []
    walk = look_module.record_files

    def listing(at: Path, *args: object) -> object:
        listed.append(at)
        return walk(at, *args)

    monkeypatch.setattr(look_module, "record_files", listing)
    person = folder / "people" / "ann-lee.toml"
    person.write_text(person.read_text().replace("Annie", "Anne"))
    found, _ = looked_file_by_file(folder)
    assert not listed and found.walk is None
    assert [path for path, *_ in found.stale] == ["people/ann-lee.toml"]
    early = EarlyLook.start(folder)
    assert early is not None
    from_children = early.result()
    assert from_children is not None
    same(from_children, found)
    # A new file changes its folder: the folders are listed again.
    (folder / "people" / "cy-new.toml").write_text('name = "Cy New"\n')
    found, _ = looked_file_by_file(folder)
    assert listed and found.walk
    assert [path for path, *_ in found.stale] == ["people/ann-lee.toml", "people/cy-new.toml"]
    # So does a folder inside a kind folder; what it holds is a problem, and such a walk is not kept.
    cached(folder)
    (folder / "people" / "old").mkdir()
    (folder / "people" / "old" / "x.toml").write_text('name = "X"\n')
    found, _ = looked_file_by_file(folder)
    assert [p.code for p in found.problems] == ["stray-file"] and found.walk == ""
    cached(folder)
    listed.clear()
    looked_file_by_file(folder)
    assert listed


def test_when_a_child_fails_the_app_looks_itself(tmp_path, monkeypatch):
    import whomet.store.look as look

    def broken(*_args: object, **_options: object) -> Look:
        raise OSError("no such luck")

    monkeypatch.setattr(look, "look_at", broken)
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    early = EarlyLook.start(folder)
    assert early is not None
    assert early.result() is None


@pytest.mark.parametrize("quick", [True, False])
async def test_the_app_opened_with_an_early_look_shows_what_changed_while_it_was_closed(tmp_path, monkeypatch, quick):
    import whomet.app.loading as app_module

    if not quick:  # too much left to read before the first paint: the loading thread reads it
        monkeypatch.setattr(app_module, "QUICK_READ", 0)
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    cached(folder)
    changed_while_closed(folder)
    app = WhometApp(folder, early=finished_look(folder))
    async with app.run_test(size=(120, 40)) as pilot:
        # A small casefile whose look is over is read before the first paint, without a thread;
        # else the loading thread starts once the screen has painted.
        assert (app.session.index is not None) == quick and not app.workers
        if not quick:
            await pilot.pause()
            assert app.workers or app.session.index is not None
        await until_shown(app, pilot)
        shown = screen_text(app)
        assert "Ann Leigh" in shown and "Cy New" in shown and "Bo Ray" not in shown


def test_the_look_starts_without_the_models_or_the_interface():
    code = ("import sys, whomet.cli, whomet.store.look; "
            "print(sorted(m for m in ('pydantic', 'textual', 'rich', 'whomet.model.records') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"


def test_the_packages_offer_every_name_they_list():
    import whomet.model
    import whomet.store

    for package in (whomet.model, whomet.store):
        assert sorted(package.__all__) == sorted(package._HOME)
        assert all(getattr(package, name) is not None for name in package.__all__)
    assert callable(whomet.store.save) and callable(whomet.model.slugify)


async def test_the_first_screen_is_the_same_read_before_or_after_the_first_paint(tmp_path):
    from helpers import BUNDLED

    shown = []
    for quick in (False, True):
        # The look is taken after the first app's own refresh, so that the cache is as it saw it.
        app = WhometApp(BUNDLED, early=finished_look(BUNDLED) if quick else None)
        async with app.run_test(size=(160, 48)) as pilot:
            assert (app.session.index is not None) == quick
            await until_shown(app, pilot)
            shown.append(screen_text(app))
    people = sum(1 for _ in (BUNDLED / "people").glob("*.toml"))
    assert f"── People ({people})" in shown[0] and "Jeff Sessions  " in shown[0]
    assert shown[0] == shown[1]


def test_a_look_nobody_waits_for_is_stopped_without_hanging(tmp_path):
    # Enough files that what the children send cannot wait in a pipe: they block until closed.
    folder = write_casefile(tmp_path / "case", {f"people/p-{n}.toml": f'name = "P {n}"\n' for n in range(3000)})
    early = EarlyLook.start(folder)
    assert early is not None
    first_child = early._pid
    time.sleep(0.5)
    started = time.monotonic()
    early.close()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(first_child, os.WNOHANG)  # reaped: no zombie left behind
    assert early.result() is None


async def test_a_look_at_a_cache_found_unusable_at_mount_is_not_used_before_the_first_paint(tmp_path):
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    cached(folder)
    db = sqlite3.connect(cache_path(folder))
    db.execute("UPDATE meta SET value = 'whomet-cache 0' WHERE key = 'format'")
    db.commit()
    db.close()
    app = WhometApp(folder, early=finished_look(folder))
    async with app.run_test(size=(120, 40)) as pilot:
        # The look found nothing to read in the old cache; the rebuilt one needs every file, read
        # by the loading thread once the screen has painted.
        assert app.session.index is None
        await until_shown(app, pilot)
        assert "6 records" in app.sub_title and "Ann Lee" in screen_text(app)


FIRST_SCREENS = """
import json, sys
from pathlib import Path
from whomet.cli import open_browser

seen = {}

def screen(app):
    return "\\n".join(strip.text for strip in app.screen._compositor.render_strips())

def watched(app_class):
    class Watched(app_class):
        def lists_shown(self):
            seen["lists"] = {"models": "whomet.model.records" in sys.modules, "screen": screen(self)}

        def data_shown(self):
            seen["data"] = {"models": "whomet.model.records" in sys.modules, "screen": screen(self)}
            self.exit()

    return Watched

open_browser(Path(sys.argv[1]), watched, headless=True, size=(140, 40))
print(json.dumps(seen))
"""


def test_an_unchanged_casefile_is_on_the_first_screen_its_detail_too_once_drawn_before(tmp_path):
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    environment = {**os.environ, "WHOMET_CACHE_DIR": str(tmp_path / "cache")}

    def launch() -> dict:
        run = subprocess.run([sys.executable, "-c", FIRST_SCREENS, str(folder)], env=environment,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout.strip().splitlines()[-1])

    # Nothing cached: the lists come first, the person in detail once the models are imported.
    seen = launch()
    assert "Ann Lee  1·1" in seen["lists"]["screen"] and "PERSON" not in seen["lists"]["screen"]
    assert seen["data"]["models"] and "Senator, Senate" in seen["data"]["screen"]

    # Unchanged since: the first paint has the lists, read from the cache, and the detail as the
    # last launch drew it, without the models (pydantic).
    seen = launch()
    first = seen["lists"]["screen"]
    assert "Ann Lee  1·1" in first and "Timeline · Ann Lee" in first and "Sep 2016" in first
    assert "PERSON" in first and "Senator, Senate" in first and "role          Senate" in first
    assert not seen["lists"]["models"] and seen["data"]["screen"] == first

    # A record changed: what was drawn before is not shown; the change is.
    role = folder / "people" / "ann-lee.toml"
    role.write_text(role.read_text().replace('title = "Senator"', 'title = "Senator emerita"'))
    age(role)  # else, written within the last moments, it is read again at the next launch too
    seen = launch()
    assert "PERSON" not in seen["lists"]["screen"]
    assert "Senator emerita, Senate" in seen["data"]["screen"]
    seen = launch()
    assert "Senator emerita, Senate" in seen["lists"]["screen"]


def test_waiting_for_a_look_ends_with_it_however_much_it_found(tmp_path):
    # Enough files that what the child found does not fit in the pipe: it is done only once read.
    folder = write_casefile(tmp_path / "case", {f"people/p-{n}.toml": f'name = "P {n}"\n' for n in range(3000)})
    early = EarlyLook.start(folder)
    assert early is not None
    assert not early.wait(0)  # walking 3,000 files takes longer than no time at all
    assert early.wait(60)
    look = early.result()
    assert look is not None and len(look.stale) == 3000


async def test_a_look_not_over_in_time_leaves_the_first_paint_to_the_progress_bar(tmp_path):
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    cached(folder)
    changed_while_closed(folder)

    class SlowLook(EarlyLook):
        def wait(self, timeout: float) -> bool:
            return False

    early = finished_look(folder)
    early.__class__ = SlowLook
    app = WhometApp(folder, early=early)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.session.index is None and app.query("#loading")  # the screen paints; then a thread reads the casefile
        await until_shown(app, pilot)
        shown = screen_text(app)
        assert "Ann Leigh" in shown and "Cy New" in shown and "Bo Ray" not in shown


async def test_a_casefile_without_a_cache_paints_its_screen_first_and_is_read_in_the_thread(tmp_path):
    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    assert not cache_path(folder).exists()
    app = WhometApp(folder, early=finished_look(folder))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.session.index is None and app.query("#loading")  # no cache to draw the first screen from
        await until_shown(app, pilot)
        assert cache_path(folder).exists() and "6 records" in app.sub_title and "Ann Lee" in screen_text(app)


def test_a_launch_looks_early_only_when_a_cache_holds_the_casefile(tmp_path):
    """With no cache every file is read after the first paint: a look beside the interface's
    import would only slow that import down."""
    from whomet.cli import open_browser

    folder = aged(write_casefile(tmp_path / "case", SMALL_CASE))
    looks: list[EarlyLook | None] = []

    def not_run(app_class: type[WhometApp]) -> type[WhometApp]:
        class NotRun(app_class):  # type: ignore[misc, valid-type]
            def run(self, **_options: object) -> None:
                looks.append(self._early)
                if self._early is not None:
                    self._early.close()

        return NotRun

    try:
        open_browser(folder, not_run)
        cached(folder)
        open_browser(folder, not_run)
    finally:
        gc.enable()  # a launch turns the collector off until the casefile is on screen
    assert looks[0] is None and isinstance(looks[1], EarlyLook)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="a0-", max_size=6).map(lambda stem: stem + ".toml")
                | st.text(alphabet="a0-.Z_ tml", max_size=10), min_size=1, max_size=4))
def test_a_folder_of_record_names_is_told_at_once_as_each_name_alone_would_be(names):
    from whomet.model.kinds import SLUG_PATTERN
    from whomet.store.walk import _RECORD_NAMES

    one_by_one = all(name.endswith(".toml") and re.fullmatch(SLUG_PATTERN, name[:-5]) for name in names)
    assert bool(_RECORD_NAMES.fullmatch("\n".join(names))) == one_by_one  # (a name with a line break is told apart first)


def slowed(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Each block of a look takes at least ``seconds`` (here and in the children forked after)."""
    look_at = look_module.look_at

    def slow(*args: object, **options: object) -> Look:
        time.sleep(seconds)
        return look_at(*args, **options)

    monkeypatch.setattr(look_module, "look_at", slow)


def many_people(count: int) -> dict[str, str]:
    return {f"people/p-{number:03}.toml": f'name = "P {number}"\n' for number in range(count)}


@pytest.mark.parametrize("shares", [1, 2, 3])
def test_a_parent_that_joins_the_look_takes_part_of_it_and_finds_the_same(tmp_path, monkeypatch, shares):
    monkeypatch.setattr(look_module, "SHARES", shares)
    monkeypatch.setattr(look_module, "BLOCK", 3)
    folder = aged(write_casefile(tmp_path / "case", {**SMALL_CASE, **ODD_FILES, **many_people(40)}))
    cached(folder)
    changed_while_closed(folder)
    (folder / "people" / "p-007.toml").unlink()
    (folder / "people" / "p-030.toml").write_text('name = "P thirty"\n')
    slowed(monkeypatch, 0.05)
    early = EarlyLook.start(folder)
    assert early is not None
    time.sleep(0.08)  # the children are a block or two in, as at mount
    shares_at_work = early._shares
    assert early.join(30)
    assert any(share.handed for share in shares_at_work)  # the parent looked at some blocks
    found = early.result()
    assert found is not None
    same(found, in_process(folder))
    assert [path for path, *_ in found.stale] == ["people/ann-lee.toml", "people/cy-new.toml", "people/p-030.toml"]
    assert found.gone == ["people/bo-ray.toml", "people/p-007.toml"]


def test_blocks_unchanged_since_the_last_look_are_not_compared_file_by_file(tmp_path, monkeypatch):
    monkeypatch.setattr(look_module, "BLOCK", 4)
    folder = aged(write_casefile(tmp_path / "case", many_people(20)))
    cached(folder)
    found, compared = looked_file_by_file(folder)
    assert not compared and found.known == 20 and len(found.digests) == 5
    edited = folder / "people" / "p-009.toml"
    edited.write_text('name = "P nine"\n')
    age(edited)
    db = sqlite3.connect(cache_path(folder))
    asked: list[str] = []
    db.set_trace_callback(asked.append)
    try:
        found = look_module.look_here(folder, db)
    finally:
        db.close()
    # The block of p-008..p-011 alone is compared: its range starts after the previous block's last file.
    ranges = [query for query in asked if "FROM files WHERE" in query]
    assert ranges == ["SELECT path, size, mtime_ns FROM files WHERE path > 'people/p-007.toml' "
                      "AND path <= 'people/p-011.toml'"]
    assert [path for path, *_ in found.stale] == ["people/p-009.toml"] and found.known == 20


def test_a_listing_written_after_a_shared_look_is_known_to_a_look_taken_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(look_module, "SHARES", 2)
    monkeypatch.setattr(look_module, "BLOCK", 3)
    folder = aged(write_casefile(tmp_path / "case", many_people(30)))
    cached(folder)
    person = folder / "people" / "p-004.toml"
    person.write_text('name = "P four"\n')
    age(person)
    slowed(monkeypatch, 0.02)
    early = EarlyLook.start(folder)
    assert early is not None
    time.sleep(0.05)
    early.join(30)
    cache = CaseCache.open(folder)
    look = early.result()
    assert look is not None and cache.agrees(look)
    cache.refresh(look=look)
    cache.close()
    monkeypatch.undo()
    monkeypatch.setattr(look_module, "BLOCK", 3)
    found, compared = looked_file_by_file(folder)
    assert not compared and not found.stale and found.known == 30


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_however_a_look_is_shared_it_finds_what_a_look_in_process_finds(tmp_path_factory, data):
    block = data.draw(st.integers(1, 5), label="block")
    shares = data.draw(st.integers(1, 3), label="shares")
    people = data.draw(st.integers(0, 30), label="people")
    folder = aged(write_casefile(tmp_path_factory.mktemp("case"), {**SMALL_CASE, **many_people(people)}))
    saved = look_module.BLOCK, look_module.SHARES, look_module.look_at
    look_module.BLOCK, look_module.SHARES = block, shares
    try:
        cached(folder)
        names = sorted(str(path.relative_to(folder)) for path in folder.rglob("*.toml"))
        for gone in data.draw(st.lists(st.sampled_from(names), unique=True, max_size=4), label="gone"):
            (folder / gone).unlink()
        for number in data.draw(st.lists(st.integers(0, 40), unique=True, max_size=4), label="new or edited"):
            path = folder / "people" / f"p-{number:03}.toml"
            path.write_text(f'name = "Someone {number}"\n')
            age(path, 20)
        pause = data.draw(st.sampled_from([0.0, 0.01, 0.05]), label="pause")
        slow = look_module.look_at

        def slower(*args: object, **options: object) -> Look:
            time.sleep(0.005)
            return slow(*args, **options)

        look_module.look_at = slower
        early = EarlyLook.start(folder)
        assert early is not None
        time.sleep(pause)
        if data.draw(st.booleans(), label="joined"):
            early.join(30)
        found = early.result()
        look_module.look_at = slow
        assert found is not None
        same(found, in_process(folder))
    finally:
        look_module.BLOCK, look_module.SHARES, look_module.look_at = saved


def test_a_file_gone_from_between_two_blocks_is_found_though_both_hold_the_same_number_of_files(tmp_path, monkeypatch):
    monkeypatch.setattr(look_module, "BLOCK", 2)
    folder = aged(write_casefile(tmp_path / "case", many_people(4)))  # p-000 p-001 | p-002 p-003
    cached(folder)
    (folder / "people" / "p-001.toml").unlink()
    (folder / "people" / "p-000-a.toml").write_text('name = "P naught"\n')  # p-000-a p-000 | p-002 p-003
    age(folder / "people" / "p-000-a.toml")
    found, _ = looked_file_by_file(folder)
    # The second block holds the same files, but its range of paths now starts before p-001.
    assert found.gone == ["people/p-001.toml"]
    assert [path for path, *_ in found.stale] == ["people/p-000-a.toml"]


def sixty_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sixty people in blocks of 3, cached, looked at by one child."""
    monkeypatch.setattr(look_module, "SHARES", 1)
    monkeypatch.setattr(look_module, "BLOCK", 3)
    folder = aged(write_casefile(tmp_path / "case", many_people(60)))
    cached(folder)
    return folder


def under_way(folder: Path, monkeypatch: pytest.MonkeyPatch, block_seconds: float, head_start: float) -> EarlyLook:
    """A look at ``folder`` whose every block takes ``block_seconds``, ``head_start`` seconds in."""
    slowed(monkeypatch, block_seconds)
    early = EarlyLook.start(folder)
    assert early is not None
    time.sleep(head_start)
    return early


def test_the_parent_takes_on_no_more_than_it_can_look_at_in_the_time_it_has(tmp_path, monkeypatch):
    monkeypatch.setattr(look_module, "FILE_SECONDS", 0.1)  # one block of 3 files in 0.3 s
    early = under_way(sixty_cached(tmp_path, monkeypatch), monkeypatch, 0.02, 0.05)
    shares = early._shares
    early.join(0.3)
    assert [look.known for look in shares[0].handed] == [3]  # one block, not half of 20
    found = early.result()
    assert found is not None and found.known == 60 and not found.stale


def test_blocks_the_parent_has_no_time_for_are_looked_at_after_the_paint(tmp_path, monkeypatch):
    folder = sixty_cached(tmp_path, monkeypatch)
    (folder / "people" / "p-050.toml").write_text('name = "P fifty"\n')
    age(folder / "people" / "p-050.toml")
    # A slow disk: each block takes far longer than the app reckons.
    early = under_way(folder, monkeypatch, 0.05, 0.1)
    started = time.monotonic()
    assert not early.join(0.2)  # not over: the first paint goes ahead
    assert time.monotonic() - started < 0.5
    assert any(share.pending for share in early._shares)
    found = early.result()  # the loading thread: the rest of the blocks taken on are looked at
    assert found is not None
    same(found, in_process(folder))
    assert [path for path, *_ in found.stale] == ["people/p-050.toml"]


def test_a_look_the_parent_cannot_finish_is_not_used(tmp_path, monkeypatch):
    early = under_way(sixty_cached(tmp_path, monkeypatch), monkeypatch, 0.02, 0.05)

    def locked(*_args: object, **_options: object) -> Look:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(look_module, "look_at", locked)  # in this process only: the child has its own
    early.join(5)
    assert early.result() is None  # the caller looks for itself


def test_a_first_child_that_fails_after_starting_its_helpers_leaves_nobody_waiting(tmp_path, monkeypatch):
    monkeypatch.setattr(look_module, "SHARES", 3)
    monkeypatch.setattr(look_module, "BLOCK", 64)
    # No cache: every file is stale, and each helper's finding is larger than a pipe holds.
    folder = write_casefile(tmp_path / "case", {f"people/p-{n:05}.toml": 'name = "P"\n' for n in range(9000)})
    this = os.getpid()
    look_at = look_module.look_at

    def failing_first(*args: object, **options: object) -> Look:
        if os.getppid() == this:  # the first child, whose helpers are its own children
            raise OSError("no such luck")
        return look_at(*args, **options)

    monkeypatch.setattr(look_module, "look_at", failing_first)
    early = EarlyLook.start(folder)
    assert early is not None
    assert early.wait(20)  # every share's pipe ends: the helpers' are read, none is left blocked
    assert early.result() is None
