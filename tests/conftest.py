"""Fixtures shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from helpers import SMALL_CASE, write_casefile

# A test's speed is measured by the benchmarks, never asserted: on a machine busy with other
# tests, one example may take longer than Hypothesis's 200 ms and fail a test that holds.
settings.register_profile("whomet", deadline=None)
settings.load_profile("whomet")


@pytest.fixture
def small_case(tmp_path: Path) -> Path:
    return write_casefile(tmp_path / "case", SMALL_CASE)


@pytest.fixture(autouse=True, scope="session")
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tests keep their casefile caches to themselves, never in the user's cache folder."""
    import os

    folder = tmp_path_factory.mktemp("cache")
    os.environ["WHOMET_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(autouse=True)
def config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's own keymap never reaches the tests."""
    folder = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder / "whomet"


@pytest.fixture(autouse=True)
def state_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Forms kept after an error and tracebacks go to each test's own state folder."""
    folder = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    return folder / "whomet"


@pytest.fixture
def no_user_git_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git reads neither the user's nor the machine's settings (a CI machine may have none, or odd ones)."""
    import os

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
