"""`napaudit audit data/samples/clients.csv` with no listing URLs: every source searches the
local sample web for every client, and every planted listing and duplicate turns up, each with
the outcome its page was planted with."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from conftest import ROOT
from discovery import discover
from napaudit.sampleweb.middleware import HOST

from napaudit.auditing import select_sources

API_KEYS = {"GOOGLE_PLACES_API_KEY": "test-key-all", "FOURSQUARE_API_KEY": "test-key-all",
            "AZURE_MAPS_KEY": "test-key-all"}  # fmt: skip
OUTCOME = {"ok": "ok", "empty": "not_found", "missing": "not_found", "gone": "not_found",
           "challenge": "blocked", "timeout": "error"}  # fmt: skip


def planted() -> list[dict]:
    with (ROOT / "sampleweb" / "site" / "listings.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    done, db, _ = discover(tmp_path_factory.mktemp("all"), select_sources(None), env=API_KEYS)
    rows = db.execute(
        "select business_id, source, listing_key, outcome, outcome_reason from run_listings"
    ).fetchall()
    return done, rows


def found_for(rows, row: dict) -> list[tuple]:
    """The stored listings of this planted page: by its path, or for an API source by the
    place id its path ends with; the own website by the business's home page."""
    place = row["path"].rstrip("/").rsplit("/", 1)[-1]
    return [
        r for r in rows
        if r[0] == row["business_id"] and r[1] == row["source"]
        and (r[2] == f"http://{HOST}{row['path']}" or r[2].endswith(":" + place)
             or (row["source"] == "website" and r[2].startswith("http")))
    ]  # fmt: skip


@pytest.mark.parametrize("row", planted(), ids=lambda r: f"{r['business_id']}-{r['source']}")
def test_every_planted_listing_is_found_with_its_outcome(audited, row):
    _, rows = audited
    found = found_for(rows, row)
    assert found, f"{row['path']} was not discovered for {row['business_id']}"
    assert {r[3] for r in found} == {OUTCOME[row["serve"]]}, found


def test_planted_duplicates_are_all_found(audited):
    _, rows = audited
    on_pages = Counter(
        (r["business_id"], r["source"]) for r in planted() if r["source"] != "website"
    )
    duplicates = [key for key, n in on_pages.items() if n > 1]
    assert duplicates  # the sample web plants at least one
    for business, source in duplicates:
        ok = [r for r in rows if r[:2] == (business, source) and r[3] == "ok"]
        assert len(ok) == on_pages[business, source], (business, source, ok)


def test_every_client_gets_an_answer_from_every_source(audited):
    done, rows = audited
    sources = select_sources(None)
    answered = {(r[0], r[1]) for r in rows}
    clients = {r[0] for r in rows}
    assert len(clients) == 9
    assert {(c, s) for c in clients for s in sources} <= answered
    # the sources no key or file was given for say so, and are not counted as missing
    skipped = {r[1]: r[4] for r in rows if r[3] == "skipped"}
    assert skipped["overture"].startswith(
        "no Overture Maps Places Parquet file set (set NAPAUDIT_OVERTURE_PARQUET)"
    )
    assert "missing" not in {r[3] for r in rows}
    assert "Report:" in done.stdout
