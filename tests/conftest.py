"""Fixtures shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SMALL_CASE, write_casefile


@pytest.fixture
def small_case(tmp_path: Path) -> Path:
    return write_casefile(tmp_path / "case", SMALL_CASE)
