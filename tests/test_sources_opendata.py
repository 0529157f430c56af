"""Open data on real rows (../shared/realdata/opendata): Overture's 2025-02 places with their
sources, each audited as Facebook's, Bing's or Overture's own by the dataset it comes from, and
Foursquare OS Places' 2024-11-19 rows with their closing dates. A business here is a real place
whose owner's record says what the row says: the spiders must find it, under the right source,
and say whose data it is."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from conftest import realdata
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.records import read_records
from napaudit.spiders.sources.bing import BingSpider
from napaudit.spiders.sources.facebook import FacebookSpider
from napaudit.spiders.sources.fsq_os_places import FsqOsPlacesSpider
from napaudit.spiders.sources.overture import OvertureSpider, dataset, own_source
from test_sources_parquet import crawl

OVERTURE = ("opendata", "overture", "terraforma_project_c_samples_US_open_closed.parquet")
FSQ = ("opendata", "fsq-os-places", "datadash_fsq_os_places_10k_dt2024-11-19.csv")
FSQ_TYPES = {"fsq_category_ids": "VARCHAR", "fsq_category_labels": "VARCHAR",
             "date_closed": "VARCHAR", "date_refreshed": "VARCHAR", "postcode": "VARCHAR",
             "tel": "VARCHAR", "facebook_id": "BIGINT"}  # fmt: skip


def rows(sql: str, *params) -> list[dict]:
    cursor = duckdb.connect().execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def clients_of(places: list[dict], path: Path) -> dict:
    """Each place as its owner's canonical record (id, name, address, ..., phone)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name", "address", "city", "state", "zip", "phone"])
        for p in places:
            writer.writerow([p["id"], p["name"], p["street"], p["city"], p["state"], p["zip"],
                             p["phone"] or ""])  # fmt: skip
    records, _ = read_records(str(path), "canonical")
    return {r.id: normalize_record(r) for r in records}


@pytest.fixture(scope="module")
def overture() -> tuple[str, list[dict]]:
    path = str(realdata(*OVERTURE))
    places = rows(f"""
        SELECT id, names.primary AS name, addresses[1].freeform AS street,
               addresses[1].locality AS city, addresses[1].region AS state,
               addresses[1].postcode AS zip, phones[1] AS phone, socials, sources
        FROM read_parquet('{path}') WHERE addresses[1].freeform IS NOT NULL""")  # fmt: skip
    return path, places


def test_every_overture_row_carries_its_dataset(overture):
    _, places = overture
    assert len(places) > 3000
    for place in places:
        assert place["sources"] and all(s["dataset"] and s["record_id"] for s in place["sources"])
    own = {dataset(p) for p in places}
    assert own == {"meta", "Microsoft"}  # the datasets of the 2025-02 US sample
    # Meta's record id is the Facebook page's id: the page link Overture gives ends with it.
    meta = [p for p in places if dataset(p) == "meta" and p["socials"]]
    assert meta and all(any(s.endswith("/" + own_source(p)["record_id"]) for s in p["socials"])
                        for p in meta)  # fmt: skip


def test_real_places_are_found_under_the_company_whose_data_they_are(overture, tmp_path,
                                                                     monkeypatch):  # fmt: skip
    path, places = overture
    sample = places[::150]  # 23 places spread over the file
    clients = clients_of(sample, tmp_path / "clients.csv")
    env = {"NAPAUDIT_OVERTURE_PARQUET": path}
    got = {spider.name: crawl(spider, clients, env, monkeypatch)
           for spider in (FacebookSpider, BingSpider, OvertureSpider)}  # fmt: skip
    for place in sample:
        record = own_source(place)
        expected = {"meta": "facebook", "Microsoft": "bing"}[record["dataset"]]
        ok = {name: [i for i in items[place["id"]] if i.outcome == "ok"]
              for name, items in got.items()}  # fmt: skip
        mine = [i for i in ok[expected] if i.listing_key == f"{expected}:{record['record_id']}"]
        assert len(mine) == 1, (
            place["name"],
            {n: [i.listing_key for i in v] for n, v in ok.items()},
        )
        found = mine[0].found[0]
        assert found["name"] == place["name"]
        who = "Meta" if expected == "facebook" else "Microsoft"
        assert found["provenance"] == (
            f"Overture ({path}), from {who} (record {record['record_id']}, "
            f"updated {record['update_time'][:10]})")  # fmt: skip
        assert ok["overture"] == []  # none of these places is Overture's own data
        if expected == "facebook" and place["socials"]:
            assert mine[0].url == place["socials"][0]


@pytest.fixture(scope="module")
def fsq(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The real CSV rows as the Parquet file Foursquare publishes (written to a temp folder)."""
    source = realdata(*FSQ)
    target = tmp_path_factory.mktemp("fsq") / "dt=2024-11-19" / "places.parquet"
    target.parent.mkdir()
    types = ", ".join(f"'{k}': '{v}'" for k, v in FSQ_TYPES.items())
    # the CSV writes a list as "[a, b]": back to the published files' VARCHAR[]
    lists = ", ".join(f"string_split(trim({c}, '[]'), ', ') AS {c}"
                      for c in ("fsq_category_ids", "fsq_category_labels"))  # fmt: skip
    duckdb.connect().execute(
        f"COPY (SELECT * REPLACE ({lists}) FROM read_csv('{source}', header = true, "
        f"types = {{{types}}})) TO '{target}' (FORMAT parquet)"
    )
    places = rows(f"""
        SELECT fsq_place_id AS id, name, address AS street, locality AS city, region AS state,
               postcode AS zip, tel AS phone, date_closed, date_refreshed, fsq_category_labels
        FROM read_parquet('{target}')
        WHERE country = 'US' AND address IS NOT NULL AND postcode IS NOT NULL""")  # fmt: skip
    return target, places


def test_foursquare_os_places_real_rows_say_when_a_place_closed(fsq, tmp_path, monkeypatch):
    target, places = fsq
    closed = [p for p in places if p["date_closed"]]
    still_open = [p for p in places if not p["date_closed"]]
    assert len(closed) > 50
    sample = closed[::15] + still_open[::150]
    clients = clients_of(sample, tmp_path / "clients.csv")
    got = crawl(FsqOsPlacesSpider, clients, {"NAPAUDIT_FSQ_OS_PLACES_PARQUET": str(target)},
                monkeypatch)  # fmt: skip
    for place in sample:
        [mine] = [i for i in got[place["id"]] if i.listing_key == f"fsq-os-places:{place['id']}"]
        found = mine.found[0]
        status = f"closed since {place['date_closed']}" if place["date_closed"] else ""
        assert found["status"] == status
        labels = place["fsq_category_labels"] or []
        assert found["categories"].split("; ")[0] == (
            labels[0].split(">")[-1].strip() if labels else "")  # fmt: skip
        assert found["provenance"] == (
            f"Foursquare OS Places release 2024-11-19, refreshed {place['date_refreshed']} "
            "(Foursquare's own published data)")  # fmt: skip
        assert mine.url == f"https://foursquare.com/v/{place['id']}"  # no placemaker_url in 2024
