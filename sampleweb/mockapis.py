"""The sample web's mock APIs: each source's search API answered in the real API's shape, from
the sample web's index of what that source lists (napaudit.sampleweb.search).

`respond(source, path, params, index)` -> (HTTP status, JSON-able body). An index entry is a dict
with path, name, address, city, state, zip, phone, website; the last segment of its `path` is
the place's id on that source. A query finds the entries sharing a word with it (as the search
pages do). Keys: any key starting with "test-" is accepted (the tests' keys); any other, or
none, gets the API's own refusal. Yelp and Foursquare take the key in a header, which only
reaches `respond` when the caller passes `headers`; without them the key is not checked.

Response shapes follow each API's documentation (see the spiders' docstrings); error bodies:
Google's `REQUEST_DENIED` (HTTP 200), Yelp's `TOKEN_MISSING`/`TOKEN_INVALID` (401), Foursquare's
and Azure Maps' 401 bodies (their wording is assumed).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from napaudit.sampleweb.search import find_by_words

SOURCES = frozenset({"google", "yelp", "foursquare", "bing", "openstreetmap"})
# Yelp's API is answered too (/yelp/v3/...), but its other paths are its public site, served by
# samplesearch: `respond` gives None for them.
PUBLIC_SITE = frozenset({"yelp"})


def respond(
    source: str,
    path: str,
    params: dict[str, str],
    index: list[dict],
    headers: dict[str, str] | None = None,
    search: Callable[[str], list[dict]] | None = None,
) -> tuple[int, object] | None:
    """The API's answer to GET path?params. A path that is not the API's: 404, except for
    yelp, whose other paths are its public site (None: not the mock's to answer).

    `search(text)` finds the entries for a query (default: samplesearch.find_by_words over
    `index`); the sample web passes its own, indexed once."""
    route = _ROUTES.get(source)
    find = search or (lambda text: find_by_words(index, text))
    answer = route(path.removeprefix(f"/{source}"), params, index, headers, find) if route else None
    if answer is None and source not in PUBLIC_SITE:
        return 404, {"error": "Not Found"}
    return answer


def place_id(entry: dict) -> str:
    return entry.get("path", "").rstrip("/").rsplit("/", 1)[-1]


def _valid(key: str | None) -> bool:
    return bool(key) and key.startswith("test-")


def _header(headers: dict[str, str] | None, name: str) -> str | None:
    """The header's value; "" when absent; None when the caller could not see headers."""
    if headers is None:
        return None
    return next((v for k, v in headers.items() if k.lower() == name.lower()), "")


def _street(address: str) -> tuple[str, str, str]:
    """'1200 Harbor Blvd Suite 210' -> ('1200', 'Harbor Blvd', '210')."""
    m = re.match(r"^(\d+[A-Z]?)\s+(.*?)(?:,?\s+(?:Suite|Ste\.?|Unit|#)\s*(\S+))?$", address or "")
    return (m[1], m[2], m[3] or "") if m else ("", address or "", "")


def _e164(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    digits = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    return f"+1{digits}" if len(digits) == 10 else ""


def _one_line(e: dict) -> str:
    return f"{e.get('address', '')}, {e.get('city', '')}, {e.get('state', '')} {e.get('zip', '')}"


# --- Google Places (legacy): Text Search and Place Details -------------------------------------

_DENIED = {"html_attributions": [], "results": [], "status": "REQUEST_DENIED",
           "error_message": "The provided API key is invalid."}  # fmt: skip


def _google(path: str, params: dict, index: list[dict], headers, find) -> tuple[int, object] | None:
    if not path.startswith("/maps/api/place/"):
        return None
    if not _valid(params.get("key")):
        denied = dict(_DENIED)
        if not params.get("key"):
            denied["error_message"] = "You must use an API key to authenticate each request."
        return 200, denied
    if path.endswith("/textsearch/json"):
        found = [{"place_id": place_id(e), "name": e["name"], "business_status": "OPERATIONAL",
                  "formatted_address": f"{_one_line(e)}, United States",
                  "types": ["point_of_interest", "establishment"]}
                 for e in find(params.get("query", ""))]  # fmt: skip
        return 200, {"html_attributions": [], "results": found,
                     "status": "OK" if found else "ZERO_RESULTS"}  # fmt: skip
    if path.endswith("/details/json"):
        entry = next((e for e in index if place_id(e) == params.get("place_id")), None)
        if entry is None:
            return 200, {"html_attributions": [], "status": "NOT_FOUND"}
        return 200, {"html_attributions": [], "result": _google_details(entry), "status": "OK"}
    return 404, {"error_message": "Not Found", "status": "INVALID_REQUEST"}


def _google_details(e: dict) -> dict:
    number, route, unit = _street(e.get("address", ""))
    city, state, zip5 = e.get("city"), e.get("state"), e.get("zip")
    parts = [("subpremise", unit, unit), ("street_number", number, number),
             ("route", route, route), ("locality", city, city),
             ("administrative_area_level_1", state, state),
             ("country", "United States", "US"), ("postal_code", zip5, zip5)]  # fmt: skip
    result = {
        "place_id": place_id(e),
        "name": e["name"],
        "address_components": [
            {"long_name": long, "short_name": short, "types": [kind]}
            for kind, long, short in parts
            if long
        ],  # fmt: skip
        "formatted_address": f"{_one_line(e)}, United States",
        "formatted_phone_number": e.get("phone", ""),
        "url": f"https://maps.google.com/?cid={zlib.crc32(place_id(e).encode())}",
    }
    if e.get("website"):
        result["website"] = e["website"]
    return {k: v for k, v in result.items() if v}


# --- Yelp Fusion: business search ------------------------------------------------------------


YELP_MISSING = "An access token must be supplied in order to use this endpoint."
YELP_INVALID = "Invalid access token or authorization header."


def _yelp_error(code: str, description: str) -> dict:
    return {"error": {"code": code, "description": description}}


def _yelp(path: str, params: dict, index: list[dict], headers, find) -> tuple[int, object] | None:
    if not path.startswith("/v3/"):
        return None  # the public site
    auth = _header(headers, "Authorization")
    if auth == "":
        return 401, _yelp_error("TOKEN_MISSING", YELP_MISSING)
    if auth is not None and not _valid(auth.removeprefix("Bearer ")):
        return 401, _yelp_error("TOKEN_INVALID", YELP_INVALID)
    if path != "/v3/businesses/search":
        return 404, _yelp_error("NOT_FOUND", "Resource could not be found.")
    found = []
    for e in find(params.get("term", "")):
        alias = place_id(e)
        found.append({
            "id": alias, "alias": alias, "name": e["name"], "is_closed": False,
            "url": f"https://www.yelp.com{e['path'].removeprefix('/yelp')}",
            "phone": _e164(e.get("phone", "")), "display_phone": e.get("phone", ""),
            "location": {"address1": e.get("address", ""), "address2": "", "address3": "",
                         "city": e.get("city", ""), "zip_code": e.get("zip", ""),
                         "country": "US", "state": e.get("state", ""),
                         "display_address": [e.get("address", ""), _one_line(e).split(", ", 1)[1]]},
        })  # fmt: skip
    return 200, {"businesses": found, "total": len(found), "region": {"center": {}}}


# --- Foursquare Places API: place search -----------------------------------------------------


def _foursquare(path: str, params: dict, index: list[dict], headers, find):
    if not path.startswith("/places/"):
        return None
    auth = _header(headers, "Authorization")
    if auth is not None and not _valid(auth.removeprefix("Bearer ")):
        return 401, {"message": "Invalid request token."}
    if path != "/places/search":
        return 404, {"message": "Not Found"}
    found = []
    for e in find(params.get("query", "")):
        place = {"address": e.get("address", ""), "locality": e.get("city", ""),
                 "region": e.get("state", ""), "postcode": e.get("zip", ""), "country": "US",
                 "formatted_address": _one_line(e)}  # fmt: skip
        result = {"fsq_place_id": place_id(e), "name": e["name"], "location": place,
                  "tel": e.get("phone", ""), "website": e.get("website", ""),
                  "link": f"/places/{place_id(e)}"}  # fmt: skip
        found.append({k: v for k, v in result.items() if v})
    return 200, {"results": found, "context": {}}


# --- Azure Maps: Search POI ------------------------------------------------------------------


AZURE_INVALID = "Invalid subscription key or authentication."


def _bing(path: str, params: dict, index: list[dict], headers, find) -> tuple[int, object] | None:
    if not path.startswith("/search/"):
        return None
    if not _valid(params.get("subscription-key")):
        return 401, {"error": {"code": "401 Unauthorized", "message": AZURE_INVALID}}
    found = []
    for e in find(params.get("query", "")):
        number, route, unit = _street(e.get("address", ""))
        poi = {"name": e["name"], "phone": e.get("phone", ""), "url": e.get("website", "")}
        address = {"streetNumber": number, "streetName": route, "municipality": e.get("city"),
                   "countrySubdivision": e.get("state"), "postalCode": e.get("zip"),
                   "countryCode": "US", "freeformAddress": _one_line(e)}  # fmt: skip
        found.append({"type": "POI", "id": place_id(e), "score": 1.0,
                      "poi": {k: v for k, v in poi.items() if v},
                      "address": {k: v for k, v in address.items() if v}})  # fmt: skip
    summary = {"query": params.get("query", ""), "queryType": "NON_NEAR",
               "numResults": len(found), "totalResults": len(found)}  # fmt: skip
    return 200, {"summary": summary, "results": found}


# --- Nominatim: search -----------------------------------------------------------------------


def _openstreetmap(path: str, params: dict, index: list[dict], headers, find):
    if path not in ("/search", "/search.php"):
        return None
    found = []
    for e in find(params.get("q", "")):
        osm_type, osm_id = e["path"].strip("/").split("/")[-2:]
        state = e.get("state", "")
        address = {"house_number": _street(e.get("address", ""))[0],
                   "road": _street(e.get("address", ""))[1], "city": e.get("city", ""),
                   "state": state, "ISO3166-2-lvl4": f"US-{state}" if len(state) == 2 else "",
                   "postcode": e.get("zip", ""), "country": "United States",
                   "country_code": "us"}  # fmt: skip
        tags = {"phone": e.get("phone", ""), "website": e.get("website", "")}
        found.append({
            "place_id": zlib.crc32(e["path"].encode()), "osm_type": osm_type,
            "osm_id": int(osm_id) if osm_id.isdigit() else zlib.crc32(osm_id.encode()),
            "category": "amenity", "type": "restaurant",
            "name": e["name"], "display_name": f"{e['name']}, {_one_line(e)}, United States",
            "address": {k: v for k, v in address.items() if v},
            "extratags": {k: v for k, v in tags.items() if v},
        })  # fmt: skip
    return 200, found


_ROUTES = {"google": _google, "yelp": _yelp, "foursquare": _foursquare, "bing": _bing,
           "openstreetmap": _openstreetmap}  # fmt: skip
