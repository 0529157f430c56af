"""MerchantCircle (merchantcircle.com): search results, then each business's page.

Verified on a real page: none (no saved MerchantCircle page in ../shared/realdata/realweb,
2026-12-02).
Documented by public citation checkers (not verified): results are `.result` items, each with a
`.vcard` holding the name in `h2`, the listing link in `a.mainLink.url`, the phone in
`.phoneWrap a.phone` and the address on one line in `.directWrap a` ("street, City, ST
12345"); a business page is marked up in schema.org microdata with the website in
`#business-website`.
Assumed: the catalog's search URL (q, qn), the website as `a.website` in a result, and that
the first page of results holds the business when its name and city are searched.
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class MerchantcircleSpider(CardSearchSpider):
    name = "merchantcircle"
    cards = ".result .vcard"
    link = "a.mainLink.url"
    fields = {
        "name": "h2",
        "phone": ".phoneWrap a.phone",
        "website": "a.website::attr(href)",
    }
    locality = ".directWrap a"
