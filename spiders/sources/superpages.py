"""Superpages (superpages.com): search results, then each business's page.

Verified on a real page: none (no saved Superpages page in ../shared/realdata/realweb,
2026-12-02).
Documented by public scrapers (not verified): Superpages runs on the Yellow Pages platform, so
it is declared once, in yellowpages.py, and reads both variants: results are `div.result` in
`div.search-results.organic` with `a.business-name` (the `/city-st/bpp/...` path, its name in a
`span`), `a.phone.primary`, `span.street-address` and `a.weblink-button` (the website).
Assumed: the "City, ST 12345" line in a `.locality` beside the street (as on Yellow Pages),
the catalog's search URL, and that the business's own page is marked up in schema.org (the
sample web uses RDFa Lite).
"""

from __future__ import annotations

from napaudit.spiders.sources.yellowpages import YellowpagesSpider


class SuperpagesSpider(YellowpagesSpider):
    name = "superpages"
