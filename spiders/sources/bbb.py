"""Better Business Bureau (bbb.org): search results, then each business's profile.

Documented by the page itself (public HTML, read by open-source scrapers): results are
`div.card.result-card` with `h3.result-business-name a` (the profile link; its text may be cut
by highlight spans), a `tel:` link in `div.result-business-info` and the address on one line
in `p.bds-body.text-size-5.text-gray-70` ("street, City, ST 12345"); a profile page carries
schema.org JSON-LD with a `LocalBusiness` node (in an `@graph`).
Assumed: the catalog's search URL (the site also sends `find_country=USA`), that the results
are in the served HTML (not only rendered by script), and that the first page holds the
business when its name and city are searched.
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class BbbSpider(SearchSpider):
    name = "bbb"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("div.result-card"):
            link = card.css("h3.result-business-name a")
            info = card.css("div.result-business-info")
            place = split_address(info.css("p.text-size-5::text").get(default=""))
            found.append({
                "name": squash("".join(link.css("::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": squash(info.css("a[href^='tel:']::text").get(default="")),
                **{k: place.get(k, "") for k in ("address", "city", "state", "zip")},
            })  # fmt: skip
        return found
