"""`napaudit compare` writes the same bytes however it runs: judged here or by forked workers.

The reference (tests/fixtures/compare/expected.json) was written by the compare of 2026-12-02,
before it was made faster (issue 15). The input is generated here from a seed: businesses and
their listings as directories rewrite them (abbreviations, phone formats, wrong digits, hours,
accents, cells that start like a spreadsheet formula, empty fields), listings that must be
identified, some that match nobody, and rows naming an unknown business. Every output format
is compared, and every row of the database the read side uses (timestamps masked).

A difference names the format, the mode and the first lines that differ, from per-chunk hashes
of the expected output and its first lines. `python tests/test_compare_speed.py --write`
rewrites the reference: only with code whose output is known to be right.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import hashlib
import json
import os
import random
import re
import sqlite3
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from napaudit.auditor import audit
from napaudit.auditor.cores import usable_cores
from napaudit.auditor.identify import Match
from napaudit.auditor.jsontext import json_text
from napaudit.auditor.models import Result, Verdict, verdict_strings
from napaudit.auditor.records import read_records
from napaudit.auditor.store import checked
from napaudit.reports.export import FORMATS, listing_json, listing_object

from napaudit.cli import run_compare

EXPECTED = Path(__file__).parent / "fixtures" / "compare" / "expected.json"
SEED = 15
N_BUSINESSES, N_LISTINGS = 80, 420
CHUNK_LINES = 100  # lines per hash: a difference is located within this many lines
HEAD_LINES = 4  # lines of each output kept verbatim, to show beside a difference
# Columns whose value is the time or the run, not what was judged.
VOLATILE = {"started_at", "finished_at", "label", "judged_at"}
# How a table stores what a view shows: checks.verdicts is each check's verdicts as one JSON
# array, which the findings view shows a row each, as the findings table stored them before.
# The view's rows are compared; the text's encoding is the store's own business.
STORED_FOR_VIEWS = {("checks", "verdicts")}

STREETS = ["Main", "Elm", "Oak", "Harbor", "Ventura", "Wacker", "Mission", "Peña", "Bayou"]
SUFFIXES = [("St", "Street"), ("Ave", "Avenue"), ("Blvd", "Boulevard"), ("Rd", "Road")]
DIRS = [("N", "North"), ("S", "South"), ("E", "East"), ("W", "West"), ("", "")]
WORDS = ["Blue", "Fin", "Copper", "Kettle", "Dental", "Café", "Crêperie", "Auto", "Repair",
         "Law", "Office", "Grill", "Niño", "Garden"]  # fmt: skip
PLACES = [("Costa Mesa", "CA", "92626"), ("Chicago", "IL", "60601"), ("San Francisco", "CA",
          "94107"), ("Austin", "TX", "78701"), ("Miami", "FL", "33101"), ("Boston", "MA",
          "02108"), ("Seattle", "WA", "98101")]  # fmt: skip
HOURS = ["Mo-Fr 08:00-17:00", "Tu-Su 11:00-22:00", "Mon-Fri 8am-5pm", "Mo-Sa 17:00-23:00",
         "24/7", "Mo-Fr 09:00-12:00, 13:00-18:00", "closed Sundays", ""]  # fmt: skip
ODD = ['=HYPERLINK("x")', "+1 call us", "@home", "-dash", "\u200b=1+1", "line\nbreak", "tab\t"]
HEADER = ["id", "name", "address", "address2", "city", "state", "zip", "phone", "website",
          "hours", "categories"]  # fmt: skip
LISTING_HEADER = ["listing_id", "source", "url", "business_id", *HEADER[1:], "status"]


def _business(rng: random.Random, i: int) -> dict:
    city, state, zip5 = rng.choice(PLACES)
    name = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
    d, _ = rng.choice(DIRS)
    return {
        "id": f"b{i}",
        "name": name,
        "address": f"{rng.randint(1, 9999)} {d} {rng.choice(STREETS)} "
        f"{rng.choice(SUFFIXES)[0]}".replace("  ", " "),
        "address2": rng.choice(["", "", "Suite 210", "Unit B", "Ste. 4"]),
        "city": city,
        "state": state,
        "zip": zip5,
        "phone": rng.choice(["", f"(312) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
                             f"(415) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"]),
        "website": rng.choice(["", f"https://www.{name.lower().replace(' ', '')}{i}.example/"]),
        "hours": rng.choice(HOURS),
        "categories": rng.choice(["", "Dentist", "Restaurant; Bar", "Auto repair"]),
    }  # fmt: skip


def _listing(rng: random.Random, b: dict, j: int) -> dict:
    long_form = dict(SUFFIXES) | {k: v for k, v in DIRS if k}
    out = dict(b)
    out["address"] = " ".join(
        long_form.get(w, w) if rng.random() < 0.5 else w for w in b["address"].split()
    )
    digits = "".join(c for c in b["phone"] if c.isdigit())
    if digits:
        out["phone"] = rng.choice(["{}-{}-{}", "{}.{}.{}", "+1 {} {} {}"]).format(
            digits[:3], digits[3:6], digits[6:]
        )
    roll = rng.random()
    if roll < 0.08:
        out["phone"] = out["phone"][:-1] + "7" if out["phone"] else "555-0100"
    elif roll < 0.14:
        out["zip"] = f"{(int(b['zip']) + 1) % 100000:05d}"
    elif roll < 0.2:
        out["name"] = rng.choice(ODD) + b["name"]
    elif roll < 0.25:
        out["city"], out["state"], out["zip"] = "", "", ""
        out["address"] = f"{out['address']}, {b['city']}, {b['state']} {b['zip']}"
    elif roll < 0.3:
        out["hours"] = rng.choice(HOURS)
    elif roll < 0.33:
        out["status"] = rng.choice(["Permanently closed", "open", "Temporarily closed"])
    elif roll < 0.36:
        out["website"] = ""
        out["name"] = b["name"].upper()
    out["listing_id"] = f"l{j}"
    out["source"] = rng.choice(["yelp", "bbb", "foursquare", "", "dir-ç"])
    out["url"] = rng.choice(["", f"https://dir.example/{j}"])
    return out


def write_inputs(folder: Path, seed: int = SEED) -> tuple[Path, Path]:
    rng = random.Random(seed)
    businesses = [_business(rng, i) for i in range(N_BUSINESSES)]
    strangers = [_business(rng, 10_000 + i) for i in range(15)]  # nobody's listing
    rows = []
    for j in range(N_LISTINGS):
        roll = rng.random()
        b = rng.choice(strangers if roll < 0.04 else businesses)
        row = _listing(rng, b, j)
        row["business_id"] = "" if roll < 0.5 else b["id"]
        if 0.5 <= roll < 0.51:
            row["business_id"] = "b-unknown"  # a row problem, not judged
        rows.append(row)
    rows += [dict(rows[k], listing_id=f"dup{k}") for k in range(0, N_LISTINGS, 7)]  # repeats
    canonical, listings = folder / "canonical.csv", folder / "listings.csv"
    for path, header, items in ((canonical, HEADER, businesses), (listings, LISTING_HEADER, rows)):
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, header, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(items)
    return canonical, listings


def run(folder: Path, fmt: str, workers: int) -> tuple[bytes, list[str]]:
    """The bytes compare writes in `fmt`, and the rows it stored."""
    canonical, listings = folder / "canonical.csv", folder / "listings.csv"
    businesses, problems = read_records(canonical, "canonical")
    records, more = read_records(listings, "listings")
    out, db = folder / f"out-{fmt}-{workers}", folder / f"store-{fmt}-{workers}.db"
    run_compare(businesses, records, problems + more, str(listings), fmt, str(out), str(db),
                str(canonical), workers=workers)  # fmt: skip
    return out.read_bytes(), dump(db, folder)


def dump(path: Path, folder: Path) -> list[str]:
    """Every row of every table and view, sorted, volatile columns masked (and the folder the
    inputs were in)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE 'sqlite%' AND name != '_sqlite_migrations' ORDER BY name")]  # fmt: skip
    lines = []
    for name in names:
        for row in conn.execute(f"SELECT * FROM [{name}]"):
            values = {k: "*" if k in VOLATILE else row[k] for k in row.keys()
                      if (name, k) not in STORED_FOR_VIEWS}  # fmt: skip
            text = json.dumps(values, ensure_ascii=False, sort_keys=True)
            lines.append(f"{name} {text.replace(str(folder), '<inputs>')}")
    conn.close()
    return sorted(lines)


def summary(lines: list[str]) -> dict:
    chunks = [lines[i : i + CHUNK_LINES] for i in range(0, len(lines), CHUNK_LINES)]
    return {
        "lines": len(lines),
        "sha256": _sha("\n".join(lines)),
        "chunks": [_sha("\n".join(c))[:16] for c in chunks],
        "head": lines[:HEAD_LINES],
    }


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n")


def explain(what: str, expected: dict, lines: list[str]) -> str:
    """Where `lines` first differ from what was expected, readably."""
    got = summary(lines)
    for k, (want, have) in enumerate(zip(expected["chunks"], got["chunks"], strict=False)):
        if want != have:
            start = k * CHUNK_LINES
            shown = "\n".join(f"  {start + i + 1}: {line!r}"
                              for i, line in enumerate(lines[start : start + 3]))  # fmt: skip
            head = "\n".join(f"  {line!r}" for line in expected["head"])
            return (f"{what}: first difference within lines {start + 1}-{start + CHUNK_LINES}; "
                    f"now there:\n{shown}\nexpected output began:\n{head}")  # fmt: skip
    return f"{what}: {got['lines']} lines, expected {expected['lines']}"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("compare")
    write_inputs(folder)
    return folder


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture
def small_chunks(monkeypatch):
    """Several chunks per worker, and several batches judged in stages per chunk (and in a
    serial run), so that their order on the way back and across batches is tested."""
    monkeypatch.setattr(audit, "CHUNK", 97)
    monkeypatch.setattr(audit, "STAGE", 41)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("workers", [0, 2], ids=["serial", "forked"])
def test_output_and_store_as_before(inputs, expected, small_chunks, fmt, workers):
    data, rows = run(inputs, fmt, workers)
    want = expected[fmt]
    lines = _lines(data)
    assert _sha("\n".join(lines)) == want["sha256"], explain(f"{fmt}, {workers} workers", want,
                                                             lines)  # fmt: skip
    assert _sha("\n".join(rows)) == expected["store"]["sha256"], explain(
        f"the store after {fmt}, {workers} workers", expected["store"], rows
    )


@pytest.mark.parametrize("routed_for_them", [True, False], ids=["shares", "taken back here"])
def test_listings_routed_by_the_helper_that_read_them_give_the_output_as_before(
    inputs, expected, small_chunks, monkeypatch, tmp_path, routed_for_them
):
    """`napaudit compare` with its listings read by a helper (a large file; here any): the helper
    routes them among the workers (`audit.routed`), each worker takes back its own share and
    this process none. With other workers than those routed for (here: none, the cores being
    busy), this process takes them all back and judges them itself. The output and the store
    are the reference's either way."""
    from napaudit.auditor import records as records_module

    from napaudit.cli import cli

    monkeypatch.setattr(records_module, "ASIDE_FROM", 0)
    aside = records_module.read_aside(inputs / "listings.csv", "listings")
    if aside is None:
        pytest.skip("one usable core, or no fork: no helper reads the listings")
    aside.close()
    workers = usable_cores() if routed_for_them else 0
    monkeypatch.setattr(audit, "PARALLEL_FROM", 0)
    monkeypatch.setattr(audit, "free_cores", lambda *args, **kwargs: workers)
    taken_back = []
    read_back = audit.Routed.records
    monkeypatch.setattr(
        audit.Routed, "records", lambda self: taken_back.append(1) or read_back(self)
    )
    out, db = tmp_path / "out.jsonl", tmp_path / "store.db"
    cli(["compare", str(inputs / "canonical.csv"), str(inputs / "listings.csv"), "--out",
         str(out), "--db", str(db), "--format", "jsonl"], standalone_mode=False)  # fmt: skip
    assert taken_back == ([] if routed_for_them else [1])
    lines = _lines(out.read_bytes())
    assert _sha("\n".join(lines)) == expected["jsonl"]["sha256"], explain("jsonl, routed",
                                                                         expected["jsonl"], lines)  # fmt: skip
    rows = dump(db, inputs)
    assert _sha("\n".join(rows)) == expected["store"]["sha256"], explain(
        "the store, routed", expected["store"], rows
    )


@pytest.mark.parametrize("helper_done", [False, True], ids=["helper busy", "helper done"])
def test_the_identification_index_is_made_once_while_the_helper_reads_or_after(
    inputs, expected, monkeypatch, tmp_path, helper_done
):
    """While the helper still reads the listings, `napaudit compare` makes the identification
    index from the businesses (`audit.warm`) before it takes them, and hands it on; when the
    helper is done already, compare_records makes it. Once either way, and the same output."""
    from napaudit.auditor import records as records_module

    import napaudit.cli as cli_module

    monkeypatch.setattr(records_module, "ASIDE_FROM", 0)
    aside = records_module.read_aside(inputs / "listings.csv", "listings")
    if aside is None:
        pytest.skip("one usable core, or no fork: no helper reads the listings")
    aside.close()
    monkeypatch.setattr(records_module.Aside, "ready", lambda self: helper_done)
    events = []

    class Counted(audit.Identifier):
        def __init__(self, businesses):
            events.append("index made")
            super().__init__(businesses)

    compare_records = cli_module.compare_records

    def recorded(*args, **kwargs):
        events.append("compare_records")
        return compare_records(*args, **kwargs)

    monkeypatch.setattr(audit, "Identifier", Counted)
    monkeypatch.setattr(cli_module, "compare_records", recorded)
    out = tmp_path / "out.jsonl"
    cli_module.cli(["compare", str(inputs / "canonical.csv"), str(inputs / "listings.csv"),
                    "--out", str(out), "--db", str(tmp_path / "store.db"), "--format", "jsonl"],
                   standalone_mode=False)  # fmt: skip
    if helper_done:
        assert events == ["compare_records", "index made"]
    else:
        assert events == ["index made", "compare_records"]
    lines = _lines(out.read_bytes())
    assert _sha("\n".join(lines)) == expected["jsonl"]["sha256"], explain(
        "jsonl", expected["jsonl"], lines
    )


def test_reference_covers_what_it_should(expected):
    """The input reaches every kind of result: else the comparison proves little."""
    jsonl = [json.loads(line) for line in expected["jsonl"]["head"]]
    assert jsonl and all("fields" in obj for obj in jsonl)
    statuses = expected["statuses"]
    assert {"match", "variant", "mismatch", "missing", "given", "identified", "unmatched"} <= set(
        statuses
    ), statuses


def write_reference(folder: Path) -> dict:
    write_inputs(folder)
    reference: dict = {}
    for fmt in FORMATS:
        data, rows = run(folder, fmt, 0)
        reference[fmt] = summary(_lines(data))
        reference["store"] = summary(rows)
    statuses: set[str] = set()
    for line in (folder / "out-jsonl-0").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        statuses.add(obj["linked_by"] or "unmatched")
        statuses.update(v["status"] for v in obj["fields"].values())
    reference["statuses"] = sorted(statuses)
    return reference


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        EXPECTED.parent.mkdir(parents=True, exist_ok=True)
        EXPECTED.write_text(json.dumps(write_reference(Path(tmp)), indent=1, ensure_ascii=False)
                            + "\n", encoding="utf-8")  # fmt: skip


def _boom(result):
    raise ValueError(f"cannot encode {result.listing.id}")


def test_normalizing_in_stages_gives_each_record_its_own_values(inputs):
    """normalize_records (street lines, then phones, then the rest) gives each record what
    normalize_record gives it alone, in the same order."""
    from napaudit.auditor.normalize.record import normalize_record, normalize_records

    businesses, _ = read_records(inputs / "canonical.csv", "canonical")
    listings, _ = read_records(inputs / "listings.csv", "listings")
    records = businesses + listings
    staged = normalize_records(records)
    assert len(staged) == len(records)
    assert all(n.record is r for n, r in zip(staged, records, strict=True))
    assert staged == [normalize_record(r) for r in records]


def test_a_records_normalized_json_is_what_json_dumps_writes_of_its_values(inputs):
    """Normalized.json writes the store's normalized column without building as_dict: the same
    text as json.dumps(as_dict()), for every record of the generated input (accents, units,
    hours, formula-like cells, empty fields) and for values of other types than declared."""
    from napaudit.auditor.normalize.record import normalize_records

    businesses, _ = read_records(inputs / "canonical.csv", "canonical")
    listings, _ = read_records(inputs / "listings.csv", "listings")
    found = normalize_records(businesses + listings)
    assert any(n.address.units for n in found) and any(n.hours.week for n in found)
    for n in found:
        assert n.json() == json.dumps(n.as_dict(), ensure_ascii=False)
    n = next(n for n in found if n.address.units and not n.hours.week)
    odd = [
        dataclasses.replace(n, address=dataclasses.replace(n.address, units=(("STE",),))),
        dataclasses.replace(n, address=dataclasses.replace(n.address, number=None)),
        dataclasses.replace(n, address=dataclasses.replace(n.address, notes=("c/o", 'a "b"'))),
        dataclasses.replace(n, phone=dataclasses.replace(n.phone, valid=1)),
        dataclasses.replace(n, zip5="", zip4="1234"),
        dataclasses.replace(n, city_key="Zürich\u2028", state=None),
        dataclasses.replace(n, values={**n.values, "categories": ["a", 2]}),
        dataclasses.replace(n, values={**n.values, "status": {"open": True}}),
        dataclasses.replace(n, values={**n.values, "status": None, "categories": ()}),
    ]
    for n in odd:
        assert n.json() == json.dumps(n.as_dict(), ensure_ascii=False)


def test_rejudge_in_small_batches_gives_the_verdicts_compare_gave(inputs, monkeypatch, tmp_path,
                                                                    capsys):  # fmt: skip
    """rejudge judges a run's listings a batch at a time, in stages (normalized, linked,
    judged): with batches of 7, every verdict is still the one compare gave its listing."""
    import napaudit.auditor.judging as judging

    import napaudit.cli as cli_module

    monkeypatch.setattr(judging, "BATCH", 7)
    db = str(tmp_path / "a.db")
    cli_module.cli(["compare", str(inputs / "canonical.csv"), str(inputs / "listings.csv"),
                    "--out", str(tmp_path / "o.jsonl"), "--db", db], standalone_mode=False)  # fmt: skip
    conn = sqlite3.connect(db)
    given = conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    conn.close()
    capsys.readouterr()
    cli_module.cli(["rejudge", "--db", db], standalone_mode=False)
    said = capsys.readouterr().out
    assert f"Re-judged run 1 as run 2: {given} verdicts, 0 changed." in said


def test_a_worker_error_reaches_the_caller(inputs):
    businesses, _ = read_records(inputs / "canonical.csv", "canonical")
    records, _ = read_records(inputs / "listings.csv", "listings")
    _, encoded, _ = audit.compare_records(businesses, records, workers=2, encode=_boom)
    with pytest.raises(ValueError, match="cannot encode"):
        next(iter(encoded))


def test_the_workers_start_at_once_and_stop_when_their_results_are_dropped(inputs):
    """compare_records forks its workers before returning, so that they judge while the caller
    stores the businesses; results dropped unread (the caller failed first) stop them."""
    import multiprocessing

    businesses, _ = read_records(inputs / "canonical.csv", "canonical")
    records, _ = read_records(inputs / "listings.csv", "listings")
    gate = multiprocessing.get_context("fork").Event()  # never set: the workers stay until stopped

    def held(result):
        gate.wait()
        return _boom(result)

    assert multiprocessing.active_children() == []
    _, encoded, _ = audit.compare_records(businesses, records, workers=2, encode=held)
    time.sleep(0.2)  # long enough for a worker that ran on to its end (~0.08 s) to be gone
    assert len(multiprocessing.active_children()) == 2
    del encoded
    assert multiprocessing.active_children() == []
    assert audit._SHARED == {}


def test_the_collector_is_off_from_reading_to_storing_and_on_after(inputs, monkeypatch, tmp_path):
    """`napaudit compare` reads, normalizes and stores with the cyclic collector off (its
    objects hold no cycles; collections of the growing heap freed nothing and took a quarter of
    reading and normalizing), and turns it on again when it is done, failed or not."""
    import napaudit.cli as cli_module

    seen = []
    read, run = cli_module.read_records, cli_module.run_compare

    def reading(*args, **kwargs):
        seen.append(("read", gc.isenabled()))
        return read(*args, **kwargs)

    def comparing(*args, **kwargs):
        seen.append(("compare", gc.isenabled()))
        return run(*args, **kwargs)

    monkeypatch.setattr(cli_module, "read_records", reading)
    monkeypatch.setattr(cli_module, "run_compare", comparing)
    canonical, listings = str(inputs / "canonical.csv"), str(inputs / "listings.csv")
    assert gc.isenabled()
    cli_module.cli(["compare", canonical, listings, "--out", str(tmp_path / "o.jsonl"),
                    "--db", str(tmp_path / "a.db")], standalone_mode=False)  # fmt: skip
    assert seen == [("read", False), ("read", False), ("compare", False)]
    assert gc.isenabled()
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the failure, it is on again
        cli_module.cli(["compare", canonical, str(tmp_path / "missing.csv")],
                       standalone_mode=False)  # fmt: skip
    assert gc.isenabled()


def test_the_commands_reading_a_large_run_work_with_the_collector_off_and_turn_it_on_after(
    inputs, monkeypatch, tmp_path
):
    """`report`, `changes` and `rejudge` build the run's listings, verdicts and report from the
    store with the cyclic collector off, as compare does (on bench/compare.py's run, 11-31 %
    of their time went to collections that freed nothing: bench/reading.py), and turn it on
    again after, failed or not."""
    import napaudit.auditor.judging as judging
    import napaudit.reports.build as build
    import napaudit.reports.changes as changes
    import napaudit.reports.render as render
    from napaudit.auditor.history import History
    from napaudit.auditor.store import Store

    import napaudit.cli as cli_module

    canonical, listings = str(inputs / "canonical.csv"), str(inputs / "listings.csv")
    db = str(tmp_path / "a.db")
    for _ in range(2):  # two runs, so that `changes` has one to compare with
        cli_module.cli(["compare", canonical, listings, "--out", str(tmp_path / "o.jsonl"),
                        "--db", db], standalone_mode=False)  # fmt: skip
    seen = []

    def watching(module, name):
        inner = getattr(module, name)

        def watched(*args, **kwargs):
            seen.append((name, gc.isenabled()))
            return inner(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)

    for module, name in ((build, "build"), (render, "write_json"), (changes, "_snapshot"),
                         (judging, "normalize_records"), (History, "stored")):  # fmt: skip
        watching(module, name)

    def run(*args):
        assert gc.isenabled()
        seen.clear()
        cli_module.cli([*args, "--db", db], standalone_mode=False)
        assert gc.isenabled()
        return dict(seen)

    out = str(tmp_path / "report")
    assert run("report", "--format", "json", "--out", out) == {"build": False, "write_json": False}
    assert json.loads((tmp_path / "report" / "report.json").read_text())["businesses"]
    assert run("changes") == {"_snapshot": False}
    seen.clear()  # the changes a batch's alerts read
    assert changes.run_changes(db, 2).businesses
    assert gc.isenabled() and dict(seen) == {"_snapshot": False}
    assert run("rejudge") == {"normalize_records": False, "stored": False}
    store = Store(db)  # judge_run as an audit calls it once its crawl is stored
    new = store.start_run("rejudge", {})
    store.copy_history(1, new)
    seen.clear()
    assert sum(judging.judge_run(store, new).values()) > 0
    assert gc.isenabled() and dict(seen) == {"normalize_records": False}
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the failure, it is on again
        run("report", "--run", "99", "--out", out)
    assert gc.isenabled()


def test_listings_of_one_business_go_to_one_worker(inputs):
    businesses, _ = read_records(inputs / "canonical.csv", "canonical")
    records, _ = read_records(inputs / "listings.csv", "listings")
    by_id = {b.id: b for b in businesses}
    records = [r for r in records if r.business_id is None or r.business_id in by_id]
    chosen = audit.route(records, by_id, 2)
    workers_of: dict[str, set[int]] = {}
    for rec, w in zip(records, chosen, strict=True):
        if rec.business_id:
            workers_of.setdefault(rec.business_id, set()).add(w)
    assert all(len(w) == 1 for w in workers_of.values())
    assert 0.3 < chosen.count(0) / len(chosen) < 0.7
    same = [dataclasses.replace(r, business_id=None, phone="(312) 555-0100") for r in records]
    dealt = audit.route(same, by_id, 2)  # one phone for all: dealt out in turn instead
    assert dealt.count(0) == pytest.approx(len(same) / 2, abs=audit.CHUNK)


def test_free_cores_is_at_most_the_usable_cores():
    assert 0 <= audit.free_cores(0.05) <= len(os.sched_getaffinity(0))


def test_usable_cores_are_the_allowed_ones_else_the_machines(monkeypatch):
    """A container or `taskset` may allow fewer cores than the machine has: those count. Where
    the system keeps no affinity, every core does; never fewer than one."""
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert usable_cores() == 1
    monkeypatch.setattr(audit, "cpu_snapshot", lambda: ([0, 0, 0, 800, 0], 0.0, 1.0))
    idle_machine = audit.free_cores(0.2, since=([0, 0, 0, 0, 0], 0.0, 0.0))
    assert idle_machine == 1  # eight idle cores, one of them allowed: compare judges here
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert usable_cores() == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert usable_cores() == 1


@pytest.mark.parametrize(
    "machine, own, free",
    [((100, 0, 0, 100, 0), 1.0, 2),  # this process on one core, the other idle
     ((200, 0, 0, 0, 0), 1.0, 1),  # another job keeps the other core busy
     ((100, 0, 100, 0, 0), 0.0, 0),  # this process waited, other jobs kept both busy
     ((0, 0, 0, 200, 0), 0.0, 2)],  # nothing ran
)  # fmt: skip
def test_free_cores_over_work_of_its_own_counts_that_work_as_free(monkeypatch, machine, own, free):
    """Read over the businesses' normalizing (one second of a 2-core machine here, in jiffies:
    user, nice, system, idle, iowait), the core this process kept busy is still its to use."""
    monkeypatch.setattr(audit.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(audit.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(audit, "cpu_snapshot", lambda: (list(machine), own, 1.0))
    assert audit.free_cores(0.2, since=([0, 0, 0, 0, 0], 0.0, 0.0)) == free


TEXTS = ["plain", 'a "quote" and a \\ backslash', "line\nbreak\ttab\r", "\x00\x1f\x7f control",
         "café ☕ 𝄞", "\ud800 lone surrogate", "=1+1", "", "\u2028\u2029", None]  # fmt: skip


def test_a_json_line_is_the_text_json_dumps_writes():
    """compare's JSON and JSON Lines write each verdict from its strings, for speed: whatever the
    strings hold (quotes, control characters, surrogates, a value that is not text, two verdicts
    on one field), a line is what json.dumps writes of the same object."""
    rng = random.Random(5)
    fields = ["name", "address", "city", "phone", "website", "hours"]
    for i in range(300):
        verdicts = [Verdict(f, *(rng.choice(TEXTS[:-1]) for _ in range(5)), "level")
                    for f in rng.sample(fields, rng.randint(0, len(fields)))]  # fmt: skip
        if i % 10 == 1 and verdicts:
            verdicts[0] = verdicts[0]._replace(canonical=None)
        if i % 10 == 2 and verdicts:
            verdicts.append(verdicts[0]._replace(reason="judged twice"))
        match = rng.choice([None, Match("b1", 0.93, "b1", ["same phone", rng.choice(TEXTS)]),
                            Match(None, 0.41, rng.choice(TEXTS), ["only the ZIP"])])  # fmt: skip
        business = None
        if match is None or match.business_id:
            business = SimpleNamespace(record=SimpleNamespace(id=rng.choice(TEXTS)))
        listing = SimpleNamespace(id=f"l{i}", source=rng.choice(TEXTS), url=rng.choice(TEXTS),
                                  business_id=rng.choice([None, "b1"]))  # fmt: skip
        result = Result(listing, "{}", match, business, verdicts)
        expected = json.dumps(listing_object(result), ensure_ascii=False)
        assert listing_json(result) == expected
        # as compare writes it: the verdicts' strings encoded once, for the line and the check
        assert listing_json(result, verdict_strings(verdicts)) == expected
        if any("\ud800" in str(value) for v in verdicts for value in v):
            continue  # not storable: compare's reading refuses such text (test_input_bounds)
        check = checked("listing", "business", verdicts, verdict_strings(verdicts))
        assert check == checked("listing", "business", verdicts)
        assert check[1] == json.dumps([list(v) for v in verdicts], ensure_ascii=False)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text() | st.integers() | st.floats() | st.none(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON_VALUES)
def test_json_text_is_what_json_dumps_writes(value):
    """The store's JSON and compare's lines come from json_text, the C encoder called directly:
    the same text as json.dumps(value, ensure_ascii=False) for any value (NaN, surrogates,
    non-string keys included)."""
    assert json_text(value) == json.dumps(value, ensure_ascii=False)


def test_json_text_refuses_what_json_dumps_refuses():
    loop: list = []
    loop.append(loop)
    for value in (loop, {"x": object()}, {(1, 2): 3}, {"a": {1, 2}}):
        with pytest.raises((TypeError, ValueError)) as theirs:
            json.dumps(value, ensure_ascii=False)
        with pytest.raises(theirs.type, match=re.escape(str(theirs.value))):
            json_text(value)
    assert json_text({"after": "a refusal"}) == '{"after": "a refusal"}'  # nothing left over
    inner = {"a": [1, object()]}  # refused inside a dict and a list: the same ones, fixed, pass
    with pytest.raises(TypeError):
        json_text(inner)
    inner["a"][1] = 2
    assert json_text(inner) == '{"a": [1, 2]}'


def test_a_compare_that_fails_midway_keeps_what_it_committed(inputs, monkeypatch, tmp_path):
    """Results are stored FLUSH_EVERY to a transaction, INSERT_EVERY at a time: a run that fails
    keeps the transactions committed before the failure, none of the one it was in, and is
    marked failed."""
    import napaudit.auditor.store as store_module

    import napaudit.cli as cli_module

    monkeypatch.setattr(store_module, "FLUSH_EVERY", 100)
    monkeypatch.setattr(store_module, "INSERT_EVERY", 30)
    encoder = cli_module._encoder
    calls = []

    def failing(fmt):
        encode = encoder(fmt)

        def encoding(r):
            calls.append(1)
            if len(calls) == 251:
                raise ValueError("the disk went away")
            return encode(r)

        return encoding

    monkeypatch.setattr(cli_module, "_encoder", failing)
    businesses, _ = read_records(inputs / "canonical.csv", "canonical")
    records, _ = read_records(inputs / "listings.csv", "listings")
    db = tmp_path / "a.db"
    with pytest.raises(ValueError, match="the disk went away"):
        run_compare(businesses, records, [], "listings.csv", "jsonl", str(tmp_path / "o.jsonl"),
                    str(db), "canonical.csv", workers=0)  # fmt: skip
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM run_listings").fetchone() == (200,)
        assert conn.execute("SELECT status FROM runs").fetchall() == [("failed",)]
