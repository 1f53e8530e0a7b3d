"""The whomet command: help, check's report and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import SMALL_CASE, write_casefile
from whomet.cli import main


def run(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "whomet.cli", *args], capture_output=True, text=True, cwd=cwd,
                          stdin=subprocess.DEVNULL, timeout=60)


def test_help_names_the_commands():
    result = run("--help")
    assert result.returncode == 0
    assert "browse" in result.stdout and "check" in result.stdout
    check_help = run("check", "--help")
    assert "--json" in check_help.stdout
    assert "path:line: severity code: message" in " ".join(check_help.stdout.split())


@pytest.mark.parametrize("command", ["browse", "check", "export", "import"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: whomet {command} ")


def test_check_of_a_clean_casefile_exits_0(small_case, capsys):
    assert main(["check", str(small_case)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "6 records, 0 errors, 0 warnings" in captured.err


def test_check_reports_every_problem_and_exits_1(tmp_path, monkeypatch, capsys):
    write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "people/cy.toml": 'name = "Cy"\nnationalty = "US"\n',
        "meetings/m.toml": 'title = "T"\ndate = "2016"\n',
    })
    monkeypatch.chdir(tmp_path)
    assert main(["check", "case"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert "case/people/cy.toml:2: error unknown-key: unknown key 'nationalty'; did you mean 'nationality'?" in lines
    assert any(line.startswith("case/meetings/m.toml: warning no-citation:") for line in lines)
    assert "7 records, 1 error, 1 warning" in captured.err


def test_check_warnings_alone_exit_0(tmp_path, capsys):
    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, "meetings/m.toml": 'title = "T"\ndate = "2016"\n'})
    assert main(["check", str(folder)]) == 0


def test_check_json_is_machine_readable(tmp_path, monkeypatch, capsys):
    write_casefile(tmp_path / "case", {**SMALL_CASE, "people/cy.toml": 'name = "Cy"\nnationalty = "US"\n'})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--json", "case"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 1 and report["records"] == 6
    assert report["problems"] == [{
        "severity": "error", "path": "case/people/cy.toml", "line": 2, "code": "unknown-key",
        "message": "unknown key 'nationalty'; did you mean 'nationality'?",
    }]


# What the command line cannot do it refuses: a line on stderr, exit 2, as argparse does.

@pytest.fixture
def no_app(monkeypatch):
    """Building the browser fails the test: what the command line refuses never gets that far."""
    from whomet.app import WhometApp

    def built(self, *args, **kwargs):
        raise AssertionError("the app was built")

    monkeypatch.setattr(WhometApp, "__init__", built)


def refused(argv: list[str], capsys) -> str:
    """What ``whomet argv`` said, having exited 2 and written nothing on the standard output."""
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("whomet: error: ")
    return line


@pytest.fixture
def a_file(tmp_path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a casefile\n", encoding="utf-8")
    return path


def test_a_folder_that_does_not_exist_is_not_browsed(tmp_path, no_app, capsys):
    missing = tmp_path / "nope"
    assert refused([str(missing)], capsys) == f"whomet: error: no such folder: {missing}"
    assert refused(["browse", str(missing)], capsys) == f"whomet: error: no such folder: {missing}"


def test_a_word_that_is_neither_a_command_nor_a_folder_is_refused(tmp_path, monkeypatch, no_app, capsys):
    monkeypatch.chdir(tmp_path)
    assert refused(["frobnicate"], capsys) == "whomet: error: no such folder or command: frobnicate"
    assert refused(["chek", "case"], capsys) == (
        "whomet: error: no such folder or command: chek (did you mean 'check'?)")
    assert refused(["help"], capsys) == "whomet: error: no such folder or command: help (did you mean '--help'?)"
    (tmp_path / "frobnicate").mkdir()  # a folder of that name: it is browsed (here, the app is built)
    with pytest.raises(AssertionError, match="the app was built"):
        main(["frobnicate"])


def test_a_file_is_not_a_casefile_folder(a_file, no_app, capsys):
    assert refused([str(a_file)], capsys) == f"whomet: error: not a folder: {a_file}"
    assert refused(["check", str(a_file)], capsys) == f"whomet: error: not a folder: {a_file}"
    assert refused(["export", "ftm", str(a_file)], capsys) == f"whomet: error: not a folder: {a_file}"


def test_check_of_a_missing_folder_is_refused(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert refused(["check", str(missing)], capsys) == f"whomet: error: no such folder: {missing}"
    assert refused(["check", "--json", str(missing)], capsys) == f"whomet: error: no such folder: {missing}"


def test_export_of_a_missing_folder_writes_nothing(tmp_path, capsys):
    missing = tmp_path / "nope"
    out = tmp_path / "out.md"
    assert refused(["export", "markdown", str(missing)], capsys) == f"whomet: error: no such folder: {missing}"
    assert refused(["export", "markdown", "--out", str(out), str(missing)], capsys).endswith(str(missing))
    assert not out.exists()


def test_export_into_a_folder_is_refused(small_case, tmp_path, capsys):
    assert refused(["export", "ftm", "--out", str(tmp_path), str(small_case)], capsys) == (
        f"whomet: error: --out is a folder, not a file: {tmp_path}")


def test_import_names_what_is_missing(small_case, tmp_path, a_file, capsys):
    missing = tmp_path / "nope.csv"
    assert refused(["import", "csv", str(missing), "--into", str(small_case)], capsys) == (
        f"whomet: error: no such file: {missing}")
    assert refused(["import", "csv", str(small_case), "--into", str(small_case)], capsys) == (
        f"whomet: error: not a file: {small_case}")
    assert refused(["import", "csv", str(a_file), "--into", str(a_file)], capsys) == (
        f"whomet: error: not a folder: {a_file}")
    # An --into folder that does not exist is made by the import (tests/test_import_csv.py).


def test_a_refused_command_line_exits_2_from_the_shell(tmp_path):
    result = run("frobnicate", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "whomet: error: no such folder or command: frobnicate\n"


def test_the_browser_crashing_exits_1(small_case, monkeypatch, capsys, state_folder):
    """Textual's run returns when the app crashes, its return code set: the command exits with it,
    saying where the traceback is."""
    import gc

    from whomet.app import WhometApp

    run_app = WhometApp.run

    def on_mount(self) -> None:
        raise RuntimeError("a bug")

    from whomet.app.browser import BrowserScreen

    monkeypatch.setattr(BrowserScreen, "on_mount", on_mount)
    monkeypatch.setattr(WhometApp, "run", lambda self, **_: run_app(self, headless=True, size=(80, 24)))
    try:
        assert main([str(small_case)]) == 1
    finally:
        gc.enable()  # a launch turns the collector off until the casefile is on screen
    said = capsys.readouterr().err
    log = next((state_folder / "crashes").glob("crash-*.log"))
    assert f"the traceback is in {log}" in said
    assert "RuntimeError: a bug" in log.read_text()


def test_the_core_layers_do_not_import_textual():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_does_not_load_the_user_interface(small_case):
    code = (
        "import sys; from whomet.cli import main; main(['check', %r]); "
        "print(any(m.startswith('textual') for m in sys.modules))" % str(small_case)
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"
