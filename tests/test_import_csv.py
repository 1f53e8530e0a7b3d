"""Spreadsheets imported with ``whomet import csv``: rejected rows said in plain words and exit 1,
only what was linked listed as linked, a dry run that reports the same, and the --into folder."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from whomet.cli import main
from whomet.store import load

SHEET = """When,Headline,Where,Who,Source,URL,Excerpt
2016-11,Lee and Ray meet again,Washington,Annie; Cy Young,The Daily,https://example.org/again,They met again in November.
2016-02-30,A day that never was,,Bo Ray; Dee Newman,,,
2017,Bo Ray lunches,,bo-ray,,,
2017,,Nowhere,Ann Lee,,,
2017-05,Lunch,,Bo Ray,,,
"""
"""Rows 3 and 5 cannot be records: a 30 February, and no headline. Row 3 names Bo Ray (in the
casefile) and Dee Newman (new); row 6, which is kept, names Bo Ray again."""

MAP = ["--map", "When=date", "--map", "Headline=title", "--map", "Where=place", "--map", "Who=participants"]


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "meetings.csv"
    path.write_text(SHEET, encoding="utf-8")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.toml"))}


def _report(err: str) -> list[str]:
    """The report's lines, from the first (created or would create) to the counts."""
    lines = err.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(("created", "would create")))
    return lines[start:]


def test_rejected_rows_exit_1_with_their_row_numbers_and_the_field_in_plain_words(small_case, sheet, capsys):
    before = _files(small_case)
    assert main(["import", "csv", str(sheet), "--into", str(small_case), *MAP]) == 1
    err = capsys.readouterr().err
    assert "rejected 2 items, not imported:" in err
    assert "  row 3: date (column “When”): Feb 2016 has 29 days, not 30" in err
    assert "  row 5: title (column “Headline”): is empty" in err
    assert "Value error" not in err and "participants.0" not in err and "citations.0" not in err
    assert "in all: 5 created, 2 linked, 0 suggested, 0 deduplicated, 2 rejected, 0 skipped" in err
    # What the files hold: the three good rows, their new person and source; nothing of the rejected rows.
    written = set(_files(small_case)) - set(before)
    assert written == {"meetings/2016-11-lee-and-ray-meet-again.toml", "meetings/2017-bo-ray-lunches.toml",
                       "meetings/2017-05-lunch.toml", "people/cy-young.toml", "sources/the-daily.toml"}
    again = tomllib.loads((small_case / "meetings" / "2016-11-lee-and-ray-meet-again.toml").read_text("utf-8"))
    assert again["participants"] == [{"who": "ann-lee"}, {"who": "cy-young"}]
    assert again["citations"] == [{"source": "the-daily", "excerpt": "They met again in November."}]
    assert not (small_case / "people" / "dee-newman.toml").exists()
    assert all(before[name] == data for name, data in _files(small_case).items() if name in before)
    assert load(small_case).errors == []


def test_linked_lists_only_the_names_a_kept_row_linked(small_case, tmp_path, capsys):
    sheet = tmp_path / "rows.csv"
    sheet.write_text("date,title,participants\n"
                     "2016-02-30,Never,Bo Ray; Dee Newman\n"   # rejected: Bo Ray linked here only
                     "2017,Kept,Annie\n", encoding="utf-8")
    assert main(["import", "csv", str(sheet), "--into", str(small_case)]) == 1
    report = _report(capsys.readouterr().err)
    linked = report[report.index("linked 1 name to the casefile:") + 1:]
    assert linked[0] == "  Annie → ann-lee" and not linked[1].startswith("  ")
    assert not any("Bo Ray" in line or "Dee Newman" in line for line in report)
    assert report[-1] == "in all: 1 created, 1 linked, 0 suggested, 0 deduplicated, 1 rejected, 0 skipped"
    kept = tomllib.loads((small_case / "meetings" / "2017-kept.toml").read_text("utf-8"))
    assert kept["participants"] == [{"who": "ann-lee"}]
    assert not (small_case / "people" / "dee-newman.toml").exists()


def test_a_dry_run_shows_the_same_report_and_exit_code_and_writes_nothing(small_case, sheet, capsys):
    before = _files(small_case)
    assert main(["import", "csv", str(sheet), "--into", str(small_case), *MAP, "--dry-run"]) == 1
    dry = capsys.readouterr()
    assert _files(small_case) == before
    assert "# meetings/2016-11-lee-and-ray-meet-again.toml" in dry.out
    assert main(["import", "csv", str(sheet), "--into", str(small_case), *MAP]) == 1
    real = capsys.readouterr()
    dry_lines, real_lines = _report(dry.err), _report(real.err)
    assert dry_lines[0] == "would create 5 records:" and real_lines[0] == "created 5 records:"
    # The same report, but for the words of a dry run and the check of what was written.
    check = next(i for i, line in enumerate(real_lines) if line.startswith("check of what was written"))
    assert dry_lines[1:-1] == real_lines[1:check]
    assert dry_lines[-1] == real_lines[-1] + " (a dry run: nothing written)"


def test_a_clean_sheet_exits_0(small_case, tmp_path, capsys):
    sheet = tmp_path / "clean.csv"
    sheet.write_text("date,title,participants\n2017,Kept,Ann Lee\n", encoding="utf-8")
    assert main(["import", "csv", str(sheet), "--into", str(small_case), "--dry-run"]) == 0
    assert main(["import", "csv", str(sheet), "--into", str(small_case)]) == 0
    assert (small_case / "meetings" / "2017-kept.toml").exists()


def test_into_a_folder_that_does_not_exist_makes_it(tmp_path, capsys):
    sheet = tmp_path / "clean.csv"
    sheet.write_text("date,title,participants\n2017-03,Ann meets Bo,Ann Lee; Bo Ray\n", encoding="utf-8")
    new = tmp_path / "cases" / "new"
    assert main(["import", "csv", str(sheet), "--into", str(new), "--dry-run"]) == 0
    assert not new.exists()  # a dry run makes nothing, not even the folder
    assert "would create 3 records:" in capsys.readouterr().err
    assert main(["import", "csv", str(sheet), "--into", str(new)]) == 0
    assert sorted(_files(new)) == ["meetings/2017-03-ann-meets-bo.toml", "people/ann-lee.toml", "people/bo-ray.toml"]
    assert main(["check", str(new)]) == 0


def test_into_a_file_is_a_usage_error(tmp_path, capsys):
    sheet = tmp_path / "clean.csv"
    sheet.write_text("date,title\n2017,Kept\n", encoding="utf-8")
    target = tmp_path / "not-a-folder"
    target.write_text("mine\n", encoding="utf-8")
    assert main(["import", "csv", str(sheet), "--into", str(target)]) == 2
    assert f"not a folder: {target}" in capsys.readouterr().err
    assert main(["import", "csv", str(sheet), "--into", str(target / "inside")]) == 2
    assert f"cannot make the folder {target / 'inside'}" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_what_the_sheet_says_reaches_the_terminal_as_visible_stand_ins(tmp_path, capsys):
    sheet = tmp_path / "hostile.csv"
    sheet.write_text("date,title,participants\n2017,Red \x1b[31mtitle,Eve \x1b[2J\x07\n", encoding="utf-8")
    assert main(["import", "csv", str(sheet), "--into", str(tmp_path / "case")]) == 0
    err = capsys.readouterr().err
    assert "Red ␛[31mtitle" in err and "Eve ␛[2J␇" in err and "\x1b" not in err


def test_a_row_with_more_cells_than_the_header_is_read_not_a_crash(tmp_path, capsys):
    sheet = tmp_path / "wide.csv"
    sheet.write_text("date,speaker,quote\n2017-01-10,Bob Ray,hi there,extra\n", encoding="utf-8")
    into = tmp_path / "case"
    assert main(["import", "csv", str(sheet), "--into", str(into)]) == 0, capsys.readouterr().err
    assert len(list((into / "statements").glob("*.toml"))) == 1
