"""ChamberofCommerce.com: search results, then each business's page.

Documented by the page itself (public HTML, read by open-source scrapers): each result is an
`a.card.FeaturedPlacePreview` with a `placeid` attribute, linking to
`/business-directory/<state>/<city>/<category>/<placeid>-<slug>`; a business page is plain HTML
with the name in `h1.fw-bold`, the address parts in `span[selector-type=City|State|Zip]` and the
phone in `a[selector-type=Phone]`.
Assumed: that a result card repeats the page's `selector-type` markup (name in a heading, street
in `span[selector-type=Address]`), the catalog's search URL (what, where), and that the first
page of results holds the business when its name and city are searched.
"""

from __future__ import annotations

from napaudit.auditor.normalize.text import squash
from napaudit.spiders.bases import SearchSpider
from scrapy.http import Response

_PARTS = {"address": "Address", "city": "City", "state": "State", "zip": "Zip"}


class ChamberofcommerceSpider(SearchSpider):
    name = "chamberofcommerce"

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css("a.FeaturedPlacePreview[placeid]"):
            found.append({
                "name": squash(" ".join(card.css("h3 ::text").getall())),
                "url": card.attrib.get("href", ""),
                "phone": squash(card.css("[selector-type=Phone]::text").get(default="")),
                **{k: squash(card.css(f"[selector-type={v}]::text").get(default=""))
                   for k, v in _PARTS.items()},
            })  # fmt: skip
        return found
