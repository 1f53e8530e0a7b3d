"""An edit changes exactly what was edited: every field of every bundled record (and of a generated
casefile), saved through the store as the form saves, leaves the rest of the file byte for byte."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
import tomli

from edits import changed_outside, record_edits
from helpers import BUNDLED, write_casefile
from whomet.store import ChangedOnDisk, Opened, WouldLoseComments, load, open_record, save

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate  # noqa: E402


def edit_every_field(folder: Path, *, every: int = 1) -> int:
    """Save every edit of every ``every``-th record; the number saved."""
    casefile = load(folder)
    saved = 0
    for number, record_id in enumerate(sorted(casefile.records)):
        if number % every:
            continue
        record = casefile.records[record_id]
        path = casefile.paths[record_id]
        original = path.read_bytes()
        for field, what, edited in record_edits(record):
            path.write_bytes(original)
            save(casefile, edited, Opened(path, original, record))
            written = path.read_bytes()
            back = type(record).model_validate({**tomli.loads(written.decode()), "id": record_id})
            assert back == edited, (record_id, field, what)
            outside = changed_outside(original.decode(), written.decode(), field)
            assert not outside, (record_id, field, what, outside)
            saved += 1
        path.write_bytes(original)
        casefile.records[record_id] = record
    return saved


@pytest.fixture
def no_fsync(monkeypatch):
    """Thousands of saves in a row: what they write is checked, not that it reached the disk."""
    monkeypatch.setattr(os, "fsync", lambda handle: None)


def test_every_field_of_every_bundled_record(tmp_path, no_fsync):
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    assert edit_every_field(folder) > 3000


def test_every_field_of_a_generated_casefile(tmp_path, no_fsync):
    folder = tmp_path / "case"
    generate(folder, 1_000, seed=3)
    assert edit_every_field(folder) > 8000


def test_removing_a_participant_keeps_the_rest_as_written(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    casefile = load(folder)
    opened = open_record(casefile, "2016-09-sessions-kislyak-senate-office")
    record = opened.record
    save(casefile, record.model_copy(update={"participants": record.participants[1:]}), opened)
    before = opened.data.decode()
    after = opened.path.read_text()
    removed = ('\n[[participants]]\nwho = "jeff-sessions"\ncapacity = "as a member of the Senate Armed '
               'Services Committee (the White House\'s account)"\n')
    assert removed in before
    assert after == before.replace(removed, "", 1)


def test_a_default_value_written_in_the_file_stays(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        "meetings/m.toml": 'title = "Old"  # the Post\'s headline\ndate = "2016"\n'
                           'status = "confirmed"  # three sources\n',
    })
    casefile = load(folder)
    opened = open_record(casefile, "m")
    save(casefile, opened.record.model_copy(update={"title": "New"}), opened)
    assert opened.path.read_text() == ('title = "New"  # the Post\'s headline\ndate = "2016"\n'
                                       'status = "confirmed"  # three sources\n')


COMMENTED = """\
# A meeting, as reported.
title = 'Lee meets Ray'   # literal string kept
date = "2016-09"

# Who was there.
[[participants]]
who = "ann-lee"  # the senator
capacity = "as senator"

# The ambassador, per the Post.
[[participants]]
who = "bo-ray"

[[participants]]
who = "cy-doe"

# The one source.
[[citations]]
source = "daily"
excerpt = "Lee met Ray."
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_entries_added_and_removed_keep_their_neighbours_comments(tmp_path, newline):
    folder = write_casefile(tmp_path / "case", {"meetings/m.toml": COMMENTED.replace("\n", newline).encode()})
    casefile = load(folder)
    opened = open_record(casefile, "m")
    record = opened.record
    people = record.participants
    save(casefile, record.model_copy(update={"participants": [people[0], people[2]]}), opened)
    text = opened.path.read_bytes().decode()
    expected = COMMENTED.replace("# The ambassador, per the Post.\n[[participants]]\nwho = \"bo-ray\"\n\n", "")
    assert text == expected.replace("\n", newline)

    opened = open_record(casefile, "m")
    added = type(people[0]).model_validate({"who": "dee-ann", "capacity": "as aide"})
    save(casefile, opened.record.model_copy(update={"participants": [*opened.record.participants, added]}), opened)
    text = opened.path.read_bytes().decode()
    assert text == expected.replace(
        '[[participants]]\nwho = "cy-doe"\n',
        '[[participants]]\nwho = "cy-doe"\n\n[[participants]]\nwho = "dee-ann"\ncapacity = "as aide"\n',
    ).replace("\n", newline)


def test_a_list_removed_whole_leaves_the_comment_of_what_follows(tmp_path):
    folder = write_casefile(tmp_path / "case", {"meetings/m.toml": COMMENTED})
    casefile = load(folder)
    opened = open_record(casefile, "m")
    save(casefile, opened.record.model_copy(update={"participants": []}), opened)
    text = opened.path.read_text()
    assert "# The one source.\n[[citations]]" in text
    assert "# Who was there." in text  # it stood before the list, outside it
    assert "who =" not in text


def test_a_comment_inside_an_array_that_an_edit_would_drop_is_refused(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        "people/p.toml": 'name = "P"\naliases = [\n  "One",  # from the Post\n  "Two",\n]\n',
    })
    casefile = load(folder)
    opened = open_record(casefile, "p")
    try:
        save(casefile, opened.record.model_copy(update={"aliases": ["One", "Three"]}), opened)
    except WouldLoseComments as error:
        assert "aliases" in str(error)
        assert opened.path.read_bytes() == opened.data
    else:
        assert "# from the Post" in opened.path.read_text()


def test_a_save_over_bytes_changed_elsewhere_is_refused_with_their_version(tmp_path):
    folder = write_casefile(tmp_path / "case", {"people/p.toml": 'name = "P"\nsummary = "one"\n'})
    casefile = load(folder)
    opened = open_record(casefile, "p")
    opened.path.write_text('name = "P"\nsummary = "theirs"\n')
    with pytest.raises(ChangedOnDisk) as refused:
        save(casefile, opened.record.model_copy(update={"name": "Mine"}), opened)
    assert refused.value.theirs is not None
    assert refused.value.theirs.record.summary == "theirs"
    assert opened.path.read_text() == 'name = "P"\nsummary = "theirs"\n'


def test_mode_and_line_ends_stay_and_a_new_file_follows_the_umask(tmp_path):
    folder = write_casefile(tmp_path / "case", {"people/p.toml": b'name = "P"\r\nsummary = "one"\r\n'})
    path = folder / "people/p.toml"
    path.chmod(0o640)
    casefile = load(folder)
    opened = open_record(casefile, "p")
    save(casefile, opened.record.model_copy(update={"summary": "two"}), opened)
    assert path.read_bytes() == b'name = "P"\r\nsummary = "two"\r\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o640

    previous = os.umask(0o027)
    try:
        made = save(casefile, type(opened.record).model_validate({"id": "q", "name": "Q"}))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(made.stat().st_mode) == 0o640
    assert not [p for p in folder.rglob(".*.tmp")]


def test_a_record_file_that_is_a_link_stays_one_and_its_target_is_edited(tmp_path):
    folder = write_casefile(tmp_path / "case", {"people/p.toml": b'name = "P"\nsummary = "one"\n'})
    kept = folder / "people" / "p.toml"
    target = folder / "people" / "shared" / "p-original.toml"  # where the user keeps the file itself
    target.parent.mkdir()
    kept.rename(target)
    kept.symlink_to(Path("shared") / "p-original.toml")
    casefile = load(folder)
    opened = open_record(casefile, "p")
    save(casefile, opened.record.model_copy(update={"summary": "two"}), opened)
    assert kept.is_symlink() and os.readlink(kept) == str(Path("shared") / "p-original.toml")
    assert target.read_bytes() == b'name = "P"\nsummary = "two"\n'
    assert not [p for p in folder.rglob(".*.tmp")]


def test_a_record_file_linked_to_another_records_file_is_not_written_through(tmp_path):
    from whomet.store import SaveError

    folder = write_casefile(tmp_path / "case", {"people/p.toml": b'name = "P"\n', "people/q.toml": b'name = "Q"\n'})
    (folder / "people" / "p.toml").unlink()
    (folder / "people" / "p.toml").symlink_to("q.toml")
    casefile = load(folder)
    opened = open_record(casefile, "p")
    with pytest.raises(SaveError, match="another record's file"):
        save(casefile, opened.record.model_copy(update={"summary": "for p only"}), opened)
    assert (folder / "people" / "q.toml").read_bytes() == b'name = "Q"\n'


# The same edits over the ways a person may have written the file: comments on and between
# lines, blank lines, CRLF, literal strings, and lists of tables written inline.

import re  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_BUNDLED = load(BUNDLED)
_IDS = sorted(_BUNDLED.records)
_SIMPLE_VALUE = re.compile(r'^[a-z_]+ = ("[^"\\]*"|true|false|-?\d+)$')
_STARTS_ITEM = re.compile(r"^([a-z_]+ = |\[\[?[a-z_]+\]\]?)")


def _reformatted(text: str, draw) -> str:
    """``text`` (a record file) written otherwise, meaning the same."""
    import tomlkit

    if draw(st.booleans()):
        document = tomlkit.parse(text)
        tables = [key for key, value in document.items() if isinstance(value, tomlkit.items.AoT)]
        if tables:
            key = draw(st.sampled_from(tables))
            entries = document[key].unwrap()
            del document[key]
            array = tomlkit.array()
            for entry in entries:
                inline = tomlkit.inline_table()
                inline.update(entry)
                array.append(inline)
            body = document.body
            first_table = next((i for i, (k, v) in enumerate(body) if isinstance(v, (tomlkit.items.AoT,
                                                                                   tomlkit.items.Table))), None)
            if first_table is None:
                document[key] = array
            else:
                document._insert_at(first_table, key, array)
            text = tomlkit.dumps(document)
    lines, out, in_string = text.split("\n"), [], False
    for line in lines:
        starts = not in_string and _STARTS_ITEM.match(line)
        if starts and draw(st.integers(0, 3)) == 0:
            out.append(f"# note {len(out)}: [bold] not markup, \"quoted\"")
        if starts and line.startswith("[") and draw(st.booleans()):
            out.append("")
        if not in_string and _SIMPLE_VALUE.match(line):
            key, _, value = line.partition(" = ")
            if value.startswith('"') and "'" not in value and draw(st.booleans()):
                line = f"{key} = '{value[1:-1]}'"
            if draw(st.integers(0, 2)) == 0:
                line += f"  # on {key}"
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_string = not in_string
        out.append(line)
    text = "\n".join(out)
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(max_examples=int(os.environ.get("WHOMET_EDIT_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_edit_keeps_every_way_of_writing_the_file(tmp_path_factory, data):
    record_id = data.draw(st.sampled_from(_IDS))
    record = _BUNDLED.records[record_id]
    original = _BUNDLED.paths[record_id].read_text(encoding="utf-8")
    text = _reformatted(original, data.draw)
    folder = tmp_path_factory.mktemp("variant")
    path = folder / record.folder / f"{record_id}.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode())
    casefile = load(folder)
    assert casefile.records[record_id] == record, text  # the variant means the same
    edits = list(record_edits(record))
    field, what, edited = data.draw(st.sampled_from(edits))
    try:
        save(casefile, edited, Opened(path, text.encode(), record))
    except WouldLoseComments as refused:
        assert f"'{field}'" in str(refused)
        assert path.read_bytes() == text.encode()
        return
    written = path.read_bytes().decode()
    assert ("\r\n" in written) == ("\r\n" in text)
    back = type(record).model_validate({**tomli.loads(written), "id": record_id})
    assert back == edited, (field, what)
    outside = changed_outside(text.replace("\r\n", "\n"), written.replace("\r\n", "\n"), field)
    assert not outside, (field, what, outside, text)


def test_layouts_an_edit_cannot_keep_are_refused_not_rewritten(tmp_path):
    interleaved = ('title = "T"\ndate = "2016"\n\n[[participants]]\nwho = "a"\n\n# lead C1\n[[citations]]\n'
                   'source = "s"\nexcerpt = "e"\n\n# lead P2\n[[participants]]\nwho = "b"\n')
    mixed = b'name = "P"\r\nsummary = "one"\nnationality = "US"\r\n'
    folder = write_casefile(tmp_path / "case", {"meetings/m.toml": interleaved, "people/p.toml": mixed})
    casefile = load(folder)
    for record_id, change in (("m", {"title": "New"}), ("p", {"summary": "two"})):
        opened = open_record(casefile, record_id)
        with pytest.raises(WouldLoseComments, match="edit it in the file itself"):
            save(casefile, opened.record.model_copy(update=change), opened)
        assert opened.path.read_bytes() == opened.data


def test_quotes_of_every_kind_in_a_long_text_read_back(tmp_path):
    folder = write_casefile(tmp_path / "case", {"people/p.toml": 'name = "P"\nsummary = """\nold"""\n'})
    casefile = load(folder)
    for summary in ('He wrote """', 'ends in a quote"', 'a "quoted" word\nand a second line', "\\ and \\\\"):
        opened = open_record(casefile, "p")
        save(casefile, opened.record.model_copy(update={"summary": summary}), opened)
        assert tomli.loads(opened.path.read_text())["summary"] == summary


def test_an_entry_whose_header_has_a_comment_can_be_removed(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        "meetings/m.toml": 'title = "T"\ndate = "2016"\n\n[[participants]]  # the host\nwho = "a"\n\n'
                           '[[participants]]\nwho = "b"\n',
    })
    casefile = load(folder)
    opened = open_record(casefile, "m")
    save(casefile, opened.record.model_copy(update={"participants": opened.record.participants[1:]}), opened)
    assert opened.path.read_text() == 'title = "T"\ndate = "2016"\n\n[[participants]]\nwho = "b"\n'
