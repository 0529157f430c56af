"""API-based sources: parsing every real recorded answer (several pasted inside Markdown, JS, TS
or Python: the JSON is taken out here), the mock APIs, and discovery through them on the sample
web with the request shape each API takes today (Google's Places API (New), Foursquare's Places
API, Azure Maps, Nominatim; Yelp's public search page without a key)."""

from __future__ import annotations

import ast
import csv
import json
import re
from collections import Counter
from pathlib import Path

import chompjs
import pytest
from conftest import REALDATA, realdata
from discovery import CLIENTS, discover, listings
from napaudit.sampleweb import mockapis
from napaudit.spiders.sources.azuremaps import AzuremapsSpider
from napaudit.spiders.sources.foursquare import FoursquareSpider
from napaudit.spiders.sources.foursquare import place_values as fsq_place
from napaudit.spiders.sources.google import GoogleSpider, new_place_values, place_values
from napaudit.spiders.sources.openstreetmap import place_values as osm_place
from napaudit.spiders.sources.openstreetmap import tag_values
from napaudit.spiders.sources.yelp import YelpSpider

KEY = "test-key-123"
KEYS = {"GOOGLE_PLACES_API_KEY": KEY, "FOURSQUARE_API_KEY": KEY, "AZURE_MAPS_KEY": KEY,
        "YELP_API_KEY": ""}  # fmt: skip


def load(*parts: str):
    return json.loads(realdata(*parts).read_text(encoding="utf-8"))


def blocks(path: Path) -> list:
    """The JSON answers pasted in a Markdown file's code blocks."""
    found = []
    text = path.read_text(encoding="utf-8")
    for block in re.findall(r"^```\w*\n(.*?)^```", text, re.S | re.M):
        try:
            found.append(json.loads(block))
        except ValueError:
            continue  # a curl command, Swift code
    return found


def listing(spider, candidate: dict):
    """What the spider stores for one place of an answer."""
    return spider.api_listing("b1", candidate, "searched", "https://api.example/search")


# --- Google: Places API (New) ---------------------------------------------------------------


def test_google_new_search_real_answers_minneapolis():
    path = realdata("realweb", "api", "google_places", "persist-mn_places_search_api_response.md")
    answers = blocks(path)
    spider = GoogleSpider()
    bang = spider.candidates(answers[0])
    bulldogs = spider.candidates(answers[1])
    assert [p["name"] for p in bang] == ["Bang Brewing Company"]
    assert (bang[0]["id"], bang[0]["address"], bang[0]["city"]) == (
        "ChIJCQL2l3Yts1IRzcRk-Zh5rdY", "2320 Capp Rd", "St Paul")  # fmt: skip
    assert [(p["name"], p["phone"]) for p in bulldogs] == [
        ("The Bulldog Uptown", "(612) 872-8893"),
        ("The Bulldog Downtown", "(612) 339-0638"),
    ]
    # The stored URL is the place's Maps page without the API's attribution token (g_mp).
    stored = listing(spider, bulldogs[0])
    assert stored.url == "https://maps.google.com/?cid=1412145186856207520"
    assert stored.found[0]["method"]["name"] == "api:google/places-new"


def test_google_new_details_real_answer_googleplex():
    path = realdata("realweb", "api", "google_places", "persist-mn_places_detail_api_response.md")
    masked, full = blocks(path)
    place = GoogleSpider().detail_values(full)
    assert (place["name"], place["address"], place["city"], place["state"], place["zip"]) == (
        "Googleplex", "1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043")  # fmt: skip
    assert place["phone"] == "(650) 253-0000"
    assert place["status"] == "OPERATIONAL" and place["categories"] == "Corporate Office"
    assert place["hours"].startswith("Monday: 8:00") and "Sunday: Closed" in place["hours"]
    # A mask without addressComponents: the postal address still gives the street.
    short = GoogleSpider().detail_values(masked)
    assert (short["address"], short["city"], short["zip"]) == (
        "1600 Amphitheatre Pkwy", "Mountain View", "94043-1351")  # fmt: skip


@pytest.mark.parametrize(
    "name, status, phone, website, street, postcode",
    [
        ("parham_london_McDonalds_CLOSED_TEMPORARILY.json", "CLOSED_TEMPORARILY",
         "0370 524 4622", "https://www.mcdonalds.com/gb/en-gb.html?cid=RF:YEXT:GMB:8260433:"
                          "Clicks:DIRSYN:", "69 St Martin's Ln #68", "WC2N 4JS"),
        ("parham_london_OnlyFoodAndCourses_CLOSED_TEMPORARILY.json", "CLOSED_TEMPORARILY",
         "07949 259067", "https://www.onlyfoodandcourses.com/", "5 Little Essex St", "WC2R 3LD"),
        ("parham_london_NGLFoods_no_phone_no_web.json", "OPERATIONAL", "", "",
         "71-75 Shelton St", "WC2H 9JQ"),
        ("parham_london_ChickenHouse_malformed_address.json", "OPERATIONAL", "", "",
         "8 Newport Pl", "WC2H 7JP"),
        ("parham_london_RealGreekStrand_full.json", "OPERATIONAL", "020 3026 5669",
         "http://www.therealgreek.com/", "397 Strand", "WC2R 0LP"),
    ],
)  # fmt: skip
def test_google_new_place_real_answers_london(name, status, phone, website, street, postcode):
    place = new_place_values(load("realweb", "api", "google_places", name))
    assert (place["status"], place["phone"], place["website"]) == (status, phone, website)
    # "8 Newport Pl, 7JR WC2H 7JP" is malformed; the components still give street and city.
    assert (place["address"], place["city"], place["zip"]) == (street, "London", postcode)
    found = listing(GoogleSpider(), place).found[0]
    assert found["status"] == status  # closed status, as Google says it, reaches the listing


def test_google_new_real_answer_san_francisco_pasted_in_typescript():
    path = realdata("realweb", "api", "google_places", "guide-ai_sf_places_mock-data.ts")
    data = chompjs.parse_js_object(path.read_text(encoding="utf-8"))
    places = GoogleSpider().candidates(data)
    assert len(places) == 10
    sfmoma = places[0]
    assert (sfmoma["name"], sfmoma["address"], sfmoma["city"], sfmoma["state"], sfmoma["zip"]) == (
        "San Francisco Museum of Modern Art",
        "151 3rd St",
        "San Francisco",
        "CA",
        "94103",
    )
    assert all(p["id"].startswith("ChIJ") and p["name"] for p in places)


@pytest.mark.parametrize(
    "body, outcome, words",
    [
        ({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT", "details": [{"reason": "API_KEY_INVALID"}]}},
         "blocked", "API key rejected"),
        ({"error": {"code": 403, "message": "Places API (New) has not been used in project 1",
                    "status": "PERMISSION_DENIED"}}, "blocked", "API key rejected"),
        ({"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}},
         "blocked", "quota"),
        ({"error": {"code": 400, "message": "Empty text_query.", "status": "INVALID_ARGUMENT"}},
         "error", "Empty text_query"),
    ],
)  # fmt: skip
def test_google_new_refusals(body, outcome, words):
    said, reason = GoogleSpider().answer_error(body)
    assert said == outcome and words in reason


# --- Google: Places API (Legacy), kept for projects that still have it ---------------------------


def _legacy_answers() -> list[str]:
    """The recorded answers' names; one that skips the test (in load()) when they are absent."""
    folder = REALDATA / "api" / "google-places-api"
    return sorted(p.name for p in folder.glob("*.json")) or ["(real data absent)"]


@pytest.mark.parametrize("name", _legacy_answers())
def test_google_legacy_real_answers(name, monkeypatch):
    data = load("api", "google-places-api", name)
    spider = GoogleSpider()
    monkeypatch.setattr(GoogleSpider, "legacy", True)
    assert spider.answer_error(data) is None  # status OK
    places = [spider.detail_values(data)] if "result" in data else spider.candidates(data)
    assert places and all(p["id"] and p["name"] for p in places)
    assert sum(bool(p.get("address")) for p in places) >= 0.9 * len(places)


def test_google_legacy_details_and_refusal(monkeypatch):
    monkeypatch.setattr(GoogleSpider, "legacy", True)
    place = place_values(load("api", "google-places-api", "PlaceDetailsResponse.json")["result"])
    assert (place["address"], place["city"], place["state"], place["zip"], place["country"]) == (
        "48 Pirrama Rd", "Pyrmont", "NSW", "2009", "AU")  # fmt: skip
    assert place["phone"] == "(02) 9374 4000" and place["status"] == "OPERATIONAL"
    outcome, reason = GoogleSpider().answer_error({"status": "REQUEST_DENIED", "results": []})
    assert outcome == "blocked" and "API key rejected" in reason
    assert GoogleSpider().key_at() == {"param": "key"}


# --- Foursquare -----------------------------------------------------------------------------


def test_foursquare_current_api_real_answers():
    path = realdata(
        "realweb", "api", "foursquare_new", "netapplied_fsq_places_api_examples_prompt.md"
    )
    answers = blocks(path)
    search = next(a for a in answers if a.get("results") and "fsq_place_id" in a["results"][0])
    places = FoursquareSpider().candidates(search)
    pancake = places[0]
    assert (pancake["id"], pancake["name"], pancake["address"], pancake["city"]) == (
        "4c2f560b66e40f47b7acc18b",
        "Pancake Farm Restaurant",
        "1032 S State St",
        "Ephrata",
    )
    assert (pancake["phone"], pancake["categories"]) == ("(717) 733-7118", "Breakfast Spot")
    assert next(p for p in places if p["name"] == "Roma Pizza")["website"] == ""  # website: ""
    assert all(p["status"] == "" for p in places)  # none closed
    hq = fsq_place(next(a for a in answers if a.get("fsq_place_id") == "5a187743ccad6b307315e6fe"))
    assert hq["name"] == "Foursquare HQ" and hq["status"] == "closed since 2025-09-02"
    assert listing(FoursquareSpider(), hq).found[0]["status"] == "closed since 2025-09-02"


def test_foursquare_v3_real_answer_pasted_in_python():
    path = realdata(
        "realweb", "api", "foursquare_v3", "location-advisor_foursquare_places_v3_mock.py"
    )
    tree = ast.parse(path.read_text(encoding="utf-8"))
    answers = {node.targets[0].id: ast.literal_eval(node.value)
               for node in tree.body if isinstance(node, ast.Assign)}  # fmt: skip
    places = FoursquareSpider().candidates(answers["FOURSQUARE_PLACES_V3_MOCK_200"])
    assert len(places) == 10
    assert (places[0]["id"], places[0]["name"], places[0]["city"]) == (
        "53146e95498e242a07e892b4",
        "Baguetterie & Cafébar Strahmann",
        "Frankfurt am Main",
    )
    assert places[1]["categories"] == "Café; Coffee Shop"


# --- Azure Maps: its own source, with whose data it is -----------------------------------------


def test_azure_maps_real_answer_names_foursquare():
    path = realdata("realweb", "api", "azure_maps",
                    "azsdkjs_searchPointOfInterest_juice_bars_seattle.js")  # fmt: skip
    text = path.read_text(encoding="utf-8")
    start = text.index(".reply(200, ") + len(".reply(200, ")
    answer, _ = json.JSONDecoder().raw_decode(text, start)
    places = AzuremapsSpider().candidates(answer)
    assert len(places) == 10
    smoothie = places[0]
    assert (smoothie["name"], smoothie["address"], smoothie["zip"], smoothie["phone"]) == (
        "Custom Smoothie",
        "719 2nd Avenue",
        "98104-1700",
        "+1 206-708-6049",
    )
    assert smoothie["provenance"] == (
        "Azure Maps, details from Foursquare (record 4b6a1048f964a52021c52be3)"
    )
    assert all("Foursquare" in p["provenance"] for p in places)
    stored = listing(AzuremapsSpider(), smoothie)
    assert stored.source == "azuremaps" and stored.listing_key == "azuremaps:840539003070354"
    assert stored.found[0]["provenance"].startswith("Azure Maps, details from Foursquare")


def test_azure_maps_excerpt_without_data_sources():
    answer = load("realweb", "api", "azure-maps", "poi_juicebars_seattle_2022_EXCERPT.json")
    places = {p["name"]: p for p in AzuremapsSpider().candidates(answer)}
    assert places["Jamba Juice-Madison"]["provenance"] == (
        "Azure Maps (its answer names no data source)"
    )
    assert places["The Juice Emporium"]["phone"] == ""  # a POI without phone or url


# --- Yelp Fusion: stored without tracking parameters --------------------------------------------


@pytest.mark.parametrize(
    "parts, extract",
    [
        (("realweb", "api", "yelp-fusion", "search_coffee_11206_bean-there_2021.json"), None),
        (("realweb", "api", "yelp-fusion", "search_tempe_trepanier_2019.json"), None),
        (("realweb", "api", "yelp", "react-restaurant-finder_Fixtures_index.js"),
         "SAMPLE_SEARCH_RESPONSE"),
        (("realweb", "api", "yelp", "react-restaurant-finder_Fixtures_index.js"),
         "SAMPLE_SEARCH_RESPONSE_2"),
    ],
)  # fmt: skip
def test_yelp_real_searches_are_stored_without_tracking(parts, extract):
    text = realdata(*parts).read_text(encoding="utf-8")
    answer = chompjs.parse_js_object(text)[extract] if extract else json.loads(text)
    places = YelpSpider().candidates(answer)
    assert len(places) == len(answer["businesses"]) > 0
    for place, raw in zip(places, answer["businesses"], strict=True):
        assert "utm_source=" in raw["url"] and "adjust_creative=" in raw["url"]
        stored = listing(YelpSpider(), place)
        assert stored.url == raw["url"].split("?")[0] == stored.found[0]["url"]
        assert stored.listing_key == f"yelp:{raw['id']}"


@pytest.mark.parametrize("parts", [
    ("api", "yelp-fusion-api", "business_lookup_yelp_san_francisco.json"),
    ("realweb", "api", "yelp", "yelppython_business_lookup_yelp_san_francisco.json"),
])  # fmt: skip
def test_yelp_business_real_answer(parts):
    (found,) = YelpSpider().candidates({"businesses": [load(*parts)]})
    assert found["id"] == "4kMBvIEWPxWkWKFN__8SxQ"
    assert (found["name"], found["address"], found["city"], found["zip"]) == (
        "Yelp", "140 New Montgomery St", "San Francisco", "94105")  # fmt: skip
    assert found["phone"] == "(415) 908-3801"


def test_yelp_business_real_answer_paris():
    (found,) = YelpSpider().candidates(
        {"businesses": [load("api", "yelp-fusion-api", "business_lookup_sacre_coeur_paris.json")]}
    )
    assert found["city"] == "Paris" and found["country"] == "FR" and found["name"]


# --- OpenStreetMap, and Apple's answer (why it is not checked) ---------------------------------


def test_nominatim_real_answers():
    data = load("api", "nominatim-api", "geocoder-tests-locationiq_reverse.json")
    place = osm_place(data[0] if isinstance(data, list) else data)
    assert place["name"] == "Ottawa City Hall"
    assert (place["address"], place["city"], place["zip"]) == (
        "110 Laurier Avenue West", "Ottawa", "K2P 2K1")  # fmt: skip
    assert place["url"] == "https://www.openstreetmap.org/way/68588664"
    data = load("api", "nominatim-api", "geocoder-tests-osm.json")
    places = [osm_place(p) for p in (data if isinstance(data, list) else [data])]
    assert places and all(p["url"].startswith("https://www.openstreetmap.org/") for p in places)


def test_overpass_tags_give_phone_website_and_street():
    for name in (
        "overpass-wrapper-example_singlenode.json",
        "overpass-wrapper-example_mapquery.json",
    ):
        elements = load("api", "overpass-api", name)["elements"]
        tagged = [e["tags"] for e in elements if "addr:housenumber" in e.get("tags", {})]
        assert tagged, "the sample has elements with a house number"
        for tags in tagged:
            values = tag_values(tags)
            assert values["address"].startswith(tags["addr:housenumber"])
            assert values["phone"] == tags.get("phone", tags.get("contact:phone", "")).split(";")[0]
            assert values["website"] == tags.get("website", tags.get("contact:website", ""))


def test_apple_maps_answer_has_no_phone_or_website():
    """The catalog says Apple cannot be checked: its search answers name and address only."""
    text = realdata("realweb", "api", "apple_maps", "applemaps-go_search_test.go").read_text()
    answer = json.loads(re.search(r"search_SuccessResponse\s+string = `(.*?)`", text)[1])
    assert answer["results"] and all(r["name"] and r["formattedAddressLines"]
                                      for r in answer["results"])  # fmt: skip
    keys = {k for r in answer["results"] for k in r}
    assert not keys & {"phone", "phoneNumber", "telephone", "url", "website", "urls"}


# --- the mock APIs: the real APIs' shapes and refusals -------------------------------------------

INDEX = [{"path": "/azuremaps/poi/X1", "name": "Harbor Lane Dental", "address": "1 Main St",
          "city": "Costa Mesa", "state": "CA", "zip": "92626", "phone": "(714) 555-0142",
          "website": ""}]  # fmt: skip
GOOGLE_NEW = "/google/v1/places:searchText"
SEARCH_BODY = b'{"textQuery": "Harbor Lane Dental Costa Mesa CA"}'


@pytest.mark.parametrize(
    "source, path, params, headers, method, status, text",
    [
        ("google", GOOGLE_NEW, {}, {"X-Goog-Api-Key": "nope", "X-Goog-FieldMask": "*"}, "POST",
         400, "API_KEY_INVALID"),
        ("google", GOOGLE_NEW, {}, {"X-Goog-FieldMask": "*"}, "POST", 403, "PERMISSION_DENIED"),
        ("google", GOOGLE_NEW, {}, {"X-Goog-Api-Key": KEY}, "POST", 400, "FieldMask"),
        ("google", "/google/maps/api/place/textsearch/json", {"query": "x", "key": "nope"}, None,
         "GET", 200, "REQUEST_DENIED"),
        ("azuremaps", "/azuremaps/search/poi/json", {"query": "x"}, None, "GET", 401,
         "401 Unauthorized"),
        ("yelp", "/yelp/v3/businesses/search", {"term": "x"}, {"Authorization": "Bearer nope"},
         "GET", 401, "TOKEN_INVALID"),
        ("yelp", "/yelp/v3/businesses/search", {"term": "x"}, {}, "GET", 401, "TOKEN_MISSING"),
        ("foursquare", "/foursquare/places/search", {"query": "x"},
         {"Authorization": "Bearer nope"}, "GET", 401, "Invalid request token"),
        ("foursquare", "/foursquare/places/search", {"query": "x"},
         {"Authorization": f"Bearer {KEY}"}, "GET", 400, "X-Places-Api-Version"),
    ],
)  # fmt: skip
def test_mock_refuses_what_the_real_api_refuses(source, path, params, headers, method, status,
                                                text):  # fmt: skip
    answer = mockapis.respond(source, path, params, INDEX, headers=headers, method=method,
                              body=SEARCH_BODY)  # fmt: skip
    assert answer[0] == status and text in json.dumps(answer[1])


def test_mock_google_answers_only_the_masked_fields_in_the_spider_s_shape():
    index = [{**INDEX[0], "path": "/google/maps/place/ChIJx1", "status": "CLOSED_PERMANENTLY"}]
    headers = {"X-Goog-Api-Key": KEY, "X-Goog-FieldMask": "places.id,places.displayName"}
    status, body = mockapis.respond("google", GOOGLE_NEW, {}, index, headers=headers,
                                    method="POST", body=SEARCH_BODY)  # fmt: skip
    assert status == 200 and body == {"places": [{"id": "ChIJx1", "displayName": {
        "text": "Harbor Lane Dental", "languageCode": "en"}}]}  # fmt: skip
    headers["X-Goog-FieldMask"] = "*"
    _, place = mockapis.respond("google", "/google/v1/places/ChIJx1", {}, index, headers=headers)
    values = GoogleSpider().detail_values(place)
    assert (values["phone"], values["zip"], values["status"]) == (
        "(714) 555-0142", "92626", "CLOSED_PERMANENTLY")  # fmt: skip
    # A search by GET is not the API's: Text Search (New) is a POST.
    assert mockapis.respond("google", GOOGLE_NEW, {}, index, headers=headers)[0] == 404


def test_mock_azure_maps_answers_in_the_shape_the_spider_reads():
    params = {"query": "Harbor Lane Dental Costa Mesa CA", "subscription-key": KEY}
    status, body = mockapis.respond("azuremaps", "/azuremaps/search/poi/json", params, INDEX)
    (found,) = AzuremapsSpider().candidates(body)
    assert status == 200 and found["id"] == "X1" and found["zip"] == "92626"
    assert found["provenance"].startswith("Azure Maps, details from Foursquare (record ")
    assert mockapis.respond("yelp", "/yelp/search", {}, INDEX) is None  # the public page


# --- discovery on the sample web, as a user runs it ---------------------------------------------


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    sources = ["google", "foursquare", "azuremaps", "openstreetmap", "yelp"]
    done, db, web = discover(folder, sources, env=KEYS)
    return folder, done, db, web


def hits(web, source: str) -> list:
    return [h for h in web.hits if h.path.startswith(f"/{source}/")]


def header(hit, name: str) -> str | None:
    """A request header as the server got it (HTTP header names are case-insensitive)."""
    return next((v for k, v in hit.headers.items() if k.lower() == name.lower()), None)


def test_google_asks_the_places_api_new_with_its_key_in_a_header(keyed):
    *_, web = keyed
    searches = [h for h in hits(web, "google") if h.path == GOOGLE_NEW]
    details = [h for h in hits(web, "google") if h.path.startswith("/google/v1/places/")]
    assert searches and all(h.method == "POST" for h in searches)
    # One search per client, by name, city and state (the two sister stores share theirs). A
    # search answered past --timeout on a loaded machine is retried (CI once saw 10 searches):
    # the same query again, at most RETRY_TIMES (2) more, never a new one.
    with CLIENTS.open(encoding="utf-8", newline="") as f:
        wanted = Counter(f"{c['name']} {c['city']} {c['state']}" for c in csv.DictReader(f))
    asked = Counter(json.loads(h.body)["textQuery"] for h in searches)
    assert sum(wanted.values()) == 9 and set(asked) == set(wanted), (asked, wanted)
    assert all(wanted[q] <= n <= wanted[q] + 2 for q, n in asked.items()), (asked, wanted)
    assert details and all(h.method == "GET" for h in details)
    for hit in searches + details:
        assert header(hit, "X-Goog-Api-Key") == KEY
        assert "businessStatus" in header(hit, "X-Goog-FieldMask")
        assert KEY not in hit.query  # never in the URL
    assert "nationalPhoneNumber" not in header(searches[0], "X-Goog-FieldMask")  # Pro fields only
    assert "nationalPhoneNumber" in header(details[0], "X-Goog-FieldMask")
    assert not [h for h in hits(web, "google") if h.path.startswith("/google/maps/api/")]


def test_foursquare_and_azure_maps_request_shapes(keyed):
    *_, web = keyed
    foursquare = hits(web, "foursquare")
    assert foursquare and all(h.path == "/foursquare/places/search" and h.method == "GET"
                              for h in foursquare)  # fmt: skip
    for hit in foursquare:
        assert header(hit, "Authorization") == f"Bearer {KEY}"
        assert header(hit, "X-Places-Api-Version") == "2025-06-17"
    azure = hits(web, "azuremaps")
    assert azure and all(h.path == "/azuremaps/search/poi/json" for h in azure)
    assert all(f"subscription-key={KEY}" in h.query for h in azure)  # where Azure Maps takes it
    assert not any(KEY in str(h.headers) for h in azure)
    assert not any(KEY in h.query or KEY in str(h.headers) for h in hits(web, "openstreetmap"))


def test_right_candidate_among_lookalikes(keyed):
    _, _, db, _ = keyed
    google = listings(db, "google")
    assert [k for k, *_ in google["harbor-lane"]] == ["google:ChIJhL2nUc7f3IAR0x4mP1qB7nE"]
    # sister stores with one name: each finds its own place, by address and phone
    assert google["northside-elston"][0][0] != google["northside-irving"][0][0]
    assert listings(db, "azuremaps")["red-lantern"][0][:2] == (
        "azuremaps:US-POI-9e4c7b26d1a0", "ok")  # fmt: skip
    # the planted Foursquare venue, read from its page into the mock API
    assert listings(db, "foursquare")["copper-kettle"][0][:2] == (
        "foursquare:5f3a9c21e4b0d8a1c2f7b604", "ok")  # fmt: skip


def test_verdicts_and_urls_from_api_data(keyed):
    _, _, db, _ = keyed
    rows = db.execute(
        "select f.field, f.status from run_listings rl join findings f using (check_id) "
        "where rl.source = 'google' and rl.business_id = 'harbor-lane'"
    ).fetchall()
    statuses = dict(rows)
    assert statuses.get("name") == "match" and statuses.get("phone") == "match"
    (url,) = db.execute(
        "select url from run_listings where source = 'google' and business_id = 'harbor-lane'"
    ).fetchone()
    assert url.startswith("https://maps.google.com/?cid=") and "g_mp" not in url


def test_not_found_says_what_was_searched_and_through_which_api(keyed):
    _, _, db, _ = keyed
    ((key, outcome, reason),) = listings(db, "google")["red-lantern"]
    assert (key, outcome) == ("search:red-lantern", "not_found")
    assert "'Red Lantern Bar' in Chicago, IL through Places API (New)" in reason
    assert "Red Lantern Restaurant" in reason


def test_two_places_for_one_business_is_a_duplicate(keyed):
    _, _, db, _ = keyed
    kettle = listings(db, "google")["copper-kettle"]
    assert len(kettle) == 2 and all(outcome == "ok" for _, outcome, _ in kettle)


def test_yelp_without_a_key_searches_the_public_page(keyed):
    _, _, db, _ = keyed
    yelp = listings(db, "yelp")
    assert yelp["harbor-lane"] == [("/yelp/biz/harbor-lane-dental-costa-mesa", "ok", None)]
    assert yelp["arts-deli"][0][1] == "blocked"  # its page is a challenge
    assert "Mesa Verde Landscaping" in yelp["mesa-verde"][0][2]  # a look-alike, not taken


def test_the_key_never_reaches_db_report_or_log(keyed):
    folder, done, _, _ = keyed
    for path in folder.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in done.stderr and KEY not in done.stdout


def test_yelp_api_listing_is_stored_without_tracking(tmp_path):
    done, db, web = discover(tmp_path, ["yelp"], env={"YELP_API_KEY": KEY})
    stored = db.execute("select url from run_listings where source = 'yelp' and outcome = 'ok'")
    urls = [u for (u,) in stored]
    assert urls and all(u.startswith("https://www.yelp.com/biz/") and "?" not in u for u in urls)
    api = [h for h in hits(web, "yelp") if h.path.startswith("/yelp/v3/")]
    assert api and all(h.path == "/yelp/v3/businesses/search" and h.method == "GET" for h in api)
    assert all(header(h, "Authorization") == f"Bearer {KEY}" and KEY not in h.query for h in api)


def test_legacy_google_on_request_says_so(tmp_path):
    env = {**KEYS, "NAPAUDIT_GOOGLE_PLACES_API": "legacy"}
    done, db, web = discover(tmp_path, ["google"], env=env)
    assert {h.path for h in hits(web, "google")} <= {
        "/google/maps/api/place/textsearch/json",
        "/google/maps/api/place/details/json",
    }
    assert all(f"key={KEY}" in h.query for h in hits(web, "google"))  # the legacy API's way
    ((_, outcome, reason),) = listings(db, "google")["red-lantern"]
    assert outcome == "not_found" and "through Places API (Legacy)" in reason
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_without_a_key_google_is_not_checked_and_a_wrong_key_is_blocked(tmp_path):
    env = {"GOOGLE_PLACES_API_KEY": "", "AZURE_MAPS_KEY": "wrong-key-456",
           "FOURSQUARE_API_KEY": "wrong-key-456"}  # fmt: skip
    done, db, _ = discover(tmp_path, ["google", "azuremaps", "foursquare"], env=env)
    for rows in listings(db, "google").values():
        assert [(o, r) for _, o, r in rows] == [
            ("skipped", "no API key (set GOOGLE_PLACES_API_KEY, or [keys] google in napaudit.toml)")
        ]
    for source in ("azuremaps", "foursquare"):
        stored = listings(db, source)
        assert len(stored) == 9
        for ((_, outcome, reason),) in stored.values():
            assert outcome == "blocked" and "API key rejected" in reason
    assert "wrong-key-456" not in done.stderr + done.stdout
    assert b"wrong-key-456" not in (tmp_path / "discovery.db").read_bytes()


def test_a_refused_google_key_is_blocked(tmp_path):
    done, db, _ = discover(tmp_path, ["google"], env={"GOOGLE_PLACES_API_KEY": "wrong-key-789"})
    for ((_, outcome, reason),) in listings(db, "google").values():
        assert outcome == "blocked"
        assert "API key rejected (INVALID_ARGUMENT: API key not valid" in reason
    assert "wrong-key-789" not in done.stderr + done.stdout
