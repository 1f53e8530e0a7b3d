"""A readable chronology for a memo: meetings and statements in date order, quotes, numbered sources."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..index import Index
from ..model import Meeting, Source, Statement

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")
_LINKABLE = re.compile(r"https?://[^\s<>]+")


def _md(text: str) -> str:
    """Text that Markdown shows as typed: its markup characters escaped, lines kept together."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_markdown(index: Index, title: str, *, person: str | None = None, by_tag: bool = False) -> str:
    """The whole case, or one person's timeline, as Markdown with footnoted sources; ``by_tag``: a
    section for each tag (a record under each of its tags), then the records with none."""
    if person is not None:
        items = index.timeline(person)
        who = index.get(person)
        heading = f"{title}: {who.label if who else person}"
    else:
        items = sorted((r for r in index.records.values() if isinstance(r, (Meeting, Statement))),
                       key=lambda r: (r.date.sort_key, r.id))  # type: ignore[union-attr]
        heading = title
    numbers: dict[str, int] = {}

    def cite(source_id: str) -> str:
        number = numbers.setdefault(source_id, len(numbers) + 1)
        return f"[{number}]"

    def name(record_id: str) -> str:
        record = index.get(record_id)
        return _md(record.label if record is not None else record_id)

    lines = [f"# {_md(heading)}", ""]
    sections: list[tuple[str, list[Meeting | Statement]]] = [("Chronology", list(items))]  # type: ignore[arg-type]
    if by_tag:
        tagged: dict[str, list[Meeting | Statement]] = {}
        for record in items:
            for tag in record.tags:
                tagged.setdefault(tag, []).append(record)  # type: ignore[arg-type]
        untagged = [record for record in items if not record.tags]
        sections = [*sorted(tagged.items(), key=lambda item: item[0].casefold()),
                    *([("Not tagged", untagged)] if untagged else [])]  # type: ignore[list-item]
    for section, records in sections:
        lines += [f"## {_md(section)}", ""]
        for record in records:
            lines += _entry(record, index, name, cite)
    return _sources(lines, numbers, index)


def _entry(record: Meeting | Statement, index: Index, name: Callable[[str], str], cite: Callable[[str], str],
           ) -> list[str]:
    """A meeting's or statement's lines in the chronology."""
    lines: list[str] = []
    when = record.date.display()
    if isinstance(record, Meeting):
        who = ", ".join(name(p.who) + (f" ({_md(p.capacity)})" if p.capacity else "") for p in record.participants)
        line = f"- **{when}** — meeting: {_md(record.title)}"
        if record.status != "confirmed":
            line += f" *({record.status})*"
        if record.place:
            line += f", {_md(record.place)}"
        lines.append(line + (f". With {who}." if who else "."))
        if record.summary:
            lines.append(f"  {_md(record.summary)}")
        for statement, stance in index.statements_about(record.id):
            lines.append(f"  - {stance}: {name(statement.speaker)}, {statement.date.display()}")
    else:
        where = f", {_md(record.occasion)}" if record.occasion else ""
        oath = " (under oath)" if record.under_oath else ""
        lines.append(f"- **{when}** — {name(record.speaker)}{where}{oath}:")
        lines.append(f"  > {_md(record.quote)}")
        for about in record.about:
            lines.append(f"  - {about.stance}: {name(about.meeting)}")
        for contradiction in index.contradictions_of(record.id):
            reported = ", ".join(cite(s) for s in contradiction.sources)
            lines.append(f"  - **Contradicted:** {name(contradiction.meeting)} is reported by {reported}")
    relayed: dict[str, list[str]] = {}
    for citation in record.citations:
        originals = relayed.setdefault(cite(citation.source), [])
        if citation.original and cite(citation.original) not in originals:
            originals.append(cite(citation.original))
    if relayed:
        marks = [mark + (f" (relaying {', '.join(originals)})" if originals else "")
                 for mark, originals in relayed.items()]
        lines.append(f"  Sources: {', '.join(marks)}")
    if record.tags:
        lines.append(f"  Tags: {', '.join(_md(tag) for tag in record.tags)}")
    lines.append("")
    return lines


def _sources(lines: list[str], numbers: dict[str, int], index: Index) -> str:
    lines += ["## Sources", ""]
    for source_id, number in numbers.items():
        source = index.get(source_id)
        if isinstance(source, Source):
            facts = [", ".join(source.authors), f"“{source.title}”", source.publisher,
                     source.published.display() if source.published else ""]
            text = ", ".join(_md(f) for f in facts if f)
            if source.url:
                text += f". <{source.url}>" if _LINKABLE.fullmatch(source.url) else f". {_md(source.url)}"
        else:
            text = _md(source_id)
        lines.append(f"{number}. {text}")
    return "\n".join(lines).rstrip() + "\n"
