"""Better Business Bureau (bbb.org): search results, then each business's profile.

Verified on a real page: none (no saved BBB page in ../shared/realdata/realweb, 2026-12-02).
Documented by public scrapers (not verified): results are `div.card.result-card` with
`h3.result-business-name a` (the profile link; its text may be cut by highlight spans), a
`tel:` link in `div.result-business-info` and the address on one line in
`p.bds-body.text-size-5.text-gray-70` ("street, City, ST 12345"); a profile page carries
schema.org JSON-LD with a `LocalBusiness` node (in an `@graph`).
Assumed: the catalog's search URL (the site also sends `find_country=USA`), that the results
are in the served HTML (not only rendered by script), and that the first page holds the
business when its name and city are searched.
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class BbbSpider(CardSearchSpider):
    name = "bbb"
    cards = "div.result-card"
    fields = {
        "name": "h3.result-business-name a",
        "phone": "div.result-business-info a[href^='tel:']",
    }
    locality = "div.result-business-info p.text-size-5"
