"""Archived copies of sources, and every quote and excerpt checked against them, word for word."""

from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path

import pytest
import tomli

from helpers import BUNDLED, write_casefile
from whomet.cli import main
from whomet.store import load, open_casefile
from whomet.store.checking import check_folder
from whomet.store.verbatim import normal, parts_of

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ATLANTIC = "atlantic-why-did-sessions-meet-kislyak"
FIVETHIRTYEIGHT = "fivethirtyeight-big-question-sessions-russia"


def seed(start: str) -> Path:
    """The seed article whose text begins with ``start``; the test fails, saying so, without them."""
    assert SEEDS.is_dir(), f"the seed articles are not in {SEEDS}: this test needs them (CI has them)"
    for path in sorted(SEEDS.glob("*.txt")):
        if start in path.read_text(encoding="utf-8")[:400]:
            return path
    raise AssertionError(f"no seed article in {SEEDS} begins with {start!r}")


@pytest.fixture
def archived_case(tmp_path: Path) -> Path:
    """A copy of the bundled casefile with its two seed articles archived through ``--from``."""
    folder = tmp_path / "case"
    shutil.copytree(BUNDLED, folder)
    assert main(["archive", ATLANTIC, str(folder), "--from", str(seed("Why Did Jeff Sessions Really Meet"))]) == 0
    assert main(["archive", FIVETHIRTYEIGHT, str(folder), "--from", str(seed("The Big Question"))]) == 0
    return folder


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


# The bundled casefile against its seeds


def test_the_bundled_excerpts_are_all_in_the_seed_articles(archived_case: Path, capsys):
    capsys.readouterr()
    assert main(["check", str(archived_case)]) == 0
    said = capsys.readouterr()
    assert said.out == ""
    assert "195 excerpts verified, 0 differ, 13 sources without an archive" in said.err
    # The same from every way of reading a casefile.
    casefile = load(archived_case)
    assert casefile.problems == [] and (casefile.tally.verified, casefile.tally.differ) == (195, 0)
    cache = open_casefile(archived_case)
    try:
        assert cache.problems == [] and cache.verification() == (195, 0, 13)
    finally:
        cache.close()


def test_archiving_writes_the_three_keys_and_changes_no_other_line(archived_case: Path):
    before = (BUNDLED / "sources" / f"{ATLANTIC}.toml").read_bytes().decode()
    after = (archived_case / "sources" / f"{ATLANTIC}.toml").read_bytes().decode()
    assert after.startswith(before)
    added = after[len(before):].splitlines()
    assert [line.split(" = ")[0] for line in added] == ["archive", "archived_at", "archive_sha256"]
    keys = tomli.loads(after)
    assert keys["archive"] == f"sources/{ATLANTIC}.txt"
    import hashlib

    archive = archived_case / keys["archive"]
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == keys["archive_sha256"]
    assert archive.read_text(encoding="utf-8").startswith("Why Did Jeff Sessions Really Meet With Sergey Kislyak?")


def test_a_changed_archive_no_longer_matches_its_digest(archived_case: Path):
    archive = archived_case / "sources" / f"{ATLANTIC}.txt"
    archive.write_text(archive.read_text(encoding="utf-8") + "An added line.\n", encoding="utf-8")
    problems = load(archived_case).problems
    assert codes(problems) == ["archive-changed"]
    assert problems[0].severity == "warning" and problems[0].line == 15  # the line of archive_sha256


# What differs, and how it is said


ARTICLE = """\
Headline of the piece

Sessions said he had met the ambassador “a couple of times” in his office — twice, in fact.

A second paragraph says the meetings were “routine” and “official.” Nothing more was said.
"""


def quoting(excerpt: str, quote: str = "twice, in fact.") -> dict[str, str]:
    return {
        "people/jeff-sessions.toml": 'name = "Jeff Sessions"\n',
        "sources/daily.toml": f'title = "The piece"\narchive = "sources/daily.txt"\n',
        "sources/daily.txt": ARTICLE,
        "statements/2017-03-02-sessions.toml": f"""
            speaker = "jeff-sessions"
            date = "2017-03-02"
            quote = {quote!r}

            [[citations]]
            source = "daily"
            excerpt = {excerpt!r}
        """.replace("'", '"') if '"' not in excerpt + quote else f"""
            speaker = "jeff-sessions"
            date = "2017-03-02"
            quote = '''{quote}'''

            [[citations]]
            source = "daily"
            excerpt = '''{excerpt}'''
        """,
    }


def verified(tmp_path: Path, excerpt: str, quote: str = "twice, in fact."):
    folder = write_casefile(tmp_path / "case", quoting(excerpt, quote))
    casefile = load(folder)
    assert {p.code for p in casefile.problems} <= {"quote-differs"}, casefile.problems
    return casefile


def test_an_excerpt_as_written_is_verified(tmp_path: Path):
    casefile = verified(tmp_path, "Sessions said he had met the ambassador “a couple of times” in his office")
    assert casefile.problems == []
    assert (casefile.tally.verified, casefile.tally.differ) == (2, 0)  # the excerpt and the quote


def test_a_changed_word_is_told_with_the_passage_and_what_differs(tmp_path: Path):
    casefile = verified(tmp_path, "Sessions said he had met the ambassador “a few times” in his office")
    [problem] = casefile.problems
    assert problem.code == "quote-differs" and problem.severity == "error"
    assert problem.path.name == "2017-03-02-sessions.toml" and problem.line == 7  # the excerpt's line
    assert "'excerpt' of citations #1" in problem.message and "'daily'" in problem.message
    assert "archive says '\"a couple of times\"', excerpt says '\"a few times\"'" in problem.message
    assert "closest passage: 'Sessions said he had met the ambassador \"a couple of times\" in his office" in problem.message
    assert (casefile.tally.verified, casefile.tally.differ) == (2, 1)


def test_a_dropped_word_is_told_with_the_word_before_it(tmp_path: Path):
    [problem] = verified(tmp_path, "the meetings were “routine” and “official.”  Nothing was said.").problems
    assert "archive says 'Nothing more was', excerpt says 'Nothing was'" in problem.message


def test_an_excerpt_stitched_from_two_paragraphs_with_an_ellipsis(tmp_path: Path):
    stitched = "met the ambassador “a couple of times” … the meetings were “routine”"
    assert verified(tmp_path, stitched).problems == []
    assert verified(tmp_path / "dots", stitched.replace("…", "...")).problems == []
    # each part must be found, and in order
    [backwards] = verified(tmp_path / "back", "the meetings were “routine” … met the ambassador").problems
    assert "'met the ambassador' is in the archive, but before the words the excerpt puts ahead of it" in backwards.message
    [wrong_part] = verified(tmp_path / "wrong", "met the ambassador … the meetings were “secret”").problems
    assert "archive says 'were \"routine\"', excerpt says 'were \"secret\"'" in wrong_part.message


def test_curly_and_straight_quotes_dashes_and_spaces_are_the_same(tmp_path: Path):
    straight = 'met the ambassador "a couple of times" in his office - twice,\n   in fact.'
    casefile = verified(tmp_path, straight, quote="in his office—twice, in fact.")
    assert casefile.problems == [] and casefile.tally.verified == 2
    assert normal("‘a’ “b” c—d – e\u00a0 f…") == "'a' \"b\" c - d - e f..."


def test_a_quote_is_checked_as_the_statement_quotes_it(tmp_path: Path):
    [problem] = verified(tmp_path, "in his office", quote="three times, in fact.").problems
    assert "'quote' is not in the archive of 'daily'" in problem.message
    assert problem.line == 3


def test_case_and_words_count(tmp_path: Path):
    [problem] = verified(tmp_path, "sessions said he had met the ambassador").problems
    assert "archive says 'Sessions said', excerpt says 'sessions said'" in problem.message


def test_nothing_close_is_said_so(tmp_path: Path):
    [problem] = verified(tmp_path, "Pizza toppings were discussed at length by the committee").problems
    assert "nothing in the archive is close to" in problem.message


def test_the_parts_of_a_quote():
    assert parts_of("a … b [...] c...") == ["a", "b", "c"]


def test_a_source_without_an_archive_is_counted_not_verified(tmp_path: Path, capsys):
    files = quoting("words never written")
    files["sources/daily.toml"] = 'title = "The piece"\n'
    del files["sources/daily.txt"]
    folder = write_casefile(tmp_path / "case", files)
    assert main(["check", str(folder)]) == 0
    assert "0 excerpts verified, 0 differ, 1 source without an archive" in capsys.readouterr().err


def test_an_original_that_is_archived_is_checked_too(tmp_path: Path):
    files = quoting("met the ambassador")
    files["sources/wire.toml"] = 'title = "The wire"\narchive = "sources/wire.md"\n'
    files["sources/wire.md"] = "# The wire\n\nThe senator *met* him twice.\n"
    files["sources/daily.toml"] = 'title = "The piece"\n'  # the relaying source is not archived
    del files["sources/daily.txt"]
    files["statements/2017-03-02-sessions.toml"] = files["statements/2017-03-02-sessions.toml"].replace(
        'source = "daily"', 'source = "daily"\n            original = "wire"')
    folder = write_casefile(tmp_path / "case", files)
    casefile = load(folder)
    assert [p.message.split(" as written")[0] for p in casefile.problems] == [
        "'quote' is not in the archive of 'wire' (sources/wire.md)",
        "'excerpt' of citations #1 is not in the archive of 'wire' (sources/wire.md)",
    ]


# Archives that cannot be had


@pytest.mark.parametrize("archive", ["/etc/passwd.txt", "../outside.txt", "sources/../../outside.txt"])
def test_an_archive_outside_the_casefile_is_refused_with_its_file_and_line(tmp_path: Path, archive: str, capsys):
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    folder = write_casefile(tmp_path / "case", {
        "sources/daily.toml": f'title = "The piece"\nurl = "https://example.org/"\narchive = "{archive}"\n'})
    problems = load(folder).problems
    assert codes(problems) == ["archive-outside"]
    assert problems[0].line == 3 and problems[0].path.name == "daily.toml"
    assert "outside the casefile" in problems[0].message
    assert main(["check", str(folder)]) == 1
    assert f"daily.toml:3: error archive-outside: the archive {archive!r}" in capsys.readouterr().out
    # nor does whomet archive write there
    assert main(["archive", "daily", str(folder), "--from", str(tmp_path / "outside.txt")]) == 2
    assert "outside the casefile" in capsys.readouterr().err
    assert (tmp_path / "outside.txt").read_text(encoding="utf-8") == "secret"


def test_a_link_out_of_the_casefile_is_refused(tmp_path: Path):
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    folder = write_casefile(tmp_path / "case", {"sources/daily.toml": 'title = "P"\narchive = "sources/daily.txt"\n'})
    (folder / "sources" / "daily.txt").symlink_to(tmp_path / "outside.txt")
    assert codes(load(folder).problems) == ["archive-outside"]


def test_a_missing_or_unreadable_archive_is_a_problem(tmp_path: Path):
    folder = write_casefile(tmp_path / "case", {
        "sources/gone.toml": 'title = "P"\narchive = "sources/gone.txt"\n',
        "sources/latin.toml": 'title = "P"\narchive = "sources/latin.txt"\n',
        "sources/latin.txt": b"caf\xe9\n",
        "sources/word.toml": 'title = "P"\narchive = "sources/word.docx"\n',
    })
    assert codes(load(folder).problems) == ["archive-missing", "archive-unreadable", "archive-unreadable"]
    assert codes(check_folder(folder).problems) == ["archive-missing", "archive-unreadable", "archive-unreadable"]


def test_archive_files_beside_the_sources_are_not_stray(archived_case: Path):
    (archived_case / "sources" / "notes.pdf").write_bytes(b"%PDF-")
    (archived_case / "people" / "notes.txt").write_text("x", encoding="utf-8")
    assert codes(load(archived_case).problems) == ["stray-file"]  # only the one among people


# whomet archive


def test_usage_errors_exit_2(tmp_path: Path, archived_case: Path, capsys):
    assert main(["archive", "no-such-source", str(archived_case)]) == 2
    assert "'no-such-source' is no record, not a source" in capsys.readouterr().err
    assert main(["archive", "jeff-sessions", str(archived_case)]) == 2
    assert "is a person, not a source" in capsys.readouterr().err
    assert main(["archive", ATLANTIC, str(archived_case), "--from", str(tmp_path / "missing.html")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["archive", ATLANTIC, str(tmp_path / "no-folder")]) == 2
    # archived already: fetching again is asked for, never done by itself
    assert main(["archive", ATLANTIC, str(archived_case)]) == 2
    assert "--refresh" in capsys.readouterr().err
    # a source with no url
    assert main(["archive", "buzzfeed-dossier-2017-01", str(archived_case)]) == 2
    assert "has no url" in capsys.readouterr().err


def test_help_says_what_it_does(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["archive", "--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert "--from FILE" in shown and "--refresh" in shown


PAGE = """<!doctype html>
<html><head><title>Senator met envoy | The Daily</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/subscribe">Subscribe now for 99 cents</a></li></ul></nav>
<div class="ad">BUY CHEAP WATCHES TODAY! Limited offer, click here.</div>
<main><article>
<h1>Senator met envoy twice</h1>
<p>The senator met the ambassador {times} in his office, according to the list his staff
provided on Wednesday, and again at a reception in Cleveland during the convention.</p>
<p>Asked about the meetings, a spokeswoman said they were routine and part of the senator's
work on the Armed Services Committee, and that nothing about the campaign was discussed.</p>
<p>Critics said the account left out more than it told, and called for a full record of
every contact the senator had with foreign officials during the campaign season.</p>
</article></main>
<aside class="sidebar">Most read: Ten recipes for summer. Sponsored content.</aside>
<footer>Copyright The Daily. All rights reserved. Privacy policy. Terms of use.</footer>
</body></html>
"""


class _Server:
    """A local web server, in a thread, serving what a test puts in ``pages``."""

    def __init__(self) -> None:
        pages: dict[str, tuple[bytes, str]] = {}
        self.pages = pages

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                page = pages.get(self.path)
                if page is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", page[1])
                self.send_header("Content-Length", str(len(page[0])))
                self.end_headers()
                self.wfile.write(page[0])

            def log_message(self, *args) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server():
    serving = _Server()
    yield serving
    serving.close()


def served_case(tmp_path: Path, url: str) -> Path:
    return write_casefile(tmp_path / "case", {
        "people/ann-lee.toml": 'name = "Ann Lee"\n',
        "sources/daily.toml": f'# The piece, as the desk filed it\ntitle = "Senator met envoy"\nurl = "{url}"  # the web page\n',
        "statements/2017-03-02-lee.toml": """
            speaker = "ann-lee"
            date = "2017-03-02"
            quote = "they were routine"

            [[citations]]
            source = "daily"
            excerpt = "The senator met the ambassador twice in his office"

            [[citations]]
            source = "daily"
            excerpt = "a spokeswoman said they were routine … nothing about the campaign was discussed"
        """,
    })


def test_fetching_keeps_the_article_only(tmp_path: Path, server: _Server, capsys):
    server.pages["/story"] = (PAGE.format(times="twice").encode(), "text/html; charset=utf-8")
    folder = served_case(tmp_path, server.url + "/story")
    assert main(["archive", "daily", str(folder)]) == 0
    assert "archived" in capsys.readouterr().out
    text = (folder / "sources" / "daily.txt").read_text(encoding="utf-8")
    assert "The senator met the ambassador twice in his office" in text
    assert "Critics said the account left out more than it told" in text
    for clutter in ("Subscribe now", "CHEAP WATCHES", "Ten recipes", "Copyright", "Politics"):
        assert clutter not in text, clutter
    record = (folder / "sources" / "daily.toml").read_text(encoding="utf-8")
    # the comments stay where they were; the three keys are added
    assert record.startswith('# The piece, as the desk filed it\ntitle = "Senator met envoy"\nurl = "')
    assert '"  # the web page\narchive = "sources/daily.txt"\narchived_at = "' in record
    checked = load(folder)
    assert checked.problems == [] and checked.tally.verified == 3


def test_a_refresh_keeps_both_versions_and_tells_which_excerpts_now_differ(tmp_path: Path, server: _Server, capsys):
    server.pages["/story"] = (PAGE.format(times="twice").encode(), "text/html")
    folder = served_case(tmp_path, server.url + "/story")
    assert main(["archive", "daily", str(folder)]) == 0
    capsys.readouterr()
    # fetched again, unchanged: one version, said so, the time it was last fetched kept
    assert main(["archive", "daily", str(folder), "--refresh"]) == 0
    assert "unchanged since it was archived" in capsys.readouterr().out
    assert sorted(p.name for p in (folder / "sources").iterdir()) == ["daily.toml", "daily.txt"]
    first = tomli.loads((folder / "sources" / "daily.toml").read_text(encoding="utf-8"))
    # the article was edited
    server.pages["/story"] = (PAGE.format(times="a couple of times").encode(), "text/html")
    assert main(["archive", "daily", str(folder), "--refresh"]) == 1  # archived, and excerpts now differ
    said = capsys.readouterr().out
    stamp = first["archived_at"].replace(":", "")
    earlier = folder / "sources" / f"daily.{stamp}.txt"
    assert f"the earlier version is kept in {earlier}" in said
    assert "now differs: 2017-03-02-lee citations.1.excerpt: closest passage:" in said
    assert "archive says 'ambassador a couple of times in', excerpt says 'ambassador twice in'" in said
    assert "twice in his office" in earlier.read_text(encoding="utf-8")
    assert "a couple of times in his office" in (folder / "sources" / "daily.txt").read_text(encoding="utf-8")
    assert codes(load(folder).problems) == ["quote-differs"]


def test_a_page_that_cannot_be_fetched_exits_1(tmp_path: Path, server: _Server, capsys):
    folder = served_case(tmp_path, server.url + "/gone")
    before = (folder / "sources" / "daily.toml").read_bytes()
    assert main(["archive", "daily", str(folder)]) == 1
    assert "404" in capsys.readouterr().err
    assert (folder / "sources" / "daily.toml").read_bytes() == before
    assert not (folder / "sources" / "daily.txt").exists()


def _pdf(text_lines: list[str]) -> bytes:
    """A one-page PDF with ``text_lines`` in Helvetica, written by hand."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
        f"({line.replace('(', '').replace(')', '')}) Tj T*" for line in text_lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def test_a_pdf_is_archived_as_its_text(tmp_path: Path, capsys):
    folder = served_case(tmp_path, "")
    pdf = tmp_path / "filing.pdf"
    pdf.write_bytes(_pdf(["The senator met the ambassador twice in his office.",
                          "a spokeswoman said they were routine, and that",
                          "nothing about the campaign was discussed."]))
    assert main(["archive", "daily", str(folder), "--from", str(pdf)]) == 0
    text = (folder / "sources" / "daily.txt").read_text(encoding="utf-8")
    assert "The senator met the ambassador twice in his office." in text
    assert load(folder).problems == []


def test_a_pdf_named_as_the_archive_is_read_through_pypdf(tmp_path: Path):
    folder = served_case(tmp_path, "")
    (folder / "sources" / "daily.pdf").write_bytes(_pdf(["The senator met the ambassador twice in his office.",
                                                          "a spokeswoman said they were routine, yes."]))
    toml = folder / "sources" / "daily.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'archive = "sources/daily.pdf"\n', encoding="utf-8")
    problems = load(folder).problems
    # the first excerpt and the quote are there; the second's last part is not
    assert [p.message.split(" is not")[0] for p in problems] == ["'excerpt' of citations #2"]


def test_a_saved_html_page_goes_through_trafilatura(tmp_path: Path):
    folder = served_case(tmp_path, "")
    page = tmp_path / "saved.html"
    page.write_text(PAGE.format(times="twice"), encoding="utf-8")
    assert main(["archive", "daily", str(folder), "--from", str(page)]) == 0
    text = (folder / "sources" / "daily.txt").read_text(encoding="utf-8")
    assert "CHEAP WATCHES" not in text and "twice in his office" in text


def test_every_way_of_reading_finds_the_same_differences(archived_case: Path):
    meeting = archived_case / "meetings" / "2016-09-sessions-kislyak-senate-office.toml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "Sessions met with Kislyak in his Senate office.", "Sessions met Kislyak in his Senate office."),
        encoding="utf-8")
    hearing = archived_case / "statements" / "2017-01-10-sessions-confirmation-hearing.toml"
    hearing.write_text(hearing.read_text(encoding="utf-8").replace(
        "communications with the Russians, and", "contacts with the Russians, and"),
        encoding="utf-8")
    loaded = [p.format() for p in load(archived_case).problems]
    assert len(loaded) >= 2 and all("quote-differs" in line for line in loaded)
    assert loaded == [p.format() for p in check_folder(archived_case).problems]
    cache = open_casefile(archived_case)
    try:
        assert [p.format() for p in cache.problems] == loaded
        verified, differ, unarchived = cache.verification()
        assert (verified, differ, unarchived) == (195, len(loaded), 13)
    finally:
        cache.close()
    # a change to an archive alone is seen by the cache too
    archive = archived_case / "sources" / f"{ATLANTIC}.txt"
    archive.write_text(archive.read_text(encoding="utf-8").replace(
        "Sessions met with Kislyak in his Senate office.", "Sessions met Kislyak in his Senate office."),
        encoding="utf-8")
    cache = open_casefile(archived_case)
    try:
        codes_now = [p.code for p in cache.problems]
        assert "archive-changed" in codes_now and codes_now.count("quote-differs") == len(loaded) - 1
    finally:
        cache.close()


def test_an_archives_escape_sequences_reach_the_terminal_as_visible_stand_ins(tmp_path: Path, capsys):
    # An archive is a web page's words: one that differs is quoted in check's message, which must
    # not set the terminal's title or colours.
    files = quoting("Sessions said he had met the ambassador “a few times” in his office")
    files["sources/daily.txt"] = files["sources/daily.txt"].replace(
        "a couple of times", "a couple \x1b]0;PWNED\x07of \x1b[31mtimes")
    folder = write_casefile(tmp_path / "case", files)
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "quote-differs" in out and "\x1b" not in out and "\x07" not in out
    assert "␛]0;PWNED␇" in out


def test_a_page_in_another_encoding_is_read_in_it(tmp_path: Path):
    from whomet.store.archiving import text_from

    page = ("<html><head><meta charset='windows-1252'><title>T</title></head><body><nav>Menu</nav><article>"
            "<h1>Le ministre</h1><p>Le ministre a déclaré « nous n'avons rien à cacher » devant la commission, "
            "mardi, après une longue audition sur ses rencontres avec l'ambassadeur.</p></article></body></html>")
    text, suffix = text_from(page.encode("windows-1252"), "text/html", "page.html")
    assert "Le ministre a déclaré « nous n'avons rien à cacher »" in text and suffix == ".txt"


def test_words_are_found_whole_not_inside_other_words():
    from whomet.store.verbatim import find

    text = normal("She said she met the ambassador twice; he denied it.")
    assert find(parts_of("he met the ambassador"), text) is not None  # only "she met" is there
    assert find(parts_of("she met the ambassador"), text) is None
    assert find(parts_of("he denied it."), text) is None
    assert find(parts_of("said she … he denied"), text) is None


def test_an_excerpt_of_only_an_ellipsis_is_not_counted_as_verified(tmp_path: Path):
    casefile = verified(tmp_path, "…")
    assert casefile.tally.verified == 1  # the quote alone


def test_letters_written_two_ways_are_the_same():
    from whomet.store.verbatim import find, mapped

    archive = "Le cafe\u0301 owner said it was the ﬁrst time (they metʼs) and left."  # NFD é, a PDF's ligature
    text = normal(archive)
    assert find(parts_of("Le café owner said it was the first time"), text) is None
    assert find(parts_of("they met's"), text) is None
    assert find(parts_of("Le café owner (...) and left."), text) is None
    # The context view marks the passage in the archive as written: positions map back to it.
    shown, where = mapped(archive)
    assert shown == text and len(where) == len(shown) + 1
    start = shown.index("first")
    assert archive[where[start]:where[start + len("first")]] == "ﬁrst"
