"""Where a field is in a record's file: the key a link of the detail panel is written under, the
line (from 1) at which a value starts in the TOML text, and the field the reader is on."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Record
    from .browser import BrowserScreen


RELATION_KEYS: dict[str, str] = {
    "participant": "who", "speaker": "speaker", "asked by": "asked_by", "source": "source",
    "original": "original", "part of": "parent", "role": "organization",
    **{stance: "meeting" for stance in ("denies", "confirms", "amends", "mentions")},
}
"""The key a link of the detail panel is written under in the record's own file, by its relation
(see ``detail.describe``); links not listed (what names the record, the statements about a
meeting) are not in its file."""


def link_field(record: Record, links: Sequence[Any], number: int) -> tuple[str | int, ...] | None:
    """Where, in ``record``'s file, the ``number``-th link of its detail is written, such as
    ``("participants", 2, "who")``; None when that link is not written there."""
    if not 0 <= number < len(links):
        return None
    link = links[number]
    key = RELATION_KEYS.get(link.relation)
    if key is None:
        return None
    same = sum(1 for other in links[:number] if (other.relation, other.target) == (link.relation, link.target))
    paths = [path for path, target, _kinds in record.references()
             if target == link.target and path.rsplit(".", 1)[-1] == key]
    if not paths:
        return None
    path = paths[same] if same < len(paths) else paths[0]
    return tuple(int(part) if part.isdigit() else part for part in path.split("."))


def field_line(text: str, loc: Sequence[str | int]) -> int | None:
    """The line (from 1) at which the value at ``loc`` starts in the TOML ``text``, wherever and
    however it is written: a key at the top, in an ``[[array]]`` entry, in an inline table. None
    when the text does not read or holds no such value.

    The value is replaced by a mark in the text as tomlkit keeps it (every other byte as it was),
    and the mark's line is the value's."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    if not loc:
        return None
    mark = f"whomet-line-{uuid.uuid4().hex}"
    try:
        document: Any = tomlkit.parse(text)
        holder = document
        for part in loc[:-1]:
            holder = holder[part]
        if loc[-1] not in (range(len(holder)) if isinstance(loc[-1], int) else holder):
            return None
        holder[loc[-1]] = mark
        marked = tomlkit.dumps(document)
    except (TOMLKitError, KeyError, IndexError, TypeError, ValueError, RecursionError):
        return None
    at = marked.find(mark)
    return marked.count("\n", 0, at) + 1 if at >= 0 else None


def focused_field(browser: BrowserScreen, record: Record) -> tuple[str | int, ...] | None:
    """The field of ``record`` the reader is on: the link highlighted in the detail's links,
    when the focus is there."""
    if browser.focused_panel() != "links":
        return None
    source = browser.source
    if source.drawn is None or source.drawn[0] != record.id:
        return None
    number = source.link_list.highlighted
    return link_field(record, source.links, number) if number is not None else None
