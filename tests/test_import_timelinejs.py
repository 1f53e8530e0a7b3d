"""TimelineJS in and out as a reporter would keep it: one source per article, images as
illustrations, groups as tags, names linked only when exact (a surname alone suggested), whomet's
own export read back as the records it was; and tags shown, filtered and exported."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from helpers import BUNDLED, screen_text, until_shown
from whomet.cli import main
from whomet.model import Meeting, Statement
from whomet.store import load


def slide(year, month, day, headline, text, *, group="", media=None, end=None, display="", unique_id=""):
    event = {"start_date": {"year": year, **({"month": month} if month else {}), **({"day": day} if day else {})},
             "text": {"headline": headline, "text": text}}
    if group:
        event["group"] = group
    if media:
        event["media"] = media
    if end:
        event["end_date"] = end
    if display:
        event["display_date"] = display
    if unique_id:
        event["unique_id"] = unique_id
    return event


WAPO = "https://www.washingtonpost.com/world/national-security/sessions-spoke-twice-with-russian-ambassador/2017/03/01/abc_story.html"
NYT = "https://www.nytimes.com/2017/03/02/us/politics/jeff-sessions-russia.html"

NEWSROOM = {
    "title": {"text": {"headline": "The Russia contacts", "text": "<p>Every contact we know of.</p>"},
              "media": {"url": "https://static.example.org/cover.jpg"}},
    "events": [
        slide(2016, 7, 18, "Sessions meets Kislyak at the convention (Sessions)",
              f'<p>Jeff Sessions speaks with Sergey Kislyak. <a href="{WAPO}">The Washington Post</a></p>',
              group="Sessions",
              media={"url": "https://img.washingtonpost.com/photo.jpg", "credit": "Photo: The Washington Post",
                     "caption": "Sessions at the convention"}),
        slide(2016, 9, 8, "A second meeting in the Senate office",
              f'<p>Sessions met the ambassador again. <a href="{WAPO}?utm_source=twitter">Post report</a> and '
              f'<a href="{NYT}#after-top">The New York Times</a></p>',
              group="Sessions", display="September 8, in his office"),
        slide(2016, 9, 8, "A second meeting in the Senate office",  # the same slide twice
              f'<p>Sessions met the ambassador again. <a href="{WAPO}?utm_source=twitter">Post report</a> and '
              f'<a href="{NYT}#after-top">The New York Times</a></p>', group="Sessions",
              display="September 8, in his office"),
        slide(2016, 4, None, "Flynn dines in Moscow", "<p>Flynn attends a gala dinner.</p>", group="Flynn",
              end={"year": 2016, "month": 5}),
        slide(None, None, None, "A slide with no year", "<p>Undated.</p>", group="Flynn"),
        slide(2015, 12, 10, "RT gala", f'<p>Michael Flynn at the RT gala. <a href="{NYT}">NYT</a></p>',
              group="Flynn", media={"url": "https://www.youtube.com/watch?v=abc", "credit": "RT"}),
    ],
}


def newsroom_case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    return folder


SEPTEMBER = "2016-09-sessions-kislyak-senate-office"


def tag(folder: Path, meeting: str, tags: str) -> None:
    """Give a meeting of the casefile ``tags`` (a TOML array, as written), on its first line."""
    path = folder / "meetings" / f"{meeting}.toml"
    path.write_text(f"tags = {tags}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def exported_by_tag(folder: Path, tmp_path: Path) -> tuple[Path, dict]:
    """The casefile exported to TimelineJS grouped by tag, and the September meeting's slide."""
    exported = tmp_path / "by-tag.json"
    assert main(["export", "timelinejs", str(folder), "--group-by", "tag", "--out", str(exported)]) == 0
    (slide_of,) = [e for e in json.loads(exported.read_text(encoding="utf-8"))["events"]
                   if e["unique_id"] == f"meeting-{SEPTEMBER}"]
    return exported, slide_of


def tags_exported_and_imported(folder: Path, tmp_path: Path, into: Path) -> tuple[dict, list[str]]:
    """The September meeting's slide exported by tag, and its tags once imported into ``into``."""
    exported, tagged = exported_by_tag(folder, tmp_path)
    assert main(["import", "timelinejs", str(exported), "--into", str(into)]) == 0
    return tagged, load(into).records["2016-09-sessions-kislyak-senate-office"].tags


def test_a_newsroom_timeline_is_imported_as_a_reporter_would_keep_it(tmp_path, capsys):
    folder = newsroom_case(tmp_path)
    before = set(load(folder).records)
    file = tmp_path / "timeline.json"
    file.write_text(json.dumps(NEWSROOM), encoding="utf-8")
    assert main(["import", "timelinejs", str(file), "--into", str(folder)]) == 1  # a slide rejected: said, exit 1
    report = capsys.readouterr().err
    records = load(folder).records
    new = {record_id: records[record_id] for record_id in set(records) - before}
    meetings = [r for r in new.values() if isinstance(r, Meeting)]
    sources = [r for r in new.values() if r.kind == "source"]
    assert len(meetings) == 4
    # One source per article (the Post's link written two ways is one), the timeline itself, no image as a source.
    urls = sorted(s.url for s in sources if s.url)
    assert urls == [NYT, WAPO], urls
    assert not any("img." in s.url or "youtube" in s.url for s in sources)
    post = next(s for s in sources if s.url == WAPO)
    assert post.publisher == "The Washington Post"
    assert post.title.startswith("Sessions spoke twice with russian ambassador")
    by_title = {m.title: m for m in meetings}
    # The group is a tag, taken off the end of the headline it repeated; the image is the illustration.
    convention = by_title["Sessions meets Kislyak at the convention"]
    assert convention.tags == ["Sessions"]
    assert [(m.url, m.credit, m.caption) for m in convention.media] == [
        ("https://img.washingtonpost.com/photo.jpg", "Photo: The Washington Post", "Sessions at the convention")]
    # Exact names link; the display date is kept, an end date makes a span.
    assert {p.who for p in convention.participants} == {"jeff-sessions", "sergey-kislyak"}
    # The links' names that end a paragraph say where it was reported (the citations keep that), not what happened.
    assert convention.summary == "Jeff Sessions speaks with Sergey Kislyak."
    assert by_title["A second meeting in the Senate office"].summary == "Sessions met the ambassador again."
    second = by_title["A second meeting in the Senate office"]
    assert second.date_text == "September 8, in his office"
    assert {c.original for c in second.citations} == {post.id, next(s.id for s in sources if s.url == NYT)}
    assert str(by_title["Flynn dines in Moscow"].date) == "2016-04/2016-05"
    # "Flynn" alone is a surname: suggested, not linked; "Michael Flynn" in full links.
    assert "michael-flynn" not in {p.who for p in by_title["Flynn dines in Moscow"].participants}
    assert [p.who for p in by_title["RT gala"].participants] == ["michael-flynn"]
    assert "suggested 2 names" in report and "Flynn → michael-flynn?" in report and "Sessions → jeff-sessions?" in report
    assert "A slide with no year" in report and "rejected 1 item" in report
    assert "the same as slide 2" in report
    assert "cited by 2 slides" in report
    assert "in all: " in report
    # Imported again: nothing doubles.
    assert main(["import", "timelinejs", str(file), "--into", str(folder)]) == 1
    assert set(load(folder).records) == set(records)
    assert "already in the casefile" in capsys.readouterr().err


def test_surnames_are_linked_with_the_option(tmp_path, capsys):
    folder = newsroom_case(tmp_path)
    file = tmp_path / "timeline.json"
    file.write_text(json.dumps({"events": [NEWSROOM["events"][3]]}), encoding="utf-8")
    assert main(["import", "timelinejs", str(file), "--into", str(folder), "--link-suggested"]) == 0
    (path,) = (folder / "meetings").glob("2016-04-flynn-dines-in-moscow.toml")
    assert {"who": "michael-flynn"} in tomllib.loads(path.read_text(encoding="utf-8"))["participants"]
    assert "Flynn → michael-flynn" in capsys.readouterr().err


def test_the_bundled_case_comes_back_from_its_timelinejs_export(tmp_path, capsys):
    exported = tmp_path / "case.json"
    assert main(["export", "timelinejs", str(BUNDLED), "--out", str(exported)]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["import", "timelinejs", str(exported), "--into", str(empty)]) == 0, capsys.readouterr().err
    assert main(["check", str(empty)]) == 0
    original, back = load(BUNDLED), load(empty)

    def name(casefile, record_id):
        return casefile.records[record_id].label

    told = [r for r in original.records.values() if isinstance(r, (Meeting, Statement))]
    assert len(told) > 80
    for record in told:
        again = back.records.get(record.id)
        assert again is not None and again.kind == record.kind, record.id
        # TimelineJS dates have no uncertain or approximate mark: the days are the same.
        assert str(again.date).rstrip("?~%") == str(record.date).rstrip("?~%"), record.id
        assert again.date_text in (record.date_text, ""), record.id
        if isinstance(record, Meeting):
            assert (again.title, again.summary, again.place, again.type, again.status) == (
                record.title, record.summary, record.place, record.type, record.status), record.id
            assert [name(back, p.who) for p in again.participants] == [
                name(original, p.who) for p in record.participants], record.id
        else:
            assert (again.quote, again.occasion, again.summary) == (record.quote, record.occasion, record.summary)
            assert name(back, again.speaker) == name(original, record.speaker), record.id
            assert [(a.meeting, a.stance) for a in again.about] == [(a.meeting, a.stance) for a in record.about]
        assert [c.excerpt for c in again.citations] == [c.excerpt for c in record.citations], record.id
        assert [name(back, c.source) for c in again.citations] == [
            name(original, c.source) for c in record.citations], record.id


def test_tags_go_out_as_groups_and_come_back(tmp_path, capsys):
    folder = newsroom_case(tmp_path)
    tag(folder, SEPTEMBER, '["Sessions", "Senate"]')
    empty = tmp_path / "empty"
    empty.mkdir()  # into an empty folder that is there already
    tagged, tags = tags_exported_and_imported(folder, tmp_path, empty)
    assert tagged["group"] == "Sessions"
    assert tags == ["Sessions"]


def test_a_tag_that_is_no_short_name_is_a_problem_with_its_line(tmp_path, capsys):
    folder = newsroom_case(tmp_path)
    tag(folder, SEPTEMBER, '["Sessions", " padded"]')
    assert main(["check", str(folder)]) == 1
    said = capsys.readouterr().out
    assert "2016-09-sessions-kislyak-senate-office.toml:1: error bad-tag" in said


async def test_tags_show_in_the_detail_and_filter_the_chronology(tmp_path):
    from whomet.app import WhometApp

    folder = newsroom_case(tmp_path)
    for name in (SEPTEMBER, "2016-07-sessions-gordon-page-kislyak-rnc"):
        tag(folder, name, '["Kislyak [bold]contacts[/]"]')
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        app.browser.go_to_record("2016-09-sessions-kislyak-senate-office")
        await pilot.pause()
        assert "tags: Kislyak [bold]contacts[/]" in screen_text(app)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("slash")
        await pilot.press(*'tag:"kislyak [bold]contacts[/]"')
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert "#kislyak [bold]contacts[/]" in screen_text(app)  # the filter in the panel's title, as typed
        rows = [row.record_id for row in app.screen.query_one("RecordList").rows]
        assert sorted(rows) == ["2016-07-sessions-gordon-page-kislyak-rnc", "2016-09-sessions-kislyak-senate-office"]


def test_markdown_has_a_section_per_tag(tmp_path, capsys):
    folder = newsroom_case(tmp_path)
    for name, tags in (("2016-09-sessions-kislyak-senate-office", '["Kislyak", "Senate"]'),
                       ("2016-07-sessions-gordon-page-kislyak-rnc", '["Kislyak"]')):
        tag(folder, name, tags)
    out = tmp_path / "memo.md"
    assert main(["export", "markdown", str(folder), "--group-by", "tag", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Kislyak", "## Senate", "## Not tagged", "## Sources"]
    kislyak = text.split("## Kislyak", 1)[1].split("## Senate", 1)[0]
    assert kislyak.count("— meeting:") == 2 and "Tags: Kislyak, Senate" in kislyak
    senate = text.split("## Senate", 1)[1].split("## Not tagged", 1)[0]
    assert senate.count("— meeting:") == 1


async def test_a_tag_that_looks_like_markup_is_a_palette_command_shown_as_typed(tmp_path):
    from whomet.app import WhometApp

    folder = newsroom_case(tmp_path)
    tag(folder, SEPTEMBER, '["[/x] bad"]')
    app = WhometApp(folder)
    async with app.run_test(size=(160, 48)) as pilot:
        await until_shown(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"tag [/x")
        for _ in range(40):
            if "Chronology: tag [/x] bad" in screen_text(app):
                break
            await pilot.pause(0.05)
        assert "Chronology: tag [/x] bad" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.is_running
        rows = [row.record_id for row in app.screen.query_one("RecordList").rows]
        assert rows == ["2016-09-sessions-kislyak-senate-office"]


def test_a_slide_not_as_timelinejs_writes_it_is_rejected_not_a_crash(tmp_path, capsys):
    folder = newsroom_case(tmp_path)
    file = tmp_path / "odd.json"
    file.write_text(json.dumps({"title": 5, "events": [
        {"start_date": "2017", "text": {"headline": "a"}},
        {"start_date": {"year": 2017}, "text": "just text"},
        {"start_date": {"year": 2017}, "end_date": "x", "text": {"headline": "b"}},
        {"start_date": {"year": {"y": 1}}, "text": {"headline": "c"}},
        slide(2017, 3, 2, "A good slide", "<p>Fine.</p>"),
    ]}), encoding="utf-8")
    assert main(["import", "timelinejs", str(file), "--into", str(folder)]) == 1
    said = capsys.readouterr().err
    assert "slide 1: start_date is not as TimelineJS writes them" in said
    assert "slide 2: text is not as TimelineJS writes them" in said
    assert "slide 3: end_date is not as TimelineJS writes them" in said
    assert "slide 4 “c”: no date with a year" in said
    assert "rejected 4 items" in said and "A good slide" in said
    file.write_text(json.dumps({"events": {"0": {}}}), encoding="utf-8")
    assert main(["import", "timelinejs", str(file), "--into", str(folder)]) == 2


def test_an_articles_address_is_the_same_however_written_and_only_then():
    from whomet.importing.common import clean_url, normalized_url

    same = ["https://www.Example.org/a/b/?utm_source=tw&x=1#top", "http://example.org/a/b?x=1&fbclid=abc",
            "https://example.org/a/b?x=1"]
    assert len({normalized_url(url) for url in same}) == 1
    different = ["https://news.example.org/#!/story/101", "https://news.example.org/#!/story/202",
                 "https://example.org/article?ref=123", "https://example.org/article?ref=456"]
    assert len({normalized_url(url) for url in different}) == 4
    assert clean_url("https://news.example.org/#!/story/101?utm_source=x") == "https://news.example.org/#!/story/101?utm_source=x"
    assert clean_url("https://example.org/a?utm_source=t&id=3#comments") == "https://example.org/a?id=3"


def test_a_grouping_an_export_cannot_make_is_a_usage_error(capsys):
    assert main(["export", "ftm", "--group-by", "tag"]) == 2
    assert main(["export", "markdown", "--group-by", "person"]) == 2
    assert "means nothing for" in capsys.readouterr().err


def test_a_tag_with_html_signs_goes_out_escaped_and_comes_back_as_it_was(tmp_path, capsys):
    folder = newsroom_case(tmp_path)
    tag(folder, SEPTEMBER, '["Flynn & <Co>"]')
    empty = tmp_path / "empty"  # a folder the import makes
    tagged, tags = tags_exported_and_imported(folder, tmp_path, empty)
    assert tagged["group"] == "Flynn &amp; &lt;Co&gt;"
    assert tags == ["Flynn & <Co>"]
    file = tmp_path / "script.json"
    file.write_text(json.dumps({"events": [slide(2017, 1, 1, "Odd media", "<p>x</p>",
                                                 media={"url": "javascript:alert(1)"})]}), encoding="utf-8")
    assert main(["import", "timelinejs", str(file), "--into", str(empty)]) == 0
    assert "not an http or https address" in capsys.readouterr().err
    (odd,) = [r for r in load(empty).records.values() if r.label == "Odd media"]
    assert odd.media == []
