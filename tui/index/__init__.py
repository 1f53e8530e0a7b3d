"""Links, backlinks, timelines, roles at a date, contradictions and search over a casefile."""

from .links import Contradiction, Index, Link, links_of
from .search import Hit, fuzzy_score, match_party, search, searchable_fields

__all__ = [
    "Contradiction", "Hit", "Index", "Link", "fuzzy_score", "links_of", "match_party", "search",
    "searchable_fields",
]
