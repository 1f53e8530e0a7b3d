"""Records edited in the reader's own text editor.

``E`` opens the file of the record in detail in ``$VISUAL`` or ``$EDITOR`` at the line of the field
in focus; ``A`` writes a new record's file from a commented template of its kind and opens that.
The app is suspended while the editor runs; when it closes, the file is read again, the panels
follow, and what is wrong with the file is shown at once, by line, with a key to edit it again.

Nothing here writes over a file: the editor writes the reader's own words, a template is only
ever made as a new file, and a file is only ever removed when it still holds exactly the template
it was made with (or nothing at all).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import textwrap
import types
import typing
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Union

from rich.text import Text
from textual.app import SuspendNotSupported
from textual.binding import Binding
from textual.widgets import OptionList

from ..model.kinds import FOLDER_OF
from ..store import Problem
from .screens import ChoiceScreen, ConfirmScreen, ProblemsScreen
from .text import one_line, visible

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

    from ..model import Record
    from .browser import BrowserScreen
    from .session import CasefileSession


# Which editor, and how it is told the line

PLUS_LINE = frozenset({
    "vi", "vim", "nvim", "view", "vimx", "gvim", "mvim", "nvi", "elvis", "ex", "nano", "rnano", "pico",
    "emacs", "emacsclient", "micro", "kak", "joe", "jmacs", "jstar", "jpico", "rjoe", "ne", "vis", "mg",
    "mcedit", "gedit",
})
"""Editors that take ``+LINE FILE``."""

GOTO = frozenset({"code", "code-insiders", "codium", "vscodium", "cursor", "windsurf"})
"""Editors that take ``--goto FILE:LINE`` (Visual Studio Code and its kin)."""

COLON = frozenset({"hx", "helix", "subl", "sublime_text", "zed", "zeditor"})
"""Editors that take ``FILE:LINE``."""

LINE_OPTION = frozenset({"kate", "mate"})
"""Editors that take ``--line LINE FILE`` (``-l``)."""

WAIT: dict[str, tuple[str, ...]] = {
    **{name: ("--wait", "-w") for name in ("code", "code-insiders", "codium", "vscodium", "cursor", "windsurf",
                                           "subl", "sublime_text", "zed", "zeditor", "gedit", "mate")},
    "gvim": ("-f", "--nofork"), "mvim": ("-f", "--nofork"), "kate": ("--block", "-b"),
}
"""Window editors that return at once unless asked to wait until the file is closed: the first
flag is added when none of them is given, so that the file is read again once it is edited."""

FALLBACKS = ("editor", "nano", "vi")
"""Tried in turn when neither $VISUAL nor $EDITOR names an editor, after the choice recorded by
Debian's ``select-editor`` (``~/.selected_editor``, which ``sensible-editor`` follows: run
directly, so that no menu is asked and the editor's name is known)."""


def _names(program: str, which: Callable[[str], str | None]) -> list[str]:
    """The names ``program`` goes by, as typed and as the file it leads to (``editor`` →
    ``vim.basic`` → ``vim``), without a version or an extension."""
    found = which(program) or program
    names = []
    for name in (Path(program).name, Path(os.path.realpath(found)).name):
        name = re.sub(r"(-[\d.]+)?(\.exe)?$", "", name.lower()).split(".")[0]
        if name and name not in names:
            names.append(name)
    return names


@dataclass(frozen=True, slots=True)
class Editor:
    """An editor to run: its command (split as a shell would) and what the reader is told."""

    argv: tuple[str, ...]
    told: str
    """The editor as the reader is told of it: ``vim ($EDITOR)``."""
    chosen_for_you: bool = False
    """Whether it was chosen because neither $VISUAL nor $EDITOR names one that can be run."""
    passed_over: tuple[str, ...] = ()
    """What $VISUAL or $EDITOR named that could not be found."""
    names: tuple[str, ...] = ()
    """The names its program goes by (see :func:`_names`), which tell how it takes a line."""

    def command(self, path: Path, line: int) -> list[str]:
        """The command that opens ``path`` at ``line`` (at its start when the editor takes no line)."""
        argv = list(self.argv)
        style = next((name for name in self.names if name in PLUS_LINE | GOTO | COLON | LINE_OPTION
                      or name in WAIT), None)
        if style in WAIT and not any(flag in argv for flag in WAIT[style]):
            argv.append(WAIT[style][0])
        if style in PLUS_LINE:
            return [*argv, f"+{line}", str(path)]
        if style in GOTO:
            return [*argv, "--goto", f"{path}:{line}"]
        if style in COLON:
            return [*argv, f"{path}:{line}"]
        if style in LINE_OPTION:
            return [*argv, "--line" if style == "kate" else "-l", str(line), str(path)]
        return [*argv, str(path)]

    def said(self) -> str:
        """What the reader is told of the editor after it closed, when it was not theirs to choose."""
        if not self.chosen_for_you and not self.passed_over:
            return ""
        said = " ".join(f"{passed} was not found." for passed in self.passed_over)
        if self.chosen_for_you:
            nothing = "Neither $VISUAL nor $EDITOR names an editor that can be run" if self.passed_over \
                else "No $VISUAL or $EDITOR is set"
            said += f" {nothing}: used {self.told}. Set EDITOR to choose (EDITOR=\"code --wait\" works too)."
        return said.strip()


def find_editor(environ: Mapping[str, str] | None = None, which: Callable[[str], str | None] = shutil.which,
                home: Path | None = None) -> Editor | None:
    """The editor to run: ``$VISUAL``, else ``$EDITOR``, else the first of the fallbacks found on
    the PATH (None when there is none)."""
    environ = os.environ if environ is None else environ
    passed_over: list[str] = []
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if not value:
            continue
        try:
            argv = shlex.split(value)
        except ValueError:
            passed_over.append(f"${variable} ({value})")
            continue
        if argv and which(argv[0]) is not None:
            names = _names(argv[0], which)
            return Editor(tuple(argv), f"{names[0]} (${variable})", passed_over=tuple(passed_over),
                          names=tuple(names))
        passed_over.append(f"${variable} ({value})")
    for program, why in _fallbacks(home if home is not None else Path.home()):
        try:
            argv = shlex.split(program)
        except ValueError:
            continue
        if argv and which(argv[0]) is not None:
            names = _names(argv[0], which)
            told = names[-1] if names[-1] == Path(argv[0]).name else f"{names[-1]} ({argv[0]})"  # vim (editor)
            return Editor(tuple(argv), f"{told}{why}", chosen_for_you=True, passed_over=tuple(passed_over),
                          names=tuple(names))
    return None


def _fallbacks(home: Path) -> Iterator[tuple[str, str]]:
    try:
        chosen = (home / ".selected_editor").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        chosen = ""
    found = re.search(r"""^\s*SELECTED_EDITOR=["']?([^"'\n]+)""", chosen, re.MULTILINE)
    if found:
        yield found.group(1).strip(), ", as chosen in ~/.selected_editor"
    for program in FALLBACKS:
        yield program, ""


# The line of a field

RELATION_KEYS: dict[str, str] = {
    "participant": "who", "speaker": "speaker", "asked by": "asked_by", "source": "source",
    "original": "original", "part of": "parent", "role": "organization",
    **{stance: "meeting" for stance in ("denies", "confirms", "amends", "mentions")},
}
"""The key a link of the detail panel is written under in the record's own file, by its relation
(see ``detail.describe``); links not listed (what names the record, the statements about a
meeting) are not in its file."""


def link_field(record: Record, links: Sequence[Any], number: int) -> tuple[str | int, ...] | None:
    """Where, in ``record``'s file, the ``number``-th link of its detail is written, such as
    ``("participants", 2, "who")``; None when that link is not written there."""
    if not 0 <= number < len(links):
        return None
    link = links[number]
    key = RELATION_KEYS.get(link.relation)
    if key is None:
        return None
    same = sum(1 for other in links[:number] if (other.relation, other.target) == (link.relation, link.target))
    paths = [path for path, target, _kinds in record.references()
             if target == link.target and path.rsplit(".", 1)[-1] == key]
    if not paths:
        return None
    path = paths[same] if same < len(paths) else paths[0]
    return tuple(int(part) if part.isdigit() else part for part in path.split("."))


def field_line(text: str, loc: Sequence[str | int]) -> int | None:
    """The line (from 1) at which the value at ``loc`` starts in the TOML ``text``, wherever and
    however it is written: a key at the top, in an ``[[array]]`` entry, in an inline table. None
    when the text does not read or holds no such value.

    The value is replaced by a mark in the text as tomlkit keeps it (every other byte as it was),
    and the mark's line is the value's."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    if not loc:
        return None
    mark = f"whomet-line-{uuid.uuid4().hex}"
    try:
        document: Any = tomlkit.parse(text)
        holder = document
        for part in loc[:-1]:
            holder = holder[part]
        if loc[-1] not in (range(len(holder)) if isinstance(loc[-1], int) else holder):
            return None
        holder[loc[-1]] = mark
        marked = tomlkit.dumps(document)
    except (TOMLKitError, KeyError, IndexError, TypeError, ValueError, RecursionError):
        return None
    at = marked.find(mark)
    return marked.count("\n", 0, at) + 1 if at >= 0 else None


def focused_field(browser: BrowserScreen, record: Record) -> tuple[str | int, ...] | None:
    """The field of ``record`` the reader is on: the link highlighted in the detail's links,
    when the focus is there."""
    if browser.focused_panel() != "links":
        return None
    source = browser.source
    if source.drawn is None or source.drawn[0] != record.id:
        return None
    number = source.link_list.highlighted
    return link_field(record, source.links, number) if number is not None else None


# A new record's template, made from the model so that it has every field there is

HINTS: dict[str, str] = {
    "person.name": "the name the person is best known by",
    "organization.name": "the organization's name",
    "aliases": 'other names, such as ["Jefferson Beauregard Sessions III"]',
    "organization.aliases": 'other names, such as ["FBI"]',
    "source.summary": "what the source says, in a few sentences",
    "summary": "who or what this is, in a few sentences",
    "meeting.summary": "what the sources say happened",
    "statement.summary": "the context of the words",
    "nationality": 'such as "American"',
    "roles": "each position the person held",
    "role.title": "the position",
    "role.organization": "the id of the organization",
    "role.start": "a date, as above",
    "role.end": "a date, as above",
    "role.sources": 'the ids of the sources that give it, such as ["atlantic-why-did-sessions-meet-kislyak"]',
    "organization.type": "what kind of organization",
    "country": 'such as "United States"',
    "parent": "the id of the organization it belongs to",
    "meeting.title": "what happened, in one line",
    "date": "when, as a date (see above)",
    "date_text": 'the source\'s own words for the date, such as "in September"',
    "place": "where",
    "meeting.type": '"event" for something that happened but was not a meeting, "series" for several',
    "status": "how sure the sources are that it happened",
    "participants": "each person or organization taking part",
    "participant.who": "the id of a person or organization",
    "participant.capacity": 'the capacity claimed or reported, such as "as senator"',
    "citations": "each source this comes from, with its words that support it (a meeting or statement "
                 "that cites none is reported)",
    "citation.source": "the id of the source",
    "citation.excerpt": "the source's words that support it, verbatim",
    "citation.original": "the id of the earlier report the source relays, if it does",
    "speaker": "the id of the person or organization who said it",
    "setting": "where it was said",
    "occasion": 'such as "Senate confirmation hearing"',
    "under_oath": "true or false",
    "quote": 'the words, verbatim; several lines go between """ and """',
    "question": "the question it answered, if any",
    "asked_by": "the id of the person or organization who asked",
    "about": "each meeting the statement speaks of",
    "about.meeting": "the id of the meeting",
    "about.stance": "what the statement says of it",
    "source.title": "the title, as published",
    "publisher": 'such as "The Atlantic"',
    "authors": 'such as ["Julia Ioffe"]',
    "published": "when it was published, as a date (see above)",
    "url": "the address it was read at (o opens it)",
    "source.type": "what kind of source",
}
"""What to write in each field, by ``kind.field`` or ``field``; the allowed choices, what is
required and the defaults come from the model itself."""

ENTRY_NAMES = {"roles": "role", "participants": "participant", "citations": "citation", "about": "about"}

MODEL_NOTES = {"person": "a person", "organization": "an organization", "meeting": "a meeting",
               "statement": "a statement", "source": "a source"}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` and ``Annotated``, and whether it allowed None."""
    optional = False
    if typing.get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional


def _entry_model(annotation: Any) -> type[BaseModel] | None:
    """The model of the entries of a list of tables (``list[Participant]``), else None."""
    from pydantic import BaseModel

    annotation, _ = _unwrap(annotation)
    if typing.get_origin(annotation) is not list:
        return None
    (inner,) = typing.get_args(annotation)
    inner, _ = _unwrap(inner)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _placeholder(annotation: Any, default: Any, required: bool) -> str:
    """The value a field is written with in the template: its default, or empty."""
    import json

    annotation, _ = _unwrap(annotation)
    if annotation is bool:
        return "true" if default is True else "false"
    if typing.get_origin(annotation) is list:
        return "[]"
    if not required and isinstance(default, str):
        return json.dumps(default, ensure_ascii=False)
    return '""'


def _what(scope: str, name: str, annotation: Any, required: bool, default: Any) -> str:
    from ..model import FuzzyDate
    from ..model.records import REFERENCE_KINDS

    parts = ["required" if required else "optional"]
    hint = HINTS.get(f"{scope}.{name}") or HINTS.get(name)
    bare, _ = _unwrap(annotation)
    if hint:
        parts.append(hint)
    elif bare is FuzzyDate:
        parts.append("a date, as above")
    elif name in REFERENCE_KINDS:
        parts.append(f"the id of a {' or '.join(REFERENCE_KINDS[name])}")
    if typing.get_origin(bare) is Literal:
        choices = ", ".join(str(choice) for choice in typing.get_args(bare))
        parts.append(f"one of: {choices}" + (f" ({default} when left out)" if isinstance(default, str) else ""))
    return " · ".join(parts)


def _comment(text: str, width: int = 98) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent="# ", subsequent_indent="#   ",
                         break_long_words=False, break_on_hyphens=False)


def _default(info: FieldInfo) -> Any:
    """A field's default as a record gets it (a list field's, a new empty list)."""
    return info.get_default(call_default_factory=True)


def _entry_lines(scope: str, name: str, entry: type[BaseModel]) -> list[str]:
    """A commented-out ``[[name]]`` entry with each of its keys, what to write after each."""
    lines = [f"# [[{name}]]"]
    fields = [(key, info) for key, info in entry.model_fields.items() if key != "id"]
    written = [f"{key} = {_placeholder(info.annotation, _default(info), info.is_required())}" for key, info in fields]
    column = max(len(text) for text in written) + 2
    for text, (key, info) in zip(written, fields):
        what = _what(scope, key, info.annotation, info.is_required(), _default(info))
        lines.append(f"# {text.ljust(column)}# {what}")
    return lines


def template(kind: str, record_id: str) -> str:
    """The text of a new ``kind`` record's file: every field of the kind's model, the required
    ones written with an empty value (the file is no record until they are filled in), the
    optional ones commented out, each with what to write; lists of tables as commented-out
    entries, last (a table's header takes every key after it)."""
    from ..model import KINDS

    model = KINDS[kind]
    relative = f"{FOLDER_OF[kind]}/{record_id}.toml"
    lines = [
        *_comment(f"A new {kind}: this file, {relative}, is the record with the id \"{record_id}\" (the "
                  "file's name). Left as it is, it is removed again when the editor closes."),
        *_comment("Fill in the required fields; to use an optional one, remove the \"# \" before it. Once "
                  f"the record reads, whomet renames the file from its {_named_from(kind)}, as the form "
                  "proposes ids."),
        "#",
        *_comment('Text goes between double quotes; several lines between """ and """.'),
        *_comment('Dates are EDTF text: "2016", "2016-09", "2016-09-08"; an interval "2016-04-16/2016-04-30"; '
                  'approximate "2016-04~", uncertain "2016-04-27?", both "2016-04%".'),
        *_comment('Ids are lower-case letters, digits and single hyphens: another record is named by its '
                  'file\'s name without .toml, such as "jeff-sessions". Every field: docs/CASEFILE.md.'),
    ]
    entries: list[str] = []
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        entry = _entry_model(info.annotation)
        if entry is not None:
            noun = ENTRY_NAMES.get(name, name)
            entries += ["", *_comment(f"optional · {HINTS.get(name, name)}. One [[{name}]] entry for each: "
                                      "remove the \"# \" before its lines; copy them for another")]
            entries += _entry_lines(noun, name, entry)
            continue
        required = info.is_required()
        default = _default(info)
        line = f"{name} = {_placeholder(info.annotation, default, required)}"
        lines += ["", *_comment(_what(kind, name, info.annotation, required, default)),
                  line if required else f"# {line}"]
    return "\n".join([*lines, *entries, ""])


def _named_from(kind: str) -> str:
    return {"person": "name", "organization": "name", "source": "title", "meeting": "date and title",
            "statement": "date, speaker and words"}[kind]


def free_id(session: CasefileSession, kind: str) -> str:
    """``new-KIND``, or ``new-KIND-2``, ``-3``…: the first that no record or file has."""
    candidate, number = f"new-{kind}", 2
    while session.id_taken(candidate):
        candidate = f"new-{kind}-{number}"
        number += 1
    return candidate


# Running the editor

def run_editor(app: Any, argv: Sequence[str], cwd: Path) -> int | str:
    """Run ``argv`` with the app suspended (or, where it cannot be, as it is): the editor's exit
    status, or why it could not be started."""

    def run() -> int | str:
        try:
            return subprocess.run(list(argv), cwd=cwd, check=False).returncode
        except OSError as error:
            return f"{argv[0]}: {error.strerror or error}"

    try:
        with app.suspend():
            return run()
    except SuspendNotSupported:
        return run()


class EditedProblemsScreen(ProblemsScreen):
    """The problems of the file just edited: ``e`` (or ``enter`` on one) opens the editor again at
    a problem's line, ``escape`` leaves the file as it is, ``d`` removes a new record's file."""

    BINDINGS = [
        Binding("e", "again", "Edit again"),
        Binding("d", "discard", "Discard the file"),
    ]

    def __init__(self, problems: list[Problem], base: Path, where: str, *, new: bool) -> None:
        super().__init__(problems, base)
        self._where = where
        self._new = new
        self.choice: tuple[str, int | None] | None = None
        """What the reader chose: ("again", the line to open at) or ("discard", None); None to
        leave the file as it is."""

    def on_mount(self) -> None:
        errors = sum(p.severity == "error" for p in self._problems)
        warnings = len(self._problems) - errors
        dialog = self.query_one("#problems-dialog")
        counts = [f"{count} {noun}{'s' * (count != 1)}" for count, noun in ((errors, "error"), (warnings, "warning"))
                  if count]
        dialog.border_title = Text(f"{visible(self._where)}: {', '.join(counts)}")
        keys = "e or enter: edit again at the problem · esc: leave the file as it is"
        dialog.border_subtitle = keys + (" · d: discard the file" if self._new else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._new if action == "discard" else True

    def _line(self) -> int | None:
        options = self.query(OptionList)
        if not options:
            return None
        highlighted = options.first().highlighted
        problem = self._problems[highlighted] if highlighted is not None else self._problems[0]
        return problem.line

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choice = ("again", self._problems[event.option_index].line)
        self.dismiss(None)

    def action_again(self) -> None:
        self.choice = ("again", self._line())
        self.dismiss(None)

    def action_discard(self) -> None:
        if self._new:
            self.choice = ("discard", None)
            self.dismiss(None)


@dataclass
class EditorRun:
    """One record's file in the editor, and what is done when the editor closes."""

    browser: BrowserScreen
    editor: Editor
    path: Path
    kind: str
    new: bool = False
    """Whether the file was made from ``made`` for a new record."""
    made: bytes = b""
    """The template a new record's file was made with."""
    placeholder: str = ""
    """The id a new record's file was made under, until it is named from the record."""

    @property
    def app(self) -> Any:
        return self.browser.app

    @property
    def session(self) -> CasefileSession:
        return self.browser.session

    @property
    def where(self) -> str:
        try:
            return str(self.path.relative_to(self.session.folder))
        except ValueError:
            return str(self.path)

    def _notify(self, message: str, severity: str = "information", timeout: float = 6) -> None:
        self.app.notify(message, severity=severity, timeout=timeout, markup=False)

    def _said(self, message: str) -> str:
        told = self.editor.said()
        return f"{message} {told}" if told else message

    def start(self, line: int = 1) -> None:
        """Open the editor at ``line``; what was written is taken in when it closes."""
        try:
            before: bytes | None = self.path.read_bytes()
        except OSError:
            before = None
        status = run_editor(self.app, self.editor.command(self.path, max(line, 1)), self.session.folder)
        if isinstance(status, str):
            self._notify(self._said(f"The editor could not be started: {status}"), "error", 10)
            if self.new:
                self._discard_if_untouched(quiet=True)
            return
        self.closed(before, status)

    def closed(self, before: bytes | None, status: int) -> None:
        exited = f" (the editor exited with status {status})" if status else ""
        try:
            now: bytes | None = self.path.read_bytes()
        except FileNotFoundError:
            now = None
        except OSError as error:
            self._notify(self._said(f"{self.where} cannot be read again: {error.strerror or error}{exited}"),
                         "error", 10)
            return
        if now is None:
            self.session.reload()
            what = "Nothing made" if self.new else f"{self.where} is gone"
            self._notify(self._said(f"{what}: the file was removed or moved in the editor{exited}."), "warning", 8)
            return
        if self.new:
            self.new_closed(now, exited)
            return
        if now == before:
            remain = len(self._problems())
            still = f" {remain} problem{'s remain' if remain != 1 else ' remains'} in it: p lists them." if remain else ""
            self._notify(self._said(f"No change to {self.where}{exited}.{still}"), timeout=5)
            return
        record_id = self.path.stem
        shown_before = self.browser.current_record()
        self.session.reload()
        problems = self._problems()
        record = self.session.get(record_id)
        if record is not None and (shown_before is None or shown_before.id != record_id):
            self.browser.go_to_record(record_id)  # back in the casefile: shown again
        self._told(problems, f"Read {self.where} again{exited}.")

    def new_closed(self, now: bytes, exited: str) -> None:
        if not now.strip() or now == self.made:
            self._discard_if_untouched()
            return
        from ..model import KINDS
        from ..store import read_record

        found: list[Problem] = []
        record, _stamp = read_record(self.path, KINDS[self.kind], found)
        if record is not None and self.placeholder and self.path.stem == self.placeholder:
            self._name_from(record)
        self.session.reload()
        problems = self._problems()
        record_id = self.path.stem
        if self.session.get(record_id) is not None:
            self.browser.go_to_record(record_id)
            label = one_line(self.session.label(record_id) or record_id)
            self._told(problems, f"Made {self.where}: {label}{exited}.")
        else:
            self._told(problems, f"Kept {self.where}: it is not a record yet{exited}.")

    def _name_from(self, record: Record) -> None:
        """Give a new record's file the id the form would, never over another file."""
        wanted = self.session.proposed_id(record.kind, record.field_values())
        if not wanted or wanted == self.path.stem:
            return
        target = self.path.with_name(f"{wanted}.toml")
        try:
            os.link(self.path, target)  # fails if the name is taken meanwhile: nothing is overwritten
        except FileExistsError:
            return
        except OSError:  # no hard links here: a copy made only as a new file
            try:
                data = self.path.read_bytes()
                with open(target, "xb") as copy:
                    copy.write(data)
                    copy.flush()
                    os.fsync(copy.fileno())
            except OSError:
                return
        try:
            os.unlink(self.path)
        except OSError:
            return
        self.path = target

    def _discard_if_untouched(self, *, quiet: bool = False) -> None:
        """Remove a new record's file that holds nothing but its template, or nothing at all."""
        try:
            now = self.path.read_bytes()
        except OSError:
            now = None
        if now is not None and (now == self.made or not now.strip()):
            try:
                os.unlink(self.path)
            except OSError as error:
                self._notify(f"{self.where} could not be removed: {error.strerror or error}", "warning", 8)
                return
        self.session.reload()
        if not quiet:
            self._notify(self._said(f"Nothing made: the template was left as it was, so {self.where} "
                                    "was removed again."), timeout=6)

    def _problems(self) -> list[Problem]:
        casefile = self.session.casefile
        if casefile is None:
            return []
        here = os.path.abspath(self.path)
        return [problem for problem in casefile.problems if os.path.abspath(problem.path) == here]

    def _told(self, problems: list[Problem], done: str) -> None:
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:
            self._show_problems(problems)
            first = errors[0]
            self._notify(self._said(f"{first.location(self.session.folder)}: {first.message}"), "error", 10)
        elif problems:
            first = problems[0]
            more = f" (and {len(problems) - 1} more: p lists them)" if len(problems) > 1 else ""
            self._notify(self._said(f"{done} {first.location(self.session.folder)}: warning: "
                                    f"{first.message}{more}"), "warning", 10)
        else:
            self._notify(self._said(done), timeout=4)

    def _show_problems(self, problems: list[Problem]) -> None:
        screen = EditedProblemsScreen(problems, self.session.folder, self.where, new=self.new)
        self.app.push_screen(screen, lambda _: self._chosen(screen.choice))

    def _chosen(self, choice: tuple[str, int | None] | None) -> None:
        if choice is None:
            return
        what, line = choice
        if what == "again":
            self.start(line or 1)
        elif what == "discard":
            self.app.push_screen(
                ConfirmScreen("Discard this file?", Text(f"{visible(self.where)} is removed, with what you wrote "
                                                         "in it."), "Discard"),
                lambda yes: self._discard() if yes else None)

    def _discard(self) -> None:
        try:
            os.unlink(self.path)
        except OSError as error:
            self._notify(f"{self.where} could not be removed: {error.strerror or error}", "error", 8)
            return
        self.session.reload()
        self._notify(f"Discarded {self.where}.", timeout=4)


def _editor_or_say(browser: BrowserScreen) -> Editor | None:
    editor = find_editor()
    if editor is None:
        browser.app.notify("No editor found: set $EDITOR (or $VISUAL) to the command of your editor, "
                           "such as EDITOR=nano or EDITOR=\"code --wait\".", severity="error", timeout=10,
                           markup=False)
    return editor


def open_in_editor(browser: BrowserScreen) -> None:
    """Open the record in detail in the reader's editor, at the line of the field in focus."""
    session = browser.session
    if session.casefile is None or session.index is None:
        browser.app.notify("The casefile is still loading.", timeout=3)
        return
    record = browser.current_record()
    if record is None:
        browser.app.notify("Select a record to open in the editor.", timeout=3)
        return
    path = session.casefile.path_of(record.id)
    if path is None:
        browser.app.notify(f"{visible(record.id)} has no file in the casefile.", severity="error", timeout=6,
                           markup=False)
        return
    editor = _editor_or_say(browser)
    if editor is None:
        return
    line = 1
    loc = focused_field(browser, record)
    if loc is not None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = ""
        line = field_line(text, loc) or 1
    EditorRun(browser, editor, path, record.kind).start(line)


def new_in_editor(browser: BrowserScreen) -> None:
    """Ask which kind of record to make, then make its file from a template and open that."""
    if browser.session.index is None:
        browser.app.notify("The casefile is still loading.", timeout=3)
        return
    choices = [(kind, Text(f"{kind}", style="bold")) for kind in FOLDER_OF]
    browser.app.push_screen(ChoiceScreen("New record in the editor: which kind?", choices),
                            lambda kind: make_in_editor(browser, kind) if kind else None)


def make_in_editor(browser: BrowserScreen, kind: str) -> None:
    """Write a new ``kind`` record's template under a free id, never over a file, and open it."""
    session = browser.session
    editor = _editor_or_say(browser)
    if editor is None or kind not in FOLDER_OF:
        return
    folder = session.folder / FOLDER_OF[kind]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        browser.app.notify(f"Cannot make {FOLDER_OF[kind]}/: {error.strerror or error}", severity="error",
                           timeout=8, markup=False)
        return
    for _ in range(1000):
        record_id = free_id(session, kind)
        data = template(kind, record_id).encode("utf-8")
        path = folder / f"{record_id}.toml"
        try:
            with open(path, "xb") as made:  # only ever a new file
                made.write(data)
        except FileExistsError:
            continue  # made meanwhile, by someone else: the next free id
        except OSError as error:
            browser.app.notify(f"Cannot write {FOLDER_OF[kind]}/{record_id}.toml: {error.strerror or error}",
                               severity="error", timeout=8, markup=False)
            return
        line = next((number for number, text in enumerate(data.decode().split("\n"), start=1)
                     if text and not text.startswith("#")), 1)  # the first field to fill in
        EditorRun(browser, editor, path, kind, new=True, made=data, placeholder=record_id).start(line)
        return
