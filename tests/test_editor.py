"""Records edited in the reader's own editor: ``E`` opens the record in detail at the line of the
field in focus, ``A`` makes a new record from a template; the file is read again when the editor
closes, and what is wrong with it is shown by line.

The editor is a small Python script written by each test, named as a real editor (``vi``) so that
it is given the line the way vi is; it records what it was given and edits the file as told."""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from helpers import BUNDLED, screen_text, until_shown
from whomet import model
from whomet.app import WhometApp
from whomet.app.editor import EditedProblemsScreen
from whomet.app.editor_command import Editor, find_editor
from whomet.app.field_lines import field_line, link_field
from whomet.app.templates import template

MEETING = "2016-09-sessions-kislyak-senate-office"
TITLE = "Sessions meets Kislyak in his Senate office"
NEW_TITLE = "Sessions receives Kislyak, as edited in vi"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    return folder


@pytest.fixture(autouse=True)
def no_editor_of_yours(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' editors only: never the one of whoever runs them."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


class FakeEditor:
    """An editor script named ``name`` under ``tmp_path/bin``: it appends its arguments to a log,
    then runs ``body`` with ``path`` (the file given), ``text`` (what it holds) and ``call`` (1 the
    first time it is run, 2 the next…) at hand."""

    def __init__(self, tmp_path: Path, body: str, name: str = "vi") -> None:
        folder = tmp_path / "bin"
        folder.mkdir(exist_ok=True)
        self.log = tmp_path / f"{name}-calls.jsonl"
        self.path = folder / name
        self.path.write_text(
            f"#!{sys.executable}\n"
            "import json, pathlib, re, sys\n"
            f"with open({str(self.log)!r}, 'a') as log:\n"
            "    log.write(json.dumps(sys.argv[1:]) + '\\n')\n"
            f"call = len(open({str(self.log)!r}).readlines())\n"
            "path = pathlib.Path(sys.argv[-1].rsplit(':', 1)[0] if ':' in sys.argv[-1] else sys.argv[-1])\n"
            "text = path.read_text(encoding='utf-8')\n"
            + textwrap.dedent(body)
        )
        self.path.chmod(0o755)

    @property
    def calls(self) -> list[list[str]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def opened_on_meeting(app, pilot) -> None:
    await until_shown(app, pilot)
    app.browser.go_to_record(MEETING)  # the meeting in detail, the focus on its links
    await pilot.pause()
    assert app.browser.item == MEETING and app.browser.focused_panel() == "links"


# E: the record in detail, in the editor


async def test_an_edit_in_the_editor_is_read_again_and_shown_everywhere(case, tmp_path, monkeypatch):
    editor = FakeEditor(tmp_path, f"""
        path.write_text(re.sub(r'(?m)^title = ".*"$', 'title = "{NEW_TITLE}"', text), encoding='utf-8')
    """)
    monkeypatch.setenv("EDITOR", str(editor.path))
    path = case / "meetings" / f"{MEETING}.toml"
    before = path.read_text(encoding="utf-8")
    app = WhometApp(case)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened_on_meeting(app, pilot)
        await pilot.press("E")
        await pilot.pause()
        assert len(editor.calls) == 1
        # The file holds exactly that change, and nothing else moved.
        assert path.read_text(encoding="utf-8") == before.replace(f'title = "{TITLE}"', f'title = "{NEW_TITLE}"')
        # The detail and the timeline show the new title; the reader is where they were.
        shown = screen_text(app)
        assert NEW_TITLE in shown and TITLE not in shown
        assert any(NEW_TITLE in row.prompt.plain for row in app.browser.timeline.records.rows)
        assert app.browser.item == MEETING
        assert app.browser.index.label_of(MEETING) == NEW_TITLE
        assert any(f"Read meetings/{MEETING}.toml again." in note for note in notes(app)), notes(app)


async def test_the_editor_opens_at_the_line_of_the_link_in_focus(case, tmp_path, monkeypatch):
    editor = FakeEditor(tmp_path, "")
    monkeypatch.setenv("EDITOR", str(editor.path))
    path = case / "meetings" / f"{MEETING}.toml"
    lines = path.read_text(encoding="utf-8").split("\n")
    second_who = [number for number, line in enumerate(lines, start=1) if line.startswith("who = ")][1]
    fivethirtyeight = next(number for number, line in enumerate(lines, start=1)
                           if line == 'source = "fivethirtyeight-big-question-sessions-russia"')
    app = WhometApp(case)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened_on_meeting(app, pilot)
        links = app.browser.source.links
        # The second participant, then the second source cited.
        app.browser.source.link_list.highlighted = [link.relation for link in links].index("participant") + 1
        await pilot.press("E")
        sources = [number for number, link in enumerate(links) if link.relation == "source"]
        app.browser.source.link_list.highlighted = sources[1]
        await pilot.press("E")
        # The focus elsewhere: the first line.
        app.browser.timeline.records.focus()
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        assert editor.calls == [[f"+{second_who}", str(path)], [f"+{fivethirtyeight}", str(path)], ["+1", str(path)]]
        assert any(f"No change to meetings/{MEETING}.toml." in note for note in notes(app))


async def test_a_file_broken_in_the_editor_shows_its_problem_by_line_and_can_be_edited_again(case, tmp_path,
                                                                                            monkeypatch):
    # Broken the first time (a string left open), mended the next.
    editor = FakeEditor(tmp_path, """
        if call == 1:
            path.write_text(text.replace('date = "2016-09"', 'date = "2016-09'), encoding='utf-8')
        else:
            path.write_text(text.replace('date = "2016-09\\n', 'date = "2016-09"\\n'), encoding='utf-8')
    """)
    monkeypatch.setenv("EDITOR", str(editor.path))
    path = case / "meetings" / f"{MEETING}.toml"
    app = WhometApp(case)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened_on_meeting(app, pilot)
        records = len(app.browser.index)
        await pilot.press("E")
        await pilot.pause()
        # Still running, the rest of the casefile shown, the problem named with its file and line.
        assert app.is_running and isinstance(app.screen, EditedProblemsScreen)
        shown = screen_text(app)
        assert f"meetings/{MEETING}.toml:2" in shown and "syntax" in shown
        assert any(f"meetings/{MEETING}.toml:2: not valid TOML" in note for note in notes(app)), notes(app)
        assert MEETING not in app.browser.index and len(app.browser.index) == records - 1
        assert "1 error" in app.sub_title
        # e: the editor again, at the problem's line; this time it is mended.
        await pilot.press("e")
        await pilot.pause()
        assert editor.calls[1:] == [["+2", str(path)]]
        assert not isinstance(app.screen, EditedProblemsScreen)
        assert MEETING in app.browser.index and app.browser.item == MEETING
        assert TITLE in screen_text(app)
        assert 'date = "2016-09"\n' in path.read_text(encoding="utf-8")


async def test_a_file_left_broken_stays_as_the_editor_wrote_it(case, tmp_path, monkeypatch):
    editor = FakeEditor(tmp_path, """
        path.write_text(text.replace('status = "confirmed"', 'status = "rumoured"'), encoding='utf-8')
    """)
    monkeypatch.setenv("EDITOR", str(editor.path))
    path = case / "meetings" / f"{MEETING}.toml"
    app = WhometApp(case)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened_on_meeting(app, pilot)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, EditedProblemsScreen)
        assert f"meetings/{MEETING}.toml:6" in screen_text(app) and "bad-choice" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, EditedProblemsScreen)
        assert 'status = "rumoured"' in path.read_text(encoding="utf-8")
        # The people and the rest of the casefile are still there to browse.
        await pilot.press("tab")
        assert "Jeff Sessions" in screen_text(app)


# A: a new record from a template


async def choose_kind(pilot, kind: str) -> None:
    await pilot.press("A")
    await pilot.pause()
    for _ in range(list(model.KINDS).index(kind)):
        await pilot.press("j")
    await pilot.press("enter")
    await pilot.pause()


async def test_a_new_record_filled_in_the_editor_is_made_and_shown(case, tmp_path, monkeypatch):
    editor = FakeEditor(tmp_path, """
        assert 'title = ""' in text and '# [[participants]]' in text, text
        text = text.replace('title = ""', 'title = "Sessions meets the editor"')
        text = text.replace('date = ""', 'date = "2016-10-03"')
        text = text.replace('# [[participants]]\\n# who = ""', '[[participants]]\\nwho = "jeff-sessions"')
        path.write_text(text, encoding='utf-8')
    """)
    monkeypatch.setenv("EDITOR", str(editor.path))
    app = WhometApp(case)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        await choose_kind(pilot, "meeting")
        placeholder = case / "meetings" / "new-meeting.toml"
        made = case / "meetings" / "2016-10-03-sessions-meets-the-editor.toml"
        # The editor was given the template, at its first field.
        title_line = template("meeting", "new-meeting").split("\n").index('title = ""') + 1
        assert editor.calls == [[f"+{title_line}", str(placeholder)]]
        # Named from its date and title, as the form would; the template's name is gone.
        assert made.exists() and not placeholder.exists()
        assert 'title = "Sessions meets the editor"' in made.read_text(encoding="utf-8")
        record = app.browser.index.get(made.stem)
        assert record is not None and record.title == "Sessions meets the editor"
        assert app.browser.item == made.stem
        assert "Sessions meets the editor" in screen_text(app)
        # It cites no source: said, with the file.
        assert any("Made meetings/2016-10-03-sessions-meets-the-editor.toml" in note and "no-citation" not in note
                   and "cites no source" in note for note in notes(app)), notes(app)


async def test_a_template_left_as_it_was_is_removed_and_nothing_made(case, tmp_path, monkeypatch):
    editor = FakeEditor(tmp_path, "")
    monkeypatch.setenv("EDITOR", str(editor.path))
    (case / "people" / "new-person.toml").write_text('name = "Someone already new"\n', encoding="utf-8")
    app = WhometApp(case)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        records = len(app.browser.index)
        await choose_kind(pilot, "person")
        # new-person is taken: the next free id, and never that file.
        assert editor.calls[0][-1] == str(case / "people" / "new-person-2.toml")
        assert not (case / "people" / "new-person-2.toml").exists()
        assert (case / "people" / "new-person.toml").read_text(encoding="utf-8") == 'name = "Someone already new"\n'
        assert len(app.browser.index) == records
        assert any("Nothing made" in note and "new-person-2.toml was removed" in note for note in notes(app))


async def test_a_new_record_left_invalid_is_kept_with_its_problems_and_can_be_discarded(case, tmp_path,
                                                                                      monkeypatch):
    editor = FakeEditor(tmp_path, """
        path.write_text(text.replace('title = ""', 'title = "Half written"'), encoding='utf-8')
    """)
    monkeypatch.setenv("EDITOR", str(editor.path))
    app = WhometApp(case)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        await choose_kind(pilot, "meeting")
        path = case / "meetings" / "new-meeting.toml"
        assert path.exists() and 'title = "Half written"' in path.read_text(encoding="utf-8")
        assert isinstance(app.screen, EditedProblemsScreen)
        date_line = template("meeting", "new-meeting").split("\n").index('date = ""') + 1
        assert f"meetings/new-meeting.toml:{date_line}" in screen_text(app) and "bad-date" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not path.exists()
        assert any("Discarded meetings/new-meeting.toml" in note for note in notes(app))


# Which editor


async def test_with_no_editor_set_a_fallback_is_used_and_named(case, tmp_path, monkeypatch):
    editor = FakeEditor(tmp_path, "", name="nano")
    monkeypatch.setenv("PATH", str(editor.path.parent))  # only the fake nano: no `editor`, no vi
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.selected_editor
    app = WhometApp(case)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened_on_meeting(app, pilot)
        await pilot.press("E")
        await pilot.pause()
        path = case / "meetings" / f"{MEETING}.toml"
        who_line = path.read_text(encoding="utf-8").split("\n").index('who = "jeff-sessions"') + 1
        assert editor.calls == [[f"+{who_line}", str(path)]]
        assert any("No $VISUAL or $EDITOR is set: used nano." in note for note in notes(app)), notes(app)


def test_visual_comes_before_editor_and_a_missing_one_is_passed_over_and_said(tmp_path):
    def found(program: str) -> str | None:
        on_path = {"nvim": "/usr/bin/nvim", "code": "/usr/bin/code", "nano": "/bin/nano"}
        return program if program in on_path.values() else on_path.get(program)

    editor = find_editor({"VISUAL": "nvim", "EDITOR": "nano"}, found, tmp_path)
    assert editor is not None and editor.argv == ("nvim",) and not editor.said()
    editor = find_editor({"VISUAL": "gone-editor", "EDITOR": "code --wait"}, found, tmp_path)
    assert editor is not None and editor.argv == ("code", "--wait")
    assert editor.said() == "$VISUAL (gone-editor) was not found."
    editor = find_editor({}, found, tmp_path)
    assert editor is not None and editor.argv == ("nano",) and editor.chosen_for_you
    assert editor.said().startswith("No $VISUAL or $EDITOR is set: used nano.")
    (tmp_path / ".selected_editor").write_text('# Generated by /usr/bin/select-editor\nSELECTED_EDITOR="/usr/bin/code"\n')
    editor = find_editor({"EDITOR": ""}, found, tmp_path)
    assert editor is not None and editor.argv == ("/usr/bin/code",) and "~/.selected_editor" in editor.said()
    assert find_editor({}, lambda program: None, tmp_path) is None


def test_each_editor_is_given_the_line_its_own_way(tmp_path):
    path = tmp_path / "meetings" / "x.toml"

    def command(value: str, resolved: str | None = None) -> list[str]:
        def which(program: str) -> str:
            return resolved or f"/usr/bin/{program}"

        editor = find_editor({"EDITOR": value}, which, tmp_path)
        assert editor is not None
        return editor.command(path, 12)

    assert command("vim") == ["vim", "+12", str(path)]
    assert command("nvim -u NONE") == ["nvim", "-u", "NONE", "+12", str(path)]
    assert command("emacsclient -t") == ["emacsclient", "-t", "+12", str(path)]
    assert command("editor", resolved=str(tmp_path)) == ["editor", str(path)]  # nothing known of it: the file
    assert command("code") == ["code", "--wait", "--goto", f"{path}:12"]  # waits, so the file is read after
    assert command("code -w") == ["code", "-w", "--goto", f"{path}:12"]
    assert command("hx") == ["hx", f"{path}:12"]
    assert command("'/opt/My Editors/subl' --wait") == ["/opt/My Editors/subl", "--wait", f"{path}:12"]
    assert command("notepad-of-mine") == ["notepad-of-mine", str(path)]
    assert Editor(("editor",), "vim", names=("editor", "vim")).command(path, 3) == ["editor", "+3", str(path)]


# The line of a field


def test_the_line_of_a_field_wherever_it_is_written():
    text = textwrap.dedent('''\
        title = "A"
        summary = """
        who = "not a key"
        """
        participants = [
          { who = "ann" },
          { who = "bo", capacity = "x" },
        ]

        [[citations]]
        source = "one"
        excerpt = "e"

        [[citations]]
        # a comment
        source = "two"
        ''')
    assert field_line(text, ("title",)) == 1
    assert field_line(text, ("participants", 1, "who")) == 7
    assert field_line(text, ("citations", 1, "source")) == 16
    assert field_line(text, ("citations", 2, "source")) is None
    assert field_line(text, ("place",)) is None
    assert field_line("title = ", ("title",)) is None  # does not read


def test_each_link_of_the_detail_that_is_in_the_file_has_its_field():
    from whomet.app.detail import describe
    from whomet.index import Index
    from whomet.store import load

    index = Index(load(BUNDLED).records)
    record = index.get(MEETING)
    _body, links = describe(index, record)
    fields = [link_field(record, links, number) for number in range(len(links))]
    assert fields[:2] == [("participants", 0, "who"), ("participants", 1, "who")]
    # A source cited twice is one link: the first citation's.
    assert ("citations", 0, "source") in fields and ("citations", 0, "original") in fields
    assert ("citations", 1, "source") in fields
    assert all(field is None for link, field in zip(links, fields) if link.relation.startswith("←"))


# The template


@pytest.mark.parametrize("kind", list(model.KINDS))
def test_the_template_has_every_field_of_the_kind_and_is_no_record_until_filled_in(kind):
    text = template(kind, f"new-{kind}")
    kind_model = model.KINDS[kind]
    written = set(re.findall(r"(?m)^(?:# )?(\w+) = ", text))
    for name, info in kind_model.model_fields.items():
        if name == "id":
            continue
        if f"# [[{name}]]" in text:  # a list of tables: its entry's own fields
            (entry,) = [arg for arg in info.annotation.__args__]
            assert set(entry.model_fields) <= written, (name, set(entry.model_fields) - written)
        else:
            assert name in written, name
    # What is not commented out is what is required, each empty.
    table = tomllib.loads(text)
    required = {name for name, info in kind_model.model_fields.items() if info.is_required() and name != "id"}
    assert set(table) == required
    with pytest.raises(model.ValidationError):
        kind_model.model_validate({**table, "id": f"new-{kind}"})
    # Every line commented out reads when its "# " is taken away: entries come last.
    uncommented = re.sub(r"(?m)^# (?=\[\[|\w+ = )", "", text)
    tomllib.loads(uncommented)


def test_a_filled_template_is_a_record():
    text = template("statement", "new-statement")
    text = text.replace('speaker = ""', 'speaker = "jeff-sessions"').replace('date = ""', 'date = "2017-01-10"')
    text = text.replace('quote = ""', 'quote = "I did not have communications with the Russians."')
    text = text.replace("# under_oath = false", "under_oath = true")
    statement = model.Statement.model_validate({**tomllib.loads(text), "id": "new-statement"})
    assert statement.under_oath and statement.speaker == "jeff-sessions"
