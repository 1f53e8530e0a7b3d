"""The index over a small casefile: links, backlinks, timelines, roles, contradictions, search."""

from whomet.index import Index, fuzzy_score, search
from whomet.model import FuzzyDate
from whomet.store import load


def index_of(folder):
    return Index(load(folder).records)


def test_timeline_holds_meetings_and_statements_oldest_first(small_case):
    index = index_of(small_case)
    assert [r.id for r in index.timeline("ann-lee")] == ["2016-09-lee-ray", "2017-01-10-lee-hearing"]
    assert [r.id for r in index.timeline("bo-ray")] == ["2016-09-lee-ray"]
    assert index.counts("ann-lee") == (1, 1)


def test_backlinks_name_who_points_here_and_how(small_case):
    index = index_of(small_case)
    assert {(l.source, l.relation) for l in index.backlinks("bo-ray")} == {("2016-09-lee-ray", "participant")}
    assert {(l.source, l.relation) for l in index.backlinks("2016-09-lee-ray")} == {
        ("2017-01-10-lee-hearing", "denies"),
    }
    assert {(l.source, l.relation) for l in index.backlinks("daily-report")} == {
        ("2016-09-lee-ray", "citation"), ("2017-01-10-lee-hearing", "citation"),
    }
    assert {(l.source, l.relation) for l in index.backlinks("senate")} == {("ann-lee", "role")}


def test_a_denial_of_a_reported_meeting_is_a_contradiction_from_either_side(small_case):
    index = index_of(small_case)
    (from_statement,) = index.contradictions_of("2017-01-10-lee-hearing")
    (from_meeting,) = index.contradictions_of("2016-09-lee-ray")
    assert from_statement == from_meeting
    assert from_statement.sources == ("daily-report",)
    assert index.is_denied("2016-09-lee-ray")


def test_a_denial_of_a_meeting_no_source_reports_is_no_contradiction(small_case):
    (small_case / "meetings" / "2016-09-lee-ray.toml").write_text(
        'title = "Lee meets Ray"\ndate = "2016-09"\n[[participants]]\nwho = "ann-lee"\n', encoding="utf-8")
    assert index_of(small_case).contradictions() == []


def test_roles_held_on_a_date_use_the_bounds(small_case):
    index = index_of(small_case)
    assert [r.title for r in index.roles_on("ann-lee", FuzzyDate.parse("2016-09"))] == ["Senator"]
    assert index.roles_on("ann-lee", FuzzyDate.parse("2018-03")) == []
    assert [r.title for r in index.roles_on("ann-lee", FuzzyDate.parse("2018"))] == ["Senator"]  # could be


def test_put_and_remove_keep_backlinks_current(small_case):
    index = index_of(small_case)
    meeting = index.get("2016-09-lee-ray")
    index.put(meeting.model_copy(update={"participants": meeting.participants[:1]}))
    assert index.backlinks("bo-ray") == []
    index.remove("2017-01-10-lee-hearing")
    assert index.backlinks("2016-09-lee-ray") == []
    assert index.contradictions() == []


def test_search_finds_names_aliases_quotes_and_excerpts(small_case):
    records = load(small_case).records
    assert search(records, "annie")[0].record_id == "ann-lee"
    assert search(records, "did not meet")[0].record_id == "2017-01-10-lee-hearing"
    assert search(records, "met ray september")[0].record_id == "2016-09-lee-ray"
    assert search(records, "zzzz") == []


def test_fuzzy_matching_prefers_word_starts():
    assert fuzzy_score("jsess", "Jeff Sessions") > fuzzy_score("jsess", "Major Jesse Sandoval Ess")
    assert fuzzy_score("xyz", "Jeff Sessions") is None
