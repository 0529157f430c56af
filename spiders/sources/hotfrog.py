"""Hotfrog (hotfrog.com): search results, then each company's page.

Verified on a real page: none (no saved Hotfrog page in ../shared/realdata/realweb,
2026-12-02).
Documented by public scrapers (not verified): each result is a `div.row` whose `h3` holds the
company's name and its link under `/company/`, with a `tel:` link for the phone and the address
in a `span`; a company page is marked up in hCard (`vcard`, `fn org`, `adr`, `tel`, `url`).
Assumed: the address in one "street, City, ST 12345" `span.address`, a website link with class
`website`, the catalog's search URL (`/search/{state}/{city}/{name}`), and that the first page
holds the business when its name and city are searched.
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class HotfrogSpider(CardSearchSpider):
    name = "hotfrog"
    cards = "div.row:has(h3 a[href*='/company/'])"
    link = "h3 a[href*='/company/']"
    fields = {
        "name": "h3",
        "phone": "a[href^='tel:']",
        "website": "a.website::attr(href)",
    }
    locality = "span.address"
