"""OpenStreetMap, through Nominatim's search (nominatim.openstreetmap.org/search).

Documented (nominatim.org/release-docs/latest/api/Search): `GET /search?q=...&format=jsonv2&
addressdetails=1&extratags=1` answers a list of places `{"place_id", "osm_type", "osm_id",
"name", "display_name", "address": {"house_number", "road", "city"|"town"|"village",
"state", "ISO3166-2-lvl4", "postcode", "country_code"}, "extratags": {"phone", "website", ...}}`;
`extratags` are the element's OSM tags (`phone`, `contact:phone`, `website`, `contact:website`),
the same keys an Overpass answer carries in `tags`. No key. The usage policy
(operations.osmfoundation.org/policies/nominatim) allows at most one request per second and
asks for an identifying User-Agent: the catalog's `rate = 1` and the crawl's USER_AGENT do that.
Verified on real answers (tests/test_sources_api.py, ../shared/realdata/api: Nominatim answers
and Overpass elements published with geocoder and Overpass client tests; their dates are not
recorded). A place's `categories` is its OSM tag's value ("restaurant").
Assumed: that "name, city, state" finds a shop or amenity by its name; a place's public page is
https://www.openstreetmap.org/<osm_type>/<osm_id>.
"""

from __future__ import annotations

from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import ApiSpider, first


class OpenstreetmapSpider(ApiSpider):
    name = "openstreetmap"

    def params(self, business: Normalized) -> dict[str, str]:
        q = self.query(business)
        text = ", ".join(v for v in (q["name"], q["city"], q["state"]) if v)
        return {"q": text, "format": "jsonv2", "addressdetails": "1", "extratags": "1",
                "limit": "10"}  # fmt: skip

    def candidates(self, data: list) -> list[dict]:
        return [place_values(p) for p in data]


def place_values(place: dict) -> dict:
    """A Nominatim place as a candidate."""
    a, tags = place.get("address") or {}, place.get("extratags") or {}
    kind = place.get("category") or place.get("class") or ""
    name = first(place.get("name"), a.get(place.get("type", "")), a.get(kind))
    iso = first(a.get("ISO3166-2-lvl4"))
    osm = f"{place.get('osm_type', '')}/{place.get('osm_id', '')}"
    values = {
        "id": osm if place.get("osm_id") else str(place.get("place_id", "")),
        "name": name,
        "address": " ".join(v for v in (first(a.get("house_number")), first(a.get("road"))) if v),
        "city": first(a.get("city"), a.get("town"), a.get("village"), a.get("hamlet")),
        "state": iso.split("-", 1)[1] if "-" in iso else first(a.get("state")),
        "zip": first(a.get("postcode")),
        "country": first(a.get("country_code")).upper(),
        "url": f"https://www.openstreetmap.org/{osm}" if place.get("osm_id") else "",
        "categories": first(place.get("type")),  # the OSM tag's value: "restaurant"
    }
    tagged = tag_values(tags)  # the element's own addr:* tags fill what the address lacks
    return {**tagged, **{k: v for k, v in values.items() if v}}


def tag_values(tags: dict) -> dict:
    """OSM tags (Nominatim's extratags, Overpass's tags) -> the candidate's fields."""
    street = " ".join(v for v in (first(tags.get("addr:housenumber")),
                                  first(tags.get("addr:street"))) if v)  # fmt: skip
    return {
        "name": first(tags.get("name")),
        "address": street,
        "city": first(tags.get("addr:city")),
        "state": first(tags.get("addr:state")),
        "zip": first(tags.get("addr:postcode")),
        "phone": first(tags.get("phone"), tags.get("contact:phone")).split(";")[0].strip(),
        "website": first(tags.get("website"), tags.get("contact:website")),
    }
