"""Sister businesses (the same name words and street, another number) that one search finds both
of: each ends with its own place, and a listing two businesses still claim belongs to one. A
page showing two businesses (a hotel's restaurants) is two listings: each keeps its own."""

from __future__ import annotations

import csv
import json
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
from napaudit.sampleweb.generated import (
    Generated,
    GeneratedSearch,
    GeneratedWeb,
    keys_env,
    write_clients,
)
from napaudit.sampleweb.middleware import HOST, cli_args
from napaudit.sampleweb.server import SampleWeb, serving

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


# --- a page showing two businesses ----------------------------------------------------------

RESTAURANTS = [("blue", "Blue Door Grill", "(512) 555-0101"),
               ("lantern", "Lantern Bar", "(512) 555-0102")]  # fmt: skip


def hotel_page() -> bytes:
    graph = [{"@type": "Restaurant", "name": name, "telephone": phone,
              "address": {"@type": "PostalAddress", "streetAddress": "100 Main St",
                          "addressLocality": "Austin", "addressRegion": "TX",
                          "postalCode": "78701"}}
             for _, name, phone in RESTAURANTS]  # fmt: skip
    ld = json.dumps({"@context": "https://schema.org", "@graph": graph})
    return f'<html><head><script type="application/ld+json">{ld}</script></head></html>'.encode()


class HotelWeb(SampleWeb):
    """Pages given by path, nothing else."""

    def __init__(self, pages: dict[str, bytes]):
        super().__init__()
        self.pages = pages
        self.__dict__["search"] = GeneratedSearch({})  # no search index to build

    def answer(self, path: str, query: str = "", headers: dict[str, str] | None = None):
        if path == "/robots.txt":
            return 200, {}, b"User-agent: *\nDisallow:\n"
        if path in self.pages:
            return 200, {}, self.pages[path]
        return 404, {}, b"<h1>404 Not Found</h1>"


def test_a_page_showing_two_businesses_is_a_listing_of_each(tmp_path):
    """Both restaurants of a hotel are given its dining page: each keeps the entry it matched
    (before, one replaced the other's row: exit 4, "not stored")."""
    page = "/hotel/dining"
    (tmp_path / "clients.csv").write_text(
        "id,name,address,city,state,zip,phone\n"
        + "".join(f"{b},{n},100 Main St,Austin,TX,78701,{p}\n" for b, n, p in RESTAURANTS)
    )
    (tmp_path / "pages.csv").write_text(
        "business_id,source,url\n"
        + "".join(f"{b},website,http://{HOST}{page}\n" for b, _, _ in RESTAURANTS)
    )
    with serving(HotelWeb(pages={page: hotel_page()})) as web:
        done = subprocess.run(
            [sys.executable, "-m", "napaudit", "audit", str(tmp_path / "clients.csv"),
             "--listings", str(tmp_path / "pages.csv"), "--db", str(tmp_path / "a.db"),
             "--delay", "0", "--report", str(tmp_path / "report"), *cli_args(web.base_url)],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "blue: 1 listings checked, 0 not checked" in done.stderr.splitlines()
    assert "lantern: 1 listings checked, 0 not checked" in done.stderr.splitlines()
    listings, findings = History(tmp_path / "a.db").stored()
    assert listings == {
        ("blue", "website", f"http://{HOST}{page}", "ok", None),
        ("lantern", "website", f"http://{HOST}{page}#lantern", "ok", None),
    }
    # each judged against the entry it matched
    judged = {(b, f, status) for b, _, _, f, status, _ in findings if f in ("name", "phone")}
    assert judged == {(b, f, "match") for b, _, _ in RESTAURANTS for f in ("name", "phone")}


@pytest.mark.parametrize("batches", [("a", "b"), ("b", "a"), ("ab",), ("ba",)])
def test_two_businesses_on_one_page_both_keep_their_listing(tmp_path, batches):
    """Two claims on one key showing different entries of the page are two listings, in
    whichever order and batches they are stored: the first by score, then id, keeps the key."""
    restaurants = {
        x: normalize_record(Record(id=b, name=n, address="100 Main St", city="Austin",
                                   state="TX", zip="78701", phone=p))
        for x, (b, n, p) in zip("ab", RESTAURANTS, strict=True)
    }  # fmt: skip
    shown = [{"name": n, "address": "100 Main St", "city": "Austin", "state": "TX",
              "zip": "78701", "phone": p} for _, n, p in RESTAURANTS]  # fmt: skip
    url = "https://hotel.example/dining"
    claims = {x: page_listing(n, shown, "website", url) for x, n in restaurants.items()}
    store = Store(tmp_path / "a.db")
    run = store.start_run("audit", {})
    versions = store.save_businesses(run, restaurants.values())
    for batch in batches:
        store.save_results(run, [claims[x] for x in batch], versions)
    assert History(tmp_path / "a.db").stored(run)[0] == {
        ("blue", "website", url, "ok", None),
        ("lantern", "website", f"{url}#lantern", "ok", None),
    }
