"""The key table: the bindings, help and palette made from it agree; a user's keymap rebinds keys,
or says in words what is wrong with it; the key bar keeps where the reader is when it is short;
help wraps instead of cutting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Vertical
from textual.screen import Screen
from textual.widget import Widget

from helpers import screen_text
from whomet.app.keybar import KeyBar
from whomet.app.keymap import keymap_path, load_keymap
from whomet.app.keys import (
    BY_ID, KEYS, OTHER_KEYS, PLACES, bindings, help_rows, key_words, keys_for, palette_commands, system_commands,
)
from whomet.app.screens import HelpScreen

CSS = Path(__file__).parent.parent / "tui" / "whomet" / "app" / "whomet.tcss"


# the table


def test_every_id_is_unique_and_every_key_is_held_somewhere_known():
    ids = [key.id for key in KEYS]
    assert len(ids) == len(set(ids))
    assert all(key.where in PLACES for key in KEYS)
    with pytest.raises(ValueError, match="no such place"):
        bindings("nowhere")


def test_every_binding_is_in_help_and_in_the_palette_when_it_has_a_title():
    rows = help_rows()
    commands = {title: (help, action) for title, help, action in palette_commands()}
    generated = [binding for place in PLACES for binding in bindings(place)]
    assert {binding.id for binding in generated} == set(BY_ID)
    for binding in generated:
        key = BY_ID[binding.id]
        assert (binding.key, binding.action, binding.description) == (key.keys, key.action, key.title)
        shown = [row for row in rows if row.id == binding.id]
        assert shown and all(row.key == key_words(binding.key) for row in shown)
        assert [row.does for row in shown] == ([does for _where, does in key.rows] or [key.help])
        if key.palette is not None:
            help, action = commands[key.palette]
            assert help.startswith(key.help) and help.endswith(key_words(binding.key))
            assert action == key.command
    assert len(commands) == sum(key.palette is not None for key in KEYS)


def test_help_also_lists_the_keys_that_are_not_bindings_of_whomet():
    others = [row for row in help_rows() if row.id is None]
    assert len(others) == len(OTHER_KEYS)  # each after a key that is in the table
    assert help_rows()[0].key == "tab / shift+tab"
    shown = {row.key for row in help_rows()}
    for key in ("↓ / j", "↑ / k", "enter", "/", "escape", "backspace / alt+←", "? / f1", "ctrl+p", "ctrl+s"):
        assert key in shown


def test_help_and_the_palette_show_the_keys_of_the_keymap():
    keymap = {"help": "f2", "back": "ctrl+b,left"}
    rows = {row.id: row.key for row in help_rows(keymap)}
    assert rows["help"] == "f2" and rows["back"] == "ctrl+b / ←" and rows["quit"] == "q"
    commands = {title: help for title, help, _action in palette_commands(keymap)}
    assert commands["Help"].endswith("· f2") and commands["Back"].endswith("· ctrl+b / ←")
    assert keys_for("help", keymap) == "f2" and keys_for("quit", keymap) == "q"


def test_the_bindings_of_a_place_are_its_keys_in_order_with_their_ids():
    assert [binding.id for binding in bindings("form")] == ["save", "cancel", "form-reload"]
    save = bindings("form")[0]
    assert save.priority and save.key == "ctrl+s"
    assert [binding.id for binding in bindings("app")] == ["palette", "quit", "help"]


# the user's keymap


def test_a_keymap_is_read_from_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert keymap_path() == tmp_path / "whomet" / "keymap.toml"
    assert load_keymap() == ({}, [])  # no file: no keymap, nothing to say
    keymap_path().parent.mkdir()
    keymap_path().write_text('# mine\nhelp = "f2"\n"quit" = "ctrl+q"\nback = "?, ctrl+b"\n')
    assert load_keymap() == ({"help": "f2", "quit": "ctrl+q", "back": "question_mark,ctrl+b"}, [])
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert keymap_path() == Path.home() / ".config" / "whomet" / "keymap.toml"


@pytest.mark.parametrize(("text", "words"), [
    ('help = "f2"\nquit = \n', ["line 2", "not TOML", "the default keys are used"]),
    ('help = "f2"\n[quit\n', ["line 2", "not TOML"]),
    ('hlep = "f2"\n', ["line 1", "'hlep' is not the id of a key", "did you mean 'help'?", "the ids are: down, up"]),
    ('\nquit = 3\n', ["line 2", "the keys of 'quit' must be a string", 'quit = "q"']),
    ('[quit]\nkey = "x"\n', ["the keys of 'quit' must be a string"]),
    ('help = "  "\n', ["line 1", "'help' is given no key"]),
    ('help = "f2, ctrl+f99x, shft+x"\n', ["line 1", "'ctrl+f99x', 'shft+x' are no keys", "default keys of 'help'"]),
    ('help = "q"\n', ["q is the key of 'quit' and 'help' at once"]),
    ('back = "alt+left,tab"\n', ["tab moves to the next panel or field; given to 'back' as well"]),
    ('help = "ctrl+q"\n', ["ctrl+q quits whomet"]),
])
def test_a_broken_keymap_says_what_is_wrong_in_words(tmp_path: Path, text: str, words: list[str]):
    path = tmp_path / "keymap.toml"
    path.write_text(text)
    keymap, problems = load_keymap(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(str(path))
    for word in words:
        assert word in problems[0]
    assert keymap.get("help", "q") in ("q", "ctrl+q")  # a clash is said, and the key still given


def test_the_good_entries_of_a_keymap_are_kept_beside_the_wrong_ones(tmp_path: Path):
    path = tmp_path / "keymap.toml"
    path.write_text('help = "f2"\nnothing = "x"\nquit = ["q"]\nback = "ctrl+b"\n')
    keymap, problems = load_keymap(path)
    assert keymap == {"help": "f2", "back": "ctrl+b"}
    assert len(problems) == 2 and "line 2" in problems[0] and "line 3" in problems[1]


def test_a_keymap_that_cannot_be_read_is_no_keymap_and_one_problem(tmp_path: Path):
    folder = tmp_path / "keymap.toml"
    folder.mkdir()
    assert load_keymap(folder) == ({}, [f"{folder}: not read, it is not a plain file; the default keys are used"])
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b'help = "f2"\nquit = "\xff"\n')
    assert load_keymap(binary) == ({}, [f"{binary}, line 2: not UTF-8 text; the default keys are used"])
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (2 << 20))
    _keymap, problems = load_keymap(huge)
    assert "longer than" in problems[0]


def test_a_named_pipe_where_the_keymap_goes_is_never_opened(tmp_path: Path):
    pipe = tmp_path / "keymap.toml"
    os.mkfifo(pipe)
    keymap, problems = load_keymap(pipe)  # would wait for a writer for ever if opened
    assert keymap == {} and "not a plain file" in problems[0]


def test_a_keymap_without_permission_to_read_it_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "keymap.toml"
    path.write_text('help = "f2"\n')
    real_open = os.open

    def refused(file, *args, **kwargs):  # as for a user without the right to read it: root may
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)
    assert load_keymap(path) == ({}, [f"{path}: not read, Permission denied; the default keys are used"])


def test_a_keymap_with_a_byte_order_mark_is_read(tmp_path: Path):
    path = tmp_path / "keymap.toml"
    path.write_bytes(b'\xef\xbb\xbfhelp = "f2"\n')
    assert load_keymap(path) == ({"help": "f2"}, [])


def test_the_default_keys_clash_nowhere(tmp_path: Path):
    path = tmp_path / "keymap.toml"
    path.write_text("".join(f'{key.id} = "{key.keys}"\n' for key in KEYS))  # every key given its own
    assert load_keymap(path)[1] == []


# a minimal browser made from the table


class Records(Widget, can_focus=True):
    BINDINGS = bindings("records")
    DEFAULT_CSS = "Records { height: 3; }"

    def action_cursor_down(self) -> None:
        self.app.done.append("down")


class Lists(Vertical):
    BINDINGS = bindings("lists")
    DEFAULT_CSS = "Lists { height: auto; }"

    def compose(self) -> ComposeResult:
        yield Records()


class Quote(Widget, can_focus=True):
    """A panel with no keys of its own, as the source's text."""

    DEFAULT_CSS = "Quote { height: 3; }"


class Browser(Screen):
    BINDINGS = bindings("browser")

    def compose(self) -> ComposeResult:
        yield Lists()
        yield Quote()
        yield KeyBar()

    def action_back(self) -> None:
        self.app.done.append("back")


class KeysApp(App[None]):
    CSS_PATH = CSS
    BINDINGS = bindings("app")

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap or {}
        self.set_keymap(self.keymap)
        self.done: list[str] = []

    def get_default_screen(self) -> Screen:
        return Browser()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.done.append("help")
            self.push_screen(HelpScreen(help_rows(self.keymap)))

    def get_system_commands(self, screen: Screen):
        yield from system_commands(self.screen_stack[0], self.keymap)


def bar(app: App) -> str:
    return screen_text(app).splitlines()[-1]


async def test_a_keymap_file_rebinds_keys_by_id(tmp_path: Path):
    path = tmp_path / "keymap.toml"
    path.write_text('help = "f2"\nquit = "ctrl+q"\n')
    keymap, problems = load_keymap(path)
    assert problems == []
    app = KeysApp(keymap)
    async with app.run_test(size=(200, 24)) as pilot:
        await pilot.press("question_mark")
        assert app.done == [] and isinstance(app.screen, Browser)  # ? is help's no longer
        await pilot.press("f2")
        assert app.done == ["help"] and isinstance(app.screen, HelpScreen)
        seen = []
        for _ in range(6):  # help's own row, a page at a time
            seen += screen_text(app).splitlines()
            await pilot.press("pagedown")
        assert any("█ f2 " in line and "where it works" in line for line in seen)
        await pilot.press("f2")  # help's key closes help too
        assert isinstance(app.screen, Browser)
        assert "f2 Help" in bar(app) and "^q Quit" in bar(app) and " q Quit" not in bar(app)
        await pilot.press("q")
        assert app.is_running  # q no longer quits
        await pilot.press("ctrl+q")
    assert not app.is_running


async def test_the_palette_key_is_one_of_the_table_and_can_be_rebound():
    app = KeysApp({"palette": "ctrl+k"})
    async with app.run_test(size=(200, 24)) as pilot:
        assert bar(app).endswith("▏^k palette")
        await pilot.press("ctrl+k")
        assert type(app.screen).__name__ == "CommandPalette"


async def test_a_palette_command_runs_its_action_on_the_browser():
    app = KeysApp({"back": "ctrl+b"})
    async with app.run_test(size=(200, 24)) as pilot:
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        assert all(isinstance(command, SystemCommand) for command in commands.values())
        assert commands["Back"].help.endswith("· ctrl+b")
        await commands["Back"].callback()
        await commands["Help"].callback()
        await pilot.pause()
        assert app.done == ["back", "help"] and isinstance(app.screen, HelpScreen)


# the key bar


async def test_a_short_key_bar_shows_the_focused_panels_keys_first_and_help_for_the_rest():
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        line = bar(app)
        keys, palette = line.split("▏")
        assert keys.startswith(" ⏎ Open  / Filter  ⌫ Back") and keys.rstrip().endswith("p Problems  ? more")
        assert palette == "^p palette" and "? Help" not in line and " q Quit" not in line
        await pilot.press("tab")  # to the text, with no keys of its own
        line = bar(app)
        assert line.startswith(" ⌫ Back") and "/ Filter" not in line and "? more " in line
        await pilot.click(KeyBar, offset=(line.index("? more") + 1, 0))
        assert app.done == ["help"]


async def test_a_wide_key_bar_shows_every_key_and_no_more():
    app = KeysApp()
    async with app.run_test(size=(200, 24)):
        line = bar(app)
        assert "? Help" in line and " q Quit" in line and "more" not in line


async def test_the_short_key_bar_says_more_with_the_keymaps_key_for_help():
    app = KeysApp({"help": "f2"})
    async with app.run_test(size=(80, 24)):
        assert bar(app).split("▏")[0].rstrip().endswith("  f2 more")


# help


class HelpApp(App[None]):
    CSS_PATH = CSS

    def on_mount(self) -> None:
        self.push_screen(HelpScreen(help_rows()))


async def test_help_wraps_its_longest_lines_at_80_columns():
    app = HelpApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.query_one("#help-keys")
        region = view.content_region
        assert region.right < 80
        lines = []
        while True:  # every line of the table, scrolled through
            screen = screen_text(app).splitlines()
            lines.extend(line[region.x:region.right] for line in screen[region.y:region.bottom])
            if view.scroll_y >= view.max_scroll_y:
                break
            await pilot.press("pagedown")
        shown = " ".join(" ".join(line.split()) for line in lines)
        for row in help_rows():
            assert row.key in shown
            for word in row.does.split():
                assert word in shown  # wrapped, never cut
        assert view.virtual_size.height > len(help_rows()) + 1  # the header, and rows of two lines


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_help_snapshot(snap_compare, size):
    assert snap_compare(HelpApp(), terminal_size=size)
