"""The whomet command: help, check's report and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import SMALL_CASE, write_casefile
from tui.cli import main


def run(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_help_names_the_commands():
    result = run("--help")
    assert result.returncode == 0
    assert "browse" in result.stdout and "check" in result.stdout
    check_help = run("check", "--help")
    assert "--json" in check_help.stdout
    assert "path:line: severity code: message" in " ".join(check_help.stdout.split())


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


def test_check_of_a_missing_folder_exits_1(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().out


def test_the_core_layers_do_not_import_textual():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_does_not_load_the_user_interface(small_case):
    code = (
        "import sys; from tui.cli import main; main(['check', %r]); "
        "print(any(m.startswith('textual') for m in sys.modules))" % str(small_case)
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"
