"""Bing Places, as Microsoft's place data published in Overture Maps Places.

Bing has no API that answers with a business's Bing Places listing (the Bing Maps Locations
API is retired, and Azure Maps, which answered here before, serves TomTom's and Foursquare's
data: spiders/sources/azuremaps.py). Microsoft gives Bing's place data to Overture, which
publishes it with each place's source: a place whose values come from the `Microsoft` dataset is
Bing's data. This spider reads the same Overture files as `overture` and keeps those places; the
mapping, its limits and what is verified on real rows are in spiders/sources/overture.py.

A listing's key is Microsoft's record id; no public page is known for it, so its URL is the
files read with the Overture id. Its provenance: "Overture 2025-02-19.0, from Microsoft (record
562949956747818, updated 2024-12-26)".
"""

from __future__ import annotations

from napaudit.spiders.sources.overture import OvertureSpider


class BingSpider(OvertureSpider):
    name = "bing"
    reads = "overture"
    scope = " (places from Microsoft's data)"
