"""The commented template of a new record's file, made from the model so that it has every field
there is: the required ones to fill in, the optional ones commented out, each with what to write,
and a free id for it to be made under."""

from __future__ import annotations

import textwrap
import typing
from typing import TYPE_CHECKING, Any, Literal

from ..model.annotations import unwrap
from ..model.kinds import FOLDER_OF

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

    from .session import CasefileSession


HINTS: dict[str, str] = {
    "person.name": "the name the person is best known by",
    "organization.name": "the organization's name",
    "aliases": 'other names, such as ["Jefferson Beauregard Sessions III"]',
    "organization.aliases": 'other names, such as ["FBI"]',
    "source.summary": "what the source says, in a few sentences",
    "summary": "who or what this is, in a few sentences",
    "meeting.summary": "what the sources say happened",
    "statement.summary": "the context of the words",
    "nationality": 'such as "American"',
    "roles": "each position the person held",
    "role.title": "the position",
    "role.organization": "the id of the organization",
    "role.start": "a date, as above",
    "role.end": "a date, as above",
    "role.sources": 'the ids of the sources that give it, such as ["atlantic-why-did-sessions-meet-kislyak"]',
    "organization.type": "what kind of organization",
    "country": 'such as "United States"',
    "parent": "the id of the organization it belongs to",
    "meeting.title": "what happened, in one line",
    "date": "when, as a date (see above)",
    "date_text": 'the source\'s own words for the date, such as "in September"',
    "place": "where",
    "meeting.type": '"event" for something that happened but was not a meeting, "series" for several',
    "status": "how sure the sources are that it happened",
    "participants": "each person or organization taking part",
    "participant.who": "the id of a person or organization",
    "participant.capacity": 'the capacity claimed or reported, such as "as senator"',
    "citations": "each source this comes from, with its words that support it (a meeting or statement "
                 "that cites none is reported)",
    "citation.source": "the id of the source",
    "citation.excerpt": "the source's words that support it, verbatim",
    "citation.original": "the id of the earlier report the source relays, if it does",
    "speaker": "the id of the person or organization who said it",
    "setting": "where it was said",
    "occasion": 'such as "Senate confirmation hearing"',
    "under_oath": "true or false",
    "quote": 'the words, verbatim; several lines go between """ and """',
    "question": "the question it answered, if any",
    "asked_by": "the id of the person or organization who asked",
    "about": "each meeting the statement speaks of",
    "about.meeting": "the id of the meeting",
    "about.stance": "what the statement says of it",
    "source.title": "the title, as published",
    "publisher": 'such as "The Atlantic"',
    "authors": 'such as ["Julia Ioffe"]',
    "published": "when it was published, as a date (see above)",
    "url": "the address it was read at (o opens it)",
    "source.type": "what kind of source",
}
"""What to write in each field, by ``kind.field`` or ``field``; the allowed choices, what is
required and the defaults come from the model itself."""

ENTRY_NAMES = {"roles": "role", "participants": "participant", "citations": "citation", "about": "about"}

def _entry_model(annotation: Any) -> type[BaseModel] | None:
    """The model of the entries of a list of tables (``list[Participant]``), else None."""
    from pydantic import BaseModel

    annotation, _ = unwrap(annotation)
    if typing.get_origin(annotation) is not list:
        return None
    (inner,) = typing.get_args(annotation)
    inner, _ = unwrap(inner)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _placeholder(annotation: Any, default: Any, required: bool) -> str:
    """The value a field is written with in the template: its default, or empty."""
    import json

    annotation, _ = unwrap(annotation)
    if annotation is bool:
        return "true" if default is True else "false"
    if typing.get_origin(annotation) is list:
        return "[]"
    if not required and isinstance(default, str):
        return json.dumps(default, ensure_ascii=False)
    return '""'


def _what(scope: str, name: str, annotation: Any, required: bool, default: Any) -> str:
    from ..model import FuzzyDate
    from ..model.records import REFERENCE_KINDS

    parts = ["required" if required else "optional"]
    hint = HINTS.get(f"{scope}.{name}") or HINTS.get(name)
    bare, _ = unwrap(annotation)
    if hint:
        parts.append(hint)
    elif bare is FuzzyDate:
        parts.append("a date, as above")
    elif name in REFERENCE_KINDS:
        parts.append(f"the id of a {' or '.join(REFERENCE_KINDS[name])}")
    if typing.get_origin(bare) is Literal:
        choices = ", ".join(str(choice) for choice in typing.get_args(bare))
        parts.append(f"one of: {choices}" + (f" ({default} when left out)" if isinstance(default, str) else ""))
    return " · ".join(parts)


def _comment(text: str, width: int = 98) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent="# ", subsequent_indent="#   ",
                         break_long_words=False, break_on_hyphens=False)


def _default(info: FieldInfo) -> Any:
    """A field's default as a record gets it (a list field's, a new empty list)."""
    return info.get_default(call_default_factory=True)


def _entry_lines(scope: str, name: str, entry: type[BaseModel]) -> list[str]:
    """A commented-out ``[[name]]`` entry with each of its keys, what to write after each."""
    lines = [f"# [[{name}]]"]
    fields = [(key, info) for key, info in entry.model_fields.items() if key != "id"]
    written = [f"{key} = {_placeholder(info.annotation, _default(info), info.is_required())}" for key, info in fields]
    column = max(len(text) for text in written) + 2
    for text, (key, info) in zip(written, fields):
        what = _what(scope, key, info.annotation, info.is_required(), _default(info))
        lines.append(f"# {text.ljust(column)}# {what}")
    return lines


def template(kind: str, record_id: str) -> str:
    """The text of a new ``kind`` record's file: every field of the kind's model, the required
    ones written with an empty value (the file is no record until they are filled in), the
    optional ones commented out, each with what to write; lists of tables as commented-out
    entries, last (a table's header takes every key after it)."""
    from ..model import KINDS

    model = KINDS[kind]
    relative = f"{FOLDER_OF[kind]}/{record_id}.toml"
    lines = [
        *_comment(f"A new {kind}: this file, {relative}, is the record with the id \"{record_id}\" (the "
                  "file's name). Left as it is, it is removed again when the editor closes."),
        *_comment("Fill in the required fields; to use an optional one, remove the \"# \" before it. Once "
                  f"the record reads, whomet renames the file from its {_named_from(kind)}, as the form "
                  "proposes ids."),
        "#",
        *_comment('Text goes between double quotes; several lines between """ and """.'),
        *_comment('Dates are EDTF text: "2016", "2016-09", "2016-09-08"; an interval "2016-04-16/2016-04-30"; '
                  'approximate "2016-04~", uncertain "2016-04-27?", both "2016-04%".'),
        *_comment('Ids are lower-case letters, digits and single hyphens: another record is named by its '
                  'file\'s name without .toml, such as "jeff-sessions". Every field: docs/CASEFILE.md.'),
    ]
    entries: list[str] = []
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        entry = _entry_model(info.annotation)
        if entry is not None:
            noun = ENTRY_NAMES.get(name, name)
            entries += ["", *_comment(f"optional · {HINTS.get(name, name)}. One [[{name}]] entry for each: "
                                      "remove the \"# \" before its lines; copy them for another")]
            entries += _entry_lines(noun, name, entry)
            continue
        required = info.is_required()
        default = _default(info)
        line = f"{name} = {_placeholder(info.annotation, default, required)}"
        lines += ["", *_comment(_what(kind, name, info.annotation, required, default)),
                  line if required else f"# {line}"]
    return "\n".join([*lines, *entries, ""])


def _named_from(kind: str) -> str:
    return {"person": "name", "organization": "name", "source": "title", "meeting": "date and title",
            "statement": "date, speaker and words"}[kind]


def free_id(session: CasefileSession, kind: str) -> str:
    """``new-KIND``, or ``new-KIND-2``, ``-3``…: the first that no record or file has."""
    candidate, number = f"new-{kind}", 2
    while session.id_taken(candidate):
        candidate = f"new-{kind}-{number}"
        number += 1
    return candidate
