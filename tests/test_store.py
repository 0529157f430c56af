"""The store keeps every run and stores nothing twice."""

from __future__ import annotations

import json

import sqlite_utils

from napaudit.cli import cli

CLIENTS = "id,name,address,zip,phone\nb1,Acme Plumbing,1 Elm St,60601,(312) 555-0100\n"
LISTINGS = (
    "listing_id,source,business_id,name,address,zip,phone\n"
    "L1,yelp,b1,Acme Plumbing,1 Elm Street,60601,312-555-0100\n"
    "L2,bbb,,ACME PLUMBING LLC,1 Elm St,60601,(312) 555-0199\n"
)
CONTENT = ("businesses", "listings", "findings")


def compare(runner, write, db, listings=LISTINGS):
    clients, found = write("c.csv", CLIENTS), write("l.csv", listings)
    result = runner.invoke(cli, ["compare", str(clients), str(found), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return sqlite_utils.Database(db)


def test_tables_have_primary_keys_and_wal(runner, write, tmp_path):
    db = compare(runner, write, tmp_path / "n.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db["listings"].pks == ["source", "listing_key", "version"]
    assert db["run_listings"].pks == ["run_id", "source", "listing_key"]
    for table in db.tables:
        assert table.pks != ["rowid"], table.name


def test_same_input_twice_adds_a_run_and_duplicates_nothing(runner, write, tmp_path):
    db = compare(runner, write, tmp_path / "n.db")
    before = {t: db[t].count for t in CONTENT}
    compare(runner, write, tmp_path / "n.db")
    assert {t: db[t].count for t in CONTENT} == before
    assert db["runs"].count == 2
    assert db.execute("select count(*) from run_listings group by run_id").fetchall() == [
        (2,),
        (2,),
    ]


def test_a_changed_listing_is_a_new_version_and_history_is_kept(runner, write, tmp_path):
    db = compare(runner, write, tmp_path / "n.db")
    compare(runner, write, tmp_path / "n.db", LISTINGS.replace("(312) 555-0199", "(312) 555-0100"))
    versions = db.execute(
        "select count(*) from listings where source = 'bbb' and listing_key = 'L2'"
    ).fetchone()[0]
    assert versions == 2
    phone = db.execute(
        "select f.status from run_listings r join findings f using (check_id) "
        "where r.listing_key = 'L2' and f.field = 'phone' order by r.run_id"
    ).fetchall()
    assert phone == [("mismatch",), ("match",)]


def test_raw_and_normalized_are_stored_side_by_side(runner, write, tmp_path):
    db = compare(runner, write, tmp_path / "n.db")
    row = db.execute("select phone, normalized from listings where listing_key = 'L1'").fetchone()
    assert row[0] == "312-555-0100"
    assert json.loads(row[1])["phone"]["e164"] == "+13125550100"
    run = next(db["runs"].rows)
    assert run["command"] == "compare" and run["status"] == "done"
    assert json.loads(run["counts"])["listings"] == 2
    identified = next(db["run_listings"].rows_where("listing_key = 'L2'"))
    assert identified["linked_by"] == "identified" and identified["business_id"] == "b1"
    assert "same street address" in identified["evidence"]


def test_refused_input_leaves_the_store_as_it_was(runner, write, tmp_path):
    db = compare(runner, write, tmp_path / "n.db")
    before = {t: db[t].count for t in (*CONTENT, "runs")}
    bad = write("bad.csv", "name,phone\nAcme,1\n")
    result = runner.invoke(cli, ["compare", str(bad), str(bad), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 2
    assert {t: db[t].count for t in (*CONTENT, "runs")} == before
