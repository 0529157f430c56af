"""Open data matched in bulk: one DuckDB query per batch against one query per business.

    .venv/bin/python bench/opendata.py                   # 1,000,000 places, 1,000 clients
    .venv/bin/python bench/opendata.py --places 200000 --clients 300
    .venv/bin/python bench/opendata.py --keep /tmp/places.parquet   # reuse the generated file

Generates a Parquet file in Overture Places' published schema (the columns of a release's
theme=places/type=place files: id, geometry as WKB, bbox, sources, names, categories, websites,
socials, phones, addresses, operating_status...), with places spread over `--zips` real US ZIP
codes around their centres, and `--clients` businesses drawn from it the way an owner writes
them: most are a place of the file (street type spelled out, phone in another format), some of
them closed; a fifth are in no place of the file (not_found, among look-alike neighbours).

Then audits every client with OvertureSpider twice, as an audit does (start(): read, score with
the auditor's identification, emit the listings): one DuckDB query per business (the path
before the bulk read), and the bulk read (one query for the batch). It prints both times, the
ratio, and whether both emitted the same listings. Nothing here is tuned on this data: the
spider is the one an audit runs, and the file is read as any published release is.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import zipcodes  # noqa: E402
from napaudit.auditor.models import Record  # noqa: E402
from napaudit.auditor.normalize.record import Normalized, normalize_record  # noqa: E402
from napaudit.sampleweb.opendata import OVERTURE_SCHEMA  # noqa: E402

FIRST = ("Harbor Copper Blue Golden Maple Cedar Silver River Summit Lakeside Northside Sunset "
         "Pioneer Liberty Heritage Orchard Granite Prairie Willow Redwood Evergreen Highland "
         "Meadow Canyon Coastal Union Metro Village Crescent Beacon").split()  # fmt: skip
SECOND = ("Lane Kettle Fin Oak Star Bridge Ridge Point Valley Creek Garden Hill Park Square "
          "Corner Peak Grove Harbor Stone Field").split()  # fmt: skip
KINDS = [
    ("Dental", "dentist"),
    ("Pizza", "pizza_restaurant"),
    ("Sushi", "sushi_restaurant"),
    ("Hardware", "hardware_store"),
    ("Bakery", "bakery"),
    ("Cafe", "cafe"),
    ("Salon", "beauty_salon"),
    ("Auto Repair", "automotive_repair"),
    ("Law Office", "lawyer"),
    ("Pharmacy", "pharmacy"),
    ("Florist", "florist"),
    ("Fitness", "gym"),
    ("Veterinary Clinic", "veterinarian"),
    ("Bookstore", "bookstore"),
    ("Insurance", "insurance_agency"),
    ("Plumbing", "plumbing"),
    ("Tavern", "bar"),
    ("Laundromat", "laundromat"),
    ("Chiropractic", "chiropractor"),
    ("Deli", "deli"),
]
STREETS = (
    "Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Sunset Lincoln Jackson "
    "Franklin Madison Harbor Ventura Central Wacker Elston Irving Broadway"
).split()
SUFFIXES = [("St", "Street"), ("Ave", "Avenue"), ("Blvd", "Boulevard"), ("Rd", "Road"),
            ("Dr", "Drive")]  # fmt: skip
DATASETS = ["meta", "meta", "meta", "Microsoft", "Microsoft", "AllThePlaces", "PinMeTo",
            "AllThePlaces", "meta", "Microsoft"]  # fmt: skip


def us_zips(count: int, seed: int) -> list[dict]:
    """`count` real standard US ZIP codes with a centre, the same for a seed."""
    found = [z for z in zipcodes.list_all()
             if z["zip_code_type"] == "STANDARD" and z["lat"] and z["long"]
             and z["country"] == "US" and z["state"] not in ("PR", "VI", "GU")]  # fmt: skip
    random.Random(seed).shuffle(found)
    chosen = found[:count]
    return sorted(chosen, key=lambda z: (round(float(z["lat"]), 1), float(z["long"])))


def write_places(path: Path, places: int, zips: list[dict], seed: int = 15) -> Path:
    """`places` places in Overture's published schema, written by DuckDB as Parquet, sorted by
    where they are (the published files are sorted spatially too)."""
    db = duckdb.connect()
    db.execute(f"CREATE TABLE place ({OVERTURE_SCHEMA})")
    db.execute(
        """CREATE TABLE z AS SELECT unnest($zip) AS zip, unnest($city) AS city,
             unnest($state) AS state, unnest($lat) AS lat, unnest($lon) AS lon,
             unnest(range(len($zip))) AS n""",
        {
            "zip": [z["zip_code"] for z in zips],
            "city": [z["city"] for z in zips],
            "state": [z["state"] for z in zips],
            "lat": [float(z["lat"]) for z in zips],
            "lon": [float(z["long"]) for z in zips],
        },  # fmt: skip
    )
    words = {"first": FIRST, "second": SECOND, "kind": [k for k, _ in KINDS],
             "category": [c for _, c in KINDS], "street": STREETS,
             "suffix": [s for s, _ in SUFFIXES], "dataset": DATASETS}  # fmt: skip
    pick = {name: f"${name}[(1 + hash(i, {n}, {seed}) % len(${name}))::BIGINT]"
            for n, name in enumerate(words)}  # fmt: skip
    db.execute(
        f"""
        INSERT INTO place
        WITH g AS (
          SELECT i, z.*, {pick["first"]} || ' ' || {pick["second"]} || ' ' || {pick["kind"]}
                   AS name, {pick["category"]} AS category, {pick["dataset"]} AS dataset,
                 (100 + hash(i, 'n', {seed}) % 9800)::VARCHAR || ' ' || {pick["street"]} || ' '
                   || {pick["suffix"]} AS street,
                 '+1' || (201 + hash(i, 'a', {seed}) % 780)::VARCHAR
                   || lpad((hash(i, 'p', {seed}) % 10000000)::VARCHAR, 7, '0') AS phone,
                 z.lat + ((hash(i, 'y', {seed}) % 2001)::INTEGER - 1000) / 50000.0 AS y,
                 z.lon + ((hash(i, 'x', {seed}) % 2001)::INTEGER - 1000) / 50000.0 AS x,
                 hash(i, 's', {seed}) % 100 AS s
          FROM range({places}) t(i) JOIN z ON z.n = hash(i, 'z', {seed}) % {len(zips)})
        SELECT printf('08f%013x', i),
          ST_AsWKB(('POINT(' || x || ' ' || y || ')')::GEOMETRY),
          {{'xmin': x, 'xmax': x, 'ymin': y, 'ymax': y}}, 0,
          [{{'property': '', 'dataset': dataset, 'record_id': (1000000000 + i)::VARCHAR,
             'update_time': '2025-02-24T00:00:00.000Z', 'confidence': 0.9}}],
          {{'primary': name, 'common': NULL, 'rules': NULL}},
          {{'primary': category, 'alternate': [category]}}, 0.9,
          CASE WHEN s < 60 THEN ['https://example.com/' || i::VARCHAR] ELSE [] END,
          CASE WHEN dataset = 'meta' THEN ['https://www.facebook.com/' || (1000000000 + i)::VARCHAR]
               ELSE [] END, [],
          CASE WHEN s < 85 THEN [phone] ELSE [] END, NULL,
          [{{'freeform': street, 'locality': city, 'postcode': zip, 'region': state,
             'country': 'US'}}],
          CASE WHEN s < 4 THEN 'permanently_closed' WHEN s < 5 THEN 'temporarily_closed'
               ELSE 'open' END
        FROM g ORDER BY n, i""",
        words,
    )
    db.execute(f"COPY place TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
    db.close()
    return path


# The places OvertureSpider audits as Overture's own (Meta's are Facebook's, Microsoft's Bing's).
OWN = "sources[1].dataset NOT IN ('meta', 'Microsoft')"


def clients_from(path: Path, count: int, zips: list[dict], seed: int = 15) -> dict:
    """`count` clients as their owners write them: four fifths are places of the file that
    are Overture's own (a tenth of all clients closed there), one fifth is in no place of it,
    in a ZIP that has places (look-alike neighbours, a not_found)."""
    rng = random.Random(seed)
    db = duckdb.connect()
    chosen = """SELECT * FROM (SELECT id, names.primary, addresses[1], phones[1]
                  FROM read_parquet(?) WHERE {status} AND {own})
                USING SAMPLE {count} ROWS (reservoir, {seed})"""  # the sample of what passes
    closed = db.execute(
        chosen.format(status="operating_status <> 'open'", own=OWN, count=count // 10, seed=seed),
        [str(path)],
    ).fetchall()
    places = db.execute(chosen.format(status="operating_status = 'open'", own=OWN,
                                      count=count * 8 // 10 - len(closed), seed=seed),
                        [str(path)]).fetchall()  # fmt: skip
    db.close()
    records = []
    for pid, name, address, phone in sorted(closed + places):
        number, *street = address["freeform"].split(" ")
        suffix = dict(SUFFIXES).get(street[-1], street[-1])
        digits = (phone or "")[2:]
        records.append(Record(
            id=f"client-{pid}", name=name, address=" ".join([number, *street[:-1], suffix]),
            city=address["locality"], state=address["region"], zip=address["postcode"],
            phone=f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if digits else "",
        ))  # fmt: skip
    while len(records) < count:  # businesses no place of the file is
        z = zips[rng.randrange(len(zips))]
        kind = KINDS[rng.randrange(len(KINDS))][0]
        records.append(Record(
            id=f"client-absent-{len(records)}", name=f"{rng.choice(FIRST)} Family {kind}",
            address=f"{rng.randrange(100, 9900)} {rng.choice(STREETS)} Street",
            city=z["city"], state=z["state"], zip=z["zip_code"],
            phone=f"(999) 555-{rng.randrange(10000):04d}",
        ))  # fmt: skip
    return {r.id: normalize_record(r) for r in records}


def audit(clients: dict[str, Normalized], path: Path, bulk: bool) -> tuple[float, list]:
    """Seconds for OvertureSpider to read, score and emit every client's listings, and what
    it emitted (business, outcome, listing key, reason)."""
    from napaudit.spiders.bases import parquet
    from napaudit.spiders.sources.overture import OvertureSpider
    from scrapy.utils.test import get_crawler

    os.environ["NAPAUDIT_OVERTURE_PARQUET"] = str(path)
    parquet.SHARED.entries.clear()
    crawler = get_crawler(OvertureSpider, {"NAPAUDIT_OPEN_DATA_BULK": 1000 if bulk else 0})
    spider = OvertureSpider.from_crawler(crawler, businesses=clients)

    async def collect() -> list:
        return [item async for item in spider.start()]

    started = time.perf_counter()
    items = asyncio.run(collect())
    seconds = time.perf_counter() - started
    return seconds, [(i.business_id, i.outcome, i.listing_key, i.reason, i.found) for i in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--places", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--zips", type=int, default=10_000, help="ZIP codes the places are in")
    parser.add_argument("--keep", type=Path, help="write the file here (reused when present)")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.keep or Path(folder.name) / "places.parquet"
    zips = us_zips(args.zips, seed=15)
    started = time.perf_counter()
    if not path.exists():
        write_places(path, args.places, zips)
    made = time.perf_counter() - started
    clients = clients_from(path, args.clients, zips)
    size = path.stat().st_size / 1e6
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
          f"DuckDB {duckdb.__version__}, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"file: {args.places:,} places in Overture's schema over {args.zips:,} ZIPs, "
          f"{size:.1f} MB ({made:.1f} s to write); {len(clients):,} clients")  # fmt: skip
    bulk_s, bulk = audit(clients, path, bulk=True)
    print(f"bulk (one query for the batch):   {bulk_s:8.2f} s", flush=True)
    each_s, each = audit(clients, path, bulk=False)
    print(f"per business (one query each):    {each_s:8.2f} s")
    print(f"ratio: bulk is {each_s / bulk_s:.1f} x faster")
    outcomes: dict[str, int] = {}
    for _, outcome, *_ in bulk:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    counted = ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items()))
    print(f"listings emitted: {len(bulk):,} ({counted})")
    print("same listings and outcomes as per business:", "yes" if bulk == each else "NO")


if __name__ == "__main__":
    main()
