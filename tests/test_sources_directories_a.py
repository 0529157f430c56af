"""Discovery on five public directories: Superpages, BBB, Manta, Hotfrog and MapQuest.

Each source's `results()` is read on a saved-style results page (tests/fixtures/sources/<id>/),
and one audit of the nine sample clients on all five, against the local sample web, shows what
a user gets: the planted listing of the right business, look-alikes left alone, a duplicate
followed twice, and a `not_found` that says what was searched.
"""

from __future__ import annotations

import csv
from urllib.parse import urljoin

import pytest
from conftest import ROOT
from discovery import discover, listings
from napaudit.spiders.extract import extract
from napaudit.spiders.sources import spider_classes
from scrapy.http import HtmlResponse

SOURCES = ["superpages", "bbb", "manta", "hotfrog", "mapquest"]
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
SAMPLEWEB = ROOT / "sampleweb" / "site"


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _page(source: str) -> str:
    return f"https://www.{source}.example/search"


def _results(source: str) -> list[dict]:
    body = (FIXTURES / source / "search.html").read_bytes()
    response = HtmlResponse(_page(source), body=body, encoding="utf-8")
    return spider_classes()[source]().results(response)


# --- results pages: what each card shows ------------------------------------------------------

# source -> every result card: (name, url, phone, "street | city | state | zip", website)
CARDS = {
    "superpages": [
        ("Bayside Family Dentistry", "/long-beach-ca/bpp/bayside-family-dentistry-512093381",
         "(562) 555-0114", "4100 E 2nd St Ste 3 | Long Beach | CA | 90803",
         "https://www.baysidefamilydentistry.example/"),
        ("Bayside Dental Lab", "/long-beach-ca/bpp/bayside-dental-lab-402211876",
         "(562) 555-0171", "2250 Pacific Coast Hwy | Long Beach | CA | 90806", ""),
        ("Bayside Family Dentistry", "/hermosa-beach-ca/bpp/bayside-family-dentistry-447810293",
         "(310) 555-0148", "880 Pier Ave | Hermosa Beach | CA | 90254",
         "https://hermosabaysidedental.example/"),
        ("Family Dentistry of Long Beach",
         "/long-beach-ca/bpp/family-dentistry-of-long-beach-530018822",
         "(562) 555-0182", "3901 Atlantic Ave | Long Beach | CA | 90807", ""),
    ],
    "bbb": [
        ("Canyon State Roofing, LLC", "https://www.bbb.org/us/az/tempe/profile/"
         "roofing-contractors/canyon-state-roofing-llc-1126-1000412",
         "(480) 555-0136", "1840 E University Dr Ste 4 | Tempe | AZ | 85281-3415", ""),
        ("Canyon State Roofing & Solar", "https://www.bbb.org/us/az/glendale/profile/"
         "roofing-contractors/canyon-state-roofing-solar-1126-1004417",
         "(623) 555-0109", "7720 W Bell Rd | Glendale | AZ | 85308", ""),
        ("State Roofing Supply", "https://www.bbb.org/us/az/tempe/profile/roofing-supplies/"
         "state-roofing-supply-1126-1009932",
         "(480) 555-0188", "455 S 52nd St | Tempe | AZ | 85281", ""),
        ("Canyon Roofing Co.", "https://www.bbb.org/us/az/phoenix/profile/roofing-contractors/"
         "canyon-roofing-co-1126-1011208",
         "(602) 555-0124", "2901 N 16th St | Phoenix | AZ | 85016", ""),
    ],
    "manta": [
        ("Saguaro Sign Company", "https://www.manta.com/c/mq4t8zn/saguaro-sign-company",
         "(520) 555-0142", "2750 N Stone Ave | Tucson | AZ | 85705",
         "https://saguarosigns.example/"),
        ("Saguaro Sign Company", "https://www.manta.com/c/mz1k0ra/saguaro-sign-company",
         "(480) 555-0119", "118 W Main St | Mesa | AZ | 85201", ""),
        ("Saguaro Signs & Graphics", "https://www.manta.com/c/mh7w2dq/saguaro-signs-graphics",
         "(520) 555-0177", "4405 E Broadway Blvd Ste 12 | Tucson | AZ | 85711",
         "http://www.saguarographics.example"),
    ],
    "hotfrog": [
        ("Lakeshore Locksmith", "/company/4e8a1c2b/lakeshore-locksmith/milwaukee/locksmiths",
         "(414) 555-0161", "2204 N Prospect Ave | Milwaukee | WI | 53202",
         "https://lakeshorelocks.example/"),
        ("Lakeshore Locksmith", "/company/91d03f7e/lakeshore-locksmith/racine/locksmiths",
         "(262) 555-0138", "615 Main St | Racine | WI | 53403", ""),
        ("Lakeshore Lock & Safe",
         "/company/0b7c55d1/lakeshore-lock-and-safe/milwaukee/locksmiths",
         "(414) 555-0193", "3110 S Kinnickinnic Ave | Milwaukee | WI | 53207", ""),
    ],
    "mapquest": [
        ("Prairie Bean Coffee",
         "https://www.mapquest.com/us/wisconsin/prairie-bean-coffee-447120935",
         "(608) 555-0124", "1402 Williamson St | Madison | WI | 53703",
         "https://prairiebean.example/"),
        ("Prairie Bean Coffee Roasters",
         "https://www.mapquest.com/us/wisconsin/prairie-bean-coffee-roasters-447388012",
         "(608) 555-0187", "2900 Progress Rd | Madison | WI | 53716", ""),
        ("Prairie Bean Coffee",
         "https://www.mapquest.com/us/wisconsin/prairie-bean-coffee-452019334",
         "(608) 555-0152", "118 N Main St | Verona | WI | 53593", ""),
    ],
}  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
def test_results_page_shows_every_card(source):
    shown = [
        (r["name"], r["url"], r["phone"],
         " | ".join(r[k] for k in ("address", "city", "state", "zip")), r.get("website", ""))
        for r in _results(source)
    ]  # fmt: skip
    # links are resolved against the results page
    assert shown == [(n, urljoin(_page(source), u), *rest) for n, u, *rest in CARDS[source]]


@pytest.mark.parametrize("source", SOURCES)
def test_results_page_leaves_out_what_is_not_a_result(source):
    """Sponsored links, the directory's own phone and page furniture are not results."""
    phones = {r["phone"] for r in _results(source)}
    assert not phones & {"(608) 555-0199", "(520) 555-0199", "1-888-555-0125", "1-866-555-0126"}
    assert all(r["name"] and r["url"] for r in _results(source))


# source -> (name, street, city, zip, phone, website) of the business on the listing page
LISTINGS = {
    "superpages": ("Bayside Family Dentistry", "4100 E 2nd St Ste 3", "Long Beach", "90803",
                   "(562) 555-0114", "https://www.baysidefamilydentistry.example/"),
    "bbb": ("Canyon State Roofing, LLC", "1840 E University Dr Ste 4", "Tempe", "85281-3415",
            "(480) 555-0136", "https://canyonstateroofing.example/"),
    "manta": ("Saguaro Sign Company", "2750 N Stone Ave", "Tucson", "85705", "(520) 555-0142",
              "https://saguarosigns.example/"),
    "hotfrog": ("Lakeshore Locksmith", "2204 N Prospect Ave", "Milwaukee", "53202",
                "(414) 555-0161", "https://lakeshorelocks.example/"),
    "mapquest": ("Prairie Bean Coffee", "1402 Williamson St", "Madison", "53703",
                 "(608) 555-0124", "https://prairiebean.example/"),
}  # fmt: skip


@pytest.mark.parametrize("source", SOURCES)
def test_listing_page_shows_its_business_first(source):
    found = extract((FIXTURES / source / "listing.html").read_bytes(), f"https://{source}.example/")
    best = found[0]
    shown = (best.name, best.address, best.city, best.zip, best.phone, best.website)
    assert shown == LISTINGS[source]


# --- one discovery audit on all five sources --------------------------------------------------

# source -> (business, its second listing page on the source: an older entry, a look-alike row)
DUPLICATES = {
    "superpages": ("arts-deli", "/superpages/studio-city-ca/bpp/arts-delicatessen-300457812"),
    "bbb": ("mesa-verde",
            "/bbb/us/az/phoenix/profile/plumbing-contractors/mesa-verde-plumbing-llc-1126-1000218"),
    "manta": ("northside-irving", "/manta/c/mr2v8ns/northside-hardware-inc"),
    "hotfrog": ("northside-elston", "/hotfrog/company/a13f70/northside-hardware/chicago/hardware"),
    "mapquest": ("blue-fin", "/mapquest/us/illinois/blue-fin-sushi-341870022"),
}  # fmt: skip

# source -> (a client with no listing there, what its search shows: the closest look-alike)
NOT_LISTED = {
    "superpages": ("copper-kettle", "'The Copper Kettle' in San Francisco, CA",
                   "Copper Kettle Catering"),
    "bbb": ("harbor-lane", "'Harbor Lane Dental' in Costa Mesa, CA", "Harbor Dental Group"),
    "manta": ("northside-elston", "'Northside Hardware' in Chicago, IL", "Northside Hardware"),
    "hotfrog": ("harbor-lane", "'Harbor Lane Dental' in Costa Mesa, CA", "Harbor Dental Care"),
    "mapquest": ("cafe-lumiere", "'Café Lumière' in New York, NY", "Cafe Lumiere"),
}  # fmt: skip

PLANTED = [row for row in _rows(SAMPLEWEB / "listings.csv") if row["source"] in SOURCES]


@pytest.fixture(scope="module")
def found(tmp_path_factory) -> dict[str, dict[str, list[tuple]]]:
    """source -> business -> [(listing_key, outcome, reason)], from one audit of all nine."""
    _, db, _ = discover(tmp_path_factory.mktemp("directories-a"), SOURCES)
    return {source: listings(db, source) for source in SOURCES}


@pytest.mark.parametrize(
    "row",
    [r for r in PLANTED if r["serve"] == "ok"],
    ids=lambda r: f"{r['source']}-{r['business_id']}",
)
def test_planted_listing_is_found_for_its_business(found, row):
    keys = {key: outcome for key, outcome, _ in found[row["source"]][row["business_id"]]}
    assert keys.get(row["path"]) == "ok"
    others = [b for b, rows in found[row["source"]].items() if b != row["business_id"]]
    assert all(row["path"] not in {k for k, *_ in found[row["source"]][b]} for b in others)


@pytest.mark.parametrize(
    "row", [r for r in PLANTED if r["serve"] != "ok"], ids=lambda r: f"{r['source']}-{r['serve']}"
)
def test_planted_dead_listing_found_by_search_shows_its_outcome(found, row):
    """A 404, 410, removed or hanging page the search leads to is stored with its outcome."""
    rows = found[row["source"]][row["business_id"]]
    assert [(key, outcome) for key, outcome, _ in rows] == [
        (row["path"], row["expect"].removeprefix("outcome:"))
    ]
    assert rows[0][2]  # the reason a user reads in the report


@pytest.mark.parametrize("source", SOURCES)
def test_lookalikes_are_never_followed(found, source):
    duplicate = DUPLICATES[source][1]
    lookalikes = [r["path"] for r in _rows(SAMPLEWEB / source / "_lookalikes.csv")]
    assert len([p for p in lookalikes if p != duplicate]) >= 3
    followed = {key for rows in found[source].values() for key, *_ in rows}
    assert followed & set(lookalikes) == {duplicate}


@pytest.mark.parametrize("source", SOURCES)
def test_duplicate_listings_are_both_followed(found, source):
    business, second = DUPLICATES[source]
    planted = [r["path"] for r in PLANTED if (r["source"], r["business_id"]) == (source, business)]
    rows = found[source][business]
    assert sorted((key, outcome) for key, outcome, _ in rows) == sorted(
        [(planted[0], "ok"), (second, "ok")]
    )
    assert (SAMPLEWEB / (second.lstrip("/") + ".html")).is_file()


@pytest.mark.parametrize("source", SOURCES)
def test_business_without_listing_is_not_found_with_what_was_searched(found, source):
    business, searched, closest = NOT_LISTED[source]
    assert not any(r["business_id"] == business for r in PLANTED if r["source"] == source)
    [(key, outcome, reason)] = found[source][business]
    assert (key, outcome) == (f"search:{business}", "not_found")
    assert searched in reason
    assert f"closest: '{closest}'" in reason


@pytest.mark.parametrize("source", SOURCES)
def test_every_client_has_an_answer_on_every_source(found, source):
    """No silent drop: each of the nine clients is stored, found or not."""
    clients = {r["id"] for r in _rows(ROOT / "data" / "samples" / "clients.csv")}
    assert set(found[source]) == clients
