"""Cylex (cylex.us.com): search results, then each company's page.

Verified on a real page: none (no saved Cylex page in ../shared/realdata/realweb, 2026-12-02).
Documented by public scrapers of the Cylex network (not verified): results are `li` items of
`ul.lm-results`, each with a `div.lm-result-companyData` holding the name and company link in
`span.block.bold.h4 a` (`/company/<slug>-<id>.html`), one `<address>` block with the street,
the city line and the phone last, and a `ul.lm-features` row of links, one of them the website.
A company page is plain HTML (name in `<h1>`, `<address>`, a `tel:` link, an hours table).
Assumed: the catalog's search URL parameters (q, c, z), that the street and the "City, ST
12345" line are separate lines of the `<address>`, and that the website is the `nofollow` link
in `ul.lm-features`.
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class CylexSpider(CardSearchSpider):
    name = "cylex"
    cards = "ul.lm-results div.lm-result-companyData"
    fields = {
        "name": "span.h4 a",
        "phone": "address",  # its phone line
        "website": "ul.lm-features a[rel~=nofollow]::attr(href)",
    }
    locality = "address"  # its other lines
