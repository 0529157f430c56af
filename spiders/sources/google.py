"""Google Business Profile, through the Places API (legacy): Text Search, then Place Details.

Documented (developers.google.com/maps/documentation/places/web-service, and the real answers in
tests' realdata): Text Search `GET .../place/textsearch/json?query=...&key=...` answers
`{"status", "results": [{"place_id", "name", "formatted_address", ...}]}`; Place Details
`GET .../place/details/json?place_id=...&fields=...&key=...` answers `{"status", "result":
{"name", "address_components": [{"long_name", "short_name", "types"}], "formatted_address",
"formatted_phone_number", "international_phone_number", "website", "url"}}` (`url` is the
place's page on Google Maps). A refused key is HTTP 200 with `"status": "REQUEST_DENIED"`, a
spent quota `"OVER_QUERY_LIMIT"`. The key can only be a URL parameter; it is redacted.
Assumed: that "name city state" finds the place, and that the details of the accepted places
(at most `follow_at_most`) are worth their cost (Details is billed per request).
"""

from __future__ import annotations

import scrapy
from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import KEY_REJECTED, ApiSpider, first
from napaudit.spiders.extract.addresses import split_address
from napaudit.spiders.outcome import BLOCKED, ERROR

DETAILS = "https://maps.googleapis.com/maps/api/place/details/json"
DETAIL_FIELDS = ("place_id,name,formatted_address,address_components,formatted_phone_number,"
                 "international_phone_number,website,url")  # fmt: skip


class GoogleSpider(ApiSpider):
    name = "google"
    key_param = "key"

    def params(self, business: Normalized) -> dict[str, str]:
        q = self.query(business)
        return {"query": " ".join(v for v in (q["name"], q["city"], q["state"]) if v)}

    def answer_error(self, data: object) -> tuple[str, str] | None:
        status = data.get("status", "") if isinstance(data, dict) else ""
        if status in ("OK", "ZERO_RESULTS"):
            return None
        if status == "REQUEST_DENIED":
            return BLOCKED, f"{KEY_REJECTED} (REQUEST_DENIED)"
        if status == "OVER_QUERY_LIMIT":
            return BLOCKED, "API quota exceeded (OVER_QUERY_LIMIT)"
        return ERROR, f"the API answered {status or 'without a status'}"

    def candidates(self, data: dict) -> list[dict]:
        return [place_values(r) for r in data.get("results", [])]

    def details_request(self, candidate: dict, meta: dict) -> scrapy.Request | None:
        if candidate.get("phone") and candidate.get("website"):
            return None
        params = {"place_id": candidate["id"], "fields": DETAIL_FIELDS}
        return self.api_request(DETAILS, params, self.parse_details, meta)

    def detail_values(self, data: dict) -> dict:
        return place_values(data.get("result") or {})


def place_values(place: dict) -> dict:
    """A Places API place (a Text Search result or a Details result) as a candidate."""
    values = {
        "id": place.get("place_id", ""),
        "name": first(place.get("name")),
        "phone": first(place.get("formatted_phone_number"),
                       place.get("international_phone_number")),
        "website": first(place.get("website")),
        "url": first(place.get("url")),
    }  # fmt: skip
    # the street line as Google writes it (with its unit); the rest from the components
    shown = split_address(first(place.get("formatted_address")))
    parts = {**shown, **components(place.get("address_components") or [])}
    if shown.get("address") and shown.get("zip"):  # a US-style line split_address could read
        parts["address"] = shown["address"]
    return {**values, **parts}


def components(parts: list[dict]) -> dict:
    """address_components -> address, city, state, zip, country (those present)."""
    by_type = {}
    for part in parts:
        for kind in part.get("types", []):
            by_type.setdefault(kind, part)

    def get(kind: str, short: bool = False) -> str:
        part = by_type.get(kind) or {}
        return first(part.get("short_name" if short else "long_name"))

    street = " ".join(v for v in (get("street_number"), get("route", short=True)) if v)
    unit = get("subpremise")
    out = {
        "address": f"{street} #{unit}" if street and unit else street,
        "city": get("locality") or get("postal_town") or get("sublocality"),
        "state": get("administrative_area_level_1", short=True),
        "zip": get("postal_code"),
        "country": get("country", short=True),
    }
    return {k: v for k, v in out.items() if v}
