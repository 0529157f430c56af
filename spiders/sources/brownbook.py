"""Brownbook (brownbook.net): search results, then each business's page.

Documented by the page itself (public HTML, read by open-source Brownbook scrapers): the search
URL is `/search/<country>/<city>/<what>` (the catalog's template), each result links to its
page through `a[aria-label="business-link"]` with a `/business/<id>/<slug>` path, and the site is
a Next.js app whose business record (name, address, city, zipcode, country_code, phone,
website) is the one its own API returns; a business page embeds it in `__NEXT_DATA__`.
Assumed: the result card around that link (an `<article>` with the name in `h2`, the address on
one line in `p.business-address`, a `tel:` link and an `a[aria-label="website-link"]`), and a
`state` field in the record (the API's documented fields have none).
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class BrownbookSpider(SearchSpider):
    name = "brownbook"

    def results(self, response: Response) -> list[dict]:
        found = []
        for link in response.css("a[aria-label='business-link']"):
            card = link.xpath("./ancestor::article[1]")
            place = split_address(squash(" ".join(card.css("p.business-address ::text").getall())))
            found.append({
                "name": squash(" ".join(link.css("h2 ::text").getall())),
                "url": link.attrib.get("href", ""),
                "phone": squash(card.css("a[href^='tel:']::text").get(default="")),
                **{k: place.get(k, "") for k in ("address", "city", "state", "zip")},
                "website": card.css("a[aria-label='website-link']::attr(href)").get(default=""),
            })  # fmt: skip
        return found
