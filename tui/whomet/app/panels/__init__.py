"""The browser's three panels: people, the timeline of one of them, and the source & quote."""

from .people import PeoplePanel
from .source import SourcePanel
from .timeline import TimelinePanel

__all__ = ["PeoplePanel", "SourcePanel", "TimelinePanel"]
