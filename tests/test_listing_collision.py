"""Sister businesses (the same name words and street, another number) that one search finds both
of: each ends with its own place, and a listing two businesses still claim belongs to one."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from napaudit.auditor.audit import page_listing
from napaudit.auditor.history import History
from napaudit.auditor.models import Record
from napaudit.auditor.normalize.record import normalize_record
from napaudit.auditor.store import Store
from napaudit.sampleweb.generated import Generated, GeneratedWeb, keys_env, write_clients
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import serving

from napaudit.cli import cli


def sister(number: str, street_number: int) -> Generated:
    """A Phoenix salon whose name differs from its sisters' by its number only: a search that
    shows no phone scores each sister 0.5 (same street, same ZIP, name nearly the same)."""
    return Generated(
        id=f"salon-{number}", name=f"Beacon Maple Salon {number}",
        address=f"{street_number} Harbor Blvd", city="Phoenix", state="AZ", zip="85012",
        phone=f"(602) 555-{number}", website=f"https://www.salon{number}.example/",
    )  # fmt: skip


# --- a crawl, as a user runs it -------------------------------------------------------------


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """`napaudit batch` on Google (Places API (New), mocked on 127.0.0.1) for three sisters: two
    listed there, and one that is not, whose search finds only the other two."""
    folder = tmp_path_factory.mktemp("sisters")
    listed = [sister("0463", 563), sister("0739", 839)]
    unlisted = sister("0473", 573)
    clients = write_clients(folder / "clients.csv", [*listed, unlisted])
    db = folder / "a.db"
    with serving(GeneratedWeb(listed, ["google"])) as web:
        done = subprocess.run(
            [sys.executable, "-m", "napaudit", "batch", str(clients), "--sources", "google",
             "--db", str(db), "--delay", "0", "--timeout", "30", "--report",
             str(folder / "report"), *cli_args(web.base_url)],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
            env={**os.environ, **keys_env()},
        )  # fmt: skip
        searched = [h for h in web.hits if h.path.endswith(":searchText")]
        details = [h for h in web.hits if h.path.startswith("/google/v1/places/")]
    return done, db, len(searched), len(details)


def by_business(db: Path) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {}
    for business, _, key, outcome, reason in sorted(History(db).stored()[0]):
        rows.setdefault(business, []).append((key, outcome, reason))
    return rows


def test_each_sister_keeps_its_own_place_and_nothing_is_lost(crawled):
    done, db, searched, details = crawled
    # every listed sister's search accepted both places and asked both for their details
    assert (searched, details) == (3, 6)
    assert "not stored" not in done.stderr
    assert done.returncode == 0, done.stderr[-3000:]
    stored = by_business(db)
    assert stored["salon-0463"] == [("google:salon-0463", "ok", None)]
    assert stored["salon-0739"] == [("google:salon-0739", "ok", None)]
    scores = {b: s for b, s in History(db).conn.execute(
        "select business_id, match_score from run_listings where outcome = 'ok'")}  # fmt: skip
    assert scores == {"salon-0463": 1.0, "salon-0739": 1.0}
    lines = done.stderr.splitlines()
    assert "salon-0463: 1 listings checked, 0 not checked" in lines
    assert "salon-0739: 1 listings checked, 0 not checked" in lines


def test_a_business_whose_followed_places_are_all_its_sisters_is_not_found(crawled):
    done, db, *_ = crawled
    ((key, outcome, reason),) = by_business(db)["salon-0473"]
    assert (key, outcome) == ("search:salon-0473", "not_found")
    assert reason == (
        "searched Google Business Profile (Google Search and Maps) for 'Beacon Maple Salon 0473' "
        "in Phoenix, AZ through Places API (New): 2 places followed to their details, none is "
        "this business (closest: 'Beacon Maple Salon 0463', score 0.06)"
    )
    assert "salon-0473: 0 listings checked, 1 not checked" in done.stderr.splitlines()


# --- the store: one business a listing, whatever the batch --------------------------------


def business(id: str, number: str, street_number: int):
    s = sister(number, street_number)
    return normalize_record(Record(id=id, name=s.name, address=s.address, city=s.city,
                                   state=s.state, zip=s.zip, phone=s.phone))  # fmt: skip


PLACE = {"name": "Beacon Maple Salon 0463", "address": "563 Harbor Blvd", "city": "Phoenix",
         "state": "AZ", "zip": "85012", "phone": "(602) 555-0463"}  # fmt: skip
URL = "https://maps.google.com/?cid=1"


@pytest.mark.parametrize("batches", [("a", "b"), ("b", "a"), ("ab",), ("ba",)])
def test_two_businesses_claiming_one_listing_the_better_keeps_it(tmp_path, runner, batches):
    """The place is A's (score 1.0); B, its sister, claims it too (0.059). In whichever order
    and batches the claims are stored, A keeps it and B is not found, saying why."""
    a, b = business("a", "0463", 563), business("b", "0739", 839)
    claims = {x: page_listing(n, [PLACE], "google", URL, key="google:P1")
              for x, n in (("a", a), ("b", b))}  # fmt: skip
    assert (claims["a"].match.score, claims["b"].match.score) == (1.0, 0.059)
    store = Store(tmp_path / "a.db")
    run = store.start_run("batch", {})
    versions = store.save_businesses(run, [a, b])
    for batch in batches:
        store.save_results(run, [claims[x] for x in batch], versions)
    store.finish_run(run, {})

    listings, _ = History(tmp_path / "a.db").stored(run)
    assert listings == {
        ("a", "google", "google:P1", "ok", None),
        ("b", "google", "search:b:google:P1", "not_found",
         "google:P1 is business a's listing in this run (its score 1.000; this business's 0.059)"),
    }  # fmt: skip
    summary = {r["business_id"]: (r["checked"], r["not_checked"])
               for r in History(tmp_path / "a.db").summary(run)}  # fmt: skip
    assert summary == {"a": (1, 0), "b": (0, 1)}
    # the report tells B to get listed, with the reason
    out = tmp_path / "report"
    result = runner.invoke(cli, ["report", "--db", str(tmp_path / "a.db"), "--format", "csv",
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "fixes.csv").open(encoding="utf-8") as f:
        fixes = [(r["business_id"], r["kind"], r["source"], r["reason"]) for r in csv.DictReader(f)]
    assert fixes == [("b", "gap", "google", "google:P1 is business a's listing in this run (its "
                                            "score 1.000; this business's 0.059)")]  # fmt: skip
