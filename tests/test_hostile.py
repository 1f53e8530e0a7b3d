"""Broken and hostile casefiles: every fault reported by file (and line), nothing raises, the rest opens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import SMALL_CASE, screen_text, until_shown, write_casefile
from unprivileged import as_unprivileged
from whomet.app import WhometApp
from whomet.cli import main
from whomet.store import load

BIG_QUOTE = "word " * 210_000  # a little over 1 MB


def broken(name: str, content: str | bytes) -> dict[str, str | bytes]:
    return {**SMALL_CASE, name: content}


CASES: dict[str, tuple[dict[str, str | bytes], str, str, int | None]] = {
    # name: (files, the file named, code, line)
    "toml syntax": (broken("people/cy.toml", 'name = "Cy\n'), "people/cy.toml", "syntax", 1),
    "merge conflict": (broken("people/cy.toml", 'name = "Cy"\n<<<<<<< HEAD\nsummary = "a"\n=======\nsummary = "b"\n>>>>>>> theirs\n'),
                       "people/cy.toml", "merge-conflict", 2),
    "not utf-8": (broken("people/cy.toml", b'name = "Cy"\nsummary = "\xe9t\xe9"\n'), "people/cy.toml", "encoding", 2),
    "empty file": (broken("people/cy.toml", ""), "people/cy.toml", "missing-field", None),
    "deeply nested": (broken("people/cy.toml", "name = " + "[" * 5000 + "]" * 5000 + "\n"), "people/cy.toml", "syntax", None),
    "nested tables": (broken("people/cy.toml", 'name = "Cy"\n[roles.a.b.c.d.e.f]\nx = 1\n'), "people/cy.toml", "wrong-type", None),
    "unknown key": (broken("people/cy.toml", 'name = "Cy"\nnick = "C"\n'), "people/cy.toml", "unknown-key", 2),
    "missing field": (broken("meetings/m.toml", 'date = "2016"\n'), "meetings/m.toml", "missing-field", None),
    "wrong type": (broken("people/cy.toml", "name = 7\n"), "people/cy.toml", "wrong-type", 1),
    "impossible day": (broken("meetings/m.toml", 'title = "T"\ndate = "2016-02-30"\n'), "meetings/m.toml", "bad-date", 2),
    "impossible month": (broken("meetings/m.toml", 'title = "T"\ndate = "2016-13"\n'), "meetings/m.toml", "bad-date", 2),
    "end before start": (broken("people/cy.toml", 'name = "Cy"\n[[roles]]\ntitle = "x"\nstart = "2017"\nend = "2016"\n'),
                         "people/cy.toml", "date-order", 2),
    "duplicate across kinds": (broken("sources/ann-lee.toml", 'title = "Ann Lee, a profile"\n'), "sources/ann-lee.toml",
                               "duplicate-id", None),
    "missing reference": (broken("meetings/m.toml", 'title = "T"\ndate = "2016"\n[[participants]]\nwho = "nobody"\n'),
                          "meetings/m.toml", "missing-ref", 4),
    "wrong kind reference": (broken("meetings/m.toml", 'title = "T"\ndate = "2016"\n[[participants]]\nwho = "daily-report"\n'),
                             "meetings/m.toml", "wrong-kind-ref", 4),
    "reference cycle": ({**SMALL_CASE, "organizations/a.toml": 'name = "A"\nparent = "b"\n',
                         "organizations/b.toml": 'name = "B"\nparent = "a"\n'}, "organizations/a.toml", "cycle", 2),
    "dots in the file name": (broken("people/..cy.toml", 'name = "Cy"\n'), "people/..cy.toml", "bad-id", None),
    "space in the file name": (broken("people/c y.toml", 'name = "Cy"\n'), "people/c y.toml", "bad-id", None),
    "capitals in the file name": (broken("people/Cy.toml", 'name = "Cy"\n'), "people/Cy.toml", "bad-id", None),
    "non-ascii file name": (broken("people/çy.toml", 'name = "Cy"\n'), "people/çy.toml", "bad-id", None),
    "reference with a slash": (broken("meetings/m.toml", 'title = "T"\ndate = "2016"\n[[participants]]\nwho = "../ann-lee"\n'),
                               "meetings/m.toml", "bad-ref", 4),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_fault_is_named_checked_and_the_rest_opens(tmp_path, case, capsys):
    files, named, code, line = CASES[case]
    folder = write_casefile(tmp_path / "case", files)
    casefile = load(folder)
    found = [p for p in casefile.problems if p.code == code and p.path == folder / named]
    assert found, [p.format(folder) for p in casefile.problems]
    assert found[0].line == line
    assert {"ann-lee", "bo-ray", "2016-09-lee-ray"} <= set(casefile.records)
    assert main(["check", str(folder)]) == 1
    assert named in capsys.readouterr().out


def test_utf8_with_bom_and_crlf_line_ends_read_cleanly(tmp_path):
    folder = write_casefile(tmp_path / "case", broken("people/cy.toml", '\ufeffname = "Cy"\r\nsummary = """two\r\nlines"""\r\n'.encode()))
    casefile = load(folder)
    assert casefile.problems == [] and casefile.records["cy"].name == "Cy"
    assert casefile.records["cy"].summary == "two\nlines"


def test_a_10_mb_file_and_a_1_mb_quote_load(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "people/cy.toml": 'name = "Cy"\nsummary = """' + "long line of notes\n" * 560_000 + '"""\n',
        "statements/s.toml": f'speaker = "ann-lee"\ndate = "2017"\nquote = "{BIG_QUOTE}"\n'
                             '[[citations]]\nsource = "daily-report"\nexcerpt = "x"\n',
    })
    assert (folder / "people" / "cy.toml").stat().st_size > 10_000_000
    casefile = load(folder)
    assert casefile.problems == []
    assert len(casefile.records["s"].quote) == len(BIG_QUOTE)


def test_a_symlink_out_of_the_casefile_is_not_followed(tmp_path):
    outside = tmp_path / "secret.toml"
    outside.write_text('name = "Outside"\n', encoding="utf-8")
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    (folder / "people" / "outsider.toml").symlink_to(outside)
    casefile = load(folder)
    (problem,) = casefile.problems
    assert problem.path.name == "outsider.toml" and "outside the casefile" in problem.message
    assert "outsider" not in casefile.records
    assert main(["check", str(folder)]) == 1


def test_a_folder_that_cannot_be_read_is_reported(tmp_path, monkeypatch):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    real_scandir = os.scandir

    def scandir_refused(path):
        if Path(path).name == "people":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir_refused)
    casefile = load(folder)
    (problem,) = [p for p in casefile.problems if p.code == "unreadable"]
    assert problem.path == folder / "people" and "Permission denied" in problem.message
    assert "2016-09-lee-ray" in casefile.records
    assert main(["check", str(folder)]) == 1


def _what_loads(folder: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    casefile = load(folder)
    return [(p.code, str(p.path), p.message) for p in casefile.problems], sorted(casefile.records)


def test_a_folder_without_read_permission_is_reported(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    os.chmod(folder / "people", 0)
    try:
        # Without privileges: root reads a folder whatever its permissions.
        problems, records = as_unprivileged(_what_loads, folder)
    finally:
        os.chmod(folder / "people", 0o755)
    assert ("unreadable", str(folder / "people"), "cannot read this folder: Permission denied") in problems, problems
    assert "senate" in records and "daily-report" in records and "ann-lee" not in records


async def test_the_app_opens_a_casefile_with_every_fault_at_once(tmp_path):
    files: dict[str, str | bytes] = dict(SMALL_CASE)
    for number, (case_files, named, _, _) in enumerate(CASES.values()):
        if named not in SMALL_CASE:
            target = named.replace(".toml", f"-{number}.toml") if "/" in named else named
            files[target if case_files[named] is not None else named] = case_files[named]
    folder = write_casefile(tmp_path / "case", files)
    app = WhometApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_shown(app, pilot)
        assert "Ann Lee" in screen_text(app)
        assert "error" in app.sub_title
        await pilot.press("p")
        assert "people/" in screen_text(app)


async def test_a_1_mb_quote_shows_cut_with_a_note_and_the_layout_holds(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "statements/s.toml": f'speaker = "ann-lee"\ndate = "2017"\nquote = "{"x" * 1_000_000}"\n'
                             '[[citations]]\nsource = "daily-report"\nexcerpt = "x"\n',
    })
    app = WhometApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record("s")
        await pilot.pause()
        shown = screen_text(app)
        assert "People" in shown and "Timeline" in shown
        assert all(len(line) <= 120 for line in shown.splitlines())
        shown_quote = "".join(part.plain for part in _texts(app.query_one("#detail-body").content))
        assert "x" * 19_999 + " … (980,002 more characters: the whole text is in the record's file)" in shown_quote
        assert "x" * 20_001 not in shown_quote


def _texts(renderable):
    """Every Rich Text inside a renderable the detail panel shows."""
    from rich.text import Text

    if isinstance(renderable, Text):
        yield renderable
    for inner in getattr(renderable, "renderables", ()):
        yield from _texts(inner)
    if hasattr(renderable, "renderable"):
        yield from _texts(renderable.renderable)


async def test_hostile_text_in_a_form_is_kept_as_typed(small_case):
    from whomet.app.forms import RecordForm

    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("a", "enter")
        await pilot.pause()
        await pilot.press(*"[@click=app.quit]x[/] ../../etc")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.record_id == "click-app-quit-x-etc"  # an id is only ever a slug
        await pilot.press("ctrl+s")
        await pilot.pause()
        written = list((small_case / "people").glob("*.toml"))
        assert small_case / "people" / "click-app-quit-x-etc.toml" in written
        assert app.is_running
        assert "[@click=app.quit]x[/] ../../etc" in screen_text(app)


def test_a_linked_folder_is_reported_not_silently_skipped(tmp_path):
    elsewhere = write_casefile(tmp_path / "elsewhere", {"cy.toml": 'name = "Cy"\n'})
    folder = write_casefile(tmp_path / "case", {k: v for k, v in SMALL_CASE.items() if not k.startswith("people/")})
    (folder / "people").symlink_to(elsewhere)
    problems = [p for p in load(folder).problems if p.path == folder / "people"]
    assert problems and "a link to a folder" in problems[0].message


async def test_very_long_words_and_right_to_left_text_keep_the_layout(tmp_path):
    word = "Kislyak" * 600
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "people/long.toml": f'name = "{word}"\nsummary = "مرحبا \\u202eoverride"\naliases = ["{word}"]\n',
    })
    app = WhometApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record("long")
        await pilot.pause()
        shown = screen_text(app)
        assert all(len(line) <= 100 for line in shown.splitlines())
        assert "People" in shown and "Timeline" in shown
        app.query_one("#detail-body").scroll_end(animate=False)
        await pilot.pause()
        assert "مرحبا <U+202E>override" in screen_text(app)


async def test_a_person_named_by_hundreds_lists_some_in_the_text_and_all_under_links(tmp_path):
    from whomet.app.detail import BACKLINKS_WRITTEN

    meetings = {
        f"meetings/m-{number:03}.toml": f'title = "Meeting number {number}"\ndate = "2016-01-01"\n'
                                        '[[participants]]\nwho = "ann-lee"\n'
        for number in range(300)
    }
    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, **meetings})
    app = WhometApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_shown(app, pilot)
        assert app.browser.party == "ann-lee"
        text = "\n".join(part.plain for part in _texts(app.query_one("#detail-body").content))
        named = 300 + 2  # the meetings written here, and the small case's own meeting and statement
        assert f"What links here ({named})" in text
        assert text.count("participant ") == BACKLINKS_WRITTEN
        assert f"… and {named - BACKLINKS_WRITTEN} more: all {named} are in Links below" in text
        links = app.query_one("#links")
        assert links.row_count >= named and f"Links ({links.row_count})" in screen_text(app)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("[]/\\ab $@#=:") | st.characters(blacklist_categories=("Cc", "Cs")),
               max_size=40))
def test_text_given_to_textual_as_markup_shows_as_typed(text):
    # Controls never reach it: they are made visible first (whomet.app.text.visible).
    from textual.content import Content

    from whomet.app.text import as_markup

    assert Content.from_markup(as_markup(text)).plain == text
