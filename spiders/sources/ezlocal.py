"""EZlocal (ezlocal.com): search results, then each business's page.

Verified on a real page: none (no saved EZlocal page in ../shared/realdata/realweb,
2026-12-02).
Documented by public citation checkers (not verified): each result is a `div.businessdetails`
with the name and listing link in `h3 a`, the address in hCard-style spans
(`span.street-address`, `span.locality`, `span.region`, `span.postal-code`) and the phone in
`p.tel`. A business page is plain HTML: `div.biz-info` with `h1.biz-name`, the street and the
"City, ST 12345" line, then "Phone:", "Fax:" and "Hours:" lines.
Assumed: the catalog's search URL parameters (q, l), the website link as `a.website` in the
result, and that the first page of results holds the business when its name and city are
searched.
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class EzlocalSpider(CardSearchSpider):
    name = "ezlocal"
    cards = "div.businessdetails"
    fields = {
        "name": "h3 a",
        "phone": "p.tel",
        "address": "span.street-address",
        "city": "span.locality",
        "state": "span.region",
        "zip": "span.postal-code",
        "website": "a.website::attr(href)",
    }
