"""Random edits, creations, moves, deletions and broken files, made outside the app and through
the store: after each, the cache answers exactly as a full read of the folder does. The rules and
the checks are the same code either way (whomet.store.rules, whomet.store.validation); what this
holds is the cache's upkeep: after a few changes only what they can touch is found again."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

import whomet.store.cache as cache_module
from whomet.index import CachedIndex, Filters, Index, chronology_of
from whomet.store import ChangedOnDisk, SaveError, delete, load
from whomet.store.cache import CaseCache

IDS = ["a", "b", "c", "d", "e", "f"]
FOLDERS = ["meetings", "organizations", "people", "sources", "statements"]


def some_record(rng: random.Random, folder: str) -> str:
    """The text of a record for ``folder``, naming ids that may or may not exist; sometimes broken."""

    def ref() -> str:
        return rng.choice([*IDS, "nobody"])

    if rng.random() < 0.12:
        return 'title = "never closed\n'
    if folder == "people":
        text = f'name = "Person {rng.randint(0, 9)}"\n'
        if rng.random() < 0.5:
            text += f'[[roles]]\ntitle = "Adviser"\norganization = "{ref()}"\n'
        return text
    if folder == "organizations":
        return f'name = "Body {rng.randint(0, 9)}"\n' + (f'parent = "{ref()}"\n' if rng.random() < 0.6 else "")
    if folder == "sources":
        return f'title = "Report {rng.randint(0, 9)}"\n'
    if folder == "meetings":
        text = f'title = "Meeting {rng.randint(0, 9)}"\ndate = "2016-0{rng.randint(1, 9)}"\n'
        text += "".join(f'[[participants]]\nwho = "{ref()}"\n' for _ in range(rng.randint(0, 2)))
        return text + "".join(f'[[citations]]\nsource = "{ref()}"\nexcerpt = "e"\n' for _ in range(rng.randint(0, 2)))
    text = f'speaker = "{ref()}"\ndate = "2017-0{rng.randint(1, 9)}"\nquote = "Words {rng.randint(0, 9)}"\n'
    text += "".join(f'[[about]]\nmeeting = "{ref()}"\nstance = "{rng.choice(["denies", "mentions"])}"\n'
                    for _ in range(rng.randint(0, 2)))
    return text + "".join(f'[[citations]]\nsource = "{ref()}"\nexcerpt = "e"\n' for _ in range(rng.randint(0, 1)))


def differences(cache: CaseCache, folder: Path) -> list[str]:
    full = load(folder)
    memory, cached = Index(full.records), CachedIndex(cache)
    found = []
    if cached.party_rows() != memory.party_rows():
        found.append("party rows")
    for record_id in IDS:
        expected = full.records[record_id].kind if record_id in full.records else None
        if cache.kind_of(record_id) != expected:
            found.append(f"kind of {record_id}")
        if cached.timeline_rows(record_id) != memory.timeline_rows(record_id):
            found.append(f"timeline of {record_id}")
        if expected == "meeting" and cached.is_denied(record_id) != memory.is_denied(record_id):
            found.append(f"denial of {record_id}")
    # The full-text index holds each record's texts as the records table does, and finds by them.
    cache.db.execute("INSERT INTO words (words, rank) VALUES ('integrity-check', 1)")
    for number in range(10):
        by_hand = sorted(r.id for r in full.records.values() if r.kind in ("meeting", "statement") and (
            f"{number}" in getattr(r, "title", "").split() or f"{number}" in getattr(r, "quote", "").split()))
        if [row.id for row in sorted(chronology_of(cache.db, Filters(words=f"{number}")), key=lambda row: row.id)] != by_hand:
            found.append(f"records with the word {number}")
    ours, theirs = {p.format() for p in cache.problems}, {p.format() for p in full.problems}
    found += [f"only in the cache: {p}" for p in sorted(ours - theirs)]
    found += [f"only in a full read: {p}" for p in sorted(theirs - ours)]
    return found


def wander(seed: int, folder: Path, steps: int) -> None:
    rng = random.Random(seed)
    clock = [time.time_ns() - 3600 * 10**9]  # a minute apart each, well clear of the same-tick rule

    def write(relative: str) -> None:
        path = folder / relative
        path.write_text(some_record(rng, relative.split("/")[0]), encoding="utf-8")
        clock[0] += 60 * 10**9
        os.utime(path, ns=(clock[0], clock[0]))

    for name in FOLDERS:
        (folder / name).mkdir(parents=True)
    for _ in range(rng.randint(3, 12)):
        write(f"{rng.choice(FOLDERS)}/{rng.choice(IDS)}.toml")
    cache = CaseCache.open(folder)
    cache.refresh()
    done: list[str] = []
    for _ in range(steps):
        present = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.toml"))
        for _ in range(rng.choice([1, 1, 2, 3])):
            choice = rng.random()
            if choice < 0.35 or not present:
                relative = f"{rng.choice(FOLDERS)}/{rng.choice(IDS)}.toml"
                write(relative)
                done.append(f"write {relative}")
            elif (relative := rng.choice(present)) and not (folder / relative).exists():
                continue
            elif choice < 0.6:
                (folder / relative).unlink()
                done.append(f"remove {relative}")
            elif choice < 0.8:
                moved = f"{rng.choice(FOLDERS)}/{relative.split('/')[1]}"
                if not (folder / moved).exists():
                    os.rename(folder / relative, folder / moved)
                    done.append(f"move {relative} to {moved}")
            else:
                write(relative)
                done.append(f"rewrite {relative}")
        cache.refresh()
        assert not differences(cache, folder), (seed, done, differences(cache, folder))
        if rng.random() < 0.4 and (held := [i for i in IDS if cache.kind_of(i)]):
            victim = rng.choice(held)
            try:
                delete(cache, victim)
                done.append(f"delete {victim} in the app")
            except (ChangedOnDisk, SaveError):
                continue
            assert not differences(cache, folder), (seed, done, differences(cache, folder))
    cache.close()


@pytest.mark.parametrize("seed", range(40))
def test_the_cache_agrees_with_a_full_read_after_changes_read_in_this_process(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 10**9)
    wander(seed, tmp_path / "case", steps=12)


@pytest.mark.parametrize("seed", range(2))
def test_the_cache_agrees_with_a_full_read_after_changes_read_by_reader_processes(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)
    wander(seed, tmp_path / "case", steps=4)
