"""Foursquare, through the Places API (places-api.foursquare.com).

Documented (docs.foursquare.com/developer/reference): `GET /places/search?query=...&near=...`
with `Authorization: Bearer <service key>` and `X-Places-Api-Version` answers `{"results":
[{"fsq_place_id", "name", "location": {"address", "locality", "region", "postcode", "country",
"formatted_address"}, "tel", "website"}]}`; a refused key is HTTP 401.
Assumed: the version date below; that `fields` brings `tel` and `website` (premium fields on
some plans); that a place's public page is https://foursquare.com/v/<fsq_place_id> (the API
gives none), and the legacy `fsq_id` where an older answer has it.
"""

from __future__ import annotations

from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import ApiSpider, first

FIELDS = "fsq_place_id,name,location,tel,website"


class FoursquareSpider(ApiSpider):
    name = "foursquare"
    key_header = "Authorization"
    key_prefix = "Bearer "
    extra_headers = {"X-Places-Api-Version": "2025-06-17"}

    def params(self, business: Normalized) -> dict[str, str]:
        q = self.query(business)
        near = ", ".join(v for v in (q["city"], q["state"]) if v) or q["zip"]
        return {"query": q["name"], "near": near, "fields": FIELDS, "limit": "10"}

    def candidates(self, data: dict) -> list[dict]:
        found = []
        for p in data.get("results", []):
            place = p.get("location") or {}
            pid = first(p.get("fsq_place_id"), p.get("fsq_id"))
            found.append({
                "id": pid, "name": first(p.get("name")), "address": first(place.get("address")),
                "city": first(place.get("locality")), "state": first(place.get("region")),
                "zip": first(place.get("postcode")), "country": first(place.get("country")),
                "phone": first(p.get("tel")), "website": first(p.get("website")),
                "url": f"https://foursquare.com/v/{pid}" if pid else "",
            })  # fmt: skip
        return found
