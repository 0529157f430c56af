"""Time `napaudit compare` on generated data, against the cost of merely parsing the records.

    .venv/bin/python bench/compare.py                  # 10,000 businesses x 100,000 listings
    .venv/bin/python bench/compare.py --scale 0.1      # a tenth of that, for a quick look
    .venv/bin/python bench/compare.py --repeat 5       # medians of five alternated runs each

Half the listings carry their business_id; the other half must be identified. The baseline parses
every record once with usaddress and phonenumbers and does nothing else; the target is the whole
compare run (read, normalize, identify, judge, write JSON Lines, store in SQLite) within 1.5x of
it, and 10,000 listings/s. compare forks a worker per idle core (serial below two): the figures
hold for a machine whose cores are free, and the line says how many were.
Peak memory (the main process, and the largest worker) is measured at the full size and at a
tenth of it, to show how it grows. Each step runs in its own process so that no cache carries over.

The machine is shared: one run of either step can be a quarter slower than the next. `--repeat N`
(default 3) times the parse-only step and compare N times each at the full size (the tenth runs
once), alternated on the same files, and reports the medians, their ratio, and every run's own
ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import memory  # bench/memory.py, beside this file: each step's own peak

STREETS = [
    "Main",
    "Elm",
    "Oak",
    "Harbor",
    "Ventura",
    "Wacker",
    "Elston",
    "Central",
    "Lincoln",
    "Maple",
    "Cedar",
    "Mission",
    "Sunset",
    "Washington",
    "Park",
    "Lake",
    "Hill",
    "River",
]
SUFFIXES = [
    ("St", "Street"),
    ("Ave", "Avenue"),
    ("Blvd", "Boulevard"),
    ("Rd", "Road"),
    ("Dr", "Drive"),
    ("Ln", "Lane"),
]
DIRS = [("N", "North"), ("S", "South"), ("E", "East"), ("W", "West"), ("", "")]
WORDS = [
    "Blue",
    "Fin",
    "Copper",
    "Kettle",
    "Harbor",
    "Lane",
    "Dental",
    "Northside",
    "Hardware",
    "Golden",
    "Dragon",
    "Pizza",
    "Bakery",
    "Auto",
    "Repair",
    "Family",
    "Clinic",
    "Coffee",
    "House",
    "Garden",
    "Salon",
    "Spa",
    "Law",
    "Office",
    "Plumbing",
    "Electric",
    "Grill",
]
AREAS = ["212", "310", "312", "415", "602", "714", "773", "818", "305", "404", "512", "617"]
HEADER = ["id", "name", "address", "address2", "city", "state", "zip", "phone", "website"]
LISTING_HEADER = ["listing_id", "source", "business_id", *HEADER[1:]]  # fmt: skip


def business(rng: random.Random, i: int, places: list[tuple[str, str, str]]) -> dict:
    d, _ = rng.choice(DIRS)
    suffix, _ = rng.choice(SUFFIXES)
    city, state, zip5 = rng.choice(places)
    name = " ".join(rng.sample(WORDS, rng.randint(2, 3)))
    return {
        "id": f"b{i}",
        "name": name,
        "address": f"{rng.randint(1, 9999)} {d} {rng.choice(STREETS)} {suffix}".replace("  ", " "),
        "address2": f"Suite {rng.randint(100, 999)}" if rng.random() < 0.3 else "",
        "city": city,
        "state": state,
        "zip": zip5,
        "phone": f"({rng.choice(AREAS)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
        "website": f"https://www.{name.lower().replace(' ', '')}{i}.example/",
    }


def listing(rng: random.Random, b: dict) -> dict:
    """The business as a directory shows it: rewritten, and now and then wrong."""
    out = dict(b)
    long_form = dict(SUFFIXES) | {k: v for k, v in DIRS if k}
    out["address"] = " ".join(
        long_form.get(w, w) if rng.random() < 0.5 else w for w in b["address"].split()
    )
    digits = "".join(c for c in b["phone"] if c.isdigit())
    out["phone"] = rng.choice(["{}-{}-{}", "{}.{}.{}", "({}) {}-{}", "+1 {} {} {}"]).format(
        digits[:3], digits[3:6], digits[6:]
    )
    if rng.random() < 0.1:
        out["phone"] = out["phone"][:-1] + str((int(out["phone"][-1]) + 1) % 10)
    if rng.random() < 0.1:
        out["zip"] = f"{(int(b['zip']) + 1) % 100000:05d}"
    if rng.random() < 0.2:
        out["name"] = b["name"].upper() if rng.random() < 0.5 else b["name"] + " LLC"
    out["website"] = b["website"].replace("https://www.", "http://") + "?utm_source=dir"
    return out


def generate(folder: Path, n_businesses: int, n_listings: int, seed: int = 7) -> tuple[Path, Path]:
    import zipcodes

    rng = random.Random(seed)
    places = [(z["city"], z["state"], z["zip_code"]) for z in zipcodes.list_all()
              if z["zip_code_type"] == "STANDARD"]  # fmt: skip
    businesses = [business(rng, i, places) for i in range(n_businesses)]
    canonical, listings = folder / "canonical.csv", folder / "listings.csv"
    with canonical.open("w", newline="") as f:
        w = csv.DictWriter(f, HEADER)
        w.writeheader()
        w.writerows(businesses)
    with listings.open("w", newline="") as f:
        w = csv.DictWriter(f, LISTING_HEADER, extrasaction="ignore")
        w.writeheader()
        for j in range(n_listings):
            b = rng.choice(businesses)
            row = listing(rng, b)
            row.update(listing_id=f"l{j}", source=f"dir{j % 20}",
                       business_id=b["id"] if j % 2 == 0 else "")  # fmt: skip
            w.writerow(row)
    return canonical, listings


BASELINE = """
import csv, resource, sys, time, usaddress, phonenumbers
rows = [r for path in sys.argv[1:] for r in csv.DictReader(open(path))]
start = time.perf_counter()
for r in rows:
    usaddress.parse(", ".join(p for p in (r["address"], r["address2"]) if p))
    phonenumbers.parse(r["phone"], "US")
print(len(rows), time.perf_counter() - start)
"""


COMPARE = (
    memory.IMPORT
    + """
import resource, sys, time
import napaudit.auditor.audit as audit
from napaudit.cli import cli
free = []  # the idle cores compare saw, hence its workers (serial below two)
measure_free = audit.free_cores
audit.free_cores = lambda *args, **kwargs: free.append(measure_free(*args, **kwargs)) or free[-1]
start, cpu = time.perf_counter(), time.process_time()
cli(["compare", *sys.argv[1:]], standalone_mode=False)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
main_kb = own_peak_kib()
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu += children.ru_utime + children.ru_stime
print(elapsed, main_kb, children.ru_maxrss, cpu, free[0] if free else 0, file=sys.stderr)
"""
)


def measure(code: str, *args: str, stream: str = "stdout") -> list[str]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(done.stderr)
    return getattr(done, stream).strip().splitlines()[-1].split()


def run(n_businesses: int, n_listings: int, folder: Path, repeat: int = 1) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    canonical, listings = generate(folder, n_businesses, n_listings)
    out, db = str(folder / "out.jsonl"), str(folder / "bench.db")
    runs = []
    for _ in range(repeat):  # alternated, so that a busy moment hits both steps alike
        records, parse_s = measure(BASELINE, str(canonical), str(listings))
        for path in (db, db + "-wal", db + "-shm"):  # each compare stores into a new database
            Path(path).unlink(missing_ok=True)
        seconds, main_kb, worker_kb, cpu, free = measure(
            COMPARE, str(canonical), str(listings), "--out", out, "--db", db, stream="stderr"
        )
        runs.append((float(parse_s), float(seconds), int(main_kb), int(worker_kb), float(cpu),
                     int(free)))  # fmt: skip
    parse_s = statistics.median(r[0] for r in runs)
    seconds = statistics.median(r[1] for r in runs)
    return {
        "businesses": n_businesses,
        "listings": n_listings,
        "runs": repeat,
        "parse_only_s": round(parse_s, 1),  # medians when repeated
        "parse_only_records_per_s": round(int(records) / parse_s),
        "compare_s": round(seconds, 1),
        "listings_per_s": round(n_listings / seconds),
        "ratio_to_parse_only": round(seconds / parse_s, 2),  # of the medians
        "ratios_each_run": [round(r[1] / r[0], 2) for r in runs],
        "peak_memory_mb": round(max(r[2] for r in runs) / 1024),  # the process that reads, stores
        "peak_worker_memory_mb": round(max(r[3] for r in runs) / 1024),  # the largest worker
        "compare_cpu_s": round(statistics.median(r[4] for r in runs), 1),  # it and its workers
        "cores_free": min(r[5] for r in runs),  # at compare's start; it forks as many, if >= 2
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 10k x 100k")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each step at full size; medians reported"
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat: {args.repeat} runs; at least 1")
    n_b, n_l = int(10_000 * args.scale), int(100_000 * args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        small = run(n_b // 10, n_l // 10, Path(tmp) / "small")
        full = run(n_b, n_l, Path(tmp) / "full", args.repeat)
    for result in (small, full):
        print(json.dumps(result))
    print(
        f"compare: {full['listings_per_s']} listings/s, {full['ratio_to_parse_only']}x the "
        f"parse-only time (target <= 1.5x; medians of {full['runs']} runs each, the runs' own "
        f"ratios {', '.join(map(str, full['ratios_each_run']))}); peak memory "
        f"{small['peak_memory_mb']} MB (workers "
        f"{small['peak_worker_memory_mb']} MB) at {small['listings']} listings, "
        f"{full['peak_memory_mb']} MB (workers {full['peak_worker_memory_mb']} MB) at "
        f"{full['listings']}; {full['cores_free']} cores free at the start "
        f"({'forked' if full['cores_free'] > 1 else 'serial'})"
    )


if __name__ == "__main__":
    main()
