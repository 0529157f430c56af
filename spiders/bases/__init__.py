"""Shared spider bases: a source module declares, a base does the work."""

from spiders.bases.listing import ListingSpider, Target
from spiders.bases.search import SearchSpider

__all__ = ["ListingSpider", "SearchSpider", "Target"]
