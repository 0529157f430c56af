"""Bing Places, through Azure Maps Search POI (atlas.microsoft.com/search/poi/json).

Microsoft's maps answer from Bing Places; the Bing Maps Locations API is retired, Azure Maps is
the documented way in. Documented (learn.microsoft.com, Azure Maps Search - Get Search POI):
`GET /search/poi/json?api-version=1.0&query=...&subscription-key=...` answers `{"summary",
"results": [{"type": "POI", "id", "poi": {"name", "phone", "url"}, "address": {"streetNumber",
"streetName", "municipality", "countrySubdivision", "postalCode", "countryCode",
"freeformAddress"}}]}`; a refused key is HTTP 401. The key is the `subscription-key`
parameter, redacted wherever a URL is kept.
Assumed: that the POI `id` is stable enough to name a listing, and that Azure Maps' POIs are
what Bing shows (both are Microsoft's, fed by Bing Places); no public page is given.
"""

from __future__ import annotations

from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import ApiSpider, first


class BingSpider(ApiSpider):
    name = "bing"
    key_param = "subscription-key"

    def params(self, business: Normalized) -> dict[str, str]:
        q = self.query(business)
        query = " ".join(v for v in (q["name"], q["city"], q["state"]) if v)
        return {"api-version": "1.0", "query": query, "limit": "10",
                "countrySet": (business.record.country or "US").upper()}  # fmt: skip

    def candidates(self, data: dict) -> list[dict]:
        found = []
        for r in data.get("results", []):
            poi, place = r.get("poi") or {}, r.get("address") or {}
            street = " ".join(first(place.get(k)) for k in ("streetNumber", "streetName"))
            found.append({
                "id": first(r.get("id")), "name": first(poi.get("name")), "address": first(street),
                "city": first(place.get("municipality")),
                "state": first(place.get("countrySubdivision")),
                "zip": first(place.get("extendedPostalCode"), place.get("postalCode")),
                "country": first(place.get("countryCode")),
                "phone": first(poi.get("phone")), "website": first(poi.get("url")),
            })  # fmt: skip
        return found
