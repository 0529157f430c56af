"""`napaudit batch`: many clients in one crawl, a line per business, and --resume after Ctrl-C
ending with exactly what an uninterrupted run stores."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, ctrl_c
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
         ",".join(web.sources), "--db", str(db), "--delay", "0", "--timeout", "30",
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
    ctrl_c(batch(web, clients, cut_db), web, whole_hits // 3)  # a third of the way
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


def test_compare_on_the_database_of_a_running_batch_waits_its_turn(generated):
    """A collision: `compare` on the database a batch is writing is refused at once (exit 4),
    and the batch stores exactly what it stores alone."""
    web, clients, folder = generated
    (folder / "collide").mkdir(exist_ok=True)
    db = folder / "collide" / "a.db"
    running = batch(web, clients, db)
    while running.poll() is None and _count(db) < 20:
        time.sleep(0.05)
    listings = folder / "collide" / "listings.csv"
    listings.write_text("listing_id,name,phone\nL1,Anything,(312) 555-0100\n")
    other = subprocess.run(
        [sys.executable, "-m", "napaudit", "compare", str(clients), str(listings), "--db", str(db)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert other.returncode == 4, other.stderr
    assert "another napaudit run holds" in other.stderr
    out, err = running.communicate(timeout=600)
    assert running.returncode == 0, err[-3000:]
    assert stored(db) == _whole(generated)


def _whole(generated) -> tuple[set, set]:
    """What an uninterrupted batch stores (run once, by the resume test or here)."""
    web, clients, folder = generated
    db = folder / "whole" / "a.db"
    if not db.exists():
        (folder / "whole").mkdir(exist_ok=True)
        assert batch(web, clients, db).wait(timeout=600) == 0
    return stored(db)


def test_a_full_disk_stops_the_batch_with_a_message_and_resume_completes_it(generated, tmp_path):
    """The database on a small file system that fills up mid-run: the batch stops at once with
    exit 4 and a line naming the database; once space is freed, --resume ends with exactly
    what an uninterrupted run stores."""
    web, clients, _ = generated
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here ({mounted.stderr.strip()})")
    try:
        filler = disk / "filler"
        db = disk / "a.db"
        full = batch(web, clients, db)
        # once the run has stored its first results, the disk fills to 1.5 MB free: under the
        # guard's 2 MB (checked every second), while SQLite can still write
        waited = time.monotonic()
        while _count(db) == 0 and full.poll() is None and time.monotonic() - waited < 120:
            time.sleep(0.05)
        filler.write_bytes(b"\0" * (shutil.disk_usage(disk).free - 1536 * 1024))
        out, err = full.communicate(timeout=600)
        assert full.returncode == 4, err[-3000:]
        assert str(db) in err.splitlines()[-1] and "Traceback" not in err
        assert "MB free" in err.splitlines()[-1]
        assert 0 < _count(db) < len(_whole(generated)[0])  # stopped mid-run, what it had is kept
        filler.unlink()  # space freed
        resumed = batch(web, clients, db, "--resume")
        out, err = resumed.communicate(timeout=600)
        assert resumed.returncode == 0, err[-3000:]
        assert stored(db) == _whole(generated)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


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
