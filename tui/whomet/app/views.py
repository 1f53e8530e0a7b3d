"""The views over the whole casefile, from the browser: the chronology, whom someone met, and the
chain of meetings between two; each returns to the browser on the record chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .history import Location
from .text import one_line

if TYPE_CHECKING:
    from .browser import BrowserScreen
    from .chronology import ChronologyScreen


def open_chronology(browser: BrowserScreen) -> None:
    from .chronology import ChronologyScreen

    if browser.session.index is None:
        return
    screen = ChronologyScreen(browser.session, browser.chronology_typed, browser.chronology_at)
    browser.app.push_screen(screen, lambda chosen: _from_chronology(browser, screen, chosen))


def _from_chronology(browser: BrowserScreen, screen: ChronologyScreen, chosen: str | None) -> None:
    browser.chronology_typed = screen.typed
    browser.chronology_at = screen.records.highlighted_id
    if chosen is None or browser.index is None or chosen not in browser.index:
        return
    location = browser.location_of(chosen)
    if location is None:
        return
    # Back from the record returns to the chronology, its filters as they were.
    browser.history.jump(Location(browser.party, browser.item, "chronology"), location)
    browser.go(location)


def open_search(browser: BrowserScreen) -> None:
    from .search import SearchScreen

    if browser.session.index is None:
        return
    screen = SearchScreen(browser.session, browser.search_typed, browser.search_at)

    def chosen(record_id: str | None) -> None:
        browser.search_typed, browser.search_at = screen.typed, screen.records.highlighted_id
        if record_id is None or browser.index is None or record_id not in browser.index:
            return
        location = browser.location_of(record_id)
        if location is not None:  # back from the record returns to the search, as it was
            browser.history.jump(Location(browser.party, browser.item, "search"), location)
            browser.go(location)

    browser.app.push_screen(screen, chosen)


def _party_shown(browser: BrowserScreen) -> str | None:
    """The person or organization in view: the record in detail if it is one, else the party;
    None, said to the user, when there is none (or the casefile is still being read)."""
    record = browser.current_record()
    party = record.id if record is not None and record.kind in ("person", "organization") else browser.party
    if party is None or browser.session.casefile is None:
        if browser.session.index is not None and not browser.session.index.party_rows():
            browser.app.notify("This casefile names no people or organizations: its meetings and statements are "
                               "in the chronology (t), and g there charts them.", timeout=5)
        else:
            browser.app.notify("Select a person or organization first.", timeout=3)
        return None
    return party


def open_connections(browser: BrowserScreen) -> None:
    from .connections import ConnectionsScreen

    party = _party_shown(browser)
    if party is None:
        return

    def chosen(typed: str | None) -> None:
        if typed is not None:  # the meetings they shared, in the chronology
            browser.chronology_typed = typed
            open_chronology(browser)

    browser.app.push_screen(ConnectionsScreen(browser.session, party), chosen)


def open_path(browser: BrowserScreen) -> None:
    from .connections import PartyPicker, PathScreen

    start = _party_shown(browser)
    if start is None:
        return

    def picked(end: str | None) -> None:
        if end is not None:
            browser.app.push_screen(PathScreen(browser.session, start, end),
                                    lambda chosen: browser.follow(chosen) if chosen else None)

    label = one_line(browser.session.label(start) or start)
    browser.app.push_screen(PartyPicker(browser.session, f"Path from {label} to…"), picked)


def open_activity(browser: BrowserScreen) -> None:
    from .activity import ActivityScreen

    party = _party_shown(browser)
    if party is None:
        return
    browser.app.push_screen(ActivityScreen(browser.session.casefile, party, session=browser.session))
