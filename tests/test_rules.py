"""The rules of what records say taken together (whomet.store.rules) give the same answers whether
the records are held in memory (Index) or in the cache (CachedIndex): both ask the same SQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BUNDLED, SMALL_CASE, write_casefile
from whomet.index import CachedIndex, Index
from whomet.store import load
from whomet.store.cache import CaseCache


def both(folder: Path) -> tuple[Index, CachedIndex]:
    cache = CaseCache.open(folder, in_memory=True)
    cache.refresh()
    return Index(load(folder).records), CachedIndex(cache)


@pytest.mark.parametrize("folder", [BUNDLED, "small"], ids=["bundled", "small"])
def test_memory_and_cache_agree_on_every_record(folder, tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE) if folder == "small" else folder
    memory, cached = both(folder)
    for record_id, record in memory.records.items():
        assert cached.contradictions_of(record_id) == memory.contradictions_of(record_id), record_id
        if record.kind == "meeting":
            assert cached.is_denied(record_id) == memory.is_denied(record_id), record_id
        if record.kind in ("person", "organization"):
            assert cached.counts(record_id) == memory.counts(record_id), record_id
    assert memory.contradictions(), "the case has contradictions to compare"


def test_a_contradiction_names_each_reporting_source_once_in_citation_order(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "sources/weekly.toml": 'title = "Weekly"\npublisher = "The Weekly"\n',
        "meetings/2016-09-lee-ray.toml": """
            title = "Lee meets Ray"
            date = "2016-09"
            [[participants]]
            who = "ann-lee"
            [[citations]]
            source = "weekly"
            excerpt = "They met."
            original = "daily-report"
            [[citations]]
            source = "daily-report"
            excerpt = "They met, it said."
            [[citations]]
            source = "no-such-source"
            excerpt = "Not a source on record."
        """,
    })
    for index in both(folder):
        (found,) = index.contradictions_of("2017-01-10-lee-hearing")
        assert (found.statement, found.meeting, found.sources) == (
            "2017-01-10-lee-hearing", "2016-09-lee-ray", ("weekly", "daily-report"))


def test_each_denial_is_a_contradiction_and_the_oldest_statement_comes_first(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "statements/2016-12-ray-denies.toml": """
            speaker = "bo-ray"
            date = "2016-12"
            quote = "We never met. Never."
            [[about]]
            meeting = "2016-09-lee-ray"
            stance = "denies"
            [[about]]
            meeting = "2016-09-lee-ray"
            stance = "denies"
            [[citations]]
            source = "daily-report"
            excerpt = "Ray denied it."
        """,
    })
    for index in both(folder):
        assert [c.statement for c in index.contradictions_of("2016-09-lee-ray")] == [
            "2016-12-ray-denies", "2016-12-ray-denies", "2017-01-10-lee-hearing"]
        assert len(index.contradictions_of("2016-12-ray-denies")) == 2
        assert index.is_denied("2016-09-lee-ray")
        assert index.counts("bo-ray") == (1, 1)


def test_an_index_in_memory_follows_its_changes(small_case):
    index = Index(load(small_case).records)
    assert index.is_denied("2016-09-lee-ray") and index.counts("bo-ray") == (1, 0)
    meeting = index.get("2016-09-lee-ray")
    index.put(meeting.model_copy(update={"participants": meeting.participants[:1]}))
    assert index.counts("bo-ray") == (0, 0)
    index.remove("2017-01-10-lee-hearing")
    assert not index.is_denied("2016-09-lee-ray") and index.contradictions_of("2016-09-lee-ray") == []
