"""The casefile's folder watched while the app runs: what an editor, ``git pull`` or a script
changes is taken in by itself, every panel following, the reader kept where they were.

One watch over the whole folder (watchfiles: inotify on Linux, one watch per folder, so a
casefile's half-dozen folders are far from any system limit, whatever its number of files), in
a thread started after the first paint. A burst of changes (a ``git pull`` of 10,000 files) is
one reading: the changes are gathered until 50 ms pass without one (1.6 s at most), then read
into the cache in another thread through a connection of its own, with the progress bar when
many files are read, while the screen still shows the cache as it was.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from ..index import CachedIndex
from ..store import CacheBusy, is_record_file, open_casefile
from .loading import paced

if TYPE_CHECKING:
    from ..store import CaseCache, RepositoryLog
    from .browser import BrowserScreen

MANY = 200
"""Files read at once beyond which the progress bar shows."""


class Watcher:
    """Watches ``browser``'s casefile and reads what changed into it."""

    def __init__(self, browser: BrowserScreen) -> None:
        self.browser = browser
        self.folder = browser.session.folder.resolve()
        self._stop = threading.Event()
        self._reading = False
        self._again = False
        self._log: RepositoryLog | None = None
        self._keeping_log = False
        self._log_again = False
        self._log_turn = threading.Lock()

    def start(self) -> None:
        self.browser.run_worker(self._watch, thread=True, group="watch", exclusive=True, exit_on_error=False)
        self.keep_history_log()

    def stop(self) -> None:
        self._stop.set()
        log = self._log
        if log is not None:
            log.cancel()

    def keep_history_log(self) -> None:
        """Bring the repository's log in the cache folder to HEAD, in the background at a low
        priority: a record's history is then one query (``store.repository_log``)."""
        with self._log_turn:
            if self._keeping_log:
                self._log_again = True
                return
            self._keeping_log = True
        self.browser.run_worker(self._keep_log, thread=True, group="history-log", exit_on_error=False)

    def _keep_log(self) -> None:
        from ..store import HistoryUnavailable, log_of

        try:
            log = self._log = log_of(self.folder)
            while log is not None and not self._stop.is_set():
                with self._log_turn:
                    self._log_again = False
                head = log.current_head()
                if head is not None:
                    log.update(head, gentle=True)
                with self._log_turn:  # asked again meanwhile: once more; else done, in one step
                    if not self._log_again:
                        self._keeping_log = False
                        return
        except HistoryUnavailable:
            pass  # no git, or git failed: each history is read from git when asked
        finally:
            with self._log_turn:
                self._keeping_log = False

    def _watch(self) -> None:
        from watchfiles import watch

        folder = self.folder
        try:
            for changes in watch(folder, stop_event=self._stop, step=50, debounce=1600, raise_interrupt=False,
                                 watch_filter=lambda _change, path: is_record_file(folder, path)):
                paths = {Path(path) for _, path in changes}
                self.browser.app.call_from_thread(self.changed, paths)
        except (OSError, RuntimeError) as error:  # the folder gone, or no watch to be had
            if not self._stop.is_set():
                self.browser.app.call_from_thread(
                    self.browser.app.notify, f"Changes made outside are no longer followed ({error}); "
                    "ctrl+r reads the casefile again.", severity="warning", timeout=8)

    def changed(self, paths: set[Path]) -> None:
        """Files changed outside (or by this app's own saves, which the cache already holds):
        tell the forms open on them at once, and read the casefile again."""
        from .forms import RecordForm

        for screen in self.browser.app.screen_stack:
            if isinstance(screen, RecordForm) and screen.opened is not None and screen.opened.path.resolve() in paths:
                screen.file_changed_outside()
        if self._reading:
            self._again = True  # read once more when this reading is done: it may have missed these
            return
        if self.browser.session.rereading or self.browser.session.casefile is None \
                or self.browser.session.casefile.path is None:
            # The files are being read without the cache (another whomet holds it), or were: that
            # reading takes these changes in, or the next change made outside does.
            return
        self._reading = True
        self.browser.run_worker(self._read, thread=True, group="reread", exit_on_error=False)

    def _read(self) -> None:
        worker = get_current_worker()
        told = [False]
        app = self.browser.app
        source = self.browser.source

        def show(done: int, total: int) -> None:
            if total >= MANY:
                if not told[0]:
                    told[0] = True
                    app.call_from_thread(source.show_progress_bar)
                app.call_from_thread(source.show_progress, done, total, True)

        progress = paced(show, lambda: worker.is_cancelled)

        try:
            casefile = open_casefile(self.folder, progress)
            index = CachedIndex(casefile)
            index.party_rows()  # read here, not on the interface's thread
        except CacheBusy:
            casefile = index = None
        if not worker.is_cancelled:
            app.call_from_thread(self._show, casefile, index, told[0])

    def _show(self, casefile: CaseCache | None, index: CachedIndex | None, barred: bool) -> None:
        self._reading = False
        if barred:
            self.browser.source.hide_progress_bar()
        if casefile is not None and index is not None:
            self.browser.take_in(casefile, index)
        self.keep_history_log()  # a git pull or checkout moves HEAD as it changes the files
        if self._again:
            self._again = False
            self.changed(set())
