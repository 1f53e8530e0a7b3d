"""Which editor runs a record's file, and how it is told the line to open at.

``$VISUAL``, else ``$EDITOR``, else the editor chosen with Debian's ``select-editor``, else the
first of a few common ones found on the PATH; each is given the line the way it takes one
(``+LINE FILE``, ``--goto FILE:LINE``, ``FILE:LINE``, ``--line LINE FILE``) and, when it is a
window editor, told to wait until the file is closed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path


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
