"""Shared spider bases: a source module declares, a base does the work."""

from napaudit.spiders.bases.listing import ListingSpider, Target
from napaudit.spiders.bases.search import SearchSpider

__all__ = ["ListingSpider", "SearchSpider", "Target"]
