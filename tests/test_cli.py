"""`napaudit compare` and friends, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
import sqlite_utils
from conftest import ROOT

from napaudit.cli import cli

CLIENTS = (
    "id,name,address,city,state,zip,phone,website\n"
    "kettle,The Copper Kettle,570 Fourth St,San Francisco,CA,94107,(415) 555-0187,"
    "https://copperkettle.example/\n"
    "palm,The Palm,9001 Santa Monica Blvd,West Hollywood,CA,90069,(310) 550-8811,\n"
)
LISTINGS = (
    "listing_id,source,url,business_id,name,address,city,state,zip,phone,website\n"
    'L1,yelp,https://yelp.example/1,kettle,"Copper Kettle, The",570 4th Street,San Francisco,'
    "CA,94107,415.555.0187,copperkettle.example\n"
    "L2,bbb,https://bbb.example/2,,Palm,9001 Santa Monica Boulevard,West Hollywood,CA,90069,"
    "310-550-8811,\n"
    "L3,manta,,,Somebody Else,1 Other Rd,Austin,TX,78701,(512) 555-0100,\n"
)


@pytest.fixture
def files(write):
    return str(write("clients.csv", CLIENTS)), str(write("listings.csv", LISTINGS))


def run(runner, *args, db):
    return runner.invoke(cli, [*args, "--db", str(db)], catch_exceptions=False)


def test_compare_jsonl_contract(runner, files, tmp_path):
    result = run(runner, "compare", *files, db=tmp_path / "n.db")
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["listing_id"] for o in objects] == ["L1", "L2", "L3"]
    l1, l2, l3 = objects
    assert (l1["business_id"], l1["linked_by"], l1["match_score"]) == ("kettle", "given", None)
    assert set(l1["fields"]) == {"name", "address", "city", "state", "zip", "phone", "website"}
    assert l1["fields"]["address"] == {
        "status": "variant",
        "canonical": "570 Fourth St",
        "found": "570 4th Street",
        "reason": "'4th' = 'Fourth'; suffix 'Street' = 'St' (USPS ST)",
        "severity": "none",
    }
    assert l2["business_id"] == "palm" and l2["linked_by"] == "identified"
    assert l2["match_score"] > 0.9
    assert l2["fields"]["name"]["status"] == "mismatch"  # 'Palm' dropped 'The'
    assert l3["business_id"] is None and l3["fields"] == {}
    assert "compared 3 listings with 2 businesses" in result.stderr


def test_compare_json_is_the_same_objects_in_one_array(runner, files, tmp_path):
    jsonl = run(runner, "compare", *files, db=tmp_path / "a.db").stdout
    array = run(runner, "compare", *files, "--format", "json", db=tmp_path / "b.db").stdout
    assert json.loads(array) == [json.loads(line) for line in jsonl.splitlines()]


def test_compare_csv_one_row_per_listing_and_field(runner, write, tmp_path):
    clients = write("c.csv", "id,name,phone\nb1,Acme,(310) 555-0100\n")
    listings = write(
        "l.csv",
        "listing_id,business_id,name,phone\n"
        'L1,b1,"=HYPERLINK(""http://evil.example"",""click"")",+1 310 555 0100\n',
    )
    out = tmp_path / "findings.csv"
    result = run(runner, "compare", str(clients), str(listings), "--format", "csv",
                 "--out", str(out), db=tmp_path / "n.db")  # fmt: skip
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["listing_id"], r["field"], r["status"]) for r in rows] == [
        ("L1", "name", "mismatch"),
        ("L1", "phone", "variant"),
    ]
    assert rows[0]["found"].startswith("'=HYPERLINK")  # inert in a spreadsheet
    assert rows[1]["found"] == "'+1 310 555 0100"


@pytest.mark.parametrize(
    "clients, listings, message",
    [
        ("missing.csv", None, "missing.csv: no such file"),
        ("name,phone\nAcme,1\n", None, "clients.csv, line 1, column 'id': no 'id' column"),
        (
            None,
            "name,phone\nAcme,1\n",
            "listings.csv, line 1, column 'listing_id': no 'listing_id'",
        ),
        (b"id,name\n1,Caf\xe9\n", None, "clients.csv, line 2: not UTF-8 text"),
        (b"PK\x03\x04...", None, "clients.csv: not CSV or JSON"),
        ("id,name\n", None, "clients.csv: no usable business records"),
    ],
)
def test_unusable_input_exits_2_with_one_line(runner, write, tmp_path, clients, listings, message):
    paths = []
    for name, content, default in (("clients.csv", clients, CLIENTS),
                                   ("listings.csv", listings, LISTINGS)):  # fmt: skip
        if content == "missing.csv":
            paths.append(str(tmp_path / "missing.csv"))
        else:
            paths.append(str(write(name, content if content is not None else default)))
    db = tmp_path / "n.db"
    result = runner.invoke(cli, ["compare", *paths, "--db", str(db)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert not db.exists()  # nothing stored for a refused input


def test_bad_rows_are_reported_and_the_rest_processed(runner, write, tmp_path):
    clients = write("clients.csv", CLIENTS + ",No Id,1 Elm St,,,,,\n")
    listings = write("listings.csv", LISTINGS + "L4,yelp,,ghost,Ghost,,,,,,\n")
    result = run(runner, "compare", str(clients), str(listings), db=tmp_path / "n.db")
    assert result.exit_code == 0
    assert "clients.csv, line 4, column 'id': empty id (row skipped)" in result.stderr
    assert ("listings.csv, line 5, column 'business_id': business_id 'ghost' is not in the "
            "canonical records (row skipped)") in result.stderr  # fmt: skip
    assert len(result.stdout.splitlines()) == 3


def test_db_from_environment(runner, files, tmp_path, monkeypatch):
    monkeypatch.setenv("NAPAUDIT_DB", str(tmp_path / "env.db"))
    result = runner.invoke(cli, ["compare", *files])
    assert result.exit_code == 0
    assert (tmp_path / "env.db").exists()
    assert sqlite_utils.Database(tmp_path / "env.db")["runs"].count == 1


def test_text_format_for_people(runner, files, tmp_path):
    result = run(runner, "compare", *files, "--format", "text", db=tmp_path / "n.db")
    assert "yelp L1 -> kettle The Copper Kettle (given)" in result.stdout
    assert "manta L3: not identified" in result.stdout


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_with_an_example(runner, command):
    result = runner.invoke(cli, [command, "-h"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert len(cli.commands[command].help.split()) > 10


def test_readme_help_matches_the_real_help(runner):
    """Each `$ napaudit ... --help` block pasted in the README is what the command prints."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n\$ napaudit (.*?)--help\n(.*?)```", readme, re.S)
    assert blocks, "the README pastes no --help output"
    for args, pasted in blocks:
        real = runner.invoke(cli, [*args.split(), "--help"], prog_name="napaudit").output
        assert pasted.strip() == real.strip(), f"README help for '{args.strip()}' is stale"
