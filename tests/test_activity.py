"""Activity: meetings (and statements) per month, week or year from the cache's dates, counted
only where their dates allow, and the chart drawn in the terminal, as SVG and in the app."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from datetime import date

import pytest

from helpers import BUNDLED, SMALL_CASE, screen_text, until_shown, write_casefile
from whomet.app import WhometApp
from whomet.app.activity import ActivityScreen
from whomet.cli import main
from whomet.index import activity_of
from whomet.index.activity import key_of
from whomet.store import load, open_casefile

SESSIONS = "jeff-sessions"


@pytest.fixture(scope="module")
def bundled():
    casefile = open_casefile(BUNDLED)
    yield casefile
    casefile.close()


@pytest.fixture(scope="module")
def records():
    return load(BUNDLED).records


def meetings_of(records, party: str) -> list:
    return [r for r in records.values() if r.kind == "meeting" and party in {p.who for p in r.participants}]


def test_no_meeting_before_sessions_joined_the_campaign_and_the_day_he_joined_marked(bundled):
    found = activity_of(bundled, SESSIONS, by="month")
    bars = {bar.key: bar for bar in found.bars}
    assert bars["2016-01"].meetings == 0 and bars["2016-02"].meetings == 0
    assert bars["2016-04"].meetings > 0
    march = [mark for mark in found.marks if mark.bar == "2016-03"]
    assert march and all(mark.first == date(2016, 3, 3) and mark.change == "starts" for mark in march)
    assert "Foreign-policy adviser to the Trump campaign" in {mark.title for mark in march}
    assert found.label == "Jeff Sessions"


def test_each_bar_counts_the_meetings_certainly_in_it_and_no_other(bundled, records):
    mine = meetings_of(records, SESSIONS)
    for period in ("month", "week", "year"):
        found = activity_of(bundled, SESSIONS, by=period)
        certain = Counter(key_of(m.date.lower, period) for m in mine
                          if key_of(m.date.lower, period) == key_of(m.date.upper, period))
        for bar in found.bars:
            assert bar.meetings == certain.get(key_of(bar.first, period), 0), (period, bar)
        assert found.counted == sum(certain.values())
        assert found.counted + found.counted_apart == len(mine)
        # Every bar from the first to the last, the empty ones too, each the day after the one before.
        assert all(later.first == earlier.last.fromordinal(earlier.last.toordinal() + 1)
                   for earlier, later in zip(found.bars, found.bars[1:]))


def test_a_meeting_known_only_to_the_year_is_counted_apart_never_in_a_month(bundled, records):
    of_2016 = [m for m in meetings_of(records, SESSIONS) if m.date.edtf() == "2016"]
    assert of_2016  # the bundled case has them: "2016-sessions-ambassador-meetings" among others
    found = activity_of(bundled, SESSIONS, by="month")
    year = next(group for group in found.apart if group.label == "2016, month unknown")
    assert year.meetings == len(of_2016)
    assert (year.first, year.last) == (date(2016, 1, 1), date(2016, 12, 31))
    # A span of months is its own group: "28 Jun – 31 Dec 2016".
    assert any(group.first == date(2016, 6, 28) and group.label.endswith(", month unknown") for group in found.apart)
    # By year, the same meetings have a bar.
    by_year = {bar.key: bar for bar in activity_of(bundled, SESSIONS, by="year").bars}
    assert by_year["2016"].meetings >= len(of_2016)


def test_statements_are_counted_only_when_asked(bundled, records):
    said = [r for r in records.values() if r.kind == "statement" and r.speaker == SESSIONS]
    without = activity_of(bundled, SESSIONS, by="year")
    with_them = activity_of(bundled, SESSIONS, by="year", statements=True)
    assert sum(bar.statements for bar in without.bars) == 0
    assert sum(bar.statements for bar in with_them.bars) + sum(g.statements for g in with_them.apart) == len(said)
    assert sum(bar.meetings for bar in with_them.bars) == sum(bar.meetings for bar in without.bars)


def test_role_dates_not_known_to_the_bar_are_never_placed_in_one(bundled):
    found = activity_of(bundled, SESSIONS, by="month")
    vague = [mark for mark in found.marks if mark.when == "2016"]  # the policy office, "2016" to "2016"
    assert vague and all(mark.bar is None for mark in vague)
    assert all(mark.bar is None for mark in found.marks if mark.first.year < 2015)  # before the first bar


def test_the_whole_casefile_and_a_small_one(tmp_path, bundled, records):
    everything = activity_of(bundled, None, by="year", statements=True)
    dated = [r for r in records.values() if r.kind in ("meeting", "statement")]
    assert everything.counted + everything.counted_apart == len(dated)
    assert everything.party is None and everything.marks == ()

    casefile = open_casefile(write_casefile(tmp_path / "case", SMALL_CASE))
    try:
        found = activity_of(casefile, "ann-lee", by="month", statements=True)
        assert [(bar.key, bar.meetings, bar.statements) for bar in found.bars][:1] == [("2016-09", 1, 0)]
        assert [(bar.key, bar.meetings, bar.statements) for bar in found.bars][-1] == ("2017-01", 0, 1)
        assert len(found.bars) == 5 and found.apart == ()
        assert [(mark.change, mark.when, mark.bar) for mark in found.marks] == [
            ("starts", "2010", None), ("ends", "8 Feb 2018", None)]
        nobody = activity_of(casefile, "senate", by="week")
        assert nobody.bars == () and nobody.apart == ()
    finally:
        casefile.close()


def test_more_bars_than_columns_and_more_spans_than_lines_are_said():
    from datetime import timedelta

    from whomet.charts import APART_LISTED, terminal_chart
    from whomet.index.activity import count

    days = [date(2010, 1, 4) + timedelta(weeks=n) for n in range(400)]
    spans = [(date(2005, 1, 1) + timedelta(days=n), date(2005, 3, 1) + timedelta(days=n)) for n in range(30)]
    found = count([("meeting", day.isoformat(), day.isoformat(), 1 + n % 3) for n, day in enumerate(days)]
                  + [("meeting", lo.isoformat(), hi.isoformat(), 1) for lo, hi in spans], "week")
    assert len(found.bars) == 400 and found.counted == sum(1 + n % 3 for n in range(400))
    drawn = terminal_chart(found, width=80, height=20, color=False)
    assert "More ISO weeks than columns: each column shows the busiest of the 6 it covers." in drawn
    assert f"… {30 - APART_LISTED} more in {30 - APART_LISTED} other spans" in drawn
    assert max(len(line) for line in drawn.splitlines()[1:21]) == 80  # the size asked, not the terminal's


# ---------------------------------------------------------------- the command


def test_the_chart_in_the_terminal_lists_what_no_bar_shows(capsys):
    assert main(["chart", SESSIONS]) == 0
    out = capsys.readouterr().out
    assert "Jeff Sessions: meetings per month" in out
    assert "3 Mar 2016: starts Foreign-policy adviser to the Trump campaign" in out
    assert "Not in any bar: their dates span more than one month" in out
    assert "  2016, month unknown: 4" in out
    assert "\x1b[" not in out  # no colour when the output is not a terminal


def test_the_chart_as_json(capsys):
    assert main(["chart", SESSIONS, "--by", "week", "--statements", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["by"] == "week" and found["statements"] is True
    assert all(set(bar) >= {"key", "meetings", "statements"} for bar in found["bars"])
    assert {"label": "2016, week unknown"}.items() <= next(
        group for group in found["not_in_any_bar"] if group["label"] == "2016, week unknown").items()
    assert any(mark["when"] == "8 Feb 2017" and mark["bar"] for mark in found["marks"])


def test_the_chart_as_svg(tmp_path, capsys):
    out = tmp_path / "sessions.svg"
    assert main(["chart", SESSIONS, "--svg", str(out)]) == 0
    assert capsys.readouterr().out == ""
    svg = ElementTree.parse(out).getroot()
    assert svg.tag.endswith("svg")
    text = " ".join("".join(node.itertext()) for node in svg.iter() if node.tag.endswith("text"))
    assert "Jeff Sessions: meetings per month" in text
    assert "2016, month unknown: 4" in text
    assert "3 Mar 2016: starts Foreign-policy adviser" in text
    assert main(["chart", SESSIONS, "--svg", str(tmp_path / "no" / "such" / "folder.svg")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_unknown_ids_and_help(capsys):
    assert main(["chart", "sessions"]) == 2
    assert "did you mean jeff-sessions" in capsys.readouterr().err
    assert main(["chart", "2016-04-14-sessions-poptodorova"]) == 2
    assert "is a meeting, not a person or organization" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["chart", "--help"])
    assert done.value.code == 0
    assert "--by {month,week,year}" in capsys.readouterr().out


# ---------------------------------------------------------------- the app


async def open_chart(pilot, party: str = SESSIONS) -> ActivityScreen:
    await until_shown(pilot.app, pilot)
    screen = ActivityScreen(pilot.app.browser.session.casefile, party)
    pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_the_screen_switches_between_months_weeks_and_years():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_chart(pilot)
        shown = screen_text(app)
        assert "Activity: Jeff Sessions" in shown
        assert "Meetings per month" in shown
        assert "A  3 Mar 2016: starts Foreign-policy adviser to the Trump campaign" in shown
        assert "2016, month unknown: 4" in shown
        assert "Aug 2015" in shown and "Feb 2016" in shown  # the axis

        await pilot.press("w")
        shown = screen_text(app)
        assert screen.activity.period == "week" and "Meetings per ISO week" in shown
        assert "2016, week unknown: 4" in shown and "W15 2016" in shown

        await pilot.press("y")
        shown = screen_text(app)
        assert screen.activity.period == "year" and "Meetings per year" in shown
        assert "month unknown" not in shown and "Not in any bar" not in shown

        await pilot.press("s")
        shown = screen_text(app)
        assert screen.activity.statements and "Meetings and statements per year" in shown
        assert "█ meetings  ░ statements" in shown  # the legend, under the chart

        await pilot.press("m")
        assert "Meetings and statements per month" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, ActivityScreen)


async def test_an_organization_has_bars_and_no_role_marks():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_chart(pilot, "us-senate")
        assert screen.activity.marks == ()
        assert "Activity: United States Senate" in screen_text(app)


def test_the_plotting_library_is_imported_when_a_chart_is_first_shown_not_before():
    import subprocess
    import sys

    code = ("import sys, whomet.app, whomet.app.activity; "
            "print(sorted(m for m in sys.modules if 'plotext' in m or 'matplotlib' in m))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def chart_at(party: str = SESSIONS, *keys: str):
    async def run_before(pilot) -> None:
        await open_chart(pilot, party)
        for key in keys:
            await pilot.press(key)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_of_the_chart_by_month(snap_compare, size):
    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=chart_at())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_of_the_chart_by_week_with_statements(snap_compare, size):
    assert snap_compare(WhometApp(BUNDLED), terminal_size=size, run_before=chart_at(SESSIONS, "w", "s"))
