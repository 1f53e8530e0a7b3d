"""A spreadsheet (CSV with a header row) of meetings or statements."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..model import About, Citation, Meeting, Participant, Statement
from ..store import Casefile
from .common import Importer

MEETING_COLUMNS = ("title", "date", "date_text", "place", "type", "status", "summary", "participants",
                   "source", "url", "excerpt")
STATEMENT_COLUMNS = ("speaker", "date", "quote", "date_text", "setting", "occasion", "under_oath", "question",
                     "asked_by", "summary", "meetings", "stance", "source", "url", "excerpt")
TRUE = {"yes", "y", "true", "1", "x", "oath", "under oath"}


COLUMN_OF = {("citations", "source"): "source", ("citations", "excerpt"): "excerpt",
             ("citations", "original"): "source", ("about", "meeting"): "meetings", ("about", "stance"): "stance",
             ("participants", "who"): "participants", ("participants", "capacity"): "participants"}
"""The column a field of a record comes from, when it is not the field's own name."""

MESSAGES = {
    "string_too_short": "is empty",
    "string_pattern_mismatch": "is not an id (lower-case letters, digits and hyphens)",
    "missing": "is missing",
}


def plain_error(error: ValidationError | ValueError, column: dict[tuple[str, str], str] | None = None) -> str:
    """A record that would not validate, in plain words: "date: Feb 2016 has 29 days, not 30".

    The field is named as the material names it (``column`` maps a record's list field, such as
    ``("citations", "excerpt")``, to a column), never by pydantic's path, and without its
    "Value error," prefix; a value the message repeats is said once."""
    if not isinstance(error, ValidationError):
        return str(error)
    first = error.errors()[0]
    names = [str(part) for part in first["loc"] if not isinstance(part, int)]
    field = (column or COLUMN_OF).get((names[0], names[-1]), names[0]) if names else ""
    value = first.get("input")
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] in MESSAGES:
        message = MESSAGES[first["type"]]
        if value not in ("", None):
            message = f"“{value}” {message}"
    elif first["type"] == "literal_error":
        message = f"“{value}” is not one of {first.get('ctx', {}).get('expected', '').replace(chr(39), '')}"
    elif isinstance(value, str) and value and message.startswith(repr(value)):
        rest = message[len(repr(value)):]
        message = rest.removeprefix(": ") if rest.startswith(": ") else f"“{value}”{rest}"
    return f"{field}: {message}" if field else message


def _key(header: str) -> str:
    return "_".join(header.strip().lower().replace("-", " ").split())


def _names(cell: str) -> list[str]:
    return [name.strip() for name in cell.replace("\n", ";").split(";") if name.strip()]


def import_csv(path: Path, casefile: Casefile, *, kind: str | None = None,
               mapping: dict[str, str] | None = None) -> Importer:
    """Meetings or statements from a spreadsheet; nothing is written yet.

    Columns are matched by name (case and spaces do not matter); ``mapping`` renames the
    spreadsheet's own columns to ours, e.g. ``{"When": "date", "Who": "participants"}``.
    """
    importer = Importer(casefile)
    renames = {_key(theirs): _key(ours) for theirs, ours in (mapping or {}).items()}
    with path.open(newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
        # A row with more cells than the header holds the rest under None: no column of ours.
        headers = [renames.get(_key(h), _key(h)) for h in (rows[0].keys() if rows else []) if h is not None]
    if kind is None:
        kind = "statement" if "quote" in headers else "meeting"
    known = MEETING_COLUMNS if kind == "meeting" else STATEMENT_COLUMNS
    ignored = [h for h in headers if h not in known]
    if ignored:
        importer.report.skipped.append(
            f"columns not read: {', '.join(ignored)} (a {kind} has {', '.join(known)}; rename with --map)")
    theirs = {renames[_key(h)]: h.strip() for h in (rows[0].keys() if rows else []) if h and _key(h) in renames}
    for number, raw in enumerate(rows, start=2):  # row 1 is the header
        row = {renames.get(_key(k), _key(k)): (v or "").strip() for k, v in raw.items() if k is not None}
        mark, noted = importer.mark(), len(importer.report.skipped)
        try:
            record = _meeting(importer, row) if kind == "meeting" else _statement(importer, row)
        except (ValidationError, ValueError) as error:
            reason = plain_error(error)
            field, _, rest = reason.partition(": ")
            if rest and field in theirs:  # the column as the spreadsheet names it
                reason = f"{field} (column “{theirs[field]}”): {rest}"
            importer.report.rejected.append(f"row {number}: {reason}")
            importer.undo_to(mark)  # people or sources made for this row, and names linked, go with it
            del importer.report.skipped[noted:]
            continue
        importer.add(record)
    return importer


def _party(importer: Importer, name: str, column: str) -> str:
    """The person or organization of that name or id, created as a person when there is none."""
    if name in importer.casefile.records or name in importer.new:
        return name
    return importer.party_or_new(name, column)


def _citations(importer: Importer, row: dict[str, str]) -> list[Citation]:
    if not (row.get("source") or row.get("url")) or not row.get("excerpt"):
        return []
    source = importer.source_for(url=row.get("url", ""), title=row.get("source", ""))
    return [Citation(source=source, excerpt=row["excerpt"])]


def _optional(row: dict[str, str], *names: str) -> dict[str, Any]:
    return {name: row[name] for name in names if row.get(name)}


def _meeting(importer: Importer, row: dict[str, str]) -> Meeting:
    title, date = row.get("title", ""), row.get("date", "")
    return Meeting(
        id=importer.unique_id(f"{date.split('/')[0]} {title}", "meeting"),
        title=title, date=date, **_optional(row, "date_text", "place", "type", "status", "summary"),
        participants=[Participant(who=_party(importer, name, "participants"))
                      for name in _names(row.get("participants", ""))],
        citations=_citations(importer, row),
    )


def _statement(importer: Importer, row: dict[str, str]) -> Statement:
    speaker_name, date = row.get("speaker", ""), row.get("date", "")
    if not speaker_name:
        raise ValueError("speaker: a statement needs a speaker")
    speaker = _party(importer, speaker_name, "speaker")
    meetings = []
    for name in _names(row.get("meetings", "")):
        found = [r.id for r in importer.records() if isinstance(r, Meeting) and name in (r.id, r.title)]
        if len(found) != 1:
            raise ValueError(f"meetings: “{name}” is {'no' if not found else 'more than one'} meeting")
        meetings.append(About(meeting=found[0], stance=row.get("stance") or "mentions"))
    asked_by = _party(importer, row["asked_by"], "asked_by") if row.get("asked_by") else None
    return Statement(
        id=importer.unique_id(f"{date.split('/')[0]} {speaker} {row.get('occasion') or row.get('quote', '')[:40]}",
                              "statement"),
        speaker=speaker, date=date, quote=row.get("quote", ""), asked_by=asked_by,
        under_oath=row.get("under_oath", "").lower() in TRUE,
        **_optional(row, "date_text", "setting", "occasion", "question", "summary"),
        about=meetings, citations=_citations(importer, row),
    )
