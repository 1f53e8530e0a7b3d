"""The quote in context: the key on a statement or a meeting, the archived text scrolled to the
passage with the words marked, n and N from place to place, escape back; the source's archive in
its detail. Pilot tests and snapshots."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from helpers import BUNDLED, until_shown, write_casefile
from test_archive import ATLANTIC, FIVETHIRTYEIGHT, seed
from whomet.app import WhometApp
from whomet.app.quote_context import CLOSEST, CURRENT, OTHER, PassageView, QuoteContextScreen
from whomet.app.screens import ChoiceScreen
from whomet.cli import main

SEPTEMBER = "2016-09-sessions-kislyak-senate-office"
HEARING = "2017-01-10-sessions-confirmation-hearing"

ARTICLE = """\
A wire report, as archived

The senator said the talks were routine. [bold]This is not markup[/bold], and neither is [link=x]this[/link].

Later he said it again: the talks were routine, and nothing more.

""" + "\n\n".join(f"Paragraph {n} of filler about other matters entirely, to scroll past." for n in range(1, 40)) + """

At the end, an aide repeated that the talks were routine.
"""


def small_case(folder: Path) -> Path:
    data = ARTICLE.encode()
    return write_casefile(folder, {
        "people/ann-lee.toml": 'name = "Ann Lee"\n',
        "sources/wire.toml": f"""
            title = "The wire"
            archive = "sources/wire.txt"
            archived_at = "2017-03-02T10:00:00Z"
            archive_sha256 = "{hashlib.sha256(data).hexdigest()}"
        """,
        "sources/wire.txt": data,
        "statements/2017-03-02-lee.toml": """
            speaker = "ann-lee"
            date = "2017-03-02"
            quote = "the talks were routine"

            [[citations]]
            source = "wire"
            excerpt = "[bold]This is not markup[/bold]"
        """,
    })


async def shown(pilot, record_id: str) -> None:
    await until_shown(pilot.app, pilot)
    pilot.app.browser.go_to_record(record_id)
    await pilot.pause()


async def until_screen(pilot, kind: type, timeout: float = 5.0) -> None:
    """Let the app run until ``kind`` of screen is on top (the archive is read in a thread)."""
    waited = 0.0
    while not isinstance(pilot.app.screen, kind) and waited < timeout:
        await pilot.pause(0.05)
        waited += 0.05


async def in_context(pilot, choice: int | None = 0) -> QuoteContextScreen:
    await pilot.press("v")
    await pilot.pause(0.2)
    if choice is not None:
        assert isinstance(pilot.app.screen, ChoiceScreen)
        await pilot.press(*["down"] * choice, "enter")
        await pilot.pause(0.2)
    await until_screen(pilot, QuoteContextScreen)
    screen = pilot.app.screen
    assert isinstance(screen, QuoteContextScreen)
    await pilot.pause(0.1)
    return screen


def marked(view: PassageView, style) -> list[str]:  # noqa: ANN001
    """The words of the text shown in ``style``."""
    text = view.content
    return [text.plain[span.start:span.end] for span in text.spans if span.style == style]


def visible_lines(view: PassageView) -> str:
    top = view.scroll_offset.y
    return "\n".join(strip.text for strip in view._lines[top:top + view.scrollable_content_region.height])


async def test_the_quote_is_marked_where_it_is_and_n_goes_to_each_place(tmp_path: Path):
    app = WhometApp(small_case(tmp_path / "case"))
    async with app.run_test(size=(100, 30)) as pilot:
        await shown(pilot, "2017-03-02-lee")
        screen = await in_context(pilot)  # the quote is first among the choices
        view = screen.query_one(PassageView)
        assert marked(view, CURRENT) == ["the talks were routine"]
        assert marked(view, OTHER) == ["the talks were routine", "the talks were routine"]
        assert "found 1 of 3" in str(screen.query_one("#context-dialog").border_subtitle)
        assert "The senator said the talks were routine." in visible_lines(view)
        await pilot.press("n")
        await pilot.press("n")
        await pilot.pause(0.1)
        assert "found 3 of 3" in str(screen.query_one("#context-dialog").border_subtitle)
        # the last place is far down the text: the view went there
        assert "At the end, an aide repeated that the talks were routine." in visible_lines(view)
        assert "The senator said" not in visible_lines(view)
        await pilot.press("N")
        await pilot.pause(0.1)
        assert "found 2 of 3" in str(screen.query_one("#context-dialog").border_subtitle)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, QuoteContextScreen)
        assert pilot.app.browser.item == "2017-03-02-lee"


async def test_the_archive_is_text_never_markup(tmp_path: Path):
    app = WhometApp(small_case(tmp_path / "case"))
    async with app.run_test(size=(100, 30)) as pilot:
        await shown(pilot, "2017-03-02-lee")
        screen = await in_context(pilot, choice=1)  # the excerpt
        view = screen.query_one(PassageView)
        assert marked(view, CURRENT) == ["[bold]This is not markup[/bold]"]
        assert "[bold]This is not markup[/bold], and neither is [link=x]this[/link]." in view.content.plain
        assert "[bold]This is not markup[/bold]" in visible_lines(view)


async def test_a_quote_not_in_the_archive_shows_the_closest_passage(tmp_path: Path):
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    assert main(["archive", ATLANTIC, str(folder), "--from", str(seed("Why Did Jeff Sessions Really Meet"))]) == 0
    meeting = folder / "meetings" / f"{SEPTEMBER}.toml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        'excerpt = "Sessions met with Kislyak in his Senate office."',
        'excerpt = "Sessions met Kislyak in his Senate offices."'), encoding="utf-8")
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        assert [p.code for p in app.browser.session.casefile.problems] == ["quote-differs"]
        app.browser.go_to_record(SEPTEMBER)
        await pilot.pause()
        screen = await in_context(pilot, choice=1)  # excerpt [3]: the second with an archive
        view = screen.query_one(PassageView)
        assert marked(view, CLOSEST) == ["Sessions met with Kislyak in his Senate office."]
        assert "not found as written" in str(screen.query_one("#context-dialog").border_subtitle)
        assert "Sessions met with Kislyak in his Senate office." in visible_lines(view)


async def test_the_source_in_focus_among_the_links_picks_the_quote(tmp_path: Path):
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    assert main(["archive", FIVETHIRTYEIGHT, str(folder), "--from", str(seed("The Big Question"))]) == 0
    assert main(["archive", ATLANTIC, str(folder), "--from", str(seed("Why Did Jeff Sessions Really Meet"))]) == 0
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await shown(pilot, SEPTEMBER)
        links = app.browser.source.link_list
        links.focus()
        links.highlighted = next(i for i, link in enumerate(app.browser.source.links) if link.target == FIVETHIRTYEIGHT)
        await pilot.pause()
        screen = await in_context(pilot, choice=None)  # one excerpt cites it: no choice to make
        view = screen.query_one(PassageView)
        assert marked(view, CURRENT)[0].startswith("The Post reported that Attorney General Jeff Sessions")
        assert screen.found.archive == f"sources/{FIVETHIRTYEIGHT}.txt"


async def test_without_an_archive_the_key_says_how_to_make_one(tmp_path: Path):
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(120, 30)) as pilot:
        await shown(pilot, HEARING)
        await pilot.press("v")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, (QuoteContextScreen, ChoiceScreen))
        assert any("whomet archive" in str(n.message) for n in app._notifications)


async def test_the_source_shows_its_archive_and_whether_it_still_matches(tmp_path: Path):
    folder = small_case(tmp_path / "case")
    app = WhometApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "wire")
        body = app.browser.source.body.content.renderables
        text = "\n".join(getattr(block, "plain", "") for block in body)
        assert "archive: sources/wire.txt" in text and "archived: 2017-03-02T10:00:00Z" in text
        assert f"sha256: {hashlib.sha256(ARTICLE.encode()).hexdigest()}" in text
        assert "✓ the file matches its digest" in text
    (folder / "sources" / "wire.txt").write_text(ARTICLE + "A line added later.\n", encoding="utf-8")
    app = WhometApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await shown(pilot, "wire")
        body = app.browser.source.body.content.renderables
        text = "\n".join(getattr(block, "plain", "") for block in body)
        assert "⚠ the file changed since it was archived" in text


async def test_the_key_is_in_help_and_the_palette():
    from whomet.app.keys import help_rows, palette_commands

    assert any(row.id == "in-context" and row.key == "v" for row in help_rows())
    assert any(row.id == "context-next" and row.key == "n" for row in help_rows())
    assert any(title == "Quote in context" for title, _, _ in palette_commands())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_of_the_quote_in_context(snap_compare, size, tmp_path: Path):
    folder = small_case(tmp_path / "case")

    async def opened(pilot) -> None:
        await shown(pilot, "2017-03-02-lee")
        await in_context(pilot)
        await pilot.press("n")
        await pilot.pause(0.2)

    assert snap_compare(WhometApp(folder), terminal_size=size, run_before=opened)


async def test_the_problems_list_says_what_the_check_of_quotes_found(tmp_path: Path):
    folder = small_case(tmp_path / "case")
    statement = folder / "statements" / "2017-03-02-lee.toml"
    statement.write_text(statement.read_text(encoding="utf-8").replace(
        'quote = "the talks were routine"', 'quote = "the talks were secret"'), encoding="utf-8")
    app = WhometApp(folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("p")
        await pilot.pause(0.2)
        dialog = app.screen.query_one("#problems-dialog")
        assert "2 excerpts verified, 1 differs, 0 sources without an archive" in str(dialog.border_subtitle)
        shown = app.screen.query_one("#problems-list").get_option_at_index(0).prompt.plain
        assert "quote-differs" in shown
        assert "archive says 'were routine,', excerpt says 'were secret'" in shown
