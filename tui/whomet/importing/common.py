"""What every import shares: new ids that never collide, names matched to the casefile, writing
through the store, and a report of what was created, matched and left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlparse
from pathlib import Path

from ..model import Organization, Person, Record, Source, slugify
from ..store import Casefile, Problem, SaveError, load, save, to_toml


class _Text(HTMLParser):
    """The text of an HTML fragment and the links in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "br", "li", "blockquote", "div"):
            self.parts.append("\n")
        if tag == "a":
            self._href = dict(attrs).get("href") or None
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li", "blockquote", "div"):
            self.parts.append("\n")
        if tag == "a" and self._href:
            self.links.append((self._href, " ".join("".join(self._link_text).split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self._href is not None:
            self._link_text.append(data)


def html_text(fragment: str) -> tuple[str, list[tuple[str, str]]]:
    """The plain text of an HTML fragment, paragraphs kept, and its (href, link text) pairs."""
    parser = _Text()
    parser.feed(fragment or "")
    parser.close()
    paragraphs = (" ".join(chunk.split()) for chunk in "".join(parser.parts).split("\n"))
    return "\n".join(p for p in paragraphs if p), parser.links


def link_title(url: str, text: str = "") -> str:
    """A readable name for a link: its text and host, or its host and the start of its path."""
    parts = urlparse(url)
    if text and text != url and parts.netloc:
        return f"{text} ({parts.netloc})"
    return (parts.netloc + parts.path)[:80] or url


_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_[a-z]+|smid|smtyp|cmpid)$", re.I)


def _route(fragment: str) -> str:
    """A fragment that names the page (``#!/story/101``, ``#/story/101``: a one-page site's article),
    kept; any other (a place in the page), dropped."""
    return fragment if fragment.startswith(("!", "/")) else ""


def normalized_url(url: str) -> str:
    """An address as it names an article, whatever way it was written: no scheme, no ``www.``,
    the host in lower case, no trailing slash, no fragment but a one-page site's route, no tracking
    parameters (``utm_source``, ``fbclid``...), the other parameters in order."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or ""
    route = _route(parts.fragment)
    return f"{host}{path}" + (f"?{query}" if query else "") + (f"#{route}" if route else "")


def clean_url(url: str) -> str:
    """An article's address as a source keeps it: without its fragment and tracking parameters."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, _route(parts.fragment)))


@dataclass
class ImportReport:
    """What an import did, in the words of its report: linked, suggested, created, deduplicated,
    rejected and skipped, with counts."""

    created: list[Record] = field(default_factory=list)
    linked: dict[str, str] = field(default_factory=dict)
    """Names found in the material, and the record each was linked to (only links kept)."""
    suggested: dict[str, list[str]] = field(default_factory=dict)
    """Names that could be records of the casefile (a surname alone), not linked: their candidates."""
    deduplicated: list[str] = field(default_factory=list)
    """What the material repeats and was made once: "source X: 12 slides" and the like."""
    rejected: list[str] = field(default_factory=list)
    """Items of the material not imported (a row, a slide, an entity), each with where and why."""
    skipped: list[str] = field(default_factory=list)
    """What was left out on purpose, or noted (columns not read, a name naming several records)."""
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether the import leaves something out that the user must see to: exit 1."""
        return bool(self.rejected) or any(p.severity == "error" for p in self.problems)

    def lines(self, base: Path | None = None, *, dry_run: bool = False) -> list[str]:
        verb = "would create" if dry_run else "created"

        def count(number: int, word: str) -> str:
            return f"{number} {word}{'s' * (number != 1)}"

        lines = [f"{verb} {count(len(self.created), 'record')}:"]
        lines += [f"  {record.folder}/{record.id}.toml  {record.label}" for record in self.created]
        if self.linked:
            lines.append(f"linked {count(len(self.linked), 'name')} to the casefile:")
            lines += [f"  {name} → {record_id}" for name, record_id in sorted(self.linked.items())]
        if self.suggested:
            lines.append(f"suggested {count(len(self.suggested), 'name')}, not linked "
                         "(--link-suggested links those with one candidate):")
            lines += [f"  {name} → {' or '.join(ids)}?" for name, ids in sorted(self.suggested.items())]
        if self.deduplicated:
            lines.append(f"deduplicated {count(len(self.deduplicated), 'record')}:")
            lines += [f"  {line}" for line in self.deduplicated]
        if self.rejected:
            lines.append(f"rejected {count(len(self.rejected), 'item')}, not imported:")
            lines += [f"  {reason}" for reason in self.rejected]
        if self.skipped:
            lines.append(f"skipped or noted {count(len(self.skipped), 'thing')}:")
            lines += [f"  {reason}" for reason in self.skipped]
        if not dry_run:
            lines.append(f"check of what was written: {count(len(self.problems), 'problem')}")
            lines += [f"  {problem.format(base)}" for problem in self.problems]
        lines.append("in all: " + ", ".join((
            f"{len(self.created)} created", f"{len(self.linked)} linked", f"{len(self.suggested)} suggested",
            f"{len(self.deduplicated)} deduplicated", f"{len(self.rejected)} rejected",
            f"{len(self.skipped)} skipped")) + (" (a dry run: nothing written)" if dry_run else ""))
        return lines


class Importer:
    """Collects new records against a casefile, then writes them all through the store."""

    def __init__(self, casefile: Casefile) -> None:
        self.casefile = casefile
        self.new: dict[str, Record] = {}
        self.report = ImportReport()
        self._by_url: dict[str, str] | None = None
        """The sources by their address's normal form, the first of each: made on first use, kept in
        step by ``add``, made again after ``undo_to``."""

    def taken(self, record_id: str) -> bool:
        return record_id in self.casefile.records or record_id in self.casefile.invalid_ids or record_id in self.new

    def unique_id(self, words: str, fallback: str) -> str:
        base = slugify(words) or fallback
        candidate, number = base, 2
        while self.taken(candidate):
            candidate = f"{base}-{number}"
            number += 1
        return candidate

    def add(self, record: Record) -> Record:
        self.new[record.id] = record
        self.report.created.append(record)
        if self._by_url is not None and isinstance(record, Source) and record.url:
            self._by_url.setdefault(normalized_url(record.url), record.id)
        return record

    def mark(self) -> tuple[int, dict[str, str], dict[str, list[str]]]:
        """Where the import stands, to undo a row that turns out not to fit."""
        return len(self.report.created), dict(self.report.linked), dict(self.report.suggested)

    def undo_to(self, mark: tuple[int, dict[str, str], dict[str, list[str]]]) -> None:
        """Forget what was made and linked since ``mark``: a rejected row links nothing."""
        created, linked, suggested = mark
        for record in self.report.created[created:]:
            self.new.pop(record.id, None)
        del self.report.created[created:]
        self.report.linked, self.report.suggested = linked, suggested
        self._by_url = None

    def records(self) -> list[Record]:
        return [*self.casefile.records.values(), *self.new.values()]

    def parties_named(self, name: str) -> list[str]:
        """Ids of the people and organizations whose name or an alias is ``name`` (any case)."""
        wanted = " ".join(name.split()).casefold()
        return [r.id for r in self.records() if isinstance(r, (Person, Organization))
                and wanted in {n.casefold() for n in (r.name, *r.aliases)}]

    def match_party(self, name: str) -> str | None:
        """The one person or organization called ``name``; None when none is, or several are."""
        found = self.parties_named(name)
        if len(found) == 1:
            self.report.linked[name] = found[0]
            return found[0]
        if len(found) > 1:
            self.report.skipped.append(f"“{name}” names {len(found)} records ({', '.join(found)}): not linked")
        return None

    def party_or_new(self, name: str, where: str = "") -> str:
        """The one person or organization called ``name``, else a new person of that name; an error
        (said with ``where``) when several records have the name."""
        found = self.match_party(name)
        if found is not None:
            return found
        if self.parties_named(name):
            raise ValueError(f"{where + ': ' if where else ''}“{name}” could be several records; write its id instead")
        return self.add(Person(id=self.unique_id(name, "person"), name=name)).id

    def parties_mentioned(self, text: str) -> list[str]:
        """The people and organizations whose full name or alias appears in ``text``, unambiguously,
        in the order the text names them."""
        found: dict[str, int] = {}
        for record in self.records():
            if not isinstance(record, (Person, Organization)):
                continue
            for name in (record.name, *record.aliases):
                where = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) if len(name) > 3 else None
                if where is not None and self.match_party(name) == record.id:
                    found[record.id] = min(found.get(record.id, where.start()), where.start())
        return sorted(found, key=found.__getitem__)

    def source_for(self, *, url: str = "", title: str = "", publisher: str = "") -> str:
        """The source with this URL (the same address however written: see :func:`normalized_url`), or
        with no URL this id or title, in the casefile or made by this import; else a new one."""
        if url:
            if self._by_url is None:  # each source's address put in normal form once, not at every link
                self._by_url = {}
                for record in self.records():
                    if isinstance(record, Source) and record.url:
                        self._by_url.setdefault(normalized_url(record.url), record.id)
            found = self._by_url.get(normalized_url(url))
            if found is not None:
                return found
        else:
            for record in self.records():
                if isinstance(record, Source) and title and title in (record.id, record.title):
                    return record.id
        name = title or link_title(url)
        source = Source(id=self.unique_id(name, "source"), title=name, url=clean_url(url) if url else "",
                        publisher=publisher, type="article")
        return self.add(source).id

    def write(self, *, dry_run: bool = False) -> ImportReport:
        """Write every new record through the store, then check what was written."""
        if dry_run:
            return self.report
        for record in self.new.values():
            try:
                self.report.written.append(save(self.casefile, record))
            except SaveError as error:
                self.report.rejected.append(f"{record.id}: not written: {error}")
        written = set(self.report.written)
        self.report.problems = [p for p in load(self.casefile.folder).problems if p.path in written]
        return self.report

    def preview(self) -> str:
        """What a dry run would write, file by file."""
        return "\n".join(f"# {record.folder}/{record.id}.toml\n{to_toml(record)}" for record in self.new.values())
