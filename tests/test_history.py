"""History a user can browse and trust: the demo's database in Datasette (a finding followed to
its listing and business, the latest-problems view), the `.db` file alone holding a finished run,
a previous release's database upgrading in place, `napaudit rejudge`, and databases that are not
napaudit's refused untouched."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT
from napaudit.auditor.fields import BY_NAME, Severity, Status
from napaudit.auditor.history import History

from napaudit.cli import cli
from napaudit.history_cli import datasette_metadata

OLD_RELEASE = ROOT / "tests" / "fixtures" / "store" / "napaudit-0.1.0.db"
REPORT_FIXTURES = ROOT / "tests" / "fixtures" / "report"


def napaudit(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "napaudit", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """`napaudit demo` twice into one database: runs 1 and 2."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.db"
    for _ in range(2):
        done = napaudit("demo", "--db", str(db), "--report", str(folder / "report"))
        assert done.returncode == 0, done.stderr[-2000:]
    return db


def _get(ds, path: str):
    async def fetch():
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    return asyncio.run(fetch())


def test_datasette_follows_a_finding_to_its_listing_and_business(demo_db):
    datasette = pytest.importorskip("datasette.app", reason="the browse extra is not installed")
    ds = datasette.Datasette(files=[str(demo_db)], metadata=datasette_metadata(str(demo_db)))
    name = demo_db.stem
    findings = _get(ds, f"/{name}/findings.json?status=mismatch&field=phone&_labels=on"
                        "&_shape=array")  # fmt: skip
    assert findings, "the demo plants wrong phones"
    # findings is a view of the checks' verdicts: its check_id names the check, whose row
    # links (foreign keys) to the listing and the business it judged
    row = _get(ds, f"/{name}/checks.json?id={findings[0]['check_id']}&_labels=on"
                   "&_shape=array")[0]  # fmt: skip
    listing = _get(ds, f"/{name}/listings.json?uid={row['listing']['value']}&_shape=array")[0]
    business = _get(ds, f"/{name}/businesses.json?uid={row['business']['value']}&_shape=array")[0]
    assert listing["phone"] == findings[0]["found"]
    assert business["phone"] == findings[0]["canonical"]
    assert business["id"] == row["business_id"]
    runs = _get(ds, f"/{name}/runs.json?_shape=array")
    assert sorted(r["label"].split(":")[0] for r in runs) == ["run 1", "run 2"]
    # what is wrong now: the latest run's problems, the same as its summary counts
    problems = _get(ds, f"/{name}/latest_problems.json?_shape=array&_size=max")
    assert {p["run_id"] for p in problems} == {2}
    with History(demo_db) as history:
        summary = history.summary(2)
    assert len(problems) == sum(r["mismatch"] + r["missing"] for r in summary)
    assert {p["status"] for p in problems} <= {"mismatch", "missing"}


def test_scores_are_stored_per_run(demo_db):
    with History(demo_db) as history:
        scores = history.scores("harbor-lane")
    assert [run for run, _ in scores] == [1, 2]
    assert scores[0][1] == scores[1][1] and 0 < scores[0][1] < 100


def test_a_copy_of_the_db_file_alone_holds_the_finished_run(runner, tmp_path):
    db = tmp_path / "n.db"
    result = runner.invoke(cli, ["compare", str(REPORT_FIXTURES / "clients.csv"),
                                 str(REPORT_FIXTURES / "listings-1.csv"), "--db", str(db)])  # fmt: skip
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy.db"
    shutil.copyfile(db, copy)  # the -wal file is left behind, as a careless copy does
    con = sqlite3.connect(copy)
    assert con.execute("select id, status from runs").fetchall() == [(1, "done")]
    assert con.execute("select count(*) from findings").fetchone()[0] > 0


def test_a_previous_release_database_upgrades_in_place_with_its_history(runner, tmp_path):
    db = tmp_path / "old.db"
    shutil.copyfile(OLD_RELEASE, db)
    with History(db) as old:
        before_runs = [(r.id, r.command, r.status) for r in old.runs()]
        before = {run: old.stored(run) for run in (1, 2)}
    assert before_runs == [(1, "demo", "done"), (2, "compare", "done")]
    # the same listings as run 2 again, with this release
    result = runner.invoke(cli, ["compare", str(REPORT_FIXTURES / "clients.csv"),
                                 str(REPORT_FIXTURES / "listings-1.csv"), "--db", str(db)])  # fmt: skip
    assert result.exit_code == 0, result.output
    with History(db) as new:
        assert [(r.id, r.command, r.status) for r in new.runs()] == [
            *before_runs,
            (3, "compare", "done"),
        ]
        after = {run: new.stored(run) for run in (1, 2, 3)}
    assert after[1] == before[1] and after[2] == before[2]  # the history, intact
    assert after[1][1] and after[2][1]
    assert after[3][0] == after[2][0]  # the same listings, seen again by this release
    con = sqlite3.connect(db)
    # the upgraded history links: every finding of the old runs belongs to a check
    assert con.execute(
        "select count(*) from findings where check_id not in (select id from checks)"
    ).fetchone() == (0,)
    # nothing stored twice: the listings of run 3 are run 2's versions
    assert (
        con.execute("select count(*) from listings").fetchone()[0]
        == con.execute(
            "select count(distinct source || listing_key || version) from run_listings "
            "where version is not null"
        ).fetchone()[0]
    )
    report = runner.invoke(cli, ["report", "--db", str(db), "--run", "1", "--out",
                                 str(tmp_path / "r")])  # fmt: skip
    assert report.exit_code == 0, report.output


def _read_back(history: History) -> dict:
    """What History gives of runs 1 and 2's verdicts (its listings need a current database)."""
    return {run: (history.summary(run), history.status_counts(run), list(history.verdicts(run)),
                  history.stored(run)) for run in (1, 2)}  # fmt: skip


def test_the_verdicts_read_the_same_after_they_move_into_their_checks(runner, tmp_path):
    """Since issue 15 a check's verdicts are one JSON array in its row and `findings` is a view
    of them. An older release's findings rows move into their checks on upgrade; read before
    (as the older file is, without upgrading it) and after, every verdict is the same."""
    db = tmp_path / "old.db"
    shutil.copyfile(OLD_RELEASE, db)
    con = sqlite3.connect(db)
    # a finding whose check was never stored: kept, with a check row of its own
    con.execute("insert into findings values ('no-such-check', 'phone', 'mismatch', "
                "'(714) 555-0100', '(714) 555-0199', 'differs', 'high', 'differs')")  # fmt: skip
    con.commit()
    rows = "select * from findings order by check_id, field"
    table = con.execute(rows).fetchall()
    con.close()
    assert len(table) > 20
    with History(db) as old:  # read only: the file stays as the older release wrote it
        before = _read_back(old)
    assert before[2][1].get("mismatch") and before[2][2] and before[2][3][1]
    result = runner.invoke(cli, ["compare", str(REPORT_FIXTURES / "clients.csv"),
                                 str(REPORT_FIXTURES / "listings-1.csv"), "--db", str(db)])  # fmt: skip
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    kinds = dict(con.execute("select name, type from sqlite_master where name in "
                             "('findings', 'checks')").fetchall())  # fmt: skip
    assert kinds == {"findings": "view", "checks": "table"}
    ids = sorted({r[0] for r in table})
    after = con.execute(
        f"select * from findings where check_id in ({', '.join('?' * len(ids))}) "
        "order by check_id, field",
        ids,
    ).fetchall()
    checks = dict(con.execute("select source || ' ' || listing_key, check_id from run_listings "
                              "where run_id = 2 and check_id is not null").fetchall())  # fmt: skip
    con.close()
    assert after == table
    with History(db) as new:
        assert _read_back(new) == before
        # each listing's findings in a report: the rows its check had
        listed = [s for ls in new.listings(2, {2})[2].values() for s in ls if s.findings]
        # this release's run (3) reads its fields in the order the older runs' came in
        judged = [s for ls in new.listings(3, {3})[3].values() for s in ls if s.findings]
    assert judged and all(list(s.findings) == sorted(s.findings) for s in judged + listed)
    assert len(listed) == len(checks)
    for s in listed:
        rows = [r for r in table if r[0] == checks[f"{s.source} {s.key}"]]
        assert [(*f, r[7]) for f, r in zip(s.findings.values(), rows, strict=True)] == [
            r[1:] for r in rows
        ]


def test_rejudge_gives_the_same_findings_without_the_network(demo_db, runner, tmp_path):
    db = tmp_path / "demo.db"
    shutil.copyfile(demo_db, db)
    result = runner.invoke(cli, ["rejudge", "--db", str(db)])  # no sample web is serving now
    assert result.exit_code == 0, result.output
    assert "Re-judged run 2 as run 3:" in result.output and " 0 changed." in result.output
    with History(db) as history:
        assert history.stored(3)[1] == history.stored(2)[1]
        assert history.runs()[-1].command == "rejudge"
    # The crawl judged each page as it stored it; judging the stored values again gives the
    # very same checks, scores and evidence.
    columns = "source, listing_key, check_id, linked_by, match_score, evidence"
    with sqlite3.connect(db) as conn:
        crawled, rejudged = (
            conn.execute(
                f"SELECT {columns} FROM run_listings WHERE run_id = ? ORDER BY source, listing_key",
                (run,),
            ).fetchall()
            for run in (2, 3)
        )
    assert crawled == rejudged
    assert sum(1 for row in crawled if row[2]) > 20  # judged, not merely both empty


def test_rejudge_after_a_rule_change_gives_new_verdicts_and_keeps_the_old_run(
    demo_db, runner, tmp_path, monkeypatch
):
    db = tmp_path / "demo.db"
    shutil.copyfile(demo_db, db)
    with History(db) as history:
        old = history.stored(2)[1]
    # a stricter rule: an address written differently is now a mismatch
    monkeypatch.setitem(BY_NAME["address"].levels, "format", (Status.MISMATCH, Severity.LOW))
    result = runner.invoke(cli, ["rejudge", "--db", str(db), "--run", "2"])
    assert result.exit_code == 0, result.output
    with History(db) as history:
        assert history.stored(2)[1] == old  # the old run keeps its verdicts
        new = history.stored(3)[1]
    was = {f[:4]: f[4] for f in old if f[3] == "address"}
    now = {f[:4]: f[4] for f in new if f[3] == "address"}
    flipped = [k for k in was if was[k] == "variant" and now[k] == "mismatch"]
    assert flipped, "some address variants became mismatches"
    changed = sum(1 for k in was if was[k] != now[k])
    assert f" {changed} changed." in result.output


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ["foreign", "corrupt"])
def test_a_database_that_is_not_napauditS_is_refused_untouched(runner, tmp_path, kind):
    db = tmp_path / "other.db"
    if kind == "foreign":
        con = sqlite3.connect(db)
        con.execute("create table customers (id integer primary key, name text)")
        con.execute("insert into customers (name) values ('Ada')")
        con.commit()
        con.close()
    else:
        db.write_bytes(b"this is not a database" * 100)
    before = _digest(db)
    result = runner.invoke(cli, ["compare", str(REPORT_FIXTURES / "clients.csv"),
                                 str(REPORT_FIXTURES / "listings-1.csv"), "--db", str(db)])  # fmt: skip
    assert result.exit_code == 2
    assert result.output.strip().endswith("not a napaudit database") or (
        "not a napaudit database" in result.output
    )
    assert str(db) in result.output and "Traceback" not in result.output
    assert _digest(db) == before
    assert not os.path.exists(f"{db}-wal")


def test_a_database_that_cannot_be_written_is_exit_4(runner, tmp_path, monkeypatch):
    """A read-only file (as root, the test cannot make one: the write fails by design)."""
    import sqlite_utils

    def refuse(self):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(sqlite_utils.Database, "enable_wal", refuse)
    db = tmp_path / "ro.db"
    result = runner.invoke(cli, ["compare", str(REPORT_FIXTURES / "clients.csv"),
                                 str(REPORT_FIXTURES / "listings-1.csv"), "--db", str(db)])  # fmt: skip
    assert result.exit_code == 4
    assert f"{db}: cannot write the database (attempt to write a readonly database)" in (
        result.output
    )
