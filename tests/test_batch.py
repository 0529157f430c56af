"""`napaudit batch`: many clients in one crawl, a line per business, and --resume after Ctrl-C
ending with exactly what an uninterrupted run stores."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from napaudit.sampleweb.generated import (
    GeneratedWeb,
    answerable_sources,
    businesses,
    keys_env,
    stored,
    write_clients,
)
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import serving

BUSINESSES = 30


def batch(web, clients: Path, db: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "napaudit", "batch", str(clients), "--sources",
         ",".join(web.sources), "--db", str(db), "--delay", "0", "--timeout", "5",
         "--report", str(db.parent / "report"), *cli_args(web.base_url), *more],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, **keys_env()},
    )  # fmt: skip


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    gen = businesses(BUSINESSES)
    clients = write_clients(folder / "clients.csv", gen)
    with serving(GeneratedWeb(gen, answerable_sources(), latency=0.03)) as web:
        yield web, clients, folder


def test_batch_prints_a_line_per_business_and_a_summary(generated):
    web, clients, folder = generated
    (folder / "plain").mkdir(exist_ok=True)
    done = batch(web, clients, folder / "plain" / "a.db")
    out, err = done.communicate(timeout=600)
    assert done.returncode == 0, err[-3000:]
    assert any(line.startswith("g1: ") and "listings checked" in line for line in err.splitlines())
    assert sum(1 for line in err.splitlines() if "listings checked" in line) == BUSINESSES
    assert "Stored as run 1" in out and "Report:" in out
    listings, _ = stored(folder / "plain" / "a.db")
    by_source = {}
    for _, source, _, outcome, _ in listings:
        by_source.setdefault(source, set()).add(outcome)
    # every source answered (the API ones through their mock, with a key), every business found
    assert by_source == {source: {"ok"} for source in web.sources}


def test_resume_after_ctrl_c_stores_what_an_uninterrupted_run_does(generated):
    web, clients, folder = generated
    for name in ("whole", "cut"):
        (folder / name).mkdir(exist_ok=True)
    start = len(web.hits)
    whole = batch(web, clients, folder / "whole" / "a.db")
    assert whole.wait(timeout=600) == 0, whole.stderr.read()[-3000:]
    expected = stored(folder / "whole" / "a.db")
    whole_hits = len(web.hits) - start

    cut_db = folder / "cut" / "a.db"
    start = len(web.hits)
    cut = batch(web, clients, cut_db)
    while cut.poll() is None and len(web.hits) - start < whole_hits // 3:
        time.sleep(0.02)
    cut.send_signal(signal.SIGINT)  # Ctrl-C a third of the way
    said = cut.stderr.readlines()
    assert cut.wait(timeout=120) == 130, "".join(said)[-3000:]
    assert "continue it with --resume" in said[-1]
    assert 0 < _count(cut_db) < len(expected[0])
    cut_hits = len(web.hits) - start

    start = len(web.hits)
    resumed = batch(web, clients, cut_db, "--resume")
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err[-3000:]
    assert stored(cut_db) == expected  # nothing lost, nothing doubled
    con = sqlite3.connect(cut_db)
    assert con.execute("select count(*), max(status) from runs").fetchone() == (1, "done")
    # the resumed run fetched what was left, not everything again
    resumed_hits = len(web.hits) - start
    assert resumed_hits < whole_hits
    assert cut_hits + resumed_hits <= 1.25 * whole_hits


def _count(db: Path) -> int:
    try:
        return sqlite3.connect(db).execute("select count(*) from run_listings").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.parametrize("order", [("shutdown", "finished"), ("finished", "shutdown")])
def test_one_spider_stopped_early_makes_the_whole_run_interrupted(order):
    from napaudit.spiders.crawl import _merged

    merged = _merged([{"finish_reason": r, "item_scraped_count": 2} for r in order])
    assert merged == {"finish_reason": "shutdown", "item_scraped_count": 4}
