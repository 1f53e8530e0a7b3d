"""The people and organizations of the casefile, with their counts of meetings and statements."""

from __future__ import annotations

from functools import partial

from rich.text import Text

from ...index import CachedIndex, PartyRow, best_fuzzy_score
from ..filtered import FilteredList
from ..lists import Row
from ..text import one_line


def party_prompt(party: PartyRow) -> Text:
    prompt = Text(one_line(party.label), no_wrap=True, overflow="ellipsis")
    if party.meetings or party.statements:
        prompt.append(f"  {party.meetings}·{party.statements}", style="dim")
    return prompt


def busiest_party(index: CachedIndex) -> str | None:
    """The person with the most meetings and statements: where a reader would start."""
    parties = index.party_rows()
    people = [p for p in parties if p.kind == "person"] or parties
    if not people:
        return None
    return max(people, key=lambda p: (p.meetings + p.statements, p.id)).id


class PeoplePanel(FilteredList):
    """People, then organizations, each under a heading with its number; filtered fuzzily."""

    def __init__(self) -> None:
        super().__init__(placeholder="/ filter people", matcher=best_fuzzy_score, rank=True, id="people")
        self.border_title = "People"
        self.border_subtitle = "meetings·statements"

    def fill(self, index: CachedIndex, highlight: str | None = None) -> None:
        rows: list[Row] = []
        parties = index.party_rows()
        for kind, heading in (("person", "People"), ("organization", "Organizations")):
            members = [p for p in parties if p.kind == kind]
            if not members:
                continue
            rows.append(Row(None, Text(f"── {heading} ({len(members):,})", style="bold dim")))
            rows.extend(Row(party.id, partial(party_prompt, party), party.names) for party in members)
        self.set_rows(rows, highlight)
