"""Shared spider bases: a source module declares, a base does the work."""

from spiders.bases.listing import ListingSpider, Target

__all__ = ["ListingSpider", "Target"]
