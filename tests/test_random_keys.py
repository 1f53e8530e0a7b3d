"""Random keys, forms included, on the bundled case and a generated 10k casefile: nothing raises,
and no file changes unless it was saved.

The number of keys per run is WHOMET_RANDOM_KEYS (default 250, quick enough for CI); a longer run:
WHOMET_RANDOM_KEYS=5000 python -m pytest tests/test_random_keys.py
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sys
from pathlib import Path

import pytest

from edits import changed_keys, changed_outside
from helpers import BUNDLED, until_shown
from whomet.store import load
from whomet.app import WhometApp
from whomet.app import session as app_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate  # noqa: E402

STEPS = int(os.environ.get("WHOMET_RANDOM_KEYS", "250"))

KEYS = (
    ["j", "k", "up", "down", "tab", "shift+tab", "enter", "enter", "backspace", "alt+left", "alt+right",
     "escape", "escape", "slash", "c", "o", "y", "p", "question_mark", "f1", "pageup", "pagedown", "home",
     "end", "space", "a", "e", "d", "n", "ctrl+s", "ctrl+r", "ctrl+p", "ctrl+u"]
    + list("sessionkislyak2016-[]/@") + ["left", "right", "delete"]
)


def fingerprint(folder: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def generated_10k(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gen") / "case"
    generate(folder, 10_000, seed=7)
    return folder


async def run_random_keys(folder: Path, seed: int, monkeypatch) -> int:
    written: set[Path] = set()
    edits: list[tuple[bytes, str, list[str]]] = []
    real_save, real_delete = app_module.save, app_module.delete

    def recording_save(casefile, record, opened=None):
        path = real_save(casefile, record, opened)
        written.add(path)
        if opened is not None:
            edits.append((opened.data, path.read_text(encoding="utf-8"), changed_keys(opened.record, record)))
        return path

    def recording_delete(casefile, record_id, opened=None):
        path = real_delete(casefile, record_id, opened)
        written.add(path)
        return path

    monkeypatch.setattr(app_module, "save", recording_save)
    monkeypatch.setattr(app_module, "delete", recording_delete)
    before = fingerprint(folder)
    app = WhometApp(folder)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    chooser = random.Random(seed)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_shown(app, pilot)
        for _ in range(STEPS):
            await pilot.press(chooser.choice(KEYS))
            assert app.is_running
        await pilot.pause()
    assert app.return_code in (None, 0)
    after = fingerprint(folder)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert changed <= written, changed - written
    for data, text, keys in edits:
        assert not changed_outside(data.decode("utf-8"), text, *keys), keys
    errors = [p for p in load(folder).errors if p.path in changed]
    assert not errors, errors
    assert all(url.startswith(("http://", "https://")) for url in opened)
    return len(changed)


@pytest.mark.parametrize("seed", range(2))
async def test_random_keys_on_the_bundled_case(tmp_path, monkeypatch, seed):
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    await run_random_keys(folder, seed, monkeypatch)


async def test_random_keys_on_a_generated_10k_casefile(generated_10k, monkeypatch):
    await run_random_keys(generated_10k, 11, monkeypatch)
