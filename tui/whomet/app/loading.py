"""Reading the casefile for the browser: from its cache before the first paint when nothing
changed, else in a thread after it with a progress bar, and without the cache when another whomet
holds it."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker, get_current_worker

from .. import model
from ..index import CachedIndex
from ..store import (
    CacheBusy,
    CaseCache,
    EarlyLook,
    Look,
    Problem,
    open_casefile,
    read_without_cache,
)
from .detail import keep_detail, kept_detail
from .panels.people import busiest_party

if TYPE_CHECKING:
    from .browser import BrowserScreen


def paced(show: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Callable[[int, int], None]:
    """A reading's progress, passed on to ``show`` four times a second at most, each a whole
    percent on, and at the end: each repaint is the interface thread's time, taken from the reading."""
    last = [-1, 0.0]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        now = time.monotonic()
        if percent != last[0] and (now - last[1] >= REPAINT_SECONDS or done >= total) and not cancelled():
            last[0], last[1] = percent, now
            show(done, total)

    return progress

DERIVE_AGAIN = 2.0
"""Seconds before deriving again what another whomet held the cache through."""

REPAINT_SECONDS = 0.25
"""The least time between two repaints of the progress bar while files are read."""

QUICK_READ = 200
"""Files to read, at most, for a casefile to be read before the first paint instead of after it."""

LOOK_WAIT = 0.3
"""Seconds the first paint waits, at most, for the look at a cached casefile's files, taking its
part in it: at 100,000 unchanged files the look ends within a tenth of a second or two of the
mount, and the records can then be on the first screen; a look still going after this (much has
changed, or a slow disk) leaves the screen to paint with its progress bar."""

_frozen = False
"""Whether the objects of the program's start are already kept from the collector."""

_settled = False
"""Whether the objects of the first casefile shown are already kept from the collector."""


def freeze_start() -> None:
    """What is here by the mount (the program, its screen) lives as long as the app: kept out of
    the collector's full passes, which would otherwise walk it again on every large allocation.
    Once per process: a process that runs several apps must free them."""
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True


def settle_collector() -> None:
    """Once the first casefile is on screen: collect what its launch left, keep what lives on
    from the collector's full passes, and let the collector run again (``open_browser`` stops it
    for the launch)."""
    global _settled
    if not _settled:  # once per process: a process that runs several apps must free them
        gc.collect()
        gc.freeze()
        _settled = True
    gc.enable()


class Loading:
    """The browser's reading of its casefile, at launch and whenever the cache cannot be had."""

    def __init__(self, browser: BrowserScreen, early: EarlyLook | None, *, reads_all: bool) -> None:
        self.browser = browser
        self.early = early
        self.reads_all = reads_all
        """Whether every file is read (no cache yet, or another whomet holds it), with a progress bar."""
        self._look: Look | None = None
        """What the early look found, when it was over by the time the screen was mounted."""
        self._opened: tuple[CaseCache, CachedIndex] | None = None
        """The cache the mount opened, and what it read of it, left for the loading thread."""
        self._drawn = False
        """Whether the casefile shown last has its record in detail drawn."""
        self._derived_early: tuple[CaseCache, list[Problem]] | None = None
        """What the second step derived, when it was in before the record in detail was drawn."""
        self._drawing: tuple[CaseCache, tuple] | None = None
        """The record in detail as first drawn, to keep once the second step is in."""

    def start(self) -> None:
        """At the mount: the casefile now when it can be shown in the first paint, else after it."""
        if self.early is not None and self._show_if_unchanged(self.early):
            return
        # Only a load that reads files has a bar: an idle one (its animation) would still redraw
        # itself fifteen times a second once hidden.
        self.browser.source.show_progress_bar()
        # After the first paint: the loading thread (and the reader processes it starts) would
        # otherwise take the cores that paint needs, on a small machine.
        self.browser.call_after_refresh(self._start_thread)

    def close(self) -> None:
        early, self.early = self.early, None
        if early is not None:  # the app stopped before it read the casefile
            early.close()

    def _show_if_unchanged(self, early: EarlyLook) -> bool:
        """Show the casefile before the first paint, when its cache holds it and the look at its
        files, soon over, finds little or nothing to read; whether it did."""
        if self.reads_all:  # all is to be read: the screen paints first,
            return False    # and the loading thread creates the cache
        casefile = CaseCache.open(self.browser.session.folder)
        index = CachedIndex(casefile)
        # Read what the first screen shows while the files are looked at: when the look finds
        # nothing changed (the usual case) it is still true, and the index keeps it.
        party = busiest_party(index)
        if party is not None:  # else an empty cache: all is to be read, with the progress bar on screen
            index.timeline_rows(party)
            if early.join(LOOK_WAIT):
                look = early.result()
                self.early = None
                if look is not None and len(look.stale) + len(look.gone) <= QUICK_READ and casefile.agrees(look):
                    try:
                        casefile.refresh(look=look, derive_later=True)
                    except CacheBusy:  # the loading thread sees to it, after the first paint
                        self._opened = casefile, index
                        return False
                    self.show(casefile, index, painted=False)
                    return True
                self._look = look  # else the cache was rebuilt, or much changed
        # The loading thread goes on with this cache and what was read of it (still true when the
        # look, over later, finds nothing changed).
        self._opened = casefile, index
        return False

    def _start_thread(self) -> None:
        self.browser.run_worker(self._load, thread=True, exclusive=True, group="load")

    def _load(self) -> None:
        worker = get_current_worker()
        progress = self.progress_of(worker)
        opened, index = self._opened if self._opened is not None else (None, None)
        self._opened = None
        early, self.early = self.early, None
        look, self._look = self._look, None
        if early is not None:
            look = early.result()
        # Another whomet may hold the cache (most likely reading the same many files into it):
        # the files are then read without it this time, rather than waited on or failed.
        casefile = open_casefile(self.browser.session.folder, progress, cache=opened, look=look, derive_later=True)
        if casefile is not opened or index is None:
            index = CachedIndex(casefile)
        app = self.browser.app
        if casefile.busy:
            app.call_from_thread(
                app.notify, "Another whomet is updating this casefile's cache: the files were read "
                "without it this time.", severity="warning", timeout=8)
        if not worker.is_cancelled:
            app.call_from_thread(self.show, casefile, index)

    def show(self, casefile: CaseCache, index: CachedIndex, *, painted: bool = True) -> None:
        """Show a load's records: the lists come from the cache; the record in detail needs the
        models, whose first import (pydantic's) would hold the first paint back by a tenth of a
        second, so it follows that paint. ``painted``: whether the screen has had its first paint."""
        browser = self.browser
        browser.source.hide_progress_bar()
        browser.party = busiest_party(index)
        browser.adopt(casefile, index, detail_now=False)
        self._drawn = False
        self._derived_early = None
        self._drawing = None
        if casefile.pending and painted:
            # At once: SQLite builds the other indexes on the other core while the lists and the
            # record in detail are drawn (the problems are told once they are all known).
            self.derive_in_background(casefile)
        elif casefile.pending:  # left by a whomet stopped between the two steps: after the first paint
            browser.call_after_refresh(self.derive_in_background, casefile)
        else:
            self.tell_problems(casefile)
        browser.call_after_refresh(browser.app.lists_shown)  # type: ignore[attr-defined]
        drawing = kept_detail(casefile, browser.party) if browser.party is not None and browser.item is None else None
        if drawing is not None:
            # As the last launch drew it, with nothing changed since: in the first paint, and
            # the models are imported once that paint is out.
            browser.source.show(browser.party, *drawing)  # type: ignore[arg-type]
            browser.call_after_refresh(self._shown)
            browser.call_after_refresh(lambda: model.Record)
            return
        browser.source.say("")
        browser.call_after_refresh(self._show_detail_after_paint)

    def _show_detail_after_paint(self) -> None:
        browser = self.browser
        browser.show_detail(browser.source.link_list.highlighted)
        browser.call_after_refresh(self._shown)  # the refresh that paints the detail
        shown = browser.source.drawn
        casefile = browser.session.casefile
        if shown is not None and casefile is not None and shown[0] == browser.party:
            if casefile.pending:  # kept once the second step is in: a write now would wait on it
                self._drawing = casefile, (*shown, browser.source.links)
            else:
                keep_detail(casefile, *shown, browser.source.links)

    def _shown(self) -> None:
        browser = self.browser
        index = browser.index
        if index is not None and not index.party_rows() and len(index):
            # No one to list (an imported newsroom timeline): what there is, in date order.
            browser.call_after_refresh(browser.action_chronology)
        browser.app.casefile_shown = True  # type: ignore[attr-defined]
        browser.app.data_shown()  # type: ignore[attr-defined]
        settle_collector()
        browser.call_after_refresh(browser.editing.offer_kept_forms)
        self._drawn = True
        casefile = browser.session.casefile
        if self._derived_early is not None:  # the second step was quicker than the detail
            self._derived(*self._derived_early)
        elif casefile is None or not casefile.pending:  # else once the second step is in
            browser.call_after_refresh(browser.start_watching)

    def tell_problems(self, casefile: CaseCache) -> None:
        if casefile.problems:
            errors = len(casefile.errors)
            self.browser.app.notify(
                f"{len(casefile.problems)} problem{'s' * (len(casefile.problems) != 1)} in this casefile; "
                "press p to see them. Everything valid is shown.",
                severity="error" if errors else "warning", timeout=8,
            )

    # what a cold launch derives once the lists are on screen

    def derive_in_background(self, casefile: CaseCache) -> None:
        """The flags, full-text index and problems of a casefile read from nothing,
        derived in a thread while the reader browses the lists; the panels then take them in."""
        self.browser.run_worker(partial(self._derive, casefile), thread=True, exclusive=True, group="derive")

    def _derive(self, casefile: CaseCache) -> None:
        worker = get_current_worker()
        app = self.browser.app
        try:
            problems = casefile.derive_pending()
        except CacheBusy:  # another whomet writes the cache (deriving the same, most likely): later
            if not worker.is_cancelled:
                app.call_from_thread(self.browser.set_timer, DERIVE_AGAIN, partial(self.derive_in_background, casefile))
            return
        except Exception as error:  # noqa: BLE001 - the lists stay; the next launch derives again
            if not worker.is_cancelled:
                app.call_from_thread(
                    app.notify, f"The links and flags could not be checked ({error}); the casefile is "
                    "shown without them, and the next launch checks them again.", severity="error",
                    timeout=10, markup=False)
            return
        if not worker.is_cancelled:
            app.call_from_thread(self._derived, casefile, problems)

    def _derived(self, casefile: CaseCache, problems: list[Problem]) -> None:
        if not self._drawn:  # taken in once the record in detail is drawn, in its order
            self._derived_early = casefile, problems
            return
        self._derived_early = None
        browser = self.browser
        if browser.session.casefile is not casefile or browser.index is None:
            # Read again since, without the cache (another whomet held it): that reading derived
            # it all, and the changes made outside are followed from now on.
            browser.call_after_refresh(browser.start_watching)
            return
        casefile.take_derived(problems)
        browser.take_in(casefile, browser.index)
        drawing, self._drawing = self._drawing, None
        if drawing is not None and drawing[0] is casefile:
            keep_detail(casefile, *drawing[1])
        self.tell_problems(casefile)
        browser.call_after_refresh(browser.app.derived_shown)  # type: ignore[attr-defined]
        browser.call_after_refresh(self._follow_changes)

    def _follow_changes(self) -> None:
        """Follow the changes made outside from now on, and take in those made since the files were
        first looked at (a first reading of many files and its second step take a while)."""
        browser = self.browser
        browser.start_watching()
        if browser.watcher is not None:
            browser.watcher.changed(set())

    def progress_of(self, worker: Worker[None]) -> Callable[[int, int], None]:
        """What a loading thread tells of the files it reads: the progress bar follows."""
        source = self.browser.source
        return paced(lambda done, total: self.browser.app.call_from_thread(
            source.show_progress, done, total, not self.reads_all), lambda: worker.is_cancelled)

    # another whomet holds the cache

    def read_without_cache(self) -> None:
        """Another whomet writes the cache for longer than whomet waits, so what changed on disk
        cannot go into it now: read the files without it, as a launch does then, in a thread
        and with the progress bar, keeping the reader where they are."""
        self.browser.app.notify("Another whomet is updating this casefile's cache: reading the files without it.",
                                severity="warning", timeout=8)
        self.reads_all = True
        self.browser.session.rereading = True
        self.browser.source.show_progress_bar()
        self.browser.run_worker(self._read_without_cache, thread=True, exclusive=True, group="load")

    def _read_without_cache(self) -> None:
        worker = get_current_worker()
        casefile = read_without_cache(self.browser.session.folder, self.progress_of(worker))
        index = CachedIndex(casefile)
        if not worker.is_cancelled:
            self.browser.app.call_from_thread(self._reread, casefile, index)

    def _reread(self, casefile: CaseCache, index: CachedIndex) -> None:
        self.browser.source.hide_progress_bar()
        self.browser.session.rereading = False
        # The cache read before is left to be freed, not closed: a palette search between two
        # of its parts may still be reading it.
        self.browser.adopt(casefile, index)

