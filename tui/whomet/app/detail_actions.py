"""What the keys on the record in detail do: its contradiction, its source's URL, its citation."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from rich.text import Text

from .. import model
from .detail import citation_text, first_url, name_of
from .screens import ChoiceScreen
from .text import one_line, visible

if TYPE_CHECKING:
    from ..index import CachedIndex
    from .browser import BrowserScreen


def jump_to_contradiction(browser: BrowserScreen) -> None:
    """From a statement to the meeting it contradicts, or from a meeting to the statement that
    denies it; a choice when there are several."""
    record = browser.current_record()
    if browser.index is None or record is None:
        return
    if isinstance(record, model.Statement):
        targets = [c.meeting for c in browser.index.contradictions_of(record.id)]
        what = "meeting this statement contradicts"
    elif isinstance(record, model.Meeting):
        targets = [c.statement for c in browser.index.contradictions_of(record.id)]
        what = "statement that denies this meeting"
    else:
        browser.app.notify("Contradictions link statements and meetings: select one first.", timeout=4)
        return
    targets = list(dict.fromkeys(targets))
    if not targets:
        browser.app.notify(f"No {what} is recorded.", timeout=4)
        return
    if len(targets) == 1:
        browser.follow(targets[0])
        return
    choices = [(t, _choice_label(browser.index, t)) for t in targets]
    browser.app.push_screen(ChoiceScreen(f"Jump to the {what}", choices),
                            lambda chosen: browser.follow(chosen) if chosen else None)


def _choice_label(index: CachedIndex, record_id: str) -> Text:
    record = index.get(record_id)
    if isinstance(record, (model.Meeting, model.Statement)):
        label = Text(f"{record.date.display():<16}", style="bold")
        if isinstance(record, model.Statement):
            label.append(name_of(index, record.speaker) + ": “" + one_line(record.quote)[:80] + "”")
        else:
            label.append(one_line(record.title))
        return label
    return Text(record_id)


def open_source_url(browser: BrowserScreen) -> None:
    """Open the first URL among the sources of the record in detail, if it is http or https."""
    record = browser.current_record()
    if browser.index is None or record is None:
        return
    url = first_url(browser.index, record)
    if not url:
        browser.app.notify("No source of this record has a URL.", timeout=4)
        return
    if urlparse(url).scheme.lower() not in ("http", "https"):
        browser.app.notify(f"Not opened: only http and https links are opened ({visible(url)[:80]}).",
                             severity="warning", timeout=6, markup=False)
        return
    browser.app.open_url(url)
    browser.app.notify(f"Opening {visible(url)}", timeout=4, markup=False)


def copy_citation(browser: BrowserScreen) -> None:
    """Copy the citation of the record in detail to the clipboard."""
    record = browser.current_record()
    if browser.index is None or record is None:
        return
    text = citation_text(browser.index, record)
    if text is None:
        browser.app.notify("This record cites no source.", timeout=4)
        return
    browser.app.copy_to_clipboard(text)
    browser.app.notify("Citation copied to the clipboard.", timeout=3)
