"""Links, backlinks, timelines, roles at a date, contradictions and search over a casefile."""

from ..model.links import Link, links_of
from .cached import CachedIndex
from .chronology import Filters, chronology_of
from .links import BaseIndex, Contradiction, Index, PartyRow, TimelineRow
from .search import Hit, best_fuzzy_score, fuzzy_score, search, searchable_fields

__all__ = [
    "BaseIndex", "CachedIndex", "Contradiction", "Filters", "Hit", "Index", "Link", "PartyRow",
    "TimelineRow", "best_fuzzy_score", "chronology_of", "fuzzy_score", "links_of",
    "search", "searchable_fields",
]
