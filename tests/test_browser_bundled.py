"""The reader's question on the bundled case: what did Sessions say, and what do the records show?"""

from __future__ import annotations

import pytest

from helpers import BUNDLED, screen_text, until_shown
from whomet.app import WhometApp
from whomet.app.filtered import FilteredList
from whomet.app.lists import RecordList

HEARING = "2017-01-10-sessions-confirmation-hearing"
SEPTEMBER = "2016-09-sessions-kislyak-senate-office"


async def choose_link(app, pilot, *, relation: str, target: str) -> None:
    """Move the cursor in the links list to a link, with the keys a reader would press."""
    links = app.query_one("#links", RecordList)
    assert app.focused is links
    wanted = next(i for i, row in enumerate(app.browser.source.links) if row.relation == relation and row.target == target)
    while links.highlighted != wanted:
        await pilot.press("j" if (links.highlighted or 0) < wanted else "k")
    await pilot.press("enter")


async def test_sessions_hearing_meeting_kislyak_and_back_again():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        # Sessions, found by filtering the people list
        await pilot.press("slash", *"sessions", "enter", "enter")
        assert app.browser.party == "jeff-sessions" and app.browser.here().focus == "timeline"
        # his hearing statement, found by walking the timeline
        timeline = app.query_one("#timeline", FilteredList).records
        while timeline.highlighted_id != HEARING:
            await pilot.press("j")
        shown = screen_text(app)
        assert "did not have communications with the Russians" in shown
        assert "⚠ contradicts" in shown and "under oath" in shown
        await pilot.press("enter")
        assert app.browser.here().focus == "links"
        # the September 2016 meeting it contradicts
        await choose_link(app, pilot, relation="denies", target=SEPTEMBER)
        assert (app.browser.party, app.browser.item) == ("jeff-sessions", SEPTEMBER)
        shown = screen_text(app)
        assert "Sessions meets Kislyak in his Senate office" in shown and "Sep 2016" in shown
        assert "Armed Services" in shown  # the roles Sessions held then
        # Kislyak, from the meeting's participants
        await choose_link(app, pilot, relation="participant", target="sergey-kislyak")
        assert (app.browser.party, app.browser.item) == ("sergey-kislyak", SEPTEMBER)
        assert "Timeline · Sergey Kislyak" in screen_text(app)
        # back, back
        await pilot.press("backspace")
        assert (app.browser.party, app.browser.item, app.browser.here().focus) == ("jeff-sessions", SEPTEMBER, "links")
        await pilot.press("backspace")
        assert (app.browser.party, app.browser.item, app.browser.here().focus) == ("jeff-sessions", HEARING, "links")
        assert "did not have communications with the Russians" in screen_text(app)


async def test_c_from_the_hearing_offers_each_contradicted_meeting():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record(HEARING)
        await pilot.pause()
        await pilot.press("c")
        shown = screen_text(app)
        assert "Jump to the meeting this statement contradicts" in shown
        assert "Sessions meets Kislyak in his Senate office" in shown
        choices = app.screen.query_one("#choices")
        index = next(i for i in range(choices.option_count) if choices.get_option_at_index(i).id == SEPTEMBER)
        for _ in range(index):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        assert app.browser.item == SEPTEMBER
        await pilot.press("c")  # one denial of this meeting? several: a choice again
        await pilot.pause()
        if len(app.screen_stack) > 1:
            await pilot.press("escape")
        assert app.browser.item == SEPTEMBER


async def test_palette_finds_a_statement_by_its_words():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("ctrl+p", *"surrogate at a time")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.browser.item == HEARING and app.browser.party == "jeff-sessions"


@pytest.mark.parametrize(("typed", "party"), [("kislyak", "sergey-kislyak"), ("sessions", "jeff-sessions")])
async def test_palette_puts_the_person_named_first(typed, party):
    # Meetings and sources titled with the same name hold it as much; a name looked up is most
    # often the person's.
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("ctrl+p", *typed)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert (app.browser.party, app.browser.item) == (party, None)
