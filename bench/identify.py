"""Measure identification on real data: precision, recall and F1, on a part never tuned on.

    .venv/bin/python bench/identify.py                  # every set that is present
    .venv/bin/python bench/identify.py --set chicago    # one set: chicago, places, restaurants
    .venv/bin/python bench/identify.py --errors         # also list what went wrong

Sets:
- chicago: the Chicago early-childhood linkage data (../shared/realdata, or NAPAUDIT_REALDATA).
  One source list is the canonical set, the 8 others are listings; the entities are split in
  two halves by a hash of their true id: `study` (rules were tuned on it) and `held-out`.
- places: hand-labelled pairs of real places (tests/fixtures/identify/real_place_pairs.tsv,
  rows referred to by id in ../shared/realdata: Overture, Foursquare OS Places, Google Places
  and Yelp answers). Each pair is scored with `score_pair`; pairs are split by a hash of the
  pair's ids.
- restaurants: the Fodors-Zagat benchmark, as py_entitymatching 0.4.2 ships it in its sdist
  (py_entitymatching/datasets/end-to-end/restaurants/). Set NAPAUDIT_RESTAURANTS to that folder;
  the data is never kept in this repository. Zagat is the canonical set, Fodors the listings
  (and the other way round); the field verdicts of each identified listing are compared with
  those it gets against its true business.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from napaudit.auditor.identify import THRESHOLD, Identifier, score_pair  # noqa: E402
from napaudit.auditor.judge import judge  # noqa: E402
from napaudit.auditor.models import Record  # noqa: E402
from napaudit.auditor.normalize.record import normalize_record  # noqa: E402

REALDATA = Path(os.environ.get("NAPAUDIT_REALDATA") or ROOT.parent / "shared" / "realdata")
CHICAGO = REALDATA / "linkage/dedupe-examples-chicago-early-childhood"
CHICAGO_FILE = CHICAGO / "csv_example_input_with_true_ids.csv"
CHICAGO_CANONICAL = "chapin_dfss_providers_2011_070212.csv"
PAIRS = ROOT / "tests/fixtures/identify/real_place_pairs.tsv"
HALVES = ("study", "held-out")


def half(key: str) -> str:
    """The half a key belongs to, the same on every machine and every run."""
    return HALVES[zlib.crc32(key.encode()) % 2]


def scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def fmt(name: str, s: dict) -> str:
    return (f"{name:28} precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
            f"F1 {s['f1']:.3f}  (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")  # fmt: skip


# --- Chicago early-childhood linkage ---------------------------------------------------------


def chicago_rows() -> list[dict]:
    with open(CHICAGO_FILE, encoding="utf-8", errors="replace") as f:
        return list(csv.DictReader(f))


def chicago_record(row: dict) -> Record:
    return Record(id=row["Id"], name=row["Site name"], address=row["Address"], zip=row["Zip"],
                  phone=row["Phone"], city="Chicago", state="IL")  # fmt: skip


def chicago(rows: list[dict], errors: list | None = None) -> dict:
    """One source list is the canonical set; every row of the 8 others is a listing."""
    truth: dict[str, str] = {}
    canonical = []
    for row in rows:
        if row["Source"] == CHICAGO_CANONICAL and row["True Id"] not in truth.values():
            truth[row["Id"]] = row["True Id"]
            canonical.append(normalize_record(chicago_record(row)))
    identifier = Identifier(canonical)
    tp = fp = fn = 0
    known = set(truth.values())
    for row in rows:
        if row["Source"] == CHICAGO_CANONICAL:
            continue
        match = identifier.identify(normalize_record(chicago_record(row)))
        predicted = truth.get(match.business_id) if match.business_id else None
        actual = row["True Id"] if row["True Id"] in known else None
        tp += predicted is not None and predicted == actual
        fp += predicted is not None and predicted != actual
        fn += actual is not None and predicted != actual
        if errors is not None and predicted != actual:
            errors.append((row["Site name"], row["Address"], row["Phone"], match))
    return scores(tp, fp, fn)


def chicago_report(show_errors: bool) -> dict:
    rows = chicago_rows()
    out = {"whole": chicago(rows)}
    for name in HALVES:
        errors: list = []
        out[name] = chicago([r for r in rows if half(r["True Id"]) == name], errors)
        if show_errors and name == "study":
            for e in errors:
                print("   ", " | ".join(map(str, e[:3])), "->", e[3].candidate, e[3].score,
                      e[3].evidence)  # fmt: skip
    return out


# --- hand-labelled real places ------------------------------------------------------------


OVERTURE = "opendata/overture/terraforma_project_c_samples_US_open_closed.parquet"
FSQ_OS = "opendata/fsq-os-places/datadash_fsq_os_places_10k_dt2024-11-19.csv"
GOOGLE = ("api/google-places-api/PlacesApiNearbySearchRequestByNameResponse.json",
          "api/google-places-api/PlacesApiNearbySearchRequestByTypeResponse.json",
          "api/google-places-api/PlacesApiNearbySearchRequestByKeywordResponse.json",
          "api/google-places-api/TextSearchPizzaInNYC.json",
          "api/google-places-api/PlacesApiPizzaInNewYorkResponse.json")  # fmt: skip
YELP = ("realweb/api/yelp-fusion/search_coffee_11206_bean-there_2021.json",)
_COUNTRIES = {"United States": "US", "USA": "US", "Australia": "AU"}


def place_rows(realdata: Path = REALDATA) -> dict[str, Record]:
    """Every row the labels may name, as a Record keyed 'source:id'.

    Each row becomes the fields napaudit's own source reads from it (the spiders' converters),
    plus the source's categories: a pair's left side plays the owner's record, which has them.
    """
    rows = {**_parquet_rows(realdata), **_google_rows(realdata), **_yelp_rows(realdata)}
    return {key: Record(id=key, **{f: v or "" for f, v in values.items()})
            for key, values in rows.items()}  # fmt: skip


def _parquet_rows(realdata: Path) -> dict[str, dict]:
    import duckdb
    from napaudit.spiders.bases.parquet import as_found
    from napaudit.spiders.sources.fsq_os_places import FsqOsPlacesSpider
    from napaudit.spiders.sources.overture import OvertureSpider

    nobody = normalize_record(Record(id=""))
    out = {}

    def select(spider) -> str:  # the optional columns these samples lack read as NULL
        return spider.select.format(path="?", **dict.fromkeys(spider.optional_columns, "NULL"))

    sources = (
        ("overture", select(OvertureSpider), realdata / OVERTURE, "categories.primary"),
        ("fsq", select(FsqOsPlacesSpider).replace("read_parquet(?)",
                                                  "read_csv(?, all_varchar = true)"),
         realdata / FSQ_OS, "fsq_category_labels"),
    )  # fmt: skip
    for source, select, path, categories in sources:
        query = select.replace("SELECT ", f"SELECT {categories} AS shown_categories, ", 1)
        with duckdb.connect() as db:
            cursor = db.execute(query, [str(path)])
            names = [d[0] for d in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                found = as_found(row, nobody, source)
                fields = {f: found[f] for f in ("name", "address", "city", "state", "zip",
                                                "country", "phone", "website")}  # fmt: skip
                fields["categories"] = re.sub(r"[\[\]_]", " ", row["shown_categories"] or "")
                out[f"{source}:{row['id']}"] = fields
    return out


def _google_rows(realdata: Path) -> dict[str, dict]:
    from napaudit.spiders.sources.google import place_values

    out = {}
    for name in GOOGLE:
        for place in json.loads((realdata / name).read_text(encoding="utf-8"))["results"]:
            values = place_values(place)
            where = (place.get("formatted_address") or "").rsplit(", ", 1)[-1]
            country = values.get("country") or _COUNTRIES.get(where, "AU")
            fields = {f: values.get(f, "") for f in ("name", "address", "city", "state", "zip",
                                                     "phone", "website")}  # fmt: skip
            fields.update(country=country, categories=" ".join(place.get("types", [])))
            out[f"google:{Path(name).stem}:{place['place_id']}"] = fields
    return out


def _yelp_rows(realdata: Path) -> dict[str, dict]:
    from napaudit.spiders.sources.yelp import YelpSpider

    out = {}
    for name in YELP:
        data = json.loads((realdata / name).read_text(encoding="utf-8"))
        by_id = {b["id"]: b for b in data["businesses"]}
        for values in YelpSpider.candidates(None, data):
            fields = {f: values.get(f, "") for f in ("name", "address", "city", "state", "zip",
                                                     "country", "phone")}  # fmt: skip
            titles = [c.get("title", "") for c in by_id[values["id"]].get("categories", [])]
            fields["categories"] = ", ".join(titles)
            out[f"yelp:{values['id']}"] = fields
    return out


def read_pairs(path: Path = PAIRS) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def places_report(show_errors: bool) -> dict:
    rows = place_rows()
    out: dict = {}
    results = []
    for pair in read_pairs():
        left = rows[pair["left"]]
        for field in pair["drop"].split():  # a record without them: a chain's, say
            left = replace(left, **{field: ""})
        a, b = normalize_record(left), normalize_record(rows[pair["right"]])
        score, evidence = score_pair(a, b)
        results.append((pair, score, evidence))
    for name in ("whole", *HALVES):
        chosen = [
            r for r in results if name == "whole" or half(r[0]["left"] + r[0]["right"]) == name
        ]
        out[name] = _pair_scores(chosen)
        for kind in sorted({r[0]["kind"] for r in chosen}):  # most kinds hold no match: say
            of_kind = [r for r in chosen if r[0]["kind"] == kind]  # how many pairs came out right
            right = sum((score >= THRESHOLD) == (pair["same"] == "1") for pair, score, _ in of_kind)
            out[f"{name} {kind}"] = {"pairs": len(of_kind), "right": right}
    if show_errors:
        for pair, score, evidence in results:  # the study half only: tune on it alone
            wrong = (score >= THRESHOLD) != (pair["same"] == "1")
            if wrong and half(pair["left"] + pair["right"]) == "study":
                print(f"    {pair['kind']:14} {half(pair['left'] + pair['right']):8} "
                      f"{rows[pair['left']].name!r} ~ {rows[pair['right']].name!r} "
                      f"{score:.3f} {evidence}")  # fmt: skip
    return out


def _pair_scores(results: Iterable[tuple[dict, float, list]]) -> dict:
    tp = fp = fn = 0
    for pair, score, _ in results:
        same, said = pair["same"] == "1", score >= THRESHOLD
        tp += same and said
        fp += said and not same
        fn += same and not said
    return scores(tp, fp, fn)


# --- Fodors-Zagat restaurants -------------------------------------------------------------


def restaurant_records(folder: Path, name: str) -> dict[str, Record]:
    with open(folder / name, encoding="utf-8", errors="replace") as f:
        return {
            row["id"]: Record(id=row["id"], name=row["name"], address=row["addr"],
                              city=row["city"], phone=row["phone"], categories=row["type"])
            for row in csv.DictReader(f)
        }  # fmt: skip


def restaurants(folder: Path, reverse: bool, errors: list | None = None) -> dict:
    fodors = restaurant_records(folder, "fodors.csv")
    zagat = restaurant_records(folder, "zagats.csv")
    with open(folder / "matches_fodors_zagats.csv", encoding="utf-8") as f:
        pairs = [(row["fodors_id"], row["zagats_id"]) for row in csv.DictReader(f)]
    if reverse:
        canon, listings, truth = fodors, zagat, {z: f for f, z in pairs}
    else:
        canon, listings, truth = zagat, fodors, dict(pairs)
    normalized = {k: normalize_record(r) for k, r in canon.items()}
    identifier = Identifier(list(normalized.values()))
    tp = fp = fn = 0
    verdicts_same = verdicts_all = 0
    for key, record in listings.items():
        listing = normalize_record(record)
        match = identifier.identify(listing)
        actual = truth.get(key)
        tp += match.business_id is not None and match.business_id == actual
        fp += match.business_id is not None and match.business_id != actual
        fn += actual is not None and match.business_id != actual
        if errors is not None and match.business_id != actual:
            errors.append((record.name, record.address, record.phone, actual, match))
        if actual is not None:  # the verdicts the owner reads, against the true business
            expected = judge(normalized[actual], listing)
            got = judge(normalized[match.business_id], listing) if match.business_id else []
            verdicts_all += len(expected)
            verdicts_same += sum(v in got for v in expected)
    out = scores(tp, fp, fn)
    out["verdicts"] = verdicts_same / verdicts_all if verdicts_all else 1.0
    return out


def restaurants_report(show_errors: bool) -> dict:
    folder = Path(os.environ["NAPAUDIT_RESTAURANTS"])
    out = {}
    for reverse, name in ((False, "fodors -> zagat"), (True, "zagat -> fodors")):
        errors: list = []
        out[name] = restaurants(folder, reverse, errors)
        if show_errors:
            for e in errors:
                print(f"    {e[0]!r} {e[1]!r} {e[2]} true {e[3]} -> {e[4].candidate} "
                      f"{e[4].score} {e[4].evidence}")  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("chicago", "places", "restaurants"), action="append")
    parser.add_argument("--errors", action="store_true", help="list what went wrong")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sets = args.set or ["chicago", "places", "restaurants"]
    figures = {}
    if "chicago" in sets and CHICAGO_FILE.exists():
        figures["chicago"] = chicago_report(args.errors)
    if "places" in sets and PAIRS.exists() and REALDATA.exists():
        figures["places"] = places_report(args.errors)
    if "restaurants" in sets:
        if os.environ.get("NAPAUDIT_RESTAURANTS"):
            figures["restaurants"] = restaurants_report(args.errors)
        else:
            print("restaurants: set NAPAUDIT_RESTAURANTS to py_entitymatching's restaurants folder")
    if args.json:
        print(json.dumps(figures, indent=1))
        return
    for set_name, parts in figures.items():
        print(set_name)
        for part, s in parts.items():
            if "pairs" in s:
                print(f"    {part:26} {s['right']} of {s['pairs']} pairs right")
                continue
            extra = f"  field verdicts {s['verdicts']:.3f}" if "verdicts" in s else ""
            print("  " + fmt(part, s) + extra)


if __name__ == "__main__":
    main()
