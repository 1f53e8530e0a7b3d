"""The browser: people, timeline and source-quote panels, with history like a web browser."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, ProgressBar
from textual.worker import Worker, get_current_worker

from ..index import CachedIndex, PartyRow, TimelineRow, best_fuzzy_score
from .. import model
from ..model.kinds import FOLDER_OF
from ..store import ChangedOnDisk, Opened, SaveError, delete, open_record, save
from ..store.cache import CacheBusy, CaseCache
from ..store.look import EarlyLook, Look, cache_path
from .commands import RecordCommands
from .detail import LinkRow, citation_text, describe, drawn, first_url, name_of, redrawn
from .keybar import KeyBar
from .lists import FilteredList, RecordList, Row
from .screens import ChoiceScreen, ConfirmScreen, HelpScreen, MessageScreen, PathScreen, ProblemsScreen
from .text import one_line, visible
from .textview import TextView

if TYPE_CHECKING:
    from ..model import Meeting, Record, Statement
    from .recovery import KeptForm


class BrowserScreen(Screen):
    """The browser's screen, which does not paint all of itself again when the focus moves.

    Textual's screens do (their ``focused`` repaints), though the focus's move restyles, and so
    redraws, the widgets it concerns by itself: at 100,000 records the needless repaint cost ~25 ms
    on every Tab and every link followed."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


@dataclass(frozen=True, slots=True)
class Location:
    """Where the reader is: the party whose timeline shows, the record in detail, the focus."""

    party: str | None
    item: str | None
    focus: str
    link: int | None = None


_frozen = False
"""Whether the objects of the program's start are already kept from the collector."""

_settled = False
"""Whether the objects of the first casefile shown are already kept from the collector."""


def _settle_collector() -> None:
    """Once the first casefile is on screen: collect what its launch left, keep what lives on
    from the collector's full passes, and let the collector run again (``open_browser`` stops it
    for the launch)."""
    global _settled
    if not _settled:  # once per process: a process that runs several apps must free them
        gc.collect()
        gc.freeze()
        _settled = True
    gc.enable()

QUICK_READ = 200
"""Files to read, at most, for a casefile to be read before the first paint instead of after it."""

LOOK_WAIT = 0.3
"""Seconds the first paint waits, at most, for the look at a cached casefile's files, taking its
part in it: at 100,000 unchanged files the look ends within a tenth of a second or two of the
mount, and the records can then be on the first screen; a look still going after this (much has
changed, or a slow disk) leaves the screen to paint with its progress bar."""


def busiest_party(index: CachedIndex) -> str | None:
    """The person with the most meetings and statements: where a reader would start."""
    parties = index.party_rows()
    people = [p for p in parties if p.kind == "person"] or parties
    if not people:
        return None
    return max(people, key=lambda p: (p.meetings + p.statements, p.id)).id


def _party_prompt(party: PartyRow) -> Text:
    prompt = Text(one_line(party.label), no_wrap=True, overflow="ellipsis")
    if party.meetings or party.statements:
        prompt.append(f"  {party.meetings}·{party.statements}", style="dim")
    return prompt


def _link_prompt(link: LinkRow) -> Text:
    label = Text(f"{link.relation:<13} ", style="dim", no_wrap=True, overflow="ellipsis")
    label.append(link.label)  # a string's control characters are stripped, as Text() does
    return label


def _timeline_prompt(entry: TimelineRow, title: str) -> Text:
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(entry.when, style="bold")
    head.append("  ")
    head.append(entry.what, style="cyan" if entry.kind == "meeting" else "magenta")
    if entry.flag == "contradicts":
        head.append("  ⚠ contradicts records", style="bold red")
    elif entry.flag == "denied":
        head.append("  ✗ denied", style="bold red")
    body = Text("  " + one_line(title), no_wrap=True, overflow="ellipsis")
    return Text.assemble(head, "\n", body)


class WhometApp(App[None]):
    """Browse a casefile: who met whom, and what they said about it."""

    CSS_PATH = Path(__file__).with_name("whomet.tcss")  # absolute, so subclasses elsewhere find it
    TITLE = "whomet"
    COMMANDS = App.COMMANDS | {RecordCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"

    BINDINGS = [
        Binding("backspace,alt+left", "back", "Back", key_display="⌫", id="back"),
        Binding("alt+right", "forward", "Forward", show=False, id="forward"),
        Binding("c", "contradiction", "Contradiction", id="contradiction"),
        Binding("o", "open_url", "Open URL", id="open-url"),
        Binding("y", "copy_citation", "Copy citation", id="copy-citation"),
        Binding("a", "add", "Add", id="add"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("p", "problems", "Problems", id="problems"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

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
        self._early = early
        self.crash_log: Path | None = None
        """Where the traceback went, when the app stopped on an error."""
        self.kept_forms: list[Path] = []
        """Where the forms open at an error were kept, to be offered back at the next launch."""
        self._look: Look | None = None
        """What the early look found, when it was over by the time the screen was mounted."""
        self._opened: tuple[CaseCache, CachedIndex] | None = None
        """The cache the mount opened, and what it read of it, left for the loading thread."""
        self.casefile: CaseCache | None = None
        self.index: CachedIndex | None = None
        self.casefile_shown = False
        """Whether a load's records are on screen, the one in detail too."""
        self.party: str | None = None
        self.item: str | None = None
        self._links: list[LinkRow] = []
        self._drawn: tuple[str, Group, str, str] | None = None
        """The record in detail, as described: its id, its text, kind and label."""
        self._rereading = False
        """Whether the files are being read again without the cache (another whomet holds it):
        saves wait until they are shown, so that none is made to a cache about to be replaced."""
        self._back: list[Location] = []
        self._forward: list[Location] = []
        self._reads_all = not cache_path(self.folder).exists()
        """Whether the casefile had no cache when the app started: every file is read, with a progress bar."""

    # layout

    def get_default_screen(self) -> Screen:
        return BrowserScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panels"):
            people = FilteredList(placeholder="/ filter people", matcher=best_fuzzy_score, rank=True, id="people")
            people.border_title = "People"
            people.border_subtitle = "meetings·statements"
            yield people
            timeline = FilteredList(placeholder="/ filter timeline", id="timeline")
            timeline.border_title = "Timeline"
            yield timeline
            with Vertical(id="detail") as detail:
                detail.border_title = "Source & quote"
                if self._reads_all:  # in the first layout, not mounted after it (a second layout)
                    yield ProgressBar(id="loading", show_eta=False)
                yield TextView(Text("Loading the casefile…"), id="detail-body")
                yield RecordList(id="links")
        yield KeyBar()

    def on_mount(self) -> None:
        global _frozen
        if not _frozen:
            # What is here by now (the program, its screen) lives as long as the app: kept out of
            # the collector's full passes, which would otherwise walk it again on every large
            # allocation. Once per process: a process that runs several apps must free them.
            gc.freeze()
            _frozen = True
        self.sub_title = f"{self.folder.name}: loading…"
        self.query_one("#links", RecordList).border_title = "Links"
        self.query_one("#people", FilteredList).records.focus()
        if self._early is not None and self._show_if_unchanged(self._early):
            return
        # Only a load that reads files has a bar: an idle one (its animation) would still redraw
        # itself fifteen times a second once hidden.
        self._show_progress_bar()
        # After the first paint: the loading thread (and the reader processes it starts) would
        # otherwise take the cores that paint needs, on a small machine.
        self.call_after_refresh(self._load)

    def _show_if_unchanged(self, early: EarlyLook) -> bool:
        """Show the casefile before the first paint, when its cache holds it and the look at its
        files, soon over, finds little or nothing to read; whether it did."""
        if self._reads_all:  # all is to be read: the screen paints first,
            return False     # and the loading thread creates the cache
        casefile = CaseCache.open(self.folder)
        index = CachedIndex(casefile)
        # Read what the first screen shows while the files are looked at: when the look finds
        # nothing changed (the usual case) it is still true, and the index keeps it.
        party = busiest_party(index)
        if party is not None:  # else an empty cache: all is to be read, with the progress bar on screen
            index.timeline_rows(party)
            if early.join(LOOK_WAIT):
                look = early.result()
                self._early = None
                if look is not None and len(look.stale) + len(look.gone) <= QUICK_READ and casefile.agrees(look):
                    try:
                        casefile.refresh(look=look)
                    except CacheBusy:  # the loading thread sees to it, after the first paint
                        self._opened = casefile, index
                        return False
                    self._show_casefile(casefile, index)
                    return True
                self._look = look  # else the cache was rebuilt, or much changed
        # The loading thread goes on with this cache and what was read of it (still true when the
        # look, over later, finds nothing changed).
        self._opened = casefile, index
        return False

    def on_unmount(self) -> None:
        early, self._early = self._early, None
        if early is not None:  # the app stopped before it read the casefile
            early.close()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        worker = get_current_worker()
        progress = self._progress_of(worker)
        if self._opened is not None:
            (casefile, index), self._opened = self._opened, None
        else:
            casefile = CaseCache.open(self.folder)
            index = CachedIndex(casefile)
        early, self._early = self._early, None
        look, self._look = self._look, None
        if early is not None:
            look = early.result()
        try:
            casefile.refresh(progress, look=look)
        except CacheBusy:
            # Another whomet holds the cache (most likely reading the same many files into it):
            # read the files without it this time, rather than wait or fail.
            casefile.close()
            casefile, index = self._read_in_memory(progress)
        if casefile.busy:
            self.call_from_thread(
                self.notify, "Another whomet is updating this casefile's cache: the files were read "
                "without it this time.", severity="warning", timeout=8)
        if not worker.is_cancelled:
            self.call_from_thread(self._show_casefile, casefile, index)

    def _read_in_memory(self, progress: Callable[[int, int], None]) -> tuple[CaseCache, CachedIndex]:
        """The casefile read without its cache file, which another whomet holds (in a thread)."""
        casefile = CaseCache.open(self.folder, in_memory=True)
        casefile.busy = True
        index = CachedIndex(casefile)
        casefile.refresh(progress)
        return casefile, index

    def _show_progress_bar(self) -> None:
        """The bar above the detail, unless it is there already (composed for a first reading)."""
        if not self.query("#loading"):
            self.query_one("#detail", Vertical).mount(ProgressBar(id="loading", show_eta=False), before="#detail-body")

    def _progress_of(self, worker: Worker[None]) -> Callable[[int, int], None]:
        """What a loading thread tells of the files it reads: the progress bar follows."""
        last = [-1]

        def progress(done: int, total: int) -> None:
            # A few hundred updates at most: the bar moves by whole percents.
            percent = done * 100 // total if total else 100
            if percent != last[0] and not worker.is_cancelled:
                last[0] = percent
                self.call_from_thread(self._show_progress, done, total)

        return progress

    def _show_progress(self, done: int, total: int) -> None:
        bar = self.query_one("#loading", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        if total:
            files = f"{total:,} {'' if self._reads_all else 'changed '}file{'s' * (total != 1)}"
            # Once all are read, the cache still links and counts them: a few seconds at 100,000.
            said = f"Reading {files}: {done:,} read…" if done < total else f"Read {files}; linking and counting…"
            self.query_one("#detail-body", TextView).update(Text(said, style="dim"))

    def _show_casefile(self, casefile: CaseCache, index: CachedIndex) -> None:
        """Show a load's records: the lists come from the cache; the record in detail needs the
        models, whose first import (pydantic's) would hold the first paint back by a tenth of a
        second, so it follows that paint."""
        self.query("#loading").remove()
        self.index = index
        self.party = busiest_party(index)
        self._adopt(casefile, index, detail_now=False)
        if casefile.problems:
            errors = len(casefile.errors)
            self.notify(
                f"{len(casefile.problems)} problem{'s' * (len(casefile.problems) != 1)} in this casefile; "
                "press p to see them. Everything valid is shown.",
                severity="error" if errors else "warning", timeout=8,
            )
        self.call_after_refresh(self.lists_shown)
        kept = casefile.drawn(self.party) if self.party is not None and self.item is None else None
        drawing = redrawn(kept) if kept is not None else None
        if drawing is not None:
            # As the last launch drew it, with nothing changed since: in the first paint, and
            # the models are imported once that paint is out.
            self._show_drawn(self.party, *drawing)
            self.call_after_refresh(self._shown)
            self.call_after_refresh(lambda: model.Record)
            return
        self.query_one("#detail-body", TextView).update("")
        self.call_after_refresh(self._show_detail_after_paint)

    def _show_detail_after_paint(self) -> None:
        self._show_detail(self.query_one("#links", RecordList).highlighted)
        self.call_after_refresh(self._shown)  # the refresh that paints the detail
        if self._drawn is not None and self.casefile is not None and self._drawn[0] == self.party:
            record_id, body, kind, label = self._drawn
            data = drawn(body, self._links, kind, label)
            if data is not None:
                self.casefile.keep_drawn(record_id, data)

    def _shown(self) -> None:
        self.casefile_shown = True
        self.data_shown()
        _settle_collector()
        self.call_after_refresh(self._offer_kept_forms)

    # what a crash kept

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

    def _offer_kept_forms(self) -> None:
        from .recovery import kept_forms

        waiting = kept_forms(self.folder)
        if not waiting or self.index is None:
            return
        kept = waiting[0]
        label = self.record_label(kept.record_id) or kept.record_id or f"a new {kept.kind}"
        choices = [
            ("open", Text("Open the form again with what was typed")),
            ("later", Text("Keep it for the next launch")),
            ("discard", Text("Discard it")),
        ]
        self.push_screen(
            ChoiceScreen(Text(f"whomet stopped on {kept.when} while you edited {one_line(label)}"), choices),
            lambda choice: self._recover(kept, choice),
        )

    def _recover(self, kept: KeptForm, choice: str | None) -> None:
        from ..model import KINDS
        from ..store.saving import opened_from
        from .forms import RecordForm

        if choice == "discard":
            kept.discard()
            self.notify("Discarded what was kept.", timeout=3)
        if choice != "open" or kept.kind not in KINDS:
            return
        opened = None
        if kept.opened_path is not None and kept.opened_data is not None:
            try:
                opened = opened_from(kept.opened_path, kept.opened_data, KINDS[kept.kind], kept.record_id)
            except SaveError as error:
                self.notify(f"Cannot open it again: {error}", severity="error", timeout=8, markup=False)
                return
        prefill = kept.values if opened is None else None
        form = RecordForm(kept.kind, opened, prefill, typed=kept.values if opened is not None else None)
        kept.discard()
        self.push_screen(form, self._saved)

    def lists_shown(self) -> None:
        """Called once a load's lists are on screen; benchmarks hook it to time launches."""

    def data_shown(self) -> None:
        """Called once a load's records are on screen, the one in detail too; benchmarks hook it."""

    # filling the panels

    def _fill_people(self, highlight: str | None = None) -> None:
        assert self.index is not None
        rows: list[Row] = []
        parties = self.index.party_rows()
        for kind, heading in (("person", "People"), ("organization", "Organizations")):
            members = [p for p in parties if p.kind == kind]
            if not members:
                continue
            rows.append(Row(None, Text(f"── {heading} ({len(members):,})", style="bold dim")))
            rows.extend(Row(party.id, partial(_party_prompt, party), party.names) for party in members)
        self.query_one("#people", FilteredList).set_rows(rows, highlight)

    def _timeline_rows(self, party_id: str | None) -> list[Row]:
        index = self.index
        assert index is not None
        if party_id is None:
            return []

        speakers: dict[str, str] = {}
        rows: list[Row] = []
        for entry in index.timeline_rows(party_id):
            title = entry.title
            if entry.kind == "statement" and entry.speaker != party_id:
                if entry.speaker not in speakers:
                    speakers[entry.speaker] = visible(index.label_of(entry.speaker) or entry.speaker)
                title = f"{speakers[entry.speaker]}: {title}"
            rows.append(Row(entry.id, partial(_timeline_prompt, entry, title), (title,), height=2))
        return rows

    def _fill_timeline(self, highlight: str | None) -> None:
        assert self.index is not None
        timeline = self.query_one("#timeline", FilteredList)
        label = self.index.label_of(self.party) if self.party else None
        # A Text: a string would be read as markup (a name's "[@click=…]" would act on a click).
        timeline.border_title = Text(f"Timeline · {one_line(label)}") if label is not None else "Timeline"
        timeline.set_rows(self._timeline_rows(self.party), highlight)

    def _show_detail(self, link: int | None = None) -> None:
        """Show the current item (or, with none, the current party) in the source-quote panel."""
        if self.index is None:
            return
        record_id = self.item or self.party
        record = self.index.get(record_id) if record_id else None
        if record is None:
            self.query_one("#detail-body", TextView).update(
                Text("This casefile has no records yet." if not len(self.index) else "Nothing selected.", style="dim"))
            self._links, self._drawn = [], None
            self.query_one("#links", RecordList).clear()
            self.query_one("#detail", Vertical).border_title = "Source & quote"
            return
        body, followed = describe(self.index, record)
        self._show_drawn(record.id, body, followed, record.kind, record.label, link)

    def _show_drawn(self, record_id: str, body: Group, links: list[LinkRow], kind: str, label: str,
                    link: int | None = None) -> None:
        """Show a record's description and the links to follow from it."""
        self._drawn = record_id, body, kind, label
        self._links = links
        self.query_one("#detail-body", TextView).update(body)
        self.query_one("#detail", Vertical).border_title = Text(f"{kind.capitalize()} · {one_line(label)}")
        links_list = self.query_one("#links", RecordList)
        rows = [Row(f"link-{number}", partial(_link_prompt, row)) for number, row in enumerate(self._links)]
        with links_list.prevent(RecordList.Highlighted):
            links_list.set_rows(rows)
            if link is not None and link < len(self._links):
                links_list.highlighted = link
        links_list.border_title = f"Links ({len(self._links)})"

    # where the reader is

    def _focused_panel(self) -> str:
        # The browser is the bottom screen; a dialog above it does not move the reader.
        focused = self.screen_stack[0].focused
        for node in (focused, *(focused.ancestors if focused else ())):
            if isinstance(node, Widget) and node.id in ("people", "timeline", "detail-body", "links"):
                return node.id
        return "people"

    def here(self) -> Location:
        links = self.query_one("#links", RecordList)
        return Location(self.party, self.item, self._focused_panel(), links.highlighted)

    def _jump(self, location: Location) -> None:
        """Go somewhere new, remembering where we were."""
        current = self.here()
        if location != current:
            self._back.append(current)
            self._forward.clear()
        self._go(location)

    def _go(self, location: Location) -> None:
        if self.index is None:
            return
        people = self.query_one("#people", FilteredList)
        if location.party is not None:
            with people.records.prevent(RecordList.Highlighted):
                if not people.records.highlight_id(location.party):
                    people.clear_filter()
                    people.records.highlight_id(location.party)
        party_changed = location.party != self.party
        self.party, self.item = location.party, location.item
        timeline = self.query_one("#timeline", FilteredList)
        if party_changed:
            self._fill_timeline(location.item)
        if location.item is not None:
            with timeline.records.prevent(RecordList.Highlighted):
                if not timeline.records.highlight_id(location.item):
                    timeline.clear_filter()
                    timeline.records.highlight_id(location.item)
        self._show_detail(location.link)
        target = {
            "people": people.records,
            "timeline": timeline.records,
            "detail-body": self.query_one("#detail-body"),
            "links": self.query_one("#links"),
        }[location.focus]
        target.focus()

    # messages from the panels

    @on(RecordList.Highlighted, "#people RecordList")
    def _party_highlighted(self, event: RecordList.Highlighted) -> None:
        if event.record_id == self.party or self.index is None:
            return
        self.party, self.item = event.record_id, None
        self._fill_timeline(None)
        self._show_detail()

    @on(RecordList.Highlighted, "#timeline RecordList")
    def _item_highlighted(self, event: RecordList.Highlighted) -> None:
        if event.record_id == self.item:
            return
        if self._focused_panel() == "timeline":
            self.item = event.record_id
            self._show_detail()

    @on(RecordList.Selected, "#people RecordList")
    def _party_chosen(self, event: RecordList.Selected) -> None:
        timeline = self.query_one("#timeline", FilteredList).records
        first = timeline.highlighted_id
        self._jump(Location(event.record_id, first, "timeline"))

    @on(RecordList.Selected, "#timeline RecordList")
    def _item_chosen(self, event: RecordList.Selected) -> None:
        self._jump(Location(self.party, event.record_id, "links", 0))

    @on(RecordList.Selected, "#links")
    def _link_chosen(self, event: RecordList.Selected) -> None:
        number = int(event.record_id.removeprefix("link-")) if event.record_id else -1
        if 0 <= number < len(self._links):
            self.follow(self._links[number].target)

    @on(FilteredList.Filtered, "#people")
    def _people_filtered(self, event: FilteredList.Filtered) -> None:
        shown = event.filtered_list.records.highlighted_id
        if shown is not None and shown != self.party:
            self.party, self.item = shown, None
            self._fill_timeline(None)
            self._show_detail()

    def on_descendant_focus(self, event: object) -> None:
        """The detail follows the focus: a party from the people list, an item from the timeline."""
        if self.index is None or len(self.screen_stack) > 1:
            return
        panel = self._focused_panel()
        if panel == "people" and self.item is not None:
            self.item = None
            self._show_detail()
        elif panel == "timeline":
            highlighted = self.query_one("#timeline", FilteredList).records.highlighted_id
            if highlighted is not None and highlighted != self.item:
                self.item = highlighted
                self._show_detail()

    # navigation

    def follow(self, target: str) -> None:
        """Follow a link, as a browser would: a party opens its timeline, an item its detail."""
        if self.index is None:
            return
        record = self.index.get(target)
        if record is None:
            self.notify(f"{visible(target)} is not in the casefile.", severity="warning", markup=False)
            return
        if isinstance(record, (model.Person, model.Organization)):
            timeline = [row.id for row in self.index.timeline_rows(record.id)]
            if self.item in timeline:  # the record we came from, among theirs
                self._jump(Location(record.id, self.item, "timeline"))
            else:  # nothing of theirs in view yet: them, as the people list shows them
                self._jump(Location(record.id, None, "people"))
        elif isinstance(record, (model.Meeting, model.Statement)):
            self._jump(Location(self._party_for(record), record.id, "links", 0))
        else:
            self._jump(Location(self.party, record.id, "links", 0))

    def _party_for(self, record: Meeting | Statement) -> str | None:
        """The timeline to show a meeting or statement in: the current party's if they take part."""
        if isinstance(record, model.Meeting):
            parties = [p.who for p in record.participants]
        else:
            parties = [record.speaker]
        parties = [p for p in parties if self.index is not None and p in self.index]
        if self.party in parties:
            return self.party
        return parties[0] if parties else self.party

    def go_to_record(self, record_id: str) -> None:
        """Jump to any record by id (the command palette's "go to")."""
        if self.index is None or record_id not in self.index:
            return
        record = self.index.get(record_id)
        if isinstance(record, (model.Person, model.Organization)):
            self._jump(Location(record_id, None, "people"))
        else:
            self.follow(record_id)

    def action_back(self) -> None:
        if not self._back:
            self.notify("Nothing to go back to.", timeout=2)
            return
        self._forward.append(self.here())
        self._go(self._back.pop())

    def action_forward(self) -> None:
        if not self._forward:
            self.notify("Nothing to go forward to.", timeout=2)
            return
        self._back.append(self.here())
        self._go(self._forward.pop())

    def current_record(self) -> Record | None:
        if self.index is None:
            return None
        record_id = self.item or self.party
        return self.index.get(record_id) if record_id else None

    def action_contradiction(self) -> None:
        record = self.current_record()
        if self.index is None or record is None:
            return
        if isinstance(record, model.Statement):
            targets = [c.meeting for c in self.index.contradictions_of(record.id)]
            what = "meeting this statement contradicts"
        elif isinstance(record, model.Meeting):
            targets = [c.statement for c in self.index.contradictions_of(record.id)]
            what = "statement that denies this meeting"
        else:
            self.notify("Contradictions link statements and meetings: select one first.", timeout=4)
            return
        targets = list(dict.fromkeys(targets))
        if not targets:
            self.notify(f"No {what} is recorded.", timeout=4)
            return
        if len(targets) == 1:
            self.follow(targets[0])
            return
        choices = [(t, self._choice_label(t)) for t in targets]
        self.push_screen(ChoiceScreen(f"Jump to the {what}", choices),
                         lambda chosen: self.follow(chosen) if chosen else None)

    def _choice_label(self, record_id: str) -> Text:
        assert self.index is not None
        record = self.index.get(record_id)
        if isinstance(record, (model.Meeting, model.Statement)):
            label = Text(f"{record.date.display():<16}", style="bold")
            if isinstance(record, model.Statement):
                label.append(name_of(self.index, record.speaker) + ": “" + one_line(record.quote)[:80] + "”")
            else:
                label.append(one_line(record.title))
            return label
        return Text(record_id)

    def action_open_url(self) -> None:
        record = self.current_record()
        if self.index is None or record is None:
            return
        url = first_url(self.index, record)
        if not url:
            self.notify("No source of this record has a URL.", timeout=4)
            return
        if urlparse(url).scheme.lower() not in ("http", "https"):
            self.notify(f"Not opened: only http and https links are opened ({visible(url)[:80]}).",
                        severity="warning", timeout=6, markup=False)
            return
        self.open_url(url)
        self.notify(f"Opening {visible(url)}", timeout=4, markup=False)

    def action_copy_citation(self) -> None:
        record = self.current_record()
        if self.index is None or record is None:
            return
        text = citation_text(self.index, record)
        if text is None:
            self.notify("This record cites no source.", timeout=4)
            return
        self.copy_to_clipboard(text)
        self.notify("Citation copied to the clipboard.", timeout=3)

    def action_problems(self) -> None:
        if self.casefile is None:
            return
        self.push_screen(ProblemsScreen(self.casefile.problems, self.folder))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.HELP_KEYS))

    # adding, editing and deleting

    def record_label(self, record_id: str) -> str | None:
        record = self.index.get(record_id) if self.index else None
        return record.label if record is not None else None

    def id_taken(self, record_id: str) -> bool:
        if self.casefile is None or self.index is None:
            return False
        if record_id in self.index or self.casefile.invalid_path(record_id) is not None:
            return True
        # A file or folder of that name that the casefile could not take in (made since, or not a file).
        return any(os.path.lexists(self.folder / folder / f"{record_id}.toml") for folder in FOLDER_OF.values())

    def suggest_records(self, text: str, kinds: tuple[str, ...]) -> list[tuple[str, str, str]]:
        """Records of ``kinds`` whose name, alias or title matches ``text``, best first."""
        if self.index is None:
            return []
        return self.index.suggest(text, kinds)

    def save_record(self, record: Record, *, new: bool, opened: Opened | None = None) -> str | None:
        """Write a record through the store and show it; the reason it was not written, if not.
        An edit of a file that changed since ``opened`` raises ChangedOnDisk, for the form to
        show both versions."""
        if self.casefile is None or self.index is None:
            return "the casefile is still loading"
        if self._rereading:
            return "the casefile is being read again; save once it is shown (this form keeps what you typed)"
        if new and self.id_taken(record.id):
            return f"the id {record.id!r} is already taken"
        try:
            save(self.casefile, record, opened)
        except ChangedOnDisk as error:
            if opened is not None:
                raise
            return f"{error}. Change the id, or press ctrl+r to read the casefile again."
        except SaveError as error:
            return str(error)
        except CacheBusy:
            # Written to its file, but another whomet writes the cache, which could not take it in.
            self._reload_without_cache()
            return None
        self.index.put(record)
        self._refresh_panels()
        return None

    def reload_casefile(self) -> None:
        """Read the casefile from disk again, now, keeping the reader where they are."""
        assert self.casefile is not None
        try:
            self.casefile.refresh()
        except CacheBusy:
            self._reload_without_cache()
            return
        self._adopt(self.casefile, CachedIndex(self.casefile))

    def _reload_without_cache(self) -> None:
        """Another whomet writes the cache for longer than whomet waits, so what changed on disk
        cannot go into it now: read the files without it, as a launch does then, in a thread
        and with the progress bar, keeping the reader where they are."""
        self.notify("Another whomet is updating this casefile's cache: reading the files without it.",
                    severity="warning", timeout=8)
        self._reads_all = True
        self._rereading = True
        self._show_progress_bar()
        self._read_without_cache()

    @work(thread=True, exclusive=True, group="load")
    def _read_without_cache(self) -> None:
        worker = get_current_worker()
        casefile, index = self._read_in_memory(self._progress_of(worker))
        if not worker.is_cancelled:
            self.call_from_thread(self._reloaded, casefile, index)

    def _reloaded(self, casefile: CaseCache, index: CachedIndex) -> None:
        self.query("#loading").remove()
        self._rereading = False
        # The cache read before is left to be freed, not closed: a palette search between two
        # of its parts may still be reading it.
        self._adopt(casefile, index)

    def _adopt(self, casefile: CaseCache, index: CachedIndex, *, detail_now: bool = True) -> None:
        self.casefile, self.index = casefile, index
        self._refresh_panels(detail_now=detail_now)

    def _refresh_panels(self, *, detail_now: bool = True) -> None:
        assert self.casefile is not None and self.index is not None
        errors, warnings = len(self.casefile.errors), len(self.casefile.warnings)
        counts = f"{len(self.index):,} records"
        if self.casefile.problems:
            counts += f" · {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} (p)"
        self.sub_title = f"{self.casefile.name} · {counts}"
        if self.party is not None and self.party not in self.index:
            self.party = None
        if self.item is not None and self.item not in self.index:
            self.item = None
        people = self.query_one("#people", FilteredList)
        with people.records.prevent(RecordList.Highlighted):
            self._fill_people(self.party)
        if self.party is None:
            self.party = people.records.highlighted_id
        timeline = self.query_one("#timeline", FilteredList)
        with timeline.records.prevent(RecordList.Highlighted):
            self._fill_timeline(self.item)
        if detail_now:
            self._show_detail(self.query_one("#links", RecordList).highlighted)

    def action_add(self) -> None:
        if self.index is None:
            return
        choices = [(kind, Text(f"{kind}", style="bold")) for kind in FOLDER_OF]
        self.push_screen(ChoiceScreen("Add a record: which kind?", choices), self._add_kind)

    def _add_kind(self, kind: str | None) -> None:
        from .forms import RecordForm  # the forms load when first opened, not at launch

        if kind:
            self.push_screen(RecordForm(kind), self._saved)

    def _saved(self, record_id: str | None) -> None:
        if record_id and self.index is not None and record_id in self.index:
            self.go_to_record(record_id)
            label = one_line(self.index.get(record_id).label)  # type: ignore[union-attr]
            self.notify(f"Saved {label}.", timeout=3, markup=False)

    def action_edit(self) -> None:
        record = self.current_record()
        if record is None:
            self.notify("Select a record to edit.", timeout=3)
            return
        from .forms import RecordForm

        if self.casefile is None:
            return
        try:
            opened = open_record(self.casefile, record.id)
        except SaveError as error:
            self.notify(f"Cannot edit: {error}", severity="error", timeout=8, markup=False)
            return
        self.push_screen(RecordForm(record.kind, opened), self._saved)

    def action_delete(self) -> None:
        record = self.current_record()
        if self.index is None or record is None:
            return
        naming = [l for l in self.index.backlinks(record.id) if l.source != record.id]
        if naming:
            body = Text(f"{visible(record.label)} is named by {len(naming)} other "
                        f"record{'s' * (len(naming) != 1)}; deleting it would leave their links "
                        "pointing nowhere. Remove those links first:\n\n")
            for link in naming:
                source = self.index.get(link.source)
                body.append(f"• {link.relation}: ", style="dim")
                body.append(f"{visible(source.label if source else link.source)} ({source.kind if source else ''})\n")
            self.push_screen(MessageScreen(f"Cannot delete this {record.kind}", body))
            return
        if self.casefile is None:
            return
        try:
            opened = open_record(self.casefile, record.id)
        except SaveError as error:
            self.notify(f"Cannot delete: {error}", severity="error", timeout=8, markup=False)
            return
        where = opened.path.relative_to(self.folder)
        self.push_screen(
            ConfirmScreen(f"Delete this {record.kind}?",
                          Text(f"{visible(record.label)}\n\nIts file {where} is removed. Nothing links to it."),
                          "Delete"),
            lambda yes: self._delete(record.id, opened) if yes else None,
        )

    def _delete(self, record_id: str, opened: Opened | None = None) -> None:
        if self.casefile is None or self.index is None:
            return
        if self._rereading:
            self.notify("Not deleted: the casefile is being read again; delete once it is shown.",
                        severity="warning", timeout=6)
            return
        try:
            delete(self.casefile, record_id, opened)
        except SaveError as error:
            self.notify(f"Not deleted: {visible(str(error))}", severity="error", timeout=8, markup=False)
            return
        except CacheBusy:
            # Its file is gone, but another whomet writes the cache, which could not take that in.
            self._reload_without_cache()
            return
        self.index.remove(record_id)
        self._refresh_panels()
        self.notify("Deleted.", timeout=3)

    # export

    EXPORTS = {"ftm": ("FollowTheMoney", "ftm.json"), "timelinejs": ("TimelineJS", "timeline.json"),
               "markdown": ("Markdown", "md")}

    def export_casefile(self, format: str, person: str | None = None) -> None:
        """Ask where, then write the casefile (or one person's chronology) in another format."""
        if self.casefile is None:
            return
        name, suffix = self.EXPORTS[format]
        stem = f"{self.casefile.name}-{person}" if person else self.casefile.name
        proposed = Path.cwd() / f"{stem}.{suffix}"
        self.push_screen(PathScreen(f"Export to {name}", proposed),
                         lambda path: self._write_export(format, path, person) if path else None)

    def _write_export(self, format: str, path: Path, person: str | None) -> None:
        assert self.casefile is not None
        self.notify(f"Exporting to {visible(str(path))}…", timeout=3, markup=False)
        self._export(format, path, person, self.casefile.name)

    @work(thread=True, group="export")
    def _export(self, format: str, path: Path, person: str | None, name: str) -> None:
        # An export holds every record, so it reads every file (what is written is what is on
        # disk): seconds for a large casefile, so not on the thread that answers the keys.
        from ..export import ExportError, render
        from ..index import Index
        from ..store import load, write_atomically

        index = Index(load(self.folder).records)
        try:
            write_atomically(path, render(index, format, name, person=person).encode("utf-8"))
        except (ExportError, SaveError) as error:
            self.call_from_thread(self.notify, f"Not exported: {visible(str(error))}", severity="error", timeout=8,
                                  markup=False)
            return
        self.call_from_thread(self.notify, f"Wrote {visible(str(path))}", timeout=5, markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Back", "Go back to where you were (backspace)", self.action_back)
        yield SystemCommand("Forward", "Go forward again (alt+right)", self.action_forward)
        yield SystemCommand("Jump to contradiction",
                            "From a statement to the meeting it contradicts, or back (c)", self.action_contradiction)
        yield SystemCommand("Open source URL", "Open the source's URL in the browser (o)", self.action_open_url)
        yield SystemCommand("Copy citation", "Copy the citation of the record in detail (y)", self.action_copy_citation)
        yield SystemCommand("Add a record", "A new person, organization, meeting, statement or source (a)",
                            self.action_add)
        yield SystemCommand("Edit this record", "Edit the record in detail (e)", self.action_edit)
        yield SystemCommand("Delete this record", "Delete the record in detail (d)", self.action_delete)
        yield SystemCommand("Reload the casefile", "Read every file again from disk", self.reload_casefile)
        for format, (name, _) in self.EXPORTS.items():
            yield SystemCommand(f"Export to {name}", f"Write the whole casefile as {name}",
                                lambda format=format: self.export_casefile(format))
        if self.party is not None:
            yield SystemCommand("Export this timeline to Markdown",
                                "A chronology of the selected person, with quotes and numbered sources",
                                lambda: self.export_casefile("markdown", self.party))
        yield SystemCommand("Show problems", "The casefile's problems, by file and line (p)", self.action_problems)
        yield SystemCommand("Help", "Every key (?)", self.action_help)
        yield SystemCommand("Filter people", "Filter the people list (/)", self._filter_people)

    def _filter_people(self) -> None:
        self.query_one("#people", FilteredList).action_start_filter()
