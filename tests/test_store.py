"""The loader reports every problem by file, line and code, and keeps every valid record."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

from whomet.model import Meeting, Participant, Person
from whomet.store import ChangedOnDisk, SaveError, load, save, to_toml

from helpers import SMALL_CASE, write_casefile
from unprivileged import as_unprivileged


def problems_by_code(folder: Path) -> dict[str, list]:
    found: dict[str, list] = {}
    for problem in load(folder).problems:
        found.setdefault(problem.code, []).append(problem)
    return found


def test_a_clean_casefile_loads_every_record_without_problems(small_case):
    casefile = load(small_case)
    assert casefile.problems == []
    assert set(casefile.records) == {
        "ann-lee", "bo-ray", "senate", "daily-report", "2016-09-lee-ray", "2017-01-10-lee-hearing",
    }
    assert casefile.records["2016-09-lee-ray"].date.display() == "Sep 2016"


def one_problem(tmp_path, files, code):
    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, **files})
    casefile = load(folder)
    matching = [p for p in casefile.problems if p.code == code]
    assert matching, [p.format() for p in casefile.problems]
    return casefile, matching[0]


def test_toml_syntax_error_names_file_and_line(tmp_path):
    casefile, problem = one_problem(tmp_path, {"people/cy.toml": 'name = "Cy"\naliases = [\n"x" "y"]\n'}, "syntax")
    assert problem.path.name == "cy.toml" and problem.line == 3
    assert problem.severity == "error"
    assert "ann-lee" in casefile.records  # the rest still loads


def test_a_file_that_is_not_utf8_is_reported_with_its_line(tmp_path):
    _, problem = one_problem(tmp_path, {"people/cy.toml": b'name = "Cy"\nsummary = "caf\xe9"\n'}, "encoding")
    assert problem.line == 2 and "UTF-8" in problem.message


def test_an_unknown_key_is_an_error_with_a_suggestion(tmp_path):
    _, problem = one_problem(tmp_path, {"people/cy.toml": 'name = "Cy"\nnationalty = "US"\n'}, "unknown-key")
    assert problem.line == 2
    assert "'nationalty'" in problem.message and "did you mean 'nationality'" in problem.message


def test_an_unknown_key_inside_an_array_of_tables_points_at_its_line(tmp_path):
    text = 'title = "T"\ndate = "2016"\n\n[[participants]]\nwho = "ann-lee"\n\n[[participants]]\nwho = "bo-ray"\ncapacty = "x"\n'
    _, problem = one_problem(tmp_path, {"meetings/m.toml": text}, "unknown-key")
    assert problem.line == 9
    assert "participants #2" in problem.message and "capacity" in problem.message


def test_a_missing_required_field_is_named(tmp_path):
    _, problem = one_problem(tmp_path, {"meetings/m.toml": 'date = "2016"\n'}, "missing-field")
    assert "'title' is required" in problem.message


def test_a_value_of_the_wrong_type_is_named(tmp_path):
    text = SMALL_CASE["statements/2017-01-10-lee-hearing.toml"].replace("under_oath = true", 'under_oath = "yes"')
    _, problem = one_problem(tmp_path, {"statements/2017-01-10-lee-hearing.toml": text}, "wrong-type")
    assert "'under_oath'" in problem.message and "true or false" in problem.message
    assert problem.line == 4


@pytest.mark.parametrize("bad", ["2016-02-30", "2016-13", "last autumn"])
def test_impossible_or_unreadable_dates_are_errors(tmp_path, bad):
    _, problem = one_problem(tmp_path, {"meetings/m.toml": f'title = "T"\ndate = "{bad}"\n'}, "bad-date")
    assert problem.line == 2 and bad in problem.message


def test_an_end_before_its_start_is_an_error(tmp_path):
    text = 'name = "Cy"\n[[roles]]\ntitle = "Mayor"\nstart = "2019"\nend = "2016"\n'
    _, problem = one_problem(tmp_path, {"people/cy.toml": text}, "date-order")
    assert "before it starts" in problem.message and problem.line == 2


def test_an_interval_that_runs_backwards_is_a_date_order_error(tmp_path):
    _, problem = one_problem(tmp_path, {"meetings/m.toml": 'title = "T"\ndate = "2016-05/2016-04"\n'}, "date-order")
    assert problem.line == 2


@pytest.mark.parametrize("name", ["Jeff Sessions.toml", "JEFF.toml", "jeff_sessions.toml", "jéff.toml", "-x.toml"])
def test_a_file_name_that_is_not_an_id_is_an_error(tmp_path, name):
    casefile, problem = one_problem(tmp_path, {f"people/{name}": 'name = "X"\n'}, "bad-id")
    assert problem.path.name == name
    assert len(casefile.records) == len(SMALL_CASE)


def test_an_id_inside_the_file_is_refused(tmp_path):
    _, problem = one_problem(tmp_path, {"people/cy.toml": 'id = "cy"\nname = "Cy"\n'}, "unknown-key")
    assert "file name" in problem.message


def test_duplicate_ids_across_kinds_are_errors(tmp_path):
    casefile, problem = one_problem(tmp_path, {"organizations/ann-lee.toml": 'name = "Ann Lee Inc"\n'}, "duplicate-id")
    named = {problem.path.relative_to(tmp_path / "case").as_posix(), problem.message.split("used by ")[1].split(";")[0]}
    assert named == {"people/ann-lee.toml", "organizations/ann-lee.toml"}
    assert casefile.records["ann-lee"].kind in ("person", "organization")


def test_a_reference_to_a_missing_record_is_an_error_with_its_line(tmp_path):
    text = SMALL_CASE["meetings/2016-09-lee-ray.toml"].replace('who = "bo-ray"', 'who = "bo-rey"')
    _, problem = one_problem(tmp_path, {"meetings/2016-09-lee-ray.toml": text}, "missing-ref")
    assert "'bo-rey'" in problem.message and "participants #2" in problem.message
    assert problem.line == 10


def test_a_reference_to_a_record_of_the_wrong_kind_is_an_error(tmp_path):
    text = SMALL_CASE["statements/2017-01-10-lee-hearing.toml"].replace('meeting = "2016-09-lee-ray"', 'meeting = "bo-ray"')
    _, problem = one_problem(tmp_path, {"statements/2017-01-10-lee-hearing.toml": text}, "wrong-kind-ref")
    assert "a person" in problem.message and "must be a meeting" in problem.message
    assert problem.line == 8


def test_a_reference_that_is_not_an_id_is_reported(tmp_path):
    text = SMALL_CASE["meetings/2016-09-lee-ray.toml"].replace('who = "bo-ray"', 'who = "Bo Ray"')
    _, problem = one_problem(tmp_path, {"meetings/2016-09-lee-ray.toml": text}, "bad-ref")
    assert "'Bo Ray'" in problem.message


def test_a_reference_to_a_broken_record_says_so(tmp_path):
    casefile, problem = one_problem(tmp_path, {"people/bo-ray.toml": 'name = 3\n'}, "missing-ref")
    assert "has errors of its own" in problem.message
    # the broken file is the error; the reference to it is only a consequence
    assert problem.severity == "warning"
    assert [p.code for p in casefile.errors] == ["wrong-type"]


def test_a_meeting_or_statement_without_citation_is_a_warning(tmp_path):
    folder = write_casefile(tmp_path / "case", {**SMALL_CASE, "meetings/m.toml": 'title = "T"\ndate = "2016"\n'})
    casefile = load(folder)
    (problem,) = casefile.problems
    assert (problem.severity, problem.code) == ("warning", "no-citation")
    assert "m" in casefile.records


def test_files_outside_the_kind_folders_are_warnings(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "meeting/typo.toml": 'title = "T"\n',
        "loose.toml": 'name = "x"\n',
        "people/notes.txt": "hello",
        "README.md": "a casefile",
    })
    stray = sorted(p.path.name for p in load(folder).problems if p.code == "stray-file")
    assert stray == ["loose.toml", "notes.txt", "typo.toml"]
    assert all(p.severity == "warning" for p in load(folder).problems)


def test_a_missing_folder_is_one_clear_error(tmp_path):
    casefile = load(tmp_path / "nowhere")
    (problem,) = casefile.problems
    assert problem.code == "no-casefile" and "does not exist" in problem.message


def test_every_problem_is_found_in_one_pass(tmp_path):
    folder = write_casefile(tmp_path / "case", {
        **SMALL_CASE,
        "people/a.toml": 'name = \n',
        "people/b.toml": 'name = "B"\nbogus = 1\n',
        "meetings/c.toml": 'title = "C"\ndate = "2016-02-30"\n',
    })
    codes = sorted(p.code for p in load(folder).problems)
    assert codes == ["bad-date", "syntax", "unknown-key"]


def test_problems_format_like_bean_check(tmp_path):
    _, problem = one_problem(tmp_path, {"people/cy.toml": 'name = "Cy"\nnationalty = "US"\n'}, "unknown-key")
    assert problem.format(tmp_path / "case").startswith("people/cy.toml:2: error unknown-key: unknown key 'nationalty'")


# save


def test_save_round_trips_every_field(small_case):
    casefile = load(small_case)
    for record in list(casefile.records.values()):
        text = to_toml(record)
        assert type(record).model_validate({**tomllib.loads(text), "id": record.id}) == record


def test_save_writes_a_new_record_that_loads_back_equal(small_case):
    casefile = load(small_case)
    meeting = Meeting(
        id="2016-10-lee-ray-dinner", title="Dinner with \"Ray\"", date="2016-10~", type="dinner",
        summary="Line one.\nLine two with [bold]markup[/].",
        participants=[Participant(who="ann-lee", capacity="as senator"), Participant(who="bo-ray")],
        citations=[{"source": "daily-report", "excerpt": "They dined."}],
    )
    path = save(casefile, meeting)
    assert path == small_case / "meetings" / "2016-10-lee-ray-dinner.toml"
    on_disk = tomllib.loads(path.read_text(encoding="utf-8"))
    assert on_disk["date"] == "2016-10~" and "id" not in on_disk
    reloaded = load(small_case)
    assert reloaded.records["2016-10-lee-ray-dinner"] == meeting
    assert reloaded.problems == []
    assert not [p for p in (small_case / "meetings").iterdir() if p.name.startswith(".")]


def test_save_replaces_an_edited_record(small_case):
    casefile = load(small_case)
    edited = casefile.records["bo-ray"].model_copy(update={"summary": "A lobbyist."})
    save(casefile, edited)
    assert load(small_case).records["bo-ray"].summary == "A lobbyist."
    save(casefile, edited.model_copy(update={"summary": "Twice."}))  # the casefile knows its own write
    assert load(small_case).records["bo-ray"].summary == "Twice."


def test_save_refuses_a_file_changed_on_disk_since_it_was_read(small_case):
    casefile = load(small_case)
    path = small_case / "people" / "bo-ray.toml"
    path.write_text('name = "Bo Ray"\nsummary = "edited elsewhere, and longer"\n', encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ChangedOnDisk, match="changed on disk"):
        save(casefile, casefile.records["bo-ray"].model_copy(update={"summary": "mine"}))
    assert path.read_bytes() == before


def test_save_refuses_to_create_over_a_file_that_appeared(small_case):
    casefile = load(small_case)
    (small_case / "people" / "cy.toml").write_text('name = "Someone else"\n', encoding="utf-8")
    with pytest.raises(ChangedOnDisk):
        save(casefile, Person(id="cy", name="Cy"))
    assert "Someone else" in (small_case / "people" / "cy.toml").read_text()


def test_save_refuses_an_id_taken_by_another_kind(small_case):
    casefile = load(small_case)
    with pytest.raises(SaveError, match="already used by a organization|already used by a person"):
        save(casefile, Person(id="senate", name="Senate Person"))


def _save_a_change_to_bo_ray(folder: Path) -> None:
    casefile = load(folder)
    save(casefile, casefile.records["bo-ray"].model_copy(update={"summary": "x"}))


def test_a_failed_write_leaves_the_old_file_intact(small_case):
    path = small_case / "people" / "bo-ray.toml"
    before = path.read_bytes()
    os.chmod(path.parent, 0o500)
    try:
        # Without privileges: root can write to a read-only folder.
        with pytest.raises(SaveError, match=re.escape(f"could not write {path}: Permission denied")):
            as_unprivileged(_save_a_change_to_bo_ray, small_case)
    finally:
        os.chmod(path.parent, 0o700)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["ann-lee.toml", "bo-ray.toml"]


def test_a_failed_replace_leaves_the_old_file_intact_and_no_temporary(small_case, monkeypatch):
    casefile = load(small_case)
    path = small_case / "people" / "bo-ray.toml"
    before = path.read_bytes()

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(SaveError, match="No space left"):
        save(casefile, casefile.records["bo-ray"].model_copy(update={"summary": "x"}))
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["ann-lee.toml", "bo-ray.toml"]
    assert casefile.records["bo-ray"].summary == ""


COMMENTED = '''# Notes on Bo Ray, kept by hand.
name = "Bo Ray"   # as he signs
summary = """
A lobbyist.
Second line kept as written."""

[[roles]]
title = "Lobbyist"  # per the filing
'''


def test_an_edit_keeps_comments_and_layout_of_what_it_does_not_change(small_case):
    path = small_case / "people" / "bo-ray.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    casefile = load(small_case)
    save(casefile, casefile.records["bo-ray"].model_copy(update={"name": "Robert Ray", "nationality": "US"}))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Notes on Bo Ray, kept by hand.\nname = \"Robert Ray\"   # as he signs\n")
    assert 'summary = """\nA lobbyist.\nSecond line kept as written."""' in text
    assert 'title = "Lobbyist"  # per the filing' in text
    assert load(small_case).records["bo-ray"].nationality == "US"


def test_an_edit_that_would_drop_comments_is_refused_and_writes_nothing(small_case):
    from whomet.store import WouldLoseComments

    path = small_case / "people" / "bo-ray.toml"
    text = 'name = "Bo Ray"\naliases = [\n  "Bobby",  # as his mother says\n  "B. Ray",\n]\n'
    path.write_text(text, encoding="utf-8")
    casefile = load(small_case)
    edited = casefile.records["bo-ray"].model_copy(update={"aliases": ["B. Ray"]})
    with pytest.raises(WouldLoseComments, match="'aliases' holds comments"):
        save(casefile, edited)
    assert path.read_text(encoding="utf-8") == text


def test_a_changed_entry_of_a_list_keeps_its_comments(small_case):
    from whomet.model import Role

    path = small_case / "people" / "bo-ray.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    casefile = load(small_case)
    save(casefile, casefile.records["bo-ray"].model_copy(update={"roles": [Role(title="Consultant")]}))
    assert path.read_text(encoding="utf-8") == COMMENTED.replace('"Lobbyist"', '"Consultant"')


def test_delete_removes_the_file_unless_it_changed(small_case):
    from whomet.store import delete

    casefile = load(small_case)
    delete(casefile, "senate")
    assert not (small_case / "organizations" / "senate.toml").exists()
    assert "senate" not in casefile.records
    (small_case / "people" / "bo-ray.toml").write_text('name = "Changed elsewhere"\n', encoding="utf-8")
    with pytest.raises(ChangedOnDisk):
        delete(casefile, "bo-ray")
    assert (small_case / "people" / "bo-ray.toml").exists()


def test_a_second_process_saving_the_same_record_is_refused(small_case):
    import subprocess
    import sys

    mine = load(small_case)
    theirs = (
        "from whomet.store import load, save; c = load(%r); "
        "save(c, c.records['bo-ray'].model_copy(update={'summary': 'theirs'}))" % str(small_case)
    )
    subprocess.run([sys.executable, "-c", theirs], check=True)
    with pytest.raises(ChangedOnDisk):
        save(mine, mine.records["bo-ray"].model_copy(update={"summary": "mine!"}))  # same size as theirs
    assert load(small_case).records["bo-ray"].summary == "theirs"


def test_saves_of_the_same_size_in_one_clock_tick_are_still_told_apart(small_case):
    first, second = load(small_case), load(small_case)
    save(first, first.records["bo-ray"].model_copy(update={"summary": "aaaa"}))
    with pytest.raises(ChangedOnDisk):
        save(second, second.records["bo-ray"].model_copy(update={"summary": "bbbb"}))


def test_a_kind_folder_linked_outside_the_casefile_is_never_written(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    folder = write_casefile(tmp_path / "case", {k: v for k, v in SMALL_CASE.items() if not k.startswith("sources/")})
    (folder / "sources").symlink_to(outside)
    casefile = load(folder)
    from whomet.model import Source

    with pytest.raises(SaveError, match="outside the casefile"):
        save(casefile, Source(id="new-source", title="T"))
    assert list(outside.iterdir()) == []
