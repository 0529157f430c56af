"""Yelp: the Fusion API with a key (YELP_API_KEY), else the public search page.

Documented (docs.developer.yelp.com, and the real answers in tests' realdata): `GET
/v3/businesses/search?term=...&location=...` with `Authorization: Bearer <key>` answers
`{"businesses": [{"id", "alias", "name", "url", "phone", "display_phone", "location":
{"address1", "address2", "address3", "city", "state", "zip_code", "country"}}], "total"}`; the
`url` is the business page on yelp.com; a refused key is HTTP 401 with `{"error": {"code":
"TOKEN_INVALID", ...}}`. Fusion does not give the business's website.
Without a key: the public search page, then each business page (JSON-LD LocalBusiness, read by
extract()). Assumed, not documented: the search page's markup, one card per business
(`[data-testid="serp-ia-card"]`) with the business link `h3 a[href^="/biz/"]`, its address in
`address` and phone in `p[data-font-weight="semibold"]`... and that Yelp may answer a robot with
a challenge page (then the listing is "blocked").
"""

from __future__ import annotations

import scrapy
from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import ApiSpider, first
from napaudit.spiders.bases.search import SearchSpider
from napaudit.spiders.extract.addresses import split_address
from scrapy.http import Response


class YelpSpider(ApiSpider):
    name = "yelp"
    key_header = "Authorization"
    key_prefix = "Bearer "

    def search_request(self, business: Normalized) -> scrapy.Request:
        if not self.api_key:  # the public search page
            return SearchSpider.search_request(self, business)
        return super().search_request(business)

    def params(self, business: Normalized) -> dict[str, str]:
        q = self.query(business)
        where = ", ".join(v for v in (q["city"], q["state"]) if v) or q["zip"]
        return {"term": q["name"], "location": where, "limit": "10"}

    def candidates(self, data: dict) -> list[dict]:
        found = []
        for b in data.get("businesses", []):
            place = b.get("location") or {}
            street = " ".join(first(place.get(k)) for k in ("address1", "address2", "address3"))
            found.append({
                "id": b.get("id", ""), "name": first(b.get("name")), "address": first(street),
                "city": first(place.get("city")), "state": first(place.get("state")),
                "zip": first(place.get("zip_code")), "country": first(place.get("country")),
                "phone": first(b.get("display_phone"), b.get("phone")), "url": first(b.get("url")),
            })  # fmt: skip
        return found

    def results(self, response: Response) -> list[dict]:
        found = []
        for card in response.css('[data-testid="serp-ia-card"]'):
            link = card.css('h3 a[href^="/biz/"], h3 a[href*="/biz/"]')
            place = split_address(" ".join(card.css("address ::text").getall()))
            found.append({
                "name": " ".join(link.css("::text").getall()).strip(),
                "url": response.urljoin(link.attrib.get("href", "")) if link else "",
                "phone": card.css('p[data-font-weight="semibold"]::text').get(default="").strip(),
                **place,
            })  # fmt: skip
        return found
