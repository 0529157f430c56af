"""A source that says the business is closed is a finding: high severity, its own words, and
never "missing" when a source says nothing. From what each source sends: Google's businessStatus
(a real Places API (New) answer), Overture's operating_status, Foursquare's date_closed (a real
Foursquare answer), a directory's "Permanently closed" badge."""

from __future__ import annotations

import pytest
from conftest import realdata
from napaudit.auditor.audit import page_listing
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.normalize.status import normalize_status
from napaudit.spiders.sources.foursquare import FoursquareSpider
from napaudit.spiders.sources.foursquare import place_values as fsq_place
from napaudit.spiders.sources.google import GoogleSpider, new_place_values
from test_sources_api import blocks, listing, load


def status_verdict(found: dict, record: Record | None = None):
    """The `status` verdict on the business a source showed, judged against the owner's record
    (by default the same business, saying nothing about being open)."""
    record = record or Record(id="b", name=found["name"], phone=found.get("phone", ""))
    business = normalize_record(record)
    result = page_listing(business, [found], "src", "https://src.example/1")
    verdicts = judge(business, normalize_record(result.listing))
    return next((v for v in verdicts if v.field == "status"), None)


def test_google_temporarily_closed_from_a_real_answer():
    place = new_place_values(load("realweb", "api", "google_places",
                                  "parham_london_McDonalds_CLOSED_TEMPORARILY.json"))  # fmt: skip
    found = listing(GoogleSpider(), place).found[0]
    v = status_verdict(found)
    assert (v.status, v.severity, v.level) == ("mismatch", "high", "temporarily_closed")
    assert v.reason == "the listing says the business is temporarily closed"
    assert (v.found, v.canonical) == ("CLOSED_TEMPORARILY", "open")


def test_google_operational_is_a_match_and_nothing_said_is_no_verdict():
    place = new_place_values(load("realweb", "api", "google_places",
                                  "parham_london_RealGreekStrand_full.json"))  # fmt: skip
    found = listing(GoogleSpider(), place).found[0]
    assert status_verdict(found).status == "variant"  # "OPERATIONAL" = open
    assert status_verdict({**found, "status": ""}) is None  # not "missing": most sites say nothing


def test_foursquare_closed_since_a_date_from_a_real_answer():
    path = realdata("realweb", "api", "foursquare_new",
                    "netapplied_fsq_places_api_examples_prompt.md")  # fmt: skip
    answer = next(a for a in blocks(path) if a.get("fsq_place_id") == "5a187743ccad6b307315e6fe")
    found = listing(FoursquareSpider(), fsq_place(answer)).found[0]
    v = status_verdict(found)
    assert (v.status, v.severity, v.level) == ("mismatch", "high", "closed")
    assert v.found.startswith("closed since ")


@pytest.mark.parametrize(
    ("shown", "level"),
    [
        ("permanently_closed", "closed"),  # Overture's operating_status
        ("temporarily_closed", "temporarily_closed"),
        ("CLOSED_PERMANENTLY", "closed"),  # Google's legacy and new business_status
        ("closed since 2023-05-01", "closed"),  # Foursquare's date_closed, as the spider says it
        ("Permanently Closed", "closed"),  # a directory's badge
        ("This location has closed", "closed"),
        ("Temporarily closed", "temporarily_closed"),
    ],
)
def test_every_way_a_source_says_closed(shown, level):
    found = {"name": "Acme Plumbing", "phone": "(312) 555-0100", "status": shown}
    v = status_verdict(found)
    assert (v.status, v.severity, v.level) == ("mismatch", "high", level)


@pytest.mark.parametrize("shown", ["open", "OPERATIONAL", "Open now", "Hours: Mon-Fri"])
def test_words_that_do_not_say_closed_never_make_a_closed_finding(shown):
    found = {"name": "Acme Plumbing", "phone": "(312) 555-0100", "status": shown}
    v = status_verdict(found)
    assert v.status != "mismatch" or v.level == "unreadable"
    assert normalize_status(shown) in ("open", "")


def test_an_owner_who_says_closed_is_not_told_so_again():
    found = {"name": "Acme Plumbing", "phone": "(312) 555-0100", "status": "permanently_closed"}
    record = Record(id="b", name="Acme Plumbing", phone="(312) 555-0100", status="closed")
    assert status_verdict(found, record).status in ("match", "variant")
