"""Whom a person or organization met, and how two of them are connected, as screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input

from ..index import chains, connections_of
from .keybar import KeyBar
from .keys import bindings
from .lists import RecordList, Row
from .text import one_line

if TYPE_CHECKING:
    from ..index import Connection, Hop
    from .session import CasefileSession


def connection_prompt(connection: Connection, party_label: str) -> Text:
    """``6× Sergey Kislyak  Apr 2016 → Sep 2016  · Sergey Kislyak: ambassador · Jeff Sessions: senator``"""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append(f"{len(connection.meetings):>3}× ", style="bold")
    prompt.append(one_line(connection.label))
    prompt.append(f"  {connection.span}", style="dim")
    for label, capacities in ((connection.label, connection.their_capacities), (party_label, connection.capacities)):
        if capacities:
            prompt.append(f"  · {one_line(label)}: {one_line('; '.join(capacities))}", style="dim")
    return prompt


class ListDialog(ModalScreen[str | None]):
    """A dialog over a list whose row, chosen, is what the dialog gives back."""

    BINDINGS = bindings("connections")

    def on_mount(self) -> None:
        self.first_focus().focus()

    def first_focus(self) -> Widget:
        return self.query_one(RecordList)

    def on_record_list_selected(self, event: RecordList.Selected) -> None:
        event.stop()
        self.dismiss(self.chosen(event.record_id))

    def chosen(self, record_id: str) -> str:
        return record_id

    def action_close(self) -> None:
        self.dismiss(None)


class ConnectionsScreen(ListDialog):
    """Everyone ``party`` shared a meeting with, most meetings first; enter shows those meetings
    in the chronology (the screen gives back the filter line for it)."""

    def __init__(self, session: CasefileSession, party: str) -> None:
        super().__init__()
        self.session = session
        self.party = party

    def compose(self) -> ComposeResult:
        with Vertical(id="connections-dialog", classes="dialog") as dialog:
            dialog.border_subtitle = "shared meetings, as what each was there · enter: those meetings · esc closes"
            yield RecordList(id="connections-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill()
        super().on_mount()

    def _fill(self) -> None:
        """List whom the party met, as the casefile is now, the cursor kept on the row it was on."""
        assert self.session.casefile is not None
        found = connections_of(self.session.casefile.db, self.party)
        label = self.session.label(self.party) or self.party
        whom = f"{len(found)} {'person or organization' if len(found) == 1 else 'people and organizations'}"
        self.query_one("#connections-dialog").border_title = Text(f"Met by {one_line(label)}: {whom}")
        records = self.query_one(RecordList)
        at = records.highlighted_id
        records.set_rows([Row(c.other, connection_prompt(c, label), (c.label,)) for c in found])
        if at is not None:
            records.highlight_id(at)

    def casefile_changed(self) -> None:
        """The casefile was read again (changed outside): the list follows."""
        if self.session.casefile is not None:
            self._fill()

    def chosen(self, record_id: str) -> str:
        return f"with:{self.party} with:{record_id} kind:meeting"


def hop_rows(session: CasefileSession, hops: list[Hop]) -> list[Row]:
    """A party, then the meeting that leads to the next, and so on: each a row to open."""
    index = session.index
    assert index is not None
    rows = [Row(hops[0].source, Text(one_line(index.label_of(hops[0].source) or hops[0].source), style="bold"))]
    for hop in hops:
        brief = index.brief(hop.meeting)
        meeting = Text("  ↳ ")
        meeting.append(brief.when if brief else "", style="bold")
        meeting.append("  " + one_line(index.label_of(hop.meeting) or hop.meeting))
        rows.append(Row(hop.meeting, meeting))
        rows.append(Row(hop.target, Text(one_line(index.label_of(hop.target) or hop.target), style="bold")))
    return rows


class PathScreen(ListDialog):
    """The shortest chain of shared meetings between two parties, and on ``n`` the next shortest
    through other people; enter opens a party or meeting."""

    BINDINGS = [*ListDialog.BINDINGS, *bindings("path")]

    def __init__(self, session: CasefileSession, start: str, end: str) -> None:
        super().__init__()
        self.session = session
        self.start, self.end = start, end
        assert session.casefile is not None
        self._chains = chains(session.casefile.db, start, end)
        self.found: list[list[Hop]] = []
        """The chains found so far, shortest first."""
        self.shown = 0
        self.every_chain_found = False

    def compose(self) -> ComposeResult:
        names = [one_line(self.session.label(p) or p) for p in (self.start, self.end)]
        with Vertical(id="connections-dialog", classes="dialog") as dialog:
            dialog.border_title = Text(f"From {names[0]} to {names[1]}")
            yield RecordList(id="connections-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.action_chain(1)
        super().on_mount()

    def casefile_changed(self) -> None:
        """The casefile was read again (changed outside): the chains are found again, the one
        shown kept by its number when there are still as many."""
        if self.session.casefile is None:
            return
        shown = self.shown
        self._chains = chains(self.session.casefile.db, self.start, self.end)
        self.found, self.shown, self.every_chain_found = [], 0, False
        while len(self.found) < max(shown, 1) and not self.every_chain_found:
            chain = next(self._chains, None)
            if chain is None:
                self.every_chain_found = True
            else:
                self.found.append(chain)
        self.shown = min(max(shown, 1), len(self.found))
        self._show()

    def action_chain(self, step: int) -> None:
        """Show the next chain (``step`` 1), found now if not yet, or the one before (-1)."""
        wanted = self.shown + step
        if wanted > len(self.found) and not self.every_chain_found:
            chain = next(self._chains, None)
            if chain is None:
                self.every_chain_found = True
            else:
                self.found.append(chain)
        if not 1 <= wanted <= len(self.found):
            if self.found:
                self.app.notify("No other chain links them." if step > 0 else "This is the shortest chain.",
                                timeout=3)
                return
        else:
            self.shown = wanted
        self._show()

    def _show(self) -> None:
        dialog = self.query_one("#connections-dialog")
        records = self.query_one(RecordList)
        if not self.found:
            dialog.border_subtitle = "esc closes"
            records.set_rows([Row(None, Text("No chain of shared meetings links them.", style="dim"))])
            return
        hops = self.found[self.shown - 1]
        which = "the shortest chain" if self.shown == 1 else f"chain {self.shown}"
        more = "" if self.every_chain_found and self.shown == len(self.found) else " · n next"
        back = " · N back" if self.shown > 1 else ""
        dialog.border_subtitle = (f"{which}: {len(hops)} meeting{'s' * (len(hops) != 1)} apart{more}{back}"
                                  " · enter opens · esc closes")
        records.set_rows(hop_rows(self.session, hops))


class PartyPicker(ListDialog):
    """Pick a person or organization by typing part of a name."""

    def __init__(self, session: CasefileSession, title: str) -> None:
        super().__init__()
        self.session = session
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="connections-dialog", classes="dialog") as dialog:
            dialog.border_title = Text(self.title_text)
            dialog.border_subtitle = "type part of a name · ↓ then enter picks · esc closes"
            yield Input(placeholder="a person or organization", id="picker-name", compact=True)
            yield RecordList(id="connections-list")
        yield KeyBar()

    def on_input_changed(self, event) -> None:  # noqa: ANN001 - the name typed changed
        found = self.session.suggest(event.value.strip(), ("person", "organization")) if event.value.strip() else []
        rows = [Row(record_id, Text(one_line(label)).append(f"  {kind} · {record_id}", style="dim"))
                for record_id, kind, label in found[:50]]
        self.query_one(RecordList).set_rows(rows)

    def on_input_submitted(self, event) -> None:  # noqa: ANN001 - enter in the name: the first found
        event.stop()
        records = self.query_one(RecordList)
        if records.rows:
            self.dismiss(records.rows[0].record_id)

    def first_focus(self) -> Widget:
        return self.query_one(Input)
