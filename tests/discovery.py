"""Run a discovery audit against the local sample web, as a user does (a subprocess: Twisted's
reactor runs once per process), and hand back the database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from napaudit.sampleweb.middleware import HOST, cli_args
from napaudit.sampleweb.server import SampleWeb, serving

CLIENTS = ROOT / "data" / "samples" / "clients.csv"


def discover(
    folder: Path, sources: list[str], clients: Path = CLIENTS, env: dict | None = None
) -> tuple[subprocess.CompletedProcess, sqlite3.Connection, SampleWeb]:
    """`napaudit audit CLIENTS --sources ...` with every source served from the sample web."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "discovery.db"
    # A 3 s timeout, so that a search answered slowly on a loaded machine is seldom retried (a
    # retry is the same query again: test_sources_api counts queries, not requests); a page
    # that hangs stays silent for 6.
    with serving(SampleWeb.from_manifest(hang_seconds=6)) as web:
        done = subprocess.run(
            [sys.executable, "-m", "napaudit", "audit", str(clients), "--sources",
             ",".join(sources), "--db", str(db), "--delay", "0", "--timeout", "3",
             "--report", str(folder / "report"), *cli_args(web.base_url)],
            capture_output=True, text=True, timeout=300, cwd=ROOT,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
    assert done.returncode in (0, 3), done.stderr[-3000:]  # 3: some pages could not be checked
    return done, sqlite3.connect(db), web


def listings(db: sqlite3.Connection, source: str) -> dict[str, list[tuple]]:
    """business_id -> [(listing_key, outcome, outcome_reason)] for one source; a page of the
    sample web is named by its path there."""
    found: dict[str, list[tuple]] = {}
    for business, key, outcome, reason in db.execute(
        "select business_id, listing_key, outcome, outcome_reason from run_listings "
        "where source = ? order by listing_key",
        [source],
    ):
        key = key.removeprefix(f"http://{HOST}")
        found.setdefault(business, []).append((key, outcome, reason))
    return found
