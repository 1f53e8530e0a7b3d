"""The casefile in other tools' formats: FollowTheMoney, TimelineJS, Markdown. No user interface."""

from .ftm import ExportError, ftm_dates, to_ftm
from .markdown import to_markdown
from .timelinejs import to_timelinejs

FORMATS = ("ftm", "timelinejs", "markdown")

__all__ = ["FORMATS", "ExportError", "ftm_dates", "to_ftm", "to_markdown", "to_timelinejs"]
