"""Yellow Pages (yellowpages.com): search results, then each business's page.

Documented by the page itself (public HTML, read in the field by many open-source scrapers):
results are `div.result > div.v-card > div.info` with `a.business-name` (the listing's path),
`div.phones.phone.primary`, `div.street-address` and `div.locality` ("City, ST 12345"); a
business page carries schema.org microdata (LocalBusiness, PostalAddress, telephone).
Assumed: the search URL parameters in the catalog, and that the first page of results holds
the business when its name and city are searched.
"""

from __future__ import annotations

from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class YellowpagesSpider(SearchSpider):
    name = "yellowpages"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("div.search-results.organic div.result div.info"):
            locality = card.css("div.locality::text").get(default="")
            place = split_address(locality) if locality else {}
            found.append({
                "name": card.css("a.business-name span::text").get(default="").strip(),
                "url": card.css("a.business-name::attr(href)").get(default=""),
                "phone": card.css("div.phones.phone.primary::text").get(default="").strip(),
                "address": card.css("div.street-address::text").get(default="").strip(),
                "city": place.get("city", ""),
                "state": place.get("state", ""),
                "zip": place.get("zip", ""),
                "website": card.css("div.links a::attr(href)").get(default=""),
            })  # fmt: skip
        return found
