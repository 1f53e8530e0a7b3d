"""The browser: people, timeline and source-quote panels, with history like a web browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header

from .. import model
from ..index import CachedIndex
from ..store import EarlyLook
from .detail import describe
from .filtered import FilteredList
from .history import History, Location
from .keybar import KeyBar
from .keys import bindings
from .lists import RecordList, Row
from .loading import Loading, freeze_start
from .panels import PeoplePanel, SourcePanel, TimelinePanel
from .screens import ProblemsScreen
from .session import CasefileSession
from .text import visible

if TYPE_CHECKING:
    from ..model import Meeting, Record, Statement
    from ..store import CaseCache
    from .editing import RecordEditing
    from .watching import Watcher

PANELS = ("people", "timeline", "detail-body", "links")


class BrowserScreen(Screen):
    """The three panels over one casefile, and where the reader is in them.

    It does not paint all of itself again when the focus moves: Textual's screens do (their
    ``focused`` repaints), though the focus's move restyles, and so redraws, the widgets it
    concerns by itself: at 100,000 records the needless repaint cost ~25 ms on every Tab and
    every link followed."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    BINDINGS = bindings("browser")

    def __init__(self, session: CasefileSession, early: EarlyLook | None, *, reads_all: bool) -> None:
        super().__init__(id="_default")
        self.session = session
        self.party: str | None = None
        self.item: str | None = None
        self.history = History()
        self.reading = Loading(self, early, reads_all=reads_all)
        self._editing: RecordEditing | None = None
        self.watcher: Watcher | None = None
        """What follows the changes made outside, once the casefile is shown."""
        self.chronology_typed = ""
        """The chronology's filters as last typed: going back to it finds them as they were."""
        self.chronology_at: str | None = None
        """The record the chronology's cursor was last on: going back to it finds it there."""
        self.search_typed = ""
        self.search_at: str | None = None
        """The search as last typed, and the record its cursor was on: going back finds them."""
        session.when_busy = self.reading.read_without_cache
        session.when_changed = self.refresh_panels

    @property
    def index(self) -> CachedIndex | None:
        return self.session.index

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panels"):
            yield PeoplePanel()
            yield TimelinePanel()
            yield SourcePanel(reading=self.reading.reads_all)
        yield KeyBar()

    @property
    def people(self) -> PeoplePanel:
        return self.query_one(PeoplePanel)

    @property
    def timeline(self) -> TimelinePanel:
        return self.query_one(TimelinePanel)

    @property
    def source(self) -> SourcePanel:
        return self.query_one(SourcePanel)

    def on_mount(self) -> None:
        freeze_start()
        self.app.sub_title = f"{self.session.folder.name}: loading…"
        self.people.records.focus()
        self.reading.start()

    def on_unmount(self) -> None:
        self.reading.close()
        if self.watcher is not None:
            self.watcher.stop()

    def start_watching(self) -> None:
        """Follow what is changed outside from now on (after the first paint: it costs the launch nothing)."""
        from .watching import Watcher

        if self.watcher is None and self.session.casefile is not None:
            self.watcher = Watcher(self)
            self.watcher.start()

    # showing a casefile

    def adopt(self, casefile: CaseCache, index: CachedIndex, *, detail_now: bool = True) -> None:
        self.session.adopt(casefile, index)
        self.refresh_panels(detail_now=detail_now)

    def refresh_panels(self, *, detail_now: bool = True) -> None:
        casefile, index = self.session.casefile, self.session.index
        assert casefile is not None and index is not None
        errors, warnings = len(casefile.errors), len(casefile.warnings)
        counts = f"{len(index):,} records"
        if casefile.problems:
            counts += f" · {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} (p)"
        if casefile.pending:
            counts += " · checking links and flags…"
        self.app.sub_title = f"{casefile.name} · {counts}"
        gone = [record for record in (self.party, self.item) if record is not None and record not in index]
        if self.party is not None and self.party not in index:
            self.party = nearest(self.people.records.rows, self.party, index)
        if self.item is not None and self.item not in index:
            self.item = nearest(self.timeline.records.rows, self.item, index)
        if gone:
            instead = self.item or self.party
            self.app.notify(f"{' and '.join(gone)} {'is' if len(gone) == 1 else 'are'} gone from the casefile"
                            + (f"; showing {index.label_of(instead) or instead}, nearest in the list." if instead else "."),
                            timeout=5, markup=False)
        people = self.people
        with people.records.prevent(RecordList.Highlighted):
            people.fill(index, self.party)
        if self.party is None:
            self.party = people.records.highlighted_id
        with self.timeline.records.prevent(RecordList.Highlighted):
            self.timeline.fill(index, self.party, self.item)
        if detail_now:
            self.show_detail(self.source.link_list.highlighted)

    def take_in(self, casefile: CaseCache, index: CachedIndex) -> None:
        """The casefile read again (changes made outside): shown, the reader kept where they were.
        The cache read before is left to be freed, not closed: a palette search may still read it."""
        self.adopt(casefile, index)
        for screen in self.app.screen_stack:  # the views open over the browser follow too
            changed = getattr(screen, "casefile_changed", None)
            if callable(changed):
                changed()

    def show_detail(self, link: int | None = None) -> None:
        """Show the current item (or, with none, the current party) in the source-quote panel."""
        index = self.index
        if index is None:
            return
        record = self.current_record()
        if record is None:
            self.source.show_nothing("This casefile has no records yet." if not len(index) else "Nothing selected.")
            return
        body, followed = describe(index, record)
        self.source.show(record.id, body, followed, record.kind, record.label, link)

    # where the reader is

    def focused_panel(self) -> str:
        # A dialog above the browser does not move the reader.
        focused = self.focused
        for node in (focused, *(focused.ancestors if focused else ())):
            if isinstance(node, Widget) and node.id == "find":  # finding words in the detail
                return "detail-body"
            if isinstance(node, Widget) and node.id in PANELS:
                return node.id
        return "people"

    def here(self) -> Location:
        return Location(self.party, self.item, self.focused_panel(), self.source.link_list.highlighted)

    def jump(self, location: Location) -> None:
        """Go somewhere new, remembering where we were."""
        self.history.jump(self.here(), location)
        self.go(location)

    def go(self, location: Location) -> None:
        if self.index is None:
            return
        if location.focus in ("chronology", "search"):  # back to the view, over where the reader was
            self.go(Location(location.party, location.item, "people" if location.item is None else "timeline"))
            getattr(self, f"action_{location.focus}")()
            return
        people = self.people
        if location.party is not None:
            with people.records.prevent(RecordList.Highlighted):
                if not people.records.highlight_id(location.party):
                    people.clear_filter()
                    people.records.highlight_id(location.party)
        party_changed = location.party != self.party
        self.party, self.item = location.party, location.item
        timeline = self.timeline
        if party_changed:
            timeline.fill(self.index, self.party, location.item)
        if location.item is not None:
            with timeline.records.prevent(RecordList.Highlighted):
                if not timeline.records.highlight_id(location.item):
                    timeline.clear_filter()
                    timeline.records.highlight_id(location.item)
        self.show_detail(location.link)
        target = {
            "people": people.records,
            "timeline": timeline.records,
            "detail-body": self.source.body,
            "links": self.source.link_list,
        }[location.focus]
        target.focus()

    # messages from the panels

    @on(RecordList.Highlighted, "#people RecordList")
    def _party_highlighted(self, event: RecordList.Highlighted) -> None:
        if event.record_id == self.party or self.index is None:
            return
        self.party, self.item = event.record_id, None
        self.timeline.fill(self.index, self.party, None)
        self.show_detail()

    @on(RecordList.Highlighted, "#timeline RecordList")
    def _item_highlighted(self, event: RecordList.Highlighted) -> None:
        if event.record_id == self.item:
            return
        if self.focused_panel() == "timeline":
            self.item = event.record_id
            self.show_detail()

    @on(RecordList.Selected, "#people RecordList")
    def _party_chosen(self, event: RecordList.Selected) -> None:
        first = self.timeline.records.highlighted_id
        self.jump(Location(event.record_id, first, "timeline"))

    @on(RecordList.Selected, "#timeline RecordList")
    def _item_chosen(self, event: RecordList.Selected) -> None:
        self.jump(Location(self.party, event.record_id, "links", 0))

    @on(RecordList.Selected, "#links")
    def _link_chosen(self, event: RecordList.Selected) -> None:
        number = int(event.record_id.removeprefix("link-")) if event.record_id else -1
        links = self.source.links
        if 0 <= number < len(links):
            self.follow(links[number].target)

    @on(FilteredList.Filtered, "#people")
    def _people_filtered(self, event: FilteredList.Filtered) -> None:
        shown = event.filtered_list.records.highlighted_id
        if shown is not None and shown != self.party and self.index is not None:
            self.party, self.item = shown, None
            self.timeline.fill(self.index, self.party, None)
            self.show_detail()

    def on_descendant_focus(self, event: object) -> None:
        """The detail follows the focus: a party from the people list, an item from the timeline."""
        if self.index is None:
            return
        panel = self.focused_panel()
        if panel == "people" and self.item is not None:
            self.item = None
            self.show_detail()
        elif panel == "timeline":
            highlighted = self.timeline.records.highlighted_id
            if highlighted is not None and highlighted != self.item:
                self.item = highlighted
                self.show_detail()

    # navigation

    def follow(self, target: str) -> None:
        """Follow a link, as a browser would: a party opens its timeline, an item its detail."""
        location = self.location_of(target)
        if location is not None:
            self.jump(location)

    def location_of(self, target: str) -> Location | None:
        if self.index is None:
            return None
        record = self.index.get(target)
        if record is None:
            self.app.notify(f"{visible(target)} is not in the casefile.", severity="warning", markup=False)
            return None
        if isinstance(record, (model.Person, model.Organization)):
            timeline = [row.id for row in self.index.timeline_rows(record.id)]
            if self.item in timeline:  # the record we came from, among theirs
                return Location(record.id, self.item, "timeline")
            return Location(record.id, None, "people")  # nothing of theirs in view yet: them
        if isinstance(record, (model.Meeting, model.Statement)):
            return Location(self._party_for(record), record.id, "links", 0)
        return Location(self.party, record.id, "links", 0)

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
            self.jump(Location(record_id, None, "people"))
        else:
            self.follow(record_id)

    def action_back(self) -> None:
        location = self.history.back(self.here())
        if location is None:
            self.app.notify("Nothing to go back to.", timeout=2)
            return
        self.go(location)

    def action_forward(self) -> None:
        location = self.history.forward(self.here())
        if location is None:
            self.app.notify("Nothing to go forward to.", timeout=2)
            return
        self.go(location)

    def current_record(self) -> Record | None:
        return self.session.get(self.item or self.party)

    # What the keys on records do is imported when first used: a launch need not pay for it.

    @property
    def editing(self) -> RecordEditing:
        from .editing import RecordEditing

        if self._editing is None:
            self._editing = RecordEditing(self)
        return self._editing

    def action_contradiction(self) -> None:
        from .detail_actions import jump_to_contradiction

        jump_to_contradiction(self)

    def action_open_url(self) -> None:
        from .detail_actions import open_source_url

        open_source_url(self)

    def action_copy_citation(self) -> None:
        from .detail_actions import copy_citation

        copy_citation(self)

    def action_quote_in_context(self) -> None:
        from .quote_context import open_in_context

        open_in_context(self)

    def focused_link_target(self) -> str | None:
        """The record the link in focus leads to, when the links have the focus."""
        links = self.source.link_list
        if not links.has_focus or links.highlighted is None or not 0 <= links.highlighted < len(self.source.links):
            return None
        return self.source.links[links.highlighted].target

    def action_problems(self) -> None:
        if self.session.casefile is None:
            return
        from ..store import archive_summary

        casefile = self.session.casefile
        verified, differ, unarchived = casefile.verification()
        summary = archive_summary(verified, differ, unarchived) if verified else ""
        self.app.push_screen(ProblemsScreen(casefile.problems, self.session.folder, summary))

    def action_add(self) -> None:
        self.editing.add()

    def action_edit(self) -> None:
        self.editing.edit()

    def action_delete(self) -> None:
        self.editing.delete()

    # the views over the whole casefile (views.py): imported when first used

    def action_search(self) -> None:
        from .views import open_search

        open_search(self)

    def action_chronology(self) -> None:
        from .views import open_chronology

        open_chronology(self)

    def action_connections(self) -> None:
        from .views import open_connections

        open_connections(self)

    def action_path(self) -> None:
        from .views import open_path

        open_path(self)

    def action_activity(self) -> None:
        from .views import open_activity

        open_activity(self)

    def action_reload(self) -> None:
        """Read the casefile from disk again, now, keeping the reader where they are."""
        if self.session.casefile is not None and self.session.casefile.pending:
            # Its second step holds the cache's write lock: what changed is read once it is done.
            self.app.notify("The casefile's links and flags are being checked after its first reading; "
                            "what changed on disk is read once that is done.", timeout=5)
            return
        self.session.reload()
        self.app.notify("The casefile was read again from disk.", timeout=3)

    def action_open_in_editor(self) -> None:
        from .editor import open_in_editor

        open_in_editor(self)

    def action_new_in_editor(self) -> None:
        from .editor import new_in_editor

        new_in_editor(self)

    def action_history(self) -> None:
        from .record_history import open_history

        open_history(self)

    def action_filter_people(self) -> None:
        self.people.action_start_filter()


def nearest(rows: list[Row], gone: str, index: CachedIndex) -> str | None:
    """The record listed nearest to ``gone`` (after it first, then before) that ``index`` still
    holds: where the reader's place is when their record was deleted outside."""
    ids = [row.record_id for row in rows]
    if gone not in ids:
        return None
    at = ids.index(gone)
    for record_id in (*ids[at + 1:], *reversed(ids[:at])):
        if record_id is not None and record_id in index:
            return record_id
    return None
