"""YellowBot (yellowbot.com): search results, then each business's page.

Verified on a real page: none (no saved YellowBot page in ../shared/realdata/realweb,
2026-12-02).
Documented by public citation checkers (not verified): results are `.resultWrapper` blocks with
the name and listing link in `h3 > a`, the address in `.address` (the ZIP in `.zip` inside it)
and the phone in `.tel`; a business page is `/<name>-<city>-<st>.html`, and the search takes
`q` and `place` ("City, ST").
Assumed: that `.address` reads as one "street, City, ST 12345" line, the website link as
`a.website` in the result, and that a business page carries schema.org JSON-LD (read by
extract()).
"""

from __future__ import annotations

from napaudit.spiders.bases.cards import CardSearchSpider


class YellowbotSpider(CardSearchSpider):
    name = "yellowbot"
    cards = ".resultWrapper"
    fields = {
        "name": "h3 > a",
        "phone": ".tel",
        "website": "a.website::attr(href)",
    }
    locality = ".address"
