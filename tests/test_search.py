"""Search: every word of the casefile through the cache's full-text index, names first, the
words around each hit shown as text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import BUNDLED, screen_text, until_shown, work_done, write_casefile
from whomet.app import WhometApp
from whomet.index import find_words
from whomet.store import load, open_casefile


@pytest.fixture(scope="module")
def bundled():
    casefile = open_casefile(BUNDLED)
    yield casefile
    casefile.close()


def holding(word: str) -> set[str]:
    """The bundled records with a word starting with ``word`` in any text a search looks in."""
    import re

    from whomet.store.cache import searchable

    found = set()
    for record in load(BUNDLED).records.values():
        texts = [text for _, text in searchable(record)]
        texts += [p.capacity for p in getattr(record, "participants", [])]
        if any(re.search(rf"(?<![^\W_]){re.escape(word)}", text, re.IGNORECASE) for text in texts):
            found.add(record.id)
    return found


@pytest.mark.parametrize("word", ["kislyak", "mayflower", "senator", "burt", "recus"])
def test_every_record_holding_a_word_is_found_once(bundled, word):
    hits = find_words(bundled.db, word)
    assert sorted(hit.record_id for hit in hits) == sorted(holding(word))


def test_names_come_first_then_titles_then_what_was_said(bundled):
    hits = find_words(bundled.db, "kislyak")
    groups = [hit.group for hit in hits]
    assert groups == sorted(groups) and groups[0] == 0
    assert hits[0].record_id == "sergey-kislyak"  # the name itself before a longer one holding it
    quote = next(hit for hit in find_words(bundled.db, "couple times") if hit.field == "quote")
    assert quote.match.lower() == "couple" and "times" in quote.after and quote.group == 2


def test_kinds_and_days_narrow_a_search(bundled):
    meetings = find_words(bundled.db, "kislyak", kinds=("meeting",))
    assert meetings and all(hit.kind == "meeting" for hit in meetings)
    within = find_words(bundled.db, "kislyak", kinds=("meeting",), first_day="2016-09-01", last_day="2016-09-30")
    assert {hit.record_id for hit in within} <= {hit.record_id for hit in meetings}
    assert "2016-09-sessions-kislyak-senate-office" in {hit.record_id for hit in within}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(alphabet=st.sampled_from(list("kisaeo'\"*-:()^/.,…“” _ANDORNT北ü")), max_size=20))
def test_anything_typed_is_searched_as_words(bundled, typed):
    for hit in find_words(bundled.db, typed):
        assert hit.record_id and hit.group in (0, 1, 2)


async def test_s_searches_enter_opens_and_back_returns_to_the_search_as_it_was():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"kislyak kind:meeting", "enter")
        await work_done(app)  # each key's search runs in a thread; the last one typed is shown
        await pilot.pause()
        shown = screen_text(app)
        expected = {hit.record_id for hit in find_words(app.browser.session.casefile.db, "kislyak", kinds=("meeting",))}
        assert f"{len(expected)} records" in shown and "Titles (" in shown
        listed = [row.record_id for row in app.screen.records.rows if row.record_id]
        assert set(listed) == expected
        await pilot.press("down", "enter")
        await pilot.pause()
        chosen = app.browser.item
        assert app.screen is app.browser and chosen in expected
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen.search_line.value == "kislyak kind:meeting"
        assert app.screen.records.highlighted_id == chosen


async def test_what_a_record_says_is_shown_as_typed_never_as_markup(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        "people/ann.toml": 'name = "Ann [bold]Lee[/]"\nsummary = "Met the [red]envoy[/] twice."\n',
    })
    app = WhometApp(folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("s", *"envoy")
        await work_done(app)
        await pilot.pause()
        shown = screen_text(app)
        assert "Ann [bold]Lee[/]" in shown and "Met the [red]envoy[/] twice." in shown


async def test_search_is_in_the_palette():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("ctrl+p", *"Search")
        await pilot.pause(0.5)
        listed = [line for line in screen_text(app).splitlines() if "Search" in line]
        assert listed
        from whomet.app.search import SearchScreen

        for _ in range(4):
            await pilot.press("enter")
            await pilot.pause(0.2)
            if isinstance(app.screen, SearchScreen):
                break
            await pilot.press("ctrl+p", *"Search", "down")
        assert isinstance(app.screen, SearchScreen)
