"""Export to FollowTheMoney, TimelineJS and Markdown; import TimelineJS and CSV."""

from __future__ import annotations

import json
import tomllib

import pytest

from helpers import work_done, BUNDLED, SMALL_CASE, until_shown, write_casefile
from whomet.cli import main
from whomet.export import ftm_dates, to_ftm, to_markdown, to_timelinejs
from whomet.importing import import_csv, import_timelinejs
from whomet.index import Index
from whomet.model import FuzzyDate, Meeting
from whomet.store import load


@pytest.fixture(scope="module")
def bundled_index() -> Index:
    return Index(load(BUNDLED).records)


# FollowTheMoney


def test_the_ftm_export_of_the_bundled_case_validates_with_followthemoney(bundled_index):
    followthemoney = pytest.importorskip("followthemoney")
    model = followthemoney.model
    entities = list(to_ftm(bundled_index))
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    exported = set(ids)
    schemata = {e["schema"] for e in entities}
    assert {"Person", "PublicBody", "Event", "UnknownLink", "Article", "Documentation", "Occupancy",
            "Position"} <= schemata
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity["schema"]
        for name, values in entity["properties"].items():
            assert name in schema.properties, (entity["schema"], name)
            prop = schema.properties[name]
            if prop.type.name == "entity":
                for value in values:
                    assert value in exported, (entity["id"], name, value)  # references resolve
        for required in schema.required:
            assert entity["properties"].get(required), (entity["id"], required)
        assert schema.validate(entity) is None
        proxy = model.get_proxy(entity, cleaned=False)
        assert proxy.to_dict()["properties"] == entity["properties"]


def test_ftm_entities_carry_the_story(bundled_index):
    pytest.importorskip("followthemoney")
    entities = {e["id"]: e for e in to_ftm(bundled_index)}
    hearing = entities["2017-01-10-sessions-confirmation-hearing"]
    assert hearing["schema"] == "Event" and hearing["properties"]["involved"] == ["jeff-sessions"]
    assert "did not have communications with the Russians" in hearing["properties"]["description"][0]
    denial = next(e for e in entities.values() if e["schema"] == "UnknownLink"
                  and e["properties"]["subject"] == ["2017-01-10-sessions-confirmation-hearing"]
                  and e["properties"]["object"] == ["2016-09-sessions-kislyak-senate-office"])
    assert denial["properties"]["role"] == ["denies"]
    september = entities["2016-09-sessions-kislyak-senate-office"]
    assert september["properties"]["date"] == ["2016-09"]
    assert set(september["properties"]["involved"]) == {"jeff-sessions", "sergey-kislyak"}
    assert entities["sergey-kislyak"]["properties"].get("nationality") == ["ru"]


@pytest.mark.parametrize(("edtf", "expected"), [
    ("2016", {"date": "2016"}),
    ("2016-09~", {"date": "2016-09"}),
    ("2016-09-08?", {"date": "2016-09-08"}),
    ("2016-04-16/2016-04-30", {"date": "2016-04", "startDate": "2016-04-16", "endDate": "2016-04-30"}),
    ("2016-04/2016-09", {"date": "2016", "startDate": "2016-04", "endDate": "2016-09"}),
    ("2016-06/2017-02", {"startDate": "2016-06", "endDate": "2017-02"}),
])
def test_fuzzy_dates_export_at_the_precision_ftm_can_hold(edtf, expected):
    assert ftm_dates(FuzzyDate.parse(edtf)) == expected


# TimelineJS


def test_timelinejs_export_follows_the_documented_format(bundled_index):
    document = to_timelinejs(bundled_index, "Sessions–Kislyak")
    assert document["title"]["text"]["headline"] == "Sessions–Kislyak"
    events = document["events"]
    meetings = [r for r in bundled_index.records.values() if isinstance(r, Meeting)]
    assert len(events) == len(meetings) + len(bundled_index.of_kind("statement"))
    assert len({e["unique_id"] for e in events}) == len(events)
    for event in events:
        assert set(event) <= {"start_date", "end_date", "display_date", "text", "media", "group", "unique_id"}
        for key in ("start_date", "end_date"):
            if key in event:
                date = event[key]
                assert set(date) <= {"year", "month", "day"} and isinstance(date["year"], int)
                assert 1 <= date.get("month", 1) <= 12 and 1 <= date.get("day", 1) <= 31
        assert event["text"]["headline"] and isinstance(event["group"], str) and event["display_date"]
        if "media" in event:
            assert event["media"]["url"].startswith("https://")
    september = next(e for e in events if e["unique_id"] == "meeting-2016-09-sessions-kislyak-senate-office")
    assert september["start_date"] == {"year": 2016, "month": 9} and "end_date" not in september
    april = next(e for e in events if e["unique_id"] == "meeting-2016-04-second-half-sessions-eight-ambassadors")
    assert april["start_date"] == {"year": 2016, "month": 4, "day": 16}
    assert april["end_date"] == {"year": 2016, "month": 4, "day": 30}


def test_timelinejs_round_trip_keeps_the_meetings_and_their_dates(tmp_path, bundled_index):
    exported = tmp_path / "case.json"
    assert main(["export", "timelinejs", "--out", str(exported), str(BUNDLED)]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["import", "timelinejs", str(exported), "--into", str(empty)]) == 0
    imported = load(empty)
    assert imported.errors == []
    back = {(r.title, r.date.edtf()) for r in imported.records.values() if isinstance(r, Meeting)}
    original = {(r.title, r.date.edtf()) for r in bundled_index.records.values() if isinstance(r, Meeting)}
    assert original <= back


NEWSROOM_TIMELINE = {
    "title": {"text": {"headline": "Lee &amp; Ray: a timeline", "text": "<p>Our reporting.</p>"}},
    "events": [
        {"start_date": {"year": "2016", "month": "10", "day": ""},
         "text": {"headline": "Ann Lee dines with Bo Ray",
                  "text": "<p>Ann Lee and Bo Ray had dinner, <a href=\"https://example.org/dinner\">the Daily reported</a>.</p>"},
         "media": {"url": "https://example.org/photo.jpg", "credit": "Staff photographer", "caption": "The restaurant"},
         "group": ""},
        {"start_date": {"year": 2017, "month": 1}, "end_date": {"year": 2017, "month": 3},
         "display_date": "early 2017",
         "text": {"headline": "Annie under scrutiny", "text": "Questions about the Senate."}},
        {"start_date": {"year": "", "month": "", "day": ""}, "text": {"headline": "Undated aside"}},
        {"start_date": {"year": "2016", "month": "2", "day": "30"}, "text": {"headline": "Impossible day"}},
    ],
}


def test_a_newsroom_timeline_imports_with_matches_sources_and_what_could_not_be_placed(small_case):
    casefile = load(small_case)
    importer = import_timelinejs(NEWSROOM_TIMELINE, casefile, "lee-ray.json")
    report = importer.write()
    by_title = {r.label: r for r in report.created}
    timeline = by_title["Lee & Ray: a timeline"]
    dinner = by_title["Ann Lee dines with Bo Ray"]
    assert dinner.date.edtf() == "2016-10" and dinner.type == "dinner" and dinner.status == "alleged"
    assert [p.who for p in dinner.participants] == ["ann-lee", "bo-ray"]
    assert {c.source for c in dinner.citations} == {timeline.id}
    # The article is a source; the photograph is the meeting's illustration, not a source.
    originals = {load(small_case).records[c.original].url for c in dinner.citations}
    assert originals == {"https://example.org/dinner"}
    assert [(m.url, m.credit, m.caption) for m in dinner.media] == [
        ("https://example.org/photo.jpg", "Staff photographer", "The restaurant")]
    scrutiny = by_title["Annie under scrutiny"]
    assert scrutiny.date.edtf() == "2017-01/2017-03" and scrutiny.date_text == "early 2017"
    assert [p.who for p in scrutiny.participants] == ["ann-lee", "senate"]  # an alias and an organization
    assert report.linked["Annie"] == "ann-lee"
    assert any("Undated aside" in line and "no date" in line for line in report.rejected)
    assert any("Impossible day" in line and "29 days" in line for line in report.rejected)
    assert report.problems == []
    reloaded = load(small_case)
    assert reloaded.errors == [] and dinner.id in reloaded.records


def test_imports_never_overwrite_existing_records(small_case):
    taken = small_case / "meetings" / "2016-10-ann-lee-dines-with-bo-ray.toml"
    taken.write_text('title = "Mine"\ndate = "2016"\n', encoding="utf-8")
    before = taken.read_bytes()
    report = import_timelinejs(NEWSROOM_TIMELINE, load(small_case), "t.json").write()
    assert taken.read_bytes() == before
    assert any(r.id == "2016-10-ann-lee-dines-with-bo-ray-2" for r in report.created)


# CSV


MEETINGS_CSV = """When,Headline,Where,Who,Source,URL,Excerpt
2016-11,Lee and Ray meet again,Washington,Ann Lee; Cy Young,The Daily,https://example.org/again,They met again in November.
2016-02-30,A day that never was,,Ann Lee,,,
2017,Bo Ray lunches,,bo-ray,,,
"""


def test_csv_import_maps_columns_matches_and_creates_people(small_case, capsys):
    sheet = small_case.parent / "meetings.csv"
    sheet.write_text(MEETINGS_CSV, encoding="utf-8")
    argv = ["import", "csv", str(sheet), "--into", str(small_case), "--map", "When=date", "--map", "Headline=title",
            "--map", "Where=place", "--map", "Who=participants"]
    assert main([*argv, "--dry-run"]) == 1  # a row rejected: the user must see to it
    captured = capsys.readouterr()
    assert "# meetings/2016-11-lee-and-ray-meet-again.toml" in captured.out
    assert "would create" in captured.err and "row 3: date" in captured.err
    assert not (small_case / "meetings" / "2016-11-lee-and-ray-meet-again.toml").exists()
    assert main(argv) == 1
    written = tomllib.loads((small_case / "meetings" / "2016-11-lee-and-ray-meet-again.toml").read_text(encoding="utf-8"))
    assert written["participants"] == [{"who": "ann-lee"}, {"who": "cy-young"}]
    assert written["place"] == "Washington"
    assert tomllib.loads((small_case / "people" / "cy-young.toml").read_text(encoding="utf-8")) == {"name": "Cy Young"}
    source = tomllib.loads((small_case / "sources" / "the-daily.toml").read_text(encoding="utf-8"))
    assert source["url"] == "https://example.org/again"
    casefile = load(small_case)
    assert casefile.errors == []
    assert "2017-bo-ray-lunches" in casefile.records
    assert not any(r.id.startswith("2016-02-30") for r in casefile.records.values())


def test_csv_statements_link_to_meetings(small_case):
    sheet = small_case.parent / "statements.csv"
    sheet.write_text(
        "speaker,date,quote,setting,under_oath,meetings,stance,source,excerpt\n"
        "Ann Lee,2017-02-01,\"I never met him, [bold]ever[/].\",interview,no,Lee meets Ray,denies,daily-report,She denied it.\n",
        encoding="utf-8")
    report = import_csv(sheet, load(small_case)).write()
    (statement,) = report.created
    assert statement.speaker == "ann-lee" and statement.quote == "I never met him, [bold]ever[/]."
    assert [(a.meeting, a.stance) for a in statement.about] == [("2016-09-lee-ray", "denies")]
    assert statement.citations[0].source == "daily-report" and not statement.under_oath
    index = Index(load(small_case).records)
    assert {c.statement for c in index.contradictions_of("2016-09-lee-ray")} >= {statement.id}


# Markdown


def test_markdown_is_a_chronology_with_quotes_and_numbered_sources(bundled_index):
    text = to_markdown(bundled_index, "Sessions–Kislyak", person="jeff-sessions")
    assert text.startswith("# Sessions–Kislyak: Jeff Sessions\n\n## Chronology\n")
    assert "- **10 Jan 2017** — Jeff Sessions, Senate confirmation hearing (under oath):" in text
    assert "did not have communications with the Russians" in text
    assert "**Contradicted:** Sessions meets Kislyak in his Senate office is reported by" in text
    sources = text.split("## Sources")[1]
    assert "1. Julia Ioffe, “Why Did Jeff Sessions Really Meet With Sergey Kislyak?”, The Atlantic, Jun 2017." in sources
    assert text.index("**Aug 2015**") < text.index("**Sep 2016**") < text.index("**10 Jan 2017**")


def test_markdown_escapes_what_markdown_would_read_as_markup(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "meetings/m.toml": 'title = "*not bold* [link](x) <b>"\ndate = "2016"\n'
                           '[[citations]]\nsource = "daily-report"\nexcerpt = "x"\n',
    })
    text = to_markdown(Index(load(folder).records), "case")
    assert r"\*not bold\* \[link\](x) \<b\>" in text


def test_export_cli_writes_a_file_and_refuses_an_unknown_person(tmp_path, capsys):
    out = tmp_path / "case.ftm.json"
    if pytest.importorskip("followthemoney"):
        assert main(["export", "ftm", "--out", str(out), str(BUNDLED)]) == 0
        lines = out.read_text(encoding="utf-8").splitlines()
        assert all(json.loads(line)["id"] for line in lines)
    assert main(["export", "markdown", "--person", "nobody", str(BUNDLED)]) == 2
    assert "no record 'nobody'" in capsys.readouterr().err


async def test_the_palette_exports_a_persons_chronology(small_case, tmp_path, monkeypatch):
    from whomet.app import WhometApp

    monkeypatch.chdir(tmp_path)
    app = WhometApp(small_case)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("ctrl+p", *"export this timeline")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the proposed file
        await work_done(app)  # written by a thread, the keys still answered
    written = (tmp_path / "case-ann-lee.md").read_text(encoding="utf-8")
    assert written.startswith("# case: Ann Lee") and "I did not meet Ray." in written
