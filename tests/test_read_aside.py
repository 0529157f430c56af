"""A large listings file is read by a forked helper while compare reads and normalizes the
businesses (`auditor.records.read_aside`, issue 15). What comes back is what reading it here
gives, record for record, and a file the helper cannot read fails as it fails here."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time

import pytest
from napaudit.auditor import audit, records
from napaudit.auditor.records import read_aside, read_records

from napaudit.cli import cli

CLIENTS = (
    "id,name,address,city,state,zip,phone\n"
    "b1,Blue Fin Café,570 N Main St,Costa Mesa,CA,92626,(714) 555-0101\n"
    "b2,Copper Kettle,12 Harbor Blvd,Chicago,IL,60601,(312) 555-0102\n"
)
LISTINGS = (
    "listing_id,source,business_id,name,address,city,state,zip,phone,website,Notes\n"
    "l1,yelp,b1,Blue Fin Cafe,570 North Main Street,Costa Mesa,CA,92626,714-555-0101,,=cmd\n"
    "l2,bing,,Copper Kettle LLC,12 Harbor Blvd.,Chicago,IL,60601,+1 312 555 0102,,\n"
    ",bing,,No Id,1 Elm St,Chicago,IL,60601,,,\n"
    "l2,bing,,Copper Kettle again,12 Harbor Blvd,Chicago,IL,60601,,,\n"
    "l3,yp,b9,Somebody Else,9 Oak Rd,Chicago,IL,60601,(312) 555-0199,,\n"
    'l4,yp,b2,Copper  Kettle,"12 Harbor Blvd, Suite 200",Chicago,IL,60601,(312) 555-0102,,\n'
)
LISTINGS_JSONL = "".join(
    json.dumps(row, ensure_ascii=False) + "\n"
    for row in (
        {"listing_id": "j1", "business_id": "b1", "name": "Blue Fin Café", "zip": 92626,
         "hours": [{"@type": "OpeningHoursSpecification", "dayOfWeek": "Monday",
                    "opens": "09:00", "closes": "17:00"}]},
        {"listing_id": "j2", "name": "Niño", "categories": ["Cafe", "Bakery"]},
        {"listing_id": "j3", "phone": True},
    )
)  # fmt: skip


@pytest.fixture
def aside_always(monkeypatch):
    """Every file read aside, however small, where the machine lets it be."""
    monkeypatch.setattr(records, "ASIDE_FROM", 0)
    aside = read_aside(__file__, "listings")
    if aside is None:
        pytest.skip("no second core or no fork here: nothing is read aside")
    aside.close()  # only asked whether it would be


@pytest.mark.parametrize("name, text", [("l.csv", LISTINGS), ("l.jsonl", LISTINGS_JSONL)])
def test_records_read_aside_are_those_read_here(aside_always, write, name, text):
    path = write(name, text)
    here = read_records(path, "listings")
    assert here[0] and here[1]  # records, and rows skipped
    assert read_aside(path, "listings").result() == here


def test_a_helper_that_dies_leaves_the_reading_to_this_process(aside_always, monkeypatch, write):
    monkeypatch.setattr(records, "_read_aside", lambda *args: os._exit(3))
    path = write("l.csv", LISTINGS)
    assert read_aside(path, "listings").result() == read_records(path, "listings")
    assert multiprocessing.active_children() == []


def _tally(records_read, problems):
    return [r.id for r in records_read], [p.line for p in problems], os.getpid()


def test_what_the_helper_makes_of_the_records_comes_back(aside_always, monkeypatch, write):
    """`prepare` runs in the helper on what it read, and what it makes comes back; a helper
    that dies leaves both the reading and `prepare` to this process."""
    path = write("l.csv", LISTINGS)
    ids, lines, pid = read_aside(path, "listings", _tally).result()
    assert (ids, lines) == _tally(*read_records(path, "listings"))[:2]
    assert ids and lines and pid != os.getpid()
    monkeypatch.setattr(records, "_read_aside", lambda *args: os._exit(3))
    assert read_aside(path, "listings", _tally).result() == _tally(*read_records(path, "listings"))
    assert multiprocessing.active_children() == []


def test_one_allowed_core_reads_here(monkeypatch, write):
    """A container or `taskset` allowing this process one core: no helper, however large the
    file, even on a machine of many cores."""
    monkeypatch.setattr(records, "ASIDE_FROM", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    if hasattr(os, "sched_getaffinity"):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})
    else:
        monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert read_aside(write("l.csv", LISTINGS), "listings") is None


def test_a_small_file_is_read_here(write, tmp_path):
    assert read_aside(write("l.csv", LISTINGS), "listings") is None
    assert read_aside(tmp_path / "nope.csv", "listings") is None  # read_records names the error


def run(runner, tmp_path, clients, listings, tag):
    out, db = tmp_path / f"out-{tag}.jsonl", tmp_path / f"{tag}.db"
    result = runner.invoke(cli, ["compare", str(clients), str(listings), "--out", str(out),
                                 "--db", str(db)])  # fmt: skip
    return result, out


def test_a_bad_businesses_file_says_one_line_and_starts_no_helper(aside_always, write, tmp_path):
    """The businesses are read before the helper that reads the listings starts (it routes
    them by the businesses): their error ends the run as before (exit 2, one line, nothing
    stored), with no helper left behind, and nothing from it on stderr (the terminal's: hence
    a process of its own here, not CliRunner)."""
    # the error at the end of a long file
    rows = "".join(f"b{i},Acme {i}\n" for i in range(60_000))
    clients = write("c.csv", ("id,name\n" + rows + "b0,Acme\x00\n").encode())
    listings = write("l.csv", LISTINGS * 500)
    code = ("import sys; from napaudit.auditor import records; records.ASIDE_FROM = 0; "
            "from napaudit.cli import cli; cli(sys.argv[1:])")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code, "compare", str(clients), str(listings),
                           "--db", str(tmp_path / "bad.db")],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Error: {clients}, line 60002: not CSV or JSON (binary data)"
    ]
    assert not (tmp_path / "bad.db").exists()


class _Counting(records.Aside):
    made: list = []  # noqa: RUF012 - reset by each test that uses it

    def __init__(self, path, kind, prepare=None):
        _Counting.made.append((path, kind))
        super().__init__(path, kind, prepare)


def test_compare_writes_the_same_with_the_listings_read_aside(aside_always, runner, write,
                                                               tmp_path, monkeypatch):  # fmt: skip
    clients, listings = write("c.csv", CLIENTS), write("l.csv", LISTINGS)
    monkeypatch.setattr(records, "ASIDE_FROM", 1 << 62)
    here, here_out = run(runner, tmp_path, clients, listings, "here")
    monkeypatch.setattr(records, "ASIDE_FROM", 0)
    monkeypatch.setattr(records, "Aside", _Counting)
    _Counting.made = []
    aside, aside_out = run(runner, tmp_path, clients, listings, "aside")
    assert _Counting.made == [(str(listings), "listings")]
    assert here.exit_code == aside.exit_code == 0, here.output + aside.output
    assert aside_out.read_bytes() == here_out.read_bytes()
    assert aside.stderr.replace("aside.db", "here.db") == here.stderr  # rows skipped alike
    assert "line 4" in here.stderr and "'b9'" in here.stderr


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_the_cpu_a_reaped_helper_spent_counts_as_this_compares_own():
    """free_cores counts what compare's own processes spent in its window as idle: the helper
    that read the listings on the other core included, once it has ended and been reaped."""
    before = audit.cpu_snapshot()
    if before is None:
        pytest.skip("no /proc/stat")
    helper = multiprocessing.get_context("fork").Process(target=_burn, args=(0.3,))
    helper.start()
    helper.join()
    after = audit.cpu_snapshot()
    assert after[1] - before[1] >= 0.25


def _aside_in_a_daemon(path: str, answer) -> None:
    answer.put(records.read_aside(path, "listings") is None)


def test_a_daemonic_process_reads_its_file_itself(aside_always, write):
    """A daemonic process may not start one of its own: there, the file is read in place."""
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    process = context.Process(target=_aside_in_a_daemon, args=(str(write("l.csv", LISTINGS)),
                                                               answer), daemon=True)  # fmt: skip
    process.start()
    assert answer.get(timeout=30) is True
    process.join()
