"""The README's record examples are valid records that point at the bundled case, and its commands are real."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from helpers import BUNDLED
from whomet.model import KINDS
from whomet.store import load

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"^### An? (\w+)\n.*?```toml\n(.*?)```", README, flags=re.S | re.M)


def test_there_is_an_example_of_every_kind():
    assert sorted(kind for kind, _ in EXAMPLES) == sorted(KINDS)


@pytest.mark.parametrize(("kind", "text"), EXAMPLES, ids=[kind for kind, _ in EXAMPLES])
def test_each_example_is_a_valid_record_naming_bundled_records(kind, text):
    record = KINDS[kind].model_validate({**tomllib.loads(text), "id": "example"})
    bundled = load(BUNDLED).records
    for _, target, kinds in record.references():
        assert target in bundled and bundled[target].kind in kinds, target


def test_the_quick_start_is_two_commands_and_ci_runs_the_second():
    block = re.search(r"## Quick start\n.*?```sh\n(.*?)```", README, flags=re.S).group(1)
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[0].endswith("whomet")
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
