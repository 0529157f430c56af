"""Superpages (superpages.com): search results, then each business's page.

Documented by the page itself (public HTML, read by open-source scrapers): Superpages runs on
the Yellow Pages platform; results are `div.search-results > div.result` with `a.business-name`
(the listing's `/city-st/bpp/...` path, its name in a `span`), `a.phone.primary`,
`span.street-address` and `a.weblink-button` (the business's website).
Assumed: the "City, ST 12345" line in a `.locality` beside the street (as on Yellow Pages),
the catalog's search URL, and that the business's own page is marked up in schema.org (the
sample web uses RDFa Lite).
"""

from __future__ import annotations

from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class SuperpagesSpider(SearchSpider):
    name = "superpages"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("div.search-results div.result"):
            place = split_address(card.css(".locality::text").get(default=""))
            found.append({
                "name": card.css("a.business-name span::text").get(default="").strip(),
                "url": card.css("a.business-name::attr(href)").get(default=""),
                "phone": card.css("a.phone.primary::text").get(default="").strip(),
                "address": card.css("span.street-address::text").get(default="").strip(),
                "city": place.get("city", ""),
                "state": place.get("state", ""),
                "zip": place.get("zip", ""),
                "website": card.css("a.weblink-button::attr(href)").get(default=""),
            })  # fmt: skip
        return found
