"""The casefile cache: never stale, rebuilt when unusable, and the same answers as reading every file."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from helpers import BUNDLED, BUNDLED_RECORDS, SMALL_CASE, screen_text, until_shown, write_casefile
from whomet.app import WhometApp
from whomet.index import CachedIndex, Index
from whomet.store import load
from whomet.store.cache import CaseCache, checks, derive
from whomet.store.look import cache_path


def refreshed(folder: Path) -> tuple[CaseCache, int]:
    cache = CaseCache.open(folder)
    done = cache.refresh()
    return cache, done.read


def age(folder: Path) -> None:
    """Make every file look written a minute ago, as files are when a casefile is reopened."""
    past = time.time_ns() - 60_000_000_000
    for path in folder.rglob("*.toml"):
        os.utime(path, ns=(past, past))


def formats(problems) -> list[str]:  # noqa: ANN001
    return sorted(p.format() for p in problems)


def test_a_second_open_reads_nothing_and_answers_as_a_full_read(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    age(folder)
    cache, read = refreshed(folder)
    assert read == len(list(folder.rglob("*.toml")))
    cache.close()
    cache, read = refreshed(folder)
    assert read == 0
    full = load(folder)
    assert formats(cache.problems) == formats(full.problems)
    cached, memory = CachedIndex(cache), Index(full.records)
    assert cached.party_rows() == memory.party_rows()
    for party in memory.party_rows():
        assert cached.timeline_rows(party.id) == memory.timeline_rows(party.id)
        assert cached.backlinks(party.id) == memory.backlinks(party.id)
    for record_id in full.records:
        assert cached.get(record_id) == full.records[record_id]


def test_the_bundled_case_reads_the_same_through_the_cache():
    cache, _ = refreshed(BUNDLED)
    full = load(BUNDLED)
    cached, memory = CachedIndex(cache), Index(full.records)
    assert len(cached) == len(memory) == BUNDLED_RECORDS
    assert cached.party_rows() == memory.party_rows()
    for party in memory.party_rows():
        assert cached.timeline_rows(party.id) == memory.timeline_rows(party.id)
    assert cached.suggest("jsess", ("person",))[0][0] == "jeff-sessions"


def test_edits_made_outside_are_seen_on_the_next_open(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    age(folder)
    refreshed(folder)[0].close()
    person = folder / "people" / "ann-lee.toml"
    person.write_text(person.read_text().replace('name = "Ann Lee"', 'name = "Ann Leigh"'))
    (folder / "people" / "cy-new.toml").write_text('name = "Cy New"\n')
    (folder / "people" / "bo-ray.toml").unlink()
    cache, read = refreshed(folder)
    assert read == 2
    names = [row.label for row in CachedIndex(cache).party_rows()]
    assert "Ann Leigh" in names and "Cy New" in names and "Bo Ray" not in names
    assert any(p.code == "missing-ref" and "bo-ray" in p.message for p in cache.problems)


def test_an_edit_within_the_same_clock_tick_is_not_missed(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    person = folder / "people" / "ann-lee.toml"
    refreshed(folder)[0].close()
    stat = person.stat()
    # Same size, same modification time: only the content differs.
    person.write_text(person.read_text().replace("Ann Lee", "Ann Lea"))
    os.utime(person, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    cache, _ = refreshed(folder)
    assert "Ann Lea" in [row.label for row in CachedIndex(cache).party_rows()]


@pytest.mark.parametrize("damage", ["garbage", "old format", "missing table"])
def test_an_unusable_cache_is_discarded_and_rebuilt(tmp_path, damage):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    age(folder)
    refreshed(folder)[0].close()
    path = cache_path(folder)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    else:
        db = sqlite3.connect(path)
        if damage == "old format":
            db.execute("UPDATE meta SET value = 'whomet-cache 0' WHERE key = 'format'")
        else:
            db.execute("DROP TABLE records")
        db.commit()
        db.close()
    cache, read = refreshed(folder)
    assert read == len(list(folder.rglob("*.toml")))
    assert formats(cache.problems) == formats(load(folder).problems)
    assert len(CachedIndex(cache)) == len(load(folder).records)


def test_a_duplicate_id_passes_to_the_other_file_when_the_first_goes(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    (folder / "organizations" / "ann-lee.toml").write_text('name = "Ann Lee Foundation"\n')
    age(folder)
    cache, _ = refreshed(folder)
    assert CachedIndex(cache).kind_of("ann-lee") == "organization"  # organizations/ is read before people/
    assert [p.code for p in cache.problems if p.code == "duplicate-id"] == ["duplicate-id"]
    cache.close()
    (folder / "organizations" / "ann-lee.toml").unlink()
    cache, _ = refreshed(folder)
    assert CachedIndex(cache).kind_of("ann-lee") == "person"
    assert not [p for p in cache.problems if p.code == "duplicate-id"]


async def test_the_app_shows_an_edit_made_while_it_was_closed(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    age(folder)
    app = WhometApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_shown(app, pilot)
        assert "Ann Lee" in screen_text(app)
    person = folder / "people" / "ann-lee.toml"
    person.write_text(person.read_text().replace('name = "Ann Lee"', 'name = "Ann Leigh"'))
    app = WhometApp(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await until_shown(app, pilot)
        shown = screen_text(app)
        assert "Ann Leigh" in shown and "Ann Lee\n" not in shown


def test_saves_and_deletes_keep_counts_and_contradictions_as_a_full_read_would(tmp_path):
    from whomet.model import Source, Statement
    from whomet.store import delete, save

    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    cache, _ = refreshed(folder)
    index = CachedIndex(cache)

    def agrees() -> None:
        full = load(folder)
        memory = Index(full.records)
        assert index.party_rows() == memory.party_rows()
        for party in memory.party_rows():
            assert index.timeline_rows(party.id) == memory.timeline_rows(party.id)
        # Link problems are found again only for what a change touched; they match a full read.
        linked = ("missing-ref", "wrong-kind-ref", "cycle", "no-citation")
        assert formats(cache.link_problems()) == formats([p for p in full.problems if p.code in linked])
        assert formats(cache.problems) == formats(full.problems)  # what the app shows, kept up to date

    assert [r.flag for r in index.timeline_rows("ann-lee")] == ["denied", "contradicts"]
    # Bo Ray denies it too: a new statement, a new count, a new contradiction.
    save(cache, Statement.model_validate({
        "id": "2017-02-01-ray-denies", "speaker": "bo-ray", "date": "2017-02-01", "quote": "We never met.",
        "about": [{"meeting": "2016-09-lee-ray", "stance": "denies"}],
        "citations": [{"source": "daily-report", "excerpt": "Ray said they never met."}],
    }))
    agrees()
    assert index.counts("bo-ray") == (1, 1)
    # Without the meeting, the denials contradict nothing on record.
    delete(cache, "2016-09-lee-ray")
    agrees()
    assert any(p.code == "missing-ref" and "2016-09-lee-ray" in p.message for p in cache.link_problems())
    save(cache, Source.model_validate({"id": "other-report", "title": "Other", "publisher": "The Other"}))
    agrees()
    # An organization made part of itself through another, then mended.
    from whomet.model import Organization

    save(cache, Organization.model_validate({"id": "party-a", "name": "A", "type": "political party", "parent": "party-b"}))
    agrees()
    save(cache, Organization.model_validate({"id": "party-b", "name": "B", "type": "political party", "parent": "party-a"}))
    agrees()
    assert [p.code for p in cache.link_problems()].count("cycle") == 2
    save(cache, Organization.model_validate({"id": "party-b", "name": "B", "type": "political party"}))
    agrees()
    cache.close()
    reopened, _ = refreshed(folder)
    assert formats(reopened.link_problems()) == formats(checks.check_links(reopened))


def test_reader_processes_fill_the_cache_as_a_read_in_process_does(tmp_path, monkeypatch):
    import whomet.store.cache as cache_module

    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "organizations/ann-lee.toml": 'name = "Ann Lee Foundation"\n',  # a duplicate id, read first
        "meetings/broken.toml": 'title = "unclosed\n',
        "people/cy-new.toml": 'name = "Cy New"\nnickname = "C"\n',
    })
    age(folder)
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)
    told: list[tuple[int, int]] = []
    cache = CaseCache.open(folder)
    done = cache.refresh(lambda read, total: told.append((read, total)))
    total = len(list(folder.rglob("*.toml")))
    assert done.read == total and told[-1] == (total, total)
    full = load(folder)
    assert formats(cache.problems) == formats(full.problems)
    cached, memory = CachedIndex(cache), Index(full.records)
    assert cached.party_rows() == memory.party_rows()
    assert cached.kind_of("ann-lee") == "organization"
    for party in memory.party_rows():
        assert cached.timeline_rows(party.id) == memory.timeline_rows(party.id)
        assert cached.backlinks(party.id) == memory.backlinks(party.id)
    assert not list(cache_path(folder).parent.glob("*.part*"))  # the readers' databases are gone


def test_a_few_edits_outside_update_counts_flags_and_problems_as_a_full_read_would(tmp_path):
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    age(folder)
    cache, _ = refreshed(folder)
    assert [r.flag for r in CachedIndex(cache).timeline_rows("ann-lee")] == ["denied", "contradicts"]
    cache.close()
    # The hearing no longer speaks of the meeting nor cites its source, and a new statement names a record that does not exist.
    hearing = folder / "statements" / "2017-01-10-lee-hearing.toml"
    text = hearing.read_text()
    hearing.write_text(text.split("[[about]]")[0])  # and cites nothing
    assert hearing.read_text() != text
    (folder / "statements" / "2017-02-01-ray.toml").write_text(
        'speaker = "bo-ray"\ndate = "2017-02-01"\nquote = "Ask Cy."\n'
        '[[about]]\nmeeting = "no-such-meeting"\nstance = "mentions"\n')
    cache, read = refreshed(folder)
    assert read == 2
    full = load(folder)
    memory, cached = Index(full.records), CachedIndex(cache)
    assert cached.party_rows() == memory.party_rows()
    for party in memory.party_rows():
        assert cached.timeline_rows(party.id) == memory.timeline_rows(party.id)
    assert [r.flag for r in cached.timeline_rows("ann-lee")] == ["", ""]
    assert formats(cache.problems) == formats(full.problems)
    assert {"missing-ref", "no-citation"} <= {p.code for p in cache.problems}


def test_deleting_a_record_whose_id_another_file_holds_too_brings_that_one_in(tmp_path):
    from whomet.store import delete

    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, "organizations/bo-ray.toml": 'name = "Bo Ray Inc."\n'})
    age(folder)
    cache, _ = refreshed(folder)
    assert CachedIndex(cache).kind_of("bo-ray") == "organization"
    delete(cache, "bo-ray")
    assert not (folder / "organizations" / "bo-ray.toml").exists()
    assert CachedIndex(cache).kind_of("bo-ray") == "person"
    assert not [p for p in derive.duplicate_problems(cache)]
    cache.close()
    reopened, _ = refreshed(folder)
    assert CachedIndex(reopened).label_of("bo-ray") == "Bo Ray"
    assert formats(reopened.problems) == formats(load(folder).problems)


def test_what_is_kept_until_a_record_changes_lasts_until_then(tmp_path):
    from whomet.model import Person
    from whomet.store import save

    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    age(folder)
    cache, _ = refreshed(folder)
    cache.keep_until_change("detail", {"id": "ann-lee", "data": "as drawn"})
    assert cache.kept_until_change("detail") == {"id": "ann-lee", "data": "as drawn"}
    assert cache.kept_until_change("other") is None
    cache.close()
    cache, read = refreshed(folder)  # nothing changed: still kept
    assert read == 0 and cache.kept_until_change("detail") == {"id": "ann-lee", "data": "as drawn"}
    cache.close()

    # Any record changed outside the app, even another one: what was kept may name or quote it.
    (folder / "people" / "bo-ray.toml").write_text('name = "Bo Raymond"\n')
    cache, read = refreshed(folder)
    assert read == 1 and cache.kept_until_change("detail") is None

    # A record saved or deleted through the app.
    cache.keep_until_change("detail", "as drawn")
    save(cache, Person.model_validate({"id": "cy-new", "name": "Cy New"}))
    assert cache.kept_until_change("detail") is None


def test_a_refresh_that_finds_nothing_changed_writes_nothing_and_an_edit_after_it_is_seen(tmp_path, monkeypatch):
    import whomet.store.look as look_module

    # Folders changed within this of a look are listed again (their change time cannot be set
    # back, as their files' times are): 10 ms here, not two seconds.
    monkeypatch.setattr(look_module, "RACY_NS", 10_000_000)
    folder = write_casefile(tmp_path / "case", SMALL_CASE)
    age(folder)
    time.sleep(0.02)
    cache, _ = refreshed(folder)
    time.sleep(0.02)
    cache.refresh()  # the first look since the read: it keeps the listing's fingerprints
    written = cache.path.stat().st_mtime_ns, cache.path.read_bytes()
    for _ in range(2):
        time.sleep(0.01)
        assert cache.refresh().read == 0
        assert (cache.path.stat().st_mtime_ns, cache.path.read_bytes()) == written
    # The same size, a time after every look: read again.
    person = folder / "people" / "bo-ray.toml"
    person.write_text(person.read_text().replace("Bo Ray", "Bo Roy"))
    later = time.time_ns() + 1_000_000_000
    os.utime(person, ns=(later, later))
    assert cache.refresh().read == 1
    assert CachedIndex(cache).label_of("bo-ray") == "Bo Roy"
    cache.close()


def test_the_people_list_is_read_from_its_own_index_and_the_same_without_it(tmp_path, monkeypatch):
    monkeypatch.setenv("WHOMET_CACHE_DIR", str(tmp_path / "cache"))
    cache, _ = refreshed(BUNDLED)
    plan = " ".join(str(row) for row in cache.db.execute(
        "EXPLAIN QUERY PLAN SELECT id, kind, label, names, meetings, statements FROM records "
        "INDEXED BY records_parties WHERE kind IN ('person', 'organization') ORDER BY sort_name, id"))
    assert "COVERING INDEX records_parties" in plan and "TEMP B-TREE" not in plan  # in order, rows untouched
    indexed = CachedIndex(cache).party_rows()
    cache.db.execute("DROP INDEX records_parties")  # a cache made before it
    assert CachedIndex(cache).party_rows() == indexed
    assert [p.id for p in indexed] == [p.id for p in Index(load(BUNDLED).records).party_rows()]
    cache.close()


def test_a_locked_cache_is_not_asked_for_the_people_list_twice(tmp_path, monkeypatch):
    monkeypatch.setenv("WHOMET_CACHE_DIR", str(tmp_path / "cache"))
    cache, _ = refreshed(write_casefile(tmp_path / "case", SMALL_CASE))
    asked: list[str] = []

    class Locked:
        def execute(self, query: str, *args: object) -> object:
            asked.append(query)
            raise sqlite3.OperationalError("database is locked")

    index = CachedIndex(cache)
    index.db = Locked()  # type: ignore[assignment]
    with pytest.raises(sqlite3.OperationalError):
        index.party_rows()
    assert len(asked) == 1  # each ask waits up to five seconds for the lock
    cache.close()


def test_the_full_text_index_is_made_in_one_go_for_many_files_and_kept_in_step_after(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    from whomet.index import Filters, chronology_of

    folder = tmp_path / "case"
    generate(folder, 1_500, seed=3)  # over a thousand files: filled without the triggers, then indexed

    def by_hand(word: str) -> list[str]:
        folded = word.casefold()
        return sorted(r.id for r in load(folder).records.values() if r.kind in ("meeting", "statement") and any(
            token.casefold().startswith(folded) for text in (getattr(r, "title", ""), getattr(r, "quote", ""),
                                                             getattr(r, "summary", ""), getattr(r, "place", ""),
                                                             getattr(r, "question", ""),
                                                             *(c.excerpt for c in r.citations))
            for token in "".join(ch if ch.isalnum() else " " for ch in text).split()))

    cache = CaseCache.open(folder)
    try:
        cache.refresh()
        cache.db.execute("INSERT INTO words (words, rank) VALUES ('integrity-check', 1)")
        meeting = next(row for row in chronology_of(cache.db, Filters(kinds=("meeting",))))
        word = max(meeting.title.split(), key=len).strip(".,:;'\"“”")
        found = sorted(row.id for row in chronology_of(cache.db, Filters(words=word)))
        assert found == by_hand(word) and meeting.id in found
        (folder / "meetings" / f"{meeting.id}.toml").unlink()
        cache.refresh()
        cache.db.execute("INSERT INTO words (words, rank) VALUES ('integrity-check', 1)")
        assert sorted(row.id for row in chronology_of(cache.db, Filters(words=word))) == by_hand(word)
    finally:
        cache.close()
