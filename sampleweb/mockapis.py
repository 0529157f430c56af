"""The sample web's mock APIs: each source's search API answered in the real API's shape, from
the sample web's index of what that source lists (napaudit.sampleweb.search).

`respond(source, path, params, index, headers, search, method, body)` -> (HTTP status, JSON-able
body). An index entry is a dict with path, name, address, city, state, zip, phone, website (and
`status`, when a place is closed); the last segment of its `path` is the place's id on that
source. A query finds the entries sharing a word with it (as the search pages do). Keys: any key
starting with "test-" is accepted (the tests' keys); any other, or none, gets the API's own
refusal. Keys sent in a header only reach `respond` when the caller passes `headers`; without
them the key is not checked.

Response shapes follow each API's documentation and the real answers the spiders are tested on
(see the spiders' docstrings): Google's Places API (New) (POST places:searchText with a JSON body
and a field mask, GET places/<id>; only the masked fields come back) and its legacy API,
Foursquare's Places API (places-api host, version header, Bearer service key), Yelp Fusion,
Azure Maps Search POI (with `dataSources`) and Nominatim. Error bodies: Google's
API_KEY_INVALID (400) and PERMISSION_DENIED (403), its legacy REQUEST_DENIED (HTTP 200), Yelp's
TOKEN_MISSING/TOKEN_INVALID (401), Foursquare's and Azure Maps' 401 bodies (their wording is
assumed).
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from napaudit.sampleweb.search import find_by_words

SOURCES = frozenset({"google", "yelp", "foursquare", "azuremaps", "openstreetmap"})
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
    method: str = "GET",
    body: bytes = b"",
) -> tuple[int, object] | None:
    """The API's answer to `method` path?params (with `body`, a POST's). A path that is not
    the API's: 404, except for yelp, whose other paths are its public site (None: not the
    mock's to answer).

    `search(text)` finds the entries for a query (default: samplesearch.find_by_words over
    `index`); the sample web passes its own, indexed once."""
    route = _ROUTES.get(source)
    find = search or (lambda text: find_by_words(index, text))
    call = Call(path.removeprefix(f"/{source}"), params, index, headers, find, method, body)
    answer = route(call) if route else None
    if answer is None and source not in PUBLIC_SITE:
        return 404, {"error": "Not Found"}
    return answer


@dataclass(frozen=True)
class Call:
    """One request to a mock API: its path under the source, query, headers, method, body."""

    path: str
    params: dict
    index: list[dict]
    headers: dict[str, str] | None
    find: Callable[[str], list[dict]]
    method: str = "GET"
    body: bytes = b""


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


def _national(phone: str) -> str:
    digits = _e164(phone)[2:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if digits else ""


def _one_line(e: dict) -> str:
    return f"{e.get('address', '')}, {e.get('city', '')}, {e.get('state', '')} {e.get('zip', '')}"


# --- Google Places API (New): searchText (POST) and Place Details (GET) -------------------------


def _google_error(code: int, status: str, message: str, reason: str = "") -> tuple[int, dict]:
    error = {"code": code, "message": message, "status": status}
    if reason:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                             "domain": "googleapis.com"}]  # fmt: skip
    return code, {"error": error}


def _google(call: Call) -> tuple[int, object] | None:
    if call.path.startswith("/maps/api/place/"):
        return _google_legacy(call)
    if not call.path.startswith("/v1/places"):
        return None
    key = _header(call.headers, "X-Goog-Api-Key")
    if key == "":
        return _google_error(403, "PERMISSION_DENIED", "The request is missing a valid API key.")
    if key is not None and not _valid(key):
        return _google_error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid "
                             "API key.", "API_KEY_INVALID")  # fmt: skip
    mask = _header(call.headers, "X-Goog-FieldMask")
    if mask == "":
        return _google_error(400, "INVALID_ARGUMENT", "FieldMask is a required parameter.")
    if call.path == "/v1/places:searchText":
        return _google_search(call, mask)
    if call.method != "GET":
        return _google_error(404, "NOT_FOUND", "Method not found.")
    entry = next((e for e in call.index if place_id(e) == call.path.rsplit("/", 1)[-1]), None)
    if entry is None:
        return _google_error(404, "NOT_FOUND", "It looks like the place ID is no longer valid.")
    return 200, _masked(_google_place(entry), mask, "")


def _google_search(call: Call, mask: str | None) -> tuple[int, object]:
    if call.method != "POST":
        return _google_error(404, "NOT_FOUND", "Method not found.")
    try:
        query = json.loads(call.body or b"{}").get("textQuery", "")
    except (ValueError, AttributeError):
        query = ""
    if not query:
        return _google_error(400, "INVALID_ARGUMENT", "Empty text_query.")
    places = [_masked(_google_place(e), mask, "places.") for e in call.find(query)]
    return 200, ({"places": places} if places else {})


def _masked(place: dict, mask: str | None, prefix: str) -> dict:
    """Only the fields the field mask asks for ("*": all; None: the caller sent no headers)."""
    if mask is None or mask.strip() == "*":
        return place
    wanted = {f.strip().removeprefix(prefix).split(".")[0] for f in mask.split(",")}
    return {k: v for k, v in place.items() if k in wanted}


def _google_place(e: dict) -> dict:
    number, route, unit = _street(e.get("address", ""))
    city, state, zip5 = e.get("city"), e.get("state"), e.get("zip")
    parts = [("subpremise", unit, unit), ("street_number", number, number),
             ("route", route, route), ("locality", city, city),
             ("administrative_area_level_1", state, state),
             ("country", "United States", "US"), ("postal_code", zip5, zip5)]  # fmt: skip
    pid = place_id(e)
    place = {
        "name": f"places/{pid}",
        "id": pid,
        "displayName": {"text": e["name"], "languageCode": "en"},
        "formattedAddress": f"{_one_line(e)}, USA",
        "addressComponents": [{"longText": long, "shortText": short, "types": [kind],
                               "languageCode": "en"} for kind, long, short in parts if long],
        "nationalPhoneNumber": _national(e.get("phone", "")),
        "internationalPhoneNumber": _e164(e.get("phone", "")),
        "websiteUri": e.get("website", ""),
        "googleMapsUri": f"https://maps.google.com/?cid={zlib.crc32(pid.encode())}&g_mp=Cidn",
        "businessStatus": e.get("status") or "OPERATIONAL",
        "types": ["point_of_interest", "establishment"],
    }  # fmt: skip
    return {k: v for k, v in place.items() if v}


# --- Google Places API (Legacy): Text Search and Place Details ----------------------------------

_DENIED = {"html_attributions": [], "results": [], "status": "REQUEST_DENIED",
           "error_message": "The provided API key is invalid."}  # fmt: skip


def _google_legacy(call: Call) -> tuple[int, object]:
    params = call.params
    if not _valid(params.get("key")):
        denied = dict(_DENIED)
        if not params.get("key"):
            denied["error_message"] = "You must use an API key to authenticate each request."
        return 200, denied
    if call.path.endswith("/textsearch/json"):
        found = [{"place_id": place_id(e), "name": e["name"],
                  "business_status": e.get("status") or "OPERATIONAL",
                  "formatted_address": f"{_one_line(e)}, United States",
                  "types": ["point_of_interest", "establishment"]}
                 for e in call.find(params.get("query", ""))]  # fmt: skip
        return 200, {"html_attributions": [], "results": found,
                     "status": "OK" if found else "ZERO_RESULTS"}  # fmt: skip
    if call.path.endswith("/details/json"):
        entry = next((e for e in call.index if place_id(e) == params.get("place_id")), None)
        if entry is None:
            return 200, {"html_attributions": [], "status": "NOT_FOUND"}
        return 200, {"html_attributions": [], "result": _google_details(entry), "status": "OK"}
    return 404, {"error_message": "Not Found", "status": "INVALID_REQUEST"}


def _google_details(e: dict) -> dict:
    new = _google_place(e)
    result = {
        "place_id": new["id"],
        "name": e["name"],
        "address_components": [
            {"long_name": c["longText"], "short_name": c["shortText"], "types": c["types"]}
            for c in new.get("addressComponents", [])
        ],
        "formatted_address": f"{_one_line(e)}, United States",
        "formatted_phone_number": e.get("phone", ""),
        "url": new["googleMapsUri"].split("&")[0],
        "website": e.get("website", ""),
        "business_status": new["businessStatus"],
    }
    return {k: v for k, v in result.items() if v}


# --- Yelp Fusion: business search ------------------------------------------------------------


YELP_MISSING = "An access token must be supplied in order to use this endpoint."
YELP_INVALID = "Invalid access token or authorization header."


def _yelp_error(code: str, description: str) -> dict:
    return {"error": {"code": code, "description": description}}


def _yelp(call: Call) -> tuple[int, object] | None:
    if not call.path.startswith("/v3/"):
        return None  # the public site
    auth = _header(call.headers, "Authorization")
    if auth == "":
        return 401, _yelp_error("TOKEN_MISSING", YELP_MISSING)
    if auth is not None and not _valid(auth.removeprefix("Bearer ")):
        return 401, _yelp_error("TOKEN_INVALID", YELP_INVALID)
    if call.path != "/v3/businesses/search":
        return 404, _yelp_error("NOT_FOUND", "Resource could not be found.")
    found = []
    for e in call.find(call.params.get("term", "")):
        alias = place_id(e)
        client = "test-client-id"  # Yelp adds the API client's id to every URL it gives
        found.append({
            "id": alias, "alias": alias, "name": e["name"], "is_closed": False,
            "url": f"https://www.yelp.com{e['path'].removeprefix('/yelp')}?adjust_creative="
                   f"{client}&utm_campaign=yelp_api_v3&utm_medium=api_v3_business_search"
                   f"&utm_source={client}",
            "phone": _e164(e.get("phone", "")), "display_phone": e.get("phone", ""),
            "location": {"address1": e.get("address", ""), "address2": "", "address3": "",
                         "city": e.get("city", ""), "zip_code": e.get("zip", ""),
                         "country": "US", "state": e.get("state", ""),
                         "display_address": [e.get("address", ""), _one_line(e).split(", ", 1)[1]]},
        })  # fmt: skip
    return 200, {"businesses": found, "total": len(found), "region": {"center": {}}}


# --- Foursquare Places API: place search -----------------------------------------------------


def _foursquare(call: Call) -> tuple[int, object] | None:
    if not call.path.startswith("/places/"):
        return None
    auth = _header(call.headers, "Authorization")
    if auth is not None and not _valid(auth.removeprefix("Bearer ")):
        return 401, {"message": "Invalid request token."}
    if _header(call.headers, "X-Places-Api-Version") == "":
        return 400, {"message": "X-Places-Api-Version header is required."}
    if call.path != "/places/search":
        return 404, {"message": "Not Found"}
    found = []
    for e in call.find(call.params.get("query", "")):
        place = {"address": e.get("address", ""), "locality": e.get("city", ""),
                 "region": e.get("state", ""), "postcode": e.get("zip", ""), "country": "US",
                 "formatted_address": _one_line(e)}  # fmt: skip
        pid = place_id(e)
        result = {
            "fsq_place_id": pid,
            "name": e["name"],
            "location": place,
            "tel": e.get("phone", ""),
            "website": e.get("website", ""),
            "date_closed": e.get("date_closed", ""),
            "link": f"/places/{pid}",
            "placemaker_url": f"https://foursquare.com/placemakers/review-place/{pid}",
        }
        found.append({k: v for k, v in result.items() if v})  # fmt: skip
    return 200, {"results": found}


# --- Azure Maps: Search POI ------------------------------------------------------------------


AZURE_INVALID = "Invalid subscription key or authentication."


def _azuremaps(call: Call) -> tuple[int, object] | None:
    if not call.path.startswith("/search/"):
        return None
    if not _valid(call.params.get("subscription-key")):
        return 401, {"error": {"code": "401 Unauthorized", "message": AZURE_INVALID}}
    found = []
    for e in call.find(call.params.get("query", "")):
        number, route, unit = _street(e.get("address", ""))
        poi = {"name": e["name"], "phone": e.get("phone", ""), "url": e.get("website", "")}
        address = {"streetNumber": number, "streetName": route, "municipality": e.get("city"),
                   "countrySubdivision": e.get("state"), "postalCode": e.get("zip"),
                   "countryCode": "US", "freeformAddress": _one_line(e)}  # fmt: skip
        venue = f"{zlib.crc32(place_id(e).encode()):024x}"  # a made-up Foursquare venue id
        details = [{"id": base64.b64encode(f"Foursquare:{venue}".encode()).decode(),
                    "sourceName": "Foursquare"}]  # fmt: skip
        found.append({"type": "POI", "id": place_id(e), "score": 1.0,
                      "poi": {k: v for k, v in poi.items() if v},
                      "address": {k: v for k, v in address.items() if v},
                      "dataSources": {"poiDetails": details}})  # fmt: skip
    summary = {"query": call.params.get("query", ""), "queryType": "NON_NEAR",
               "numResults": len(found), "totalResults": len(found)}  # fmt: skip
    return 200, {"summary": summary, "results": found}


# --- Nominatim: search -----------------------------------------------------------------------


def _openstreetmap(call: Call) -> tuple[int, object] | None:
    if call.path not in ("/search", "/search.php"):
        return None
    found = []
    for e in call.find(call.params.get("q", "")):
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


_ROUTES = {"google": _google, "yelp": _yelp, "foursquare": _foursquare, "azuremaps": _azuremaps,
           "openstreetmap": _openstreetmap}  # fmt: skip
