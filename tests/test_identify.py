"""Identification: the right business for a listing, or none, and why."""

from __future__ import annotations

import csv
import time

import pytest
from conftest import realdata
from napaudit.auditor.identify import THRESHOLD, Identifier, blocking_keys, name_keys, phone_keys
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record

HOTEL = dict(address="100 E Wacker Dr", city="Chicago", state="IL", zip="60601",
             phone="(312) 555-0100")  # fmt: skip
BUSINESSES = [
    Record(id="blue-fin", name="Blue Fin Sushi", **HOTEL),
    Record(id="red-lantern", name="Red Lantern Bar", **HOTEL),
    Record(id="elston", name="Northside Hardware", address="2211 N Elston Ave", city="Chicago",
           state="IL", zip="60614", phone="(773) 555-0119"),
    Record(id="irving", name="Northside Hardware", address="3300 W Irving Park Rd",
           city="Chicago", state="IL", zip="60618", phone="(773) 555-0158"),
    Record(id="kettle", name="The Copper Kettle", address="570 Fourth St", city="San Francisco",
           state="CA", zip="94107", phone="(415) 555-0187"),
]  # fmt: skip


@pytest.fixture(scope="module")
def identifier() -> Identifier:
    return Identifier([normalize_record(b) for b in BUSINESSES])


def identify(identifier, **fields):
    return identifier.identify(normalize_record(Record(id="listing", **fields)))


def test_format_variants_identify_their_business(identifier):
    m = identify(identifier, name="Copper Kettle, The", address="570 4th Street",
                 city="San Francisco", state="California", phone="415.555.0187")  # fmt: skip
    assert m.business_id == "kettle" and m.score > 0.99
    assert "same phone and street address" in m.evidence


def test_hotel_restaurants_sharing_switchboard_are_told_apart_by_name(identifier):
    m = identify(identifier, name="Red Lantern", **HOTEL)
    assert m.business_id == "red-lantern"
    assert m.runner_up[0] == "blue-fin" and m.runner_up[1] < THRESHOLD


def test_a_third_business_in_the_hotel_is_nobody_we_know(identifier):
    m = identify(identifier, name="Green Door Tavern", **HOTEL)
    assert m.business_id is None
    assert m.score < THRESHOLD
    assert "different name" in m.evidence
    # a switchboard two of our businesses share says less, and the evidence says why
    assert "same phone and street address (shared by 2 of your businesses)" in m.evidence


def test_sister_store_is_matched_by_address_and_phone(identifier):
    m = identify(identifier, name="Northside Hardware", address="3300 W. Irving Park Road",
                 city="Chicago", zip="60618", phone="773-555-0158")  # fmt: skip
    assert m.business_id == "irving"
    assert m.runner_up[0] == "elston" and m.runner_up[1] < THRESHOLD


def test_a_sister_store_we_do_not_manage_is_not_ours(identifier):
    m = identify(identifier, name="Northside Hardware", address="4001 N Lincoln Ave",
                 city="Chicago", zip="60618", phone="(773) 555-0177")  # fmt: skip
    assert m.business_id is None
    assert "same name (shared by 2 of your businesses)" in m.evidence
    assert "different phone" in m.evidence


def test_listing_with_nothing_in_common_has_no_candidate(identifier):
    m = identify(identifier, name="Zzyzx", address="1 Nowhere Rd", zip="99999")
    assert (m.business_id, m.score) == (None, None)


def test_blocking_keys_are_pure_functions_of_strings():
    assert phone_keys("5550100") == {"p:5550100"}
    assert name_keys("the copper kettle") == {"n:copper", "n:kettle"}
    keys = blocking_keys(normalize_record(BUSINESSES[0]))
    assert {"p:5550100", "z:60601", "s:100 WACKER", "n:blue", "n:fin", "n:sushi"} == keys


def test_blocking_scores_few_candidates_among_many_records():
    """10,000 businesses: a listing is scored against a handful of them, not all."""
    many = [
        Record(id=f"b{i}", name=f"Shop {i} Number {i * 7}", address=f"{i} Elm St",
               zip=f"{60000 + i % 500:05d}", phone=f"(312) {200 + i % 700}-{i % 10000:04d}")
        for i in range(10_000)
    ]  # fmt: skip
    identifier = Identifier([normalize_record(b) for b in many])
    listing = normalize_record(Record(id="l", name="Shop 4242 Number 29694",
                                      address="4242 Elm Street", zip="60242",
                                      phone="312-242-4242"))  # fmt: skip
    candidates = identifier.candidates(listing)
    assert len(candidates) <= 40
    assert identifier.identify(listing).business_id == "b4242"


CHICAGO = ("linkage", "dedupe-examples-chicago-early-childhood",
           "csv_example_input_with_true_ids.csv")  # fmt: skip
CANONICAL_SOURCE = "chapin_dfss_providers_2011_070212.csv"


def test_identification_on_chicago_early_childhood_linkage_data():
    """One source list is the canonical set, the other 8 are listings with known true ids."""
    rows = list(csv.DictReader(open(realdata(*CHICAGO), encoding="utf-8", errors="replace")))

    def record(row):
        return Record(id=row["Id"], name=row["Site name"], address=row["Address"], zip=row["Zip"],
                      phone=row["Phone"], city="Chicago", state="IL")  # fmt: skip

    truth: dict[str, str] = {}
    canonical = []
    for row in rows:
        if row["Source"] == CANONICAL_SOURCE and row["True Id"] not in truth.values():
            truth[row["Id"]] = row["True Id"]
            canonical.append(normalize_record(record(row)))
    started = time.perf_counter()
    identifier = Identifier(canonical)
    tp = fp = fn = 0
    listings = [row for row in rows if row["Source"] != CANONICAL_SOURCE]
    for row in listings:
        match = identifier.identify(normalize_record(record(row)))
        predicted = truth.get(match.business_id) if match.business_id else None
        actual = row["True Id"] if row["True Id"] in truth.values() else None
        tp += predicted is not None and predicted == actual
        fp += predicted is not None and predicted != actual
        fn += actual is not None and predicted != actual
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"\nChicago linkage: {len(canonical)} canonical, {len(listings)} listings, "
        f"precision {precision:.3f}, recall {recall:.3f} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    # Floors set from the measurement on 2026-11-24 (precision 0.965, recall 0.932; README).
    assert precision >= 0.95
    assert recall >= 0.91
