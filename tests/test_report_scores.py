"""Scores 0-100: per business, per source and per field, on constructed cases whose numbers
are worked out by hand; listings not checked count for nothing and are listed apart."""

from __future__ import annotations

import csv
import io

import pytest
from fixtures.report.scenario import add_not_checked, store_from_text
from napaudit.auditor.catalog import load_catalog
from napaudit.reports.build import build
from napaudit.reports.config import Weights
from napaudit.reports.load import load_snapshot

# Field weights (auditor/fields.py): name 3, address 3, city 2, state 1, zip 2, phone 3 = 14.
# The record has no website and no hours, so those never count.
CLIENT = (
    "id,name,address,city,state,zip,phone\n"
    "b,Acme Bakery,10 Main St,Springfield,IL,62701,(217) 555-0100\n"
)
RIGHT = {"name": "Acme Bakery", "address": "10 Main St", "city": "Springfield", "state": "IL",
         "zip": "62701", "phone": "(217) 555-0100"}  # fmt: skip
FORMATS_ONLY = {"name": "ACME Bakery", "address": "10 Main Street", "phone": "217.555.0100"}


def listings(*rows: tuple[str, dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["listing_id", "source", "business_id", *RIGHT, "website"])
    writer.writeheader()
    for n, (source, changes) in enumerate(rows, 1):
        writer.writerow({"listing_id": f"{source}-{n}", "source": source, "business_id": "b",
                         **RIGHT, **changes})  # fmt: skip
    return out.getvalue()


def report(tmp_path, *rows) -> dict:
    db = store_from_text(tmp_path, CLIENT, listings(*rows))
    return build(load_snapshot(db), Weights(load_catalog()))["businesses"][0]


@pytest.mark.parametrize(
    "rows, score, by_source",
    [
        pytest.param([("google", {})], 100.0, {"google": 100.0}, id="all-right"),
        pytest.param([("yelp", FORMATS_ONLY)], 100.0, {"yelp": 100.0},
                     id="written-differently-is-right"),
        pytest.param([("google", {"website": "https://acme.example/"})], 100.0,
                     {"google": 100.0}, id="a-field-only-the-listing-has-does-not-count"),
        # (14 - 3 - 2) / 14: phone missing, ZIP wrong.
        pytest.param([("yelp", {"phone": "", "zip": "62702"})], 64.3, {"yelp": 64.3},
                     id="missing-and-wrong-fields"),
        # (10 x 1 + 2 x 11/14) / (10 + 2): Google right, Cylex's phone wrong.
        pytest.param([("google", {}), ("cylex", {"phone": "(217) 555-0199"})], 96.4,
                     {"cylex": 78.6, "google": 100.0}, id="weighted-by-source"),
        # (10 x 1 + 3 x 11/14) / (10 + 3): an unknown source weighs DEFAULT_WEIGHT 3.
        pytest.param([("google", {}), ("acme-dir", {"name": "Zenith Pastry"})], 95.1,
                     {"acme-dir": 78.6, "google": 100.0}, id="unknown-source-default-weight"),
    ],
)  # fmt: skip
def test_business_and_source_scores(tmp_path, rows, score, by_source):
    b = report(tmp_path, *rows)
    assert b["score"] == score
    assert b["scores"]["sources"] == by_source


def test_field_scores_are_source_weighted(tmp_path):
    b = report(tmp_path, ("google", {}), ("cylex", {"phone": "(217) 555-0199"}))
    # phone: Google (10) right, Cylex (2) wrong -> 10 / 12.
    assert b["scores"]["fields"] == {"name": 100.0, "address": 100.0, "city": 100.0,
                                     "state": 100.0, "zip": 100.0, "phone": 83.3}  # fmt: skip


def test_listings_not_checked_are_excluded_and_listed_with_their_reason(tmp_path):
    db = store_from_text(tmp_path, CLIENT, listings(("google", {}), ("cylex", {"zip": "62702"})))
    weights = Weights(load_catalog())
    before = build(load_snapshot(db), weights)["businesses"][0]
    add_not_checked(db, 1, [
        ("b", "yelp", "yelp-b", "blocked", "HTTP 403: the site refused the crawler"),
        ("b", "bbb", "bbb-b", "not_found", "HTTP 404: the page is gone"),
        ("b", "manta", "manta-b", "error", "timed out after 20 s"),
    ])  # fmt: skip
    after = build(load_snapshot(db), weights)["businesses"][0]
    assert after["score"] == before["score"] == 97.6  # (10 + 2 x 12/14) / 12
    assert set(after["scores"]["sources"]) == {"google", "cylex"}
    assert [(n["source"], n["outcome"], n["reason"]) for n in after["not_checked"]] == [
        ("bbb", "not_found", "HTTP 404: the page is gone"),
        ("manta", "error", "timed out after 20 s"),
        ("yelp", "blocked", "HTTP 403: the site refused the crawler"),
    ]
    # Blocked and failed are neither right nor wrong; a listing page that is gone is a gap.
    assert not [f for f in after["fixes"] if f["source"] in ("yelp", "manta")]
    assert [(f["kind"], f["action"]) for f in after["fixes"] if f["source"] == "bbb"] == [
        ("gap", "get_listed")
    ]
    assert after["coverage"] == {
        "listings_checked": 2, "sources_listed": 2, "sources_searched": 3,
        "sources_missing": ["bbb"], "not_found": 1, "could_not_check": 2, "not_searched": 0,
        "total": 5,
    }  # fmt: skip


def test_a_business_with_nothing_checked_has_no_score(tmp_path):
    db = store_from_text(tmp_path, CLIENT, listings(("google", {})))
    add_not_checked(db, 1, [("b", "google", "google-1", "blocked", "HTTP 429: too many requests")])
    b = build(load_snapshot(db), Weights(load_catalog()))["businesses"][0]
    assert (b["score"], b["listings"], b["fixes"]) == (None, [], [])
    assert b["not_checked"][0]["reason"] == "HTTP 429: too many requests"


def test_history_and_trend_across_runs(tmp_path):
    run1 = listings(("google", {}), ("cylex", {"phone": "(217) 555-0199"}))
    run2 = listings(("google", {}), ("cylex", {}))
    db = store_from_text(tmp_path, CLIENT, run1, run2)
    b = build(load_snapshot(db), Weights(load_catalog()))["businesses"][0]
    assert [(h["run_id"], h["score"]) for h in b["history"]] == [(1, 96.4), (2, 100.0)]
    assert (b["previous_score"], b["trend"]) == (96.4, 3.6)
    first = build(load_snapshot(db, run_id=1), Weights(load_catalog()))["businesses"][0]
    assert ([h["run_id"] for h in first["history"]], first["trend"]) == ([1], None)
