"""Modal forms to add and edit records, built from the same model the loader validates with."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..model import KINDS, SLUG_PATTERN, Record
from ..store import ChangedOnDisk, Opened, SaveError, problems_from_validation
from .fields import DateField, Empty, Field
from .keybar import KeyBar
from .keys import bindings
from .reference import ReferencePicked
from .text import visible

if TYPE_CHECKING:
    from .session import CasefileSession

_SLUG = re.compile(SLUG_PATTERN)


class RecordForm(ModalScreen[str | None]):
    """Add or edit one record; nothing is written until it validates, and then through the store."""

    BINDINGS = bindings("form")

    def __init__(self, session: CasefileSession, kind: str, opened: Opened | None = None,
                 prefill: dict[str, Any] | None = None, *, typed: dict[str, Any] | None = None,
                 typed_id: str = "") -> None:
        super().__init__()
        self.session = session
        self.kind = kind
        self.model = KINDS[kind]
        self.opened = opened
        """The record's file as this form read it: what a save checks the file against."""
        self.prefill = prefill or {}
        self.typed = typed
        """What was typed before (a form recovered after a crash), shown over the record."""
        self.typed_id = typed_id
        self._id_touched = opened is not None
        self._last_proposal = ""
        self._pristine: dict[str, Any] | None = None
        self._save_when_settled = False
        self.last_typed: dict[str, Any] | None = None
        """What the form held after the last edit: kept if whomet stops on an error."""

    @property
    def record(self) -> Record | None:
        return self.opened.record if self.opened is not None else None

    def compose(self) -> ComposeResult:
        from .field_factory import FieldFactory

        fields = FieldFactory(self.session).fields(self.model)
        title = f"Edit {self.kind}" if self.record else f"New {self.kind}"
        with Vertical(id="form-dialog", classes="dialog") as dialog:
            dialog.border_title = title
            dialog.border_subtitle = ("ctrl+s saves · ctrl+r reads the file again · esc cancels" if self.record
                                      else "ctrl+s saves · esc cancels")
            with VerticalScroll(id="form-fields"):
                with Vertical(classes="field", id="id-field"):
                    yield Static(Text.assemble(("id", "bold"), ("  the file name; proposed from the name", "dim")),
                                 classes="field-label")
                    yield Input(id="record-id", disabled=self.record is not None,
                                restrict=r"[a-z0-9-]*", select_on_focus=False, compact=True)
                    yield Static("", id="id-reading")
                yield from fields
            yield Static("", id="form-status")
        yield KeyBar()

    @property
    def fields(self) -> list[Field]:
        found = self.query("#form-fields")
        return list(found.first().query_children(Field)) if found else []

    @property
    def settled(self) -> bool:
        """Every field shows its value: what the form holds can be read."""
        return self._pristine is not None

    async def on_mount(self) -> None:
        values = self.record.to_toml_dict() if self.record else dict(self.prefill)
        await self._show(values)
        id_input = self.query_one("#record-id", Input)
        if self.record is not None:
            id_input.value = self.record.id
        self._settle()
        if self.typed is not None:
            await self._show(self.typed)
            if self.record is None and self.typed_id:
                self._id_touched = True
                id_input.value = self.typed_id
            self._say("What you typed before whomet stopped is back; ctrl+s saves it, esc discards it.")
        first = next((w for w in self.query("#form-fields Input, #form-fields TextArea") if w.focusable
                      and w.id != "record-id"), None)
        if first is not None:
            first.focus()
        if self._save_when_settled:
            self.action_save()

    async def _show(self, values: dict[str, Any]) -> None:
        for field in self.fields:
            await field.load(values.get(field.field_name))

    def _settle(self) -> None:
        self._pristine = self.collect()
        self._propose_id()
        self._show_id()

    def collect(self) -> dict[str, Any]:
        values = {field.field_name: field.get_value() for field in self.fields}
        return {key: value for key, value in values.items() if value is not Empty}

    def keep(self, casefile: Path) -> Path | None:
        """Keep what this form holds under the state folder, to be offered back at the next
        launch; where it went."""
        from .recovery import keep_form

        try:
            values = self.collect()
        except Exception:  # the error being handled may be in the form itself
            values = self.last_typed or {}
        if not self.dirty and not self.typed and values == self._pristine:
            return None
        record_id = self.record.id if self.record is not None else self.query_one("#record-id", Input).value
        return keep_form(casefile, self.kind, record_id, values,
                         self.opened.path if self.opened else None, self.opened.data if self.opened else None)

    def _say(self, message: str, style: str = "yellow") -> None:
        for status in self.query("#form-status").results(Static):
            status.update(Text(message, style=style))

    @property
    def record_id(self) -> str:
        return self.query_one("#record-id", Input).value.strip()

    @property
    def dirty(self) -> bool:
        return self._pristine is not None and self.collect() != self._pristine

    def _edited(self) -> dict[str, Any]:
        """The record as the file has it, with only the fields the user changed taken from the form:
        a field shown and read back (aliases split into lines, text stripped) is never rewritten."""
        assert self.record is not None
        data = self.record.to_toml_dict()
        for name, value in self.changed_fields().items():
            if value is Empty:
                data.pop(name, None)
            else:
                data[name] = value
        return data

    def changed_fields(self) -> dict[str, Any]:
        """The fields the user changed since the form read the file, with what they hold now
        (Empty for a field cleared)."""
        now, before = self.collect(), self._pristine or {}
        return {name: now.get(name, Empty) for name in now.keys() | before.keys() if now.get(name) != before.get(name)}

    # the id

    def _proposed_id(self) -> str:
        return self.session.proposed_id(self.kind, self.collect())

    def _propose_id(self) -> None:
        if self._id_touched:
            return
        self._last_proposal = self._proposed_id()
        self.query_one("#record-id", Input).value = self._last_proposal

    def _show_id(self) -> None:
        reading = self.query_one("#id-reading", Static)
        record_id = self.record_id
        if not record_id:
            reading.update(Text("an id is needed: type a name or title", style="dim"))
        elif not _SLUG.fullmatch(record_id):
            reading.update(Text("lower-case letters, digits and single hyphens, not at either end", style="bold red"))
        elif self.record is None and self.session.id_taken(record_id):
            reading.update(Text(f"“{record_id}” is already taken by {visible(self.session.label(record_id) or record_id)}",
                                style="bold red"))
        else:
            reading.update(Text(f"file: {self.model.folder}/{record_id}.toml", style="green"))

    @on(Input.Changed, "#record-id")
    def _id_typed(self) -> None:
        if not self.settled:
            return
        # The id follows the name until the user types an id of their own.
        if self.record is None:
            self._id_touched = bool(self.record_id) and self.record_id != self._last_proposal
        self._show_id()

    @on(Field.Edited)
    def _field_edited(self, event: Field.Edited) -> None:
        # An error shown on save goes once the field is edited; a date reads itself as typed.
        if not self.settled or not event.field.is_attached:
            return
        self.last_typed = self.collect()
        if not isinstance(event.field, DateField):
            event.field.show_error(None)
        self._propose_id()

    # references to records not yet in the casefile

    @on(ReferencePicked)
    def _create_reference(self, event: ReferencePicked) -> None:
        name_key = "name" if event.kind in ("person", "organization") else "title"
        picker = event.picker

        def created(record_id: str | None) -> None:
            if record_id:
                picker.pick(record_id)
            picker.editor.focus()

        self.app.push_screen(RecordForm(self.session, event.kind, prefill={name_key: event.name}), created)

    # saving

    def action_save(self) -> None:
        if not self.settled:
            self._save_when_settled = True  # a quick ctrl+s: saved as soon as the form is whole
            return
        status = self.query_one("#form-status", Static)
        for field in self.fields:
            field.clear_errors()
        data = self.collect() if self.record is None else self._edited()
        record_id = self.record_id
        problems = 0
        try:
            record = self.model.model_validate({**data, "id": record_id})
        except ValidationError as error:
            problems = self._show_validation(error)
            status.update(Text(f"Not saved: {problems} field{'s' * (problems != 1)} to fix, marked in red.",
                               style="bold red"))
            return
        if self.record is None and self.session.id_taken(record_id):
            self._show_id()
            status.update(Text("Not saved: the id is taken; change it.", style="bold red"))
            return
        try:
            failure = self.session.save(record, new=self.record is None, opened=self.opened)
        except ChangedOnDisk as changed:
            self._changed_on_disk(changed, record)
            return
        if failure is not None:
            status.update(Text("Not saved: " + visible(failure), style="bold red"))
            return
        self.dismiss(record.id)

    def _changed_on_disk(self, changed: ChangedOnDisk, mine: Record) -> None:
        if self.opened is not None and not os.path.lexists(self.opened.path):
            self._offer_to_write_back(mine)
            return
        if changed.theirs is None or self.opened is None:
            self._say(f"Not saved: {changed}. This form keeps what you typed: ctrl+r reads the file "
                      "again and keeps your changes over it.", "bold red")
            return
        from .conflict import ConflictScreen

        theirs = changed.theirs
        self.app.push_screen(
            ConflictScreen(self.opened.record, theirs.record, mine, self.session.label),
            lambda merged: self._take_merge(theirs, merged),
        )

    def _offer_to_write_back(self, mine: Record) -> None:
        """The file this form edits was deleted outside: the record may be written back, as a new file."""
        from .screens import ConfirmScreen

        assert self.opened is not None
        where = self.opened.path
        self.app.push_screen(
            ConfirmScreen("This record's file was deleted outside",
                          f"Write {where.name} again, with what this form holds? Whatever else the deleted "
                          "file held (comments, its layout) went with it.", "Write it back"),
            lambda again: self._write_back(mine) if again else self._say(
                "Not saved: the file was deleted outside. ctrl+s offers to write it back.", "bold red"),
        )

    def _write_back(self, mine: Record) -> None:
        if self.session.casefile is not None and self.session.casefile.kind_of(mine.id) is not None:
            self.session.reload()  # the deletion is not taken in yet: the casefile still lists the record
        failure = self.session.save(mine, new=True)
        if failure is not None:
            self._say("Not written back: " + visible(failure), "bold red")
            return
        self.dismiss(mine.id)

    def _take_merge(self, theirs: Opened, merged: dict[str, Any] | None) -> None:
        if merged is None:
            self._say("Not saved: the file changed on disk. ctrl+s shows both versions again.", "bold red")
            return
        self.run_worker(self._rebase(theirs, merged, "Both versions are merged as you chose; ctrl+s saves."))

    async def _rebase(self, theirs: Opened, values: dict[str, Any], said: str) -> None:
        """Take ``theirs`` as the file this form edits, and show ``values`` over it."""
        self._pristine = None
        self.opened = theirs
        await self._show(theirs.record.to_toml_dict())
        self._settle()
        await self._show(values)
        self._say(said)

    def _show_validation(self, error: ValidationError) -> int:
        problems = problems_from_validation(error, self.model, Path(self.model.folder), "")
        by_name = {field.field_name: field for field in self.fields}
        shown = 0
        first: Field | None = None
        for item, problem in zip(error.errors(include_url=False), problems):
            loc = tuple(item["loc"])
            if loc and loc[0] == "id":
                self.query_one("#id-reading", Static).update(Text(problem.message, style="bold red"))
                shown += 1
                continue
            field = by_name.get(str(loc[0])) if loc else None
            if field is None:
                continue
            message = problem.message
            if item["type"] == "missing":
                message = "required"
            field.error_at(loc[1:], message)
            first = first or field
            shown += 1
        if first is not None:
            first.scroll_visible()
        return shown

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        from .screens import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen("Discard what you typed?", "This form has changes that are not saved.", "Discard"),
            lambda discard: self.dismiss(None) if discard else None,
        )

    def file_changed_outside(self) -> None:
        """The form's file changed on disk (or went): said at once, not only when saving."""
        if self.opened is None:
            return
        try:
            now = self.opened.path.read_bytes()
        except OSError:
            self._say("This record's file was deleted outside since the form opened it; the form keeps "
                      "what you typed: ctrl+s offers to write it back, never over whatever takes its place.",
                      "bold red")
            return
        if now != self.opened.data:
            self._say("This record's file changed outside since the form opened it: ctrl+r takes the new "
                      "version in and keeps what you typed; ctrl+s shows both versions, field by field.",
                      "bold yellow")

    def action_reload(self) -> None:
        """Read the file again; the fields the user changed are kept over it, the rest follow it."""
        if not self.settled:
            return
        if self.opened is None:
            self.session.reload()
            self._say("The casefile was read again from disk; this form keeps what you typed.")
            return
        try:
            theirs = self.session.open_record(self.opened.record.id)
        except SaveError as error:
            self._say(f"Not read again: {error}", "bold red")
            return
        changed = self.changed_fields()
        values = {**theirs.record.to_toml_dict(), **changed}
        values = {name: value for name, value in values.items() if value is not Empty}
        kept = ", ".join(sorted(changed)) or "none"
        self.run_worker(self._rebase(theirs, values,
                                     f"Read again from disk; your changes are kept over it ({kept})."))
