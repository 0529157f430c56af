"""Yelp: the Fusion API with a key (YELP_API_KEY), else the public search page.

Documented (docs.developer.yelp.com, and the real answers in tests' realdata): `GET
/v3/businesses/search?term=...&location=...` with `Authorization: Bearer <key>` answers
`{"businesses": [{"id", "alias", "name", "url", "phone", "display_phone", "location":
{"address1", "address2", "address3", "city", "state", "zip_code", "country"}}], "total"}`; the
`url` is the business page on yelp.com; a refused key is HTTP 401 with `{"error": {"code":
"TOKEN_INVALID", ...}}`. Fusion does not give the business's website.
Without a key: the public search page, then each business page. Verified on real pages
(../shared/realdata/realweb/yelp/, checked 2026-12-02):
- the 2025 search page (browser-rendered, "roofers" near Pittsburg, CA): every card, organic or
  sponsored, is `[data-traffic-crawl-id="OrganicBusinessResult"]`, its name and link in
  `[data-traffic-crawl-id="SearchResultBizName"] a`; an organic card links `/biz/<alias>?osq=...`,
  a sponsored one `/adredir?...&redirect_url=https://www.yelp.com/biz/<alias>...` (that link is
  what marks an ad); a card shows no phone, a street in `<address>` only on some cards, no city
  ("Serving Antioch and the Surrounding Area", a neighbourhood). So cards are scored on what
  they show and the thin ones confirmed on their page (spiders/bases/cards.py); an ad is
  followed only when it is the business, to its `/biz/` page.
- the 2016 business pages: the business's website only as a `/biz_redir?url=<website>` link,
  read here (extract() reads name, address, phone and hours from the page's microdata).
Assumed: that today's business pages still carry the `/biz_redir` link and say "Yelpers report
this location has closed" on a closed business (public scrapers read both); that Yelp may
answer a robot with a challenge page (then the listing is "blocked"); the search URL's
parameters (catalog).
"""

from __future__ import annotations

import scrapy
from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import ApiSpider, first
from napaudit.spiders.bases.cards import CardSearchSpider
from napaudit.spiders.bases.search import SearchSpider

_NAME = "[data-traffic-crawl-id='SearchResultBizName'] a"


class YelpSpider(ApiSpider, CardSearchSpider):
    name = "yelp"
    key_header = "Authorization"
    key_prefix = "Bearer "
    # the public site, without a key
    cards = "[data-traffic-crawl-id='OrganicBusinessResult']"
    fields = {"name": _NAME, "address": "address"}
    sponsored = f"{_NAME}[href*='/adredir']"
    listing_query = False  # ?osq=... only says which search led there
    page_fields = {
        "website": "a[href*='/biz_redir']::attr(href)",
        "status": "//*[not(self::script)][contains(text(), 'report this location has closed')]",
    }

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
