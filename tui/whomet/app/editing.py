"""Adding, editing and deleting records from the browser, and the forms a crash kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..model.kinds import FOLDER_OF
from ..store import Opened, SaveError
from .screens import ChoiceScreen, ConfirmScreen, MessageScreen
from .text import one_line, visible

if TYPE_CHECKING:
    from .browser import BrowserScreen
    from .recovery import KeptForm


class RecordEditing:
    """What the browser's add, edit and delete keys do."""

    def __init__(self, browser: BrowserScreen) -> None:
        self.browser = browser
        self.session = browser.session

    @property
    def app(self):  # noqa: ANN201 - the App the browser is on
        return self.browser.app

    def add(self) -> None:
        if self.session.index is None:
            return
        choices = [(kind, Text(f"{kind}", style="bold")) for kind in FOLDER_OF]
        self.app.push_screen(ChoiceScreen("Add a record: which kind?", choices), self._add_kind)

    def _add_kind(self, kind: str | None) -> None:
        from .forms import RecordForm  # the forms load when first opened, not at launch

        if kind:
            self.app.push_screen(RecordForm(self.session, kind), self.saved)

    def saved(self, record_id: str | None) -> None:
        if record_id and self.session.index is not None and record_id in self.session.index:
            self.browser.go_to_record(record_id)
            label = one_line(self.session.label(record_id) or record_id)
            self.app.notify(f"Saved {label}.", timeout=3, markup=False)

    def edit(self) -> None:
        record = self.browser.current_record()
        if record is None:
            self.app.notify("Select a record to edit.", timeout=3)
            return
        from .forms import RecordForm

        try:
            opened = self.session.open_record(record.id)
        except SaveError as error:
            self.app.notify(f"Cannot edit: {error}", severity="error", timeout=8, markup=False)
            return
        self.app.push_screen(RecordForm(self.session, record.kind, opened), self.saved)

    def delete(self) -> None:
        record = self.browser.current_record()
        index = self.session.index
        if index is None or record is None:
            return
        naming = [link for link in index.backlinks(record.id) if link.source != record.id]
        if naming:
            body = Text(f"{visible(record.label)} is named by {len(naming)} other "
                        f"record{'s' * (len(naming) != 1)}; deleting it would leave their links "
                        "pointing nowhere. Remove those links first:\n\n")
            for link in naming:
                source = index.get(link.source)
                body.append(f"• {link.relation}: ", style="dim")
                body.append(f"{visible(source.label if source else link.source)} ({source.kind if source else ''})\n")
            self.app.push_screen(MessageScreen(f"Cannot delete this {record.kind}", body))
            return
        try:
            opened = self.session.open_record(record.id)
        except SaveError as error:
            self.app.notify(f"Cannot delete: {error}", severity="error", timeout=8, markup=False)
            return
        where = opened.path.relative_to(self.session.folder)
        self.app.push_screen(
            ConfirmScreen(f"Delete this {record.kind}?",
                          Text(f"{visible(record.label)}\n\nIts file {where} is removed. Nothing links to it."),
                          "Delete"),
            lambda yes: self._delete(record.id, opened) if yes else None,
        )

    def _delete(self, record_id: str, opened: Opened) -> None:
        failure = self.session.delete(record_id, opened)
        if failure is not None:
            self.app.notify(f"Not deleted: {visible(failure)}", severity="error", timeout=8, markup=False)
            return
        self.app.notify("Deleted.", timeout=3)

    # what a crash kept

    def offer_kept_forms(self) -> None:
        from .recovery import kept_forms

        waiting = kept_forms(self.session.folder)
        if not waiting or self.session.index is None:
            return
        kept = waiting[0]
        label = self.session.label(kept.record_id) or kept.record_id or f"a new {kept.kind}"
        choices = [
            ("open", Text("Open the form again with what was typed")),
            ("later", Text("Keep it for the next launch")),
            ("discard", Text("Discard it")),
        ]
        self.app.push_screen(
            ChoiceScreen(Text(f"whomet stopped on {kept.when} while you edited {one_line(label)}"), choices),
            lambda choice: self._recover(kept, choice),
        )

    def _recover(self, kept: KeptForm, choice: str | None) -> None:
        from ..model import KINDS
        from ..store import opened_from
        from .forms import RecordForm

        if choice == "discard":
            kept.discard()
            self.app.notify("Discarded what was kept.", timeout=3)
        if choice != "open" or kept.kind not in KINDS:
            return
        opened = None
        if kept.opened_path is not None and kept.opened_data is not None:
            try:
                opened = opened_from(kept.opened_path, kept.opened_data, KINDS[kept.kind], kept.record_id)
            except SaveError as error:
                self.app.notify(f"Cannot open it again: {error}", severity="error", timeout=8, markup=False)
                return
        # Shown over the record (or over an empty form): what was typed counts as changed, and
        # what was kept is let go only once the form is saved or discarded.
        form = RecordForm(self.session, kept.kind, opened, typed=kept.values, typed_id=kept.record_id)

        def closed(record_id: str | None) -> None:
            kept.discard()
            self.saved(record_id)

        self.app.push_screen(form, closed)
