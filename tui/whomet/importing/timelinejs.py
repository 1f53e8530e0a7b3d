"""A TimelineJS file, as newsrooms publish them (and as ``whomet export timelinejs`` writes them),
read into meetings, statements and the sources that report them.

A newsroom's slide is a headline, a text with links to the articles that report it, an image with
its credit, and a group (the thread of the reporting it belongs to). It becomes a meeting (or a
plain event) that carries the group as a tag and the image as its illustration; each linked
article becomes one source, however many slides link it, found again by its address among the
sources already in the casefile; the slide's words are cited from the timeline itself, crediting
the article. A slide whomet wrote (its ``unique_id`` names the kind: ``meeting-ID``,
``statement-ID``) comes back as the record it was, with its id (``timelinejs_own``).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..model import Citation, DateError, FuzzyDate, Media, Meeting, Participant, Person, Source, Statement
from ..model.kinds import SLUG_PATTERN
from ..store import Casefile
from .common import Importer, html_text
from .timelinejs_own import OwnSlides

MEETING_WORDS = {
    "dinner": "dinner", "dined": "dinner", "dines": "dinner", "dine": "dinner", "lunch": "dinner",
    "lunched": "dinner", "breakfast": "dinner",
    "call": "call", "calls": "call", "called": "call", "phoned": "call", "phones": "call", "reception": "reception", "roundtable": "roundtable",
    "rally": "rally", "speech": "speech", "met": "in person", "meets": "in person", "meet": "in person",
    "meeting": "in person", "meetings": "in person", "talks": "in person",
}
"""Words of a slide that make it a meeting, and the kind of meeting each suggests."""

_OWN = re.compile(rf"^(meeting|statement)-({SLUG_PATTERN.strip('^$')})$")
_CREDIT_WORDS = re.compile(r"^(?:photo(?:graph)?|image|picture|credit|video|source)s?\s*(?:by|:)?\s*", re.I)


def _part(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def slide_date(start: dict[str, Any] | None, end: dict[str, Any] | None) -> str | None:
    """The slide's date as EDTF at the precision given, or None when it has no usable year."""

    def point(date: dict[str, Any] | None) -> str | None:
        if not date:
            return None
        year, month, day = _part(date.get("year")), _part(date.get("month")), _part(date.get("day"))
        if year is None or not 1000 <= year <= 9999:
            return None
        text = f"{year:04d}"
        if month is not None:
            text += f"-{month:02d}"
            if day is not None:
                text += f"-{day:02d}"
        return text

    first, last = point(start), point(end)
    if first is None:
        return None
    return f"{first}/{last}" if last is not None and last != first else first


def meeting_type(text: str) -> str:
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in MEETING_WORDS:
            return MEETING_WORDS[word]
    return "event"


def without_group(headline: str, group: str) -> str:
    """The headline without a trailing "(group)" that only repeats the slide's group."""
    if group:
        trailing = re.search(r"\s*\(([^()]*)\)\s*$", headline)
        if trailing is not None and trailing.group(1).strip().casefold() == group.strip().casefold():
            return headline[:trailing.start()].rstrip()
    return headline


def without_trailing_links(body: str, links: list[tuple[str, str]]) -> str:
    """The slide's text without the names of the links that end its paragraphs ("… talked. The
    Washington Post", "… (NYT, Politico)"): they say where it was reported, which its citations
    keep, and are not what happened."""
    labels = sorted({" ".join(label.split()) for _, label in links if label.strip() and len(label.split()) <= 6},
                    key=len, reverse=True)
    if not labels:
        return body
    paragraphs = []
    for paragraph in body.split("\n"):
        changed, trimmed_any = True, False
        while changed:
            changed = False
            trimmed = paragraph.rstrip(" .,;:()[]—–-")
            for label in labels:
                if trimmed.endswith(label) and trimmed[:-len(label)].strip():
                    paragraph = re.sub(r"(\s+(and|or|&))+$", "", trimmed[:-len(label)].rstrip(" ,;:([—–-"))
                    changed = trimmed_any = True
                    break
        if trimmed_any and paragraph and paragraph[-1] not in ".!?”\"'":
            paragraph += "."
        paragraphs.append(paragraph)
    return "\n".join(paragraphs)


def publisher_of(link_text: str, credit: str, url: str) -> str:
    """Who published the article a link leads to: a short link text names it ("The Washington
    Post"), else the image's credit when it is on the same site, else the site's name."""
    host = _host(url)
    text = " ".join(link_text.split())
    if text and len(text.split()) <= 6 and not text.startswith(("http://", "https://", "www.")):
        return text
    cleaned = _CREDIT_WORDS.sub("", " ".join(credit.split())).strip(" .")
    if cleaned and len(cleaned.split()) <= 6:
        return cleaned
    return host


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc.lower().removeprefix("www.")


def _site(url: str) -> str:
    """The site a URL is on: its host's last two names (``img.thedailybeast.com`` → ``thedailybeast.com``)."""
    return ".".join(_host(url).split(".")[-2:])


def article_title(url: str, link_text: str) -> str:
    """A readable title for an article known only by its link: a long link text, else the words
    of the address's last part (``sessions-met-with-russian-envoy`` → "Sessions met with russian envoy")."""
    from urllib.parse import unquote, urlsplit

    text = " ".join(link_text.split())
    if len(text.split()) > 6:
        return text
    parts = [part for part in urlsplit(url).path.split("/") if part]
    for part in reversed(parts):
        words = re.sub(r"\.(html?|php|aspx?)$", "", unquote(part))
        words = re.sub(r"(^|[-_])(story|index|article|amp)$", "", words)
        words = " ".join(w for w in re.split(r"[-_+]+", words) if w and not re.fullmatch(r"[0-9a-f]{6,}|\d+", w))
        if len(words.split()) >= 2:
            return words[:1].upper() + words[1:]
    return f"{_host(url)}{urlsplit(url).path}".rstrip("/") or url


# --------------------------------------------------------------------------- the import


class TimelineImport(OwnSlides):
    """One TimelineJS document read against a casefile; nothing is written until ``importer.write``."""

    def __init__(self, data: dict[str, Any], casefile: Casefile, file_name: str, *, link_suggested: bool) -> None:
        self.data = data
        self.importer = Importer(casefile)
        self.file_name = file_name
        self.link_suggested = link_suggested
        self.cited_by: Counter[str] = Counter()
        """How many slides cite each source (those cited twice or more were made or found once)."""
        self.existing_sources = {r.id for r in self.importer.records() if isinstance(r, Source)}
        self.seen_slides: dict[tuple[str, str, str], int] = {}
        self.statements_about: list[tuple[Statement, list[tuple[str, str]]]] = []
        self._timeline: Source | None = None
        self._meetings: dict[tuple[str, str], str] | None = None
        self._people: tuple[tuple[int, int, str | None], dict[str, list[str]]] | None = None

    @property
    def timeline(self) -> Source:
        """The timeline itself, as a source: a newsroom's slide is its words, crediting the article."""
        if self._timeline is None:
            title_slide = self.data.get("title") if isinstance(self.data.get("title"), dict) else {}
            title, _ = html_text(str((title_slide.get("text") or {}).get("headline") or ""))
            name = title or Path(self.file_name).name
            importer = self.importer
            self._timeline = importer.add(Source(
                id=importer.unique_id(title or Path(self.file_name).stem, "timeline"), title=name, type="document",
                summary=f"A TimelineJS timeline, imported from {Path(self.file_name).name}."))
        return self._timeline

    def run(self) -> Importer:
        for number, event in enumerate(self.data.get("events") or [], start=1):
            if isinstance(event, dict):
                self.slide(number, event)
            else:
                self.importer.report.rejected.append(f"slide {number}: not a slide (a JSON object)")
        self._link_statements()
        report = self.importer.report
        for source_id, count in sorted(self.cited_by.items()):
            if count > 1 or source_id in self.existing_sources:
                record = next((r for r in self.importer.records() if r.id == source_id), None)
                label = record.label if record is not None else source_id
                already = " (already in the casefile)" if source_id in self.existing_sources else ""
                report.deduplicated.append(f"{source_id}: {label}, cited by {count} slide{'s' * (count != 1)}"
                                           f"{already}")
        return self.importer

    # each slide

    def slide(self, number: int, event: dict[str, Any]) -> None:
        report = self.importer.report
        wrong = [key for key, kind in (("start_date", dict), ("end_date", dict), ("text", dict), ("media", dict),
                                       ("group", str), ("display_date", str), ("unique_id", str))
                 if event.get(key) not in (None, "") and not isinstance(event.get(key), kind)]
        if wrong:
            report.rejected.append(f"slide {number}: {', '.join(wrong)} "
                                   f"{'is' if len(wrong) == 1 else 'are'} not as TimelineJS writes them")
            return
        text_block = event.get("text") or {}
        group = html_text(str(event.get("group") or ""))[0].replace("\n", " ")
        headline = without_group(html_text(str(text_block.get("headline") or ""))[0], group)
        html = str(text_block.get("text") or "")
        body, links = html_text(html)
        body = without_trailing_links(body, links)
        name = headline or body[:60] or f"slide {number}"
        date = slide_date(event.get("start_date"), event.get("end_date"))
        if date is None:
            report.rejected.append(f"slide {number} “{name}”: no date with a year")
            return
        try:
            when = FuzzyDate.parse(date)
        except DateError as error:
            report.rejected.append(f"slide {number} “{name}”: {error}")
            return
        again = (date, headline, body)
        if again in self.seen_slides:
            report.deduplicated.append(f"slide {number} “{name}”: the same as slide {self.seen_slides[again]}")
            return
        self.seen_slides[again] = number
        display = html_text(str(event.get("display_date") or ""))[0]
        date_text = "" if display in ("", when.display()) else display
        tags = [group[:60].strip()] if group else []
        media = self._media(event.get("media"))
        own = _OWN.match(str(event.get("unique_id") or ""))
        mark = self.importer.mark()
        try:
            if own is not None and own.group(1) == "statement":
                record = self._own_statement(own.group(2), headline, html, date, date_text, tags, media)
            elif own is not None:
                record = self._own_meeting(own.group(2), headline, html, date, date_text, tags, media)
            else:
                record = self._newsroom_meeting(number, headline, body, links, event.get("media"), date,
                                                date_text, tags, media)
        except (ValidationError, ValueError) as error:
            self.importer.undo_to(mark)
            reason = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            report.rejected.append(f"slide {number} “{name}”: {reason.removeprefix('Value error, ')}")
            return
        if record is not None:
            self.importer.add(record)

    def _media(self, media: Any) -> list[Media]:
        url = str(media.get("url") or "").strip() if isinstance(media, dict) else ""
        if not url.startswith(("http://", "https://")):  # no javascript: or data: address kept to be opened
            if url:
                self.importer.report.skipped.append(f"media {url[:60]!r}: not an http or https address")
            return []
        credit, _ = html_text(str(media.get("credit") or ""))
        caption, _ = html_text(str(media.get("caption") or ""))
        return [Media(url=str(media["url"]).strip(), credit=credit, caption=caption)]

    def _duplicate_of(self, title: str, date: str) -> str | None:
        """A meeting already in the casefile with this title and date (the file imported before)."""
        if self._meetings is None:  # the casefile's meetings do not change while a file is read
            self._meetings = {}
            for record in self.importer.casefile.records.values():
                if isinstance(record, Meeting):
                    self._meetings.setdefault((record.title, str(record.date)), record.id)
        return self._meetings.get((title, date))

    def _newsroom_meeting(self, number: int, headline: str, body: str, links: list[tuple[str, str]],
                          media: Any, date: str, date_text: str, tags: list[str],
                          illustration: list[Media]) -> Meeting | None:
        importer = self.importer
        title = headline or body[:80] or f"Slide {number}"
        earlier = self._duplicate_of(title, date)
        if earlier is not None:
            importer.report.deduplicated.append(f"slide {number} “{title}”: already in the casefile as {earlier}")
            return None
        credit = html_text(str(media.get("credit") or ""))[0] if isinstance(media, dict) else ""
        image = str(media.get("url") or "") if isinstance(media, dict) else ""
        articles: dict[str, str] = {}
        for href, label in links:
            if href.startswith(("http://", "https://")) and href != image:
                articles.setdefault(href, label)
        excerpt = body or headline
        citations = []
        for href, label in articles.items():
            same_site = bool(image) and _site(image) == _site(href)  # the image's credit names the site's publisher
            source = importer.source_for(url=href, title=article_title(href, label),
                                         publisher=publisher_of(label, credit if same_site else "", href))
            self.cited_by[source] += 1
            citations.append(Citation(source=self.timeline.id, excerpt=excerpt, original=source))
        if not citations:
            citations = [Citation(source=self.timeline.id, excerpt=excerpt)]
        text = f"{headline}\n{body}"
        for _, label in links:  # a link's words name a publication, not someone who was there
            text = text.replace(label, " ") if label.strip() else text
        participants = [Participant(who=who) for who in importer.parties_mentioned(text)]
        participants += [Participant(who=who) for who in self._suggested(text, {p.who for p in participants})]
        return Meeting(
            id=importer.unique_id(f"{date.split('/')[0]} {title}", f"slide-{number}"),
            title=title, date=date, date_text=date_text, type=meeting_type(text), status="alleged",
            summary=body, participants=participants, citations=citations, tags=tags, media=illustration,
        )

    def _surnames(self) -> dict[str, list[str]]:
        """The people of the casefile and the import by surname, made again only when records are
        made or undone (not at every slide)."""
        new = self.importer.new
        count = (len(self.importer.casefile.records), len(new), next(reversed(new), None))
        if self._people is None or self._people[0] != count:
            people: dict[str, list[str]] = {}
            for record in self.importer.records():
                words = record.name.split() if isinstance(record, Person) else []
                # A proper name ("Jeff Sessions"), not a description ("A source close to Sessions").
                if len(words) > 1 and all(word[:1].isupper() for word in words):
                    people.setdefault(words[-1], []).append(record.id)
            self._people = (count, people)
        return self._people[1]

    def _suggested(self, text: str, linked: set[str]) -> list[str]:
        """People named by their surname alone: suggested in the report; linked (with the option)
        when the surname is one person's."""
        importer = self.importer
        found = []
        for surname, everyone in self._surnames().items():
            ids = [record_id for record_id in everyone if record_id not in linked]
            if not ids or len(surname) < 3 or not re.search(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
                continue
            if self.link_suggested and len(ids) == 1:
                importer.report.linked[surname] = ids[0]
                found.append(ids[0])
            else:
                importer.report.suggested[surname] = sorted(ids)
        return found

def import_timelinejs(data: dict[str, Any], casefile: Casefile, file_name: str, *,
                      link_suggested: bool = False) -> Importer:
    """Meetings (or plain events) and statements from a TimelineJS document; nothing is written yet.
    ``link_suggested``: a person named by a surname that is theirs alone is linked, not only suggested."""
    return TimelineImport(data, casefile, file_name, link_suggested=link_suggested).run()
