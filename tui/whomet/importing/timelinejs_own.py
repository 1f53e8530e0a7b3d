"""The slides whomet's own export wrote (``unique_id`` ``meeting-ID`` or ``statement-ID``), read
back as the records they were: a meeting's participants, place, type and status, a statement's
speaker, quote and the meetings it speaks of, and each one's citations, from the HTML the export
writes (``whomet.export.timelinejs``)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from ..model import About, Citation, Media, Meeting, Participant, Source, Statement
from ..model.kinds import MEETING_STATUSES, MEETING_TYPES
from .common import Importer

_FACTS = re.compile(r"(.*?)\s*·\s*([^·]+?)\s*·\s*([^·]+)")
"""A meeting's place, type and status, as whomet's export writes them ("Senate office · in person · confirmed")."""
_STANCE_LINE = re.compile(r"^(Denies|Confirms|Amends|Mentions): (.+)$")


class _Blocks(HTMLParser):
    """The blocks of a slide's HTML: paragraphs, quotes and list items, with the links in each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, list[tuple[str, str]]]] = []
        self._tag: str | None = None
        self._text: list[str] = []
        self._links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "blockquote", "li"):
            self._tag, self._text, self._links = tag, [], []
        elif tag == "a":
            self._href, self._link_text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self._links.append((self._href, "".join(self._link_text)))
            self._href = None
        elif tag == self._tag:
            self.blocks.append((tag, "".join(self._text).strip(), self._links))
            self._tag = None

    def handle_data(self, data: str) -> None:
        if self._tag is not None:
            self._text.append(data)
        if self._href is not None:
            self._link_text.append(data)


def _blocks(html: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    parser = _Blocks()
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def _unquoted(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == "“" and text[-1] == "”" else text

class OwnSlides:
    """What a TimelineJS import does with a slide whomet wrote."""

    importer: Importer
    cited_by: Counter[str]
    statements_about: list[tuple[Statement, list[tuple[str, str]]]]

    def _citations(self, blocks: list[tuple[str, str, list[tuple[str, str]]]]) -> list[Citation]:
        """The citations of a slide whomet wrote: “excerpt” — title, publisher (linked when it has an address)."""
        citations = []
        for tag, text, links in blocks:
            if tag != "li" or "” — " not in text:
                continue
            excerpt, _, cited = text.rpartition("” — ")
            excerpt = excerpt.removeprefix("“")
            url = links[-1][0] if links else ""
            title, _, publisher = cited.rpartition(", ") if ", " in cited else (cited, "", "")
            existing = next((r.id for r in self.importer.records() if isinstance(r, Source)
                             and (r.id == cited or (r.title == title and not url))), None)
            source = existing or self.importer.source_for(url=url, title=title or cited, publisher=publisher)
            self.cited_by[source] += 1
            citations.append(Citation(source=source, excerpt=excerpt))
        return citations

    def _own_id(self, wanted: str, words: str) -> str:
        return wanted if not self.importer.taken(wanted) else self.importer.unique_id(words, wanted)

    def _own_meeting(self, record_id: str, headline: str, html: str, date: str, date_text: str,
                     tags: list[str], media: list[Media]) -> Meeting | None:
        blocks = _blocks(html)
        paragraphs = [text for tag, text, _ in blocks if tag == "p"]
        summary, participants, place, type, status = "", [], "", "in person", "confirmed"
        for text in paragraphs:
            facts = _FACTS.fullmatch(text)
            if text.startswith("Participants: "):
                participants = [Participant(who=self.importer.party_or_new(name.strip()))
                                for name in text.removeprefix("Participants: ").split("; ") if name.strip()]
            elif facts is not None and facts.group(2) in MEETING_TYPES and facts.group(3) in MEETING_STATUSES:
                place, type, status = facts.groups()
            elif not summary:
                summary = text
        if record_id in self.importer.casefile.records:
            self.importer.report.deduplicated.append(f"{record_id}: already in the casefile")
            return None
        return Meeting(id=self._own_id(record_id, headline), title=headline, date=date, date_text=date_text,
                       place=place, type=type, status=status, summary=summary, participants=participants,
                       citations=self._citations(blocks), tags=tags, media=media)

    def _own_statement(self, record_id: str, headline: str, html: str, date: str, date_text: str,
                       tags: list[str], media: list[Media]) -> Statement | None:
        blocks = _blocks(html)
        speaker_name, occasion = (headline.split(": ", 1) if ": " in headline
                                  else (headline.removesuffix(", statement"), ""))
        quote = next((_unquoted(text) for tag, text, _ in blocks if tag == "blockquote"), "")
        summary, about = "", []
        for tag, text, _ in blocks:
            stance = _STANCE_LINE.match(text) if tag == "p" else None
            if stance is not None:
                about.append((stance.group(1).lower(), stance.group(2)))
            elif tag == "p" and not summary:
                summary = text
        if record_id in self.importer.casefile.records:
            self.importer.report.deduplicated.append(f"{record_id}: already in the casefile")
            return None
        statement = Statement(id=self._own_id(record_id, headline), speaker=self.importer.party_or_new(speaker_name.strip()),
                              date=date, date_text=date_text, occasion=occasion, quote=quote, summary=summary,
                              citations=self._citations(blocks), tags=tags, media=media)
        self.statements_about.append((statement, about))
        return statement

    def _link_statements(self) -> None:
        """The meetings a statement speaks of, found by title once every slide is read."""
        importer = self.importer
        for statement, about in self.statements_about:
            links = []
            for stance, title in about:
                found = [r.id for r in importer.records() if isinstance(r, Meeting) and r.title == title]
                if len(found) == 1:
                    links.append(About(meeting=found[0], stance=stance))
                else:
                    importer.report.skipped.append(
                        f"{statement.id}: {stance} “{title}”: {'no' if not found else 'more than one'} meeting "
                        "of that title; not linked")
            if links:
                updated = statement.model_copy(update={"about": links})
                importer.new[statement.id] = updated
                importer.report.created[importer.report.created.index(statement)] = updated
