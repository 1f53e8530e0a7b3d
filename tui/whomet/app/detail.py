"""What the source-quote panel shows of a record: its text in full, and the links to follow."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Span, Text

from ..index import BaseIndex as Index, Link
from .. import model
from .text import one_line, plain, visible

if TYPE_CHECKING:
    from ..model import Citation, Meeting, Organization, Person, Record, Source, Statement
    from ..store import CaseCache

STANCE_STYLE = {"denies": "bold red", "confirms": "green", "amends": "yellow", "mentions": "cyan"}

BACKLINKS_WRITTEN = 50
"""How many of the records that name this one the text lists; the Links list below has them all.
A busy person is named by thousands, and the text is laid out whole every time it is shown."""


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A link the reader can follow from the detail panel."""

    target: str
    relation: str
    label: Text | str
    """A string is taken as plain text when its row is drawn: a busy person is named by
    thousands, and only the rows on screen need a ``Text``."""


def describe_date(record: Record, index: Index) -> str:
    when = getattr(record, "date", None) or getattr(record, "published", None)
    return when.display() if when is not None else ""


def name_of(index: Index, record_id: str) -> str:
    return index.label_of(record_id) or record_id


def _heading(kind: str, *parts: str) -> Text:
    text = Text(kind.upper(), style="bold reverse")
    for part in parts:
        if part:
            text.append("  ")
            text.append(visible(part), style="bold")
    return text


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _field(label: str, value: str) -> Text:
    text = Text(f"{label}: ", style="dim")
    text.append(visible(value))
    return text


def _citation_block(index: Index, citation: Citation, number: int) -> list[RenderableType]:
    source = index.get(citation.source)
    line = Text(f"[{number}] ", style="bold")
    if isinstance(source, model.Source):
        line.append(visible(source.title), style="italic")
        facts = [source.publisher, ", ".join(source.authors),
                 source.published.display() if source.published else ""]
        facts = [fact for fact in facts if fact]
        if facts:
            line.append(" — " + visible(", ".join(facts)))
    else:
        line.append(visible(citation.source))
    blocks: list[RenderableType] = [line]
    if isinstance(source, model.Source) and source.url:
        blocks.append(Padding(plain(source.url, "underline"), (0, 0, 0, 4)))
    if citation.original:
        blocks.append(Padding(_field("relaying", name_of(index, citation.original)), (0, 0, 0, 4)))
    blocks.append(Padding(plain(f"“{citation.excerpt}”", "italic"), (0, 0, 0, 4)))
    return blocks


def _citations(index: Index, citations: list[Citation], links: list[LinkRow]) -> list[RenderableType]:
    if not citations:
        return [_section("Sources"), Text("No source cited.", style="dim")]
    blocks: list[RenderableType] = [_section("Sources")]
    linked: set[str] = set()
    for number, citation in enumerate(citations, start=1):
        blocks += _citation_block(index, citation, number)
        for target, relation in ((citation.source, "source"), (citation.original, "original")):
            if target and target not in linked:
                linked.add(target)
                links.append(LinkRow(target, relation, plain(one_line(name_of(index, target)))))
    return blocks


def _backlinks(index: Index, record: Record, links: list[LinkRow], skip: set[str]) -> list[RenderableType]:
    """The records that name this one and are not already listed above."""
    naming: dict[str, Link] = {}
    for link in index.backlinks(record.id):
        if link.source not in skip:
            naming.setdefault(link.source, link)
    briefs = index.briefs(list(naming))
    shown = [(link, briefs[source]) for source, link in naming.items() if source in briefs]
    if not shown:
        return []
    rows: list[RenderableType] = []
    for link, brief in shown[:BACKLINKS_WRITTEN]:
        label = Text(f"{link.relation:<12}", style="dim")
        label.append(f"{brief.when + '  ' if brief.when else ''}")
        label.append(brief.short)
        rows.append(label)
    links.extend(LinkRow(link.source, f"← {link.relation}", brief.short) for link, brief in shown)
    if len(shown) > len(rows):
        rows.append(Text(f"… and {len(shown) - len(rows):,} more: all {len(shown):,} are in Links below",
                         style="dim italic"))
    return [_section(f"What links here ({len(shown):,})"), *rows]


def describe(index: Index, record: Record) -> tuple[Group, list[LinkRow]]:
    """The full text of a record, and the links to follow from it, in reading order."""
    links: list[LinkRow] = []
    if isinstance(record, model.Statement):
        blocks = _statement(index, record, links)
        skip = {record.speaker, *(a.meeting for a in record.about)}
    elif isinstance(record, model.Meeting):
        blocks = _meeting(index, record, links)
        skip = {s.id for s, _ in index.statements_about(record.id)}
    elif isinstance(record, (model.Person, model.Organization)):
        blocks = _party(index, record, links)
        skip = set()
    elif isinstance(record, model.Source):
        blocks = _source(record, _folder_of(index))
        skip = set()
    else:  # pragma: no cover - every kind is handled above
        blocks, skip = [plain(record.label)], set()
    tags = getattr(record, "tags", ())
    if tags:  # under the heading and the name
        blocks.insert(min(2, len(blocks)), _field("tags", " · ".join(tags)))
    for media in getattr(record, "media", ()):
        blocks += [_section("Illustration"), _field("url", media.url)]
        blocks += [_field(label, value) for label, value in (("credit", media.credit), ("caption", media.caption))
                   if value]
    blocks += _backlinks(index, record, links, skip)
    return Group(*blocks), links


def _statement(index: Index, statement: Statement, links: list[LinkRow]) -> list[RenderableType]:
    speaker = name_of(index, statement.speaker)
    oath = "under oath" if statement.under_oath else "not under oath"
    blocks: list[RenderableType] = [
        _heading("statement", statement.date.display(), statement.setting, oath),
    ]
    said = Text()
    said.append(visible(speaker), style="bold")
    if statement.occasion:
        said.append(", " + visible(statement.occasion))
    blocks.append(said)
    if statement.date_text:
        blocks.append(_field("date in the source", statement.date_text))
    links.append(LinkRow(statement.speaker, "speaker", plain(one_line(speaker))))
    if statement.question:
        asked = _section("Question")
        if statement.asked_by:
            asked.append(Text(" from " + visible(name_of(index, statement.asked_by)), style="bold"))
            links.append(LinkRow(statement.asked_by, "asked by", plain(one_line(name_of(index, statement.asked_by)))))
        blocks += [asked, plain(f"“{statement.question}”", "italic")]
    blocks += [_section("Quote"), Padding(plain(f"“{statement.quote}”", "bold"), (0, 0, 0, 2))]
    if statement.summary:
        blocks += [_section("Context"), plain(statement.summary)]
    contradicted = {c.meeting: c for c in index.contradictions_of(statement.id)}
    if statement.about:
        blocks.append(_section("Speaks of"))
        for about in statement.about:
            meeting = index.get(about.meeting)
            line = Text(f"{about.stance:<9}", style=STANCE_STYLE.get(about.stance, ""))
            if isinstance(meeting, model.Meeting):
                line.append(f"{meeting.date.display()}  ")
            line.append(one_line(name_of(index, about.meeting)))
            blocks.append(line)
            if about.meeting in contradicted:
                sources = ", ".join(name_of(index, s) for s in contradicted[about.meeting].sources)
                blocks.append(Padding(Text("⚠ contradicted: reported by " + visible(sources), style="bold red"),
                                      (0, 0, 0, 9)))
            links.append(LinkRow(about.meeting, about.stance, plain(one_line(name_of(index, about.meeting)))))
    blocks += _citations(index, statement.citations, links)
    return blocks


def _meeting(index: Index, meeting: Meeting, links: list[LinkRow]) -> list[RenderableType]:
    blocks: list[RenderableType] = [
        _heading("event" if meeting.type == "event" else "meeting", meeting.date.display(),
                 "" if meeting.type == "event" else meeting.type, meeting.status),
        plain(meeting.title, "bold"),
    ]
    if meeting.date_text:
        blocks.append(_field("date in the source", meeting.date_text))
    if meeting.place:
        blocks.append(_field("place", meeting.place))
    if meeting.summary:
        blocks += [Text(""), plain(meeting.summary)]
    blocks.append(_section(f"Participants ({len(meeting.participants)})"))
    for participant in meeting.participants:
        line = Text("• ")
        line.append(visible(name_of(index, participant.who)), style="bold")
        if participant.capacity:
            line.append(" — " + visible(participant.capacity), style="italic")
        blocks.append(line)
        roles = index.roles_on(participant.who, meeting.date)
        for role in roles:
            held = Text("    then: ", style="dim")
            held.append(visible(role.title))
            if role.organization:
                held.append(", " + visible(name_of(index, role.organization)), style="dim")
            blocks.append(held)
        links.append(LinkRow(participant.who, "participant", plain(one_line(name_of(index, participant.who)))))
    spoken = index.statements_about(meeting.id)
    if spoken:
        blocks.append(_section(f"Statements about it ({len(spoken)})"))
        for statement, stance in spoken:
            line = Text(f"{stance:<9}", style=STANCE_STYLE.get(stance, ""))
            line.append(f"{statement.date.display()}  ")
            line.append(visible(name_of(index, statement.speaker)), style="bold")
            line.append(": “" + one_line(statement.quote) + "”")
            blocks.append(line)
            links.append(LinkRow(statement.id, stance,
                                 plain(f"{name_of(index, statement.speaker)}, {statement.date.display()}")))
    denials = index.contradictions_of(meeting.id)
    if denials:
        blocks.append(Text(f"\n⚠ denied by {len(denials)} statement{'s' * (len(denials) != 1)} "
                           "although sources report it", style="bold red"))
    blocks += _citations(index, meeting.citations, links)
    return blocks


def _party(index: Index, party: Person | Organization, links: list[LinkRow]) -> list[RenderableType]:
    meetings, statements = index.counts(party.id)
    blocks: list[RenderableType] = [
        _heading(party.kind, f"{meetings} meeting{'s' * (meetings != 1)}",
                 f"{statements} statement{'s' * (statements != 1)}"),
        plain(party.name, "bold"),
    ]
    if party.aliases:
        blocks.append(_field("also", ", ".join(party.aliases)))
    if isinstance(party, model.Person) and party.nationality:
        blocks.append(_field("nationality", party.nationality))
    if isinstance(party, model.Organization):
        blocks.append(_field("type", party.type))
        if party.country:
            blocks.append(_field("country", party.country))
        if party.parent:
            blocks.append(_field("part of", name_of(index, party.parent)))
            links.append(LinkRow(party.parent, "part of", plain(one_line(name_of(index, party.parent)))))
    if party.summary:
        blocks += [Text(""), plain(party.summary)]
    if isinstance(party, model.Person) and party.roles:
        blocks.append(_section("Roles"))
        for role in party.roles:
            line = Text("• ")
            line.append(visible(role.title), style="bold")
            if role.organization:
                line.append(", " + visible(name_of(index, role.organization)))
                links.append(LinkRow(role.organization, "role", plain(one_line(name_of(index, role.organization)))))
            span = _span(role.start.display() if role.start else "", role.end.display() if role.end else "")
            if span:
                line.append(f"  ({span})", style="dim")
            blocks.append(line)
    return blocks


def _span(start: str, end: str) -> str:
    if start and start == end:
        return start
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return ""


def _folder_of(index: Index) -> Path | None:
    """The casefile's folder, when the index reads one (the in-memory index of a test may not)."""
    cache = getattr(index, "cache", None)
    return getattr(cache, "folder", None)


def _archive(source: Source, folder: Path | None) -> list[RenderableType]:
    """Where the source's archive is, when it was made, its digest, and whether it still matches."""
    from ..store import archive_ref, archive_state

    ref = archive_ref(source)
    if ref is None:
        return []
    blocks: list[RenderableType] = [_field("archive", ref.archive)]
    if ref.archived_at:
        blocks.append(_field("archived", ref.archived_at))
    if ref.sha256:
        blocks.append(_field("sha256", ref.sha256))
    if folder is not None:
        state, sound = archive_state(folder, ref)
        line = Text("check: ", style="dim")
        line.append(("✓ " if sound else "⚠ ") + visible(state), style="green" if sound else "bold yellow")
        blocks.append(line)
    return blocks


def _source(source: Source, folder: Path | None = None) -> list[RenderableType]:
    blocks: list[RenderableType] = [
        _heading("source", source.type, source.published.display() if source.published else ""),
        plain(source.title, "bold italic"),
    ]
    if source.publisher:
        blocks.append(_field("publisher", source.publisher))
    if source.authors:
        blocks.append(_field("by", ", ".join(source.authors)))
    if source.url:
        blocks.append(_field("url", source.url))
    blocks += _archive(source, folder)
    if source.summary:
        blocks += [Text(""), plain(source.summary)]
    return blocks


def citation_text(index: Index, record: Record) -> str | None:
    """A plain-text citation for the clipboard: the quote or excerpt with its source."""
    citations: list[Citation] = getattr(record, "citations", [])
    if isinstance(record, model.Source):
        return _reference(record)
    if not citations:
        return None
    parts: list[str] = []
    if isinstance(record, model.Statement):
        parts.append(f"“{record.quote}” — {name_of(index, record.speaker)}, {record.date.display()}"
                     + (f", {record.occasion}" if record.occasion else ""))
    else:
        parts.append(f"{record.label} ({describe_date(record, index)})")
    for citation in citations:
        source = index.get(citation.source)
        reference = _reference(source) if isinstance(source, model.Source) else citation.source
        parts.append(f"Source: {reference}\n“{citation.excerpt}”")
    return "\n".join(parts)


def _reference(source: Source) -> str:
    facts = [", ".join(source.authors), f"“{source.title}”", source.publisher,
             source.published.display() if source.published else "", source.url]
    return ", ".join(fact for fact in facts if fact)


def first_url(index: Index, record: Record) -> str | None:
    """The URL of the record itself (a source) or of the first source it cites that has one."""
    if isinstance(record, model.Source):
        return record.url or None
    for citation in getattr(record, "citations", []):
        for source_id in citation.sources():
            source = index.get(source_id)
            if isinstance(source, model.Source) and source.url:
                return source.url
    return None


# The first screen's detail, kept in the cache

DRAWN_FORMAT = 1
"""Bumped whenever ``describe`` changes what it writes: a detail kept by another version is not shown."""


def _text_data(text: Text) -> dict[str, object]:
    return {"plain": text.plain, "style": str(text.style), "end": text.end,
            "spans": [[span.start, span.end, str(span.style)] for span in text.spans]}


def _text_of(data: dict) -> Text:
    return Text(data["plain"], style=data["style"], end=data["end"],
                spans=[Span(start, end, style) for start, end, style in data["spans"]])


def drawn(body: Group, links: list[LinkRow], kind: str, label: str) -> str | None:
    """A record's detail as JSON, to be shown again without reading the record (None when it
    holds something other than the texts and indented texts that ``describe`` writes)."""
    blocks: list[list[object]] = []
    for block in body.renderables:
        indent = 0
        if isinstance(block, Padding) and (block.top, block.right, block.bottom) == (0, 0, 0):
            indent, block = block.left, block.renderable
        if not isinstance(block, Text):
            return None
        blocks.append([indent, _text_data(block)])
    rows = [[link.target, link.relation, link.label if isinstance(link.label, str) else _text_data(link.label)]
            for link in links]
    return json.dumps({"format": DRAWN_FORMAT, "kind": kind, "label": label, "blocks": blocks, "links": rows})


def redrawn(data: str) -> tuple[Group, list[LinkRow], str, str] | None:
    """What ``drawn`` kept: the body, the links, the kind and the label; None when it was kept
    by another version of ``describe``."""
    kept = json.loads(data)
    if kept.get("format") != DRAWN_FORMAT:
        return None
    blocks = [Padding(_text_of(text), (0, 0, 0, indent)) if indent else _text_of(text) for indent, text in kept["blocks"]]
    links = [LinkRow(target, relation, label if isinstance(label, str) else _text_of(label))
             for target, relation, label in kept["links"]]
    return Group(*blocks), links, kept["kind"], kept["label"]


KEPT = "detail"
"""Under what the record in detail is kept in the cache for the next launch."""


def kept_detail(casefile: CaseCache, record_id: str) -> tuple[Group, list[LinkRow], str, str] | None:
    """The detail of ``record_id`` as the last launch drew it, when nothing changed since."""
    kept = casefile.kept_until_change(KEPT)
    if not isinstance(kept, dict) or kept.get("id") != record_id or not isinstance(kept.get("data"), str):
        return None
    return redrawn(kept["data"])


def keep_detail(casefile: CaseCache, record_id: str, body: Group, kind: str, label: str,
                links: list[LinkRow]) -> None:
    """Keep the record in detail as drawn, for the next launch's first paint."""
    data = drawn(body, links, kind, label)
    if data is not None:
        casefile.keep_until_change(KEPT, {"id": record_id, "data": data})
