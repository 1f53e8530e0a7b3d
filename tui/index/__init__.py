"""Links, backlinks, timelines, roles at a date, contradictions and search over a casefile."""

from .links import Contradiction, Index, Link, links_of
from .search import Hit, best_fuzzy_score, fuzzy_score, search, searchable_fields

__all__ = [
    "Contradiction", "Hit", "Index", "Link", "best_fuzzy_score", "fuzzy_score", "links_of", "search",
    "searchable_fields",
]
