"""The README's and the docs' record examples are valid records that point at the bundled case, their
commands and options are real, every problem code is documented, and every link leads somewhere."""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from pathlib import Path

import pytest

from helpers import BUNDLED
from whomet.cli import COMMANDS, main
from whomet.model import KINDS
from whomet.store import load
from whomet.store.problems import CODES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))}
CASEFILE = DOCS["CASEFILE.md"]
INPUT = DOCS["INPUT.md"]
EXAMPLE = r"^### An? (\w+)\n.*?```toml\n(.*?)```"
EXAMPLES = [(f"README {kind}", kind, text) for kind, text in re.findall(EXAMPLE, README, flags=re.S | re.M)]
EXAMPLES += [(f"CASEFILE {kind}", kind, text)
             for kind, text in re.findall(EXAMPLE.replace("###", "##"), CASEFILE, flags=re.S | re.M)]


@pytest.mark.parametrize("text", [README, CASEFILE], ids=["README", "CASEFILE"])
def test_there_is_an_example_of_every_kind(text):
    examples = [kind for name, kind, _ in EXAMPLES if name.startswith("README" if text is README else "CASEFILE")]
    assert sorted(examples) == sorted(KINDS)


@pytest.mark.parametrize(("kind", "text"), [(kind, text) for _, kind, text in EXAMPLES],
                         ids=[name for name, _, _ in EXAMPLES])
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
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_the_readme_is_a_users_and_stays_short():
    assert len(README.splitlines()) <= 275
    assert "```text\n" in README, "the README shows the app as a text capture"


def _help(*arguments: str) -> str:
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), pytest.raises(SystemExit):
        main([*arguments, "--help"])
    return shown.getvalue()


COMMAND_ROWS = re.findall(r"^\| `whomet ([^`]*)` \|", README, flags=re.M)


def test_the_readme_lists_every_command():
    named = {row.split()[0].strip("[]") for row in COMMAND_ROWS}
    assert named == set(COMMANDS)


@pytest.mark.parametrize("row", COMMAND_ROWS)
def test_each_option_the_readme_gives_a_command_is_real(row):
    command = row.split()[0].strip("[]")
    options = re.findall(r"--[a-z-]+", row)
    shown = _help(command)
    for option in options:
        assert option in shown, (command, option)


def test_every_problem_code_is_documented_with_its_severity_and_meaning():
    documented = dict(re.findall(r"^\| `([a-z-]+)` \| (?:error|warning)[^|]* \| ([^|]+) \|", INPUT, flags=re.M))
    for code in CODES:
        assert code in documented, code
        assert documented[code].strip(), code


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return {_anchor(heading) for heading in re.findall(r"^#+ (.+)$", text, flags=re.M)}


PAGES = {ROOT / "README.md": README, **{ROOT / "docs" / name: text for name, text in DOCS.items()}}


@pytest.mark.parametrize("page", list(PAGES), ids=[str(path.relative_to(ROOT)) for path in PAGES])
def test_every_link_leads_to_a_page_and_heading_that_exist(page):
    for target in re.findall(r"\]\(([^)]+)\)", PAGES[page]):
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        assert path.exists(), target
        if anchor:
            assert anchor in _anchors(path.read_text(encoding="utf-8")), target


def test_the_readme_leads_to_every_page_of_the_docs():
    index = DOCS["README.md"]
    assert "(docs/README.md)" in README
    for name in DOCS:
        if name != "README.md":
            assert f"({name})" in index, name
