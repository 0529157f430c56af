"""Identification: the right business for a listing, or none, and why."""

from __future__ import annotations

import pytest
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
