"""MerchantCircle (merchantcircle.com): search results, then each business's page.

Documented by the page itself (public HTML, read by open-source citation checkers): results are
`.result` items, each with a `.vcard` holding the name in `h2`, the listing link in
`a.mainLink.url`, the phone in `.phoneWrap a.phone` and the address on one line in
`.directWrap a` ("street, City, ST 12345"); a business page is marked up in schema.org
microdata (LocalBusiness, PostalAddress, telephone) with the website in `#business-website`.
Assumed: the catalog's search URL (q, qn), and that the first page of results holds the
business when its name and city are searched.
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class MerchantcircleSpider(SearchSpider):
    name = "merchantcircle"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css(".result .vcard"):
            place = split_address(squash(" ".join(card.css(".directWrap a ::text").getall())))
            found.append({
                "name": squash(" ".join(card.css("h2 ::text").getall())),
                "url": card.css("a.mainLink.url::attr(href)").get(default=""),
                "phone": squash(card.css(".phoneWrap a.phone::text").get(default="")),
                **{k: place.get(k, "") for k in ("address", "city", "state", "zip")},
                "website": card.css("a.website::attr(href)").get(default=""),
            })  # fmt: skip
        return found
