"""Citysearch (citysearch.com): search results, then each business's profile page.

Verified on a real page: none (no saved Citysearch page in ../shared/realdata/realweb,
2026-12-02).
Documented by links and API answers kept in public code (not verified): a business's page is
`/profile/<id>/<city>_<st>/<slug>.html`, and the search takes `what` and `where`.
Assumed: the results markup, which no public source documents: each result an hCard
(`li.searchResult.vcard`) with the name and profile link in `a.fn.url`, the address in `.adr`
(`.street-address`, `.locality`, `.region`, `.postal-code`), the phone in `.tel` and the website
as `a.website`; and that a profile page is an hCard too (read by extract()).
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class CitysearchSpider(CardSearchSpider):
    name = "citysearch"
    cards = "li.searchResult.vcard"
    fields = {
        "name": "a.fn.url",
        "phone": ".tel",
        "address": ".adr .street-address",
        "city": ".adr .locality",
        "state": ".adr .region",
        "zip": ".adr .postal-code",
        "website": "a.website::attr(href)",
    }
