"""Yelp without a key, on real pages saved from yelp.com by others (../shared/realdata/realweb/
yelp/, see its PROVENANCE.tsv): a 2025 search page ("roofers" near Pittsburg, CA; 10 organic
results and 11 ads) and four 2016 business pages. Each test asserts what a person reads there.
"""

from __future__ import annotations

import pytest
from conftest import realdata
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.phone import normalize_phone
from napaudit.auditor.normalize.record import normalize_record
from napaudit.spiders.bases.listing import Target
from napaudit.spiders.items import Listing
from napaudit.spiders.sources.yelp import YelpSpider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

SEARCH_URL = "https://www.yelp.com/search?find_desc=Roofers&find_loc=Pittsburg%2C+CA"
BIZ = "https://www.yelp.com/biz/"

# The organic results, in page order: the name a person reads and the /biz/ page it opens.
ORGANIC = [
    ("East Bay Roofing", "east-bay-roofing-antioch"),
    ("Apollo Roofing Company", "apollo-roofing-company-san-francisco-3"),
    ("Bailey’s Roofing", "baileys-roofing-antioch-2"),
    ("Maximum Roofing", "maximum-roofing-concord"),
    ("Affordable Roofing Systems", "affordable-roofing-systems-martinez"),
    ("Diablo Roofing Services", "diablo-roofing-services-antioch"),
    ("Integrity Roofing Systems", "integrity-roofing-systems-pleasanton"),
    ("Hernandez’s Roofing", "hernandezs-roofing-san-leandro-3"),
    ("Two Brothers Roofing", "two-brothers-roofing-danville"),
    ("Equinox Roofing", "equinox-roofing-walnut-creek"),
]
# The ads ("Sponsored Results"): name, the /biz/ page behind /adredir, the street the card shows.
ADS = [
    ("Herrera General Construction", "herrera-general-construction-concord-4", ""),
    ("Roofs Roofs & Remodel", "roofs-roofs-and-remodel-pacheco-9", "411 N Buchanan Cir"),
    ("Royalty Roofing & Waterproof", "royalty-roofing-and-waterproof-san-pablo-2", ""),
    ("Abc Roofing", "abc-roofing-san-francisco-3", "1576 Geneva Ave"),
    ("Moctezuma Roofing", "moctezuma-roofing-san-jose-3", "6104 Butano Ct"),
    ("Claudex Roofing", "claudex-roofing-stockton", ""),
    ("Collins Roofing", "collins-roofing-oakland-2", "3756 Grand Ave"),
    ("Escalante Roofing", "escalante-roofing-vallejo", "1160 Bush Ave"),
    ("Golden Arroyo Roofing", "golden-arroyo-roofing-oakland", ""),
    ("Roofology 101", "roofology-101-hayward", "19035 Lowell Ave"),
    ("Squeegee Pros", "squeegee-pros-san-jose-2", "1750 Stokes"),
]


def spider(**businesses: dict) -> YelpSpider:
    """The spider without a key, searching for these businesses (id -> record fields)."""
    clients = {k: normalize_record(Record(id=k, **v)) for k, v in businesses.items()}
    return YelpSpider.from_crawler(get_crawler(YelpSpider), businesses=clients)


def search_page(request: Request | None = None) -> HtmlResponse:
    body = realdata("realweb", "yelp", "search_2025_emmanuel-rods.html").read_bytes()
    return HtmlResponse(SEARCH_URL, body=body, encoding="utf-8", request=request)


def search(yelp: YelpSpider, business_id: str) -> list:
    request = Request(SEARCH_URL, meta={"business_id": business_id, "searched": "'Roofers'"})
    return list(yelp.parse_search(search_page(request)))


# --- the 2025 search page -----------------------------------------------------------------------


def test_search_page_yields_its_organic_businesses_with_their_biz_links():
    results = spider().results(search_page())
    organic = [(r["name"], r["url"]) for r in results if not r["sponsored"]]
    # the link's ?osq=Roofers&override_cta=... says which search led there: not the listing
    assert organic == [(name, BIZ + alias) for name, alias in ORGANIC]


def test_sponsored_cards_are_ads_that_lead_to_their_biz_page():
    results = spider().results(search_page())
    ads = [(r["name"], r["url"], r["address"]) for r in results if r["sponsored"]]
    assert ads == [(name, BIZ + alias, street) for name, alias, street in ADS]


def test_cards_show_no_phone_and_no_city():
    """What the cards show: a name, a street on some ads, never a phone or a city."""
    for r in spider().results(search_page()):
        assert (r["phone"], r["city"], r["state"], r["zip"], r["status"]) == ("", "", "", "", "")
    assert all(not r["address"] for r in spider().results(search_page()) if not r["sponsored"])


def test_a_business_not_on_the_page_is_not_found_and_no_ad_is_followed():
    yelp = spider(acme={"name": "Acme Roofing", "address": "1 Railroad Ave",
                        "city": "Pittsburg", "state": "CA", "phone": "(925) 555-0100"})  # fmt: skip
    [answer] = search(yelp, "acme")
    assert isinstance(answer, Listing)
    assert (answer.outcome, answer.url) == ("not_found", SEARCH_URL)
    assert answer.reason.startswith(
        "searched Yelp for 'Roofers': 10 results, none is this business (closest: "
    )
    assert answer.reason.endswith("(11 ads left aside)")


def test_an_ad_for_the_business_itself_leads_to_its_listing_page():
    """Collins Roofing advertises; its ad shows its street: the ad IS the business."""
    yelp = spider(collins={"name": "Collins Roofing", "address": "3756 Grand Ave",
                           "city": "Oakland", "state": "CA", "zip": "94610"})  # fmt: skip
    [request] = search(yelp, "collins")
    assert request.url == BIZ + "collins-roofing-oakland-2"
    assert request.callback == yelp.parse_listing


def test_an_ad_with_the_name_but_another_street_is_not_followed():
    yelp = spider(abc={"name": "ABC Roofing", "address": "200 Main St", "city": "Pittsburg",
                       "state": "CA"})  # fmt: skip
    [answer] = search(yelp, "abc")
    assert isinstance(answer, Listing) and answer.outcome == "not_found"


def test_a_card_showing_only_a_name_is_followed_to_be_confirmed():
    """East Bay Roofing's card shows its name and nothing to score: its page decides."""
    yelp = spider(eastbay={"name": "East Bay Roofing", "city": "Antioch", "state": "CA"})
    [request] = search(yelp, "eastbay")
    assert request.url == BIZ + "east-bay-roofing-antioch"
    assert request.callback == yelp.parse_confirm


def test_a_card_with_a_shorter_name_is_followed_to_be_confirmed_too():
    """'Apollo Roofing' searched, 'Apollo Roofing Company' shown: it could be the business."""
    yelp = spider(apollo={"name": "Apollo Roofing", "city": "Pittsburg", "state": "CA"})
    [request] = search(yelp, "apollo")
    assert request.url == BIZ + "apollo-roofing-company-san-francisco-3"


# --- the 2016 business pages --------------------------------------------------------------------

# file -> (name, street, city, state, ZIP, phone, website) as a person reads them on the page;
# the iPhone repair shop shows no street ("we don't have a specific address").
PAGES = {
    "biz_2016_rosinas-oceanside.html": (
        "Rosina’s Italian Restaurant - Oceanside", "3613 Ocean Ranch Blvd Ste 100", "Oceanside",
        "CA", "92056", "(760) 721-5000", "http://www.rosinasoceanside.com/"),
    "biz_2016_tacorea-sf.html": (
        "Tacorea", "809 Bush St", "San Francisco", "CA", "94108", "(415) 885-1325",
        "http://www.tacoreasf.com"),
    "biz_2016_mobile-iphone-repair-sd.html": (
        "Mobile iPhone iPad Screen Repair", "", "San Diego", "CA", "92111", "(858) 335-5971",
        "http://sandiegomobilephonerepair.com"),
    "biz_mobile_2016_mobile-iphone-repair-sd.html": (
        "Mobile iPhone iPad Screen Repair", "", "San Diego", "CA", "92111", "(858) 335-5971",
        "http://sandiegomobilephonerepair.com"),
}  # fmt: skip


def business_page(name: str, request: Request) -> HtmlResponse:
    body = realdata("realweb", "yelp", name).read_bytes()
    return HtmlResponse(request.url, body=body, encoding="utf-8", request=request)


@pytest.mark.parametrize("page", list(PAGES))
def test_business_page_shows_name_address_phone_and_the_website_behind_biz_redir(page):
    url = BIZ + "x"
    request = Request(url, meta={"target": Target("b", "yelp", url)})
    [listing] = spider().parse_listing(business_page(page, request))
    shown = listing.found[0]
    name, street, city, state, zip5, phone, website = PAGES[page]
    assert (shown["name"], shown["address"], shown["city"], shown["state"], shown["zip"]) == (
        name, street, city, state, zip5)  # fmt: skip
    assert normalize_phone(shown["phone"]).e164 == normalize_phone(phone).e164
    assert shown["website"] == website  # the page links it only as /biz_redir?url=...
    assert not shown.get("status")  # none of them says the business closed


def confirm(yelp: YelpSpider, business_id: str, page: str) -> list:
    """The Tacorea card of a search, confirmed on Tacorea's real page."""
    card = {"name": "Tacorea", "url": BIZ + "tacorea-san-francisco", "sponsored": False}
    chain = {"queue": [card], "confirmed": 0, "checked": [], "search_url": SEARCH_URL,
             "not_found": "searched Yelp for 'Tacorea': 1 result, none is this business"}  # fmt: skip
    request = yelp.confirm_request(business_id, "'Tacorea'", chain)
    return list(yelp.parse_confirm(business_page(page, request)))


def test_a_thin_card_whose_page_shows_the_business_is_its_listing():
    yelp = spider(tacorea={"name": "Tacorea", "address": "809 Bush St",
                           "city": "San Francisco", "state": "CA", "zip": "94108"})  # fmt: skip
    [listing] = confirm(yelp, "tacorea", "biz_2016_tacorea-sf.html")
    assert (listing.outcome, listing.url) == ("ok", BIZ + "tacorea-san-francisco")
    assert listing.found[0]["website"] == "http://www.tacoreasf.com"


def test_a_thin_card_whose_page_shows_a_namesake_is_not_stored():
    """Another Tacorea, in Fresno: the San Francisco page is not its listing."""
    yelp = spider(fresno={"name": "Tacorea", "address": "2210 Tulare St", "city": "Fresno",
                          "state": "CA", "zip": "93721", "phone": "(559) 555-0134"})  # fmt: skip
    [answer] = confirm(yelp, "fresno", "biz_2016_tacorea-sf.html")
    assert (answer.outcome, answer.url) == ("not_found", SEARCH_URL)
    assert answer.reason.startswith("searched Yelp for 'Tacorea': 1 result, none is this business")
    assert "checked: 'Tacorea' (score 0." in answer.reason
