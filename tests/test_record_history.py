"""A record's history in git: the commits that touched its file, what each changed field by field,
who last set each field; and the screen that shows it (``h``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import BUNDLED, screen_text, until_shown
from whomet.app import WhometApp
from whomet.store.history import ABSENT, EntryChange, FieldChange, HistoryUnavailable, file_history, read_version

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
              pytest.mark.usefixtures("no_user_git_settings")]

MEETING = "2016-09-sessions-kislyak-senate-office"
PATH = f"meetings/{MEETING}.toml"
ANN = ("Ann Lee", "ann@example.org")
BO = ("Bo Ray", "bo@example.org")
OLD_TITLE = 'title = "Sessions meets Kislyak in his Senate office"'
NEW_TITLE = 'title = "Sessions meets Kislyak in his office on Capitol Hill"'
CARTER = '\n[[participants]]\nwho = "carter-page"\ncapacity = "as a campaign adviser"\n'
MARKUP = "Drop the summary: [bold]unsourced[/bold] [red]"


def git(repo: Path, *arguments: str, who: tuple[str, str] = ANN, day: int = 1) -> str:
    """Run git in ``repo`` as ``who``, on 2024-03-``day`` at noon."""
    name, email = who
    date = f"2024-03-{day:02d}T12:00:00+00:00"
    environment = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name,
                   "GIT_COMMITTER_EMAIL": email, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", "-C", str(repo), "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                           "-c", "core.autocrlf=false", *arguments],
                          capture_output=True, text=True, env=environment, check=True)
    return done.stdout


def commit(repo: Path, message: str, who: tuple[str, str], day: int) -> None:
    git(repo, "add", "-A", who=who, day=day)
    git(repo, "commit", "-q", "-m", message, who=who, day=day)


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def without_summary(text: str) -> str:
    start = text.index('summary = """')
    end = text.index('"""', start + len('summary = """')) + 3
    return text[:start] + text[end:].lstrip("\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The bundled casefile in git, and three commits by two authors to one meeting: its title
    changed (Bo), Carter Page added to its participants (Ann), its summary removed (Bo)."""
    case = tmp_path / "case"
    shutil.copytree(BUNDLED, case)
    git(case, "init", "-q")
    commit(case, "Add the Sessions–Kislyak casefile", ANN, 3)
    meeting = case / PATH
    edit(meeting, OLD_TITLE, NEW_TITLE)
    commit(case, "Name the office where they met\n\nThe Post says Capitol Hill.", BO, 5)
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("\n[[citations]]", CARTER + "\n[[citations]]", 1),
                       encoding="utf-8")
    commit(case, "Add Carter Page to the meeting", ANN, 7)
    meeting.write_text(without_summary(meeting.read_text(encoding="utf-8")), encoding="utf-8")
    commit(case, MARKUP, BO, 9)
    return case


# --------------------------------------------------------------------------- the history, without the screen


def test_each_commit_is_listed_newest_first_with_its_author_date_and_message(repo: Path):
    history = file_history(repo / PATH, cache=False)
    assert history.complete and history.committed and history.path == PATH
    assert [(c.author, c.email, c.date.isoformat(), c.subject, c.status) for c in history.commits] == [
        ("Bo Ray", "bo@example.org", "2024-03-09T12:00:00+00:00", MARKUP, "changed"),
        ("Ann Lee", "ann@example.org", "2024-03-07T12:00:00+00:00", "Add Carter Page to the meeting", "changed"),
        ("Bo Ray", "bo@example.org", "2024-03-05T12:00:00+00:00", "Name the office where they met", "changed"),
        ("Ann Lee", "ann@example.org", "2024-03-03T12:00:00+00:00", "Add the Sessions–Kislyak casefile", "added"),
    ]
    assert history.commits[2].body == "The Post says Capitol Hill."


def test_each_commit_changes_field_by_field(repo: Path):
    removed, added, retitled, created = file_history(repo / PATH, cache=False).commits
    summary = created.after.fields["summary"]
    assert removed.changes == (FieldChange("summary", summary, ABSENT),)
    assert removed.changes[0].kind == "removed"
    [participants] = added.changes
    assert participants.field == "participants" and participants.kind == "changed"
    assert participants.entries == (
        EntryChange("+", {"who": "carter-page", "capacity": "as a campaign adviser"}, "who"),)
    assert participants.entries[0].name == "carter-page"
    assert retitled.changes == (FieldChange("title", "Sessions meets Kislyak in his Senate office",
                                            "Sessions meets Kislyak in his office on Capitol Hill"),)
    assert [c.field for c in created.changes] == ["title", "date", "date_text", "place", "type", "status", "summary",
                                                  "participants", "citations"]
    assert all(c.kind == "added" for c in created.changes)
    assert [e.name for e in created.changes[7].entries] == ["jeff-sessions", "sergey-kislyak"]


def test_who_last_set_each_field(repo: Path):
    history = file_history(repo / PATH, cache=False)
    removed, added, retitled, created = history.commits
    origins = {origin.field: origin for origin in history.origins}
    assert list(origins) == ["title", "date", "date_text", "place", "type", "status", "participants", "citations",
                             "summary"]
    assert origins["title"].commit is retitled and origins["title"].commit.author == "Bo Ray"
    assert origins["date"].commit is created and not origins["date"].removed
    assert origins["participants"].commit is added
    assert [(e.name, e.commit) for e in origins["participants"].entries] == [
        ("jeff-sessions", created), ("sergey-kislyak", created), ("carter-page", added)]
    assert origins["summary"].removed and origins["summary"].commit is removed


def test_a_change_to_one_entry_of_a_list_is_named_by_its_key(repo: Path):
    meeting = repo / PATH
    edit(meeting, 'capacity = "as Russian ambassador to the United States"', 'capacity = "as ambassador"')
    history = file_history(meeting, cache=False)
    uncommitted = history.commits[0]
    assert uncommitted.sha == "" and uncommitted.status == "uncommitted"
    [change] = uncommitted.changes
    [entry] = change.entries
    assert (entry.sign, entry.name) == ("~", "sergey-kislyak")
    assert entry.changes == (FieldChange("capacity", "as Russian ambassador to the United States", "as ambassador"),)
    participants = next(origin for origin in history.origins if origin.field == "participants")
    assert [e.commit.sha if e.commit else None for e in participants.entries][1] == ""


def test_a_version_that_is_not_toml_is_kept_as_unreadable_and_the_next_compared_with_the_last_readable(repo: Path):
    meeting = repo / PATH
    good = meeting.read_text(encoding="utf-8")
    meeting.write_text(good + 'place = "unterminated\n', encoding="utf-8")
    commit(repo, "A slip", ANN, 11)
    meeting.write_text(good.replace('status = "confirmed"', 'status = "disputed"'), encoding="utf-8")
    commit(repo, "Fix the slip; the meeting is disputed", BO, 12)
    history = file_history(meeting, cache=False)
    fixed, broken = history.commits[:2]
    assert not broken.after.readable and broken.after.error.startswith("line ")
    assert broken.changes == ()
    assert fixed.compared_with is history.commits[2]
    assert fixed.changes == (FieldChange("status", "confirmed", "disputed"),)
    origins = {origin.field: origin.commit for origin in history.origins}
    assert origins["status"] is fixed and origins["title"] is history.commits[4]


def test_renames_are_followed(repo: Path):
    git(repo, "mv", PATH, "meetings/sessions-kislyak-office.toml")
    commit(repo, "A shorter id", ANN, 12)
    history = file_history(repo / "meetings/sessions-kislyak-office.toml", cache=False)
    assert [c.status for c in history.commits] == ["renamed", "changed", "changed", "changed", "added"]
    assert history.commits[0].renamed_from == PATH and history.commits[0].changes == ()
    assert {o.field: o.commit for o in history.origins}["title"] is history.commits[3]


def test_a_change_made_on_a_branch_is_credited_to_its_author_not_to_the_merge(repo: Path):
    meeting = repo / PATH
    git(repo, "checkout", "-q", "-b", "side")
    edit(meeting, 'date_text = "September 2016', 'date_text = "in September 2016')
    commit(repo, "The source's words, on a branch", BO, 11)
    git(repo, "checkout", "-q", "main")
    edit(meeting, '"as Russian ambassador to the United States"', '"as ambassador"')
    commit(repo, "A shorter capacity", ANN, 12)
    git(repo, "merge", "-q", "--no-edit", "side", who=ANN, day=13)
    history = file_history(meeting, cache=False)
    merge, shorter, words = history.commits[:3]
    assert len(merge.parents) == 2 and shorter.author == "Ann Lee" and words.author == "Bo Ray"
    assert [c.field for c in merge.changes] == ["date_text"]  # against its first parent
    origins = {origin.field: origin for origin in history.origins}
    assert origins["date_text"].commit is words and origins["participants"].commit is shorter
    assert origins["participants"].entries[1].commit is shorter


def test_a_history_kept_is_read_again_only_from_the_commits_since(repo: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WHOMET_CACHE_DIR", str(tmp_path / "cache"))
    first = file_history(repo / PATH)
    assert any((tmp_path / "cache" / "history").iterdir())
    edit(repo / PATH, 'status = "confirmed"', 'status = "alleged"')
    commit(repo, "Alleged, not confirmed", BO, 14)
    again = file_history(repo / PATH)
    assert [c.sha for c in again.commits[1:]] == [c.sha for c in first.commits]
    assert again.commits[0].changes == (FieldChange("status", "confirmed", "alleged"),)
    assert again.origins == file_history(repo / PATH, cache=False).origins


def test_a_file_never_committed_has_only_its_changes_not_committed(repo: Path):
    new = repo / "people/new-person.toml"
    new.write_text('name = "New Person"\n', encoding="utf-8")
    history = file_history(new, cache=False)
    assert not history.committed and history.complete
    [uncommitted] = history.commits
    assert uncommitted.changes == (FieldChange("name", ABSENT, "New Person"),)


def test_outside_git_there_is_no_history(tmp_path: Path):
    case = tmp_path / "plain"
    shutil.copytree(BUNDLED, case)
    with pytest.raises(HistoryUnavailable) as raised:
        file_history(case / PATH, cache=False)
    assert raised.value.reason == "not-in-git"
    assert str(raised.value) == "This casefile is not in a git repository."


def test_without_git_installed_it_says_so(repo: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(repo / "no-such-folder"))
    with pytest.raises(HistoryUnavailable) as raised:
        file_history(repo / PATH, cache=False)
    assert raised.value.reason == "no-git" and "git is not installed" in str(raised.value)


@pytest.mark.parametrize(("data", "error"), [
    (b'title = "x', "line 1: "),
    (b'title = "x"\n<<<<<<< HEAD\n', "line 2: a git merge conflict was left in it"),
    (b'title = "\xff"\n', "line 1: not UTF-8 text"),
])
def test_a_version_that_cannot_be_read_says_where(data: bytes, error: str):
    version = read_version(data)
    assert not version.readable and version.exists and version.error.startswith(error)


# --------------------------------------------------------------------------- the screen


async def open_history(app, pilot, record: str = MEETING) -> None:
    """Show ``record``, press h, and wait for its whole history on screen."""
    await until_shown(app, pilot)
    app.screen.go_to_record(record)
    await pilot.pause()
    await pilot.press("h")
    for _ in range(1000):
        history = getattr(app.screen, "history", None)
        if history is not None and history.complete:
            break
        await pilot.pause(0.01)
    await pilot.pause()


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
async def test_h_shows_the_commits_and_what_each_changed(repo: Path, size: tuple[int, int]):
    app = WhometApp(repo)
    async with app.run_test(size=size) as pilot:
        await open_history(app, pilot)
        shown = screen_text(app)
        assert "History · Sessions meets Kislyak in his office on Capitol Hill" in shown
        for line in ("9 Mar 2024  Bo Ray", "7 Mar 2024  Ann Lee", "5 Mar 2024  Bo Ray", "3 Mar 2024  Ann Lee"):
            assert line in shown
        assert MARKUP in shown  # a message's brackets are text, never markup
        assert "summary: changed" in shown or "summary: removed" in shown
        await pilot.press("j")
        await pilot.pause()
        shown = screen_text(app)
        assert "Add Carter Page to the meeting" in shown
        assert "participants: + Carter Page  capacity \"as a campaign adviser\"" in shown
        await pilot.press("j")
        await pilot.pause()
        shown = screen_text(app)
        assert 'title: "Sessions meets Kislyak in his Senate office"' in shown
        assert '→ "Sessions meets Kislyak in his office on Capitol Hill"' in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "BrowserScreen"


async def test_who_last_set_each_field_names_the_author(repo: Path):
    app = WhometApp(repo)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_history(app, pilot)
        shown = screen_text(app)
        assert "Who last set each field" in shown
        for row in (r"title +changed +Bo Ray +5 Mar 2024 +[0-9a-f]{7} +Name the office",
                    r"date +added +Ann Lee +3 Mar 2024 +[0-9a-f]{7} +Add the Sessions",
                    r"participants +changed +Ann Lee +7 Mar 2024 +[0-9a-f]{7} +Add Carter Page",
                    r"   Sergey Kislyak +added +Ann Lee +3 Mar 2024 ",
                    r"   Carter Page +added +Ann Lee +7 Mar 2024 ",
                    r"summary +removed +Bo Ray +9 Mar 2024 +[0-9a-f]{7} +Drop the summary"):
            assert re.search(row, shown), row


async def test_a_long_change_shows_the_value_after_on_a_line_of_its_own(repo: Path):
    app = WhometApp(repo)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_history(app, pilot)
        await pilot.press("j", "j")
        await pilot.pause()
        changes = app.screen.query_one("#history-changes").content.plain.splitlines()
        assert changes[1:3] == ["Name the office where they met", "The Post says Capitol Hill."]
        assert changes[0].split()[1:4] == ["Bo", "Ray", "<bo@example.org>"]
        assert changes[-2:] == ['title: "Sessions meets Kislyak in his Senate office"',
                                '     → "Sessions meets Kislyak in his office on Capitol Hill"']


async def test_an_unreadable_version_is_shown_as_such(repo: Path):
    meeting = repo / PATH
    meeting.write_text(meeting.read_text(encoding="utf-8") + "place = [\n", encoding="utf-8")
    commit(repo, "Half an edit", ANN, 11)
    meeting.write_text(meeting.read_text(encoding="utf-8").removesuffix("place = [\n"), encoding="utf-8")
    app = WhometApp(repo)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_history(app, pilot)
        shown = screen_text(app)
        assert "not committed yet" in shown
        assert "Half an edit  ⚠ unreadable" in shown
        await pilot.press("j")
        await pilot.pause()
        assert "This version could not be read: line " in screen_text(app)


async def test_a_casefile_outside_git_says_so(tmp_path: Path):
    case = tmp_path / "plain"
    shutil.copytree(BUNDLED, case)
    app = WhometApp(case)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_shown(app, pilot)
        app.screen.go_to_record(MEETING)
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert any(str(n.message) == "This casefile is not in a git repository." for n in app._notifications)
        assert app.screen.__class__.__name__ == "BrowserScreen"


async def test_a_record_never_committed_says_so(repo: Path):
    (repo / "people/new-person.toml").write_text('name = "New Person"\n', encoding="utf-8")
    app = WhometApp(repo)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_history(app, pilot, "new-person")
        shown = screen_text(app)
        assert "never committed" in shown and "not committed yet" in shown
        assert 'name: added "New Person"' in shown


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_of_a_history(snap_compare, repo: Path, size: tuple[int, int]):
    async def opened(pilot) -> None:
        await open_history(pilot.app, pilot)
        await pilot.press("j")  # the second commit: a list entry added
        await pilot.pause()

    assert snap_compare(WhometApp(repo), terminal_size=size, run_before=opened)
