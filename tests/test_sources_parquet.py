"""Overture Maps Places and Foursquare OS Places, read from Parquet files with DuckDB: the right
place among look-alikes, a duplicate, a closed place, not_found, an unreadable file, Overture's
places attributed by dataset (Meta's to Facebook, Microsoft's to Bing), the release found through
a STAC catalog, Foursquare OS Places' real rows, and the discovery a user runs, with and without
the files set."""

from __future__ import annotations

import asyncio
import json
import struct
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT
from discovery import discover, listings
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.records import read_records
from napaudit.sampleweb.opendata import FSQ_SCHEMA, OVERTURE_SCHEMA
from napaudit.spiders.sources.bing import BingSpider
from napaudit.spiders.sources.facebook import FacebookSpider
from napaudit.spiders.sources.fsq_os_places import FsqOsPlacesSpider
from napaudit.spiders.sources.overture import OvertureSpider, latest_release
from scrapy.utils.test import get_crawler

CLIENTS = ROOT / "data" / "samples" / "clients.csv"

# --- tiny files in the published schemas ------------------------------------------------------

# id, name, street, city, region, postcode, phones, lon, lat, status, dataset (whose record)
OVERTURE_PLACES = [
    ("ov-harbor", "Harbor Lane Dental", "1200 Harbor Blvd Ste 210", "Costa Mesa", "CA", "92626",
     ["+17145550142"], -117.91, 33.68, "open", "AllThePlaces"),
    ("ov-harbor-fb", "Harbor Lane Dental", "1200 Harbor Blvd", "Costa Mesa", "CA", "92626",
     ["+17145550142"], -117.91, 33.68, "open", "meta"),
    ("ov-harbor-pizza", "Harbor Lane Pizza", "1500 Harbor Blvd", "Costa Mesa", "CA", "92626",
     ["+17145559999"], -117.91, 33.68, "open", "AllThePlaces"),
    ("ov-kettle", "The Copper Kettle", "570 4th St", "San Francisco", "US-CA", "94107",
     ["+14155550187"], -122.39, 37.78, "open", "PinMeTo"),
    ("ov-kettle-2", "Copper Kettle", "570 Fourth Street", "San Francisco", "CA", "94107-1234",
     ["+14155550999", "+14155550187"], -122.39, 37.78, "open", "PinMeTo"),
    ("ov-bluefin", "Blue Fin Sushi", "100 E Wacker Dr", "Chicago", "IL", "60601",
     ["+13125550100"], -87.62, 41.89, "open", "AllThePlaces"),
    ("ov-lantern", "Red Lantern Bar", "100 E Wacker Dr", "Chicago", "IL", "60601",
     ["+13125550100"], -87.62, 41.89, "open", "AllThePlaces"),
    ("ov-arts", "Art's Delicatessen", "12224 Ventura Blvd", "Studio City", "CA", "91604",
     ["+18185550164"], -118.40, 34.14, "permanently_closed", "Microsoft"),
    ("ov-mesa-landscaping", "Mesa Verde Landscaping", "4500 N Central Ave", "Phoenix", "AZ",
     "85012", ["+16025550999"], -112.07, 33.50, "open", "AllThePlaces"),
    ("ov-elston", "Northside Hardware", "2211 N Elston Ave", "Chicago", "IL", "60614",
     ["+17735550119"], -87.68, 41.92, "open", "AllThePlaces"),
    ("ov-irving", "Northside Hardware", "3300 W Irving Park Rd", "Chicago", "IL", "60618",
     ["+17735550158"], -87.71, 41.95, "open", "AllThePlaces"),
]  # fmt: skip

# id, name, address, locality, region, postcode, tel, lon, lat, date_closed
FSQ_PLACES = [
    ("fsq-harbor", "Harbor Lane Dental", "1200 Harbor Blvd Ste 210", "Costa Mesa", "CA",
     "92626", "(714) 555-0142", -117.91, 33.68, None),
    ("fsq-harbor-ortho", "Harbor Lane Orthodontics", "1300 Harbor Blvd", "Costa Mesa", "CA",
     "92626", "(714) 555-0777", -117.91, 33.68, None),
    ("fsq-lumiere", "Cafe Lumiere", "9 W 57th St", "New York", "NY", "10019",
     "(212) 555-0175", -73.97, 40.76, None),
    ("fsq-arts", "Arts Deli", "12224 Ventura Blvd", "Studio City", "CA", "91604",
     "(818) 555-0164", -118.40, 34.14, "2023-05-01"),
    ("fsq-bluefin", "Blue Fin Sushi", "100 E Wacker Dr", "Chicago", "IL", "60601",
     "(312) 555-0100", -87.62, 41.89, None),
    ("fsq-bluefin-2", "Blue Fin Sushi", "100 East Wacker Drive", "Chicago", "IL", "60601",
     None, -87.62, 41.89, None),
    ("fsq-elston", "Northside Hardware", "2211 N Elston Ave", "Chicago", "IL", "60614",
     "(773) 555-0119", -87.68, 41.92, None),
]  # fmt: skip


def point(lon: float, lat: float) -> bytes:
    """A WKB point, as the published files carry their geometry."""
    return struct.pack("<bIdd", 1, 1, lon, lat)


def write_parquet(path: Path, schema: str, rows: list[tuple]) -> Path:
    """Rows into a Parquet file with `schema`, the way the published files are written."""
    db = duckdb.connect()
    db.execute(f"CREATE TABLE place ({schema})")
    marks = ", ".join("?" for _ in range(len(db.execute("DESCRIBE place").fetchall())))
    db.executemany(f"INSERT INTO place VALUES ({marks})", rows)
    db.execute(f"COPY place TO '{path}' (FORMAT parquet)")
    db.close()
    return path


def write_overture(path: Path) -> Path:
    rows = [
        (pid, point(lon, lat), {"xmin": lon, "xmax": lon, "ymin": lat, "ymax": lat}, 0,
         [{"property": "", "dataset": dataset, "record_id": f"{pid}-record",
           "update_time": "2025-01-01T08:00:00.000Z", "confidence": 0.9},
          {"property": "/properties/existence", "dataset": "Microsoft", "record_id": "99",
           "update_time": "2016-11-08T00:39:14.520Z", "confidence": 0.77}],
         {"primary": name, "common": None, "rules": None},
         {"primary": "dentist" if "Dental" in name else "restaurant", "alternate": ["health"]},
         0.9, [], [f"https://www.facebook.com/{pid}-record"] if dataset == "meta" else [], [],
         phones, None, [{"freeform": street, "locality": city, "postcode": zip_,
                         "region": region, "country": "US"}], status)
        for pid, name, street, city, region, zip_, phones, lon, lat, status, dataset
        in OVERTURE_PLACES
    ]  # fmt: skip
    return write_parquet(path, OVERTURE_SCHEMA, rows)


def write_fsq(path: Path) -> Path:
    rows = [
        (pid, name, lat, lon, street, city, region, zip_, None, None, None, "US", "2015-03-02",
         "2024-11-01", closed, tel, None, None, None, None, None, [], [],
         f"https://foursquare.com/placemakers/review-place/{pid}", point(lon, lat),
         {"xmin": lon, "ymin": lat, "xmax": lon, "ymax": lat})
        for pid, name, street, city, region, zip_, tel, lon, lat, closed in FSQ_PLACES
    ]  # fmt: skip
    return write_parquet(path, FSQ_SCHEMA, rows)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("parquet")
    return {"overture": write_overture(folder / "places.parquet"),
            "fsq-os-places": write_fsq(folder / "fsq.parquet")}  # fmt: skip


# --- the spider on its own: query, score, emit ---------------------------------------------


@pytest.fixture(scope="module")
def clients() -> dict:
    records, _ = read_records(str(CLIENTS), "canonical")
    return {r.id: normalize_record(r) for r in records}


def crawl(spider_class, clients, env: dict, monkeypatch) -> dict[str, list]:
    """business_id -> the Listings the spider emits from start(), with no network at all."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    crawler = get_crawler(spider_class)
    spider = spider_class.from_crawler(crawler, businesses=clients)

    async def collect():
        return [item async for item in spider.start()]

    found: dict[str, list] = {}
    for item in asyncio.run(collect()):
        found.setdefault(item.business_id, []).append(item)
    return found


def test_overture_right_place_among_lookalikes(files, clients, monkeypatch):
    got = crawl(OvertureSpider, clients, {"NAPAUDIT_OVERTURE_PARQUET": str(files["overture"])},
                monkeypatch)  # fmt: skip
    assert [i.listing_key for i in got["harbor-lane"]] == ["overture:ov-harbor"]
    harbor = got["harbor-lane"][0]
    assert harbor.outcome == "ok"
    assert harbor.found[0]["name"] == "Harbor Lane Dental"
    assert harbor.found[0]["phone"] == "+17145550142"
    assert harbor.found[0]["method"]["phone"] == "parquet:overture"
    # Same hotel address and phone: each business gets its own place, not its neighbour's.
    assert [i.listing_key for i in got["blue-fin"]] == ["overture:ov-bluefin"]
    assert [i.listing_key for i in got["red-lantern"]] == ["overture:ov-lantern"]
    # Sister stores with one name: each its own address.
    assert [i.listing_key for i in got["northside-elston"]] == ["overture:ov-elston"]
    assert [i.listing_key for i in got["northside-irving"]] == ["overture:ov-irving"]


def test_overture_duplicate_and_region_code(files, clients, monkeypatch):
    got = crawl(OvertureSpider, clients, {"NAPAUDIT_OVERTURE_PARQUET": str(files["overture"])},
                monkeypatch)  # fmt: skip
    kettle = {i.listing_key: i.found[0] for i in got["copper-kettle"]}
    assert set(kettle) == {"overture:ov-kettle", "overture:ov-kettle-2"}
    assert kettle["overture:ov-kettle"]["state"] == "CA"  # "US-CA" as published
    # Of two phones, the one that is the business's is the one judged.
    assert kettle["overture:ov-kettle-2"]["phone"] == "+14155550187"


def test_overture_not_found_says_what_was_searched(files, clients, monkeypatch):
    got = crawl(OvertureSpider, clients, {"NAPAUDIT_OVERTURE_PARQUET": str(files["overture"])},
                monkeypatch)  # fmt: skip
    [mesa] = got["mesa-verde"]
    assert (mesa.outcome, mesa.listing_key) == ("not_found", "search:mesa-verde")
    assert "ZIP 85012" in mesa.reason and "6025550133" in mesa.reason
    assert "closest: 'Mesa Verde Landscaping'" in mesa.reason
    [cafe] = got["cafe-lumiere"]
    assert cafe.outcome == "not_found" and "0 places" in cafe.reason


def test_overture_places_are_facebook_s_bing_s_or_overture_s_by_dataset(files, clients,
                                                                      monkeypatch):  # fmt: skip
    env = {"NAPAUDIT_OVERTURE_PARQUET": str(files["overture"])}
    overture = crawl(OvertureSpider, clients, env, monkeypatch)
    facebook = crawl(FacebookSpider, clients, env, monkeypatch)
    bing = crawl(BingSpider, clients, env, monkeypatch)
    # Harbor Lane Dental has two places: AllThePlaces' (Overture's own) and Meta's (Facebook's).
    assert [i.listing_key for i in overture["harbor-lane"]] == ["overture:ov-harbor"]
    [page] = facebook["harbor-lane"]
    assert (page.source, page.listing_key, page.url) == (
        "facebook",
        "facebook:ov-harbor-fb-record",
        "https://www.facebook.com/ov-harbor-fb-record",
    )
    assert page.found[0]["provenance"] == (
        f"Overture ({files['overture']}), from Meta (record ov-harbor-fb-record, "
        "updated 2025-01-01)")  # fmt: skip
    assert page.found[0]["categories"] == "dentist; health"
    # Art's is only in Microsoft's data: Bing's listing, closed as Overture says it.
    [arts] = bing["arts-deli"]
    assert (arts.source, arts.listing_key) == ("bing", "bing:ov-arts-record")
    assert arts.found[0]["status"] == "permanently_closed"
    assert arts.found[0]["provenance"].endswith("from Microsoft (record ov-arts-record, "
                                                "updated 2025-01-01)")  # fmt: skip
    [(outcome, reason)] = [(i.outcome, i.reason) for i in overture["arts-deli"]]
    assert outcome == "not_found" and "places not from Meta's or Microsoft's data" in reason
    assert [i.outcome for i in facebook["blue-fin"]] == ["not_found"]
    assert overture["harbor-lane"][0].found[0]["status"] == "open"


def test_closed_status_from_foursquare_os_places(files, clients, monkeypatch):
    env = {"NAPAUDIT_FSQ_OS_PLACES_PARQUET": str(files["fsq-os-places"])}
    [arts] = crawl(FsqOsPlacesSpider, clients, env, monkeypatch)["arts-deli"]
    assert arts.outcome == "ok" and arts.found[0]["status"] == "closed since 2023-05-01"


def test_fsq_places(files, clients, monkeypatch):
    env = {"NAPAUDIT_FSQ_OS_PLACES_PARQUET": str(files["fsq-os-places"])}
    got = crawl(FsqOsPlacesSpider, clients, env, monkeypatch)
    [harbor] = got["harbor-lane"]
    assert harbor.listing_key == "fsq-os-places:fsq-harbor"
    assert harbor.url == "https://foursquare.com/placemakers/review-place/fsq-harbor"
    assert harbor.found[0]["phone"] == "(714) 555-0142"  # as published, not normalized
    assert [i.listing_key for i in got["cafe-lumiere"]] == ["fsq-os-places:fsq-lumiere"]
    assert {i.listing_key for i in got["blue-fin"]} == {
        "fsq-os-places:fsq-bluefin", "fsq-os-places:fsq-bluefin-2"}  # fmt: skip
    assert [i.outcome for i in got["red-lantern"]] == ["not_found"]
    [irving] = got["northside-irving"]  # only the sister store is in the file
    assert irving.outcome == "not_found"
    assert "closest: 'Northside Hardware'" in irving.reason


def test_unreadable_file_is_an_error_for_every_business(tmp_path, clients, monkeypatch):
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet")
    for path in (tmp_path / "nowhere.parquet", broken):
        got = crawl(OvertureSpider, clients, {"NAPAUDIT_OVERTURE_PARQUET": str(path)},
                    monkeypatch)  # fmt: skip
        assert set(got) == set(clients)
        for [item] in got.values():
            assert item.outcome == "error"
            assert item.reason.startswith(f"could not read Overture Maps Places data at {path}")


# --- discovery, as a user runs it ----------------------------------------------------------


def test_discovery_stores_the_places_of_the_right_businesses(tmp_path, files):
    env = {"NAPAUDIT_OVERTURE_PARQUET": str(files["overture"]),
           "NAPAUDIT_FSQ_OS_PLACES_PARQUET": str(files["fsq-os-places"])}  # fmt: skip
    done, db, _ = discover(tmp_path, ["overture", "fsq-os-places"], env=env)
    overture, fsq = listings(db, "overture"), listings(db, "fsq-os-places")
    assert overture["harbor-lane"] == [("overture:ov-harbor", "ok", None)]
    assert [k for k, _, _ in overture["copper-kettle"]] == ["overture:ov-kettle",
                                                            "overture:ov-kettle-2"]  # fmt: skip
    assert overture["mesa-verde"][0][:2] == ("search:mesa-verde", "not_found")
    assert fsq["cafe-lumiere"] == [("fsq-os-places:fsq-lumiere", "ok", None)]
    assert fsq["northside-irving"][0][1] == "not_found"
    # The judged places carry findings: Overture's "570 4th St" against "570 Fourth St".
    checked = db.execute(
        "select count(*) from run_listings where outcome = 'ok' and check_id is not null"
    ).fetchone()[0]
    assert checked == sum(o == "ok" for rows in (*overture.values(), *fsq.values())
                          for _, o, _ in rows)  # fmt: skip


def test_discovery_without_files_is_not_checked_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.delenv("NAPAUDIT_OVERTURE_PARQUET", raising=False)
    done, db, _ = discover(tmp_path, ["overture"])
    stored = listings(db, "overture")
    assert len(stored) == 9
    for [(_, outcome, reason)] in stored.values():
        assert outcome == "skipped"
        assert "set NAPAUDIT_OVERTURE_PARQUET" in reason
    counts = dict(db.execute("select outcome, count(*) from run_listings group by outcome"))
    assert counts == {"skipped": 9}  # never "missing": nothing was judged


def test_remote_reads_look_only_around_the_zip(files, clients):
    for spider_class in (OvertureSpider, FsqOsPlacesSpider):
        path = str(files[spider_class.name])
        spider = spider_class.from_crawler(get_crawler(spider_class), businesses=clients)
        assert spider.open(path) == ""
        harbor, kettle = clients["harbor-lane"], clients["copper-kettle"]
        near = {row["id"] for row in spider.candidates(harbor, near=True)}
        assert near == {row["id"] for row in spider.candidates(harbor)} and near
        # A place is kept by its coordinates, not its postcode: move the business's ZIP.
        far = replace(kettle, zip5="92626")  # Costa Mesa, 560 km from the kettle
        assert {row["id"] for row in spider.candidates(far)} >= near
        assert not {row["id"] for row in spider.candidates(far, near=True)} & {
            row["id"] for row in spider.candidates(kettle)}  # fmt: skip


def test_newest_overture_release_is_the_one_stac_names(tmp_path, files, clients, monkeypatch):
    for release in ("2025-01-22.0", "2025-02-19.0"):
        folder = tmp_path / release / "theme=places" / "type=place"
        folder.mkdir(parents=True)
        (folder / "part-00000.parquet").write_bytes(files["overture"].read_bytes())
    catalog = tmp_path / "catalog.json"  # Overture's root catalog, in its documented shape
    catalog.write_text(json.dumps({"type": "Catalog", "id": "Overture Releases", "links": [
        {"rel": "child", "href": "./2025-01-22.0/catalog.json", "latest": True}],
        "latest": "2025-01-22.0"}))  # fmt: skip
    crawler = get_crawler(FacebookSpider, {"NAPAUDIT_OVERTURE_STAC": str(catalog)})
    spider = FacebookSpider.from_crawler(crawler, businesses=clients)
    # Not the newest folder: the release the catalog calls the latest.
    newest = spider.newest_release(f"{tmp_path}/")
    assert newest == f"{tmp_path}/2025-01-22.0/theme=places/type=place/*"
    assert spider.open(newest) == ""
    [page] = spider.listings(clients["harbor-lane"], spider.candidates(clients["harbor-lane"]),
                             spider.files)  # fmt: skip
    assert page.found[0]["provenance"].startswith("Overture 2025-01-22.0, from Meta (record ")
    latest_release.cache_clear()
    catalog.write_text(json.dumps({"links": [{"rel": "child", "href": "./2025-02-19.0/catalog.json",
                                              "latest": True}]}))  # fmt: skip
    assert latest_release(str(catalog)) == "2025-02-19.0"  # the child link marked latest
    catalog.write_text(json.dumps({"links": []}))
    latest_release.cache_clear()
    broken = OvertureSpider.from_crawler(get_crawler(OvertureSpider, {
        "NAPAUDIT_OVERTURE_STAC": str(catalog)}), businesses=clients)  # fmt: skip
    with pytest.raises(LookupError, match="names no latest release"):
        broken.newest_release(f"{tmp_path}/")


def test_newest_foursquare_release_under_the_endpoint(tmp_path, files, clients):
    for release in ("dt=2024-11-19", "dt=2024-12-03"):
        folder = tmp_path / release / "places" / "parquet"
        folder.mkdir(parents=True)
        (folder / "part-0.parquet").write_bytes(files["fsq-os-places"].read_bytes())
    spider = FsqOsPlacesSpider.from_crawler(get_crawler(FsqOsPlacesSpider), businesses=clients)
    spider.open(str(files["fsq-os-places"]))
    newest = spider.newest_release(f"{tmp_path}/")
    assert newest == f"{tmp_path}/dt=2024-12-03/places/parquet/*.parquet"


def test_a_read_failing_midway_is_an_error_for_that_business(files, clients, monkeypatch):
    monkeypatch.setenv("NAPAUDIT_OVERTURE_PARQUET", str(files["overture"]))
    spider = OvertureSpider.from_crawler(get_crawler(OvertureSpider), businesses=clients)
    real = spider.candidates

    def flaky(business, near=False):
        if business.record.id == "blue-fin":
            spider.db.execute("SELECT * FROM read_parquet('/nowhere/gone.parquet')")
        return real(business, near)

    monkeypatch.setattr(spider, "candidates", flaky)

    async def collect():
        return [item async for item in spider.start()]

    got = {item.business_id: item for item in asyncio.run(collect())}
    assert got["blue-fin"].outcome == "error" and "gone.parquet" in got["blue-fin"].reason
    assert got["red-lantern"].listing_key == "overture:ov-lantern"  # the others go on
