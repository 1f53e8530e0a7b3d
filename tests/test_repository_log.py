"""The repository's log kept in the cache folder: a record's history read from it is the history git
gives for its path (renames followed, merges as a path's log shows them), kept at HEAD as commits
are made, read again whole after a checkout of another branch; and the app keeps it by itself."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import BUNDLED, screen_text, until_shown
from whomet.app import WhometApp
from whomet.store.history import HistoryReader
from whomet.store.repository_log import RepositoryLog, log_of

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
              pytest.mark.usefixtures("no_user_git_settings")]

ANN, BO = ("Ann Lee", "ann@example.org"), ("Bo Ray", "bo@example.org")


class Repository:
    """A git repository written commit by commit, each a second after the one before."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.second = 0
        top.mkdir(parents=True)
        self.git("init", "-q")

    def git(self, *arguments: str, who: tuple[str, str] = ANN, check: bool = True) -> str:
        self.second += 1
        date = f"2024-03-01T12:{self.second // 60 % 60:02d}:{self.second % 60:02d}+00:00"
        name, email = who
        environment = {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                       "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
                       "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        done = subprocess.run(["git", "-C", str(self.top), "-c", "init.defaultBranch=main",
                               "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *arguments],
                              capture_output=True, text=True, env=environment, check=check)
        return done.stdout

    def commit(self, message: str, who: tuple[str, str] = ANN) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, who=who)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()


def shape(commits) -> list[tuple]:
    return [(c.sha, c.status, c.path, c.renamed_from, c.old_blob, c.new_blob, c.author, c.message)
            for c in commits if c.sha]


def histories_agree(repository: Repository, paths: list[str]) -> None:
    """Each path's history, read from the log, is the one read from git path by path."""
    log = RepositoryLog(repository.top)
    assert log.update(repository.head())
    for path in paths:
        plain = HistoryReader(repository.top / path, cache=False).read()
        logged = log.commits_of(path, repository.head())
        assert logged is not None
        from_log = HistoryReader(repository.top / path).read()
        assert shape(from_log.commits) == shape(plain.commits), path
        assert [origin.field for origin in from_log.origins] == [origin.field for origin in plain.origins]


def random_history(repository: Repository, seed: int, commits: int = 36) -> set[str]:
    """Edits, additions, deletions, renames, an unreadable version, and branches merged back
    (some with a conflict resolved by hand); every path ever written."""
    chance = random.Random(seed)
    folder = repository.top / "meetings"
    folder.mkdir()
    ever: set[str] = set()
    for number in range(4):
        (folder / f"m{number}.toml").write_text(f'title = "Meeting {number}"\n')
        ever.add(f"meetings/m{number}.toml")
    repository.commit("the first meetings")
    branches = 0
    for step in range(commits):
        files = sorted(folder.glob("*.toml"))
        action = chance.choice(["edit", "edit", "edit", "add", "delete", "rename", "broken", "branch"])
        if action == "edit" and files:
            file = chance.choice(files)
            file.write_text(file.read_text().replace("\nstatus", "\n#status") + f'status = "s{step}"\n')
        elif action == "add" or not files:
            file = folder / f"m{step + 10}.toml"
            file.write_text(f'title = "Meeting {step + 10}"\n')
            ever.add(f"meetings/{file.name}")
        elif action == "delete" and len(files) > 2:
            chance.choice(files).unlink()
        elif action == "rename":
            file = chance.choice(files)
            target = folder / f"r{step}.toml"
            repository.git("mv", str(file.relative_to(repository.top)), str(target.relative_to(repository.top)))
            ever.add(f"meetings/{target.name}")
        elif action == "broken":
            chance.choice(files).write_text('title = "never closed\n')
        elif action == "branch":
            branches += 1
            file = chance.choice(files)
            repository.git("checkout", "-q", "-b", f"side{branches}")
            file.write_text(file.read_text() + f'place = "side {step}"\n')
            repository.commit(f"side {step}", who=BO)
            repository.git("checkout", "-q", "main")
            conflict = chance.random() < 0.5
            if conflict:
                file.write_text(file.read_text() + f'place = "main {step}"\n')
            else:
                other = folder / f"m{step + 100}.toml"
                other.write_text('title = "On main meanwhile"\n')
                ever.add(f"meetings/{other.name}")
            repository.commit(f"main {step}")
            merged = subprocess.run(["git", "-C", str(repository.top), "-c", "user.name=A", "-c", "user.email=a@b",
                                     "merge", "-q", "--no-edit", f"side{branches}"], capture_output=True)
            if merged.returncode != 0:  # the conflict, resolved by hand: neither side as it was
                file.write_text(f'title = "Merged by hand {step}"\n')
                repository.commit(f"merge side {step}")
            continue
        repository.commit(f"step {step}: {action}", who=chance.choice([ANN, BO]))
    return ever


@pytest.mark.parametrize("seed", range(3))
def test_a_path_history_from_the_log_is_the_one_git_gives_path_by_path(tmp_path, seed):
    repository = Repository(tmp_path / "repo")
    ever = random_history(repository, seed)
    histories_agree(repository, sorted(ever))


def test_new_commits_are_read_into_the_log_and_a_checkout_elsewhere_reads_it_again(tmp_path):
    repository = Repository(tmp_path / "repo")
    ever = random_history(repository, 7, commits=12)
    log = RepositoryLog(repository.top)
    assert log.update(repository.head())
    first = log.head()
    # Two new commits: only they are read, and the log is at the new HEAD.
    edited, moved = sorted((repository.top / "meetings").glob("*.toml"))[:2]
    edited.write_text('title = "Retitled"\n')
    repository.commit("retitle")
    repository.git("mv", f"meetings/{moved.name}", "meetings/moved.toml")
    repository.commit("move")
    newest = log.commits_of(f"meetings/{edited.name}", repository.head())[0]
    assert (newest[5], newest[7]) == ("retitle\n", "changed")
    assert log.commits_of("meetings/moved.toml", repository.head())[0][7] == "renamed"
    assert log.head() == repository.head() != first
    histories_agree(repository, sorted(ever | {"meetings/moved.toml"}))
    # Another branch from an older commit: HEAD is no ancestor's descendant; the log is not
    # extended, the history is read from git meanwhile, and the log is read again whole.
    repository.git("checkout", "-q", "-b", "elsewhere", first)
    (repository.top / "meetings" / edited.name).write_text('title = "Elsewhere"\n')
    repository.commit("elsewhere")
    assert log.commits_of(f"meetings/{edited.name}", repository.head()) is None
    history = HistoryReader(repository.top / "meetings" / edited.name).read()
    assert history.commits[0].message.startswith("elsewhere")
    histories_agree(repository, sorted(ever))


def test_a_cancelled_reading_leaves_no_log(tmp_path):
    repository = Repository(tmp_path / "repo")
    random_history(repository, 3, commits=4)
    log = RepositoryLog(repository.top)
    log.cancel()
    assert not log.update(repository.head())
    assert log.head() is None
    assert not list(log.file.parent.glob("*.tmp")) if log.file.parent.exists() else True


def test_outside_git_there_is_no_log(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    assert log_of(folder) is None


async def test_the_app_keeps_the_log_and_the_history_screen_reads_it(tmp_path, monkeypatch):
    repository = Repository(tmp_path / "repo")
    shutil.copytree(BUNDLED, repository.top / "case")
    repository.commit("the case")
    meeting = repository.top / "case" / "meetings" / "2016-09-sessions-kislyak-senate-office.toml"
    meeting.write_text(meeting.read_text().replace("in his Senate office", "in his office"))
    repository.commit("a shorter title", who=BO)
    log = RepositoryLog(repository.top)
    app = WhometApp(repository.top / "case")
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        for _ in range(200):  # the log is read in the background after the first paint
            if log.head() == repository.head():
                break
            await pilot.pause(0.05)
        assert log.head() == repository.head()

        def no_path_log(*_arguments):
            raise AssertionError("the history was read path by path, not from the log")

        monkeypatch.setattr(HistoryReader, "_follow", no_path_log)
        app.browser.go_to_record("2016-09-sessions-kislyak-senate-office")
        await pilot.pause()
        await pilot.press("h")
        for _ in range(100):
            if "a shorter title" in screen_text(app) and "the case" in screen_text(app):
                break
            await pilot.pause(0.05)
        shown = screen_text(app)
        assert "a shorter title" in shown and "the case" in shown and "Bo Ray" in shown, shown


def test_a_merge_of_older_commits_reads_the_log_again_whole(tmp_path):
    # side0 is older than main1, which the log was read at; merged after, git lists it below main1.
    repository = Repository(tmp_path / "repo")
    folder = repository.top / "people"
    folder.mkdir()
    person = folder / "ann.toml"
    person.write_text('name = "Ann"\n')
    repository.commit("c1")
    repository.git("checkout", "-q", "-b", "side")
    person.write_text('name = "Ann"\naliases = ["A"]\n')
    repository.commit("side0", who=BO)
    repository.git("checkout", "-q", "main")
    (folder / "bo.toml").write_text('name = "Bo"\n')
    repository.commit("main1")
    log = RepositoryLog(repository.top)
    assert log.update(repository.head())
    person.write_text('name = "Ann"\naliases = ["B"]\n')
    repository.commit("main2")
    repository.git("merge", "-q", "--no-edit", "-X", "ours", "side")
    assert log.commits_of("people/ann.toml", repository.head()) is None  # not extended past a merge
    histories_agree(repository, ["people/ann.toml", "people/bo.toml"])  # read whole, in git's order
