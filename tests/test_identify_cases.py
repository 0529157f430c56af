"""Identification case by case (issue 17.3): the same business named more or less fully is found;
a chain's record without an address, a neighbour in the building, a business inside another and a
business's own departments are not taken for it; ties always fall the same way."""

from __future__ import annotations

import pytest
from napaudit.auditor.audit import rank_candidates
from napaudit.auditor.identify import THRESHOLD, Identifier, score_pair
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import Normalized, normalize_record


def business(**fields) -> Normalized:
    return normalize_record(Record(id=fields.pop("id", "ours"), **fields))


def listing(**fields) -> Normalized:
    return normalize_record(Record(id="listing", **fields))


def score(ours, theirs) -> tuple[float, list[str]]:
    return score_pair(ours, theirs)


# --- the same business, its name shortened or extended ----------------------------------------

BAKERY = dict(address="2100 N Clark St", city="Chicago", state="IL", zip="60614")


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("The Corner Bakery", "Corner Bakery"),
        ("Corner Bakery", "The Corner Bakery"),
        ("East Side Bakery", "Eastside Bakery"),
        ("Corner Bakery, LLC", "Corner Bakery"),
        ("Corner Bakery", "Corner Bakery (Lincoln Park)"),
    ],
)
def test_a_name_written_shorter_or_longer_is_the_same_business_without_a_phone(ours, theirs):
    """Only the listing has no phone: the address and the name must carry it."""
    p, evidence = score(
        business(name=ours, phone="(773) 555-0142", **BAKERY), listing(name=theirs, **BAKERY)
    )
    assert p >= THRESHOLD
    assert "same street address" in evidence


def test_a_name_extended_by_its_own_trade_is_the_same_business():
    ours = business(name="Blue Door", address="52 W Main St", city="Bozeman", state="MT",
                    zip="59715", phone="(406) 555-0131", categories="Bar & grill")  # fmt: skip
    found = listing(name="Blue Door Bar & Grill", address="52 West Main Street",
                    city="Bozeman", state="MT", zip="59715")  # fmt: skip
    p, evidence = score(ours, found)
    assert p > 0.99
    assert "same name, with its trade added (bar grill)" in evidence
    # and the other way round: the owner wrote the long name, the directory the short one
    p, evidence = score(
        business(name="Blue Door Bar & Grill", address="52 W Main St", zip="59715",
                 categories="Bar & grill"),
        listing(name="Blue Door", address="52 W Main St", zip="59715", phone="406-555-0131"),
    )  # fmt: skip
    assert p > 0.99 and "same name, with its trade added (bar grill)" in evidence


def test_an_extended_name_without_categories_is_still_found_at_its_address():
    ours = business(name="Blue Door", address="52 W Main St", zip="59715")
    p, evidence = score(ours, listing(name="Blue Door Bar & Grill", address="52 W Main St",
                                      zip="59715"))  # fmt: skip
    assert p >= THRESHOLD
    assert "one name within the other (bar grill)" in evidence


# --- a chain's record without an address --------------------------------------------------


def test_a_chain_record_without_an_address_never_captures_a_store_that_has_one():
    """Redbox shows one toll-free number at every kiosk: it says which chain, not which kiosk."""
    chain = business(name="Redbox", phone="(866) 733-2693", categories="Video rental kiosk")
    kiosk = listing(name="Redbox", address="620 W Ocean Ave", city="Lompoc", state="CA",
                    zip="93436", phone="(866) 733-2693")  # fmt: skip
    p, evidence = score(chain, kiosk)
    assert p < THRESHOLD
    assert "same toll-free or national number (a chain shows it everywhere)" in evidence
    assert "no street address on one side to tell which place it is" in evidence
    # nor does the store's listing without its address capture the chain's record of a store
    store = business(name="Redbox", address="620 W Ocean Ave", zip="93436", phone="866-733-2693")
    assert score(store, listing(name="Redbox", phone="1 (866) 733-2693"))[0] < THRESHOLD


def test_sister_stores_sharing_a_toll_free_number_are_told_apart_by_address():
    ours = business(name="UPS Access Point location", address="1571 N Dixie Ave",
                    city="Elizabethtown", state="KY", zip="42701", phone="(800) 742-5877")  # fmt: skip
    sister = listing(name="UPS Access Point location", address="5151 Sparks Blvd",
                     city="Sparks", state="NV", zip="89436", phone="800-742-5877")  # fmt: skip
    assert score(ours, sister)[0] < THRESHOLD
    itself = listing(name="UPS Access Point Location", address="1571 North Dixie Avenue",
                     city="Elizabethtown", state="KY", zip="42701", phone="8007425877")  # fmt: skip
    assert score(ours, itself)[0] > 0.99


def test_a_local_business_without_an_address_on_record_is_found_by_its_own_phone():
    """A plumber who works from home shows no address: its own local number still finds it."""
    ours = business(name="Ortiz Plumbing", city="Tucson", state="AZ", phone="(520) 555-0171")
    found = listing(name="Ortiz Plumbing", address="1450 E Prince Rd", city="Tucson",
                    state="AZ", zip="85719", phone="520-555-0171")  # fmt: skip
    assert score(ours, found)[0] > 0.99


# --- different businesses in one building ---------------------------------------------------

MALL = dict(address="3333 Buford Dr", city="Buford", state="GA", zip="30519")
DRAKE = dict(address="140 E Walton Pl", city="Chicago", state="IL", zip="60611",
             phone="(312) 787-2200")  # fmt: skip


def test_two_shops_of_one_mall_stay_apart():
    ours = business(name="Sleep Number", address2="Ste 1048", phone="(678) 482-6912", **MALL)
    neighbour = listing(name="T-Mobile", address2="Ste 2083B", phone="770-945-8694", **MALL)
    assert score(ours, neighbour)[0] < THRESHOLD
    itself = listing(name="Sleep Number", address2="Suite 1048", **MALL)
    assert score(ours, itself)[0] > 0.99


@pytest.mark.parametrize(
    "inside",
    ["Cape Cod Room at The Drake Hotel", "Starbucks @ The Drake Hotel", "Coq d'Or"],
)
def test_a_hotels_restaurants_are_not_the_hotel(inside):
    """Same building, same switchboard: the restaurant is inside the hotel, not the hotel."""
    hotel = business(name="The Drake Hotel", categories="Hotel", **DRAKE)
    p, evidence = score(hotel, listing(name=inside, **DRAKE))
    assert p < THRESHOLD
    assert "same phone and street address" in evidence


def test_a_restaurant_inside_a_venue_is_found_by_its_own_name():
    """'Fenix at the Argyle' is Fenix, at the Argyle: the words after 'at' say where it is."""
    ours = business(name="Fenix", address="8358 Sunset Blvd", city="West Hollywood", state="CA",
                    zip="90069", phone="(323) 555-0148")  # fmt: skip
    p, evidence = score(ours, listing(name="Fenix at the Argyle", address="8358 Sunset Blvd",
                                      zip="90069", phone="323.555.0148"))  # fmt: skip
    assert p > 0.99 and "same name, with a place added" in evidence
    museum = business(name="Art Institute of Chicago", address="111 S Michigan Ave",
                      zip="60603", phone="(312) 443-3600", categories="Art museum")  # fmt: skip
    cafe = listing(name="Terzo Piano at the Art Institute of Chicago", address="159 E Monroe St",
                   zip="60603", phone="(312) 443-3600")  # fmt: skip
    p, evidence = score(museum, cafe)
    assert p < THRESHOLD and "a business inside the other one (terzo piano)" in evidence


# --- a business's departments, listed on their own, often with its phone --------------------

PETCO = dict(address="1171 W Lake St", city="Chicago", state="IL", zip="60607",
             phone="(312) 555-0190")  # fmt: skip
HOSPITAL = dict(address="251 E Huron St", city="Chicago", state="IL", zip="60611",
                phone="(312) 926-2000")  # fmt: skip
DEALER = dict(address="414 E Ogden Ave", city="Westmont", state="IL", zip="60559",
              phone="(630) 555-0112")  # fmt: skip


@pytest.mark.parametrize(
    ("ours", "categories", "where", "unit", "words"),
    [
        ("Petco", "Pet supply store", PETCO, "Petco Grooming", "grooming"),
        ("Northwestern Memorial Hospital", "Hospital", HOSPITAL,
         "Northwestern Memorial Hospital Emergency Department", "emergency department"),
        ("Northwestern Memorial Hospital", "Hospital", HOSPITAL,
         "Northwestern Memorial Hospital - Radiology", "radiology"),
        ("Sunrise Chevrolet", "Chevrolet dealer", DEALER, "Sunrise Chevrolet Parts", "parts"),
        ("Sunrise Chevrolet", "Chevrolet dealer", DEALER, "Sunrise Chevrolet Service", "service"),
    ],
)  # fmt: skip
def test_a_department_with_the_same_phone_and_address_is_not_the_business(
    ours, categories, where, unit, words
):
    """Matching it would report the department's name as the business's name 'wrong'."""
    p, evidence = score(business(name=ours, categories=categories, **where),
                        listing(name=unit, **where))  # fmt: skip
    assert p < THRESHOLD
    assert f"the name of a department or service, not the business ({words})" in evidence
    assert "same phone and street address" in evidence


def test_a_department_record_does_not_capture_the_main_store():
    """The owner of the grooming salon audits the salon: the store's listing is not it."""
    salon = business(name="Petco Grooming", categories="Pet groomer", **PETCO)
    assert score(salon, listing(name="Petco", **PETCO))[0] < THRESHOLD
    assert score(salon, listing(name="Petco Grooming Salon", **PETCO))[0] >= THRESHOLD


def test_a_unit_word_that_is_the_business_s_own_trade_is_its_name():
    """For an auto parts store, 'Parts' is its trade, not a department."""
    ours = business(name="Westmont Auto", categories="Auto parts store", **DEALER)
    assert score(ours, listing(name="Westmont Auto Parts", **DEALER))[0] > 0.99


def test_discovery_follows_the_business_not_its_department():
    """A directory's results for Petco: the store, its grooming salon, its clinic inside."""
    store = business(name="Petco", categories="Pet supply store", **PETCO)
    found = [
        {"name": "Petco Grooming", "address": "1171 W Lake St", "zip": "60607",
         "phone": "(312) 555-0190"},
        {"name": "Vetco Total Care at Petco", "address": "1171 W Lake St", "zip": "60607",
         "phone": "(312) 555-0190"},
        {"name": "Petco", "address": "1171 West Lake Street", "zip": "60607",
         "phone": "312-555-0190"},
    ]  # fmt: skip
    ranked = rank_candidates(store, found)
    assert [values["name"] for p, _, values in ranked if p >= THRESHOLD] == ["Petco"]


# --- ties ---------------------------------------------------------------------------------


def test_ties_are_broken_by_business_id_whatever_the_input_order():
    """Two records the owner entered twice: the answer is the same on every run and order."""
    twins = [
        Record(id=key, name="Harbor Lane Dental", address="1200 Harbor Blvd", zip="92626",
               phone="(714) 555-0142")
        for key in ("harbor-b", "harbor-a", "harbor-c")
    ]  # fmt: skip
    found = listing(name="Harbor Lane Dental", address="1200 Harbor Blvd", zip="92626",
                    phone="714-555-0142")  # fmt: skip
    answers = {
        Identifier([normalize_record(r) for r in order]).identify(found)[:3]
        for order in (twins, twins[::-1], twins[1:] + twins[:1])
    }
    assert len(answers) == 1
    ((business_id, _, candidate),) = answers
    assert business_id == candidate == "harbor-a"
