"""Not being listed is a finding; the business's own website is one source of truth; a listing
that says the business is closed is urgent. On stores made as a user makes them: `napaudit
compare` runs, plus the rows a crawl stores for the sources it searched without finding the
business (outcome not_found, key search:<business id>) or could not search."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fixtures.report.scenario import add_not_checked, store_from_text
from napaudit.auditor.catalog import load_catalog
from napaudit.reports.build import build, write_report
from napaudit.reports.config import Weights
from napaudit.reports.load import load_snapshot
from napaudit.reports.priority import rank_fixes

CLIENT = (
    "id,name,address,address2,city,state,zip,phone,website,hours\n"
    "b,Harbor Lane Dental,1200 Harbor Blvd,Suite 210,Costa Mesa,CA,92626,(714) 555-0142,"
    "https://harborlanedental.example/,Mo-Fr 08:00-17:00\n"
)
RIGHT = {
    "name": "Harbor Lane Dental",
    "address": "1200 Harbor Blvd, Suite 210",
    "city": "Costa Mesa",
    "state": "CA",
    "zip": "92626",
    "phone": "(714) 555-0142",
    "website": "https://harborlanedental.example/",
    "hours": "Mo-Fr 08:00-17:00",
}
WRONG_SUITE = "1200 Harbor Blvd, Suite 201"
SEARCHED = (
    "searched {} for 'Harbor Lane Dental' in Costa Mesa, CA: 2 results, none is this business"
)


def listings(*rows: tuple[str, dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["listing_id", "source", "business_id", "url", *RIGHT, "status"])
    writer.writeheader()
    for n, (source, changes) in enumerate(rows, 1):
        writer.writerow({"listing_id": f"{source}-{n}", "source": source, "business_id": "b",
                         **RIGHT, **changes})  # fmt: skip
    return out.getvalue()


def store(tmp_path, rows, absent=(), outcome="not_found"):
    """A store whose latest run has `rows` as listings and each source of `absent` searched
    without a result (or with `outcome`)."""
    db = store_from_text(tmp_path, CLIENT, listings(*rows))
    run = load_snapshot(db).run.id
    add_not_checked(db, run, [("b", s, f"search:b:{s}", outcome, SEARCHED.format(s))
                              for s in absent])  # fmt: skip
    return db


def ranked(db):
    return [(f.kind, f.source, f.field) for f in rank_fixes(load_snapshot(db), "b", weights())]


def weights() -> Weights:
    return Weights(load_catalog())


def test_a_gap_on_a_weight_10_source_ranks_above_a_wrong_suite_on_a_weight_3_one(tmp_path):
    db = store(tmp_path, [("hotfrog", {"address": WRONG_SUITE})], absent=["google"])
    assert ranked(db) == [("gap", "google", ""), ("fix", "hotfrog", "address")]
    gap = rank_fixes(load_snapshot(db), "b", weights())[0]
    assert (gap.priority, gap.severity, gap.fix_url) == (
        10 * 2,
        "medium",
        "https://business.google.com",
    )


def test_wrong_data_ranks_above_a_gap_on_a_source_of_the_same_weight(tmp_path):
    # BBB and Tripadvisor both weigh 6 and feed nothing: 6 x 2 = 12 each.
    db = store(tmp_path, [("bbb", {"address": WRONG_SUITE})], absent=["tripadvisor"])
    assert ranked(db) == [("fix", "bbb", "address"), ("gap", "tripadvisor", "")]


def test_a_gap_never_ranks_above_an_urgent_fix(tmp_path):
    db = store(tmp_path, [("hotfrog", {"phone": "(714) 555-0199"})], absent=["google"])
    assert ranked(db) == [("fix", "hotfrog", "phone"), ("gap", "google", "")]


@pytest.mark.parametrize("outcome", ["blocked", "error", "skipped"])
def test_a_source_that_was_not_seen_is_not_a_gap(tmp_path, outcome):
    db = store(tmp_path, [("bbb", {})], absent=["google"], outcome=outcome)
    assert ranked(db) == []


def test_a_source_listing_the_business_once_is_not_a_gap_for_its_other_missing_page(tmp_path):
    db = store(tmp_path, [("bbb", {})], absent=["bbb"])
    assert ranked(db) == []


def test_a_gap_says_get_listed_with_the_add_link_and_what_was_searched(tmp_path):
    db = store(tmp_path, [("bbb", {})], absent=["yellowpages"])
    (fix,) = build(load_snapshot(db), weights())["businesses"][0]["fixes"]
    assert fix["kind"] == "gap" and fix["action"] == "get_listed"
    assert fix["text"] == (
        "Get listed on Yellow Pages: searched, not found — add the business at adsolutions.yp.com"
    )
    assert fix["reason"] == SEARCHED.format("yellowpages")


def test_a_business_found_nowhere_gets_a_plan_ranked_by_reach(tmp_path):
    db = store_from_text(tmp_path, CLIENT, listings(("bbb", {})))
    run = load_snapshot(db).run.id
    clients = tmp_path / "clients.csv"
    clients.write_text(CLIENT + "nowhere,Nowhere Cafe,1 Main St,,Costa Mesa,CA,92626,"
                       "(714) 555-0100,,\n", encoding="utf-8")  # fmt: skip
    # The run's businesses come from the clients file: a second compare sees both.
    from fixtures.report.scenario import compare

    run = compare(db, clients, tmp_path / "listings-1.csv")
    add_not_checked(db, run, [("nowhere", s, f"search:nowhere:{s}", "not_found", "no result")
                              for s in ("hotfrog", "foursquare", "google", "bbb")])  # fmt: skip
    report = {b["id"]: b for b in build(load_snapshot(db), weights())["businesses"]}["nowhere"]
    assert report["score"] is None
    # Foursquare feeds four sources: 9 x 2 x 5 = 90; Google 10 x 2 = 20; BBB 12; Hotfrog 6.
    assert [(f["kind"], f["source"]) for f in report["fixes"]] == [
        ("gap", "foursquare"),
        ("gap", "google"),
        ("gap", "bbb"),
        ("gap", "hotfrog"),
    ]
    assert report["coverage"]["sources_searched"] == 4
    assert report["coverage"]["sources_missing"] == ["foursquare", "google", "bbb", "hotfrog"]
    (page,) = write_report(db, tmp_path / "out", "html", business="nowhere")
    text = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
    assert "Not listed on any of the 4 sites searched" in text
    assert "Your plan: get listed" in text and "Listing accuracy" not in text
    assert text.index("Get listed on Foursquare") < text.index("Get listed on Google")


def test_pages_of_the_own_website_are_one_listing_judged_together(tmp_path):
    home = "https://harborlanedental.example/"
    contact = "https://harborlanedental.example/contact.html"
    db = store(tmp_path, [
        ("website", {"url": home, "hours": "", "phone": ""}),
        ("website", {"url": contact, "phone": "(714) 555-0199"}),
        ("bbb", {}),
    ])  # fmt: skip
    report = build(load_snapshot(db), weights())["businesses"][0]
    assert report["duplicates"] == []
    (site,) = [x for x in report["listings"] if x["source"] == "website"]
    assert [p["url"] for p in site["pages"]] == [home, contact]
    statuses = {f["field"]: f["status"] for f in site["fields"]}
    # The hours are on the contact page: not missing. The contact page's phone is wrong.
    assert statuses["hours"] == "match" and statuses["phone"] == "mismatch"
    (fix,) = report["fixes"]
    assert fix["text"] == (
        "On your own website, its \u201ccontact\u201d page, change the phone from (714) 555-0199 "
        "to (714) 555-0142 — fix it in your website's editor"
    )
    assert fix["page_url"] == contact
    # It weighs once in the score, as one source (10) against BBB (6): (10 x 11/14 + 6) / 16.
    assert report["score"] == round(100 * (10 * (17 - 3) / 17 + 6) / 16, 1)
    assert report["coverage"]["listings_checked"] == 3  # as the run's summary counts them


@pytest.mark.parametrize(
    "shown, says",
    [("Permanently Closed", "permanently closed"), ("CLOSED_TEMPORARILY", "temporarily closed")],
)
def test_a_listing_saying_closed_is_urgent_and_says_so(tmp_path, shown, says):
    db = store(tmp_path, [("yelp", {"status": shown}), ("google", {"address": "1200 Harbor Blvd"})])
    fixes = build(load_snapshot(db), weights())["businesses"][0]["fixes"]
    assert (fixes[0]["field"], fixes[0]["severity"]) == ("status", "high")
    assert fixes[0]["text"] == (
        f"Yelp says you are {says}: have it show the business as open (it shows {shown}) "
        "— fix it at biz.yelp.com"
    )
