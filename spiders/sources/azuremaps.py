"""Azure Maps, through Search POI (atlas.microsoft.com/search/poi/json): Microsoft's map API,
audited as itself.

It used to stand in for Bing Places here; it is not Bing Places. Real answers name where each
POI's details come from in `dataSources.poiDetails` (Foursquare in the recording below), so a
listing here is Azure Maps' copy of another company's data: each one says whose, in its
`provenance` (the catalog has TomTom, whose map Azure Maps search was built on, feeding it).
Bing Places itself is read through Overture (spiders/sources/bing.py).

Documented (learn.microsoft.com, "Search - Get Search POI", "Authentication with Azure Maps"):
`GET /search/poi/json?api-version=1.0&query=...&subscription-key=...` answers `{"summary",
"results": [{"type": "POI", "id", "poi": {"name", "phone", "url", "categories"}, "address":
{"streetNumber", "streetName", "municipality", "countrySubdivision", "postalCode",
"extendedPostalCode", "countryCode", "freeformAddress"}, "dataSources": {"poiDetails": [{"id",
"sourceName"}]}}]}`; a refused key is HTTP 401. The key is the `subscription-key` URL parameter,
added at send time only (spiders.keys).
Verified on a real answer (tests/test_sources_api.py, ../shared/realdata/realweb/api/azure_maps:
the Azure SDK's recording of a "juice bars" search in Seattle, 2022-02-22): the fields above, POIs
without phone or url, `poiDetails` naming Foursquare with an id that is base64 of
"Foursquare:<venue id>", one POI without `dataSources`.
Assumed: that the POI `id` is stable enough to name a listing; no public page is given.
"""

from __future__ import annotations

import base64
import binascii

from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import ApiSpider, first, joined


class AzuremapsSpider(ApiSpider):
    name = "azuremaps"
    key_param = "subscription-key"

    def params(self, business: Normalized) -> dict[str, str]:
        q = self.query(business)
        query = " ".join(v for v in (q["name"], q["city"], q["state"]) if v)
        return {"api-version": "1.0", "query": query, "limit": "10",
                "countrySet": (business.record.country or "US").upper()}  # fmt: skip

    def candidates(self, data: dict) -> list[dict]:
        return [poi_values(r) for r in data.get("results", [])]


def poi_values(r: dict) -> dict:
    """An Azure Maps POI result as a candidate, with whose data it is."""
    poi, place = r.get("poi") or {}, r.get("address") or {}
    street = " ".join(first(place.get(k)) for k in ("streetNumber", "streetName"))
    return {
        "id": first(r.get("id")), "name": first(poi.get("name")), "address": first(street),
        "city": first(place.get("municipality")),
        "state": first(place.get("countrySubdivision")),
        "zip": first(place.get("extendedPostalCode"), place.get("postalCode")),
        "country": first(place.get("countryCode")),
        "phone": first(poi.get("phone")), "website": first(poi.get("url")),
        "categories": joined(*(poi.get("categories") or [])),
        "provenance": provenance((r.get("dataSources") or {}).get("poiDetails") or []),
    }  # fmt: skip


def provenance(details: list[dict]) -> str:
    """'Azure Maps, details from Foursquare (record 4b6a1048f964a52021c52be3)', or what
    Azure Maps says when it names no source."""
    named = []
    for source in details:
        name = first(source.get("sourceName"))
        if not name:
            continue
        record = source_record(first(source.get("id")), name)
        named.append(f"{name} (record {record})" if record else name)
    if not named:
        return "Azure Maps (its answer names no data source)"
    return "Azure Maps, details from " + ", ".join(named)


def source_record(encoded: str, name: str) -> str:
    """The provider's own id in a poiDetails id: base64 of "<sourceName>:<id>"."""
    try:
        text = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""
    prefix = f"{name}:"
    return text[len(prefix) :] if text.startswith(prefix) else ""
