"""Snapshots of each screen on the bundled case: the browser, a statement, a meeting, help, problems.

Update them deliberately with ``pytest --snapshot-update`` and read the report before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BUNDLED, SMALL_CASE, until_shown, work_done, write_casefile
from whomet.app import WhometApp

HEARING = "2017-01-10-sessions-confirmation-hearing"
SEPTEMBER = "2016-09-sessions-kislyak-senate-office"


async def loaded(pilot) -> None:
    await until_shown(pilot.app, pilot)


def going_to(record_id: str):
    async def run_before(pilot) -> None:
        await loaded(pilot)
        pilot.app.browser.go_to_record(record_id)
        await pilot.pause()

    return run_before


def test_main_screen(snap_compare):
    assert snap_compare(WhometApp(BUNDLED), terminal_size=(160, 48), run_before=loaded)


def test_main_screen_at_80_by_24(snap_compare):
    assert snap_compare(WhometApp(BUNDLED), terminal_size=(80, 24), run_before=loaded)


def test_statement(snap_compare):
    assert snap_compare(WhometApp(BUNDLED), terminal_size=(160, 48), run_before=going_to(HEARING))


def test_meeting(snap_compare):
    assert snap_compare(WhometApp(BUNDLED), terminal_size=(160, 48), run_before=going_to(SEPTEMBER))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_help(snap_compare, size):
    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=loaded, press=["question_mark"])


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_finding_words_in_the_record_shown(snap_compare, size):
    async def finding(pilot) -> None:
        await going_to(HEARING)(pilot)
        pilot.app.query_one("#detail-body").focus()
        await pilot.press("slash", *"russians")
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=finding)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_both_versions_of_a_record_changed_on_disk(snap_compare, size, tmp_path: Path):
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    path = folder / "statements" / f"{HEARING}.toml"

    async def conflict(pilot) -> None:
        await going_to(HEARING)(pilot)
        await pilot.press("e")
        await pilot.pause(0.2)
        form = pilot.app.screen
        field = next(f for f in form.fields if f.field_name == "occasion")
        field.editor.value = "Senate confirmation hearing (mine)"
        path.write_text(path.read_text().replace("under_oath = true", "under_oath = false"))
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)

    assert snap_compare(WhometApp(folder), terminal_size=size, run_before=conflict)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_problems(snap_compare, tmp_path: Path, size):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "people/cy.toml": 'name = "Cy"\nnationalty = "US"\n',
        "meetings/bad.toml": 'title = "T"\ndate = "2016-02-30"\n',
        "meetings/uncited.toml": 'title = "U"\ndate = "2016"\n',
    })
    # Snapshots must not depend on where the test runs: the problems name paths inside the case.
    assert snap_compare(WhometApp(folder), terminal_size=size, run_before=loaded, press=["p"])


@pytest.mark.parametrize("kind_index", range(5), ids=["person", "organization", "meeting", "statement", "source"])
def test_new_record_form(snap_compare, kind_index):
    async def open_form(pilot) -> None:
        await loaded(pilot)
        await pilot.press("a", *["j"] * kind_index, "enter")
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=(120, 50), run_before=open_form)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_edit_form_with_rows_and_an_error(snap_compare, size):
    async def edit(pilot) -> None:
        await going_to(SEPTEMBER)(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = pilot.app.screen
        date = next(f for f in form.fields if f.field_name == "date")
        date.editor.focus()
        await pilot.press("end", "-", "3", "1")
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=edit)


def test_people_filter(snap_compare):
    # The filter shows above the list it filters, the list narrowed to the names that match.
    assert snap_compare(WhometApp(BUNDLED), terminal_size=(160, 48), run_before=loaded, press=["slash", "k", "i", "s"])


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_chronology(snap_compare, size):
    async def filtered(pilot) -> None:
        await loaded(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("slash", *"with:jeff-sessions stance:denies between:2017", "enter")
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=filtered)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_connections(snap_compare, size):
    async def met(pilot) -> None:
        await going_to("jeff-sessions")(pilot)
        await pilot.press("w")
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=met)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_path(snap_compare, size):
    async def path(pilot) -> None:
        await going_to("carter-page")(pilot)
        await pilot.press("W", *"Poptodorova")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=path)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_chronology_by_role_and_type(snap_compare, size):
    async def filtered(pilot) -> None:
        await loaded(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("slash", *'kind:meeting role:ambassador type:"in person"', "enter")
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=filtered)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_next_path(snap_compare, size):
    async def path(pilot) -> None:
        await going_to("carter-page")(pilot)
        await pilot.press("W", *"Poptodorova")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=path)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_activity_chart(snap_compare, size):
    async def chart(pilot) -> None:
        await going_to("jeff-sessions")(pilot)
        await pilot.press("g")
        await pilot.pause(0.3)

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=chart)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_activity_chart_of_the_chronology(snap_compare, size):
    async def chart(pilot) -> None:
        await loaded(pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("slash", *"role:ambassador", "enter")
        await pilot.pause()
        await pilot.press("g", "s")
        await pilot.pause(0.3)

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=chart)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_search(snap_compare, size):
    async def searched(pilot) -> None:
        await loaded(pilot)
        await pilot.press("s", *"kislyak ambassador", "enter")
        await work_done(pilot.app)
        await pilot.pause()

    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=searched)
