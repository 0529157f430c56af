"""Open data read in bulk (one DuckDB query per batch of businesses) emits exactly what one query
per business emits: the same places for the same businesses, in the same order, with the same
outcomes and reasons: look-alike neighbours, sister stores, a duplicate, a closed place, a
business no place is (not_found), on the hand-written files, on a generated file dense with
look-alikes, on real Overture rows, read locally or "around the ZIP" as a remote read is; a
batch whose query fails is read business by business, so a failure stays the failing one's."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest
import test_sources_parquet
from conftest import ROOT, realdata
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.records import read_records
from napaudit.spiders.bases import parquet
from napaudit.spiders.bases.parquet_bulk import batches
from napaudit.spiders.sources.bing import BingSpider
from napaudit.spiders.sources.facebook import FacebookSpider
from napaudit.spiders.sources.fsq_os_places import FsqOsPlacesSpider
from napaudit.spiders.sources.overture import OvertureSpider
from scrapy.utils.test import get_crawler
from test_sources_opendata import OVERTURE, clients_of, rows

CLIENTS = ROOT / "data" / "samples" / "clients.csv"
# the sample clients and the hand-written files, as the per-business tests have them
clients, files = test_sources_parquet.clients, test_sources_parquet.files
SPIDERS = (OvertureSpider, FacebookSpider, BingSpider, FsqOsPlacesSpider)


def _bench():
    spec = importlib.util.spec_from_file_location("bench_opendata", ROOT / "bench/opendata.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict]:
    """900 places over 10 ZIP codes (90 a ZIP: look-alikes everywhere) and 30 clients."""
    bench = _bench()
    zips = bench.us_zips(10, seed=7)
    path = bench.write_places(tmp_path_factory.mktemp("generated") / "p.parquet", 900, zips)
    return path, bench.clients_from(path, 30, zips, seed=7)


def emitted(spider_class, businesses, path: Path, monkeypatch, bulk: int) -> list[tuple]:
    """Everything the spider emits, in order, but when it was fetched."""
    reads = "fsq-os-places" if spider_class is FsqOsPlacesSpider else "overture"
    monkeypatch.setenv(f"NAPAUDIT_{reads.replace('-', '_').upper()}_PARQUET", str(path))
    parquet.SHARED.entries.clear()
    parquet.BULK_SHARED.entries.clear()
    crawler = get_crawler(spider_class, {"NAPAUDIT_OPEN_DATA_BULK": bulk})
    spider = spider_class.from_crawler(crawler, businesses=businesses)

    async def collect():
        return [item async for item in spider.start()]

    return [(i.business_id, i.source, i.url, i.outcome, i.reason, i.listing_key, i.searched,
             i.found) for i in asyncio.run(collect())]  # fmt: skip


def files_of(spider_class, files) -> Path:
    return files["fsq-os-places" if spider_class is FsqOsPlacesSpider else "overture"]


@pytest.mark.parametrize("spider_class", SPIDERS, ids=lambda s: s.name)
def test_bulk_emits_what_one_query_per_business_emits(spider_class, files, clients,
                                                      monkeypatch):  # fmt: skip
    path = files_of(spider_class, files)
    each = emitted(spider_class, clients, path, monkeypatch, bulk=0)
    for size in (1000, 2):  # one batch, and batches of two
        assert emitted(spider_class, clients, path, monkeypatch, bulk=size) == each
    outcomes = {b: o for b, _, _, o, *_ in each}
    assert set(outcomes) == set(clients)  # every business has its outcome
    if spider_class is OvertureSpider:  # what the per-business tests assert, read in bulk
        keys = {b: [k for k_b, _, _, _, _, k, _, _ in each if k_b == b] for b in clients}
        assert keys["blue-fin"] == ["overture:ov-bluefin"]
        assert keys["red-lantern"] == ["overture:ov-lantern"]
        assert keys["northside-irving"] == ["overture:ov-irving"]
        assert keys["copper-kettle"] == ["overture:ov-kettle", "overture:ov-kettle-2"]
        assert outcomes["mesa-verde"] == "not_found"
    if spider_class is BingSpider:
        [arts] = [f for b, *_, f in each if b == "arts-deli"]
        assert arts[0]["status"] == "permanently_closed"


def test_bulk_is_one_query_per_batch(files, clients, monkeypatch):
    reads = {"batch": 0, "business": 0}
    real_batch, real_rows = OvertureSpider.read_batch, OvertureSpider.read_rows

    def read_batch(self, *args):
        reads["batch"] += 1
        return real_batch(self, *args)

    def read_rows(self, *args):
        reads["business"] += 1
        return real_rows(self, *args)

    monkeypatch.setattr(OvertureSpider, "read_batch", read_batch)
    monkeypatch.setattr(OvertureSpider, "read_rows", read_rows)
    emitted(OvertureSpider, clients, files["overture"], monkeypatch, bulk=1000)
    assert reads == {"batch": 1, "business": 0}
    reads.update(batch=0)
    emitted(OvertureSpider, clients, files["overture"], monkeypatch, bulk=4)
    assert reads == {"batch": 3, "business": 0}  # 9 businesses, 4 a batch
    emitted(OvertureSpider, clients, files["overture"], monkeypatch, bulk=0)
    assert reads == {"batch": 3, "business": len(clients)}


def test_a_failed_batch_is_read_business_by_business(files, clients, monkeypatch):
    each = emitted(OvertureSpider, clients, files["overture"], monkeypatch, bulk=0)

    def broken(self, *args):
        self.db.execute("SELECT * FROM read_parquet('/nowhere/gone.parquet')")

    monkeypatch.setattr(OvertureSpider, "read_batch", broken)
    assert emitted(OvertureSpider, clients, files["overture"], monkeypatch, bulk=1000) == each


def test_generated_file_dense_with_lookalikes(generated, monkeypatch):
    path, businesses = generated
    each = emitted(OvertureSpider, businesses, path, monkeypatch, bulk=0)
    assert emitted(OvertureSpider, businesses, path, monkeypatch, bulk=1000) == each
    assert emitted(OvertureSpider, businesses, path, monkeypatch, bulk=7) == each
    outcomes = {o for _, _, _, o, *_ in each}
    assert outcomes == {"ok", "not_found"}
    statuses = {f[0]["status"] for *_, f in each if f}
    assert "permanently_closed" in statuses and "open" in statuses
    # Look-alikes: a not_found's closest place was a neighbour that is not the business.
    assert any("closest: '" in reason for _, _, _, o, reason, *_ in each if o == "not_found")


@pytest.mark.parametrize("spider_class", (OvertureSpider, FsqOsPlacesSpider),
                         ids=lambda s: s.name)  # fmt: skip
def test_around_the_zip_bulk_finds_what_each_query_finds(spider_class, files, clients):
    """As for a remote read: each business's places only around its ZIP's centre."""
    spider = spider_class.from_crawler(get_crawler(spider_class), businesses=clients)
    assert spider.open(str(files_of(spider_class, files))) == ""
    for near in (True, False):
        parquet.SHARED.entries.clear()
        parquet.BULK_SHARED.entries.clear()
        each = {b: spider.read_rows(n, parquet.blocking(n), near) for b, n in clients.items()}
        bulk = {}
        for batch in batches(clients, 1000, near):
            bulk.update(spider.candidates_of(batch, near))
        assert bulk == each
    # Read over the network, a batch is made of businesses of one region.
    regions = batches(clients, 1000, near=True)
    assert sorted(sum(regions, [])) == sorted(clients) and len(regions) > 1
    assert ["blue-fin", "red-lantern", "northside-elston", "northside-irving"] in regions


def test_real_overture_rows_in_bulk(tmp_path, monkeypatch):
    path = str(realdata(*OVERTURE))
    places = rows(f"""
        SELECT id, names.primary AS name, addresses[1].freeform AS street,
               addresses[1].locality AS city, addresses[1].region AS state,
               addresses[1].postcode AS zip, phones[1] AS phone
        FROM read_parquet('{path}') WHERE addresses[1].freeform IS NOT NULL""")  # fmt: skip
    businesses = clients_of(places[::60], tmp_path / "clients.csv")
    found = 0
    for spider_class in (FacebookSpider, BingSpider):
        each = emitted(spider_class, businesses, Path(path), monkeypatch, bulk=0)
        assert emitted(spider_class, businesses, Path(path), monkeypatch, bulk=1000) == each
        found += sum(o == "ok" for _, _, _, o, *_ in each)
    assert found >= len(businesses) * 3 / 4  # each place is its owner's, Facebook's or Bing's


def test_unreadable_file_is_still_an_error_for_every_business(tmp_path, clients, monkeypatch):
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet")
    got = emitted(OvertureSpider, clients, broken, monkeypatch, bulk=1000)
    assert [b for b, *_ in got] == list(clients)
    assert {o for _, _, _, o, *_ in got} == {"error"}


def test_businesses_with_nothing_to_search_for(files, monkeypatch):
    """No ZIP, no phone, no name word: no key to join on, not_found as one query says."""
    records, _ = read_records(str(CLIENTS), "canonical")
    empty = {r.id: normalize_record(r) for r in records[:2]}
    for business in empty.values():
        for name in ("name", "zip", "phone", "address", "city", "address2"):
            setattr(business.record, name, "")
    blank = {b: normalize_record(n.record) for b, n in empty.items()}
    each = emitted(OvertureSpider, blank, files["overture"], monkeypatch, bulk=0)
    assert emitted(OvertureSpider, blank, files["overture"], monkeypatch, bulk=1000) == each
    assert {o for _, _, _, o, *_ in each} == {"not_found"}
