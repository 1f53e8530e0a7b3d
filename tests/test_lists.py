"""The record list on its own: 100,000 rows, headings, two-line rows, keys and the mouse."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from helpers import screen_text as screen
import random

from whomet.app.lists import RecordList, Row, keys_text, matching_rows, substring_matcher
from whomet.index import best_fuzzy_score


class ListApp(App[None]):
    def __init__(self, rows: list[Row]) -> None:
        super().__init__()
        self.rows = rows
        self.chosen: list[str] = []
        self.highlighted: list[str] = []

    def compose(self) -> ComposeResult:
        yield RecordList()

    def on_mount(self) -> None:
        self.query_one(RecordList).set_rows(self.rows)
        self.query_one(RecordList).focus()

    def on_record_list_selected(self, event: RecordList.Selected) -> None:
        self.chosen.append(event.record_id)

    def on_record_list_highlighted(self, event: RecordList.Highlighted) -> None:
        self.highlighted.append(event.record_id)


async def test_a_hundred_thousand_rows_move_end_to_end() -> None:
    rows = [Row(None, Text("── Heading"))] + [Row(f"r{i}", Text(f"row number {i}"), (f"row {i}",)) for i in range(100_000)]
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        records = app.query_one(RecordList)
        assert records.highlighted_id == "r0"  # the heading is skipped
        await pilot.press("end")
        assert records.highlighted_id == "r99999"
        assert "row number 99999" in screen(app)
        await pilot.press("up", "k")
        assert records.highlighted_id == "r99997"
        await pilot.press("home", "pagedown")
        assert records.highlighted_id not in ("r0", None)
        await pilot.press("home", "up")
        assert records.highlighted_id == "r0"  # nothing above but the heading
        await pilot.press("j", "enter")
        assert app.chosen == ["r1"]
        assert records.highlight_id("r5000")
        assert not records.highlight_id("no-such-row")
        await pilot.pause()
        assert "row number 5000" in screen(app)


async def test_two_line_rows_click_and_markup_shown_as_typed() -> None:
    rows = [
        Row("a", Text("2016  meeting\n  [bold]not markup[/]")),
        Row("b", Text("2017  statement\n  second body")),
        Row("c", Text("2018  meeting\n  third body")),
    ]
    app = ListApp(rows)
    async with app.run_test(size=(40, 10)) as pilot:
        text = screen(app)
        assert "[bold]not markup[/]" in text
        assert "second body" in text
        await pilot.click(RecordList, offset=(2, 5))  # the second line of the third row
        assert app.chosen == ["c"]
        assert app.query_one(RecordList).highlighted_id == "c"
        await pilot.press("up")
        assert app.query_one(RecordList).highlighted_id == "b"
        assert app.highlighted[-1] == "b"


async def test_an_empty_list_ignores_keys() -> None:
    app = ListApp([])
    async with app.run_test(size=(30, 6)) as pilot:
        await pilot.press("j", "k", "end", "home", "pagedown", "enter")
        assert app.query_one(RecordList).highlighted_id is None
        assert app.chosen == []


async def test_rows_made_on_demand_are_made_only_when_drawn() -> None:
    made: list[int] = []

    def prompt(number: int) -> Text:
        made.append(number)
        return Text(f"lazy row {number}")

    rows = [Row(f"r{i}", (lambda i=i: prompt(i)), (f"row {i}",)) for i in range(100_000)]
    app = ListApp(rows)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert "lazy row 0" in screen(app)
        assert 0 < len(made) <= 12
        await pilot.press("end")
        await pilot.pause()
        assert "lazy row 99999" in screen(app)
        assert len(made) <= 24  # the first screen and the last, nothing between
        assert app.query_one(RecordList).rows[99_999].prompt.plain == "lazy row 99999"


def every_row_scored(rows: list[Row], query: str, matcher, rank: bool) -> list[Row]:
    scored = [(score, position, row) for position, row in enumerate(rows)
              if row.keys and (score := matcher(query, row.keys)) is not None]
    if rank:
        scored.sort(key=lambda item: (-item[0], item[1]))
    return [row for _, _, row in scored]


@pytest.mark.parametrize("matcher", [best_fuzzy_score, substring_matcher])
def test_the_filter_finds_what_scoring_every_row_finds(matcher) -> None:
    rng = random.Random(7)
    letters = "aabeßSs -.[]^\\*\n\x1fé"
    rows = [Row(None, Text("heading"))] + [
        Row(f"r{n}", Text(f"r{n}"), tuple("".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
                                          for _ in range(rng.randint(1, 3))))
        for n in range(400)
    ]
    text = keys_text(rows)
    for _ in range(300):
        query = "".join(rng.choice(letters.replace("\n", "")) for _ in range(rng.randint(1, 4)))
        for rank in (True, False):
            assert matching_rows(rows, query, matcher, rank, text) == every_row_scored(rows, query, matcher, rank), query


def test_the_filter_does_not_slow_down_on_names_of_one_letter_repeated() -> None:
    rows = [Row("a", Text("a"), ("a" * 60,))] * 2000
    # Without possessive steps, the pattern would try every way of placing these letters.
    assert matching_rows(rows, "a" * 20 + "b", best_fuzzy_score, True, keys_text(rows)) == []
