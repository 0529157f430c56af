"""Facebook's and Bing's data audited through Overture, end to end: `napaudit audit --sources
facebook,bing` on a Parquet file in Overture's published schema stores findings under Facebook
and Bing, a closed place is a high-severity finding, and the provenance reaches the store."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT
from napaudit.auditor.history import History
from test_sources_parquet import write_overture

CLIENTS = ROOT / "data" / "samples" / "clients.csv"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("overture")
    parquet = write_overture(folder / "places.parquet")
    db = folder / "a.db"
    done = subprocess.run(
        [sys.executable, "-m", "napaudit", "audit", str(CLIENTS), "--sources", "facebook,bing",
         "--db", str(db), "--report", str(folder / "report"), "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "NAPAUDIT_OVERTURE_PARQUET": str(parquet)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return db


def test_a_facebook_finding_and_a_bing_finding_come_from_overture_rows(audited):
    with History(audited) as history:
        _, findings = history.stored()
    by_source = {}
    for business, source, _key, field, status, _reason in findings:
        by_source.setdefault(source, set()).add((business, field, status))
    assert ("harbor-lane", "name", "match") in by_source["facebook"]
    assert ("arts-deli", "status", "mismatch") in by_source["bing"]  # closed, as Overture says
    con = sqlite3.connect(audited)
    provenance = dict(con.execute("select source, provenance from listings"))
    assert "from Meta (record ov-harbor-fb-record" in provenance["facebook"]
    assert "from Microsoft (record ov-arts-record" in provenance["bing"]
    reason = con.execute(
        "select f.reason, f.severity from run_listings r join findings f using (check_id) "
        "where r.source = 'bing' and f.field = 'status'"
    ).fetchone()
    assert reason == ("the listing says the business is permanently closed", "high")
    page = (audited.parent / "report" / "harbor-lane.html").read_text(encoding="utf-8")
    assert "As shown in Overture (" in page and "from Meta (record ov-harbor-fb-record" in page
