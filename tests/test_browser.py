"""The browser driven by keys, as a reader uses it; assertions on what the screen shows."""

from __future__ import annotations

import os

import pytest

from helpers import SMALL_CASE, screen_text, until_shown, write_casefile
from whomet.app import WhometApp
from whomet.app.filtered import FilteredList
from whomet.app.lists import RecordList


async def opened(app, pilot):
    await until_shown(app, pilot)


def highlighted(app, selector: str) -> str | None:
    return app.query_one(selector, FilteredList).records.highlighted_id


def detail(app) -> str:
    return screen_text(app)


async def test_the_three_panels_show_people_a_timeline_and_the_detail(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(150, 40)) as pilot:
        await opened(app, pilot)
        shown = screen_text(app)
        assert "Ann Lee  1·1" in shown and "Bo Ray" in shown and "Senate" in shown
        assert "Timeline · Ann Lee" in shown
        assert "Sep 2016" in shown and "✗ denied" in shown
        assert "10 Jan 2017" in shown and "⚠ contradicts records" in shown
        assert "PERSON" in shown and "Senator, Senate" in shown
        assert "6 records" in app.sub_title


async def test_enter_walks_from_person_to_item_to_its_links(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("enter")
        assert app.browser.here().focus == "timeline" and app.browser.item == "2016-09-lee-ray"
        assert "MEETING" in screen_text(app) and "as senator" in screen_text(app)
        await pilot.press("j")
        assert app.browser.item == "2017-01-10-lee-hearing"
        shown = screen_text(app)
        assert "I did not meet Ray." in shown and "under oath" in shown
        assert "⚠ contradicted: reported by Lee met Ray" in shown
        await pilot.press("enter")
        assert app.browser.here().focus == "links"


async def test_following_links_and_going_back_and_forward(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("enter", "j", "enter")  # Ann Lee → hearing statement → its links
        links = app.query_one("#links", RecordList)
        labels = [str(row.prompt) for row in links.rows]
        denies = next(i for i, label in enumerate(labels) if label.startswith("denies"))
        links.highlighted = denies
        await pilot.press("enter")
        assert app.browser.item == "2016-09-lee-ray" and app.browser.party == "ann-lee"
        links.highlighted = next(
            i for i, row in enumerate(links.rows) if "Bo Ray" in str(row.prompt)
        )
        await pilot.press("enter")
        # Bo Ray's timeline, with the meeting we came from still selected
        assert (app.browser.party, app.browser.item, app.browser.here().focus) == ("bo-ray", "2016-09-lee-ray", "timeline")
        assert "Timeline · Bo Ray" in screen_text(app)
        await pilot.press("backspace")
        assert (app.browser.party, app.browser.item, app.browser.here().focus) == ("ann-lee", "2016-09-lee-ray", "links")
        await pilot.press("alt+left")
        assert (app.browser.party, app.browser.item) == ("ann-lee", "2017-01-10-lee-hearing")
        await pilot.press("alt+right")
        assert (app.browser.party, app.browser.item) == ("ann-lee", "2016-09-lee-ray")
        await pilot.press("alt+right")
        assert app.browser.party == "bo-ray"


async def test_following_a_link_to_someone_with_nothing_of_theirs_in_view_shows_them(tmp_path):
    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, "meetings/2016-10-senate-session.toml": """
        title = "Senate session"
        date = "2016-10"
        [[participants]]
        who = "senate"
        [[citations]]
        source = "daily-report"
        excerpt = "The Senate sat."
    """})
    app = WhometApp(folder)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        assert app.browser.party == "ann-lee" and app.browser.item is None
        links = app.query_one("#links", RecordList)
        role = next(i for i, row in enumerate(links.rows) if str(row.prompt).startswith("role"))
        links.focus()
        links.highlighted = role
        await pilot.press("enter")
        # The Senate itself, its session in its timeline: not the session, titled as if followed.
        assert (app.browser.party, app.browser.item, app.browser.here().focus) == ("senate", None, "people")
        shown = screen_text(app)
        assert "Organization · Senate" in shown and "Timeline · Senate" in shown and "Senate session" in shown
        await pilot.press("enter")  # into its timeline, as from the people list
        assert (app.browser.item, app.browser.here().focus) == ("2016-10-senate-session", "timeline")
        await pilot.press("backspace", "backspace")
        assert (app.browser.party, app.browser.item, app.browser.here().focus) == ("ann-lee", None, "links")


async def test_c_jumps_between_a_denial_and_the_meeting_it_denies(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("enter", "j")
        assert app.browser.item == "2017-01-10-lee-hearing"
        await pilot.press("c")
        assert app.browser.item == "2016-09-lee-ray"
        await pilot.press("c")
        assert app.browser.item == "2017-01-10-lee-hearing"
        await pilot.press("backspace")
        assert app.browser.item == "2016-09-lee-ray"


async def test_slash_filters_people_fuzzily_and_escape_clears(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("slash", "b", "r", "a", "y")
        people = app.query_one("#people", FilteredList).records
        shown = [row.record_id for row in people.rows]
        assert shown == ["bo-ray"]
        assert app.browser.party == "bo-ray" and "Timeline · Bo Ray" in screen_text(app)
        await pilot.press("enter")
        assert app.browser.here().focus == "people"
        await pilot.press("escape")
        assert people.row_count == 5  # two headings and three parties
        assert app.browser.party == "bo-ray"


async def test_filtering_by_alias(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("down")  # Bo Ray
        await pilot.press("slash", *"annie")
        assert app.browser.party == "ann-lee"


async def test_typing_in_the_filter_does_not_trigger_keys(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("slash", "q", "c", "p", "backspace", "backspace", "backspace")
        assert app.is_running and len(app.screen_stack) == 1
        assert app.query_one("#people", FilteredList).query_text == ""


async def test_palette_goes_to_a_record_by_quote(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"did not meet")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.browser.item == "2017-01-10-lee-hearing"
        assert "I did not meet Ray." in screen_text(app)


async def test_palette_lists_the_people_bearing_a_surname_before_what_mentions_it():
    from helpers import BUNDLED

    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened(app, pilot)
        await pilot.press("ctrl+p", *"kislyak")
        await pilot.pause(0.5)
        listed = [line for line in screen_text(app).splitlines() if "Go to " in line]
        assert listed and "Go to person: Sergey Kislyak" in listed[0]
        await pilot.press("enter")
        await pilot.pause()
        assert app.browser.party == "sergey-kislyak"


async def test_palette_runs_actions(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("ctrl+p", *"show problems")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert "The casefile has no problems." in screen_text(app)


async def test_help_lists_every_key(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 60)) as pilot:
        await opened(app, pilot)
        await pilot.press("question_mark")
        shown = screen_text(app)
        for key in ("tab / shift+tab", "backspace / alt+←", "ctrl+p", "? / f1"):
            assert key in shown
        await pilot.press("escape")
        await pilot.press("f1")
        assert "Keys" in screen_text(app)


async def test_a_broken_casefile_opens_with_what_is_valid_and_lists_its_problems(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "people/cy.toml": 'name = "Cy"\nnationalty = "US"\n',
        "meetings/bad.toml": 'title = "T"\ndate = "2016-02-30"\n',
    })
    app = WhometApp(folder)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        assert "2 errors" in app.sub_title and "6 records" in app.sub_title
        assert "Ann Lee" in screen_text(app)
        await pilot.press("p")
        shown = screen_text(app)
        assert "people/cy.toml" in shown and "unknown-key" in shown and "nationalty" in shown
        assert "meetings/bad.toml" in shown and "bad-date" in shown
        await pilot.press("escape")
        assert len(app.screen_stack) == 1


async def test_a_missing_casefile_opens_and_says_so(tmp_path):
    app = WhometApp(tmp_path / "nowhere")
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(app, pilot)
        assert "1 error" in app.sub_title
        await pilot.press("p")
        assert "does not exist" in screen_text(app)


HOSTILE = {
    "people/mallory.toml": '''
        name = "[bold]Mallory[/bold] [@click=app.quit]x[/]"
        summary = "bell\\u0007 esc\\u001b[31mred ltr\\u202eevil zero\\u200bwidth [link=file:///etc/passwd]here[/link]"
    ''',
    "sources/bad-url.toml": '''
        title = "[/] not a tag"
        url = "file:///etc/passwd"
    ''',
    "meetings/m.toml": '''
        title = "[red]Meeting[/red]"
        date = "2016"
        [[participants]]
        who = "mallory"
        [[citations]]
        source = "bad-url"
        excerpt = "[b]excerpt[/b] ]["
    ''',
}


async def test_markup_in_records_shows_as_typed_and_controls_are_visible(tmp_path):
    folder = write_casefile(tmp_path / "case", HOSTILE)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 40)) as pilot:
        await opened(app, pilot)
        shown = screen_text(app)
        assert "[bold]Mallory[/bold] [@click=app.quit]x[/]" in shown
        assert "bell␇ esc␛[31mred" in shown
        assert "<U+202E>evil" in shown and "<U+200B>width" in shown
        assert "[link=file:///etc/passwd]here[/link]" in shown
        await pilot.press("enter")
        shown = screen_text(app)
        assert "[red]Meeting[/red]" in shown and "“[b]excerpt[/b] ][”" in shown and "[/] not a tag" in shown
        assert app.is_running


async def test_markup_in_records_shows_as_typed_in_the_panels_titles_too(tmp_path):
    folder = write_casefile(tmp_path / "case", HOSTILE)
    app = WhometApp(folder)
    async with app.run_test(size=(240, 40)) as pilot:
        await opened(app, pilot)
        top = screen_text(app).splitlines()[1]
        assert "Timeline · [bold]Mallory[/bold] [@click=app.quit]x[/]" in top
        assert "Person · [bold]Mallory[/bold] [@click=app.quit]x[/]" in top
        await pilot.press("enter")
        await pilot.pause()
        assert "Meeting · [red]Meeting[/red]" in screen_text(app).splitlines()[1]


async def test_a_record_saved_under_a_name_in_brackets_is_said_saved_as_typed(small_case):
    from test_forms import add

    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 0)  # person
        await pilot.press(*"Zed [/] [b]Ze")
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)  # the record is saved and its toast drawn
        assert app.is_running  # "[/]" read as markup closes nothing: an error, once drawn
        said = [n for n in app._notifications if str(n.message) == "Saved Zed [/] [b]Ze."]
        assert said and not said[0].markup


async def test_only_http_urls_are_opened(tmp_path, monkeypatch):
    folder = write_casefile(tmp_path / "case", HOSTILE)
    app = WhometApp(folder)
    opened_urls: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened_urls.append(url))
    async with app.run_test(size=(160, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("enter", "o")
        await pilot.pause()
        assert opened_urls == []
        assert any("only http and https" in n.message for n in app._notifications)


async def test_o_opens_the_source_url_and_y_copies_the_citation(small_case, monkeypatch):
    app = WhometApp(small_case)
    opened_urls: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened_urls.append(url))
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("enter", "j", "o", "y")
        assert opened_urls == ["https://example.org/lee-ray"]
        assert app.clipboard.startswith("“I did not meet Ray.” — Ann Lee, 10 Jan 2017")
        assert "“Lee said she did not meet Ray.”" in app.clipboard


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_small_and_large_terminals_show_all_three_panels(small_case, size):
    app = WhometApp(small_case)
    async with app.run_test(size=size) as pilot:
        await opened(app, pilot)
        await pilot.press("enter", "j")
        shown = screen_text(app)
        assert "People" in shown and "Timeline" in shown and "Statement" in shown
        assert "Ann Lee" in shown and "10 Jan 2017" in shown


async def test_a_jump_to_a_party_hidden_by_the_filter_clears_the_filter(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("slash", *"senate", "enter")
        assert app.browser.party == "senate"
        app.browser.go_to_record("2017-01-10-lee-hearing")
        await pilot.pause()
        assert (app.browser.party, app.browser.item) == ("ann-lee", "2017-01-10-lee-hearing")
        people = app.query_one("#people", FilteredList)
        assert people.query_text == "" and people.records.highlighted_id == "ann-lee"


async def test_slash_filters_the_timeline(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        await pilot.press("enter", "slash", *"hearing did not")
        timeline = app.query_one("#timeline", FilteredList).records
        assert timeline.row_count == 0
        await pilot.press("escape")
        await pilot.press("slash", *"did not meet", "enter")
        assert [row.record_id for row in timeline.rows] == ["2017-01-10-lee-hearing"]
        assert app.browser.item == "2017-01-10-lee-hearing" and app.browser.here().focus == "timeline"


async def test_the_people_filter_puts_the_cursor_on_the_best_match_as_letters_are_typed():
    from helpers import BUNDLED

    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened(app, pilot)
        # "k" alone ranks another name first; "kis" ranks Kislyak first, and the cursor follows.
        await pilot.press("slash", "k", "i", "s")
        await pilot.pause()
        people = app.query_one("#people", FilteredList).records
        assert people.rows[0].record_id == "sergey-kislyak"
        assert app.browser.party == "sergey-kislyak" and "Timeline · Sergey Kislyak" in screen_text(app)


async def test_letters_typed_in_one_burst_after_the_slash_go_to_the_filter(small_case):
    from textual import events

    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await opened(app, pilot)
        # As a fast typist or a paste delivers them: all in the queue before the first is handled.
        for key, character in (("slash", "/"), ("b", "b"), ("r", "r"), ("a", "a")):
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.press("y")  # and one more, after the filter has its focus
        people = app.query_one("#people", FilteredList)
        assert people.filter_input.value == "bray"
        assert [row.record_id for row in people.records.rows] == ["bo-ray"] and app.browser.party == "bo-ray"


async def test_the_detail_is_wrapped_again_when_the_terminal_is_resized():
    from helpers import BUNDLED

    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened(app, pilot)
        summary = "Senator from Alabama for 20 years, one of Trump's earliest supporters"

        def detail_text() -> str:
            panel = app.query_one("#detail")
            right = panel.region.x + panel.region.width
            lines = [line[app.query_one("#detail-body").region.x:right - 1] for line in screen_text(app).splitlines()]
            return " ".join(" ".join(lines).split())

        assert summary in detail_text()
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert summary in detail_text()  # wrapped at the new width: no word cut off, none lost
        body = app.query_one("#detail-body")
        assert body.content is not None and body.virtual_size.height > body.scrollable_content_region.height


async def test_the_key_bar_shows_the_keys_of_the_focused_panel_and_a_click_presses_one(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(160, 40)) as pilot:
        await opened(app, pilot)
        bar = screen_text(app).splitlines()[-1]
        # Help's key ends the keys: "? Help", or "? more" when some keys do not fit.
        help_entry = "? Help" if "? Help" in bar else "? more"
        assert "⏎ Open" in bar and "/ Filter" in bar and help_entry in bar and bar.endswith("▏^p palette")
        await pilot.press("tab", "tab")  # the detail's text: nothing to open or filter there
        await pilot.pause()
        bar = screen_text(app).splitlines()[-1]
        assert "/ Filter" not in bar and "⏎ Open" not in bar and "⌫ Back" in bar
        await pilot.press("shift+tab", "shift+tab")
        await pilot.pause()
        bar = screen_text(app).splitlines()[-1]
        assert "/ Filter" in bar
        await pilot.click("KeyBar", offset=(bar.index(help_entry) + 2, 0))
        await pilot.pause()
        assert "Keys" in screen_text(app) and type(app.screen).__name__ == "HelpScreen"


async def test_a_narrow_key_bar_leaves_out_whole_keys_and_keeps_the_palette(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(60, 24)) as pilot:
        await opened(app, pilot)
        bar = screen_text(app).splitlines()[-1]
        assert bar.startswith(" ⏎ Open  / Filter") and bar.endswith("▏^p palette")
        assert "q Quit" not in bar and not bar.rstrip("▏^p palette").endswith("…")


async def test_moving_through_people_and_links_does_not_lay_the_screen_out(tmp_path):
    # Records of every length are shown in panels whose size the layout fixed: a record shown
    # repaints the panels; it does not lay the whole screen out again (at 100,000 records that
    # was a repaint of everything and two more frames on every key).
    meetings = {f"meetings/m-{number:02}.toml": f'title = "Meeting number {number}"\ndate = "2016-01-01"\n'
                                                '[[participants]]\nwho = "ann-lee"\n' for number in range(60)}
    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, **meetings})  # Ann's timeline and links scroll
    app = WhometApp(folder)
    async with app.run_test(size=(150, 40)) as pilot:
        await opened(app, pilot)
        layouts = []
        refresh_layout = app.screen._refresh_layout
        app.screen._refresh_layout = lambda *args, **kwargs: (layouts.append(1), refresh_layout(*args, **kwargs))
        titles = set()
        for key in ("j", "j", "j", "k", "enter", "j", "enter", "backspace", "tab", "tab", "tab"):
            await pilot.press(key)
            await pilot.pause()
            titles.add(app.query_one("#detail").border_title)
        assert len(titles) >= 3  # other records were shown
        assert layouts == []


async def test_the_progress_bar_is_there_while_files_are_read_and_gone_after(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(150, 40)) as pilot:
        assert app.query("#loading")  # no cache yet: the files are read behind a progress bar
        await opened(app, pilot)
        assert not app.query("#loading")


async def test_the_loading_text_says_what_is_read_and_that_linking_follows(small_case, monkeypatch):
    import whomet.store.cache as cache_module
    from whomet.app.textview import TextView

    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)  # read by reader processes, which report counts
    said: list[str] = []
    update = TextView.update

    def noted(self: TextView, text: object) -> None:
        said.append(str(text))
        update(self, text)

    monkeypatch.setattr(TextView, "update", noted)
    app = WhometApp(small_case)
    async with app.run_test(size=(150, 40)) as pilot:
        await opened(app, pilot)
    reading = [text for text in said if text.startswith("Read")]
    assert reading[0] == "Reading 6 files: 0 read…"  # a first read: no file is "changed"
    assert reading[-1] == "Read 6 files; linking and counting…"


async def test_a_cached_casefile_paints_the_record_in_detail_in_its_first_frame(small_case):
    from whomet.app.textview import TextView
    from whomet.store.look import EarlyLook

    for path in small_case.rglob("*.toml"):  # not written just now: else read again on each launch
        os.utime(path, (path.stat().st_atime - 3600, path.stat().st_mtime - 3600))
    async with WhometApp(small_case).run_test(size=(150, 40)) as pilot:  # fills the cache
        await opened(app := pilot.app, pilot)
        settled = [strip.text.rstrip() for strip in app.query_one("#detail-body", TextView).render_lines(
            app.query_one("#detail-body", TextView).region.reset_offset)]
    first: list[list[str]] = []
    render_lines = TextView.render_lines

    def noted(self, crop):  # noqa: ANN001, ANN202
        strips = render_lines(self, crop)
        if not first:
            first.append([strip.text.rstrip() for strip in strips])
        return strips

    TextView.render_lines = noted
    try:
        app = WhometApp(small_case, early=EarlyLook.start(small_case))
        async with app.run_test(size=(150, 40)) as pilot:
            await opened(app, pilot)
    finally:
        TextView.render_lines = render_lines
    # The text is laid out at the view's width in the first layout's own paint, not a frame later.
    assert any(settled) and first[0] == settled


async def test_palette_shows_the_words_found_as_typed_and_tells_namesakes_apart(tmp_path):
    summary = "A banker in Ohio; signs [bold]letters[/bold] and [/] memos, \\\\[red] too."
    case = {**SMALL_CASE, "people/bo-ray-2.toml": f'name = "Bo Ray"\nsummary = "{summary}"\n'}
    folder = write_casefile(tmp_path / "case", case)
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await opened(app, pilot)
        await pilot.press("ctrl+p", *"banker ohio")
        await pilot.pause(0.5)
        shown = screen_text(app)
        # Where the words were found, as the file has it: data, never markup.
        assert "summary: A banker in Ohio; signs [bold]letters[/bold] and [/] memos, \\[red] too." in shown
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p", *"bo ray")
        await pilot.pause(0.5)
        shown = screen_text(app)
        # Two people of one name: each hit says which file it is and what is known of them.
        assert "bo-ray · 1 meeting · 0 statements" in shown
        assert "bo-ray-2 · 0 meetings · 0 statements · A banker in Ohio; signs [bold]letters" in shown


async def test_the_palette_says_the_casefile_is_still_being_read_rather_than_finding_nothing(small_case, monkeypatch):
    import threading

    from whomet.store.cache import CaseCache

    reading = threading.Event()
    refresh = CaseCache.refresh

    def slow(self: CaseCache, *args: object, **kwargs: object):  # noqa: ANN202
        reading.wait(10)
        return refresh(self, *args, **kwargs)

    monkeypatch.setattr(CaseCache, "refresh", slow)
    app = WhometApp(small_case)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("ctrl+p", *"ann")
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert "still being read" in shown and "No matches" not in shown
        await pilot.press("escape")
        reading.set()
        await opened(app, pilot)
        await pilot.press("ctrl+p", *"ann")
        await pilot.pause(0.3)
        assert "Go to person: Ann Lee" in screen_text(app)


async def test_slash_in_the_detail_finds_words_and_letters_do_not_act(small_case):
    app = WhometApp(small_case)
    opened_urls: list[str] = []
    async with app.run_test(size=(150, 40)) as pilot:
        await opened(app, pilot)
        app.open_url = lambda url, **_: opened_urls.append(url)
        app.browser.go_to_record("2017-01-10-lee-hearing")
        await pilot.pause()
        app.query_one("#detail-body").focus()
        await pilot.press("slash", *"oath")
        await pilot.pause()
        assert opened_urls == [] and app.screen is app.browser  # no URL opened, no form
        body = app.query_one("#detail-body")
        assert body.found and app.query_one("#detail").border_subtitle.endswith("found")
        await pilot.press("enter")
        assert body.has_focus
        first = body.current
        await pilot.press("n")
        assert body.current == (first + 1) % len(body.found)
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert not body.found and body.has_focus
        assert app.browser.item == "2017-01-10-lee-hearing"


async def test_words_found_are_marked_as_text_never_markup(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "people/bo-ray.toml": 'name = "Bo Ray"\nsummary = "He said [bold]x[/] and [/] twice."\n',
    })
    app = WhometApp(folder)
    async with app.run_test(size=(150, 40)) as pilot:
        await opened(app, pilot)
        app.browser.go_to_record("bo-ray")
        await pilot.pause()
        app.query_one("#detail-body").focus()
        await pilot.press("slash", *"[/]")
        await pilot.pause()
        assert "[bold]x[/] and [/] twice" in screen_text(app)
        assert len(app.query_one("#detail-body").found) == 2
