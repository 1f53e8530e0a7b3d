"""The whomet app: the browser screen over one casefile, the keys that work everywhere, and what
is kept when it stops on an error."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from ..store import EarlyLook, cache_path
from .browser import BrowserScreen
from .commands import RecordCommands
from .keymap import load_keymap
from .keys import bindings, system_commands
from .session import CasefileSession


class WhometApp(App[None]):
    """Browse a casefile: who met whom, and what they said about it."""

    CSS_PATH = Path(__file__).with_name("whomet.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "whomet"
    COMMANDS = App.COMMANDS | {RecordCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS = bindings("app")

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
        self._signals_handled: list[int] = []
        self._stopping_from_outside = False
        self.keymap, self.keymap_problems = load_keymap()
        """The user's keys by binding id (``keymap.toml``), and what is wrong with that file."""
        if self.keymap:  # Textual re-reads every binding on a keymap set: only when there is one
            self.set_keymap(self.keymap)

    def on_mount(self) -> None:
        for problem in self.keymap_problems:
            self.notify(problem, severity="warning", timeout=10, markup=False)
        self._keep_forms_when_stopped_from_outside()

    def _keep_forms_when_stopped_from_outside(self) -> None:
        """A terminal closed under whomet sends it SIGHUP, a shutdown SIGTERM: either would end it
        at once, and what was typed into open forms with it. They are kept first, as at an error."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for number in (getattr(signal, "SIGHUP", None), signal.SIGTERM):
            # One the user chose to ignore (nohup, trap '' HUP) stays ignored.
            if number is None or signal.getsignal(number) is signal.SIG_IGN:
                continue
            try:
                loop.add_signal_handler(number, self._stopped_from_outside)
            except (NotImplementedError, RuntimeError, ValueError):  # no signals here (Windows, a thread)
                return
            self._signals_handled.append(number)

    def on_unmount(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        for number in self._signals_handled:
            loop.remove_signal_handler(number)
        self._signals_handled.clear()

    def _stopped_from_outside(self) -> None:
        # A closed terminal may send SIGHUP twice (the shell, then the kernel): the forms once.
        if self._stopping_from_outside:
            return
        self._stopping_from_outside = True
        self._keep_open_forms()
        self.exit(return_code=1)

    def _keep_open_forms(self) -> None:
        from .forms import RecordForm

        for screen in self.screen_stack:
            if isinstance(screen, RecordForm) and (kept := screen.keep(self.folder)) is not None:
                self.kept_forms.append(kept)

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

    def derived_shown(self) -> None:
        """Called once what a cold launch derives after the lists (flags, the problems between
        records, the full-text index) is on screen; benchmarks hook it."""

    def _handle_exception(self, error: Exception) -> None:
        """Keep what was typed into open forms and the traceback, then stop as Textual does."""
        from .recovery import log_crash

        try:
            self.crash_log = log_crash(error)
            self._keep_open_forms()
        except Exception:  # keeping must never hide the error itself
            pass
        super()._handle_exception(error)

    def action_help(self) -> None:
        """Every key, over whichever screen is shown (the chronology's filter words included)."""
        from .keys import help_rows
        from .screens import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_rows(self.keymap)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # A screen's own commands first (the chronology's filters): they are about what is shown.
        own = getattr(screen, "commands", None)
        if callable(own):
            yield from own()
        browser = self.browser
        yield from system_commands(browser, self.keymap)
        from .exporting import EXPORTS, export_casefile

        for format, (name, _) in EXPORTS.items():
            yield SystemCommand(f"Export to {name}", f"Write the whole casefile as {name}",
                                lambda format=format: export_casefile(browser, format))
        if browser.party is not None:
            party = browser.party
            yield SystemCommand("Export this timeline to Markdown",
                                "A chronology of the selected person, with quotes and numbered sources",
                                lambda: export_casefile(browser, "markdown", party))
