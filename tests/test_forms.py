"""Adding, editing and deleting records through forms, typed key by key; nothing the user wrote is lost."""

from __future__ import annotations

import json
import os
import tomllib
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from helpers import screen_text, until_shown
from whomet.app import WhometApp
from whomet.app.reference import ReferenceField
from whomet.app.rows import RowsField
from whomet.app.forms import RecordForm


async def opened(app, pilot):
    await until_shown(app, pilot)


def form(app) -> RecordForm:
    assert isinstance(app.screen, RecordForm), app.screen
    return app.screen


def status(app) -> str:
    return str(form(app).query_one("#form-status").content)


def field(app, name):
    return next(f for f in form(app).fields if f.field_name == name)


async def type_into(pilot, widget, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def edit(app, pilot, record_id: str) -> None:
    await opened(app, pilot)
    app.browser.go_to_record(record_id)
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()


@asynccontextmanager
async def summary_typed(case: Path, text: str):
    """The app on ``case``, Bo Ray's form open with ``text`` typed into its summary; yields the app,
    the pilot and the file's bytes as they were."""
    app = WhometApp(case)
    before = (case / "people" / "bo-ray.toml").read_bytes()
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        await type_into(pilot, field(app, "summary").editor, text)
        yield app, pilot, before


async def add(pilot, kind_index: int) -> None:
    await pilot.press("a", *["j"] * kind_index, "enter")
    await pilot.pause()


async def pick(pilot, reference: ReferenceField, text: str, choice: int = 0) -> None:
    await type_into(pilot, reference.editor, text)
    await pilot.pause()
    await pilot.press(*["down"] * choice, "enter")
    await pilot.pause()


async def add_row(pilot, rows: RowsField):
    button = rows.query_one(".add-row")
    button.focus()
    await pilot.press("enter")
    await pilot.pause()
    return rows.rows[-1]


def row_field(row, name):
    return next(f for f in row.fields if f.field_name == name)


async def test_adding_a_person_proposes_an_id_and_selects_the_new_record(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 0)
        assert form(app).kind == "person"
        await pilot.press(*"Cy Young")  # the form opens with the cursor in the name
        await pilot.pause()
        assert form(app).record_id == "cy-young"
        assert "file: people/cy-young.toml" in screen_text(app)
        await type_into(pilot, field(app, "nationality").editor, "US")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
        on_disk = tomllib.loads((small_case / "people" / "cy-young.toml").read_text(encoding="utf-8"))
        assert on_disk == {"name": "Cy Young", "nationality": "US"}
        assert app.browser.party == "cy-young" and "cy-young" in app.session.index
        assert "Cy Young" in screen_text(app)


async def test_adding_a_meeting_with_participants_and_a_citation(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 2)
        assert form(app).kind == "meeting"
        await pilot.press(*"Lee dines with Ray")
        await type_into(pilot, field(app, "date").editor, "2016-10-04")
        assert "reads as 4 Oct 2016" in screen_text(app)
        first = await add_row(pilot, field(app, "participants"))
        await pick(pilot, row_field(first, "who"), "ann")
        await type_into(pilot, row_field(first, "capacity").editor, "as senator")
        second = await add_row(pilot, field(app, "participants"))
        await pick(pilot, row_field(second, "who"), "bo r")
        citation = await add_row(pilot, field(app, "citations"))
        await pick(pilot, row_field(citation, "source"), "lee met")
        await type_into(pilot, row_field(citation, "excerpt").editor, "They dined on 4 October.")
        assert form(app).record_id == "2016-10-04-lee-dines-with-ray"
        await pilot.press("ctrl+s")
        await pilot.pause()
        path = small_case / "meetings" / "2016-10-04-lee-dines-with-ray.toml"
        on_disk = tomllib.loads(path.read_text(encoding="utf-8"))
        assert on_disk["date"] == "2016-10-04"
        assert on_disk["participants"] == [{"who": "ann-lee", "capacity": "as senator"}, {"who": "bo-ray"}]
        assert on_disk["citations"] == [{"source": "daily-report", "excerpt": "They dined on 4 October."}]
        # selected, and its links immediately navigable
        assert app.browser.item == "2016-10-04-lee-dines-with-ray" and app.browser.party == "ann-lee"
        assert [r.id for r in app.session.index.timeline("bo-ray")][-1] == "2016-10-04-lee-dines-with-ray"
        app.query_one("#links").focus()
        await pilot.press("j", "enter")
        assert app.browser.party == "bo-ray"


async def test_invalid_input_is_refused_with_the_message_on_the_field(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 2)
        await type_into(pilot, field(app, "date").editor, "2016-02-30")
        assert "Feb 2016 has 29 days, not 30" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = screen_text(app)
        assert isinstance(app.screen, RecordForm)
        assert "Not saved" in shown and "required" in shown  # the title
        assert field(app, "title").has_class("-invalid") and field(app, "date").has_class("-invalid")
        assert list((small_case / "meetings").iterdir()) == [small_case / "meetings" / "2016-09-lee-ray.toml"]


async def test_a_typed_reference_must_be_picked(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 3)  # statement
        speaker = field(app, "speaker")
        await type_into(pilot, speaker.editor, "nobody known")
        assert speaker.has_class("-suggesting")
        await pilot.press("escape")  # closes the suggestions, not the form
        await pilot.pause()
        assert isinstance(app.screen, RecordForm) and not speaker.has_class("-suggesting")
        await type_into(pilot, field(app, "quote").editor, "Words.")
        await type_into(pilot, field(app, "date").editor, "2017")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not picked" in screen_text(app)
        assert not (small_case / "statements").joinpath("2017-nobody-known-words.toml").exists()
        assert len(list((small_case / "statements").iterdir())) == 1


async def test_a_reference_to_a_new_record_offers_to_create_it_first(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 3)
        speaker = field(app, "speaker")
        await type_into(pilot, speaker.editor, "Zed Zero")
        await pilot.pause()
        assert "+ new person “Zed Zero”…" in screen_text(app)
        options = speaker.suggestions
        new_person = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "new:person")
        await pilot.press(*["down"] * new_person, "enter")
        await pilot.pause()
        nested = form(app)
        assert nested.kind == "person" and field(app, "name").get_value() == "Zed Zero"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form(app).kind == "statement"
        assert speaker.value == "zed-zero" and speaker.editor.value == "Zed Zero"
        assert (small_case / "people" / "zed-zero.toml").exists()
        await type_into(pilot, field(app, "quote").editor, "I never met [bold]anyone[/].")
        await type_into(pilot, field(app, "date").editor, "2017-03~")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = [p for p in (small_case / "statements").iterdir() if "zed-zero" in p.name]
        assert len(saved) == 1
        assert tomllib.loads(saved[0].read_text(encoding="utf-8"))["quote"] == "I never met [bold]anyone[/]."
        assert "I never met [bold]anyone[/]." in screen_text(app)


async def test_escape_asks_before_discarding_what_was_typed(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 0)
        await pilot.press("escape")  # nothing typed: closes at once
        assert not isinstance(app.screen, RecordForm)
        await add(pilot, 0)
        await pilot.press(*"Half typed")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard what you typed?" in screen_text(app)
        await pilot.press("n")
        assert form(app) and field(app, "name").get_value() == "Half typed"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert not (small_case / "people" / "half-typed.toml").exists()


COMMENTED = '''# Kept by hand: Bo Ray's file.
name = "Bo Ray"   # as he signs

[[roles]]
title = "Lobbyist"  # per the 2016 filing
'''


async def test_editing_keeps_comments_and_changes_only_what_changed(small_case):
    path = small_case / "people" / "bo-ray.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        assert form(app).record.id == "bo-ray" and field(app, "name").get_value() == "Bo Ray"
        await type_into(pilot, field(app, "summary").editor, "A lobbyist.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Kept by hand: Bo Ray's file.\nname = \"Bo Ray\"   # as he signs\n")
        assert 'title = "Lobbyist"  # per the 2016 filing' in text
        assert tomllib.loads(text)["summary"] == "A lobbyist."
        assert "A lobbyist." in screen_text(app)


async def test_an_edit_of_a_commented_entry_keeps_the_comment(small_case):
    path = small_case / "people" / "bo-ray.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        roles = field(app, "roles")
        await pilot.pause()
        await type_into(pilot, row_field(roles.rows[0], "title").editor, " and consultant")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
    assert path.read_text(encoding="utf-8") == COMMENTED.replace('"Lobbyist"', '"Lobbyist and consultant"')


async def test_an_edit_that_would_drop_comments_is_refused_with_the_reason(small_case):
    path = small_case / "people" / "bo-ray.toml"
    text = 'name = "Bo Ray"\naliases = [\n  "Bobby",  # as his mother says\n  "B. Ray",\n]\n'
    path.write_text(text, encoding="utf-8")
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        aliases = field(app, "aliases")
        aliases.editor.load_text("B. Ray")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "'aliases' holds comments" in status(app)
        assert isinstance(app.screen, RecordForm)
        assert path.read_text(encoding="utf-8") == text


async def test_a_file_changed_on_disk_is_not_overwritten_and_both_versions_are_shown(small_case):
    from whomet.app.conflict import ConflictScreen

    path = small_case / "people" / "bo-ray.toml"
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        await type_into(pilot, field(app, "summary").editor, "Mine.")
        theirs = 'name = "Bo Ray"  # kept by hand\nnationality = "pulled from git, longer"\n'
        path.write_text(theirs, encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        shown = screen_text(app)
        assert "pulled from git, longer" in shown and "Mine." in shown
        assert path.read_text(encoding="utf-8") == theirs
        await pilot.press("escape")
        await pilot.pause()
        assert "changed on disk" in status(app)
        assert field(app, "summary").get_value() == "Mine."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.keep_mine == {"nationality": False, "summary": True}
        await pilot.press("ctrl+s")  # use these: the file's nationality, my summary
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        await pilot.pause(0.1)
        assert field(app, "nationality").get_value() == "pulled from git, longer"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
    assert path.read_text(encoding="utf-8") == theirs + 'summary = "Mine."\n'


async def test_a_field_switched_to_the_version_on_disk_is_not_written(small_case):
    path = small_case / "people" / "bo-ray.toml"
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        await type_into(pilot, field(app, "summary").editor, "Mine.")
        theirs = 'name = "Bo Ray"\nsummary = "Theirs."\n'
        path.write_text(theirs, encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("space")  # the one field both changed: take the file's
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert field(app, "summary").get_value() == "Theirs."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
    assert path.read_text(encoding="utf-8") == theirs


async def test_reload_keeps_what_changed_on_disk_and_what_was_typed(small_case):
    path = small_case / "people" / "bo-ray.toml"
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        await type_into(pilot, field(app, "summary").editor, "Mine.")
        theirs = 'name = "Bo Ray"\nnationality = "pulled from git"\n'
        path.write_text(theirs, encoding="utf-8")
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert "your changes are kept" in status(app)
        assert field(app, "nationality").get_value() == "pulled from git"
        assert field(app, "summary").get_value() == "Mine."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
    assert path.read_text(encoding="utf-8") == theirs + 'summary = "Mine."\n'


async def test_a_failed_write_leaves_the_old_file_and_the_form_open(small_case, monkeypatch):
    path = small_case / "people" / "bo-ray.toml"
    async with summary_typed(small_case, "Will not fit.") as (app, pilot, before):

        def disk_full(*_args, **_kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", disk_full)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "No space left on device" in status(app)
        assert isinstance(app.screen, RecordForm) and field(app, "summary").get_value() == "Will not fit."
        assert path.read_bytes() == before
        assert sorted(p.name for p in path.parent.iterdir()) == ["ann-lee.toml", "bo-ray.toml"]


async def test_deleting_a_record_others_name_is_refused_with_the_list(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        app.browser.go_to_record("bo-ray")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        shown = screen_text(app)
        assert "Cannot delete this person" in shown and "participant: Lee meets Ray (meeting)" in shown
        await pilot.press("escape")
        assert (small_case / "people" / "bo-ray.toml").exists()


async def test_deleting_an_unlinked_record_after_confirmation(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        app.browser.go_to_record("2017-01-10-lee-hearing")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert "Delete this statement?" in screen_text(app)
        await pilot.press("n")
        assert (small_case / "statements" / "2017-01-10-lee-hearing.toml").exists()
        await pilot.press("d", "y")
        await pilot.pause()
        assert not (small_case / "statements" / "2017-01-10-lee-hearing.toml").exists()
        assert "2017-01-10-lee-hearing" not in app.session.index
        assert "I did not meet Ray." not in screen_text(app)


async def test_adding_a_source_an_organization_and_a_person_with_a_role(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 4)  # source
        await pilot.press(*"Lunch report")
        await type_into(pilot, field(app, "publisher").editor, "The Weekly")
        await type_into(pilot, field(app, "authors").editor, "A. Writer")
        await pilot.press("enter", *"B. Writer")
        await type_into(pilot, field(app, "published").editor, "2017-03-02")
        await type_into(pilot, field(app, "url").editor, "https://example.org/lunch")
        await pilot.press("ctrl+s")
        await pilot.pause()
        source = tomllib.loads((small_case / "sources" / "lunch-report.toml").read_text(encoding="utf-8"))
        assert source == {"title": "Lunch report", "publisher": "The Weekly", "authors": ["A. Writer", "B. Writer"],
                          "published": "2017-03-02", "url": "https://example.org/lunch"}
        assert app.browser.item == "lunch-report"

        await add(pilot, 1)  # organization
        await pilot.press(*"Armed Services Committee")
        await type_into(pilot, field(app, "country").editor, "United States")
        await pick(pilot, field(app, "parent"), "senate")
        await pilot.press("ctrl+s")
        await pilot.pause()
        organization = tomllib.loads(
            (small_case / "organizations" / "armed-services-committee.toml").read_text(encoding="utf-8"))
        assert organization == {"name": "Armed Services Committee", "country": "United States", "parent": "senate"}
        assert app.browser.party == "armed-services-committee"

        await add(pilot, 0)  # person
        await pilot.press(*"Dee Dee")
        role = await add_row(pilot, field(app, "roles"))
        await type_into(pilot, row_field(role, "title").editor, "Member")
        await pick(pilot, row_field(role, "organization"), "armed")
        await type_into(pilot, row_field(role, "start").editor, "2015")
        await type_into(pilot, row_field(role, "end").editor, "2014")
        sources = row_field(role, "sources")
        source_row = await add_row(pilot, sources)
        await pick(pilot, source_row.fields[0], "lunch")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "before it starts" in screen_text(app)  # the role ends before it starts: refused
        assert not (small_case / "people" / "dee-dee.toml").exists()
        await type_into(pilot, row_field(role, "end").editor, "")
        await pilot.press("ctrl+u", *"2018")
        await pilot.press("ctrl+s")
        await pilot.pause()
        person = tomllib.loads((small_case / "people" / "dee-dee.toml").read_text(encoding="utf-8"))
        assert person["roles"] == [{"title": "Member", "organization": "armed-services-committee",
                                    "start": "2015", "end": "2018", "sources": ["lunch-report"]}]
        assert app.browser.party == "dee-dee"
        assert [l.source for l in app.session.index.backlinks("armed-services-committee")] == ["dee-dee"]


async def test_adding_the_record_a_reference_names_clears_its_problem_at_once(small_case):
    (small_case / "statements" / "2017-03-cy-said.toml").write_text(
        'speaker = "cy-young"\ndate = "2017-03"\nquote = "No comment."\n'
        '[[citations]]\nsource = "daily-report"\nexcerpt = "Cy Young declined to comment."\n', encoding="utf-8")
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        assert "1 error" in app.sub_title
        await add(pilot, 0)
        await pilot.press(*"Cy Young", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
        assert "error" not in app.sub_title and "8 records" in app.sub_title
        await pilot.press("p")
        await pilot.pause()
        assert "missing-ref" not in screen_text(app) and "cy-young" not in screen_text(app)


async def test_an_error_in_a_form_keeps_what_was_typed_for_the_next_launch(small_case, state_folder):
    path = small_case / "people" / "bo-ray.toml"
    before = path.read_bytes()
    app = WhometApp(small_case)
    with pytest.raises(RuntimeError, match="an error inside the form"):
        async with app.run_test(size=(120, 50)) as pilot:
            await edit(app, pilot, "bo-ray")
            await type_into(pilot, field(app, "summary").editor, "Typed before the error.")

            def broken(*_args):
                raise RuntimeError("an error inside the form")

            form(app).action_save = broken
            await pilot.press("ctrl+s")
            await pilot.pause()
    assert app.return_code == 1
    assert app.crash_log is not None and "an error inside the form" in app.crash_log.read_text()
    assert len(app.kept_forms) == 1 and app.kept_forms[0].parent == state_folder / "recovered"
    assert path.read_bytes() == before

    again = WhometApp(small_case)
    async with again.run_test(size=(120, 50)) as pilot:
        await until_shown(again, pilot)
        await pilot.pause(0.1)
        assert "while you edited Bo Ray" in screen_text(again)
        await pilot.press("enter")  # open the form again with what was typed
        await pilot.pause(0.2)
        assert field(again, "summary").get_value() == "Typed before the error."
        assert "What you typed before whomet stopped is back" in status(again)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(again.screen, RecordForm)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["summary"] == "Typed before the error."
    assert not list((state_folder / "recovered").glob("*.json"))


@pytest.mark.parametrize("signal_name", ["SIGHUP", "SIGTERM"])
async def test_a_terminal_closed_under_an_open_form_keeps_what_was_typed(small_case, state_folder, signal_name):
    import signal

    path = small_case / "people" / "bo-ray.toml"
    async with summary_typed(small_case, "Typed as the window closed.") as (app, pilot, before):
        os.kill(os.getpid(), getattr(signal, signal_name))
        os.kill(os.getpid(), getattr(signal, signal_name))  # a closed terminal may send it twice
        await pilot.pause(0.1)
        assert not app.is_running
    assert app.return_code == 1
    assert len(app.kept_forms) == 1
    kept = json.loads(app.kept_forms[0].read_text(encoding="utf-8"))
    assert kept["id"] == "bo-ray" and kept["values"]["summary"] == "Typed as the window closed."
    assert path.read_bytes() == before


@pytest.mark.parametrize("taken_in", [True, False])
async def test_a_form_whose_file_was_deleted_outside_writes_it_back_when_asked(small_case, taken_in):
    path = small_case / "people" / "bo-ray.toml"
    async with summary_typed(small_case, "Kept though the file went.") as (app, pilot, _):
        if not taken_in:  # no watch (another whomet holds the cache, a folder that sends no events)
            app.browser.watcher.stop()
        path.unlink()
        if taken_in:  # the watch has seen it: the casefile no longer holds the record
            app.session.reload()
            form(app).file_changed_outside()
            await pilot.pause()
            assert "ctrl+s offers to write it back" in status(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "deleted outside" in screen_text(app)
        await pilot.press("n")  # not now: the form and what was typed stay
        await pilot.pause()
        assert not path.exists() and "ctrl+s offers to write it back" in status(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, RecordForm)
        assert app.browser.party == "bo-ray"
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert written["name"] == "Bo Ray" and written["summary"].endswith("Kept though the file went.")


async def test_ctrl_s_at_once_after_e_saves_the_whole_form(small_case):
    path = small_case / "meetings" / "2016-09-lee-ray.toml"
    before = path.read_bytes()
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        app.browser.go_to_record("2016-09-lee-ray")
        await pilot.pause()
        await pilot.press("e", "ctrl+s")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, RecordForm), status(app)
    assert path.read_bytes() == before  # nothing was changed, so nothing was rewritten


async def test_edit_from_the_palette_at_launch_opens_the_whole_form(small_case):
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"edit this")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, RecordForm)
        assert field(app, "name").get_value() == app.browser.current_record().name
        assert "to fix" not in status(app)


async def test_two_windows_on_one_casefile_never_lose_an_update(small_case):
    from whomet.app.conflict import ConflictScreen

    path = small_case / "people" / "bo-ray.toml"
    window_a, window_b = WhometApp(small_case), WhometApp(small_case)
    async with window_b.run_test(size=(120, 50)) as pilot_b:
        await edit(window_b, pilot_b, "bo-ray")
        await type_into(pilot_b, field(window_b, "summary").editor, "B's summary.")
        async with window_a.run_test(size=(120, 50)) as pilot_a:
            await edit(window_a, pilot_a, "bo-ray")
            await type_into(pilot_a, field(window_a, "nationality").editor, "A's nationality")
            await pilot_a.press("ctrl+s")
            await pilot_a.pause()
            assert not isinstance(window_a.screen, RecordForm)
        assert "A's nationality" in path.read_text(encoding="utf-8")
        await pilot_b.press("ctrl+s")
        await pilot_b.pause()
        assert isinstance(window_b.screen, ConflictScreen)
        assert "A's nationality" in screen_text(window_b)
        await pilot_b.press("ctrl+s")
        await pilot_b.pause(0.1)
        await pilot_b.press("ctrl+s")
        await pilot_b.pause()
        assert not isinstance(window_b.screen, RecordForm)
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    assert saved["nationality"] == "A's nationality"
    assert saved["summary"] == "B's summary."


async def test_a_folder_named_like_a_record_file_is_never_written_over(small_case):
    (small_case / "people" / "foo.toml").mkdir()
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await opened(app, pilot)
        await add(pilot, 0)
        await pilot.press(*"Foo")
        await pilot.pause()
        assert form(app).record_id == "foo-2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
    assert (small_case / "people" / "foo.toml").is_dir()
    assert tomllib.loads((small_case / "people" / "foo-2.toml").read_text(encoding="utf-8")) == {"name": "Foo"}


async def test_a_form_saves_only_the_fields_changed_never_what_it_shows_differently(small_case):
    path = small_case / "people" / "bo-ray.toml"
    text = 'name = "Bo Ray"\naliases = ["  B. ", "line\\nbreak"]\nnationality = "   "\n'
    path.write_text(text, encoding="utf-8")
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await edit(app, pilot, "bo-ray")
        await type_into(pilot, field(app, "name").editor, "nd")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, RecordForm)
    assert path.read_text(encoding="utf-8") == text.replace('"Bo Ray"', '"Bo Raynd"')


async def test_a_new_record_form_kept_after_an_error_asks_before_it_is_discarded(small_case, state_folder):
    from whomet.app.recovery import keep_form

    keep_form(small_case, "person", "cy-lost", {"name": "Cy Lost", "summary": "Typed."}, None, None)
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 50)) as pilot:
        await until_shown(app, pilot)
        await pilot.pause(0.1)
        await pilot.press("enter")  # open the form again
        await pilot.pause(0.2)
        assert field(app, "summary").get_value() == "Typed." and form(app).record_id == "cy-lost"
        assert form(app).dirty
        assert list((state_folder / "recovered").glob("*.json"))  # kept until saved or discarded
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard what you typed?" in screen_text(app)
