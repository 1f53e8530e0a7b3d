"""A TimelineJS file, as newsrooms publish them, read into meetings and events."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..model import Citation, DateError, FuzzyDate, Meeting, Participant, Source
from ..store import Casefile
from .common import Importer, html_text, link_title

MEETING_WORDS = {
    "dinner": "dinner", "dined": "dinner", "lunch": "dinner", "breakfast": "dinner",
    "call": "call", "phoned": "call", "reception": "reception", "roundtable": "roundtable",
    "rally": "rally", "speech": "speech", "met": "in person", "meets": "in person", "meet": "in person",
    "meeting": "in person", "meetings": "in person", "talks": "in person",
}
"""Words of a slide that make it a meeting, and the kind of meeting each suggests."""


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


def import_timelinejs(data: dict[str, Any], casefile: Casefile, file_name: str) -> Importer:
    """Meetings (or plain events) from a TimelineJS document; nothing is written yet."""
    importer = Importer(casefile)
    title_slide = data.get("title") or {}
    title, _ = html_text(str((title_slide.get("text") or {}).get("headline") or ""))
    timeline = Source(
        id=importer.unique_id(title or Path(file_name).stem, "timeline"),
        title=title or Path(file_name).name, type="document",
        summary=f"A TimelineJS timeline, imported from {Path(file_name).name}.",
    )
    importer.add(timeline)
    for number, event in enumerate(data.get("events") or [], start=1):
        text_block = event.get("text") or {}
        headline, _ = html_text(str(text_block.get("headline") or ""))
        body, links = html_text(str(text_block.get("text") or ""))
        name = headline or body[:60] or f"slide {number}"
        date = slide_date(event.get("start_date"), event.get("end_date"))
        if date is None:
            importer.report.rejected.append(f"slide {number} “{name}”: no date with a year")
            continue
        try:
            FuzzyDate.parse(date)
        except DateError as error:
            importer.report.rejected.append(f"slide {number} “{name}”: {error}")
            continue
        media = event.get("media") or {}
        credit, credit_links = html_text(str(media.get("credit") or ""))
        media_url = str(media.get("url") or "")
        urls = [(href, label) for href, label in links + credit_links if href.startswith(("http://", "https://"))]
        if media_url.startswith(("http://", "https://")):
            caption, _ = html_text(str(media.get("caption") or ""))
            urls.append((media_url, caption or credit))
        # The slide's words are the timeline's; a link in them names the report they relay.
        excerpt = body or headline
        citations = [
            Citation(source=timeline.id, excerpt=excerpt,
                     original=importer.source_for(url=href, title=link_title(href, label),
                                                  publisher=credit if href == media_url else ""))
            for href, label in dict(urls).items()
        ] or [Citation(source=timeline.id, excerpt=excerpt)]
        participants = [Participant(who=who) for who in importer.parties_mentioned(f"{headline}\n{body}")]
        display = html_text(str(event.get("display_date") or ""))[0]
        try:
            meeting = Meeting(
                id=importer.unique_id(f"{date.split('/')[0]} {headline or body[:60]}", f"slide-{number}"),
                title=headline or body[:80] or f"Slide {number}",
                date=date, date_text=display, type=meeting_type(f"{headline} {body}"), status="alleged",
                summary=body, participants=participants, citations=citations,
            )
        except ValidationError as error:
            importer.report.rejected.append(f"slide {number} “{name}”: {error.errors()[0]['msg']}")
            continue
        importer.add(meeting)
    return importer
