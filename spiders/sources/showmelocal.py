"""ShowMeLocal (showmelocal.com): search results, then each business's page.

Verified on a real page: none (no saved ShowMeLocal page in ../shared/realdata/realweb,
2026-12-02).
Documented by public citation checkers (not verified): results are `div.serachresult` blocks
(the site's own spelling) with the name and listing link in `div.h a` and the address in
`div.address`; a business page is `/<id>-<name>-<city>` with its address in schema.org
microdata.
Assumed: the catalog's search URL (q, l), that `div.address` reads as one "street, City, ST
12345" line, the phone in `div.phone` and the website as `a.website` in a result, and that the
business page's phone cell carries `itemprop="telephone"` (public code reads it from a table).
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class ShowmelocalSpider(CardSearchSpider):
    name = "showmelocal"
    cards = "div.serachresult"
    fields = {
        "name": "div.h a",
        "phone": "div.phone",
        "website": "a.website::attr(href)",
    }
    locality = "div.address"
