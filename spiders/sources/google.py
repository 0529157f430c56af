"""Google Business Profile, through the Places API (New): Text Search, then Place Details.

Since 2026-10 the Places API (Legacy) cannot be enabled for new Google Cloud projects: a new
user's key is refused there, so the API (New) is the default. The legacy API is kept for users
whose project still has it, only when asked for: NAPAUDIT_GOOGLE_PLACES_API=legacy in the
environment, or `--set NAPAUDIT_GOOGLE_PLACES_API=legacy`.
Every listing says which one answered (its `method`, "api:google/places-new" or
"api:google/places-legacy", and what was searched, "... through Places API (New)").

Documented (developers.google.com/maps/documentation/places/web-service, "Text Search (New)",
"Place Details (New)", "Choose fields to return"): `POST https://places.googleapis.com/v1/
places:searchText` with a JSON body `{"textQuery": ...}`, the key in the `X-Goog-Api-Key` header
and the fields wanted in `X-Goog-FieldMask` (required: no mask is an error). It answers
`{"places": [...]}`, or `{}` when nothing matches. `GET .../v1/places/<id>` with a mask answers
one place. A place: `id`, `displayName.text`, `formattedAddress`, `addressComponents` (`longText`,
`shortText`, `types`), `nationalPhoneNumber`, `internationalPhoneNumber`, `websiteUri`,
`googleMapsUri`, `businessStatus` (OPERATIONAL, CLOSED_TEMPORARILY, CLOSED_PERMANENTLY),
`primaryTypeDisplayName.text`, `types`, `regularOpeningHours.weekdayDescriptions`. Errors are
`{"error": {"code", "message", "status", "details": [{"reason"}]}}`: a bad key is HTTP 400 with
reason API_KEY_INVALID, a missing one or a disabled API 403 PERMISSION_DENIED.
Verified on real answers (tests/test_sources_api.py, ../shared/realdata/realweb/api/
google_places): searchText answers for Minneapolis (2026-01), a GET /v1/places answer for the
Googleplex (2026-01), five London places with their full field set (2025-12; two
CLOSED_TEMPORARILY, two without phone or website, one malformed address), ten San Francisco places
(2025-06). The refusal bodies' exact wording is assumed.
Cost: the search asks only for fields billed as Text Search Pro (identity, address, status,
type); phone, website and hours (Enterprise fields) are asked in Place Details, for the
accepted places only (at most `follow_at_most` a business).
Legacy (kept as it was, verified on the 2015-2019 answers in realdata/api/google-places-api):
`GET .../maps/api/place/textsearch/json?query=...&key=...`, then details/json; a refused key
is HTTP 200 with "status": "REQUEST_DENIED". The key is a URL parameter there, added at send
time only (spiders.keys).
Assumed: that "name city state" finds the place.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import scrapy
from napaudit.auditor.normalize.record import Normalized
from napaudit.spiders.bases.api import KEY_REJECTED, ApiSpider, first, joined
from napaudit.spiders.extract.addresses import split_address
from napaudit.spiders.outcome import BLOCKED, ERROR

API_SETTING = "NAPAUDIT_GOOGLE_PLACES_API"  # "new" (default) or "legacy"
NEW, LEGACY = "Places API (New)", "Places API (Legacy)"
SEARCH_MASK = ",".join(
    "places." + f for f in ("id", "displayName", "formattedAddress", "addressComponents",
                            "businessStatus", "googleMapsUri", "primaryTypeDisplayName", "types")
)  # fmt: skip
DETAILS_MASK = ("id,displayName,formattedAddress,addressComponents,nationalPhoneNumber,"
                "internationalPhoneNumber,websiteUri,googleMapsUri,businessStatus,"
                "regularOpeningHours,primaryTypeDisplayName,types")  # fmt: skip
LEGACY_SEARCH = "https://maps.googleapis.com/maps/api/place/textsearch/json"
LEGACY_DETAILS = "https://maps.googleapis.com/maps/api/place/details/json"
LEGACY_FIELDS = ("place_id,name,formatted_address,address_components,formatted_phone_number,"
                 "international_phone_number,website,url,business_status,types")  # fmt: skip
_REFUSED = frozenset({"API_KEY_INVALID", "API_KEY_SERVICE_BLOCKED", "API_KEY_HTTP_REFERRER_BLOCKED",
                      "API_KEY_IP_ADDRESS_BLOCKED", "SERVICE_DISABLED"})  # fmt: skip


class GoogleSpider(ApiSpider):
    name = "google"
    key_header = "X-Goog-Api-Key"

    @property
    def legacy(self) -> bool:
        """Whether the user asked for the legacy API (the crawl setting, else the environment)."""
        settings = getattr(self, "settings", None)
        chosen = (settings.get(API_SETTING) if settings else None) or os.environ.get(API_SETTING)
        return str(chosen or "new").strip().lower() == "legacy"

    @property
    def api_method(self) -> str:
        return "api:google/places-legacy" if self.legacy else "api:google/places-new"

    def key_at(self) -> dict[str, str]:
        return {"param": "key"} if self.legacy else super().key_at()

    def searched(self, business: Normalized) -> str:
        return f"{super().searched(business)} through {LEGACY if self.legacy else NEW}"

    def text_query(self, business: Normalized) -> str:
        q = self.query(business)
        return " ".join(v for v in (q["name"], q["city"], q["state"]) if v)

    def search_request(self, business: Normalized) -> scrapy.Request:
        meta = {"business_id": business.record.id, "searched": self.searched(business)}
        if self.legacy:
            params = {"query": self.text_query(business)}
            return self.api_request(LEGACY_SEARCH, params, self.parse_api, meta)
        body = {"textQuery": self.text_query(business), "pageSize": 10}
        return self.api_request(self.endpoint, {}, self.parse_api, meta, method="POST",
                                body=body, headers={"X-Goog-FieldMask": SEARCH_MASK})  # fmt: skip

    def answer_error(self, data: object) -> tuple[str, str] | None:
        if not isinstance(data, dict):
            return None
        return legacy_error(data) if self.legacy else new_error(data)

    def candidates(self, data: dict) -> list[dict]:
        if self.legacy:
            return [place_values(r) for r in data.get("results", [])]
        return [new_place_values(p) for p in data.get("places", [])]

    def details_request(self, candidate: dict, meta: dict) -> scrapy.Request | None:
        if self.legacy:
            if candidate.get("phone") and candidate.get("website"):
                return None
            params = {"place_id": candidate["id"], "fields": LEGACY_FIELDS}
            return self.api_request(LEGACY_DETAILS, params, self.parse_details, meta)
        url = self.endpoint.split(":searchText")[0] + "/" + quote(candidate["id"], safe="")
        return self.api_request(url, {}, self.parse_details, meta,
                                headers={"X-Goog-FieldMask": DETAILS_MASK})  # fmt: skip

    def detail_values(self, data: dict) -> dict:
        if self.legacy:
            return place_values(data.get("result") or {})
        return new_place_values(data)


def new_error(data: dict) -> tuple[str, str] | None:
    """A Places API (New) error body as (outcome, reason)."""
    error = data.get("error")
    if not isinstance(error, dict):
        return None
    reasons = {d.get("reason") for d in error.get("details") or [] if isinstance(d, dict)}
    status, message = first(error.get("status")), first(error.get("message"))
    if reasons & _REFUSED or status in ("PERMISSION_DENIED", "UNAUTHENTICATED"):
        return BLOCKED, f"{KEY_REJECTED} ({status}: {message})"
    if status == "RESOURCE_EXHAUSTED":
        return BLOCKED, f"API quota exceeded (RESOURCE_EXHAUSTED: {message})"
    return ERROR, f"the API answered {status or error.get('code')}: {message}"


def legacy_error(data: dict) -> tuple[str, str] | None:
    status = data.get("status", "")
    if status in ("OK", "ZERO_RESULTS"):
        return None
    if status == "REQUEST_DENIED":
        return BLOCKED, f"{KEY_REJECTED} (REQUEST_DENIED)"
    if status == "OVER_QUERY_LIMIT":
        return BLOCKED, "API quota exceeded (OVER_QUERY_LIMIT)"
    return ERROR, f"the API answered {status or 'without a status'}"


def new_place_values(place: dict) -> dict:
    """A Places API (New) place (searchText or Place Details) as a candidate."""
    hours = place.get("regularOpeningHours") or {}
    kind = place.get("primaryTypeDisplayName") or {}
    values = {
        "id": first(place.get("id")) or first(place.get("name")).removeprefix("places/"),
        "name": first((place.get("displayName") or {}).get("text")),
        "phone": first(place.get("nationalPhoneNumber"), place.get("internationalPhoneNumber")),
        "website": first(place.get("websiteUri")),
        "url": first(place.get("googleMapsUri")),
        "hours": "; ".join(d for d in hours.get("weekdayDescriptions") or [] if d),
        "status": first(place.get("businessStatus")),
        "categories": first(kind.get("text")) or joined(*(place.get("types") or [])),
    }
    line = first(place.get("formattedAddress"), place.get("shortFormattedAddress"))
    parts = address(line, place.get("addressComponents"), place.get("postalAddress"))
    return {**values, **parts}


def place_values(place: dict) -> dict:
    """A Places API (Legacy) place (a Text Search result or a Details result) as a candidate."""
    values = {
        "id": place.get("place_id", ""),
        "name": first(place.get("name")),
        "phone": first(place.get("formatted_phone_number"),
                       place.get("international_phone_number")),
        "website": first(place.get("website")),
        "url": first(place.get("url")),
        "status": first(place.get("business_status")),
        "categories": joined(*(place.get("types") or [])),
    }  # fmt: skip
    line = first(place.get("formatted_address"), place.get("vicinity"))  # vicinity: Nearby Search
    return {**values, **address(line, place.get("address_components"))}


def address(formatted: object, parts: object, postal: object = None) -> dict:
    """The address parts from the components, else the postal address, else the formatted line;
    the street line as Google formats it (with its unit) when that is a US line split_address
    reads with its ZIP."""
    shown = {k: v for k, v in split_address(first(formatted)).items() if v}
    values = {**shown, **postal_values(postal if isinstance(postal, dict) else {})}
    values.update(components(parts if isinstance(parts, list) else []))
    if values.get("country", "US") == "US" and shown.get("address") and shown.get("zip"):
        values["address"] = shown["address"]
    return values


def postal_values(postal: dict) -> dict:
    """Places API (New) `postalAddress`: what a field mask without addressComponents gives."""
    lines = [line for line in postal.get("addressLines") or [] if isinstance(line, str)]
    out = {
        "address": first(*lines[:1]),
        "city": first(postal.get("locality")),
        "state": first(postal.get("administrativeArea")),
        "zip": first(postal.get("postalCode")),
        "country": first(postal.get("regionCode")),
    }
    return {k: v for k, v in out.items() if v}


def components(parts: list[dict]) -> dict:
    """address_components (legacy long_name/short_name, New longText/shortText) -> address,
    city, state, zip, country (those present)."""
    by_type = {}
    for part in parts:
        for kind in part.get("types", []):
            by_type.setdefault(kind, part)

    def get(kind: str, short: bool = False) -> str:
        part = by_type.get(kind) or {}
        if short:
            return first(part.get("short_name"), part.get("shortText"))
        return first(part.get("long_name"), part.get("longText"))

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
