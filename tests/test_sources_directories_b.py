"""Discovery on eight small directories (Cylex, EZlocal, Brownbook, ChamberofCommerce.com,
MerchantCircle, Citysearch, YellowBot, ShowMeLocal): each source's own search results read from a saved page in its markup, its
business page read by the shared extraction, and one crawl of the sample web showing the right
listing picked among look-alikes, a duplicate followed twice, and a search that finds nothing
stored with what was searched."""

from __future__ import annotations

import csv
from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from discovery import discover, listings
from napaudit.auditor.catalog import load_catalog
from napaudit.sampleweb.middleware import HOST
from napaudit.sampleweb.search import SampleSearch
from napaudit.spiders.extract import extract
from napaudit.spiders.sources import spider_classes
from scrapy.http import HtmlResponse

SOURCES = ["cylex", "ezlocal", "brownbook", "chamberofcommerce", "merchantcircle", "citysearch",
           "yellowbot", "showmelocal"]  # fmt: skip
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SAMPLEWEB = ROOT / "sampleweb" / "site"


def results(source: str) -> list[dict]:
    """What the source's spider reads from its saved search results page."""
    url = f"https://www.example.org/{source}/search?q=Juniper"
    page = HtmlResponse(
        url, body=(FIXTURES / source / "search.html").read_bytes(), encoding="utf-8"
    )
    return spider_classes()[source]().results(page)


# --- the search results page -------------------------------------------------------------

BAKERY = ("Juniper Street Bakery", "(503) 555-0111", "412 Juniper St", "Portland", "OR", "97209")
TEA = (
    "Juniper Tea House & Café",
    "503-555-0146",
    "88 NW 23rd Ave Ste 2",
    "Portland",
    "OR",
    "97210",
)
RYE = ("Juniper and Rye", "(971) 555-0172", "12700 SW Canyon Rd", "Beaverton", "OR", "97005")
LINKS = {
    "cylex": ["/cylex/company/juniper-street-bakery-31100457",
              "/cylex/company/juniper-tea-house-31100981", "/cylex/company/juniper-and-rye-30877120"],
    "ezlocal": ["/ezlocal/or/portland/bakeries/0920114457", "/ezlocal/or/portland/tea-rooms/0920119811",
                "/ezlocal/or/beaverton/restaurants/0920087712"],
    "brownbook": ["/brownbook/business/6100457/juniper-street-bakery",
                  "/brownbook/business/6100981/juniper-tea-house",
                  "/brownbook/business/6087712/juniper-and-rye"],
    "chamberofcommerce": [
        "/chamberofcommerce/business-directory/oregon/portland/bakery/3100110457-juniper-street-bakery",
        "/chamberofcommerce/business-directory/oregon/portland/tea-room/3100119811-juniper-tea-house",
        "/chamberofcommerce/business-directory/oregon/beaverton/restaurant/3100087712-juniper-and-rye"],
    "merchantcircle": ["/merchantcircle/juniper-street-bakery-portland-or",
                       "/merchantcircle/juniper-tea-house-portland-or",
                       "/merchantcircle/juniper-and-rye-beaverton-or"],
    "citysearch": ["/citysearch/profile/620110457/portland_or/juniper_street_bakery.html",
                   "/citysearch/profile/620119811/portland_or/juniper_tea_house.html",
                   "/citysearch/profile/620087712/beaverton_or/juniper_and_rye.html"],
    "yellowbot": ["/yellowbot/juniper-street-bakery-portland-or.html",
                  "/yellowbot/juniper-tea-house-portland-or.html",
                  "/yellowbot/juniper-and-rye-beaverton-or.html"],
    "showmelocal": ["/showmelocal/41100457-juniper-street-bakery-portland",
                    "/showmelocal/41100981-juniper-tea-house-portland",
                    "/showmelocal/41087712-juniper-and-rye-beaverton"],
}  # fmt: skip
# ChamberofCommerce.com's result cards show no website.
WEBSITES = ["https://juniperbakery.example/", "", "http://juniperandrye.example"]


@pytest.mark.parametrize("source", SOURCES)
def test_search_page_shows_every_result_with_its_link_phone_and_address(source):
    shown = [
        (r["name"], r["phone"], r["address"], r["city"], r["state"], r["zip"])
        for r in results(source)
    ]
    assert shown == [BAKERY, TEA, RYE]
    # links are resolved against the results page
    assert [urlsplit(r["url"]).path for r in results(source)] == LINKS[source]


@pytest.mark.parametrize("source", [s for s in SOURCES if s != "chamberofcommerce"])
def test_search_page_gives_the_website_a_result_links_to(source):
    assert [r.get("website", "") for r in results(source)] == WEBSITES


@pytest.mark.parametrize("source", SOURCES)
def test_sample_search_page_without_a_match_says_so_and_gives_no_result(source):
    """The sample web's own search page for a name no business has: its no-results message,
    and nothing for discovery to follow."""
    search = SampleSearch(SAMPLEWEB)
    html = search.render(source, {"name": "Zyzzyva+Quartz", "city": "Chicago", "state": "IL"})
    page = HtmlResponse("https://www.example.org/s", body=html, encoding="utf-8")
    assert "Zyzzyva Quartz" in " ".join(
        page.css(".no-results ::text, .lm-no-results ::text, h2.text-uppercase ::text").getall()
    )
    assert spider_classes()[source]().results(page) == []


# --- the business page -------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_listing_page_shows_the_business_not_the_directory(source):
    html = (FIXTURES / source / "listing.html").read_text(encoding="utf-8")
    found = extract(html, f"https://www.example.org/{source}/juniper-street-bakery")
    business = found[0]
    assert (business.name, business.address, business.city, business.state, business.zip) == (
        "Juniper Street Bakery", "412 Juniper St", "Portland", "OR", "97209")  # fmt: skip
    assert business.phone == "(503) 555-0111"  # not the directory's own number in the footer
    assert business.website == "https://juniperbakery.example/"


def test_ezlocal_listing_takes_the_phone_not_the_fax_and_reads_the_hours():
    html = (FIXTURES / "ezlocal" / "listing.html").read_text(encoding="utf-8")
    business = extract(html, "https://ezlocal.com/or/portland/bakeries/0920114457")[0]
    assert "555-0119" not in business.phone
    assert business.hours == "Tue-Sun 7am-3pm"


# --- discovery on the sample web ---------------------------------------------------------

# The listing pages each business has on each source; two for one business is a duplicate.
EXPECTED = {
    "cylex": {
        "blue-fin": {"/cylex/company/blue-fin-sushi-24781901"},
        "cafe-lumiere": {"/cylex/company/cafe-lumiere-24802256"},
        "northside-irving": {"/cylex/company/northside-hardware-24790133",
                             "/cylex/company/northside-hardware-21877310"},
    },
    "ezlocal": {
        "red-lantern": {"/ezlocal/il/chicago/bars/0917356210",
                        "/ezlocal/il/chicago/cocktail-lounges/0914420877"},
        "northside-elston": {"/ezlocal/il/chicago/hardware-stores/0917356988"},
        "cafe-lumiere": {"/ezlocal/ny/new-york/coffee-shops/0916632775"},
    },
    "brownbook": {
        "harbor-lane": {"/brownbook/business/4520931/harbor-lane-dental"},
        "copper-kettle": {"/brownbook/business/3318804/the-copper-kettle"},
        "mesa-verde": {"/brownbook/business/5102277/mesa-verde-plumbing-llc",
                       "/brownbook/business/2209415/mesa-verde-plumbing"},
    },
    "chamberofcommerce": {
        "arts-deli": {
            "/chamberofcommerce/business-directory/california/studio-city/delicatessen/2011483920-arts-delicatessen",
            "/chamberofcommerce/business-directory/california/studio-city/restaurant/1873302115-arts-delicatessen"},
        "cafe-lumiere": {
            "/chamberofcommerce/business-directory/new-york/new-york/cafe/2034419876-cafe-lumiere"},
    },
    "merchantcircle": {
        "copper-kettle": {"/merchantcircle/the-copper-kettle-san-francisco-ca"},
        "red-lantern": {"/merchantcircle/red-lantern-bar-chicago-il",
                        "/merchantcircle/red-lantern-bar-chicago-il-2"},
    },
    "citysearch": {
        "harbor-lane": {"/citysearch/profile/610223457/costa_mesa_ca/harbor_lane_dental.html"},
        "arts-deli": {"/citysearch/profile/602118830/studio_city_ca/arts_delicatessen.html",
                      "/citysearch/profile/44180512/studio_city_ca/arts_delicatessen.html"},
    },
    "yellowbot": {
        "copper-kettle": {"/yellowbot/the-copper-kettle-san-francisco-ca.html"},
        "mesa-verde": {"/yellowbot/mesa-verde-plumbing-llc-phoenix-az.html",
                       "/yellowbot/mesa-verde-plumbing-phoenix-az.html"},
    },
    "showmelocal": {
        "northside-elston": {"/showmelocal/28410377-northside-hardware-chicago"},
        "blue-fin": {"/showmelocal/31250904-blue-fin-sushi-chicago",
                     "/showmelocal/19877312-blue-fin-sushi-chicago"},
    },
}  # fmt: skip
DUPLICATE = {"cylex": "northside-irving", "ezlocal": "red-lantern", "brownbook": "mesa-verde",
             "chamberofcommerce": "arts-deli", "merchantcircle": "red-lantern",
             "citysearch": "arts-deli", "yellowbot": "mesa-verde", "showmelocal": "blue-fin"}  # fmt: skip
# A client with no listing on the source, and the look-alike its search turns up, if any.
NOT_LISTED = {
    "cylex": ("harbor-lane", "Harbor Lane Veterinary"),
    "ezlocal": ("northside-irving", "Northside Hardware"),  # the Elston sister store's page
    "brownbook": ("blue-fin", None),
    "chamberofcommerce": ("blue-fin", "Blue Fin Poke"),
    "merchantcircle": ("blue-fin", "Blue Fin Seafood Market"),
    "citysearch": ("copper-kettle", "Copper Kettle Cafe"),
    "yellowbot": ("harbor-lane", "Harbor Lane Veterinary"),
    "showmelocal": ("northside-irving", "Northside Hardware"),  # the Elston sister store's page
    "citysearch-none": ("red-lantern", None),  # a search with no result at all
}
# The point each new or added listing page carries: (business, path) -> {field: status}.
PLANTED = {
    ("cylex", "/cylex/company/northside-hardware-21877310"): {"phone": "mismatch"},
    ("ezlocal", "/ezlocal/il/chicago/cocktail-lounges/0914420877"): {"phone": "mismatch"},
    ("brownbook", "/brownbook/business/4520931/harbor-lane-dental"): {
        "zip": "mismatch", "address": "match", "phone": "match"},
    ("brownbook", "/brownbook/business/3318804/the-copper-kettle"): {
        "address": "variant", "phone": "variant", "website": "variant"},
    ("brownbook", "/brownbook/business/2209415/mesa-verde-plumbing"): {"phone": "mismatch"},
    ("chamberofcommerce", "/chamberofcommerce/business-directory/california/studio-city/"
     "delicatessen/2011483920-arts-delicatessen"): {"website": "missing", "phone": "match"},
    ("chamberofcommerce", "/chamberofcommerce/business-directory/california/studio-city/"
     "restaurant/1873302115-arts-delicatessen"): {"phone": "mismatch"},
    ("chamberofcommerce", "/chamberofcommerce/business-directory/new-york/new-york/cafe/"
     "2034419876-cafe-lumiere"): {"address": "variant", "phone": "variant"},
    ("merchantcircle", "/merchantcircle/the-copper-kettle-san-francisco-ca"): {
        "address": "mismatch", "phone": "match"},
    ("merchantcircle", "/merchantcircle/red-lantern-bar-chicago-il"): {
        "address": "variant", "phone": "variant"},
    ("merchantcircle", "/merchantcircle/red-lantern-bar-chicago-il-2"): {"phone": "mismatch"},
    ("citysearch", "/citysearch/profile/610223457/costa_mesa_ca/harbor_lane_dental.html"): {
        "address": "variant", "phone": "match", "website": "match"},
    ("citysearch", "/citysearch/profile/44180512/studio_city_ca/arts_delicatessen.html"): {
        "phone": "mismatch", "website": "missing"},
    ("yellowbot", "/yellowbot/the-copper-kettle-san-francisco-ca.html"): {
        "address": "variant", "phone": "match"},
    ("yellowbot", "/yellowbot/mesa-verde-plumbing-phoenix-az.html"): {
        "phone": "mismatch", "website": "missing"},
    ("showmelocal", "/showmelocal/31250904-blue-fin-sushi-chicago"): {
        "address": "match", "phone": "match"},
    ("showmelocal", "/showmelocal/19877312-blue-fin-sushi-chicago"): {
        "address": "variant", "phone": "mismatch"},
}  # fmt: skip


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One discovery audit of every sample client on the eight sources."""
    done, db, web = discover(tmp_path_factory.mktemp("directories-b"), SOURCES)
    yield db, web, {source: listings(db, source) for source in SOURCES}
    db.close()


def lookalikes(source: str) -> list[dict]:
    with (SAMPLEWEB / source / "_lookalikes.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("source", SOURCES)
def test_discovery_finds_each_business_its_own_listings(crawl, source):
    _, _, stored = crawl
    found = {
        business: {key for key, outcome, _ in rows if outcome == "ok"}
        for business, rows in stored[source].items()
        if any(outcome == "ok" for _, outcome, _ in rows)
    }
    assert found == EXPECTED[source]


@pytest.mark.parametrize("source", SOURCES)
def test_discovery_never_follows_a_look_alike(crawl, source):
    _, web, stored = crawl
    listed = set().union(*EXPECTED[source].values())
    others = [row["path"] for row in lookalikes(source) if row["path"] not in listed]
    assert others, f"{source} has no look-alike in its search index"
    fetched = {hit.path for hit in web.hits}
    keys = {key for rows in stored[source].values() for key, _, _ in rows}
    assert not fetched & set(others)
    assert not keys & set(others)


@pytest.mark.parametrize("source", SOURCES)
def test_discovery_follows_both_entries_of_a_duplicate(crawl, source):
    _, web, stored = crawl
    rows = stored[source][DUPLICATE[source]]
    assert len(rows) == 2
    assert {outcome for _, outcome, _ in rows} == {"ok"}
    assert {key for key, _, _ in rows} <= {hit.path for hit in web.hits if hit.status == 200}


@pytest.mark.parametrize("case", list(NOT_LISTED))
def test_a_business_with_no_listing_is_not_found_with_what_was_searched(crawl, case):
    _, _, stored = crawl
    source = case.split("-")[0]
    business, closest = NOT_LISTED[case]
    label = load_catalog()[source].name
    client = next(
        row
        for row in csv.DictReader(
            (ROOT / "data" / "samples" / "clients.csv").open(encoding="utf-8")
        )
        if row["id"] == business
    )
    [(key, outcome, reason)] = stored[source][business]
    assert (key, outcome) == (f"search:{business}", "not_found")
    assert reason.startswith(
        f"searched {label} for '{client['name']}' in {client['city']}, {client['state']}"
    )
    assert "none is this business" in reason
    if closest:
        assert f"closest: '{closest}'" in reason
    else:
        assert ": 0 results" in reason


@pytest.mark.parametrize(("source", "path"), list(PLANTED))
def test_planted_point_of_each_listing_page_reaches_the_findings(crawl, source, path):
    db, _, _ = crawl
    statuses = dict(
        db.execute(
            "select f.field, f.status from run_listings r join findings f on f.check_id = r.check_id "
            "where r.source = ? and r.listing_key = ?",
            [source, f"http://{HOST}{path}"],
        ).fetchall()
    )
    expected = PLANTED[(source, path)]
    assert {field: statuses.get(field) for field in expected} == expected
