"""Brownbook (brownbook.net): search results, then each business's page.

Verified on a real page: none (no saved Brownbook page in ../shared/realdata/realweb,
2026-12-02).
Documented by public Brownbook scrapers (not verified): the search URL is
`/search/<country>/<city>/<what>` (the catalog's template), each result links to its page
through `a[aria-label="business-link"]` with a `/business/<id>/<slug>` path, and a business
page, a Next.js app, embeds its record (name, address, city, zipcode, country_code, phone,
website) in `__NEXT_DATA__`.
Assumed: the result card around that link (an `<article>` with the name in `h2`, the address
on one line in `p.business-address`, a `tel:` link and an `a[aria-label="website-link"]`), and
a `state` field in the record (the API's documented fields have none).
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class BrownbookSpider(CardSearchSpider):
    name = "brownbook"
    cards = "article:has(a[aria-label='business-link'])"
    link = "a[aria-label='business-link']"
    fields = {
        "name": "a[aria-label='business-link'] h2",
        "phone": "a[href^='tel:']",
        "website": "a[aria-label='website-link']::attr(href)",
    }
    locality = "p.business-address"
