"""ShowMeLocal (showmelocal.com): search results, then each business's page.

Documented by the page itself (public HTML, read by open-source citation checkers): results are
`div.serachresult` blocks (the site's own spelling) with the name and listing link in `div.h a`
and the address in `div.address`; a business page is `/<id>-<name>-<city>` and marks its address
up in schema.org microdata (streetAddress, addressLocality, addressRegion, postalCode).
Assumed: the catalog's search URL (q, l), that `div.address` reads as one "street, City, ST
12345" line, the phone in `div.phone` and the website as `a.website` in a result, and that the
business page's phone cell carries `itemprop="telephone"` (public code reads it from a table).
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class ShowmelocalSpider(SearchSpider):
    name = "showmelocal"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("div.serachresult"):
            link = card.css("div.h a")
            place = split_address(squash(" ".join(card.css("div.address ::text").getall())))
            found.append({
                "name": squash(" ".join(link.css("::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": squash(" ".join(card.css("div.phone ::text").getall())),
                **{k: place.get(k, "") for k in ("address", "city", "state", "zip")},
                "website": card.css("a.website::attr(href)").get(default=""),
            })  # fmt: skip
        return found
