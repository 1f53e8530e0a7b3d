"""Who met whom: connections and the shortest chain of shared meetings, from the cache's links,
and the commands that print them."""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest

from helpers import BUNDLED, SMALL_CASE, write_casefile
from whomet.cli import main
from whomet.index.network import chains, connections_of, shortest_path
from whomet.store import load, open_casefile

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def bundled():
    casefile = open_casefile(BUNDLED)
    yield casefile
    casefile.close()


def shared_meetings(records, a: str, b: str) -> list[str]:
    """The meetings both attended, counted straight from the records."""
    return [r.id for r in records.values() if r.kind == "meeting"
            and {a, b} <= {p.who for p in r.participants}]


def test_sessions_met_kislyak_as_often_as_the_records_say(bundled):
    records = load(BUNDLED).records
    found = connections_of(bundled.db, "jeff-sessions")
    kislyak = next(c for c in found if c.other == "sergey-kislyak")
    assert sorted(kislyak.meetings) == sorted(shared_meetings(records, "jeff-sessions", "sergey-kislyak"))
    assert found[0].other == "sergey-kislyak"  # the most met
    counts = [len(c.meetings) for c in found]
    assert counts == sorted(counts, reverse=True)
    for connection in found:  # every one of them, and no one else
        assert sorted(connection.meetings) == sorted(shared_meetings(records, "jeff-sessions", connection.other))
    everyone = {p.who for r in records.values() if r.kind == "meeting" and "jeff-sessions" in
                {p.who for p in r.participants} for p in r.participants} - {"jeff-sessions"}
    assert {c.other for c in found} == everyone


def test_carter_page_reaches_elena_poptodorova_through_sessions(bundled):
    hops = shortest_path(bundled.db, "carter-page", "elena-poptodorova")
    assert [(h.source, h.target) for h in hops] == [("carter-page", "jeff-sessions"),
                                                   ("jeff-sessions", "elena-poptodorova")]
    assert hops[0].meeting == "2016-07-sessions-gordon-page-kislyak-rnc"
    assert hops[1].meeting == "2016-04-14-sessions-poptodorova"


def test_no_chain_and_the_same_party(tmp_path):
    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, "people/lone.toml": 'name = "Lone"\n'})
    casefile = open_casefile(folder)
    try:
        assert shortest_path(casefile.db, "ann-lee", "lone") is None
        assert shortest_path(casefile.db, "ann-lee", "ann-lee") == []
        assert [h.meeting for h in shortest_path(casefile.db, "ann-lee", "bo-ray")] == ["2016-09-lee-ray"]
    finally:
        casefile.close()


def test_the_chain_found_is_a_shortest_one_in_a_generated_casefile(tmp_path):
    import networkx

    folder = tmp_path / "case"
    generate(folder, 2_000, seed=5)
    records = load(folder).records
    graph = networkx.Graph()
    for record in records.values():
        if record.kind == "meeting":
            people = [p.who for p in record.participants]
            graph.add_edges_from((a, b) for a in people for b in people if a != b)
    casefile = open_casefile(folder)
    try:
        parties = sorted(graph.nodes)[:40]
        for start, end in zip(parties, reversed(parties)):
            hops = shortest_path(casefile.db, start, end)
            try:
                expected = networkx.shortest_path_length(graph, start, end)
            except networkx.NetworkXNoPath:
                assert hops is None
                continue
            assert hops is not None and len(hops) == expected
            assert all(h.source != h.target for h in hops)
            assert [h.source for h in hops[1:]] == [h.target for h in hops[:-1]]
            for hop in hops:  # each hop a meeting both attended
                assert {hop.source, hop.target} <= {p.who for p in records[hop.meeting].participants}
    finally:
        casefile.close()


def test_the_next_chains_are_the_next_shortest_through_other_people(tmp_path):
    import itertools

    import networkx

    folder = tmp_path / "case"
    generate(folder, 1_000, seed=9)
    records = load(folder).records
    graph = networkx.Graph()
    for record in records.values():
        if record.kind == "meeting":
            people = [p.who for p in record.participants]
            graph.add_edges_from((a, b) for a in people for b in people if a != b)
    casefile = open_casefile(folder)
    try:
        parties = sorted(graph.nodes)[:24]
        tried = 0
        for start, end in zip(parties, reversed(parties)):
            if start == end or not networkx.has_path(graph, start, end):
                continue
            tried += 1
            found = list(itertools.islice(chains(casefile.db, start, end), 6))
            expected = list(itertools.islice(networkx.shortest_simple_paths(graph, start, end), 6))
            assert [len(chain) for chain in found] == [len(path) - 1 for path in expected]
            walked = [(chain[0].source, *(hop.target for hop in chain)) for chain in found]
            assert len(set(walked)) == len(walked)  # each through other people
            for chain, parties_on_it in zip(found, walked):
                assert len(set(parties_on_it)) == len(parties_on_it)  # never through anyone twice
                for hop in chain:
                    assert {hop.source, hop.target} <= {p.who for p in records[hop.meeting].participants}
        assert tried >= 5
    finally:
        casefile.close()


def test_the_commands_print_and_exit_as_they_should(capsys):
    assert main(["connections", "jeff-sessions"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].lstrip().startswith(f"{len(bundled_connections('jeff-sessions')[0].meetings)}×  Sergey Kislyak")

    assert main(["path", "carter-page", "elena-poptodorova", "--json"]) == 0
    chain = json.loads(capsys.readouterr().out)
    assert [hop["to"] for hop in chain] == ["jeff-sessions", "elena-poptodorova"]

    assert main(["path", "carter-page", "elena-poptodorova", "--chains", "3", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [len(chain) for chain in listed] == [2, 3, 3] and listed[0] == chain
    assert len({tuple(hop["to"] for hop in chain) for chain in listed}) == 3  # each through other people
    with pytest.raises(SystemExit) as usage:
        main(["path", "carter-page", "elena-poptodorova", "--chains", "0"])
    assert usage.value.code == 2
    capsys.readouterr()

    assert main(["connections", "kislyak"]) == 2
    assert "did you mean sergey-kislyak" in capsys.readouterr().err
    assert main(["path", "carter-page", "2016-04-14-sessions-poptodorova"]) == 2
    assert "is a meeting, not a person or organization" in capsys.readouterr().err


def bundled_connections(party: str):
    casefile = open_casefile(BUNDLED)
    try:
        return connections_of(casefile.db, party)
    finally:
        casefile.close()


def test_no_chain_exits_1(tmp_path, capsys):
    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, "people/lone.toml": 'name = "Lone"\n'})
    assert main(["path", "ann-lee", "lone", str(folder)]) == 1
    assert "No chain of shared meetings links Ann Lee and Lone" in capsys.readouterr().err


# the chronology

from whomet.index.chronology import Filters, chronology_of  # noqa: E402
from whomet.model import FuzzyDate  # noqa: E402


def by_hand(records, filters: Filters) -> list[str]:
    """The chronology's records found by reading the records themselves."""
    chosen = []
    for record in records.values():
        if record.kind not in ("meeting", "statement") or (filters.kinds and record.kind not in filters.kinds):
            continue
        present = ({p.who for p in record.participants} if record.kind == "meeting" else {record.speaker})
        wanted = [party in present for party in filters.parties]
        if filters.parties and not (all(wanted) if filters.every_party else any(wanted)):
            continue
        if filters.stances and not (record.kind == "statement"
                                    and {a.stance for a in record.about} & set(filters.stances)):
            continue
        if filters.first_day and record.date.lower.isoformat() < filters.first_day:
            continue
        if filters.last_day and record.date.upper.isoformat() > filters.last_day:
            continue
        if filters.types and (record.type if record.kind == "meeting" else record.setting) not in filters.types:
            continue
        if filters.statuses and getattr(record, "status", None) not in filters.statuses:
            continue
        if filters.under_oath is not None and getattr(record, "under_oath", None) is not filters.under_oath:
            continue
        if not all(held_then(records, record, role) for role in filters.roles):
            continue
        chosen.append((record.date.lower, record.date.upper, record.id))
    return [record_id for *_, record_id in sorted(chosen)]


def held_then(records, record, words: str) -> bool:
    """Whether someone at ``record`` held a role titled with ``words`` on a day it may be of, or
    was there in a capacity that says so."""
    words = words.lower()
    present = [(p.who, p.capacity) for p in record.participants] if record.kind == "meeting" else [(record.speaker, "")]
    for who, capacity in present:
        if words in capacity.lower():
            return True
        roles = getattr(records.get(who), "roles", [])
        if any(words in role.title.lower() and role.held_during(record.date) for role in roles):
            return True
    return False


@pytest.mark.parametrize("filters", [
    Filters(),
    Filters(types=("dinner", "reception")),
    Filters(types=("testimony", "hearing"), under_oath=True),
    Filters(under_oath=False, kinds=("statement",)),
    Filters(statuses=("alleged", "disputed")),
    Filters(roles=("ambassador",)),
    Filters(roles=("ambassador", "senator"), kinds=("meeting",)),
    Filters(roles=("attorney general",), kinds=("statement",)),
    Filters(parties=("jeff-sessions", "sergey-kislyak")),
    Filters(parties=("jeff-sessions", "sergey-kislyak"), every_party=False),
    Filters(kinds=("statement",), stances=("denies",)),
    Filters(parties=("jeff-sessions",), kinds=("meeting",), first_day="2016-03-01", last_day="2016-09-30"),
    Filters(first_day="2017-01-01"),
])
def test_the_chronology_is_what_the_records_say(bundled, filters):
    records = load(BUNDLED).records
    expected = by_hand(records, filters)
    assert expected, "each filter here passes some of the bundled records"
    assert [row.id for row in chronology_of(bundled.db, filters)] == expected


def test_a_record_known_only_to_the_year_is_not_within_a_span_of_months(bundled):
    span = FuzzyDate.parse("2016-03/2016-09")
    within = {row.id for row in chronology_of(bundled.db, Filters(first_day=span.lower.isoformat(),
                                                                 last_day=span.upper.isoformat()))}
    assert "2016-sessions-ambassador-meetings" not in within  # dated "2016"
    assert "2016-09-sessions-kislyak-senate-office" in within


def test_the_chronology_command(capsys):
    assert main(["chronology", "--with", "jeff-sessions", "--with", "sergey-kislyak", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(row["kind"] == "meeting" for row in rows)
    assert main(["chronology", "--stance", "denies", "--text", "russians"]) == 0
    out = capsys.readouterr()
    assert "⚠ contradicts records" in out.out and "records (denies" in out.err
    assert main(["chronology", "--between", "2016-13"]) == 2
    assert "no month 13" in capsys.readouterr().err
    assert main(["chronology", "--with", "sessions"]) == 2
    assert "did you mean jeff-sessions" in capsys.readouterr().err


# the chronology in the app

from helpers import screen_text, until_shown  # noqa: E402
from whomet.app import WhometApp  # noqa: E402


async def test_t_shows_the_chronology_and_back_returns_to_it_with_its_filters():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("slash", *"with:jeff-sessions with:sergey-kislyak kind:meeting", "enter")
        await pilot.pause()
        shown = screen_text(app)
        assert "Chronology · jeff-sessions & sergey-kislyak · meetings" in shown
        records = load(BUNDLED).records
        expected = shared_meetings(records, "jeff-sessions", "sergey-kislyak")
        assert f"{len(expected)} records" in shown
        listed = app.screen.query_one("#chronology-list")
        assert sorted(row.record_id for row in listed.rows) == sorted(expected)
        chosen = listed.rows[1].record_id
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.browser and app.browser.item == chosen
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen.query_one("#chronology-filter").value == "with:jeff-sessions with:sergey-kislyak kind:meeting"
        assert f"{len(expected)} records" in screen_text(app)
        await pilot.press("slash", *" with:nobody-here", "enter")
        await pilot.pause()
        assert "no person or organization 'nobody-here'" in screen_text(app)


async def test_a_casefile_with_no_people_opens_on_the_chronology(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        "sources/report.toml": 'title = "A report"\n',
        "meetings/m1.toml": 'title = "Summit [bold]in[/] Geneva"\ndate = "1985-11"\n'
                            '[[citations]]\nsource = "report"\nexcerpt = "They met."\n',
        "meetings/m2.toml": 'title = "Summit in Reykjavik"\ndate = "1986-10"\n'
                            '[[citations]]\nsource = "report"\nexcerpt = "They met again."\n',
    })
    app = WhometApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until_shown(app, pilot)
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert "Chronology" in shown and "2 records" in shown
        assert shown.index("Summit [bold]in[/] Geneva") < shown.index("Summit in Reykjavik")
        await pilot.press("g")  # the chart of what the chronology lists
        await pilot.pause(0.3)
        assert "Activity: the casefile" in screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("w")  # nobody to have met anyone: said, with where to go instead
        await pilot.pause()
        assert any("names no people or organizations" in str(n.message) for n in app._notifications)


async def test_w_lists_whom_sessions_met_and_enter_shows_those_meetings():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(140, 40)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record("jeff-sessions")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        found = bundled_connections("jeff-sessions")
        shown = screen_text(app)
        assert f"Met by Jeff Sessions: {len(found)}" in shown
        assert f"{len(found[0].meetings):>3}× Sergey Kislyak" in shown
        await pilot.press("enter")  # the first: Kislyak
        await pilot.pause()
        assert app.screen.query_one("#chronology-filter").value == \
            "with:jeff-sessions with:sergey-kislyak kind:meeting"
        assert f"{len(found[0].meetings)} records" in screen_text(app)


async def test_shift_w_finds_the_chain_from_carter_page_to_elena_poptodorova():
    app = WhometApp(BUNDLED)
    async with app.run_test(size=(140, 40)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record("carter-page")
        await pilot.pause()
        await pilot.press("W")
        await pilot.pause()
        await pilot.press(*"Poptodorova")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        shown = screen_text(app)
        assert "From Carter Page to Elena Poptodorova" in shown and "the shortest chain: 2 meetings apart" in shown
        lines = [line for line in shown.splitlines() if "Jeff Sessions" in line or "Jul 2016" in line
                 or "14 Apr 2016" in line]
        assert any("Jul 2016" in line for line in lines) and any("14 Apr 2016" in line for line in lines)
        await pilot.press("n")  # the next shortest, through other people
        await pilot.pause()
        expected = list(itertools.islice(chains(app.browser.session.casefile.db, "carter-page", "elena-poptodorova"), 2))[1]
        shown = screen_text(app)
        assert "chain 2: 3 meetings apart · n next · N back" in shown
        listed = app.screen.query_one("#connections-list")
        assert [row.record_id for row in listed.rows][::2] == ["carter-page", *(hop.target for hop in expected)]
        await pilot.press("N")
        await pilot.pause()
        assert "the shortest chain: 2 meetings apart" in screen_text(app)
        await pilot.press("down", "down", "enter")  # Sessions
        await pilot.pause()
        assert app.screen is app.browser and app.browser.party == "jeff-sessions"


async def test_g_charts_the_person_shown():
    from whomet.app.activity import ActivityScreen

    app = WhometApp(BUNDLED)
    async with app.run_test(size=(140, 40)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record("jeff-sessions")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause(0.5)
        assert isinstance(app.screen, ActivityScreen) and app.screen.party == "jeff-sessions"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.browser
