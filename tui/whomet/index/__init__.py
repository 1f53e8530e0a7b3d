"""Links, backlinks, timelines, roles at a date, contradictions and search over a casefile."""

from ..model.links import Link, links_of
from .activity import Activity, activity_of, read_dates
from .cached import CachedIndex
from .chronology import Chronology, Filters, chronology_of, dates_of
from .fulltext import Found, find_words
from .links import BaseIndex, Contradiction, Index, PartyRow, TimelineRow
from .network import Connection, Hop, chains, connections_of, shortest_path
from .search import Hit, best_fuzzy_score, fuzzy_score, search, searchable_fields

__all__ = [
    "Activity", "BaseIndex", "CachedIndex", "Chronology", "Connection", "Contradiction", "Filters", "Found", "Hit", "Hop",
    "Index", "Link", "PartyRow", "TimelineRow", "activity_of", "best_fuzzy_score", "chains", "chronology_of",
    "connections_of", "dates_of", "find_words", "fuzzy_score", "links_of", "read_dates", "search", "searchable_fields",
    "shortest_path",
]
