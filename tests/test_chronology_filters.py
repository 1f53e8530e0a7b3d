"""The chronology's filters as a user reaches them: typed in the filter line, from the palette,
on the command line, and charted."""

from __future__ import annotations

import json

import pytest

from helpers import BUNDLED, screen_text, until_shown
from whomet.app import WhometApp
from whomet.app.chronology_filters import parse_filters
from whomet.cli import main
from whomet.index.chronology import Filters, chronology_of
from whomet.model.kinds import MEETING_STATUSES, TYPES_AND_SETTINGS
from whomet.store import load


@pytest.fixture(scope="module")
def session():
    """The app's session on the bundled case, as the filter line asks it who is who."""
    from whomet.app.session import CasefileSession
    from whomet.index import CachedIndex
    from whomet.store import open_casefile

    opened = CasefileSession(BUNDLED)
    casefile = open_casefile(BUNDLED)
    opened.adopt(casefile, CachedIndex(casefile))
    yield opened
    casefile.close()


@pytest.mark.parametrize(("typed", "filters"), [
    ('type:dinner type:"in person" status:alleged', Filters(types=("dinner", "in person"), statuses=("alleged",))),
    ("oath:yes kind:statement", Filters(kinds=("statement",), under_oath=True)),
    ("oath:no", Filters(under_oath=False)),
    ("role:ambassador role:'attorney general' with:jeff-sessions any",
     Filters(parties=("jeff-sessions",), every_party=False, roles=("ambassador", "attorney general"))),
    ("Type:Dinner", Filters(words="Type:Dinner")),  # not a filter's name: words
    ("between:2016-03/2016-09 russians", Filters(first_day="2016-03-01", last_day="2016-09-30", words="russians")),
])
def test_the_filter_line_reads_each_filter(session, typed, filters):
    assert parse_filters(typed, session) == (filters, [])


@pytest.mark.parametrize(("typed", "said"), [
    ("type:picnic", "type:picnic is not one of in person, dinner"),
    ("status:rumoured", "status:rumoured is not one of confirmed, alleged, disputed"),
    ("oath:maybe", "oath:maybe: yes or no"),
    ("role:", "role: wants a value"),
    ("with:nobody", "no person or organization 'nobody'"),
    ("with:kislyak", "no person or organization 'kislyak' (did you mean sergey-kislyak"),
])
def test_what_cannot_be_read_is_said(session, typed, said):
    filters, wrong = parse_filters(typed, session)
    assert filters == Filters() and len(wrong) == 1 and wrong[0].startswith(said)


def test_the_types_offered_are_every_type_and_setting_the_bundled_case_uses():
    records = load(BUNDLED).records.values()
    used = {getattr(r, "type", None) or getattr(r, "setting", None) for r in records if r.kind in ("meeting", "statement")}
    assert used <= set(TYPES_AND_SETTINGS)
    assert {getattr(r, "status", None) for r in records if r.kind == "meeting"} <= set(MEETING_STATUSES)


async def chronology_open(pilot, app) -> None:
    await until_shown(app, pilot)
    await pilot.press("t")
    await pilot.pause()


async def from_palette(pilot, words: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*words)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_each_filter_is_in_the_palette_and_adds_itself_to_the_line():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(140, 40)) as pilot:
        await chronology_open(pilot, app)
        line = app.screen.query_one("#chronology-filter")
        await from_palette(pilot, "Chronology: meetings only")
        assert line.value == "kind:meeting"
        await from_palette(pilot, "Chronology: status alleged")
        assert line.value == "kind:meeting status:alleged"
        expected = chronology_of(app.browser.session.casefile.db, Filters(kinds=("meeting",), statuses=("alleged",)))
        shown = screen_text(app)
        assert "Chronology · meetings · alleged" in shown and f"{len(expected)} records" in shown
        await from_palette(pilot, "Chronology: clear the filters")
        assert line.value == ""
        await from_palette(pilot, "Chronology: under oath")
        assert line.value == "oath:yes" and "2 records" in screen_text(app)
        await from_palette(pilot, "Chronology: role on the day")
        assert line.has_focus and line.value == "oath:yes role:"
        await pilot.press(*"senator", "enter")
        await pilot.pause()
        assert "under oath · then senator" in screen_text(app)
        await from_palette(pilot, "Chronology: with a person or organization")
        await pilot.press(*"Kislyak")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert line.value == "oath:yes role:senator with:sergey-kislyak"
        assert "0 records" in screen_text(app)


async def test_g_in_the_chronology_charts_what_its_filters_pass():
    from whomet.app.activity import ActivityScreen

    app = WhometApp(BUNDLED)
    async with app.run_test(size=(140, 40)) as pilot:
        await chronology_open(pilot, app)
        await pilot.press("slash", *"with:jeff-sessions role:ambassador kind:meeting", "enter")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause(0.5)
        assert isinstance(app.screen, ActivityScreen)
        counted = app.screen.activity
        passed = chronology_of(app.browser.session.casefile.db,
                               Filters(parties=("jeff-sessions",), roles=("ambassador",), kinds=("meeting",)))
        assert counted.counted + counted.counted_apart == len(passed)
        shown = screen_text(app)
        assert "Activity: chronology · jeff-sessions · meetings · then ambassador" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#chronology-filter").value == "with:jeff-sessions role:ambassador kind:meeting"
        await pilot.press("slash", "ctrl+u", *"oath:yes", "enter", "g")  # statements only: counted
        await pilot.pause(0.5)
        assert app.screen.activity.statements and app.screen.activity.counted == 2


def test_the_command_line_takes_every_filter_and_charts_them(capsys, tmp_path):
    assert main(["chronology", "--type", "dinner", "--status", "confirmed", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in rows] == ["2016-06-28-burt-dinner-metropolitan-club",
                                           "2016-08-burt-dinner-metropolitan-club"]
    assert main(["chronology", "--under-oath", "--role", "senator"]) == 0
    assert "2 records (under oath · then senator)" in capsys.readouterr().err
    assert main(["chronology", "--role", "ambassador", "--kind", "meeting", "--chart", "--json"]) == 0
    chart = json.loads(capsys.readouterr().out)
    counted = sum(bar["meetings"] for bar in chart["bars"]) + sum(a["meetings"] for a in chart["not_in_any_bar"])
    assert chart["label"] == "chronology · meetings · then ambassador" and counted == 11
    # A record known only to the year is never in a month's bar.
    assert {"label": "2016, month unknown", "first": "2016-01-01", "last": "2016-12-31", "meetings": 1} \
        in chart["not_in_any_bar"]
    for wrong in (["--type", "picnic"], ["--under-oath", "--not-under-oath"]):
        with pytest.raises(SystemExit) as usage:
            main(["chronology", *wrong])
        assert usage.value.code == 2


async def test_help_opens_over_the_chronology_and_names_its_filters():
    from whomet.app.screens import HelpScreen

    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        await chronology_open(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from whomet.app.keys import help_rows

        assert any("type:, status:, oath:, stance:, role:" in row.does for row in help_rows())
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash", *"kind:meeting?")  # typed in the filter line, a ? is a letter
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.fixture(scope="module")
def bundled_db():
    from whomet.store import open_casefile

    casefile = open_casefile(BUNDLED)
    yield casefile.db
    casefile.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(alphabet=st.sampled_from(list("aeiKs'\"*-:()^/.,…“” _AND OR NOT NEAR 北ü\t")), max_size=24))
def test_any_words_typed_are_looked_for_as_text_never_as_a_query(bundled_db, typed):
    everything = {row.id for row in chronology_of(bundled_db)}
    found = {row.id for row in chronology_of(bundled_db, Filters(words=typed))}
    held = {row.id for row in chronology_of(bundled_db, Filters(roles=(typed,)))} if typed.strip() else set()
    assert found <= everything and held <= everything
