"""TimelineJS: one slide per meeting and statement, dates at their true precision."""

from __future__ import annotations

from html import escape as _escape
from typing import Any, Literal

from ..index import Index
from ..model import DatePoint, FuzzyDate, Meeting, Record, Source, Statement

GroupBy = Literal["person", "kind", "tag"]


def escape(text: str) -> str:
    """Text as HTML text: only what HTML would read as markup is escaped."""
    return _escape(text, quote=False)


def _date(point: DatePoint) -> dict[str, Any]:
    """A TimelineJS date object holding only the parts the source gives."""
    date: dict[str, Any] = {"year": point.year}
    if point.month is not None:
        date["month"] = point.month
    if point.day is not None:
        date["day"] = point.day
    return date


def _dates(when: FuzzyDate) -> dict[str, Any]:
    slide: dict[str, Any] = {"start_date": _date(when.start)}
    if when.end is not None:
        slide["end_date"] = _date(when.end)
    return slide


def _citations_html(index: Index, record: Meeting | Statement) -> str:
    items = []
    for citation in record.citations:
        source = index.get(citation.source)
        if isinstance(source, Source):
            name = escape(source.title) + (f", {escape(source.publisher)}" if source.publisher else "")
            link = f'<a href="{_escape(source.url)}">{name}</a>' if source.url else name
        else:
            link = escape(citation.source)
        items.append(f"<li>“{escape(citation.excerpt)}” — {link}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _media(record: Meeting | Statement) -> dict[str, str] | None:
    """The record's illustration, if it has one (a slide shows one): the sources are in the text."""
    for media in record.media:
        if media.url.startswith(("http://", "https://")):  # a page shows it: no javascript: or data: address
            return {"url": media.url, "credit": escape(media.credit), "caption": escape(media.caption)}
    return None


def _name(index: Index, record_id: str) -> str:
    record = index.get(record_id)
    return record.label if record is not None else record_id


def slide(index: Index, record: Meeting | Statement, group: str) -> dict[str, Any]:
    if isinstance(record, Meeting):
        headline = record.title
        names = "; ".join(_name(index, p.who) for p in record.participants)  # a name may hold a comma
        parts = [f"<p>{escape(record.summary)}</p>" if record.summary else "",
                 f"<p>Participants: {escape(names)}</p>" if names else "",
                 f"<p>{escape(record.place)} · {escape(record.type)} · {escape(record.status)}</p>"]
    else:
        speaker = _name(index, record.speaker)
        headline = f"{speaker}: {record.occasion}" if record.occasion else f"{speaker}, statement"
        parts = [f"<blockquote>“{escape(record.quote)}”</blockquote>",
                 f"<p>{escape(record.summary)}</p>" if record.summary else ""]
        for about in record.about:
            parts.append(f"<p>{escape(about.stance.capitalize())}: {escape(_name(index, about.meeting))}</p>")
    slide_data: dict[str, Any] = {
        **_dates(record.date),
        "display_date": record.date_text or record.date.display(),
        "text": {"headline": escape(headline), "text": "".join(parts) + _citations_html(index, record)},
        "group": escape(group),  # shown as HTML, as the headline is
        # The kind in the id: a file whomet wrote comes back into whomet as the records it was.
        "unique_id": f"{record.kind}-{record.id}",
    }
    media = _media(record)
    if media is not None:
        slide_data["media"] = media
    return slide_data


def _group(index: Index, record: Meeting | Statement, by: GroupBy, person: str | None) -> str:
    if by == "kind":
        return "Meetings" if isinstance(record, Meeting) else "Statements"
    if by == "tag":
        return record.tags[0] if record.tags else ""
    if person is not None:
        return _name(index, person)
    first = record.participants[0].who if isinstance(record, Meeting) and record.participants else None
    return _name(index, record.speaker if isinstance(record, Statement) else first or "")


def to_timelinejs(index: Index, title: str, *, person: str | None = None, group_by: GroupBy = "kind") -> dict[str, Any]:
    """A TimelineJS document of the casefile, or of one person's timeline."""
    if person is not None:
        records: list[Record] = list(index.timeline(person))
    else:
        records = sorted((r for r in index.records.values() if isinstance(r, (Meeting, Statement))),
                         key=lambda r: (r.date.sort_key, r.id))  # type: ignore[union-attr]
    events = [slide(index, r, _group(index, r, group_by, person)) for r in records
              if isinstance(r, (Meeting, Statement))]
    meetings = sum(isinstance(r, Meeting) for r in records)
    statements = len(records) - meetings
    heading = f"{title}: {_name(index, person)}" if person else title
    return {
        "title": {
            "text": {
                "headline": escape(heading),
                "text": f"<p>{meetings} meetings and {statements} statements, each with the sources that report it.</p>",
            }
        },
        "events": events,
    }
