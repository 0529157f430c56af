"""What to fix first: the ranking of problems, root causes and their origins, on constructed
stores (made by `napaudit compare`, as a user makes them)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fixtures.report.scenario import store_from_text
from napaudit.auditor.catalog import load_catalog
from napaudit.reports.build import build
from napaudit.reports.config import Weights, load_weights
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
WRONG_PHONE = "(714) 555-0199"
NO_SUITE = "1200 Harbor Blvd"
# Fed by Data Axle and by no other catalog source (data/sources.toml).
DATA_AXLE_FED = ("mapquest", "merchantcircle", "local-com", "yellowbot", "chamberofcommerce")


def listings(*rows: tuple[str, dict]) -> str:
    """A listings CSV: each row is (source, changes to the right values)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, ["listing_id", "source", "business_id", *RIGHT])
    writer.writeheader()
    for n, (source, changes) in enumerate(rows, 1):
        writer.writerow({"listing_id": f"{source}-{n}", "source": source, "business_id": "b",
                         **RIGHT, **changes})  # fmt: skip
    return out.getvalue()


def ranked(tmp_path, *runs: str, weights: Weights | None = None):
    db = store_from_text(tmp_path, CLIENT, *runs)
    weights = weights or Weights(load_catalog())
    return rank_fixes(load_snapshot(db), "b", weights)


def order(fixes) -> list[tuple[str, str, str]]:
    return [(f.kind, f.source, f.field) for f in fixes]


@pytest.mark.parametrize(
    "rows, expected",
    [
        pytest.param(
            [("cylex", {"phone": WRONG_PHONE}), ("foursquare", {"hours": "Mo-Fr 09:00-17:00"})],
            [("fix", "cylex", "phone"), ("fix", "foursquare", "hours")],
            id="urgent-before-important-whatever-the-priority",  # 2*3*1=6 < 9*2*5=90
        ),
        pytest.param(
            [("yelp", {"hours": ""}), ("cylex", {"phone": WRONG_PHONE}),
             ("google", {"address": NO_SUITE})],
            [("fix", "cylex", "phone"), ("fix", "google", "address"), ("fix", "yelp", "hours")],
            id="no-minor-before-an-urgent",  # minor 10 and 9 both above urgent 6 by priority
        ),
        pytest.param(
            [("yelp", {"address": NO_SUITE, "phone": WRONG_PHONE})],
            [("fix", "yelp", "phone"), ("fix", "yelp", "address")],
            id="wrong-phone-above-missing-suite-same-source",  # 9*3 > 9*1
        ),
        pytest.param(
            [("google", {"address": NO_SUITE}), ("yelp", {"phone": WRONG_PHONE})],
            [("fix", "yelp", "phone"), ("fix", "google", "address")],
            id="wrong-phone-on-yelp-above-missing-suite-on-google",  # 9*3=27 > 10*1=10
        ),
        pytest.param(
            [
                ("google", {"address": "1200 Harbor Blvd, Suite 210 (across from the mall)"}),
                ("n49", {"hours": ""}),
            ],
            [("fix", "n49", "hours"), ("optional", "google", "address")],
            id="any-real-fix-before-optional-polish",
        ),
        pytest.param(
            [(s, {"phone": WRONG_PHONE}) for s in DATA_AXLE_FED],
            [
                ("root_cause", "data-axle", "phone"),
                ("fix", "mapquest", "phone"),
                ("fix", "chamberofcommerce", "phone"),
                ("fix", "local-com", "phone"),
                ("fix", "merchantcircle", "phone"),
                ("fix", "yellowbot", "phone"),
            ],
            id="same-wrong-phone-on-five-sources-traced-to-data-axle",
        ),
        pytest.param(
            [("google", {"address": "1200 Harbor Blvd, Suite 201"}),
             ("n49", {"hours": "Mo-Fr 09:00-17:00"}), ("cylex", {"hours": "Mo-Fr 09:00-17:00"})],
            [("root_cause", "cylex", "hours"), ("fix", "google", "address"),
             ("fix", "n49", "hours")],  # Cylex's own listing is fixed by the root cause
            id="a-root-cause-sits-first-within-its-class",  # 2*2*1*2=8 < Google's 10*2=20
        ),
        pytest.param(
            [("yellowpages", {"zip": "92627"}), ("superpages", {"zip": "92627"})],
            [("root_cause", "yellowpages", "zip"), ("fix", "superpages", "zip")],
            id="a-source-showing-the-value-and-feeding-the-other-is-the-origin",
        ),
        pytest.param(
            [(s, {"phone": ""}) for s in DATA_AXLE_FED[:2]],
            [("fix", "mapquest", "phone"), ("fix", "merchantcircle", "phone")],
            id="a-missing-value-is-never-a-shared-root-cause",
        ),
        pytest.param(
            [("google", {}), ("yelp", {"phone": "714.555.0142"})],
            [],
            id="variants-without-severity-need-no-fix",
        ),
    ],
)  # fmt: skip
def test_ranking(tmp_path, rows, expected):
    assert order(ranked(tmp_path, listings(*rows))) == expected


@pytest.mark.parametrize(
    "source, changes, priority",
    [
        ("foursquare", {"hours": "Mo-Fr 09:00-17:00"}, 9 * 2 * 5),  # feeds 4 sources: reach 5
        ("yellowpages", {"phone": WRONG_PHONE}, 6 * 3 * 2),  # feeds Superpages: reach 2
        ("cylex", {"phone": WRONG_PHONE}, 2 * 3 * 1),
        ("google", {"address": NO_SUITE}, 10 * 1 * 1),  # a missing suite is low severity
        ("acme-directory", {"phone": WRONG_PHONE}, 3 * 3 * 1),  # not in the catalog: weight 3
    ],
)
def test_priority_is_weight_times_severity_times_reach(tmp_path, source, changes, priority):
    assert [f.priority for f in ranked(tmp_path, listings((source, changes)))] == [priority]


def test_root_cause_names_the_aggregator_and_prices_the_spread(tmp_path):
    fixes = ranked(tmp_path, listings(*[(s, {"phone": WRONG_PHONE}) for s in DATA_AXLE_FED]))
    root, mapquest = fixes[0], fixes[1]
    # Data Axle: weight 10 x high 3 x reach 12 (itself + 11 fed) x 5 sources showing it.
    assert (root.priority, root.basis, root.fix_url) == (
        1800,
        "feeds",
        "https://www.expressupdate.com",
    )
    assert root.shared_with == tuple(sorted(DATA_AXLE_FED))
    # MapQuest: weight 5 x high 3 x reach 1 x shared by 5.
    assert (mapquest.priority, mapquest.root_cause) == (75, "data-axle")
    assert all(f.root_cause == "data-axle" for f in fixes)
    fix = build(load_snapshot(tmp_path / "cases.db"), Weights(load_catalog()))
    first = fix["businesses"][0]["fixes"][0]
    # napaudit infers the origin: the sentence says "likely" and the evidence is shown.
    assert first["text"] == (
        "Likely origin: Data Axle — change the phone from (714) 555-0199 to (714) 555-0142 at "
        "expressupdate.com"
    )
    evidence = first["evidence"]
    assert evidence["supplied_by_origin"] == sorted(DATA_AXLE_FED)
    assert (evidence["basis"], evidence["first_seen_run"]) == ("feeds", 1)
    assert re.fullmatch(
        r"Why likely: ChamberofCommerce\.com, Local\.com, MapQuest, MerchantCircle and YellowBot "
        r"show the same wrong phone; Data Axle supplies all 5, as listing services publish; "
        r"napaudit cannot see Data Axle's own record\. First seen \w{3} \d+, \d{4} \(run 1\) on "
        r"ChamberofCommerce\.com, Local\.com, MapQuest, MerchantCircle and YellowBot\.",
        evidence["text"],
    ), evidence["text"]


def test_without_a_common_feeder_the_origin_is_where_the_value_showed_first(tmp_path):
    # n49 showed the wrong phone in run 1; in run 2 BBB (the weightier source) shows it too.
    run1 = listings(("n49", {"phone": WRONG_PHONE}), ("bbb", {}))
    run2 = listings(("n49", {"phone": WRONG_PHONE}), ("bbb", {"phone": WRONG_PHONE}))
    fixes = ranked(tmp_path, run1, run2)
    assert order(fixes) == [("root_cause", "n49", "phone"), ("fix", "bbb", "phone")]
    root, bbb = fixes
    assert (root.basis, root.first_seen_run) == ("first_seen", 1)
    assert root.evidence.first_on == ("n49",) and root.evidence.sources == ("bbb", "n49")
    assert bbb.priority == 6 * 3 * 1 * 2  # BBB's weight x high x reach x shown on two sources
    assert bbb.root_cause == "n49"


def test_a_shared_wrong_value_multiplies_the_priority(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    alone = ranked(tmp_path / "a", listings(("bbb", {"zip": "92627"})))
    shared = ranked(tmp_path / "b", listings(("bbb", {"zip": "92627"}), ("n49", {"zip": "92627"})))
    assert alone[0].priority == 6 * 3
    assert [f.priority for f in shared if f.source == "bbb"] == [6 * 3 * 2]


def test_config_weights_change_the_order(tmp_path):
    config = tmp_path / "weights.toml"
    config.write_text("[sources]\nfoursquare = 1\n\n[severity]\nmedium = 0.5\n", encoding="utf-8")
    rows = listings(
        ("cylex", {"phone": WRONG_PHONE}), ("foursquare", {"hours": "Mo-Fr 09:00-17:00"})
    )
    fixes = ranked(tmp_path, rows, weights=load_weights(config))
    # foursquare: 1 x 0.5 x reach 5 = 2.5, now below cylex's 2 x 3 = 6.
    assert order(fixes) == [("fix", "cylex", "phone"), ("fix", "foursquare", "hours")]
    assert [f.priority for f in fixes] == [6, 2.5]


def test_fix_sentences_say_what_to_change_and_where(tmp_path):
    db = store_from_text(tmp_path, CLIENT, listings(
        ("yellowpages", {"phone": WRONG_PHONE}), ("website", {"hours": ""}),
        ("acme-directory", {"address": "1200 Harbor Blvd, Suite 201"}),
    ))  # fmt: skip
    fixes = build(load_snapshot(db), Weights(load_catalog()))["businesses"][0]["fixes"]
    assert [f["text"] for f in fixes] == [
        "On Yellow Pages, change the phone from (714) 555-0199 to (714) 555-0142 — fix it at "
        "adsolutions.yp.com",
        "On acme-directory, change the street address from 1200 Harbor Blvd, Suite 201 to "
        "1200 Harbor Blvd, Suite 210",
        "On your own website, add the hours Monday to Friday, 8 am to 5 pm; closed on weekends "
        "— fix it in your website's editor",
    ]
    # The link shows the site's name; it goes to the page where the owner fixes the listing.
    link = next(p for p in fixes[0]["parts"] if p["role"] == "url")
    assert (link["text"], link["href"]) == (
        "adsolutions.yp.com",
        "https://adsolutions.yp.com/listings",
    )
