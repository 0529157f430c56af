"""API-based sources: parsing the real APIs' answers, the mock APIs, and discovery through them on
the sample web (Google, Foursquare, Azure Maps for Bing, Nominatim for OpenStreetMap; Yelp's
public search page without a key)."""

from __future__ import annotations

import json

import pytest
from conftest import realdata
from discovery import discover, listings
from napaudit.sampleweb import mockapis
from napaudit.spiders.sources.bing import BingSpider
from napaudit.spiders.sources.google import GoogleSpider, place_values
from napaudit.spiders.sources.openstreetmap import place_values as osm_place
from napaudit.spiders.sources.openstreetmap import tag_values
from napaudit.spiders.sources.yelp import YelpSpider

KEY = "test-key-123"
KEYS = {"GOOGLE_PLACES_API_KEY": KEY, "FOURSQUARE_API_KEY": KEY, "AZURE_MAPS_KEY": KEY,
        "YELP_API_KEY": ""}  # fmt: skip


def load(*parts: str):
    return json.loads(realdata("api", *parts).read_text(encoding="utf-8"))


# --- parsing the real answers -----------------------------------------------------------------


def test_google_details_real_answer():
    place = place_values(load("google-places-api", "PlaceDetailsResponse.json")["result"])
    assert place["id"] == "ChIJN1t_tDeuEmsRUsoyG83frY4"
    assert (place["address"], place["city"], place["state"], place["zip"], place["country"]) == (
        "48 Pirrama Rd", "Pyrmont", "NSW", "2009", "AU")  # fmt: skip
    assert place["phone"] == "(02) 9374 4000" and place["website"] == "http://google.com/"
    assert place["url"].startswith("https://maps.google.com/?cid=")


def test_google_text_search_real_answer_reads_formatted_address():
    data = load("google-places-api", "TextSearchPizzaInNYC.json")
    found = GoogleSpider().candidates(data)
    assert len(found) == len(data["results"]) == 20
    first = found[0]
    assert first["name"] == data["results"][0]["name"] and first["id"]
    assert first["address"] and first["state"] == "NY" and len(first["zip"]) == 5
    assert GoogleSpider().answer_error(data) is None


def test_google_refused_key_is_blocked():
    outcome, reason = GoogleSpider().answer_error({"status": "REQUEST_DENIED", "results": []})
    assert outcome == "blocked" and "API key rejected" in reason


def test_yelp_business_real_answer():
    business = load("yelp-fusion-api", "business_lookup_yelp_san_francisco.json")
    (found,) = YelpSpider().candidates({"businesses": [business]})
    assert found["id"] == "4kMBvIEWPxWkWKFN__8SxQ"
    assert (found["name"], found["address"], found["city"], found["zip"]) == (
        "Yelp", "140 New Montgomery St", "San Francisco", "94105")  # fmt: skip
    assert found["phone"] == "(415) 908-3801"
    assert found["url"] == "https://www.yelp.com/biz/yelp-san-francisco"


def test_nominatim_real_answer():
    data = load("nominatim-api", "geocoder-tests-locationiq_reverse.json")
    place = osm_place(data[0] if isinstance(data, list) else data)
    assert place["name"] == "Ottawa City Hall"
    assert (place["address"], place["city"], place["zip"]) == (
        "110 Laurier Avenue West", "Ottawa", "K2P 2K1")  # fmt: skip
    assert place["url"] == "https://www.openstreetmap.org/way/68588664"


def test_overpass_tags_give_phone_website_and_street():
    elements = load("overpass-api", "overpass-wrapper-example_singlenode.json")["elements"]
    tagged = [e["tags"] for e in elements if "addr:housenumber" in e.get("tags", {})]
    assert tagged, "the sample has elements with a house number"
    for tags in tagged:
        values = tag_values(tags)
        assert values["address"].startswith(tags["addr:housenumber"])
        assert values["phone"] == tags.get("phone", tags.get("contact:phone", "")).split(";")[0]
        assert values["website"] == tags.get("website", tags.get("contact:website", ""))


# --- the mock APIs: the real APIs' refusals -----------------------------------------------------

INDEX = [{"path": "/bing/poi/X1", "name": "Harbor Lane Dental", "address": "1 Main St",
          "city": "Costa Mesa", "state": "CA", "zip": "92626", "phone": "(714) 555-0142",
          "website": ""}]  # fmt: skip


@pytest.mark.parametrize(
    "source, path, params, headers, status, text",
    [
        ("google", "/google/maps/api/place/textsearch/json", {"query": "x", "key": "nope"}, None,
         200, "REQUEST_DENIED"),
        ("bing", "/bing/search/poi/json", {"query": "x"}, None, 401, "401 Unauthorized"),
        ("yelp", "/yelp/v3/businesses/search", {"term": "x"}, {"Authorization": "Bearer nope"},
         401, "TOKEN_INVALID"),
        ("yelp", "/yelp/v3/businesses/search", {"term": "x"}, {}, 401, "TOKEN_MISSING"),
        ("foursquare", "/foursquare/places/search", {"query": "x"},
         {"Authorization": "Bearer nope"}, 401, "Invalid request token"),
    ],
)  # fmt: skip
def test_mock_refuses_a_wrong_key(source, path, params, headers, status, text):
    answer = mockapis.respond(source, path, params, INDEX, headers=headers)
    assert answer[0] == status and text in json.dumps(answer[1])


def test_mock_answers_in_the_shape_the_spider_reads():
    params = {"query": "Harbor Lane Dental Costa Mesa CA", "subscription-key": KEY}
    status, body = mockapis.respond("bing", "/bing/search/poi/json", params, INDEX)
    (found,) = BingSpider().candidates(body)
    assert status == 200 and found["id"] == "X1" and found["zip"] == "92626"
    assert mockapis.respond("yelp", "/yelp/search", {}, INDEX) is None  # the public page


# --- discovery on the sample web ---------------------------------------------------------------


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    sources = ["google", "foursquare", "bing", "openstreetmap", "yelp"]
    done, db, _ = discover(folder, sources, env=KEYS)
    return folder, done, db


def test_right_candidate_among_lookalikes(keyed):
    _, _, db = keyed
    google = listings(db, "google")
    assert [k for k, *_ in google["harbor-lane"]] == ["google:ChIJhL2nUc7f3IAR0x4mP1qB7nE"]
    # sister stores with one name: each finds its own place, by address and phone
    assert google["northside-elston"][0][0] != google["northside-irving"][0][0]
    assert listings(db, "bing")["red-lantern"][0][:2] == ("bing:US-POI-9e4c7b26d1a0", "ok")
    # the planted Foursquare venue, read from its page into the mock API
    assert listings(db, "foursquare")["copper-kettle"][0][:2] == (
        "foursquare:5f3a9c21e4b0d8a1c2f7b604", "ok")  # fmt: skip


def test_verdicts_from_api_data(keyed):
    _, _, db = keyed
    rows = db.execute(
        "select f.field, f.status from run_listings rl join findings f using (check_id) "
        "where rl.source = 'google' and rl.business_id = 'harbor-lane'"
    ).fetchall()
    statuses = dict(rows)
    assert statuses.get("name") == "match" and statuses.get("phone") == "match"


def test_not_found_says_what_was_searched(keyed):
    _, _, db = keyed
    ((key, outcome, reason),) = listings(db, "google")["red-lantern"]
    assert (key, outcome) == ("search:red-lantern", "not_found")
    assert "'Red Lantern Bar' in Chicago, IL" in reason and "Red Lantern Restaurant" in reason


def test_two_places_for_one_business_is_a_duplicate(keyed):
    _, _, db = keyed
    kettle = listings(db, "google")["copper-kettle"]
    assert len(kettle) == 2 and all(outcome == "ok" for _, outcome, _ in kettle)


def test_yelp_without_a_key_searches_the_public_page(keyed):
    _, _, db = keyed
    yelp = listings(db, "yelp")
    assert yelp["harbor-lane"] == [("/yelp/biz/harbor-lane-dental-costa-mesa", "ok", None)]
    assert yelp["arts-deli"][0][1] == "blocked"  # its page is a challenge
    assert "Mesa Verde Landscaping" in yelp["mesa-verde"][0][2]  # a look-alike, not taken


def test_the_key_never_reaches_db_report_or_log(keyed):
    folder, done, _ = keyed
    assert KEY.encode() not in (folder / "discovery.db").read_bytes()
    for path in (folder / "report").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in done.stderr and KEY not in done.stdout


def test_without_a_key_google_is_not_checked_and_a_wrong_key_is_blocked(tmp_path):
    env = {"GOOGLE_PLACES_API_KEY": "", "AZURE_MAPS_KEY": "wrong-key-456"}
    done, db, _ = discover(tmp_path, ["google", "bing"], env=env)
    for rows in listings(db, "google").values():
        assert [(o, r) for _, o, r in rows] == [
            ("skipped", "no API key (set GOOGLE_PLACES_API_KEY, or [keys] google in napaudit.toml)")
        ]
    bing = listings(db, "bing")
    assert len(bing) == 9
    for ((_, outcome, reason),) in bing.values():
        assert outcome == "blocked" and "API key rejected" in reason
    assert "wrong-key-456" not in done.stderr + done.stdout
    assert b"wrong-key-456" not in (tmp_path / "discovery.db").read_bytes()
