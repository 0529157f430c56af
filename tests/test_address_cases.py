"""Street-address verdicts, one table per kind of rewrite listings make (issue 17.2): each pair is
the same address written two ways (match or variant, with a true reason), or two addresses that
differ in one part (mismatch)."""

from __future__ import annotations

import pytest
from napaudit.auditor.identify import Identifier, score_pair
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.address import normalize_address
from napaudit.auditor.normalize.record import normalize_record

OK = ("match", "variant")


def verdict(mine: str, theirs: str):
    canonical = normalize_record(Record(id="b", address=mine))
    found = normalize_record(Record(id="l", address=theirs))
    return next(v for v in judge(canonical, found) if v.field == "address")


def check(mine: str, theirs: str, status: str, reason: str) -> None:
    v = verdict(mine, theirs)
    assert (v.status if v.status != "match" else "variant") == status, (mine, theirs, v.reason)
    assert reason in v.reason, (mine, theirs, v.reason)


ROUTES = [
    ("4410 County Road 12", "4410 Co Rd 12", "variant", "'Co Rd 12' = 'County Road 12'"),
    ("4410 Co Rd 12", "4410 County Road 12", "variant", "'County Road 12' = 'Co Rd 12'"),
    ("4410 County Road 12", "4410 CR 12", "variant", "'CR 12' = 'County Road 12'"),
    ("1947 County Rd 2700 E", "1947 CR-2700 East", "variant", "'East' = 'E'"),
    ("133 County Road KK", "133 Co. Rd. KK", "variant", "'Co. Rd. KK' = 'County Road KK'"),
    ("2855 State Route 9, Suite 105", "2855 SR 9 Ste 105", "variant", "'SR 9' = 'State Route 9'"),
    ("2855 State Route 9", "2855 Highway 9", "variant", "'Highway 9' = 'State Route 9'"),
    ("2855 State Route 9", "2855 Hwy 9", "variant", "'Hwy 9' = 'State Route 9'"),
    ("1005 State Highway 116", "1005 State Hwy 116", "variant", "= 'State Highway 116'"),
    ("36625 US Highway 19 N", "36625 US Hwy 19 North", "variant", "'US Hwy 19' = 'US Highway 19'"),
    ("4410 County Road 12", "4410 County Road 21", "mismatch", "street 'County Road 21' ≠ 'County Road 12'"),
    ("4410 County Road 12", "4410 State Route 12", "mismatch", "street 'State Route 12' ≠ 'County Road 12'"),
    ("2855 State Route 9", "2855 US Highway 9", "mismatch", "street 'US Highway 9' ≠ 'State Route 9'"),
]  # fmt: skip

UNIT_MARKERS = [
    ("88 Orchard St Apt No 101", "88 Orchard St Apt 101", "variant", "'Apt 101' = 'Apt No 101'"),
    ("88 Orchard St Apt. No. 101", "88 Orchard St #101", "variant", "'#101' = 'Apt. No. 101'"),
    ("88 Orchard St No. 4B", "88 Orchard St Apt 4B", "variant", "'Apt 4B' = 'No. 4B'"),
    ("1732 1st Ave # 25366", "1732 1st Ave Unit 25366", "variant", "'Unit 25366' = '# 25366'"),
    ("500 Park Ave PH 1", "500 Park Ave Penthouse 1", "variant", "'Penthouse 1' = 'PH 1'"),
    ("500 Park Ave, PH1", "500 Park Avenue Penthouse 1", "variant", "'Penthouse 1' = 'PH1'"),
    ("88 Orchard St Apt No 101", "88 Orchard St Apt No 110", "mismatch", "apt 110 ≠ 101"),
    ("1732 1st Ave # 25366", "1732 1st Ave # 23366", "mismatch", "unit 23366 ≠ 25366"),
    ("500 Park Ave PH 1", "500 Park Ave PH 2", "mismatch", "penthouse 2 ≠ 1"),
    ("500 Park Ave PH 1", "500 Park Ave Apt 1", "mismatch", "apt 1 ≠ penthouse 1"),
    # found by the hypothesis properties: words read as a city before the unit are the street's
    ("121 Town Ctr St North Suite 100", "121 Town Center St N Suite 200", "mismatch", "suite 200 ≠ 100"),
]  # fmt: skip

FLOORS = [
    ("219 S Dearborn St, First Floor", "219 S Dearborn St 1st Fl", "variant", "'1st Fl' = 'First Floor'"),
    ("219 S Dearborn St, Second Floor", "219 S Dearborn St, Floor 2", "variant", "'Floor 2' = 'Second Floor'"),
    ("111 E Wacker Dr, 25th Flr", "111 E Wacker Dr, Twenty-Fifth Floor", "variant", "= '25th Flr'"),
    ("7411 S Cottage Grove Ave, Ground Floor", "7411 S Cottage Grove Ave Ground Fl.", "variant", "'Ground Fl.' = 'Ground Floor'"),
    ("4th Floor, 300 E Randolph St", "300 E Randolph St, Fl 4", "variant", "'Fl 4' = '4th Floor'"),
    ("219 S Dearborn St, First Floor", "219 S Dearborn St, 2nd Floor", "mismatch", "floor 2 ≠ 1"),
    ("219 S Dearborn St, Floor 2", "219 S Dearborn St, Suite 2", "mismatch", "suite 2 ≠ floor 2"),
]  # fmt: skip

NAME_WORDS = [
    ("9205 Southpark Center Loop", "9205 Southpark Ctr Loop", "variant", "'Southpark Ctr' = 'Southpark Center'"),
    ("5 Mount Vernon Ave", "5 Mt. Vernon Ave", "variant", "'Mt. Vernon' = 'Mount Vernon'"),
    ("500 Fort Hamilton Pkwy", "500 Ft Hamilton Pkwy", "variant", "'Ft Hamilton' = 'Fort Hamilton'"),
    ("3419 Saint John St", "3419 St. John St", "variant", "'St. John' = 'Saint John'"),
    ("65 W St Charles Rd", "65 West Saint Charles Road", "variant", "'Saint Charles' = 'St Charles'"),
    ("2228 Martin Luther King Jr Ave SE", "2228 MLK Ave SE", "variant", "'MLK' = 'Martin Luther King Jr'"),
    ("8128 S Dr Martin Luther King Jr Dr", "8128 S MLK Dr", "variant", "'MLK' = 'Dr Martin Luther King Jr'"),
    ("9205 Southpark Center Loop", "9205 Southpark Circle Loop", "mismatch", "street 'Southpark Circle' ≠ 'Southpark Center'"),
    ("5 Mount Vernon Ave", "5 Mt Pleasant Ave", "mismatch", "street 'Mt Pleasant' ≠ 'Mount Vernon'"),
    ("2228 Martin Luther King Jr Ave", "2228 Malcolm X Ave", "mismatch", "street 'Malcolm X' ≠ 'Martin Luther King Jr'"),
]  # fmt: skip

NUMBERS_AND_DIRECTIONS = [
    ("One Market St", "1 Market St", "variant", "'1' = 'One'"),
    ("Two Embarcadero Center", "2 Embarcadero Ctr", "variant", "'2' = 'Two'"),
    ("One Hundred Oak St", "100 Oak Street", "variant", "'100' = 'One Hundred'"),
    ("Twenty-Two Main St, Suite 4", "22 Main St Ste 4", "variant", "'22' = 'Twenty-Two'"),
    ("100 E North Ave", "100 E N Ave", "variant", "'N' = 'North'"),
    ("611 South Boulevard", "611 South Blvd", "variant", "'South Blvd' = 'South Boulevard'"),
    ("One Market St", "2 Market St", "mismatch", "street number 2 ≠ 1"),
    ("100 E North Ave", "100 E South Ave", "mismatch", "street 'South' ≠ 'North'"),
    ("80 W Ave", "80 E Ave", "mismatch", "directional 'E' ≠ 'W'"),
]  # fmt: skip


@pytest.mark.parametrize("mine, theirs, status, reason", ROUTES)
def test_county_roads_state_routes_and_highways(mine, theirs, status, reason):
    check(mine, theirs, status, reason)


@pytest.mark.parametrize("mine, theirs, status, reason", UNIT_MARKERS)
def test_unit_markers_and_penthouses(mine, theirs, status, reason):
    check(mine, theirs, status, reason)


@pytest.mark.parametrize("mine, theirs, status, reason", FLOORS)
def test_floors_in_words_and_ordinals(mine, theirs, status, reason):
    check(mine, theirs, status, reason)


@pytest.mark.parametrize("mine, theirs, status, reason", NAME_WORDS)
def test_abbreviated_words_inside_street_names(mine, theirs, status, reason):
    check(mine, theirs, status, reason)


@pytest.mark.parametrize("mine, theirs, status, reason", NUMBERS_AND_DIRECTIONS)
def test_house_numbers_in_words_and_directional_names(mine, theirs, status, reason):
    check(mine, theirs, status, reason)


@pytest.mark.parametrize(
    "mine, theirs",
    [(m, t) for table in (ROUTES, UNIT_MARKERS, FLOORS, NAME_WORDS, NUMBERS_AND_DIRECTIONS)
     for m, t, status, _ in table if status == "mismatch"],
)  # fmt: skip
def test_a_reason_never_shows_two_equal_sides(mine, theirs):
    """'street '12' ≠ '12'' told the owner nothing: each side of a '≠' shows what differs."""
    reason = verdict(mine, theirs).reason
    for clause in reason.split("; "):
        if " ≠ " in clause:
            left, right = clause.split(" ≠ ", 1)
            assert left.split(" ", 1)[-1].strip("'") != right.strip("'"), reason


def test_route_designators_are_read_as_one_street():
    for line in ("4410 Co Rd 12", "4410 CR 12", "4410 County Road 12", "4410 CR-12"):
        address = normalize_address(line)
        assert (address.number, address.pretype, address.street) == ("4410", "COUNTY RD", "12")


@pytest.mark.parametrize(
    "raw, units",
    [
        ("88 Orchard St Apt No 101", (("APT", "101"),)),
        ("88 Orchard St, No. 101", (("#", "101"),)),
        ("180 Water St, 14th Floor, Room 1418", (("FL", "14"), ("RM", "1418"))),
        ("9837 SW 184th St Bldg A Flr 3 Ste 222", (("BLDG", "A"), ("FL", "3"), ("STE", "222"))),
        ("600 E Boulevard Ave, DEPARTMENT 301", (("DEPT", "301"),)),
        ("500 Park Ave PH1", (("PH", "1"),)),
    ],
)
def test_units_are_read_with_their_designators(raw, units):
    assert normalize_address(raw).units == units


# --- identification weighs an address difference as the verdict does ---------------------


def _pair(mine: str, theirs: str):
    business = normalize_record(Record(id="b", name="Harbor Lane Dental", address=mine))
    listing = normalize_record(Record(id="l", name="Harbor Lane Dental", address=theirs))
    return business, listing


@pytest.mark.parametrize(
    "mine, theirs, evidence",
    [
        ("1 N Ogden Ave", "1 N Ogden", "same street address"),  # a suffix missing: a variant
        ("4410 County Road 12", "4410 Co Rd 12", "same street address"),
        ("100 E North Ave", "100 E N Ave", "same street address"),
        ("1 N Ogden Ave", "1 N Ogden St", "same street number, street spelled differently"),
        ("1 N Ogden Ave", "7 N Ogden", "same street, different number"),
        ("1 N Ogden Ave", "1 N Damen Ave", "different street address"),
    ],
)
def test_identification_reads_the_verdicts_address_levels(mine, theirs, evidence):
    business, listing = _pair(mine, theirs)
    assert evidence in score_pair(business, listing)[1]
    same = evidence == "same street address"
    assert (verdict(mine, theirs).status in OK) == same


def test_a_listing_missing_the_suffix_is_identified():
    business = normalize_record(Record(id="ogden", name="Ogden Head Start", address="1 N Ogden Ave",
                                       zip="60607", phone="(312) 555-0100"))  # fmt: skip
    other = normalize_record(Record(id="damen", name="Damen Head Start", address="1 N Damen Ave",
                                    zip="60612", phone="(312) 555-0177"))  # fmt: skip
    listing = normalize_record(Record(id="l", name="Ogden Head Start", address="1 N. Ogden",
                                      zip="60607"))  # fmt: skip
    assert Identifier([business, other]).identify(listing).business_id == "ogden"
