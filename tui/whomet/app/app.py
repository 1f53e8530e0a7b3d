"""The whomet app: the browser screen over one casefile, the keys that work everywhere, and what
is kept when it stops on an error."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from ..store.look import EarlyLook, cache_path
from .browser import BrowserScreen
from .commands import RecordCommands
from .exporting import EXPORTS, export_casefile
from .session import CasefileSession


class WhometApp(App[None]):
    """Browse a casefile: who met whom, and what they said about it."""

    CSS_PATH = Path(__file__).with_name("whomet.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "whomet"
    COMMANDS = App.COMMANDS | {RecordCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    HELP_KEYS: list[tuple[str, str, str]] = [
        ("tab / shift+tab", "anywhere", "move between panels"),
        ("↑ ↓ / j k", "a list", "move within the list"),
        ("/", "people, timeline", "filter the list (fuzzy on names and aliases for people)"),
        ("escape", "filter", "clear the filter"),
        ("enter", "people", "show the person's timeline"),
        ("enter", "timeline", "show the item's detail and its links"),
        ("enter", "links", "follow the link"),
        ("backspace / alt+←", "anywhere", "go back"),
        ("alt+→", "anywhere", "go forward"),
        ("c", "statement or meeting", "jump to the meeting it contradicts / the statement that denies it"),
        ("o", "anywhere", "open the source's URL in the browser (http and https only)"),
        ("y", "anywhere", "copy the citation of the record in detail"),
        ("a", "anywhere", "add a record: pick its kind, fill in the form"),
        ("e", "anywhere", "edit the record in detail"),
        ("d", "anywhere", "delete the record in detail (refused while others link to it)"),
        ("ctrl+s", "form", "save the form"),
        ("escape", "form", "cancel the form (asks first if anything was typed)"),
        ("p", "anywhere", "show the casefile's problems"),
        ("ctrl+p", "anywhere", "command palette: go to any record by name or quote, every action"),
        ("? / f1", "anywhere", "this help"),
        ("q", "anywhere", "quit"),
    ]

    def __init__(self, folder: Path, *, early: EarlyLook | None = None) -> None:
        """``early``: a look at the casefile's files already under way (see ``whomet.store.look``)."""
        super().__init__()
        self.folder = Path(folder)
        self.session = CasefileSession(self.folder)
        self._early = early
        self.casefile_shown = False
        """Whether a load's records are on screen, the one in detail too."""
        self.crash_log: Path | None = None
        """Where the traceback went, when the app stopped on an error."""
        self.kept_forms: list[Path] = []
        """Where the forms open at an error were kept, to be offered back at the next launch."""

    def get_default_screen(self) -> Screen:
        # No cache yet: every file is read, with a progress bar from the first paint.
        return BrowserScreen(self.session, self._early, reads_all=not cache_path(self.folder).exists())

    @property
    def browser(self) -> BrowserScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    def lists_shown(self) -> None:
        """Called once a load's lists are on screen; benchmarks hook it to time launches."""

    def data_shown(self) -> None:
        """Called once a load's records are on screen, the one in detail too; benchmarks hook it."""

    def _handle_exception(self, error: Exception) -> None:
        """Keep what was typed into open forms and the traceback, then stop as Textual does."""
        from .forms import RecordForm
        from .recovery import log_crash

        try:
            self.crash_log = log_crash(error)
            for screen in self.screen_stack:
                if isinstance(screen, RecordForm) and (kept := screen.keep(self.folder)) is not None:
                    self.kept_forms.append(kept)
        except Exception:  # keeping must never hide the error itself
            pass
        super()._handle_exception(error)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        browser = self.browser
        yield SystemCommand("Back", "Go back to where you were (backspace)", browser.action_back)
        yield SystemCommand("Forward", "Go forward again (alt+right)", browser.action_forward)
        yield SystemCommand("Jump to contradiction",
                            "From a statement to the meeting it contradicts, or back (c)", browser.action_contradiction)
        yield SystemCommand("Open source URL", "Open the source's URL in the browser (o)", browser.action_open_url)
        yield SystemCommand("Copy citation", "Copy the citation of the record in detail (y)",
                            browser.action_copy_citation)
        yield SystemCommand("Add a record", "A new person, organization, meeting, statement or source (a)",
                            browser.action_add)
        yield SystemCommand("Edit this record", "Edit the record in detail (e)", browser.action_edit)
        yield SystemCommand("Delete this record", "Delete the record in detail (d)", browser.action_delete)
        yield SystemCommand("Reload the casefile", "Read every file again from disk", browser.reload_casefile)
        for format, (name, _) in EXPORTS.items():
            yield SystemCommand(f"Export to {name}", f"Write the whole casefile as {name}",
                                lambda format=format: export_casefile(browser, format))
        if browser.party is not None:
            party = browser.party
            yield SystemCommand("Export this timeline to Markdown",
                                "A chronology of the selected person, with quotes and numbered sources",
                                lambda: export_casefile(browser, "markdown", party))
        yield SystemCommand("Show problems", "The casefile's problems, by file and line (p)", browser.action_problems)
        yield SystemCommand("Help", "Every key (?)", browser.action_help)
        yield SystemCommand("Filter people", "Filter the people list (/)", browser.filter_people)
