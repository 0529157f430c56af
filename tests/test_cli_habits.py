"""What scripts and terminals rely on: -q and -v, --json summaries, the exit codes (0 done, 2
bad input, 3 done but some listings not checked, 4 environment), CSV for Excel, and no Scrapy
traceback or deprecation warning on a user's terminal."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import SampleWeb, serving, write_demo_targets

from napaudit.cli import cli

CLIENTS = ROOT / "data" / "samples" / "clients.csv"
LISTINGS = ROOT / "data" / "samples" / "listings.csv"


def napaudit(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "napaudit", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)  # fmt: skip


def test_quiet_keeps_only_the_result(runner, tmp_path):
    loud = runner.invoke(cli, ["compare", str(CLIENTS), str(LISTINGS), "--db",
                               str(tmp_path / "a.db")])  # fmt: skip
    quiet = runner.invoke(cli, ["compare", str(CLIENTS), str(LISTINGS), "--db",
                                str(tmp_path / "a.db"), "-q"])  # fmt: skip
    assert loud.exit_code == quiet.exit_code == 0
    assert "Stored as run 1" in loud.stderr and quiet.stderr == ""
    assert quiet.stdout == loud.stdout  # the findings themselves are the result


def test_csv_for_excel_starts_with_a_byte_order_mark(runner, tmp_path):
    for excel in (False, True):
        out = tmp_path / f"f{excel}.csv"
        args = ["compare", str(CLIENTS), str(LISTINGS), "--format", "csv", "--out", str(out),
                "--db", str(tmp_path / "a.db"), *(["--excel"] if excel else [])]  # fmt: skip
        assert runner.invoke(cli, args).exit_code == 0
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") is excel
        rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
        assert rows and "field" in rows[0]


def _targets(web, folder, keep: set[tuple[str, str]]):
    """The demo's listing URLs, only the (business, source) pairs named."""
    urls = folder / "all.csv"
    write_demo_targets(web, urls)
    rows = list(csv.DictReader(urls.open(encoding="utf-8")))
    chosen = folder / "urls.csv"
    with chosen.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["business_id", "source", "url"])
        writer.writeheader()
        writer.writerows(r for r in rows if (r["business_id"], r["source"]) in keep)
    return chosen


@pytest.fixture(scope="module")
def web():
    with serving(SampleWeb.from_manifest(hang_seconds=4)) as served:
        yield served


@pytest.mark.parametrize(
    ("sources", "code"),
    [
        ({("harbor-lane", "superpages")}, 0),
        ({("harbor-lane", "superpages"), ("arts-deli", "yelp")}, 3),
    ],
)
def test_json_summary_and_the_exit_code_say_whether_everything_was_checked(
    web, tmp_path, sources, code
):
    urls = _targets(web, tmp_path, sources)
    done = napaudit("audit", str(CLIENTS), "--listings", str(urls), "--db", str(tmp_path / "a.db"),
                    "--delay", "0", "--timeout", "2", "--report", str(tmp_path / "r"), "--json",
                    *cli_args(web.base_url))  # fmt: skip
    assert done.returncode == code, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert summary["exit_code"] == code and summary["status"] == "done"
    assert summary["run_id"] == 1 and summary["report"].endswith("index.html")
    assert {b["business_id"] for b in summary["businesses"]} >= {"harbor-lane"}
    assert summary["listings"].get("blocked", 0) == (1 if code == 3 else 0)
    # no progress line, table or Scrapy log line in a --json run: only the object
    assert "listings checked" not in done.stderr and "scrapy" not in done.stderr.lower()


def test_default_output_has_no_traceback_or_warning_and_v_shows_the_crawl_log(web, tmp_path):
    urls = _targets(web, tmp_path, {("arts-deli", "mapquest")})  # a page that never answers
    base = ["audit", str(CLIENTS), "--listings", str(urls), "--delay", "0", "--timeout", "1",
            *cli_args(web.base_url)]  # fmt: skip
    plain = napaudit(*base, "--db", str(tmp_path / "a.db"), "--report", str(tmp_path / "r"))
    assert plain.returncode in (0, 3), plain.stderr
    for noise in ("Traceback", "Warning", "Gave up retrying", "ERROR"):
        assert noise not in plain.stderr, plain.stderr
    verbose = napaudit(*base, "--db", str(tmp_path / "b.db"), "--report", str(tmp_path / "s"),
                       "-v")  # fmt: skip
    assert "INFO scrapy" in verbose.stderr


def test_another_run_on_the_database_is_exit_4(tmp_path):
    db = tmp_path / "a.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from napaudit.lock import run_lock\n"
         f"with run_lock({str(db)!r}):\n    print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.time()
        done = napaudit("compare", str(CLIENTS), str(LISTINGS), "--db", str(db))
        assert done.returncode == 4
        assert f"another napaudit run holds {db}.lock (pid {holder.pid})" in done.stderr
        assert time.time() - started < 30  # at once, not after a wait
    finally:
        holder.kill()
        holder.wait()
    assert not db.exists()  # refused before anything was opened or written


def test_shell_completion_is_documented_and_works():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "_NAPAUDIT_COMPLETE=bash_source napaudit" in readme
    done = subprocess.run(
        [sys.executable, "-m", "napaudit"], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "_NAPAUDIT_COMPLETE": "bash_source"},
    )  # fmt: skip
    assert "complete -o nosort -F _napaudit_completion napaudit" in done.stdout


def test_a_page_with_more_businesses_than_the_limit_says_how_many_were_left_out(runner, tmp_path):
    places = [
        {"@type": "Dentist", "name": f"Dental Office {i}", "telephone": f"(312) 555-{i:04d}",
         "address": {"@type": "PostalAddress", "streetAddress": f"{i} Elm St",
                     "addressLocality": "Chicago", "addressRegion": "IL", "postalCode": "60601"}}
        for i in range(1, 31)
    ]  # fmt: skip
    page = tmp_path / "directory.html"
    page.write_text('<html><head><script type="application/ld+json">'
                    + json.dumps({"@context": "https://schema.org", "@graph": places})
                    + "</script></head><body></body></html>", encoding="utf-8")  # fmt: skip
    capped = runner.invoke(cli, ["extract", str(page), "--limit", "10"])
    assert capped.exit_code == 0
    assert len(capped.stdout.splitlines()) == 10
    assert "20 more businesses on the page were left out (--limit 10)" in capped.stderr
    whole = runner.invoke(cli, ["extract", str(page), "--limit", "0"])
    assert len(whole.stdout.splitlines()) == 30 and "left out" not in whole.stderr


def test_the_report_csv_for_excel_too(runner, tmp_path):
    db = tmp_path / "a.db"
    assert (
        runner.invoke(cli, ["compare", str(CLIENTS), str(LISTINGS), "--db", str(db)]).exit_code == 0
    )
    done = runner.invoke(cli, ["report", "--db", str(db), "--format", "csv", "--excel", "--out",
                               str(tmp_path / "r")])  # fmt: skip
    assert done.exit_code == 0, done.output
    path = tmp_path / "r" / "fixes.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(path.open(encoding="utf-8-sig")))[0] == "business_id"
