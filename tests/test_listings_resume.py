"""`napaudit audit --listings` after Ctrl-C: `--resume` fetches the pages the store lacks and ends
with exactly what an uninterrupted audit stores. Such an audit keeps no Scrapy queue on disk
(each page given is one request): the store alone says what is left."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from conftest import ROOT, ctrl_c
from napaudit.sampleweb.generated import stored
from napaudit.sampleweb.middleware import cli_args
from napaudit.sampleweb.server import SampleWeb, serving
from test_politeness import CLIENTS, _ok_targets


def audit(web, urls, db, *more: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "napaudit", "audit", str(CLIENTS), "--listings", str(urls),
         "--db", str(db), "--delay", "0", "--timeout", "10", "--report",
         str(db.parent / "report"), *cli_args(web.base_url), *more],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=dict(os.environ),
    )  # fmt: skip


def test_resume_of_a_listings_audit_fetches_only_what_is_missing(tmp_path):
    with serving(SampleWeb.from_manifest(latency=0.1)) as web:
        urls = _ok_targets(web, tmp_path)
        pages = sum(1 for _ in urls.open()) - 1
        for name in ("whole", "cut"):
            (tmp_path / name).mkdir()
        whole = audit(web, urls, tmp_path / "whole" / "a.db")
        assert whole.wait(timeout=300) == 0, whole.stderr.read()[-3000:]
        expected = stored(tmp_path / "whole" / "a.db")
        assert len(expected[0]) == pages and expected[1], "every page stored and judged"

        db = tmp_path / "cut" / "a.db"
        start = len(web.hits)
        ctrl_c(audit(web, urls, db), web, pages // 4)  # a quarter of the way
        with sqlite3.connect(db) as con:
            kept = con.execute("SELECT count(*) FROM run_listings").fetchone()[0]
        assert 0 < kept < pages
        cut_pages = [h.path for h in web.hits[start:] if h.path != "/robots.txt"]

        start = len(web.hits)
        resumed = audit(web, urls, db, "--resume")
        out, err = resumed.communicate(timeout=300)
        assert resumed.returncode == 0, err[-3000:]
        resumed_pages = [h.path for h in web.hits[start:] if h.path != "/robots.txt"]

    assert stored(db) == expected  # nothing lost, nothing doubled
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*), max(status) FROM runs").fetchone() == (1, "done")
    # The resumed audit fetched the pages the store lacked: never one it had kept, and no more
    # than what was left (the pages in flight at Ctrl-C were fetched, not stored).
    assert len(resumed_pages) == pages - kept
    assert len(cut_pages) >= kept
