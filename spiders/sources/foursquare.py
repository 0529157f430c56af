"""Foursquare, through the Places API on its current host (places-api.foursquare.com).

Documented (docs.foursquare.com/fsq-developers-places: "Migration Guide", "Authentication",
"Place Search"): the old `api.foursquare.com/v3` paths are being retired; the API lives at
`places-api.foursquare.com` without a version in the path, versioned by a date in the
`X-Places-Api-Version` header, and takes a service key as `Authorization: Bearer <key>`.
`GET /places/search?query=...&near=...` answers `{"results": [{"fsq_place_id", "name",
"location": {"address", "locality", "region", "postcode", "country", "formatted_address"},
"categories": [{"name"}], "tel", "website", "date_closed", "placemaker_url", "link"}]}`; a
refused key is HTTP 401.
Verified on real answers (tests/test_sources_api.py, ../shared/realdata/realweb/api/
foursquare_new, recorded before 2026-02-19): a /places/search around Ephrata, PA (fsq_place_id,
location, categories, tel, website, one website ""), and /places/<id> for Foursquare HQ with
`date_closed` 2025-09-02. The older v3 answer (`fsq_id`, Frankfurt, 2022) is read too.
A closed place's `status` is "closed since <date_closed>".
Assumed: the version date below (the one the migration guide introduced); that `fields` brings
`tel`, `website` and `date_closed` on the plan in use (some are Premium fields); that a place's
public page is https://foursquare.com/v/<fsq_place_id> (the API gives none, only the Placemaker
review page).
"""

from __future__ import annotations

from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import ApiSpider, first, joined

ASKED = "fsq_place_id,name,location,categories,tel,website,date_closed"  # the answer's fields


class FoursquareSpider(ApiSpider):
    name = "foursquare"
    key_header = "Authorization"
    key_prefix = "Bearer "
    extra_headers = {"X-Places-Api-Version": "2025-06-17"}

    def params(self, business: Normalized) -> dict[str, str]:
        q = self.query(business)
        near = ", ".join(v for v in (q["city"], q["state"]) if v) or q["zip"]
        return {"query": q["name"], "near": near, "fields": ASKED, "limit": "10"}

    def candidates(self, data: dict) -> list[dict]:
        return [place_values(p) for p in data.get("results", [])]


def place_values(p: dict) -> dict:
    """A Places API place (search result or place details; current or v3) as a candidate."""
    place = p.get("location") or {}
    pid = first(p.get("fsq_place_id"), p.get("fsq_id"))
    closed = first(p.get("date_closed"))
    return {
        "id": pid, "name": first(p.get("name")), "address": first(place.get("address")),
        "city": first(place.get("locality")), "state": first(place.get("region")),
        "zip": first(place.get("postcode")), "country": first(place.get("country")),
        "phone": first(p.get("tel")), "website": first(p.get("website")),
        "url": f"https://foursquare.com/v/{pid}" if pid else "",
        "status": f"closed since {closed}" if closed else "",
        "categories": joined(*(c.get("name") for c in p.get("categories") or [])),
    }  # fmt: skip
