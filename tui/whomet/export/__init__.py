"""The casefile in other tools' formats: FollowTheMoney, TimelineJS, Markdown. No user interface."""

import json

from ..index import Index
from .ftm import ExportError, ftm_dates, to_ftm
from .markdown import to_markdown
from .timelinejs import to_timelinejs

FORMATS = ("ftm", "timelinejs", "markdown")


def render(index: Index, format: str, title: str, *, person: str | None = None, group_by: str = "kind") -> str:
    """The casefile (or one person's part of it) as the text of an export file."""
    if format == "ftm":
        return "".join(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n" for entity in to_ftm(index))
    if format == "timelinejs":
        document = to_timelinejs(index, title, person=person, group_by=group_by)  # type: ignore[arg-type]
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if format == "markdown":
        return to_markdown(index, title, person=person, by_tag=group_by == "tag")
    raise ExportError(f"there is no export format {format!r}; the formats are {', '.join(FORMATS)}")

__all__ = ["FORMATS", "ExportError", "render", "ftm_dates", "to_ftm", "to_markdown", "to_timelinejs"]
