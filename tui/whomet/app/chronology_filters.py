"""The chronology's filter line: what can be typed in it, read into :class:`~whomet.index.Filters`,
and the palette's commands that add each kind of filter to it."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..index import Filters
from ..model import STANCES, DateError, FuzzyDate
from ..model.kinds import MEETING_STATUSES as STATUSES
from ..model.kinds import TYPES_AND_SETTINGS as TYPES

if TYPE_CHECKING:
    from textual.app import SystemCommand

    from .chronology import ChronologyScreen
    from .session import CasefileSession

OATH = {"yes": True, "no": False}

HELP = ("with:ID (again: all; any: any) kind:meeting|statement type:dinner status:alleged oath:yes|no "
        "stance:denies role:ambassador tag:Flynn between:2016-03/2016-09, other words: text")


def words_of(typed: str) -> list[str]:
    """The words of a filter line, quotes keeping a value's spaces (``type:"in person"``)."""
    try:
        return shlex.split(typed)
    except ValueError:  # a quote not closed yet, as it is typed
        return typed.split()


def days_of(typed: str) -> tuple[str, str]:
    """The first and last day (ISO) of a span typed as EDTF after ``between:``; DateError if it is none."""
    span = FuzzyDate.parse(typed)
    return span.lower.isoformat(), span.upper.isoformat()


def parse_filters(typed: str, session: CasefileSession) -> tuple[Filters, list[str]]:
    """The filters a line typed asks for, and what in it could not be read (said to the user)."""
    words = words_of(typed)
    chosen: dict[str, list[str]] = {"with": [], "kind": [], "type": [], "status": [], "stance": [], "role": [],
                                    "tag": []}
    allowed = {"kind": ("meeting", "statement"), "type": TYPES, "status": STATUSES, "stance": STANCES}
    text: list[str] = []
    every = True
    oath: bool | None = None
    first = last = None
    wrong: list[str] = []
    for word in words:
        name, colon, value = word.partition(":")
        value = value.strip()
        if word in ("any", "any:"):
            every = False
        elif not colon or name not in (*chosen, "oath", "between"):
            text.append(word)
        elif not value:
            wrong.append(f"{name}: wants a value")
        elif name == "with":
            if session.index is not None and session.index.kind_of(value) in ("person", "organization"):
                chosen["with"].append(value)
            else:
                close = [found[0] for found in session.suggest(value.replace("-", " "), ("person", "organization"))[:3]]
                wrong.append(f"no person or organization {value!r}"
                             + (f" (did you mean {', '.join(close)}?)" if close else ""))
        elif name in allowed:
            if value.lower() in allowed[name]:
                chosen[name].append(value.lower())
            else:
                wrong.append(f"{name}:{value} is not one of {', '.join(allowed[name])}")
        elif name in ("role", "tag"):
            chosen[name].append(value)
        elif name == "oath":
            if value.lower() in OATH:
                oath = OATH[value.lower()]
            else:
                wrong.append(f"oath:{value}: yes or no")
        else:  # between
            try:
                first, last = days_of(value)
            except DateError as error:
                wrong.append(str(error))
    filters = Filters(tuple(chosen["with"]), every, tuple(chosen["kind"]), tuple(chosen["stance"]), first, last,
                      " ".join(text), tuple(chosen["type"]), tuple(chosen["status"]), oath, tuple(chosen["role"]),
                      tuple(chosen["tag"]))
    return filters, wrong


def filter_commands(screen: ChronologyScreen) -> Iterator[SystemCommand]:
    """The palette's commands on the chronology: each kind of filter, added to the filter line."""
    from textual.app import SystemCommand
    from textual.markup import escape

    def adding(shown: str, title: str, help: str, token: str | None = None) -> SystemCommand:
        """The command that adds ``token`` (shown as ``shown``, escaped where it must be) to the filter line."""
        added = token if token is not None else shown
        return SystemCommand(f"Chronology: {title}", f"{help} · adds {shown}", lambda: screen.add_filter(added))

    def typing(prefix: str, title: str, help: str) -> SystemCommand:
        return SystemCommand(f"Chronology: {title}", help, lambda: screen.type_filter(prefix))

    yield SystemCommand("Chronology: with a person or organization…",
                        "Only records with someone, picked by name · adds with:ID", screen.pick_party)
    yield adding("any", "any of the people, not all", "With several people: records with any of them")
    yield adding("kind:meeting", "meetings only", "Only meetings")
    yield adding("kind:statement", "statements only", "Only statements")
    for type in TYPES:
        yield adding(shlex.quote(f"type:{type}"), f"type {type}",
                     f"Only meetings of type {type} or statements made as {type}")
    for status in STATUSES:
        yield adding(f"status:{status}", f"status {status}", f"Only meetings whose status is {status}")
    yield adding("oath:yes", "under oath", "Only statements made under oath")
    yield adding("oath:no", "not under oath", "Only statements not made under oath")
    for stance in STANCES:
        yield adding(f"stance:{stance}", f"stance {stance}", f"Only statements that {stance.rstrip('s')} a meeting")
    for tag, count in screen.session.chronology().tags():
        # A command's title and help are read as markup: a tag is the casefile's text, shown as typed.
        shown = escape(tag)
        yield adding(escape(shlex.quote(f"tag:{tag}")), f"tag {shown}",
                     f"Only the {count} record{'s' * (count != 1)} tagged {shown}", token=shlex.quote(f"tag:{tag}"))
    yield typing("role:", "role on the day…",
                 "Only records with someone who then held a role so titled, or was there in that capacity")
    yield typing("between:", "between dates…", "Only records certainly within dates typed as EDTF (2016-03/2016-09)")
    yield typing("", "words…", "Only records that hold the words typed")
    yield SystemCommand("Chronology: clear the filters", "Show every meeting and statement", screen.clear_filters)
    yield SystemCommand("Chronology: chart these records", "Meetings per month of the records the filters pass",
                        screen.action_chart)
