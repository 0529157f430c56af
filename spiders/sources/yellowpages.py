"""Yellow Pages (yellowpages.com): search results, then each business's page.

Verified on real pages: the Cloudflare block page ("Sorry, you have been blocked") Yellow Pages
served to scrapers in 2025 and 2026 (../shared/realdata/realweb/yellowpages-blocked/, checked
2026-12-02): `blocked`, the reason naming Cloudflare's wall (spiders/outcome.py).
Documented by public scrapers (read 2026-12-02, not verified on a saved results page): results
are `div.result` cards in `div.search-results.organic`, the name and listing path in
`a.business-name`, the phone in `.phones.phone.primary`, the street in `.street-address`, the
"City, ST 12345" line in `.locality`, the website in `a.track-visit-website` (the "Website"
button; the card's other links, Directions and Menu, are never the website).
Shared with Superpages (the same platform): each reads both variants (`div` or `span`
address parts, `div` or `a` phone, `a.track-visit-website` or `a.weblink-button`).
Assumed: the catalog's search URL, and that the first page holds the business when its name
and city are searched; the business page's schema.org microdata is read by extract().
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class YellowpagesSpider(CardSearchSpider):
    name = "yellowpages"
    cards = "div.search-results.organic div.result"
    fields = {
        "name": "a.business-name",
        "phone": ".phones.phone.primary",
        "address": ".street-address",
        "website": "a.track-visit-website::attr(href), a.weblink-button::attr(href)",
    }
    locality = ".locality"
