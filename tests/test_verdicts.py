"""Field verdicts: format-only differences are never errors; real differences always are."""

from __future__ import annotations

import csv

import pytest
from conftest import realdata
from hypothesis import given, settings
from hypothesis import strategies as st
from napaudit.auditor.judge import judge
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record

OK = ("match", "variant")


def verdicts(mine: dict, theirs: dict) -> dict:
    canonical = normalize_record(Record(id="b", **mine))
    found = normalize_record(Record(id="l", **theirs))
    return {v.field: v for v in judge(canonical, found)}


def verdict(field: str, mine: str, theirs: str, **context):
    return verdicts({field: mine, **context}, {field: theirs, **context})[field]


# --- the complaints users have about other tools ------------------------------------------


@pytest.mark.parametrize(
    "field, mine, theirs, status, reason",
    [
        ("address", "100 Main Road", "100 Main Rd", "variant", "suffix 'Rd' = 'Road' (USPS RD)"),
        ("address", "200 Oak St Ste 200", "200 Oak St Suite 200", "variant", "'Suite 200' = 'Ste 200'"),
        ("address", "570 Fourth St", "570 4th St", "variant", "'4th' = 'Fourth'"),
        ("address", "1 Hotel Boulevard", "1 Hotel Blv.", "variant", "suffix 'Blv.' = 'Boulevard'"),
        ("address", "5 N. Elm St", "5 North Elm St", "variant", "'North' = 'N.'"),
        ("address", "8 Elm St Ste 200", "8 Elm St #200", "variant", "'#200' = 'Ste 200'"),
        ("address", "8 Elm St Ste 200", "8 Elm St Ste 210", "mismatch", "suite 210 ≠ 200"),
        ("address", "8 Elm St Ste 200", "8 Elm St", "mismatch", "suite 200 missing"),
        ("address", "5 N Elm St", "5 Elm St", "variant", "directional 'N' missing on listing"),
        ("address", "570 Fourth St", "750 Fourth St", "mismatch", "street number 750 ≠ 570"),
        ("address", "570 Fourth St", "570 Fifth St", "mismatch", "street 'Fifth' ≠ 'Fourth'"),
        ("address", "570 Fourth St", "570 Fourth Ave", "mismatch", "suffix 'Ave' ≠ 'St'"),
        ("address", "9 Elm St", "9 Elm St (inside the mall)", "variant", "location note 'inside the mall' set aside"),
        ("phone", "(310) 246-1501", "310/246-1501", "variant", "same number (310) 246-1501"),
        ("phone", "(310) 246-1501", "(310) 246-1599", "mismatch", "(310) 246-1599 ≠ (310) 246-1501"),
        ("phone", "(310) 246-1501", "246-1501", "variant", "area code missing on listing"),
        ("phone", "(310) 246-1501 ext 4", "(310) 246-1501", "mismatch", "extension 4 missing"),
        ("name", "The Palm", "Palm, The", "variant", "article moved"),
        ("name", "Acme Plumbing, LLC", "ACME PLUMBING", "variant", "legal suffix 'LLC' set aside"),
        ("name", "Joe & Sons", "Joe and Sons", "variant", "'&' = 'and'"),
        ("name", "Bones", "Bones Restaurant", "mismatch", "added 'restaurant'"),
        ("name", "Arts Delicatessen", "Arts Deli", "mismatch", "'delicatessen' → 'deli'"),
        ("website", "https://www.joes.example/", "joes.example/index.html?utm_source=x", "variant", "index page, scheme, tracking parameters"),
        ("website", "https://joes.example/", "https://joes-pizza.example/", "mismatch", "domain 'joes-pizza.example' ≠ 'joes.example'"),
        ("website", "https://joes.example/", "https://facebook.com/joes", "mismatch", "points to a facebook.com page"),
        ("state", "CA", "California", "variant", "'California' = 'CA'"),
        ("hours", "Mo-Fr 09:00-17:00", "Mon-Fri 9am-5pm", "variant", "same weekly hours"),
        ("hours", "Mo-Fr 09:00-17:00", "Mo-Sa 09:00-17:00", "mismatch", "Sat: 09:00-17:00 ≠ closed"),
    ],
)  # fmt: skip
def test_verdict_and_reason(field, mine, theirs, status, reason):
    v = verdict(field, mine, theirs)
    assert v.status == status
    assert reason in v.reason
    assert (v.canonical, v.found) == (mine, theirs)


@pytest.mark.parametrize(
    "mine, theirs, status, reason",
    [
        ({"city": "New York", "zip": "10019"}, {"city": "New York City", "zip": "10019"},
         "variant", "'New York City' is a name for ZIP 10019; USPS prefers 'New York'"),
        ({"city": "Los Angeles", "zip": "90028"}, {"city": "Hollywood", "zip": "90028"},
         "variant", "USPS-accepted name for ZIP 90028"),
        ({"city": "St. Louis", "zip": "63101"}, {"city": "Saint Louis", "zip": "63101"},
         "variant", "'Saint Louis' = 'St. Louis'"),
        ({"city": "Beverly Hills", "zip": "90210"}, {"city": "Los Angeles", "zip": "90210"},
         "mismatch", "'Los Angeles' ≠ 'Beverly Hills'"),
        ({"city": "New York", "state": "NY"}, {"city": "New York City", "state": "NY"},
         "variant", "'New York City' and 'New York' name one place (New York, NY)"),
        ({"city": "Brooklyn", "state": "NY"}, {"city": "New York City", "state": "NY"},
         "mismatch", "'New York City' ≠ 'Brooklyn'"),
    ],
)  # fmt: skip
def test_city_verdicts_use_usps_names(mine, theirs, status, reason):
    v = verdicts(mine, theirs)["city"]
    assert (v.status, v.severity) == (status, "high" if status == "mismatch" else v.severity)
    assert reason in v.reason


def test_wrong_zip_says_where_it_is():
    v = verdicts(
        {"city": "Beverly Hills", "zip": "90210"}, {"city": "Beverly Hills", "zip": "90048"}
    )
    assert v["zip"].status == "mismatch" and v["zip"].severity == "high"
    assert "ZIP 90048 ≠ 90210" in v["zip"].reason
    assert "90048 is not in Beverly Hills" in v["zip"].reason


def test_missing_extra_and_severity():
    v = verdicts(
        {"name": "Acme", "phone": "(310) 246-1501", "hours": "Mo-Fr 09:00-17:00"},
        {"name": "Acme", "website": "https://acme.example/"},
    )
    assert v["name"].status == "match" and v["name"].severity == "none"
    assert (v["phone"].status, v["phone"].severity) == ("missing", "high")
    assert (v["hours"].status, v["hours"].severity) == ("missing", "low")
    assert v["website"].status == "extra"
    assert "address" not in v  # neither side has one


def test_severity_high_for_what_costs_customers_low_for_suites():
    assert verdict("phone", "(310) 246-1501", "(310) 246-1599").severity == "high"
    assert verdict("address", "1 Elm St", "2 Elm St").severity == "high"
    assert verdict("address", "1 Elm St Ste 5", "1 Elm St").severity == "low"
    assert verdict("address", "1 N Elm St", "1 Elm St").severity == "low"
    assert verdict("address", "1 Elm St", "1 Elm St (rear entrance)").severity == "low"
    assert verdict("name", "Bones", "Bones Restaurant").severity == "high"


def test_city_state_zip_read_off_a_one_line_address():
    v = verdicts(
        {"address": "100 E Wacker Dr", "city": "Chicago", "state": "IL", "zip": "60601"},
        {"address": "100 E. Wacker Dr, Chicago, IL 60601"},
    )
    assert [v[f].status for f in ("address", "city", "state", "zip")] == [
        "variant",
        "match",
        "match",
        "match",
    ]
    assert "read from the listing's address line" in v["zip"].reason


# --- real variants from ../shared/realdata -------------------------------------------------


def test_real_phone_formats_from_places_apis_are_the_same_number():
    """Google Places and Yelp show each number twice: national and international format."""
    import json

    pairs = []
    for path in sorted(realdata("api").glob("*/*.json")):
        _collect_phone_pairs(json.loads(path.read_text()), pairs)
    assert len(pairs) >= 30
    for national, international, country in pairs:
        v = verdict("phone", national, international, country=country)
        assert v.status == "variant", (national, international, v.reason)


def _collect_phone_pairs(node, out):
    if isinstance(node, dict):
        national = node.get("formatted_phone_number") or node.get("display_phone")
        international = node.get("international_phone_number") or node.get("phone")
        location = node.get("location")
        if isinstance(location, dict) and location.get("country"):
            country = location["country"]  # Yelp
        else:
            address = str(node.get("formatted_address", ""))  # Google
            country = "AU" if "Australia" in address else "FR" if "France" in address else "US"
        if national and international:
            out.append((national, international, country))
        for value in node.values():
            _collect_phone_pairs(value, out)
    elif isinstance(node, list):
        for value in node:
            _collect_phone_pairs(value, out)


CHICAGO = ("linkage", "dedupe-examples-chicago-early-childhood", "csv_example_messy_input.csv")


@pytest.mark.parametrize(
    "ids, status",
    [
        ((0, 215), "variant"),  # '1 N Ogden Ave' / '1 N. Ogden': suffix missing on one side
        ((434, 833), "variant"),  # '707 E. 37th St.' / '707 E 37th St'
        ((657, 2919), "variant"),  # '2653 W Ogden Ave' / '2653 West Ogden Avenue'
        ((3050, 2311), "variant"),  # '3140 W Ogden Avenue' / '3140 W Ogden'
        ((517, 2021), "mismatch"),  # one entity, two numbers: '1009 N. Cleveland' / '1119 ...'
        ((2036, 434), "mismatch"),  # '249 E. 37th St' / '707 E. 37th St.'
    ],
)
def test_real_address_variants_from_linkage_data(ids, status):
    rows = {int(r["Id"]): r for r in csv.DictReader(open(realdata(*CHICAGO), encoding="latin-1"))}
    a, b = (rows[i]["Address"] for i in ids)
    assert verdict("address", a, b).status == status, (a, b)


# --- properties -----------------------------------------------------------------------------

AREA = st.sampled_from(["212", "310", "312", "415", "602", "714", "773", "818"])
EXCHANGE = st.integers(200, 999).map(str)
LINE = st.integers(0, 9999).map(lambda n: f"{n:04d}")
PHONE_FORMATS = (
    "({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "{a}/{e}-{l}", "+1 {a} {e} {l}", "1-{a}-{e}-{l}",
    "{a}{e}{l}", "+1 ({a}) {e}-{l}", "{a} {e} {l}",
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(AREA, EXCHANGE, LINE, st.sampled_from(PHONE_FORMATS), st.sampled_from(PHONE_FORMATS))
def test_any_phone_format_rewrite_stays_the_same_number(a, e, line, f1, f2):
    v = verdict("phone", f1.format(a=a, e=e, l=line), f2.format(a=a, e=e, l=line))
    assert v.status in OK, v.reason


@settings(max_examples=200, deadline=None)
@given(AREA, EXCHANGE, LINE, st.sampled_from(PHONE_FORMATS), st.data())
def test_any_changed_phone_digit_is_a_mismatch(a, e, line, fmt, data):
    digits = a + e + line
    i = data.draw(st.integers(0, 9))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != digits[i]]))
    changed = digits[:i] + new + digits[i + 1 :]
    mine = fmt.format(a=a, e=e, l=line)
    theirs = fmt.format(a=changed[:3], e=changed[3:6], l=changed[6:])
    v = verdict("phone", mine, theirs)
    assert v.status == "mismatch" and v.severity == "high", (mine, theirs, v.reason)


STREETS = ["Main", "Elm", "Harbor", "Ventura", "Wacker", "Elston", "Central", "Lincoln", "Maple"]
ORDINALS = {
    1: "First",
    2: "Second",
    3: "Third",
    4: "Fourth",
    5: "Fifth",
    9: "Ninth",
    42: "Forty-Second",
}
SUFFIXES = {"ST": ["St", "St.", "Street", "STREET"], "AVE": ["Ave", "Ave.", "Avenue", "Av"],
            "BLVD": ["Blvd", "Blvd.", "Boulevard", "Blv."], "RD": ["Rd", "Rd.", "Road"],
            "DR": ["Dr", "Dr.", "Drive"]}  # fmt: skip
DIRECTIONS = {"N": ["N", "N.", "North", "north"], "W": ["W", "W.", "West"], "S": ["S", "South"]}
UNITS = ["Suite {}", "Ste {}", "Ste. {}", "STE {}", "#{}", "# {}", "Suite #{}"]


@st.composite
def addresses(draw):
    """(components, a strategy-drawn rendering function) for one address."""
    street = draw(st.one_of(st.sampled_from(STREETS), st.sampled_from(sorted(ORDINALS))))
    return {
        "number": draw(st.integers(1, 99999)),
        "direction": draw(st.sampled_from([None, *DIRECTIONS])),
        "street": street,
        "suffix": draw(st.sampled_from(sorted(SUFFIXES))),
        "unit": draw(st.one_of(st.none(), st.integers(1, 2999))),
    }


def render(data, a: dict, number=None, unit=None) -> str:
    parts = [str(number if number is not None else a["number"])]
    if a["direction"]:
        parts.append(data.draw(st.sampled_from(DIRECTIONS[a["direction"]])))
    if isinstance(a["street"], int):
        n = a["street"]
        ordinal = (
            f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
        )
        parts.append(data.draw(st.sampled_from([ordinal, ORDINALS[n]])))
    else:
        parts.append(data.draw(st.sampled_from([a["street"], a["street"].upper()])))
    parts.append(data.draw(st.sampled_from(SUFFIXES[a["suffix"]])))
    text = " ".join(parts)
    unit_id = unit if unit is not None else a["unit"]
    if unit_id is not None:
        sep = data.draw(st.sampled_from([" ", ", "]))
        text += sep + data.draw(st.sampled_from(UNITS)).format(unit_id)
    return text


@settings(max_examples=300, deadline=None)
@given(addresses(), st.data())
def test_any_address_format_rewrite_stays_match_or_variant(a, data):
    mine, theirs = render(data, a), render(data, a)
    v = verdict("address", mine, theirs)
    assert v.status in OK, (mine, theirs, v.reason)


@settings(max_examples=300, deadline=None)
@given(addresses(), st.data())
def test_a_changed_street_number_or_suite_digit_is_a_mismatch(a, data):
    target = "unit" if a["unit"] is not None and data.draw(st.booleans()) else "number"
    old = str(a[target])
    i = data.draw(st.integers(0, len(old) - 1))
    choices = [d for d in "0123456789" if d != old[i] and not (i == 0 and d == "0")]
    changed = int(old[:i] + data.draw(st.sampled_from(choices)) + old[i + 1 :])
    mine = render(data, a)
    theirs = render(data, a, **{target: changed})
    v = verdict("address", mine, theirs)
    assert v.status == "mismatch", (mine, theirs, v.reason)


ZIPS = ["10019", "60601", "90210", "94107", "85012", "92626", "60614", "30303"]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(ZIPS), st.integers(0, 4), st.data())
def test_a_changed_zip_digit_is_a_mismatch(zip5, i, data):
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != zip5[i]]))
    changed = zip5[:i] + new + zip5[i + 1 :]
    assert verdict("zip", zip5, changed).status == "mismatch"
    assert verdict("zip", zip5, f"{zip5}-1234").status in OK


WORDS = ["Blue", "Fin", "Copper", "Kettle", "Harbor", "Lane", "Dental", "Northside", "Hardware"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True), st.data())
def test_any_name_format_rewrite_stays_match_or_variant(words, data):
    name = " ".join(words)
    rewrites = [
        name.upper(),
        name.lower(),
        name + ", LLC",
        name + " Inc.",
        "The " + name,
        name + ", The",
        name.replace(" ", "  "),
        name + ".",
    ]
    theirs = data.draw(st.sampled_from(rewrites))
    mine = "The " + name if "The" in theirs.split(" ")[:1] + theirs.split(", ")[-1:] else name
    assert verdict("name", mine, theirs).status in OK, (mine, theirs)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=2, max_size=4, unique=True), st.data())
def test_an_added_or_dropped_name_word_is_a_mismatch(words, data):
    name = " ".join(words)
    drop = data.draw(st.sampled_from(words))
    dropped = " ".join(w for w in words if w != drop)
    added = name + " " + data.draw(st.sampled_from(["Restaurant", "Shop", "Co-op", "Group"]))
    assert verdict("name", name, dropped).status == "mismatch"
    assert verdict("name", name, added).status == "mismatch"
